"""Tools and their checks (C1.3): registry, holder, checks and calibrations, quarantine, incidents, the tool
kinds a repair order needs."""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from atelier.core.access import require_step
from atelier.core.choices import Role
from atelier.core.errors import AtelierError
from atelier.core.locking import lock, lock_rows
from atelier.core.models import Site, User
from atelier.core.permissions import require_role, require_site
from atelier.fieldwork.choices import (
    CheckResult,
    IncidentKind,
    MaintenanceKind,
    ToolStatus,
)
from atelier.fieldwork.models import (
    RequiredToolKind,
    Tool,
    ToolCheck,
    ToolIncident,
    ToolKind,
    ToolMaintenance,
)
from atelier.fieldwork.services.common import MAG, RESP, TECH, _today
from atelier.quotes.models import RepairOrder
from atelier.repairs.choices import CaseStatus


def _check_holder(holder: User | None, site: Site) -> None:
    if holder is None:
        return
    if not holder.has_role(TECH) or not holder.sites.filter(pk=site.pk).exists():
        raise AtelierError(
            _("%(who)s n'est pas technicien du site %(site)s.") % {"who": holder, "site": site.code},
            field="holder",
        )


def _next_check(kind: ToolKind, checked_on: datetime.date | None) -> datetime.date | None:
    if checked_on is None or not kind.check_interval_days:
        return None
    return checked_on + datetime.timedelta(days=kind.check_interval_days)


@transaction.atomic
def tool_register(
    *,
    actor: User,
    site: Site,
    kind: ToolKind,
    serial: str,
    label: str = "",
    holder: User | None = None,
    is_checked: bool = True,
    last_checked_on: datetime.date | None = None,
) -> Tool:
    """Add a tool to a site's registry (responsable or magasinier)."""
    require_role(actor, RESP, MAG)
    require_site(actor, site)
    serial = (serial or "").strip()
    if not serial:
        raise AtelierError(_("Saisissez le numéro de série de l'outil."), field="serial")
    if is_checked and not kind.has_check_procedure:
        raise AtelierError(
            _(
                "Le type « %(kind)s » n'a pas de procédure de vérification ou de périodicité : un outil de ce "
                "type ne peut pas être enregistré comme vérifiable. Complétez d'abord le type d'outil, ou "
                "décochez « vérifiable »."
            )
            % {"kind": kind.name},
            field="is_checked",
        )
    if last_checked_on and last_checked_on > timezone.localdate():
        raise AtelierError(
            _("La date du dernier contrôle ne peut pas être dans le futur."), field="last_checked_on"
        )
    _check_holder(holder, site)
    if Tool.objects.filter(site=site, kind=kind, serial=serial).exists():
        raise AtelierError(
            _("Un outil « %(kind)s » n° %(serial)s est déjà enregistré sur ce site.")
            % {"kind": kind.name, "serial": serial},
            field="serial",
        )
    return Tool.objects.create(
        site=site,
        kind=kind,
        serial=serial,
        label=(label or "").strip(),
        holder=holder,
        is_checked=is_checked,
        last_checked_on=last_checked_on if is_checked else None,
        next_check_on=_next_check(kind, last_checked_on) if is_checked else None,
    )


def _tool_of_my_site(tool: Tool, actor: User) -> Tool:
    """The tool re-read under its row lock, refused when it is not of the actor's sites."""
    fresh = lock(tool, related=("kind", "site", "holder"))
    require_site(actor, fresh.site)
    return fresh


@transaction.atomic
def tool_assign(*, actor: User, tool: Tool, holder: User | None) -> Tool:
    """Give a tool to a technician, or put it back in the workshop (holder None)."""
    require_role(actor, RESP, MAG)
    fresh = _tool_of_my_site(tool, actor)
    if fresh.status == ToolStatus.REFORME:
        raise AtelierError(_("Cet outil est réformé : il ne peut plus être attribué."))
    _check_holder(holder, fresh.site)
    fresh.holder = holder
    fresh.save(update_fields=["holder"])
    return fresh


