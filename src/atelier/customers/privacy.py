"""Personal data (RGPD) of a customer file: anonymisation, erasure on request, export, keeping a file longer.

Anonymising replaces what identifies the person (identity, contacts, address, free text) by neutral values and
marks the file `anonymised_at`; it keeps what the business and the law need: the file itself (so dossiers,
invoices and statistics keep their customer), the appliances' family, brand and model, the département. Issued
accounting documents are never touched (Code de commerce L123-22: 10 years, as issued; billing.guards refuses
any change at the database level). A file with an open dossier, money owed or a loan not returned is never
anonymised. See docs/personal-data.md.
"""

import datetime
import logging

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from atelier.core.access import require_step
from atelier.core.errors import AtelierError
from atelier.core.locking import lock
from atelier.core.models import Site, User
from atelier.core.permissions import require_site
from atelier.customers import extensions
from atelier.customers.choices import ConsentSource, PrivacyActionKind, RequestChannel
from atelier.customers.models import Appliance, ConsentChange, Customer, PrivacyAction
from atelier.customers.services import CONSENT_FIELDS, consent_snapshot

log = logging.getLogger(__name__)

ANONYMISED_NAME = "Client anonymisé n° {pk}"  # stored data: French whatever the screen's language

# Fields replaced on anonymisation, with their neutral value (the name is set apart: it carries the number).
NEUTRAL = {
    "civility": "",
    "first_name": "",
    "siren": "",
    "phone": "",
    "phone2": "",
    "email": "",
    "address": "",
    "address2": "",
    "postcode": "",
    "city": "",
    "latitude": None,
    "longitude": None,
    "needs_reduced_mobility": False,
    "needs_hearing": False,
    "needs_low_vision": False,
    "language": "français",
    "accessibility_notes": "",
    "consent_contact": False,
    "consent_at": None,
    "consent_marketing": False,
    "notes": "",
    "kept_until": None,
    "kept_reason": "",
}
# Appliance fields that can single out a person (a serial number is unique, a place of purchase and notes are
# free text); family, brand, model, dates and price stay for statistics, the ORDS export and warranty figures.
APPLIANCE_NEUTRAL = {"serial_number": "", "purchase_place": "", "notes": ""}


class ErasureRefused(AtelierError):
    status_code = 409


class AlreadyAnonymised(AtelierError):
    default_message = gettext_lazy("Cette fiche est déjà anonymisée.")
    status_code = 409


def department_of(postcode: str) -> str:
    """The département of a French postcode: 2 digits, 3 overseas (971…), 2A/2B in Corsica; '' if none."""
    if len(postcode) != 5 or not postcode.isdigit():
        return ""
    if postcode.startswith(("97", "98")):
        return postcode[:3]
    if postcode.startswith("20"):
        return "2A" if postcode < "20200" else "2B"
    return postcode[:2]


def blockers_of(customer_ids) -> dict[int, list[str]]:
    """French reasons, per customer, why their file may not be anonymised now (extensions.erasure_blockers)."""
    found: dict[int, list[str]] = {}
    for provider in extensions.erasure_blockers:
        for customer_id, reasons in provider(customer_ids).items():
            found.setdefault(customer_id, []).extend(reasons)
    return found


def _refusal(reasons: list[str]) -> ErasureRefused:
    return ErasureRefused(
        _(
            "Les données de ce client ne peuvent pas être anonymisées maintenant : %(reasons)s. Elles le "
            "seront quand ce sera réglé ; les factures, elles, restent conservées 10 ans sans changement."
        )
        % {"reasons": " ; ".join(reasons)}
    )


def anonymise(
    customer: Customer,
    *,
    actor: User | None,
    kind: str,
    channel: str = "",
    requested_on: datetime.date | None = None,
    reason: str = "",
    details: dict | None = None,
) -> PrivacyAction:
    """Anonymise one file in the caller's transaction (under a row lock) and record it in the register.

    Refused (ErasureRefused, nothing written) while a blocker holds; AlreadyAnonymised for a file done before.
    """
    fresh = lock(customer, related=("site",))
    if fresh.anonymised_at:
        raise AlreadyAnonymised()
    reasons = blockers_of([fresh.pk]).get(fresh.pk)
    if reasons:
        raise _refusal(reasons)
    cleared = sorted(
        name
        for name, value in NEUTRAL.items()
        if getattr(fresh, name) not in ("", None, False) and getattr(fresh, name) != value
    )
    before = consent_snapshot(fresh)
    label = ANONYMISED_NAME.format(pk=fresh.pk)
    fresh.department = department_of(fresh.postcode)
    for name, value in NEUTRAL.items():
        setattr(fresh, name, value)
    fresh.last_name = label
    if fresh.company_name:
        fresh.company_name = label
    fresh.anonymised_at = timezone.now()
    fresh.save()
    ConsentChange.objects.bulk_create(
        ConsentChange(
            customer=fresh,
            field=name,
            old=str(before[name]),
            new=str(getattr(fresh, name)),
            actor=actor,
            source=ConsentSource.ANONYMISATION,
        )
        for name in CONSENT_FIELDS
        if before[name] != getattr(fresh, name)
    )
    counts = {"appareils": Appliance.objects.filter(customer=fresh).update(**APPLIANCE_NEUTRAL)}
    for scrub in extensions.scrubbers:
        counts.update(scrub(fresh))
    customer.__dict__.update(fresh.__dict__)  # the caller's object shows the file as it now is
    return PrivacyAction.objects.create(
        site=fresh.site,
        customer=fresh,
        kind=kind,
        actor=actor,
        channel=channel,
        requested_on=requested_on,
        reason=reason,
        details={"champs_effaces": ["last_name", *cleared], "lignes": counts, **(details or {})},
    )


