"""Reads of third-party payers, scoped to the user's sites: a dossier's split as the screen shows it, the payer
claims and their ageing list for the SAV manager."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import QuerySet

from atelier.aftersales.choices import PayerClaimState
from atelier.aftersales.models_payers import CaseSplit, Payer, PayerClaim, PayerDeadline
from atelier.aftersales.payers import compute, customer_rest, line_ttc
from atelier.core.errors import AtelierError
from atelier.core.params import as_id
from atelier.core.scoping import visible_or_404

ZERO = Decimal("0.00")
OPEN_STATES = (
    PayerClaimState.A_COMPLETER,
    PayerClaimState.ENVOYEE,
    PayerClaimState.A_CORRIGER,
    PayerClaimState.ACCEPTEE,
    PayerClaimState.PARTIELLE,
)
NOT_FILED = (PayerClaimState.A_COMPLETER, PayerClaimState.A_CORRIGER)


@dataclass
class SplitLine:
    position: int
    designation: str
    ttc: Decimal
    shares: list = field(default_factory=list)  # (PayerShare, computed TTC)
    customer: Decimal = ZERO


@dataclass
class SplitView:
    split: CaseSplit | None
    lines: list[SplitLine]
    problem: str = ""  # why the split cannot be computed any more (French)

    @property
    def customer_total(self) -> Decimal:
        return sum((line.customer for line in self.lines), ZERO)

    @property
    def payers_total(self) -> Decimal:
        return sum((line.ttc - line.customer for line in self.lines), ZERO)


def split_view(case, draft_lines: list) -> SplitView:
    """Each invoice line with the payers' shares (after the excess) and what the customer pays."""
    split = CaseSplit.objects.filter(case=case).select_related("excess_payer").first()
    lines = [SplitLine(i, line.designation, line_ttc(line)) for i, line in enumerate(draft_lines, start=1)]
    for line in lines:
        line.customer = line.ttc
    if split is None:
        return SplitView(None, lines)
    shares = list(split.shares.select_related("payer").order_by("position", "pk"))
    try:
        amounts = compute(draft_lines, shares, excess=split.excess, excess_payer_id=split.excess_payer_id)
    except AtelierError as error:
        return SplitView(split, lines, problem=str(error.message))
    for item in amounts:
        lines[item.share.position - 1].shares.append((item.share, item.ttc))
    for line, rest in zip(lines, customer_rest(draft_lines, amounts), strict=True):
        line.customer = rest
    return SplitView(split, lines)


_RELATED = ("site", "case", "case__appliance", "case__customer", "payer", "invoice")


def payer_claim_get(*, user, pk) -> PayerClaim:
    return visible_or_404(PayerClaim.objects.select_related(*_RELATED), user, pk=pk)


@dataclass(frozen=True)
class AgeingRow:
    claim: PayerClaim
    days_since_sent: int | None
    overdue: bool  # not filed yet and past its filing deadline
    days_left: int | None


def payer_claims_ageing(
    *, user, today: datetime.date, payer: str = "", state: str = "", site: str = ""
) -> list:
    """The open payer claims (not paid, not refused) of the user's sites, by payer then oldest sent first:
    days since sent, days left before the filing deadline, overdue when not filed in time."""
    qs: QuerySet[PayerClaim] = PayerClaim.objects.visible_to(user).select_related(*_RELATED)
    if state:
        qs = qs.filter(state=state) if state in PayerClaimState.values else qs.none()
    else:
        qs = qs.filter(state__in=OPEN_STATES)
    if (payer_id := as_id(payer)) is not None:
        qs = qs.filter(payer_id=payer_id)
    if (site_id := as_id(site)) is not None:
        qs = qs.filter(site_id=site_id)
    rows = []
    for claim in qs.order_by("payer__name", "sent_at", "created_at", "pk")[:500]:
        sent = (today - claim.sent_at.date()).days if claim.sent_at else None
        left = (claim.deadline - today).days if claim.deadline else None
        overdue = claim.state in NOT_FILED and left is not None and left < 0
        rows.append(AgeingRow(claim, sent, overdue, left))
    return rows


def payers_with_deadlines(today: datetime.date) -> list[tuple[Payer, PayerDeadline | None]]:
    payers = Payer.objects.prefetch_related("deadlines").order_by("name")
    return [(payer, payer.deadline_on(today)) for payer in payers]
