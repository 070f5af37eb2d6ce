from django.utils.translation import gettext_lazy as _

from atelier.core.access import Step
from atelier.core.choices import Role

GROUP = _("Procédures")
STEPS = [
    Step(
        code="procedures.manage",
        label=_("Rédiger et publier les procédures"),
        group=GROUP,
        roles=frozenset({Role.RESPONSABLE_SAV}),
    ),
    Step(
        code="procedures.follow",
        label=_("Suivre une procédure sur un dossier"),
        group=GROUP,
        roles=frozenset({Role.TECHNICIEN, Role.RESPONSABLE_SAV}),
    ),
]
