"""Certification: the référentiel as versioned data (referentiel.py), then organisations, candidates, sessions and
juries (people.py), the draws of n°1 and n°2 (draws.py), the evaluation grids (grids.py), and the deliberation,
results, procès-verbal and certificates (results.py)."""

from atelier.certification.models.draws import Draw
from atelier.certification.models.evidence import CandidateAccount, EvidenceDossier, JuryQuestion, PartTiming
from atelier.certification.models.grids import Evaluation, JuryDecision, Mark
from atelier.certification.models.people import (
    Candidate,
    CertificationSession,
    Organisation,
    SessionJuror,
)
from atelier.certification.models.preparation import MockSession, RolePlayScenario, ScenarioKind
from atelier.certification.models.referentiel import (
    Activity,
    Bloc,
    Competence,
    Criterion,
    Epreuve,
    Referentiel,
)
from atelier.certification.models.results import (
    BlocDeliberation,
    Certificate,
    CertificateKind,
    ProcesVerbal,
    PvSignature,
    ResultKind,
    ResultRules,
    SessionResult,
)

__all__ = [
    "BlocDeliberation",
    "Certificate",
    "CertificateKind",
    "ProcesVerbal",
    "PvSignature",
    "ResultKind",
    "ResultRules",
    "SessionResult",
    "CandidateAccount",
    "EvidenceDossier",
    "JuryQuestion",
    "MockSession",
    "PartTiming",
    "RolePlayScenario",
    "ScenarioKind",
    "Activity",
    "Bloc",
    "Candidate",
    "CertificationSession",
    "Competence",
    "Criterion",
    "Draw",
    "Epreuve",
    "Evaluation",
    "JuryDecision",
    "Mark",
    "Organisation",
    "Referentiel",
    "SessionJuror",
]
