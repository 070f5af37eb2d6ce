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
PRESET_CUSTOM = "personnalise"  # the matrix was edited by hand after a preset
PRESET_CHOICES = [*PRESETS.items(), (PRESET_CUSTOM, _("Personnalisé"))]
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


def preset_matrix(preset: str) -> dict[str, frozenset[str]]:
    """Step code → roles under a preset (« personnalisé » starts from « réseau »)."""
    return {code: s.preset_roles(preset) for code, s in all_steps().items()}


def site_matrix_rows(user) -> dict[int, tuple[str, dict[str, frozenset[str]]]]:
    """The user's sites: site id → (preset, {step: roles} set by hand), read once per user object (request).

    One query: the visible sites with their hand-set steps (a LEFT JOIN); it also fills `visible_site_ids`."""
    if not hasattr(user, "_matrix_cache"):
        rows: dict[int, tuple[str, dict[str, frozenset[str]]]] = {}
        for pk, preset, code, roles in user.visible_sites().values_list(
            "pk", "permission_preset", "step_roles__step", "step_roles__roles"
        ):
            _, steps = rows.setdefault(pk, (preset, {}))
            if code is not None:
                steps[code] = frozenset(roles or ())
        user._matrix_cache = rows
        if not hasattr(user, "_site_ids_cache"):
            user._site_ids_cache = frozenset(rows)
    return user._matrix_cache


def _roles_on(code: str, preset: str, hand_set: dict[str, frozenset[str]]) -> frozenset[str]:
    if code in hand_set:
        return hand_set[code]
    return step(code).preset_roles(PRESET_RESEAU if preset == PRESET_CUSTOM else preset)


def site_matrix(site) -> dict[str, frozenset[str]]:
    """Every step's roles on a site: its preset overlaid with the steps set by hand (one query)."""
    from atelier.core.models import SiteStepRoles

    hand_set = {
        code: frozenset(roles)
        for code, roles in SiteStepRoles.objects.filter(site=site).values_list("step", "roles")
    }
    return {code: _roles_on(code, site.permission_preset, hand_set) for code in all_steps()}


def forget_matrix(user) -> None:
    """Drop the user's cached matrix (after a change of the matrix in the same request)."""
    for attr in ("_matrix_cache", "_site_ids_cache"):
        user.__dict__.pop(attr, None)


def allowed_roles(code: str, site=None) -> frozenset[str]:
    """Roles that may perform the step on the site: its matrix (rows set by hand over its preset); with no site,
    the « réseau » roles."""
    step(code)  # an unknown code is a programming error, whatever the site
    if site is None:
        return step(code).roles
    from atelier.core.models import SiteStepRoles

    preset = site.permission_preset
    row = SiteStepRoles.objects.filter(site=site, step=code).values_list("roles", flat=True).first()
    return _roles_on(code, preset, {} if row is None else {code: frozenset(row)})


def may(user, code: str, site=None) -> bool:
    """Whether the user may perform the step: on `site`, or on at least one of their sites when None.

    Read from the user's matrix (one query per request); a site the user does not see allows nothing, and the
    superuser flag is not a role."""
    if not getattr(user, "is_authenticated", False):
        return False
    step(code)
    roles = user.role_set
    if not roles:
        return False
    rows = site_matrix_rows(user)
    if site is not None:
        site_id = getattr(site, "pk", site)
        if site_id not in rows:
            return False
        preset, hand_set = rows[site_id]
        return bool(roles & _roles_on(code, preset, hand_set))
    return any(roles & _roles_on(code, preset, hand_set) for preset, hand_set in rows.values())


def sites_allowing(user, code: str) -> list[int]:
    """Ids of the user's sites where they may perform the step (to offer only those in a form)."""
    return [pk for pk in site_matrix_rows(user) if may(user, code, pk)]


def require_step(user, code: str, site=None) -> None:
    """Raise PermissionRefused (403, in French) unless `may`; another site's refusal says so."""
    if may(user, code, site):
        return
    refuse_other_site(user, site)
    raise PermissionRefused()


def refuse_other_site(user, site) -> None:
    """PermissionRefused saying so when `site` (object or id) is not one of the user's; nothing for None."""
    if site is not None and getattr(user, "is_authenticated", False):
        if getattr(site, "pk", site) not in user.visible_site_ids:
            raise PermissionRefused(_("Ce site ne fait pas partie des vôtres."))


def step_required(code: str):
    """View decorator: logged in and allowed the step on one of their sites, else 403."""

    def decorator(view):
        @login_required
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not may(request.user, code):
                raise PermissionDenied(PermissionRefused().message)
            # the page shows only the sites where the user may do its step (core.scoping reads it): a person on
            # two sites whose matrices differ does not read, on one page, the site that refuses them its step
            scoped = getattr(request.user, "_scoped_steps", ())
            request.user._scoped_steps = (*scoped, code)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
