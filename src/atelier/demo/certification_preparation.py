"""Demo preparation of candidates (issue 19, point 6): three role-plays for épreuves n°4 and n°5 (reception and
pre-diagnosis, a return under warranty, a dispute) written from closed dossiers of Paris, anonymised as they are
written. Through the product's service; idempotent."""

from atelier.certification.models import RolePlayScenario
from atelier.certification.models.preparation import ScenarioKind
from atelier.certification.services_preparation import scenario_generate
from atelier.repairs.choices import CaseStatus
from atelier.repairs.models import RepairCase


def load(*, sites, users, rng) -> dict[str, int]:
    site = sites["PAR1"]
    if RolePlayScenario.objects.filter(site=site).exists():
        return {}
    closed = list(RepairCase.objects.filter(site=site, status=CaseStatus.CLOTURE).order_by("pk")[:3])
    made = 0
    for kind, case in zip(ScenarioKind.values, closed, strict=False):
        scenario_generate(actor=users["formateur"], site=site, kind=kind, case=case)
        made += 1
    return {"jeux de rôle de certification": made}
