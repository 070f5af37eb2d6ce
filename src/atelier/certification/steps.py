"""Steps of certification (see core.access and docs/permissions.md). The formateur manages organisations,
candidates and sessions; professionals sit in juries (a technician or a SAV manager as well as a formateur): a
juror who does not manage sees only the sessions they judge (selectors.session_list)."""

from django.utils.translation import gettext_lazy as _

from atelier.core.access import Step
from atelier.core.choices import Role

T, R, F = Role.TECHNICIEN, Role.RESPONSABLE_SAV, Role.FORMATEUR

G = _("Certification (CQP)")

STEPS = [
    Step("certification.view", _("Consulter le référentiel de certification"), G, frozenset({T, R, F})),
    Step(
        "certification.manage",
        _("Gérer les organismes, les candidats et les sessions de certification"),
        G,
        frozenset({F}),
    ),
    Step(
        "certification.judge",
        _("Siéger dans un jury : tirages au sort, grilles d'évaluation"),
        G,
        frozenset({T, R, F}),
    ),
]
