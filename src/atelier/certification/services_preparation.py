"""Preparing candidates (issue 19, point 6): sessions « blanches », each candidate's progress per competence
(mock grids and real dossiers' evidence), role-play scenarios for n°4 and n°5 from anonymised closed dossiers."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from atelier.certification.anonymise import masker_for
from atelier.certification.evidence import evidence_counts, kind_labels, kinds_for
from atelier.certification.models import (
    Candidate,
    CertificationSession,
    Competence,
    MockSession,
    RolePlayScenario,
    ScenarioKind,
)
from atelier.core.access import require_step
from atelier.core.errors import AtelierError
from atelier.core.locking import lock_rows
from atelier.repairs.choices import CaseStatus
from atelier.repairs.models import RepairCase

# Each role-play: the épreuve it rehearses and the competences whose criteria are the expected points.
SCENARIOS: dict[str, tuple[int, list[str]]] = {
    ScenarioKind.ACCUEIL: (4, ["C2.1", "C2.2", "C2.4", "C2.5"]),
    ScenarioKind.RETOUR_GARANTIE: (5, ["C2.16"]),
    ScenarioKind.LITIGE: (5, ["C2.17"]),
}


@transaction.atomic
def session_mark_mock(*, actor, session: CertificationSession) -> MockSession:
    """Flag a session « blanche » before any grid is handed in; it stays so."""
    require_step(actor, "certification.manage", site=session.site)
    [session] = lock_rows(CertificationSession.objects.filter(pk=session.pk))
    if MockSession.objects.filter(session=session).exists():
        raise AtelierError(_("Cette session est déjà une session blanche."))
    if session.evaluations.exists():
        raise AtelierError(_("Des grilles sont déjà remises : la session ne peut plus devenir blanche."))
    return MockSession.objects.create(session=session, marked_by=actor, marked_at=timezone.now())


def progress(candidate: Candidate) -> list[dict]:
    """Per competence of the candidate's référentiel: the mock grids' criteria acquired (latest mock session where
    both grids are in), the candidate's real dossiers holding the evidence kinds of the competence, and a status:
    « acquis » (every criterion acquired in a mock épreuve), « en_cours » (some acquired, or evidence from real
    dossiers), « a_travailler » (judged, none acquired), « non_evalue »."""
    from atelier.certification import selectors
    from atelier.certification.services_evidence import candidate_cases

    competences = list(
        Competence.objects.filter(referentiel=candidate.referentiel)
        .prefetch_related("criteria")
        .order_by("position")
    )
    mock: dict[
        int, tuple[int, int, CertificationSession | None]
    ] = {}  # competence id → (acquired, judged, session)
    sessions = (
        CertificationSession.objects.filter(mock__isnull=False, candidates=candidate)
        .prefetch_related("epreuves")
        .order_by("starts_on", "pk")
    )
    for session in sessions:
        grids = selectors.grids(session, session.epreuves.all(), [candidate])
        for grid in grids.values():
            if not grid["complete"]:
                continue
            per: dict[int, list] = {}
            for row in grid["rows"]:
                per.setdefault(row["criterion"].competence_id, []).append(row["result"])
            for competence_id, results in per.items():
                mock[competence_id] = (results.count("acquis"), len(results), session)
    case_ids = list(candidate_cases(candidate).values_list("pk", flat=True))
    counts = evidence_counts(case_ids)
    labels = kind_labels()
    rows = []
    for competence in competences:
        acquired, judged, mock_session = mock.get(competence.pk, (0, 0, None))
        evidence = [(labels[k], counts.get(k, 0)) for k in kinds_for(competence.code)]
        with_evidence = any(n for _label, n in evidence)
        if judged and acquired == judged:
            status = "acquis"
        elif acquired or with_evidence:
            status = "en_cours"
        elif judged:
            status = "a_travailler"
        else:
            status = "non_evalue"
        rows.append(
            {
                "competence": competence,
                "mock_acquired": acquired,
                "mock_judged": judged,
                "mock_session": mock_session,
                "evidence": evidence,
                "status": status,
            }
        )
    return rows


PROGRESS_LABELS = {  # lazy: read per request, in the user's language
    "acquis": gettext_lazy("Acquis en épreuve blanche"),
    "en_cours": gettext_lazy("En cours"),
    "a_travailler": gettext_lazy("À travailler"),
    "non_evalue": gettext_lazy("Non évalué"),
}


def _scenario_text(kind: str, case: RepairCase) -> tuple[str, list[str]]:
    """The situation the trainer plays as the customer, and the points particular to this dossier."""
    from atelier.aftersales.models import Claim
    from atelier.diagnostics.selectors import diagnosis_of, prediagnosis_of

    m = masker_for(case)
    appliance = case.appliance
    what = f"{appliance.get_family_display()} {appliance.brand} {appliance.model_ref}".strip()
    pre, diagnosis = prediagnosis_of(case), diagnosis_of(case)
    claim = Claim.objects.filter(earlier_case=case).order_by("opened_at", "pk").first()
    lines = [_("Client A se présente avec son appareil : %(w)s.") % {"w": what}]
    points: list[str] = []
    if kind == ScenarioKind.ACCUEIL:
        lines.append(_("Ce que dit Client A : « %(s)s »") % {"s": case.customer_words})
        if pre is not None:
            points.append(_("Constats attendus au pré-diagnostic : %(f)s") % {"f": pre.findings})
        points.append(_("Faire signer la fiche de pré-diagnostic par Client A."))
    elif kind == ScenarioKind.RETOUR_GARANTIE:
        repaired = (
            diagnosis.conclusion if diagnosis is not None and diagnosis.conclusion else case.customer_words
        )
        lines.append(
            _("L'appareil a été réparé par l'atelier (clôturé le %(on)s) : %(r)s")
            % {"on": case.closed_at.strftime("%d/%m/%Y") if case.closed_at else "—", "r": repaired}
        )
        lines.append(
            _("Client A revient : « %(s)s »")
            % {"s": claim.description if claim is not None else _("La même panne est revenue.")}
        )
        points.append(_("Retrouver le dossier d'origine et vérifier la garantie de la réparation."))
    else:
        lines.append(_("Panne d'origine : « %(s)s »") % {"s": case.customer_words})
        lines.append(
            _("Client A conteste : « %(s)s »")
            % {
                "s": claim.description
                if claim is not None
                else _("Je ne paierai pas cette facture, la panne est revenue.")
            }
        )
        points.append(_("Rester calme, reformuler, proposer une solution écrite et en garder la trace."))
    return m.mask("\n".join(lines)), [m.mask(p) for p in points]


@transaction.atomic
def scenario_generate(*, actor, site, kind: str, case: RepairCase) -> RolePlayScenario:
    """Write a role-play from a closed dossier of the site; every personal data is replaced as it is written."""
    require_step(actor, "certification.manage", site=site)
    if kind not in SCENARIOS:
        raise AtelierError(_("Type de jeu de rôle inconnu."), field="kind")
    if case.site_id != site.pk:
        raise AtelierError(_("Ce dossier n'est pas de ce site."), field="case")
    if case.status != CaseStatus.CLOTURE:
        raise AtelierError(
            _("Le dossier %(n)s n'est pas clôturé : un jeu de rôle se tire d'un dossier clôturé.")
            % {"n": case.number},
            field="case",
        )
    number, codes = SCENARIOS[kind]
    text, own_points = _scenario_text(kind, case)
    from atelier.certification.selectors import referentiel_current

    referentiel = referentiel_current()
    expected = [{"competence": "", "point": p} for p in own_points]
    for competence in Competence.objects.filter(referentiel=referentiel, code__in=codes).prefetch_related(
        "criteria"
    ):
        expected += [{"competence": competence.code, "point": c.text} for c in competence.criteria.all()]
    return RolePlayScenario.objects.create(
        site=site,
        kind=kind,
        epreuve_number=number,
        title=_("%(k)s — d'après le dossier %(n)s") % {"k": ScenarioKind(kind).label, "n": case.number},
        text=text,
        expected_points=expected,
        source_case=case,
        created_by=actor,
        created_at=timezone.now(),
    )
