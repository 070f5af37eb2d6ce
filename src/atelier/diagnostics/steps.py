"""Diagnostics steps in the permission matrix (core.access). Only the checks added since the registry exists
are here; the older role checks of this app are converted by the permission matrix work."""

from django.utils.translation import gettext_lazy as _

from atelier.core.access import Step
from atelier.core.choices import Role

STEPS = [
    Step(
        code="diagnostics.record_source",
        label=_("Noter une source consultée pour une panne non résolue"),
        group=_("Diagnostic"),
        roles=frozenset({Role.TECHNICIEN, Role.RESPONSABLE_SAV}),
    ),
]
