"""Writing services of customer files and their appliances.

Every service checks the actor's role and site, normalises what people type (phones in E.164, e-mail
lower-case, SIREN without spaces), runs full_clean() and saves inside one transaction. Refusals are
ValidationErrors keyed by field with French messages, so forms show them next to the field and the API answers
400; nothing is written when one is raised.
"""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from atelier.core import geo
from atelier.core.access import require_step
from atelier.core.errors import AtelierError
from atelier.core.locking import lock
from atelier.core.models import Site, User
from atelier.core.permissions import require_site
from atelier.customers.choices import ConsentSource, ProductFamily
from atelier.customers.cleaning import email_lower, phone_e164, postcode_compact, siren_compact
from atelier.customers.models import Appliance, ConsentChange, Customer
from atelier.customers.warranty import legal_warranty_end

# Roles that may create and edit customer files and appliances; every role of the site may read them.

CUSTOMER_FIELDS = (  # the fields a caller may set, in the order the forms show them
    "kind",
    "civility",
    "last_name",
    "first_name",
    "company_name",
    "siren",
    "vat_number",
    "phone",
    "phone2",
    "email",
    "preferred_contact",
    "address",
    "address2",
    "postcode",
    "city",
    "needs_reduced_mobility",
    "needs_hearing",
    "needs_low_vision",
    "language",
    "accessibility_notes",
    "consent_contact",
    "consent_marketing",
    "notes",
)
# Changes to these fields are written to the consent history (ConsentChange), with their source.
CONSENT_FIELDS = ("consent_contact", "consent_marketing", "preferred_contact")
APPLIANCE_FIELDS = (
    "family",
    "brand",
    "model_ref",
    "serial_number",
    "purchase_date",
    "purchase_place",
    "purchase_price",
    "bought_new",
    "warranty_end",
    "notes",
)

_COORD = Decimal("0.00001")

Errors = dict[str, list[ValidationError]]


def _check_fields(service: str, fields: dict, allowed: tuple[str, ...]) -> None:
    """A misspelt field name is a programming error, not bad input: fail loudly."""
    unknown = sorted(set(fields).difference(allowed))
    if unknown:
        raise TypeError(f"{service}() got unexpected field(s): {', '.join(unknown)}")


def _stripped(fields: dict) -> dict:
    return {k: v.strip() if isinstance(v, str) else v for k, v in fields.items()}


def _normalise(fields: dict, normalisers: dict) -> tuple[dict, Errors]:
    """Apply each field's normaliser; collect the refusals by field instead of stopping at the first."""
    cleaned, errors = _stripped(fields), {}
    for name, normaliser in normalisers.items():
        if name in cleaned:
            try:
                cleaned[name] = normaliser(cleaned[name])
            except ValidationError as exc:
                errors[name] = [exc]
    return cleaned, errors


def _validate(instance, errors: Errors) -> None:
    """full_clean() the fields not already refused, then raise everything found at once."""
    try:
        instance.full_clean(exclude=list(errors))
    except ValidationError as exc:
        for field, messages in exc.error_dict.items():
            errors.setdefault(field, []).extend(messages)
    if errors:
        raise ValidationError(errors)


# --- customers ---


class FileAnonymised(AtelierError):
    default_message = _("Cette fiche a été anonymisée : elle ne se modifie plus.")
    status_code = 409


def record_consents(customer: Customer, before: dict | None, *, actor: User | None, source: str) -> None:
    """One history row per consent field that changed (every field, from nothing, for a new file)."""
    if source not in ConsentSource.values:
        raise TypeError(f"Unknown consent source: {source}")
    rows = [
        ConsentChange(
            customer=customer,
            field=name,
            old="" if before is None else str(before[name]),
            new=str(getattr(customer, name)),
            actor=actor,
            source=source,
        )
        for name in CONSENT_FIELDS
        if before is None or before[name] != getattr(customer, name)
    ]
    ConsentChange.objects.bulk_create(rows)


def consent_snapshot(customer: Customer) -> dict:
    return {name: getattr(customer, name) for name in CONSENT_FIELDS}


_CUSTOMER_NORMALISERS = {
    "phone": phone_e164,
    "phone2": phone_e164,
    "email": email_lower,
    "siren": siren_compact,
    "vat_number": siren_compact,  # 'FR 44 732 829 320' → 'FR44732829320'
    "postcode": postcode_compact,
}


def _place(customer: Customer, errors: Errors) -> None:
    """Fill the city from the postcode when it is blank, and the coordinates for route planning."""
    customer.latitude = customer.longitude = None
    if not customer.postcode or "postcode" in errors or not geo.postcode_exists(customer.postcode):
        return
    if not customer.city:
        found = geo.communes(customer.postcode)
        if len(found) > 1:
            errors["city"] = [
                ValidationError(
                    _("Le code postal %(postcode)s dessert plusieurs communes : précisez la ville."),
                    code="ambiguous_city",
                    params={"postcode": customer.postcode},
                )
            ]
            return
        customer.city = found[0].label
    commune = geo.locate(customer.postcode, customer.city)
    if commune and commune.latitude is not None and commune.longitude is not None:
        customer.latitude = Decimal(str(commune.latitude)).quantize(_COORD)
        customer.longitude = Decimal(str(commune.longitude)).quantize(_COORD)


