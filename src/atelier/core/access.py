"""Who may do what: steps × roles, per site, as data.

A *step* is one operation a screen or a service performs (« établir l'ordre de réparation », « encaisser »).
Each app declares its steps in `atelier/<app>/steps.py` as `STEPS = [Step(...), ...]`; `all_steps()` collects
them. Which roles may perform a step is a matrix per site, filled from a preset:

- « réseau » : the split of a chain (each step's `roles`);
- « petite équipe » : technicians also receive, quote, invoice and take payment (`roles` + `team_roles`),
  the référentiel's profile of one technician doing Bloc 1 and Bloc 2;
- « atelier d'une personne » : every role may do every step.

Services call `require_step(actor, "quotes.decide", site=case.site)`; views use `@step_required(...)`;
templates `user|may:"quotes.decide"`. Checking a step never opens another site: site isolation stays in
`core.scoping`, and a superuser flag is not a role.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from functools import cache, wraps

from django.apps import apps
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _

from atelier.core.choices import Role
from atelier.core.errors import PermissionRefused

PRESET_RESEAU = "reseau"
PRESET_EQUIPE = "petite_equipe"
PRESET_SEUL = "une_personne"
PRESETS = {
    PRESET_SEUL: _("Atelier d'une personne"),
    PRESET_EQUIPE: _("Petite équipe"),
    PRESET_RESEAU: _("Réseau"),
}
ALL_ROLES = frozenset(Role.values)


@dataclass(frozen=True)
class Step:
    code: str  # "<app>.<verb>", e.g. "quotes.decide"
    label: str  # French, shown on the matrix screen
    group: str  # heading of the matrix screen
    roles: frozenset[str]  # « réseau »
    team_roles: frozenset[str] = field(default_factory=frozenset)  # added for « petite équipe »

    def preset_roles(self, preset: str) -> frozenset[str]:
        if preset == PRESET_SEUL:
            return ALL_ROLES
        if preset == PRESET_EQUIPE:
            return self.roles | self.team_roles
        return self.roles


@cache
def all_steps() -> dict[str, Step]:
    """Every app's steps, by code (read once per process)."""
    steps: dict[str, Step] = {}
    for config in apps.get_app_configs():
        if not config.name.startswith("atelier."):
            continue
        try:
            module = importlib.import_module(f"{config.name}.steps")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.steps":
                raise
            continue
        for step in module.STEPS:
            if step.code in steps:
                raise ValueError(f"Step declared twice: {step.code}")
            steps[step.code] = step
    return steps


def step(code: str) -> Step:
    try:
        return all_steps()[code]
    except KeyError:
        raise KeyError(f"Unknown step: {code}") from None


def allowed_roles(code: str, site=None) -> frozenset[str]:
    """Roles that may perform the step on the site (the « réseau » preset until a site has its matrix)."""
    return step(code).preset_roles(PRESET_RESEAU)


def may(user, code: str, site=None) -> bool:
    """Whether the user may perform the step: on `site`, or on at least one of their sites when None."""
    if not getattr(user, "is_authenticated", False):
        return False
    return bool(user.role_set & allowed_roles(code, site))


def require_step(user, code: str, site=None) -> None:
    if not may(user, code, site):
        raise PermissionRefused()


def step_required(code: str):
    """View decorator: logged in and allowed the step on one of their sites, else 403."""

    def decorator(view):
        @login_required
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not may(request.user, code):
                raise PermissionDenied(PermissionRefused().message)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
