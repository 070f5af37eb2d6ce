"""Reads of disputes, scoped to the user's sites; the site's settings and mediator."""

import datetime

from django.db.models import QuerySet
from django.utils import timezone

from atelier.aftersales.models import AftersalesSettings
from atelier.core.params import as_id
from atelier.core.scoping import visible_or_404
from atelier.disputes.choices import AWAITING_REPLY, DisputeState
from atelier.disputes.models import Dispute, DisputeSettings

_RELATED = ("site", "customer", "case", "assigned_to")


def settings_of(site) -> DisputeSettings:
    """The site's dispute settings (an unsaved one with the defaults when the site has none)."""
    site_id = getattr(site, "pk", site)
    return DisputeSettings.objects.filter(site_id=site_id).first() or DisputeSettings(site_id=site_id)


def mediator_of(site) -> AftersalesSettings | None:
    """The site's consumer mediator (L612-1, L616-1) when both his name and website are set, else None."""
    site_id = getattr(site, "pk", site)
    found = AftersalesSettings.objects.filter(site_id=site_id).first()
    if found is None or not found.mediator_name.strip() or not found.mediator_website.strip():
        return None
    return found


def dispute_list(
    *,
    user,
    state: str = "",
    site: str = "",
    overdue: bool = False,
    mine: bool = False,
    today: datetime.date | None = None,
) -> QuerySet[Dispute]:
    """The disputes of the user's sites, newest first; filters: state, site (an id), overdue, assigned to me."""
    qs = Dispute.objects.visible_to(user).select_related(*_RELATED)
    if state:  # an unknown state matches nothing (and never reaches the database)
        qs = qs.filter(state=state) if state in DisputeState.values else qs.none()
    if (site_id := as_id(site)) is not None:
        qs = qs.filter(site_id=site_id)
    if overdue:
        qs = qs.filter(state__in=AWAITING_REPLY, reply_due__lt=today or timezone.localdate())
    if mine:
        qs = qs.filter(assigned_to=user)
    return qs


def dispute_get(*, user, pk) -> Dispute:
    return visible_or_404(
        Dispute.objects.select_related(
            *_RELATED,
            "customer__site",
            "case__appliance",
            "complaint",
            "claim",
            "invoice",
            "credit_note",
            "opened_by",
            "decided_by",
        ),
        user,
        pk=pk,
    )


def disputes_of_case(case) -> list[Dispute]:
    return list(Dispute.objects.filter(case=case).select_related("assigned_to"))


def disputes_of_customer(customer) -> list[Dispute]:
    return list(Dispute.objects.filter(customer=customer).select_related("case", "assigned_to")[:50])
