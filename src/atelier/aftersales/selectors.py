"""Reads of after-sales, scoped to the user's sites."""

from django.db.models import QuerySet

from atelier.aftersales.choices import ClaimState
from atelier.aftersales.models import Claim
from atelier.core.params import as_id
from atelier.core.scoping import visible_or_404
from atelier.customers.models import Appliance

_CLAIM_RELATED = ("site", "customer", "appliance", "claim_type")


def claim_list(*, user, state: str = "", site: str = "") -> QuerySet[Claim]:
    """The claims of the user's sites, newest first; `state` and `site` (a site id) filter them."""
    qs = Claim.objects.visible_to(user).select_related(*_CLAIM_RELATED)
    if state:  # an unknown state matches no claim (and never reaches the database: PostgreSQL refuses NUL)
        qs = qs.filter(state=state) if state in ClaimState.values else qs.none()
    if (site_id := as_id(site)) is not None:
        qs = qs.filter(site_id=site_id)
    return qs


def claim_get(*, user, pk) -> Claim:
    return visible_or_404(
        Claim.objects.select_related(
            *_CLAIM_RELATED,
            "customer__site",
            "earlier_case",
            "new_case",
            "refusal_reason",
            "opened_by",
            "answered_by",
            "message",
        ),
        user,
        pk=pk,
    )


def appliance_get(*, user, pk) -> Appliance:
    return visible_or_404(Appliance.objects.select_related("customer__site"), user, pk=pk)