def _quarantine(tool: Tool, *, kind: str, description: str, actor: User | None, at) -> ToolIncident:
    """Isolate a tool and log why; the holder and the responsable see it on their home page."""
    if tool.status != ToolStatus.REFORME:
        tool.status = ToolStatus.QUARANTAINE
        tool.quarantine_reason = description[:255]
        tool.quarantined_at = at
        tool.save(update_fields=["status", "quarantine_reason", "quarantined_at"])
    return ToolIncident.objects.create(
        tool=tool, kind=kind, description=description, reported_by=actor, reported_at=at
    )


@transaction.atomic
def tool_check_record(
    *,
    actor: User,
    tool: Tool,
    checked_on: datetime.date,
    result: str,
    notes: str = "",
    at: datetime.datetime | None = None,
) -> ToolCheck:
    """Record a check or calibration. A failed one quarantines the tool; a passing one puts it back in service."""
    require_role(actor, TECH, RESP, MAG)
    at = at or timezone.now()
    fresh = _tool_of_my_site(tool, actor)
    notes = (notes or "").strip()
    if result not in CheckResult.values:
        raise AtelierError(_("Choisissez le résultat du contrôle."), field="result")
    if checked_on is None or checked_on > _today(at):
        raise AtelierError(_("La date du contrôle ne peut pas être dans le futur."), field="checked_on")
    if fresh.status == ToolStatus.REFORME:
        raise AtelierError(_("Cet outil est réformé : il n'est plus contrôlé."))
    if not fresh.kind.has_check_procedure:
        raise AtelierError(
            _("Le type « %(kind)s » n'a pas de procédure de vérification : complétez-le avant de contrôler.")
            % {"kind": fresh.kind.name}
        )
    if result == CheckResult.NON_CONFORME and not notes:
        raise AtelierError(_("Décrivez le défaut constaté."), field="notes")
    check = ToolCheck.objects.create(
        tool=fresh, checked_by=actor, checked_on=checked_on, result=result, notes=notes, recorded_at=at
    )
    if result == CheckResult.CONFORME:
        if fresh.last_checked_on is None or checked_on >= fresh.last_checked_on:
            fresh.last_checked_on = checked_on
            fresh.next_check_on = _next_check(fresh.kind, checked_on)
        fresh.is_checked = True
        if fresh.status == ToolStatus.QUARANTAINE and not fresh.is_overdue(_today(at)):
            fresh.status = ToolStatus.EN_SERVICE
            fresh.quarantine_reason = ""
            fresh.quarantined_at = None
        fresh.save()
    else:
        _quarantine(
            fresh,
            kind=IncidentKind.CHECK_FAILED,
            description=_("Contrôle du %(date)s non conforme : %(notes)s")
            % {"date": checked_on.strftime("%d/%m/%Y"), "notes": notes},
            actor=actor,
            at=at,
        )
    tool.refresh_from_db()
    return check


@transaction.atomic
def tool_maintenance_record(
    *,
    actor: User,
    tool: Tool,
    kind: str,
    done_on: datetime.date,
    work_done: str,
    next_due_on: datetime.date | None = None,
    at: datetime.datetime | None = None,
) -> ToolMaintenance:
    """Log a maintenance, cleaning or working check of a tool (C1.3). The next one is due on the date given,
    else after the kind's interval; the newest entry sets the tool's « prochain entretien »."""
    at = at or timezone.now()
    fresh = _tool_of_my_site(tool, actor)
    require_step(actor, "fieldwork.maintain_tool", site=fresh.site)
    work_done = (work_done or "").strip()
    if kind not in MaintenanceKind.values:
        raise AtelierError(
            _("Choisissez ce qui a été fait (entretien, nettoyage, vérification)."), field="kind"
        )
    if done_on is None or done_on > _today(at):
        raise AtelierError(_("La date de l'entretien ne peut pas être dans le futur."), field="done_on")
    if not work_done:
        raise AtelierError(_("Décrivez ce qui a été fait (produits, pièces, réglages)."), field="work_done")
    if fresh.status == ToolStatus.REFORME:
        raise AtelierError(_("Cet outil est réformé : il n'est plus entretenu."))
    if next_due_on is None and fresh.kind.maintenance_interval_days:
        next_due_on = done_on + datetime.timedelta(days=fresh.kind.maintenance_interval_days)
    if next_due_on is not None and next_due_on <= done_on:
        raise AtelierError(
            _("Le prochain entretien doit être après celui-ci (%(d)s).")
            % {"d": done_on.strftime("%d/%m/%Y")},
            field="next_due_on",
        )
    entry = ToolMaintenance.objects.create(
        tool=fresh,
        kind=kind,
        done_on=done_on,
        done_by=actor,
        work_done=work_done,
        next_due_on=next_due_on,
        recorded_at=at,
    )
    newest = fresh.maintenances.order_by("-done_on", "-pk").values_list("pk", flat=True).first()
    if newest == entry.pk:
        fresh.next_maintenance_on = next_due_on
        fresh.save(update_fields=["next_maintenance_on"])
    tool.refresh_from_db()
    return entry