@transaction.atomic
def customer_create(
    *, actor: User, site: Site, consent_source: str = ConsentSource.GUICHET, **fields
) -> Customer:
    """Open a customer file in a site the actor works in.

    `fields` are Customer field names, except site, created_by, created_at, latitude, longitude and
    consent_at, which are set here. Consent to be contacted is dated now when given. The consents given are
    the first rows of the file's consent history, with where they were collected (`consent_source`).
    """
    _check_fields("customer_create", fields, CUSTOMER_FIELDS)
    require_step(actor, "customers.write", site=site)
    require_site(actor, site)
    cleaned, errors = _normalise(fields, _CUSTOMER_NORMALISERS)
    customer = Customer(site=site, created_by=actor, **cleaned)
    _place(customer, errors)
    customer.consent_at = timezone.now() if customer.consent_contact else None
    _validate(customer, errors)
    customer.save()
    record_consents(customer, None, actor=actor, source=consent_source)
    return customer


@transaction.atomic
def customer_update(
    *, actor: User, customer: Customer, consent_source: str = ConsentSource.GUICHET, **fields
) -> Customer:
    """Change a customer file; returns the saved copy (re-read under a row lock, the argument is not changed).

    Consent is dated when it is switched on and the date is cleared when it is withdrawn (RGPD: we must be
    able to show when it was given); each consent that changes adds a row to the history. An anonymised file
    is refused.
    """
    _check_fields("customer_update", fields, CUSTOMER_FIELDS)
    require_step(actor, "customers.write", site=customer.site)
    require_site(actor, customer.site)
    fresh = lock(customer)
    if fresh.anonymised_at:
        raise FileAnonymised()
    before = consent_snapshot(fresh)
    had_consent = fresh.consent_contact
    cleaned, errors = _normalise(fields, _CUSTOMER_NORMALISERS)
    for name, value in cleaned.items():
        setattr(fresh, name, value)
    _place(fresh, errors)
    if not fresh.consent_contact:
        fresh.consent_at = None
    elif not had_consent:
        fresh.consent_at = timezone.now()
    _validate(fresh, errors)
    fresh.save()
    record_consents(fresh, before, actor=actor, source=consent_source)
    return fresh


# --- appliances ---


def _family(value: str) -> str:
    """Refuse an unknown family with a message naming it (Django's would quote the raw repr)."""
    if value and value not in ProductFamily.values:
        raise ValidationError(
            _("« %(value)s » n'est pas une famille de produit connue."),
            code="invalid_family",
            params={"value": value},
        )
    return value


def _wants_legal_end(fields: dict, *, is_new: bool) -> bool:
    """Whether to compute the warranty end: never over a date given now; on a change, only when the purchase
    date or condition changes or the field is emptied, so a longer warranty typed by hand is kept."""
    if fields.get("warranty_end") is not None:
        return False
    return is_new or bool({"warranty_end", "purchase_date", "bought_new"} & fields.keys())


def _set_legal_end(appliance: Appliance, errors: Errors) -> None:
    if isinstance(appliance.purchase_date, datetime.date):
        appliance.warranty_end = legal_warranty_end(
            purchase_date=appliance.purchase_date, bought_new=appliance.bought_new
        )
    else:
        appliance.warranty_end = None


@transaction.atomic
def appliance_create(*, actor: User, customer: Customer, **fields) -> Appliance:
    """Record an appliance of a customer; the warranty end is computed from the purchase date unless given."""
    _check_fields("appliance_create", fields, APPLIANCE_FIELDS)
    require_step(actor, "customers.write", site=customer.site)
    require_site(actor, customer.site)
    if customer.anonymised_at:
        raise FileAnonymised()
    cleaned, errors = _normalise(fields, {"family": _family})
    appliance = Appliance(customer=customer, **cleaned)
    if _wants_legal_end(cleaned, is_new=True):
        _set_legal_end(appliance, errors)
    _validate(appliance, errors)
    appliance.save()
    return appliance


@transaction.atomic
def appliance_update(*, actor: User, appliance: Appliance, **fields) -> Appliance:
    """Change an appliance; returns the saved copy (re-read under a row lock)."""
    _check_fields("appliance_update", fields, APPLIANCE_FIELDS)
    require_step(actor, "customers.write", site=appliance.customer.site)
    require_site(actor, appliance.customer.site)
    fresh = lock(appliance)
    cleaned, errors = _normalise(fields, {"family": _family})
    for name, value in cleaned.items():
        setattr(fresh, name, value)
    if _wants_legal_end(cleaned, is_new=False):
        _set_legal_end(fresh, errors)
    _validate(fresh, errors)
    fresh.save()
    return fresh
