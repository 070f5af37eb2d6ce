"""A few indicators, computed on demand for one site and period, optionally one family or brand: what an
improvement action names to show its effect (measured before and after). Each definition is written here once
and shown on the pages (`DEFINITIONS`). A period is two dates, both included (local days).

None means « pas de donnée » (nothing to divide by), never 0."""

from __future__ import annotations

import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from atelier.improvement.choices import Indicator
from atelier.repairs.choices import CaseStatus

DEFINITIONS = {
    Indicator.TAUX_RETOUR: _(
        "Réclamations « retour SAV » (même panne dans la garantie de la réparation) ouvertes dans la période, "
        "pour 100 dossiers clôturés dans la période."
    ),
    Indicator.TAUX_NON_REPARABLE: _(
        "Dossiers clôturés dans la période qui ont été déclarés non réparables, pour 100 dossiers clôturés."
    ),
    Indicator.DELAI_MOYEN: _(
        "Jours entre la réception et la clôture, en moyenne, des dossiers clôturés dans la période."
    ),
    Indicator.NPS: _(
        "Part des réponses de 9 ou 10 moins part des réponses de 0 à 6 à « recommanderiez-vous… », réponses "
        "reçues dans la période (de −100 à +100)."
    ),
    Indicator.SATISFACTION: _(
        "Part des réponses de 4 ou 5 sur 5 à la question de satisfaction, reçues dans la période."
    ),
}
ONE_PLACE = Decimal("0.1")


def bounds(start: datetime.date, end: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    """[start 00:00, day after end 00:00) in local time."""
    tz = timezone.get_current_timezone()
    low = datetime.datetime.combine(start, datetime.time.min, tzinfo=tz)
    high = datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz)
    return low, high


def _rounded(value) -> Decimal:
    return Decimal(value).quantize(ONE_PLACE, rounding=ROUND_HALF_UP)


def _ratio(part: int, whole: int) -> Decimal | None:
    return _rounded(Decimal(100) * part / whole) if whole else None


def _scope(queryset, prefix: str, family: str, brand: str):
    if family:
        queryset = queryset.filter(**{f"{prefix}appliance__family": family})
    if brand:
        queryset = queryset.filter(**{f"{prefix}appliance__brand__iexact": brand})
    return queryset


def _closed_cases(site, start, end, family, brand):
    from atelier.repairs.models import RepairCase

    low, high = bounds(start, end)
    cases = RepairCase.objects.filter(
        site=site, status=CaseStatus.CLOTURE, closed_at__gte=low, closed_at__lt=high
    )
    return _scope(cases, "", family, brand)


def measure(code: str, *, site, start: datetime.date, end: datetime.date, family: str = "", brand: str = ""):
    """The indicator's value on the site over [start, end] (one decimal), or None when there is no data."""
    from atelier.aftersales.models import Claim
    from atelier.improvement.models import SurveyAnswer
    from atelier.repairs.models import CaseEvent

    low, high = bounds(start, end)
    if code == Indicator.TAUX_RETOUR:
        returns = _scope(
            Claim.objects.filter(site=site, repair_return=True, opened_at__gte=low, opened_at__lt=high),
            "",
            family,
            brand,
        ).count()
        return _ratio(returns, _closed_cases(site, start, end, family, brand).count())
    if code == Indicator.TAUX_NON_REPARABLE:
        cases = _closed_cases(site, start, end, family, brand)
        unrepairable = cases.filter(
            Exists(CaseEvent.objects.filter(case=OuterRef("pk"), to_status=CaseStatus.NON_REPARABLE))
        ).count()
        return _ratio(unrepairable, cases.count())
    if code == Indicator.DELAI_MOYEN:
        spans = [
            (closed - received).total_seconds()
            for received, closed in _closed_cases(site, start, end, family, brand).values_list(
                "received_at", "closed_at"
            )
        ]
        return _rounded(Decimal(sum(spans)) / 86400 / len(spans)) if spans else None
    answers = _scope(
        SurveyAnswer.objects.filter(site=site, answered_at__gte=low, answered_at__lt=high),
        "case__",
        family,
        brand,
    )
    if code == Indicator.NPS:
        scores = list(answers.values_list("recommendation", flat=True))
        if not scores:
            return None
        promoters = sum(1 for s in scores if s >= 9)
        detractors = sum(1 for s in scores if s <= 6)
        return _rounded(Decimal(100) * (promoters - detractors) / len(scores))
    if code == Indicator.SATISFACTION:
        scores = list(answers.values_list("satisfaction", flat=True))
        return _ratio(sum(1 for s in scores if s >= 4), len(scores))
    raise ValueError(f"Unknown indicator: {code}")
