"""The dossier's state machine as data: which step goes from which states to which, and who may take it.

One table, read by the services (to refuse), the dossier page (to offer only the steps allowed now) and the
tests. Adding a state or a step later means adding a row here and its service in services.py.
Work on the dossier that does not move it (a note on the timeline, the technician in charge) is declared here
too, as a `Permission` with its roles, so the services, the page and the API read one rule.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from atelier.core.access import allowed_roles, may, refuse_other_site
from atelier.core.choices import Role
from atelier.core.errors import PermissionRefused, TransitionRefused
from atelier.repairs.choices import CaseStatus as S
from atelier.repairs.choices import WorkLocation

ACCUEIL, TECH, RESP, MAG = Role.ACCUEIL, Role.TECHNICIEN, Role.RESPONSABLE_SAV, Role.MAGASINIER


@dataclass(frozen=True)
class Transition:
    name: str
    label: str
    sources: frozenset[str]
    target: str
    roles: frozenset[str]
    note_label: str = ""
    note_required: bool = False
    location: str | None = None  # only for dossiers worked at this place
    needs_schedule: bool = False  # asks for a technician and a date
    tone: str = ""  # "danger" for steps that end the repair
    # Steps another app takes for the dossier (e.g. the quote's sending and signature): not offered on the
    # dossier page nor through the generic step URL / API, so no one moves the dossier without the document.
    driven_by: str = ""
    # Steps the customer may take alone through the public tracking link (accept or refuse the quote online):
    # the service then runs with actor=None, the unguessable link standing for role and site.
    customer_may: bool = False

    @property
    def step(self) -> str:
        """Its code in the permission matrix (core.access; declared in repairs/steps.py)."""
        return f"repairs.{self.name}"

    def allows_role(self, user, site=None) -> bool:
        """Whether the site's permission matrix lets the user take it (`roles` are the « réseau » preset)."""
        return may(user, self.step, site)


QUOTE = _("le devis (section « Réparabilité, solutions et devis » du dossier)")
STOCK_ENTRY = _("l'entrée de l'appareil dans le stock du magasin (Seconde vie, « Entrer un appareil »)")


def _t(name, label, sources, target, roles, **kw) -> Transition:
    return Transition(name, label, frozenset(sources), target, frozenset(roles), **kw)


TRANSITIONS: tuple[Transition, ...] = (
    _t(
        "prediagnose",
        _("Enregistrer le pré-diagnostic"),
        [S.RECU],
        S.PREDIAGNOSTIQUE,
        [ACCUEIL, TECH, RESP],
        note_label=_("Constats et premières pistes"),
        note_required=True,
    ),
    _t(
        "send_quote",
        _("Devis envoyé au client"),
        [S.PREDIAGNOSTIQUE],
        S.DEVIS_ENVOYE,
        [ACCUEIL, RESP],
        note_label=_("Montant et remarques"),
        driven_by=QUOTE,
    ),
    _t(
        "accept_quote",
        _("Devis accepté par le client"),
        [S.DEVIS_ENVOYE],
        S.ACCEPTE,
        [ACCUEIL, RESP],
        note_label=_("Remarques"),
        driven_by=QUOTE,
        customer_may=True,
    ),
    _t(
        "refuse_quote",
        _("Devis refusé par le client"),
        [S.DEVIS_ENVOYE],
        S.REFUSE,
        [ACCUEIL, RESP],
        note_label=_("Motif du refus"),
        note_required=True,
        tone="danger",
        driven_by=QUOTE,
        customer_may=True,
    ),
    _t(
        "plan_visit",
        _("Planifier l'intervention à domicile"),
        [S.ACCEPTE, S.ATTENTE_PIECES],
        S.PLANIFIE,
        [ACCUEIL, RESP],
        note_label=_("Consignes pour le technicien"),
        location=WorkLocation.DOMICILE,
        needs_schedule=True,
    ),
    _t(
        "receive_in_workshop",
        _("Prendre en charge en atelier"),
        [S.ACCEPTE],
        S.EN_ATELIER,
        [TECH, RESP],
        note_label=_("Remarques"),
        location=WorkLocation.ATELIER,
    ),
    _t(
        "wait_for_parts",
        _("Mettre en attente de pièces"),
        [S.ACCEPTE, S.PLANIFIE, S.EN_ATELIER, S.EN_REPARATION],
        S.ATTENTE_PIECES,
        [TECH, MAG, RESP],
        note_label=_("Pièces attendues"),
        note_required=True,
    ),
    _t(
        "start_repair",
        _("Commencer la réparation"),
        [S.PLANIFIE, S.EN_ATELIER, S.ATTENTE_PIECES],
        S.EN_REPARATION,
        [TECH, RESP],
        note_label=_("Remarques"),
    ),
    _t(
        "mark_repaired",
        _("Réparation terminée"),
        [S.EN_REPARATION],
        S.REPARE,
        [TECH, RESP],
        note_label=_("Travaux effectués"),
        note_required=True,
    ),
    _t(
        "commission",
        _("Mise en service / prêt à rendre"),
        [S.REPARE],
        S.PRET,
        [TECH, RESP],
        note_label=_("Tests de contrôle effectués"),
        note_required=True,
    ),
    _t(
        "hand_back",
        _("Appareil rendu au client"),
        [S.PRET, S.REFUSE, S.NON_REPARABLE],
        S.RENDU,
        [ACCUEIL, TECH, RESP],
        note_label=_("Remarques à la remise"),
    ),
    _t("close", _("Clôturer le dossier"), [S.RENDU], S.CLOTURE, [ACCUEIL, RESP], note_label=_("Bilan")),
    _t(
        "declare_unrepairable",
        _("Déclarer non réparable"),
        [S.PREDIAGNOSTIQUE, S.ACCEPTE, S.PLANIFIE, S.EN_ATELIER, S.ATTENTE_PIECES, S.EN_REPARATION],
        S.NON_REPARABLE,
        [TECH, RESP],
        note_label=_("Raison"),
        note_required=True,
        tone="danger",
    ),
    _t(
        "cancel",
        _("Annuler le dossier"),
        [S.RECU, S.PREDIAGNOSTIQUE, S.DEVIS_ENVOYE, S.ACCEPTE, S.PLANIFIE, S.EN_ATELIER, S.ATTENTE_PIECES],
        S.ANNULE,
        [ACCUEIL, RESP],
        note_label=_("Motif de l'annulation"),
        note_required=True,
        tone="danger",
    ),
    # Taken only by the second life's intake of the appliance (refurbishment.services.appliance_intake), once
    # the notice period after the letter has run out: the dossier ends « abandonné ».
    _t(
        "abandon",
        _("Appareil abandonné : entré dans le stock du magasin"),
        [S.REFUSE, S.REPARE, S.PRET, S.NON_REPARABLE],
        S.ABANDONNE,
        [TECH, MAG, RESP],
        note_label=_("Remarques"),
        tone="danger",
        driven_by=STOCK_ENTRY,
    ),
)

