"""Writes of the improvement actions (PDCA): propose (any role), decide / verify / abandon (the SAV manager),
start and finish (whoever carries it out), measure the effect's indicator before and after.

Each move is allowed only from the statuses listed in MOVES, checked against the site's permission matrix, and
writes a line of the action's history in the same transaction."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from atelier.core.access import require_step
from atelier.core.errors import AtelierError, TransitionRefused
from atelier.core.locking import lock
from atelier.core.permissions import require_site
from atelier.improvement import indicators
from atelier.improvement.choices import ActionStatus as S
from atelier.improvement.models import ActionEvent, ImprovementAction


@dataclass(frozen=True)
class Move:
    name: str
    label: Any  # a lazy French string
    sources: tuple[str, ...]
    target: str
    step: str


MOVES = {
    m.name: m
    for m in (
        Move("decide", gettext_lazy("Décider l'action"), (S.PROPOSEE,), S.DECIDEE, "improvement.decide"),
        Move("start", gettext_lazy("Commencer"), (S.DECIDEE,), S.EN_COURS, "improvement.work"),
        Move("finish", gettext_lazy("Dire l'action faite"), (S.EN_COURS,), S.FAITE, "improvement.work"),
        Move("verify", gettext_lazy("Vérifier l'effet"), (S.FAITE,), S.VERIFIEE, "improvement.decide"),
        Move(
            "abandon",
            gettext_lazy("Abandonner"),
            (S.PROPOSEE, S.DECIDEE, S.EN_COURS, S.FAITE),
            S.ABANDONNEE,
            "improvement.decide",
        ),
    )
}


def moves_for(action: ImprovementAction) -> list[Move]:
    return [m for m in MOVES.values() if action.status in m.sources]


def _event(action, actor, label, note="", from_status="", at=None) -> None:
    ActionEvent.objects.create(
        action=action,
        actor=actor,
        at=at or timezone.now(),
        from_status=from_status,
        to_status=action.status if from_status else "",
        label=label,
        note=note,
    )


def _check_links(site, objects) -> None:
    """Every linked dossier, claim, complaint or dispute is of the action's site."""
    for obj in objects:
        if obj.site_id != site.pk:
            raise AtelierError(_("« %(obj)s » n'est pas un objet de ce site.") % {"obj": obj})


@transaction.atomic
def action_propose(
    *,
    actor,
    site,
    title: str,
    problem: str = "",
    cause: str = "",
    action: str = "",
    problem_indicator: str = "",
    effect_indicator: str = "",
    effect_family: str = "",
    effect_brand: str = "",
    cases=(),
    claims=(),
    complaints=(),
    disputes=(),
    at=None,
) -> ImprovementAction:
    """Any role proposes an action on one of their sites; it waits for the manager's decision."""
    require_site(actor, site)
    require_step(actor, "improvement.propose", site=site)
    at = at or timezone.now()
    links = {
        "cases": list(cases),
        "claims": list(claims),
        "complaints": list(complaints),
        "disputes": list(disputes),
    }
    for objects in links.values():
        _check_links(site, objects)
    item = ImprovementAction(
        site=site,
        title=title.strip(),
        problem=problem.strip(),
        cause=cause.strip(),
        action=action.strip(),
        problem_indicator=problem_indicator,
        effect_indicator=effect_indicator,
        effect_family=effect_family,
        effect_brand=effect_brand.strip(),
        proposed_by=actor,
        proposed_at=at,
        status_changed_at=at,
    )
    item.full_clean()
    item.save()
    for name, objects in links.items():
        getattr(item, name).set(objects)
    _event(item, actor, _("Action proposée"), at=at)
    return item