@transaction.atomic
def tool_report_malfunction(*, actor: User, tool: Tool, description: str, at=None) -> ToolIncident:
    """A technician reports a tool that misbehaves: it is quarantined at once and the responsable is told."""
    require_role(actor, TECH, RESP, MAG)
    description = (description or "").strip()
    if not description:
        raise AtelierError(_("Décrivez le dysfonctionnement."), field="description")
    fresh = _tool_of_my_site(tool, actor)
    return _quarantine(
        fresh, kind=IncidentKind.MALFUNCTION, description=description, actor=actor, at=at or timezone.now()
    )


@transaction.atomic
def tool_retire(*, actor: User, tool: Tool) -> Tool:
    """Take a tool out of the registry for good (réformé); its records stay."""
    require_role(actor, RESP)
    fresh = _tool_of_my_site(tool, actor)
    fresh.status = ToolStatus.REFORME
    fresh.holder = None
    fresh.save(update_fields=["status", "holder"])
    return fresh


@transaction.atomic
def incident_acknowledge(*, actor: User, incident: ToolIncident, at=None) -> ToolIncident:
    require_role(actor, RESP)
    fresh = lock(incident, related=("tool__site",))
    require_site(actor, fresh.tool.site)
    if fresh.acknowledged_at is None:
        fresh.acknowledged_by = actor
        fresh.acknowledged_at = at or timezone.now()
        fresh.save(update_fields=["acknowledged_by", "acknowledged_at"])
    return fresh


@transaction.atomic
def quarantine_overdue(*, on: datetime.date | None = None, site_ids=None, at=None) -> int:
    """Quarantine every tool in service whose check is overdue on that date; returns how many.

    Run by `atelier fieldwork_sweep` (daily) and before the tool pages and the start of a repair are shown,
    so an overdue tool is isolated even if no one runs the command.
    """
    at = at or timezone.now()
    on = on or _today(at)
    qs = Tool.objects.filter(status=ToolStatus.EN_SERVICE, is_checked=True, next_check_on__lt=on)
    if site_ids is not None:
        qs = qs.filter(site__in=site_ids)
    count = 0
    for tool in lock_rows(qs, related=("kind",)):
        _quarantine(
            tool,
            kind=IncidentKind.OVERDUE,
            description=_("Contrôle échu le %(date)s (périodicité %(days)s jours) : outil isolé.")
            % {"date": tool.next_check_on.strftime("%d/%m/%Y"), "days": tool.kind.check_interval_days},
            actor=None,
            at=at,
        )
        count += 1
    return count


@transaction.atomic
def required_tools_set(*, actor: User, order: RepairOrder, kinds) -> list[RequiredToolKind]:
    """The tool kinds a repair order needs (replaces the previous list)."""
    require_role(actor, TECH, RESP, Role.ACCUEIL)
    order = RepairOrder.objects.select_related("case__site").get(pk=order.pk)
    require_site(actor, order.case.site)
    if order.case.status in (
        CaseStatus.EN_REPARATION,
        CaseStatus.REPARE,
        CaseStatus.PRET,
        CaseStatus.RENDU,
        CaseStatus.CLOTURE,
        CaseStatus.ANNULE,
    ):
        raise AtelierError(
            _("La réparation est commencée ou terminée : l'outillage requis n'est plus modifiable.")
        )
    wanted = {k.pk: k for k in kinds}
    RequiredToolKind.objects.filter(order=order).exclude(kind__in=wanted).delete()
    have = set(RequiredToolKind.objects.filter(order=order).values_list("kind_id", flat=True))
    for pk, kind in wanted.items():
        if pk not in have:
            RequiredToolKind.objects.create(order=order, kind=kind)
    return list(RequiredToolKind.objects.filter(order=order).select_related("kind"))