@transaction.atomic
def customer_erase(
    *, actor: User, customer: Customer, channel: str, requested_on: datetime.date, reason: str = ""
) -> PrivacyAction:
    """Erasure at the person's request (RGPD art. 17): immediate anonymisation within the same limits, with who,
    when and how the request came. A request dated in the future is refused."""
    require_step(actor, "customers.erase", site=customer.site)
    require_site(actor, customer.site)
    if channel not in RequestChannel.values:
        raise AtelierError(_("Indiquez comment la demande a été reçue."), field="channel")
    if requested_on > timezone.localdate():
        raise AtelierError(_("La date de la demande ne peut pas être dans le futur."), field="requested_on")
    return anonymise(
        customer,
        actor=actor,
        kind=PrivacyActionKind.ERASURE,
        channel=channel,
        requested_on=requested_on,
        reason=reason,
    )


@transaction.atomic
def customer_keep(*, actor: User, customer: Customer, until: datetime.date, reason: str) -> PrivacyAction:
    """Keep a file past its retention date for a legitimate reason (a dispute, a claim under way), until a date
    at most the site's retention period ahead (renewable). Not a contact: the file's clock is not reset."""
    require_step(actor, "customers.retention_keep", site=customer.site)
    require_site(actor, customer.site)
    fresh = lock(customer, related=("site",))
    if fresh.anonymised_at:
        raise AlreadyAnonymised()
    reason = reason.strip()
    if not reason:
        raise AtelierError(_("Indiquez le motif légitime de la conservation."), field="reason")
    today = timezone.localdate()
    latest = add_years(today, fresh.site.retention_years)
    if not today < until <= latest:
        raise AtelierError(
            _("Choisissez une date après aujourd'hui et au plus tard le %(latest)s.")
            % {"latest": latest.strftime("%d/%m/%Y")},
            field="until",
        )
    # update(): the file's « modifié le » is a contact date, keeping it is not
    Customer.objects.filter(pk=fresh.pk).update(kept_until=until, kept_reason=reason)
    return PrivacyAction.objects.create(
        site=fresh.site,
        customer=fresh,
        kind=PrivacyActionKind.KEEP,
        actor=actor,
        reason=reason,
        details={"jusqu_au": until.isoformat()},
    )


@transaction.atomic
def customer_export_record(
    *, actor: User, customer: Customer, fmt: str, channel: str, requested_on: datetime.date
) -> PrivacyAction:
    """Record an export of the file's data (right of access, art. 15; portability, art. 20) in the register."""
    require_step(actor, "customers.export", site=customer.site)
    require_site(actor, customer.site)
    if channel not in RequestChannel.values:
        raise AtelierError(_("Indiquez comment la demande a été reçue."), field="channel")
    if requested_on > timezone.localdate():
        raise AtelierError(_("La date de la demande ne peut pas être dans le futur."), field="requested_on")
    return PrivacyAction.objects.create(
        site=customer.site,
        customer=customer,
        kind=PrivacyActionKind.EXPORT,
        actor=actor,
        channel=channel,
        requested_on=requested_on,
        details={"format": fmt},
    )


@transaction.atomic
def site_retention_set(*, actor: User, site: Site, years: int) -> Site:
    """Change how many years a site keeps a customer file after the last contact (1 to 10)."""
    require_step(actor, "customers.retention", site=site)
    require_site(actor, site)
    if not 1 <= years <= 10:
        raise AtelierError(_("Choisissez une durée de 1 à 10 ans."), field="years")
    fresh = lock(site)
    fresh.retention_years = years
    fresh.save(update_fields=["retention_years"])
    return fresh


def add_years(day: datetime.date, years: int) -> datetime.date:
    """The same day `years` later (or earlier, negative); 29 February becomes 28 February."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)