@transaction.atomic
def action_move(
    *,
    action: ImprovementAction,
    actor,
    move: str,
    note: str = "",
    plan: str = "",
    owner=None,
    due_on: datetime.date | None = None,
    at=None,
) -> ImprovementAction:
    """Take one move of MOVES. Deciding needs the action written, its owner (a user of the site) and its due date;
    verifying needs the indicator measured before and after; abandoning needs the reason."""
    step = MOVES.get(move)
    if step is None:
        raise AtelierError(_("Étape inconnue : %(m)s.") % {"m": move})
    require_step(actor, step.step, site=action.site)
    fresh = lock(action)
    if fresh.status not in step.sources:
        raise TransitionRefused(
            _("« %(step)s » n'est pas possible : l'action est « %(status)s ».")
            % {"step": step.label, "status": fresh.get_status_display()}
        )
    at = at or timezone.now()
    if move == "decide":
        plan = (plan or fresh.action).strip()
        if not plan:
            raise AtelierError(_("Écrivez l'action décidée."), field="plan")
        if owner is None:
            raise AtelierError(_("Choisissez qui mène l'action."), field="owner")
        if not owner.is_active or not owner.sites.filter(pk=fresh.site_id).exists():
            raise AtelierError(_("Cette personne ne travaille pas sur le site de l'action."), field="owner")
        if due_on is None:
            raise AtelierError(_("Fixez l'échéance de l'action."), field="due_on")
        if due_on < timezone.localdate(at):
            raise AtelierError(_("L'échéance ne peut pas être déjà passée."), field="due_on")
        fresh.action, fresh.owner, fresh.due_on = plan, owner, due_on
        fresh.decided_by, fresh.decided_at = actor, at
    if move == "verify" and (fresh.before_value is None or fresh.after_value is None):
        raise TransitionRefused(_("Mesurez l'indicateur avant et après l'action avant de la dire vérifiée."))
    if move == "abandon" and not note.strip():
        raise AtelierError(_("Dites pourquoi l'action est abandonnée."), field="note")
    previous = fresh.status
    fresh.status = step.target
    fresh.status_changed_at = at
    fresh.full_clean()
    fresh.save()
    _event(fresh, actor, str(step.label), note.strip(), from_status=previous, at=at)
    return fresh


@transaction.atomic
def action_measure(
    *,
    action: ImprovementAction,
    actor,
    which: str,
    start: datetime.date,
    end: datetime.date,
    today: datetime.date | None = None,
) -> ImprovementAction:
    """Compute the effect's indicator on a period and keep the figure with its period: « before » (the period
    before the action) or « after » (once under way or done, a period starting after the « before » one)."""
    require_step(actor, "improvement.work", site=action.site)
    fresh = lock(action)
    today = today or timezone.localdate()
    if not fresh.effect_indicator:
        raise AtelierError(_("Choisissez d'abord l'indicateur qui montrera l'effet de l'action."))
    if which not in ("before", "after"):
        raise AtelierError(_("Mesure inconnue : avant ou après."))
    if start > end:
        raise AtelierError(
            _("La période est inversée : la date de début est après la date de fin."), field="start"
        )
    if end > today:
        raise AtelierError(_("La période ne peut pas finir après aujourd'hui."), field="end")
    if fresh.status in (S.VERIFIEE, S.ABANDONNEE):
        raise TransitionRefused(
            _("L'action est « %(s)s » : ses mesures sont figées.") % {"s": fresh.get_status_display()}
        )
    if which == "after":
        if fresh.status not in (S.EN_COURS, S.FAITE):
            raise TransitionRefused(_("La mesure « après » se prend une fois l'action commencée."))
        if fresh.before_to is None:
            raise TransitionRefused(_("Mesurez d'abord l'indicateur avant l'action."))
        if start <= fresh.before_to:
            raise AtelierError(
                _("La période « après » doit commencer après la période « avant » (finie le %(d)s).")
                % {"d": fresh.before_to.strftime("%d/%m/%Y")},
                field="start",
            )
    value = indicators.measure(
        fresh.effect_indicator,
        site=fresh.site,
        start=start,
        end=end,
        family=fresh.effect_family,
        brand=fresh.effect_brand,
    )
    if value is None:
        raise AtelierError(
            _("Aucune donnée pour cet indicateur du %(a)s au %(b)s : choisissez une autre période.")
            % {"a": start.strftime("%d/%m/%Y"), "b": end.strftime("%d/%m/%Y")}
        )
    setattr(fresh, f"{which}_from", start)
    setattr(fresh, f"{which}_to", end)
    setattr(fresh, f"{which}_value", value)
    fresh.full_clean()
    fresh.save()
    label = _("Mesure avant") if which == "before" else _("Mesure après")
    _event(
        fresh,
        actor,
        label,
        _("%(ind)s du %(a)s au %(b)s : %(v)s")
        % {
            "ind": fresh.get_effect_indicator_display(),
            "a": start.strftime("%d/%m/%Y"),
            "b": end.strftime("%d/%m/%Y"),
            "v": str(value).replace(".", ","),
        },
    )
    return fresh
