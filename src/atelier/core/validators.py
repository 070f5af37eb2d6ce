"""Field validators with French messages; checksums come from python-stdnum, phones from phonenumbers."""

import re

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.fr import siren, siret, tva

from atelier.core import geo


def validate_siren(value: str) -> None:
    try:
        siren.validate(value)
    except StdnumError:
        raise ValidationError(
            _("« %(value)s » n'est pas un SIREN valide (9 chiffres, clé de contrôle)."),
            code="invalid_siren",
            params={"value": value},
        ) from None


def validate_siret(value: str) -> None:
    try:
        siret.validate(value)
    except StdnumError:
        raise ValidationError(
            _("« %(value)s » n'est pas un SIRET valide (14 chiffres, clé de contrôle)."),
            code="invalid_siret",
            params={"value": value},
        ) from None


def validate_vat_fr(value: str) -> None:
    try:
        tva.validate(value)
    except StdnumError:
        raise ValidationError(
            _(
                "« %(value)s » n'est pas un numéro de TVA intracommunautaire français valide (FR + 11 caractères)."
            ),
            code="invalid_vat",
            params={"value": value},
        ) from None


def validate_postcode(value: str) -> None:
    if not geo.postcode_exists(value):
        raise ValidationError(
            _("Le code postal « %(value)s » n'existe pas."), code="invalid_postcode", params={"value": value}
        )


def normalize_phone(value: str) -> str:
    """Return the number in E.164 form (+33…), or raise a French ValidationError."""
    try:
        number = phonenumbers.parse(value, "FR")
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not phonenumbers.is_valid_number(number):
        raise ValidationError(
            _("« %(value)s » n'est pas un numéro de téléphone valide."),
            code="invalid_phone",
            params={"value": value},
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def format_phone(e164: str) -> str:
    """Display a stored number the French way: 06 12 34 56 78, or international for other countries."""
    if not e164:
        return ""
    try:
        number = phonenumbers.parse(e164, "FR")
    except phonenumbers.NumberParseException:
        return e164
    fmt = (
        phonenumbers.PhoneNumberFormat.NATIONAL
        if number.country_code == 33
        else phonenumbers.PhoneNumberFormat.INTERNATIONAL
    )
    return phonenumbers.format_number(number, fmt)


# « État neuf », « comme neuf », « à neuf » (and their feminine and plural forms) may not describe a used or
# refurbished good: only a new one (C. conso. R122-4, décret 2022-190). Shared by the refurbishment's wordings
# and the stock's used-part grades.
NEW_CLAIM = re.compile(
    r"(?<!\w)(?:[ée]tat\s+neu(?:f|ve)s?|comme\s+neu(?:f|ve)s?|[àa]\s+neu(?:f|ve)s?)(?!\w)", re.I
)


def new_claim_in(text: str) -> str | None:
    """The forbidden expression found in `text` (as written), or None."""
    match = NEW_CLAIM.search(" ".join((text or "").replace("\u00a0", " ").split()))
    return match.group(0) if match else None


def validate_no_new_claim(value: str) -> None:
    found = new_claim_in(value)
    if found:
        raise ValidationError(
            _(
                "« %(found)s » est interdit pour un appareil ou une pièce d'occasion ou reconditionné : seuls les "
                "produits neufs peuvent porter les mentions « état neuf », « comme neuf » ou « à neuf » "
                "(art. R122-4 du Code de la consommation)."
            ),
            code="new_claim",
            params={"found": found},
        )
