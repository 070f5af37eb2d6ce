"""Recurring causes in the claims about our own repairs, offered as candidate improvement actions.

Over the claims of a site opened in the last WINDOW_DAYS that name the dossier they come back on, counted by
what they share: the same part fitted in that dossier, the same brand of appliance, the same confirmed cause of
the diagnosis, the same error code (learnt by the knowledge base at the closure), the same technician. A value
shared by MIN_CLAIMS claims or more is a candidate, most claims first; one already the title of an open action
says so instead of being proposed twice."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _

from atelier.improvement.choices import OPEN_ACTION_STATUSES

WINDOW_DAYS = 180  # half a year: long enough for a weak part to show, short enough to be today's problem
MIN_CLAIMS = 3  # two returns may be chance; three on the same part, brand or hand is a pattern to look at

PART, BRAND, CAUSE, FAULT_CODE, TECHNICIAN = "piece", "marque", "cause", "code_erreur", "technicien"


@dataclass
class Candidate:
    kind: str  # PART, BRAND, CAUSE or TECHNICIAN
    value: str  # what the claims share, as shown
    claim_ids: list[int] = field(default_factory=list)
    case_numbers: list[str] = field(default_factory=list)
    claim_numbers: list[str] = field(default_factory=list)
    existing_action_id: int | None = None

    @property
    def count(self) -> int:
        return len(self.claim_ids)

    @property
    def cases_param(self) -> str:
        return ",".join(self.case_numbers)

    @property
    def claims_param(self) -> str:
        return ",".join(self.claim_numbers)

    @property
    def kind_label(self) -> str:
        return {
            PART: _("Même pièce"),
            BRAND: _("Même marque"),
            CAUSE: _("Même cause"),
            FAULT_CODE: _("Même code erreur"),
            TECHNICIAN: _("Même technicien"),
        }[self.kind]

    @property
    def title(self) -> str:
        """The action's title when proposed from here."""
        return {
            PART: _("Retours après remplacement de la pièce %(v)s"),
            BRAND: _("Retours sur les appareils %(v)s"),
            CAUSE: _("Retours après la cause « %(v)s »"),
            FAULT_CODE: _("Retours après le code erreur %(v)s"),
            TECHNICIAN: _("Retours sur les réparations de %(v)s"),
        }[self.kind] % {"v": self.value}


def recurring_causes(*, site, today: datetime.date | None = None) -> list[Candidate]:
    """The candidates of one site (five queries whatever the number of claims)."""
    from atelier.aftersales.models import Claim
    from atelier.diagnostics.models import DiagnosisPart
    from atelier.improvement.models import ImprovementAction
    from atelier.knowledge.models import ConfirmedCause

    today = today or timezone.localdate()
    since = timezone.make_aware(
        datetime.datetime.combine(today - datetime.timedelta(days=WINDOW_DAYS), datetime.time.min)
    )
    claims = list(
        Claim.objects.filter(site=site, earlier_case__isnull=False, opened_at__gte=since)
        .select_related("appliance", "earlier_case__technician", "earlier_case__diagnosis__confirmed_cause")
        .order_by("pk")
    )
    groups: dict[tuple[str, str], Candidate] = {}

    def add(kind: str, value: str, claim) -> None:
        if not value:
            return
        key = (kind, value.casefold())
        candidate = groups.setdefault(key, Candidate(kind, value))
        if claim.pk not in candidate.claim_ids:
            candidate.claim_ids.append(claim.pk)
            candidate.claim_numbers.append(claim.number)
            if claim.earlier_case.number not in candidate.case_numbers:
                candidate.case_numbers.append(claim.earlier_case.number)

    parts_of: dict[int, list[str]] = defaultdict(list)
    for case_id, reference, designation in DiagnosisPart.objects.filter(
        diagnosis__case_id__in={c.earlier_case_id for c in claims}
    ).values_list("diagnosis__case_id", "part__reference", "part__designation"):
        parts_of[case_id].append(f"{reference} ({designation})")
    # the error code the dossier's closure taught the knowledge base (its `source` is the dossier's number)
    codes_of = dict(
        ConfirmedCause.objects.filter(source__in={c.earlier_case.number for c in claims if c.earlier_case})
        .exclude(error_code="")
        .values_list("source", "error_code")
    )
    for claim in claims:
        case = claim.earlier_case
        assert case is not None  # the query keeps only the claims that name their dossier
        add(BRAND, claim.appliance.brand.strip().upper(), claim)
        for part in parts_of.get(case.pk, []):
            add(PART, part, claim)
        diagnosis = getattr(case, "diagnosis", None)
        if diagnosis is not None and diagnosis.confirmed_cause is not None:
            add(CAUSE, diagnosis.confirmed_cause.title, claim)
        add(FAULT_CODE, codes_of.get(case.number, "").upper(), claim)
        if case.technician is not None:
            add(TECHNICIAN, case.technician.get_full_name() or case.technician.username, claim)
    candidates = [c for c in groups.values() if c.count >= MIN_CLAIMS]
    open_titles = dict(
        ImprovementAction.objects.filter(site=site, status__in=OPEN_ACTION_STATUSES).values_list(
            "title", "pk"
        )
    )
    for candidate in candidates:
        candidate.existing_action_id = open_titles.get(candidate.title)
    return sorted(candidates, key=lambda c: (-c.count, c.kind, c.value))