BY_NAME: dict[str, Transition] = {t.name: t for t in TRANSITIONS}


def applicable(case) -> list[Transition]:
    """Steps possible from the dossier's state and place of work, whoever asks."""
    return [
        t
        for t in TRANSITIONS
        if case.status in t.sources and (t.location is None or t.location == case.location)
    ]


def driven_reason(step: Transition) -> str:
    """Why a step is not taken from the dossier (only another app's document takes it), or ""."""
    if not step.driven_by:
        return ""
    return _("« %(step)s » se fait depuis %(by)s.") % {"step": step.label, "by": step.driven_by}


def check_not_driven(step: Transition) -> None:
    """Refuse, in French, a step that only another app's document may take (see Transition.driven_by)."""
    if reason := driven_reason(step):
        raise TransitionRefused(reason)


def allowed_for(case, user) -> list[Transition]:
    """Steps this user may take now from the dossier page (steps driven by another app's document excluded)."""
    return [t for t in applicable(case) if t.allows_role(user, case.site_id) and not t.driven_by]


def roles_label(roles) -> str:
    """« Accueil, Responsable SAV »: the roles of a step or permission, for a refusal."""
    return ", ".join(str(Role(r).label) for r in sorted(roles))


def check_role(step, user, site=None) -> None:
    """Refuse, in French (403), a step or permission the site's matrix does not allow the user's roles."""
    if not step.allows_role(user, site):
        refuse_other_site(user, site)
        raise PermissionRefused(
            _("« %(step)s » est réservé aux rôles : %(roles)s.")
            % {"step": step.label, "roles": roles_label(allowed_roles(step.step, site)) or "—"}
        )


@dataclass(frozen=True)
class Permission:
    """Work on a dossier that does not change its state, and the roles that may do it."""

    name: str
    label: str
    roles: frozenset[str]

    @property
    def step(self) -> str:
        return f"repairs.{self.name}"

    def allows_role(self, user, site=None) -> bool:
        return may(user, self.step, site)


# The roles that work on the dossier: those of its steps in the table above (accueil, technicien, magasinier,
# responsable SAV). The accountant and the trainer read dossiers but take no step, so they add no note.
WORKING_ROLES: frozenset[str] = frozenset().union(*(t.roles for t in TRANSITIONS))

OPEN = Permission("open", _("Ouvrir un dossier"), frozenset([ACCUEIL, TECH, RESP]))
ADD_NOTE = Permission("add_note", _("Ajouter une note"), WORKING_ROLES)
ASSIGN = Permission("assign", _("Affecter le technicien"), frozenset([ACCUEIL, RESP]))
PERMISSIONS: dict[str, Permission] = {p.name: p for p in (OPEN, ADD_NOTE, ASSIGN)}
