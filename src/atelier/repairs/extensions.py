"""Plug-in points where other apps add to the dossier's screens without editing them.

An app registers in its AppConfig.ready():
    from atelier.repairs import extensions
    extensions.home_panels.append(my_panels)        # (user) -> list of panel dicts, see selectors.home_panels
    extensions.home_actions.append(my_actions)      # (user) -> list of action / figure dicts, see below
    extensions.detail_sections.append(my_section)    # (request, case) -> {"template": ..., **context} or None
    extensions.step_checks.append(my_check)          # (case, step_name) -> list of French reasons refusing it
    extensions.after_step.append(my_hook)            # (case, step_name, actor, at) -> None, same transaction
                                                     # (actor is None when the customer took the step online)

Panel dicts: {"key", "title", "cases" (list of RepairCase) or "links" (list of {"url", "text", "badge"}),
"count", "empty"}. They are shown collapsed under the « À faire maintenant » block and computed only when it is
unfolded (the home then asks for them: the view home_panels, /accueil/volets/), so a provider's queries do not
weigh on the home's first paint.

Action dicts (the home's « À faire maintenant », most urgent first, shown only when count > 0):
{"key", "label", "count", "url" (a filtered list), "urgency" (see URGENT … ROUTINE: lower comes first),
"amount" (optional text, e.g. « 1 240,00 € »)}. A provider may also return figures for the row of key figures:
{"figure": True, "key", "label", "value", "url" (optional), "order" (int)}.

Sections are rendered in order in the dossier page's main column, after « Paroles du client », each loaded by
its own request when it comes into view (repairs:section, under the dossier page's step and site scoping).
"""

from collections.abc import Callable
from contextlib import contextmanager
from contextvars import ContextVar

home_panels: list[Callable] = []
home_actions: list[Callable] = []
# Filters other apps add to the dossier list, by URL parameter (?late=1): (label, (queryset, user) -> queryset).
case_filters: dict[str, tuple[str, Callable]] = {}
# Urgency ranks of home actions: a safety or a promise already broken, today's work, answers awaited, routine.
URGENT, TODAY, WAITING, ROUTINE = 10, 20, 30, 40
detail_sections: list[Callable] = []
# Other apps' conditions on a step (e.g. « no closing while a loan is out », « no commissioning while the
# installation is not conform »): called under the dossier's row lock, before anything is written; any reason
# returned refuses the step with a 409 and the reasons listed.
step_checks: list[Callable] = []
# Work another app does when a step is taken (e.g. the knowledge base learns from a closed dossier): called in
# the step's transaction after the state is saved, so a failure there undoes the step too.
after_step: list[Callable] = []


def collect_home_panels(user) -> list[dict]:
    panels: list[dict] = []
    for provider in home_panels:
        panels.extend(provider(user))
    return panels


def collect_home_actions(user) -> tuple[list[dict], list[dict]]:
    """(actions with something to do, most urgent first; figures in their order), from every provider."""
    items = [item for provider in home_actions for item in provider(user)]
    actions = [i for i in items if not i.get("figure") and i["count"]]
    actions.sort(key=lambda i: (i["urgency"], -i["count"], i["key"]))
    figures = sorted((i for i in items if i.get("figure")), key=lambda i: (i["order"], i["key"]))
    return actions, figures


def per_request(user, key: str, compute: Callable):
    """A value computed once per request for this user (a home panel and a home action sharing a query):
    kept on the user object, which lives as long as the request."""
    memo = user.__dict__.setdefault("_atelier_memo", {})
    if key not in memo:
        memo[key] = compute()
    return memo[key]


def collect_detail_sections(request, case) -> list[dict]:
    return [section for provider in detail_sections if (section := provider(request, case))]


def section_key(provider: Callable) -> str:
    """The name of a provider's section in its URL: its app (« quotes », « billing »…)."""
    return provider.__module__.split(".")[1]


def detail_section_keys() -> list[str]:
    """The sections of the dossier page, in order: the page loads each when it comes into view (htmx), so
    its first paint reads only the dossier (issue 16: most of its 56 queries were other apps' sections)."""
    return [section_key(provider) for provider in detail_sections]


def detail_section(request, case, key: str) -> dict | None:
    """One section (None: nothing to show on this dossier); KeyError for an unknown key."""
    for provider in detail_sections:
        if section_key(provider) == key:
            return provider(request, case)
    raise KeyError(key)


# Set while recording steps that happened before Atelier checked them (the demo's backdated stories, an import
# from a former system): the other apps' conditions are then not asked; their after-step work still runs.
_recording_history: ContextVar[bool] = ContextVar("recording_history", default=False)


@contextmanager
def recording_history():
    token = _recording_history.set(True)
    try:
        yield
    finally:
        _recording_history.reset(token)


def step_refusals(case, step_name: str) -> list[str]:
    if _recording_history.get():
        return []
    return [str(reason) for check in step_checks for reason in check(case, step_name)]


def run_after_step(case, step_name: str, actor, at) -> None:
    for hook in after_step:
        hook(case, step_name, actor, at)
