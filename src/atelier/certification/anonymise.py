"""Masking the customer's personal data in the texts of a dossier (issue 19, point 7: jurors read evidence
without knowing who the customer is; point 6: role-plays are written from anonymised dossiers).

The customer's names become « Client A » (another signer « Client B », …), and whatever looks like a phone
number, an e-mail, the address, the postcode or the appliance's serial number is replaced by a bracketed word.
Known values are replaced first (longest first, case-insensitive), then the patterns catch what was typed
free-hand in the notes."""

from __future__ import annotations

import re
import string

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
# French numbers: 06 12 34 56 78, 06.12.34.56.78, 0612345678, +33 6 12 34 56 78
PHONE = re.compile(r"(?<!\w)(?:\+33\s?|0)[1-9](?:[\s.-]?\d{2}){4}(?!\w)")
MASK_EMAIL, MASK_PHONE = "[courriel]", "[téléphone]"
MASK_ADDRESS, MASK_POSTCODE, MASK_SERIAL = "[adresse]", "[code postal]", "[n° de série]"


class Masker:
    """Built once per dossier from its customer and appliance; `mask(text)` returns the text without them."""

    def __init__(self) -> None:
        self.known: dict[str, str] = {}
        self.people: dict[str, str] = {}  # a person's name (lower case) → « Client A »

    def person(self, *names: str) -> str:
        """Register the names of one person; returns the label standing for them."""
        names = tuple(n.strip() for n in names if n and len(n.strip()) >= 2)
        for name in names:
            if name.lower() in self.people:
                return self.people[name.lower()]
        label = f"Client {string.ascii_uppercase[len(set(self.people.values())) % 26]}"
        for name in names:
            self.people[name.lower()] = label
            self.known[name] = label
        return label

    def value(self, text: str, mask: str) -> None:
        if text and len(text.strip()) >= 3:
            self.known[text.strip()] = mask

    def mask(self, text: str) -> str:
        if not text:
            return text
        for value in sorted(self.known, key=len, reverse=True):
            text = re.sub(rf"(?<!\w){re.escape(value)}(?!\w)", self.known[value], text, flags=re.IGNORECASE)
        text = EMAIL.sub(MASK_EMAIL, text)
        return PHONE.sub(MASK_PHONE, text)


def masker_for(case) -> Masker:
    """The masker of a dossier: its customer (names, company, phone, e-mail, address, postcode) and its
    appliance's serial number."""
    masker = Masker()
    customer = case.customer
    full = f"{customer.first_name} {customer.last_name}".strip()
    reverse = f"{customer.last_name} {customer.first_name}".strip()
    masker.person(full, reverse, customer.last_name, customer.first_name, customer.company_name)
    masker.value(customer.phone, MASK_PHONE)
    masker.value(customer.email, MASK_EMAIL)
    masker.value(customer.address, MASK_ADDRESS)
    masker.value(customer.postcode, MASK_POSTCODE)
    masker.value(case.appliance.serial_number, MASK_SERIAL)
    return masker
