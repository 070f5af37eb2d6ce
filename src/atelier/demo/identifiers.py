"""French business identifiers with valid check digits (SIREN, SIRET, TVA) and French mobile numbers.

The demo must pass the same validators as real data, so every number is built with its checksum and then
checked by python-stdnum / phonenumbers: a generator bug fails here, loudly, not in a form later.
"""

import phonenumbers
from stdnum import luhn
from stdnum.fr import siren as siren_check
from stdnum.fr import siret as siret_check
from stdnum.fr import tva as tva_check


def siren_from(base: str) -> str:
    """Nine digits: the eight given and the Luhn check digit."""
    number = base + luhn.calc_check_digit(base)
    return siren_check.validate(number)


def siret_from(siren: str, nic: str) -> str:
    """Fourteen digits: the SIREN, a four-digit establishment number (NIC) and the Luhn check digit."""
    base = siren + nic
    return siret_check.validate(base + luhn.calc_check_digit(base))


def vat_from(siren: str) -> str:
    """Intra-community VAT number: FR, the key (12 + 3 × (SIREN mod 97)) mod 97 on two digits, the SIREN."""
    key = (12 + 3 * (int(siren) % 97)) % 97
    number = f"FR{key:02d}{siren}"
    tva_check.validate(number)  # stdnum answers without the FR prefix; the site stores it with
    return number


def random_siren(rng) -> str:
    """A valid SIREN; the first digit is never 0, like the numbers INSEE gives out."""
    return siren_from(str(rng.randint(1, 9)) + "".join(str(rng.randint(0, 9)) for _ in range(7)))


def random_mobile(rng) -> str:
    """A French mobile number as the counter types it (« 06 12 34 56 78 »), valid for libphonenumber.

    ARCEP's fiction block (06 39 98) would be safer but libphonenumber rejects it, and the customer
    service validates with libphonenumber; so draw valid numbers and check each one.
    """
    while True:
        prefix = rng.choice(("06", "06", "06", "07"))
        second = str(rng.randint(3, 9)) if prefix == "07" else str(rng.randint(0, 9))
        digits = prefix + second + "".join(str(rng.randint(0, 9)) for _ in range(7))
        if phonenumbers.is_valid_number(phonenumbers.parse(digits, "FR")):
            return " ".join(digits[i : i + 2] for i in range(0, 10, 2))
