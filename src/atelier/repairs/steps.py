"""Steps of the dossier (see core.access): each step of the state machine (repairs/workflow.py) and each work
on the dossier that does not move it, with the roles of the table as the « réseau » preset."""

from django.utils.translation import gettext_lazy as _

from atelier.core.access import ALL_ROLES, Step
from atelier.core.choices import Role
from atelier.repairs import workflow

G = _("Dossier")
# « petite équipe »: the technician also records the customer's decision on the quote, assigns and closes
TEAM = {"send_quote", "accept_quote", "refuse_quote", "close", "assign", "cancel", "plan_visit"}

STEPS = [
    Step(
        item.step,
        item.label,
        G,
        item.roles,
        frozenset({Role.TECHNICIEN}) if item.name in TEAM else frozenset(),
    )
    for item in (*workflow.PERMISSIONS.values(), *workflow.TRANSITIONS)
] + [
    Step("repairs.view", _("Consulter les dossiers"), G, ALL_ROLES),
    Step(
        "repairs.supervise",
        _("Suivre l'activité du site (à planifier, à clôturer)"),
        G,
        frozenset({Role.RESPONSABLE_SAV}),
    ),
    Step(
        "repairs.case_studies", _("Étudier les dossiers clôturés (formation)"), G, frozenset({Role.FORMATEUR})
    ),
]
