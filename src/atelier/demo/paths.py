"""The road each demo dossier takes through the workflow to reach its target state, and who takes each step.

Paths are checked against workflow.TRANSITIONS as they are built, so a change of the state machine that
breaks the demo fails at once, with the name of the step, instead of half-way through a database load.
"""

from atelier.repairs.choices import CaseStatus as S
from atelier.repairs.choices import WorkLocation
from atelier.repairs.workflow import BY_NAME

QUOTE = ["prediagnose", "send_quote", "accept_quote"]
FINISH = ["mark_repaired", "commission", "hand_back", "close"]


def repaired_path(location: str, parts: bool, rng) -> list[str]:
    """Intake to closure of a repair that succeeds, with or without waiting for a part.

    At home, a visit that finds a missing part plans the return visit once the part is in; in the workshop
    the part is found missing either at the bench inspection or once the appliance is opened.
    """
    if location == WorkLocation.DOMICILE:
        middle = ["plan_visit", *(["wait_for_parts", "plan_visit"] if parts else []), "start_repair"]
    elif parts:
        middle = [
            "receive_in_workshop",
            *rng.choice(
                (["wait_for_parts", "start_repair"], ["start_repair", "wait_for_parts", "start_repair"])
            ),
        ]
    else:
        middle = ["receive_in_workshop", "start_repair"]
    return QUOTE + middle + FINISH


def statuses(path: list[str], location: str) -> list[str]:
    """The state after each step, checking every step is allowed from the state before it."""
    status, after = S.RECU, []
    for name in path:
        step = BY_NAME[name]
        if status not in step.sources or (step.location and step.location != location):
            raise ValueError(
                f"Parcours de démonstration invalide : « {name} » depuis « {status} » ({location})."
            )
        status = step.target
        after.append(status)
    return after


def _cut(path: list[str], location: str, target: str) -> list[str]:
    """The path up to the last step that reaches the target state."""
    reached = statuses(path, location)
    last = max(i for i, status in enumerate(reached) if status == target)
    return path[: last + 1]


def _ending(path: list[str], location: str, name: str, rng) -> list[str]:
    """A prefix of the path from which the step `name` may be taken, followed by that step."""
    sources = BY_NAME[name].sources
    reached = [S.RECU, *statuses(path, location)]
    cuts = [i for i, status in enumerate(reached) if status in sources]
    return path[: rng.choice(cuts)] + [name]


def path_to(target: str, location: str, rng) -> list[str]:
    """A consistent list of steps from intake to the target state, for a dossier worked at `location`."""
    full = repaired_path(location, parts=target == S.ATTENTE_PIECES or rng.random() < 0.3, rng=rng)
    if target == S.RECU:
        path = []
    elif target == S.REFUSE:
        path = ["prediagnose", "send_quote", "refuse_quote"]
    elif target == S.NON_REPARABLE:
        path = _ending(full, location, "declare_unrepairable", rng)
    elif target == S.ANNULE:
        path = _ending(full, location, "cancel", rng)
    elif target in (S.RENDU, S.CLOTURE) and location == WorkLocation.ATELIER and rng.random() < 0.25:
        # The appliance goes back unrepaired: quote refused, or nothing to be done.
        if rng.random() < 0.5:
            path = ["prediagnose", "send_quote", "refuse_quote", "hand_back"]
        else:
            path = _ending(full, location, "declare_unrepairable", rng) + ["hand_back"]
        if target == S.CLOTURE:
            path.append("close")
    else:
        path = _cut(full, location, target)
    reached = statuses(path, location)
    if (reached[-1] if reached else S.RECU) != target:
        raise ValueError(f"Le parcours de démonstration n'atteint pas « {target} ».")
    return path


# Who takes each step, by site: the counter, the technicians, the manager, the storekeeper.
STAFF = {
    "PAR1": {
        "accueil": ("accueil",),
        "tech": ("technicien", "technicien2"),
        "resp": "responsable",
        "mag": "magasinier",
        "closer": "responsable",
    },
    "LYO1": {
        "accueil": ("accueil.lyon",),
        "tech": ("technicien.lyon",),
        "resp": None,
        "mag": None,
        "closer": "accueil.lyon",
    },
}


def actor_for(name: str, site_code: str, location: str, technician: str, rng) -> str:
    """The user who takes a step: someone whose role workflow.TRANSITIONS allows, as in a real shop."""
    staff = STAFF[site_code]
    desk = rng.choice(staff["accueil"])
    manager = staff["resp"] if staff["resp"] and rng.random() < 0.2 else None
    if name == "prediagnose":
        return technician if location == WorkLocation.ATELIER and rng.random() < 0.5 else desk
    if name in ("send_quote", "accept_quote", "refuse_quote", "plan_visit"):
        return manager or desk
    if name == "wait_for_parts":
        return staff["mag"] if staff["mag"] and rng.random() < 0.3 else technician
    if name in ("receive_in_workshop", "start_repair", "mark_repaired", "commission"):
        return technician
    if name == "declare_unrepairable":
        return manager or technician
    if name == "hand_back":
        return technician if location == WorkLocation.DOMICILE else desk
    if name == "close":
        return staff["closer"]
    return desk  # cancel
