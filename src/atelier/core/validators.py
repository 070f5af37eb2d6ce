"""Field validators with French messages; checksums come from python-stdnum, phones from phonenumbers."""

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
