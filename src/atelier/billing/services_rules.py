"""Billing parameters of a site: from which day it bills in Atelier (ClosingRulesStart). A change is journalled
and refused once the site has issued a document: the closing checks it governs would otherwise move under
invoices already issued."""

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from atelier.billing.choices import JournalKind
from atelier.billing.journal import journal_append
from atelier.billing.models import ClosingRulesStart, Invoice
from atelier.core.access import require_step
from atelier.core.errors import AtelierError
from atelier.core.locking import lock
from atelier.core.models import Site
from atelier.core.permissions import require_site


@transaction.atomic
def billing_start_set(*, site: Site, since: datetime.date, actor) -> ClosingRulesStart:
    """Set the day `site` starts billing in Atelier (responsable SAV or comptable of the site); journalled
    (kind « paramètre »), refused once any invoice, deposit invoice or credit note exists there."""
    require_step(actor, "billing.rules", site=site)
    require_site(actor, site)
    if not isinstance(since, datetime.date):
        raise AtelierError(_("Indiquez la date de début de facturation."), field="since")
    locked = lock(site)  # serialises two changes of one site, and a change with a first invoice being issued
    if Invoice.objects.filter(site=locked).exists():
        raise AtelierError(
            _(
                "Le site %(s)s a déjà émis des factures dans Atelier : sa date de début de facturation ne peut "
                "plus être changée."
            )
            % {"s": locked.code},
            field="since",
        )
    current = ClosingRulesStart.objects.filter(site=locked).first()
    old = current.since.isoformat() if current is not None else None
    if current is None:
        current = ClosingRulesStart(site=locked, since=since)
    current.since = since
    current.full_clean()
    current.save()
    journal_append(
        site=locked,
        kind=JournalKind.PARAMETRE,
        reference=f"{locked.code}/debut-facturation",
        amount=Decimal("0.00"),
        at=timezone.now(),
        payload={"depuis": since.isoformat(), "avant": old or ""},
    )
    return current
