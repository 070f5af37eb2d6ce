"""The main menu, defined once: each entry's label, URL name, the step that opens it (core.access) and its key
in the page's `nav` (to mark the current entry). base.html renders `menu_for(user)`; an entry whose step the
user may not perform on any of their sites is not shown, so the menu never leads to a 403 page."""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from atelier.core.access import may


@dataclass(frozen=True)
class MenuEntry:
    label: str
    url_name: str
    step: str | None  # None: every signed-in user
    nav: str


MENU: tuple[MenuEntry, ...] = (
    MenuEntry(pgettext_lazy("page", "Accueil"), "home", None, "home"),  # the home page, not the role
    MenuEntry(_("Clients"), "customers:list", "customers.view", "customers"),
    MenuEntry(_("Dossiers"), "repairs:list", None, "repairs"),
    MenuEntry(_("Base technique"), "knowledge:index", "knowledge.view", "knowledge"),
    MenuEntry(_("File d'attente"), "reception:queue", "reception.queue", "reception"),
    MenuEntry(_("Ma journée"), "planning:my_day", "planning.my_day", "my_day"),
    MenuEntry(_("Planning"), "planning:day", "planning.view", "planning"),
    MenuEntry(_("Stock"), "stock:index", "stock.view", "stock"),
    MenuEntry(_("Seconde vie"), "refurbishment:index", "refurbishment.view", "refurbishment"),
    MenuEntry(_("Outillage"), "fieldwork:tools", "fieldwork.tools", "tools"),
    MenuEntry(_("Prêts"), "loans:pool", "loans.manage", "loans"),
    MenuEntry(_("Réclamations"), "aftersales:claims", "aftersales.view", "aftersales"),
    MenuEntry(_("Litiges"), "disputes:list", "disputes.view", "disputes"),
    MenuEntry(_("Certification"), "certification:index", "certification.judge", "certification"),
    MenuEntry(_("Amélioration"), "improvement:index", "improvement.view", "improvement"),
    MenuEntry(_("Facturation"), "billing:accounting", "billing.read", "billing"),
    MenuEntry(_("Indicateurs"), "indicators:dashboard", "indicators.view", "indicators"),
    MenuEntry(_("Droits"), "permissions", "core.permissions", "permissions"),
    MenuEntry(_("Tâches planifiées"), "operations:overview", "operations.view", "operations"),
)


def menu_for(user) -> list[dict]:
    """The entries this user may open, with their URL."""
    if not getattr(user, "is_authenticated", False):
        return []
    return [
        {"label": e.label, "url": reverse(e.url_name), "nav": e.nav}
        for e in MENU
        if e.step is None or may(user, e.step)
    ]
