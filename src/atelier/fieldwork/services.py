"""Fieldwork writes: tools and their checks, PPE checks, installation conformity, repair records, safety tests
and commissioning. Keyword-only arguments, validation before writing, row locks where two people can collide.
"""

import datetime
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from atelier.core.choices import Role
from atelier.core.errors import AtelierError
from atelier.core.models import Site, User
from atelier.core.permissions import require_role, require_site
from atelier.fieldwork.choices import (
    INSTALLATION_POINTS,
    MEASURE_IS_MAXIMUM,
    MEASURE_UNIT,
    PPE_ITEMS,
    AnomalyAction,
    CheckResult,
    IncidentKind,
    PointState,
    RepairLevel,
    ToolStatus,
)
from atelier.fieldwork.measures import parse_measure
from atelier.fieldwork.models import (
    Commissioning,
    InstallationCheck,
    PpeCheck,
    RepairRecord,
    RepairRecordPart,
    RequiredToolKind,
    SafetyTest,
    SiteRules,
    Tool,
    ToolCheck,
    ToolIncident,
    ToolKind,
)
from atelier.fieldwork.selectors import limits_in_force
from atelier.quotes.models import RepairOrder
from atelier.repairs import services as case_services
from atelier.repairs.choices import CaseStatus, WorkLocation
from atelier.repairs.models import RepairCase
from atelier.stock import services as stock_services
from atelier.stock.models import Part
from atelier.stock.selectors import consumed_on_case

TECH, RESP, MAG = Role.TECHNICIEN, Role.RESPONSABLE_SAV, Role.MAGASINIER
# States in which work on the appliance is being done or just done: records are accepted then.
WORK_STATES = (
    CaseStatus.PLANIFIE,
    CaseStatus.EN_ATELIER,
    CaseStatus.ATTENTE_PIECES,
    CaseStatus.EN_REPARATION,
    CaseStatus.REPARE,
)


def _today(at: datetime.datetime | None) -> datetime.date:
    return timezone.localdate(at) if at else timezone.localdate()


def _case_for_work(case: RepairCase, actor: User) -> RepairCase:
    require_role(actor, TECH, RESP)
    require_site(actor, case.site)
    if case.status not in WORK_STATES:
        raise AtelierError(
            _("Le dossier %(number)s est « %(status)s » : aucune intervention n'y est en cours.")
            % {"number": case.number, "status": case.get_status_display()}
        )
    return case


# --- Tools (C1.3) ---------------------------------------------------------------------------------------------


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


def _locked_tool(tool: Tool, actor: User) -> Tool:
    fresh = (
        Tool.objects.select_for_update(of=("self",)).select_related("kind", "site", "holder").get(pk=tool.pk)
    )
    require_site(actor, fresh.site)
    return fresh


@transaction.atomic
def tool_assign(*, actor: User, tool: Tool, holder: User | None) -> Tool:
    """Give a tool to a technician, or put it back in the workshop (holder None)."""
    require_role(actor, RESP, MAG)
    fresh = _locked_tool(tool, actor)
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
    fresh = _locked_tool(tool, actor)
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
def tool_report_malfunction(*, actor: User, tool: Tool, description: str, at=None) -> ToolIncident:
    """A technician reports a tool that misbehaves: it is quarantined at once and the responsable is told."""
    require_role(actor, TECH, RESP, MAG)
    description = (description or "").strip()
    if not description:
        raise AtelierError(_("Décrivez le dysfonctionnement."), field="description")
    fresh = _locked_tool(tool, actor)
    return _quarantine(
        fresh, kind=IncidentKind.MALFUNCTION, description=description, actor=actor, at=at or timezone.now()
    )


@transaction.atomic
def tool_retire(*, actor: User, tool: Tool) -> Tool:
    """Take a tool out of the registry for good (réformé); its records stay."""
    require_role(actor, RESP)
    fresh = _locked_tool(tool, actor)
    fresh.status = ToolStatus.REFORME
    fresh.holder = None
    fresh.save(update_fields=["status", "holder"])
    return fresh


@transaction.atomic
def incident_acknowledge(*, actor: User, incident: ToolIncident, at=None) -> ToolIncident:
    require_role(actor, RESP)
    fresh = ToolIncident.objects.select_for_update().select_related("tool__site").get(pk=incident.pk)
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
    qs = Tool.objects.select_for_update().filter(
        status=ToolStatus.EN_SERVICE, is_checked=True, next_check_on__lt=on
    )
    if site_ids is not None:
        qs = qs.filter(site__in=site_ids)
    count = 0
    for tool in qs.select_related("kind"):
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


@transaction.atomic
def site_rules_set(*, actor: User, site: Site, enforced: bool, at=None) -> SiteRules:
    require_role(actor, RESP)
    require_site(actor, site)
    rules, _created = SiteRules.objects.select_for_update().get_or_create(site=site)
    rules.enforced = enforced
    rules.changed_by = actor
    rules.changed_at = at or timezone.now()
    rules.save()
    return rules


# --- Before starting: PPE and tools (C1.10) -------------------------------------------------------------------


@transaction.atomic
def ppe_check_record(
    *,
    actor: User,
    site: Site,
    items: dict[str, bool],
    tools_ok: bool,
    notes: str = "",
    case: RepairCase | None = None,
    at: datetime.datetime | None = None,
) -> PpeCheck:
    """A technician's PPE and tool check for the day (case None) or for one intervention.

    Recorded even when something is missing (that is worth knowing), but only a complete check lets a repair
    start; what is missing must then be said.
    """
    require_role(actor, TECH, RESP)
    require_site(actor, site)
    if case is not None and case.site_id != site.pk:
        raise AtelierError(_("Ce dossier n'est pas de ce site."))
    at = at or timezone.now()
    notes = (notes or "").strip()
    unknown = set(items) - {code for code, _label in PPE_ITEMS}
    if unknown:
        raise AtelierError(_("Équipement inconnu : %(codes)s.") % {"codes": ", ".join(sorted(unknown))})
    clean = {code: bool(items.get(code)) for code, _label in PPE_ITEMS}
    complete = all(clean.values()) and bool(tools_ok)
    if not complete and not notes:
        raise AtelierError(
            _(
                "Un équipement manque ou les outils ne sont pas vérifiés : dites ce qui manque et ce que vous faites."
            ),
            field="notes",
        )
    return PpeCheck.objects.create(
        site=site,
        technician=actor,
        case=case,
        checked_on=_today(at),
        items=clean,
        tools_ok=bool(tools_ok),
        is_complete=complete,
        notes=notes,
        recorded_at=at,
    )


# --- Installation conformity (C1.11) --------------------------------------------------------------------------


@transaction.atomic
def installation_check_record(
    *,
    actor: User,
    case: RepairCase,
    points: dict[str, str],
    anomalies: str = "",
    action: str = "",
    at: datetime.datetime | None = None,
) -> InstallationCheck:
    """Each point conforme / non conforme / sans objet; a non-conform point needs its anomaly and what was done."""
    _case_for_work(case, actor)
    anomalies = (anomalies or "").strip()
    clean = {}
    for code, label in INSTALLATION_POINTS:
        state = points.get(code, "")
        if state not in PointState.values:
            raise AtelierError(_("Indiquez l'état du point « %(point)s ».") % {"point": label}, field=code)
        clean[code] = state
    unknown = set(points) - set(clean)
    if unknown:
        raise AtelierError(
            _("Point de contrôle inconnu : %(codes)s.") % {"codes": ", ".join(sorted(unknown))}
        )
    non_conform = [c for c, s in clean.items() if s == PointState.NON_CONFORME]
    if non_conform:
        if not anomalies:
            raise AtelierError(_("Décrivez les anomalies constatées."), field="anomalies")
        if action not in (AnomalyAction.CORRECTED, AnomalyAction.REPORTED):
            raise AtelierError(
                _("Dites si les anomalies ont été corrigées ou signalées au client."), field="action"
            )
    else:
        action = ""
    return InstallationCheck.objects.create(
        case=case,
        checked_by=actor,
        checked_at=at or timezone.now(),
        points=clean,
        anomalies=anomalies,
        action=action,
    )


# --- Repair record (C1.7–C1.9) --------------------------------------------------------------------------------


def _quantity(value) -> Decimal:
    try:
        quantity = Decimal(str(value).replace(",", "."))
    except (InvalidOperation, ValueError):
        raise AtelierError(_("« %(v)s » n'est pas une quantité.") % {"v": value}, field="parts") from None
    if not quantity.is_finite() or quantity <= 0 or quantity > 1000:
        raise AtelierError(_("La quantité d'une pièce doit être comprise entre 0 et 1000."), field="parts")
    return quantity


@transaction.atomic
def repair_record_create(
    *,
    actor: User,
    case: RepairCase,
    level: int,
    work_done: str,
    software_updated: bool = False,
    software_name: str = "",
    version_before: str = "",
    version_after: str = "",
    parts: list[dict] | None = None,
    at: datetime.datetime | None = None,
) -> RepairRecord:
    """What was done. parts: [{"reference", "designation", "quantity"}]; a reference of the catalogue is linked."""
    _case_for_work(case, actor)
    work_done = (work_done or "").strip()
    if not work_done:
        raise AtelierError(_("Décrivez les travaux effectués."), field="work_done")
    try:
        level = int(level)
    except (TypeError, ValueError):
        level = 0
    if level not in RepairLevel.values:
        raise AtelierError(_("Choisissez le niveau d'intervention (1 ou 2)."), field="level")
    version_before, version_after = (version_before or "").strip(), (version_after or "").strip()
    software_name = (software_name or "").strip()
    if software_updated:
        if not version_before or not version_after:
            raise AtelierError(
                _("Une mise à jour logicielle se note avec la version avant et la version après."),
                field="version_after",
            )
        if version_before == version_after:
            raise AtelierError(
                _("Les versions avant et après sont identiques : la mise à jour n'a pas été faite."),
                field="version_after",
            )
    else:
        software_name = version_before = version_after = ""
    lines = []
    for row in parts or []:
        reference = (row.get("reference") or "").strip()
        if not reference:
            continue
        lines.append((reference, (row.get("designation") or "").strip(), _quantity(row.get("quantity") or 1)))
    record = RepairRecord.objects.create(
        case=case,
        technician=actor,
        recorded_at=at or timezone.now(),
        level=level,
        work_done=work_done,
        software_updated=bool(software_updated),
        software_name=software_name,
        version_before=version_before,
        version_after=version_after,
    )
    catalogue = {p.reference: p for p in Part.objects.filter(reference__in=[r for r, _d, _q in lines])}
    for reference, designation, quantity in lines:
        part = catalogue.get(reference)
        RepairRecordPart.objects.create(
            record=record,
            part=part,
            reference=reference,
            designation=designation or (part.designation if part else ""),
            quantity=quantity,
        )
    _consume_fitted_parts(actor, case, {catalogue[r] for r, _d, _q in lines if r in catalogue}, at)
    return record


def _consume_fitted_parts(actor: User, case: RepairCase, parts: set[Part], at) -> None:
    """Catalogue parts noted as fitted leave the stock (reservation, van or workshop): what the dossier's
    records list minus what was already consumed on it, so a part consumed from the stock screen or noted on
    an earlier visit is not counted twice."""
    consumed = consumed_on_case(case)
    for part in sorted(parts, key=lambda p: p.reference):
        fitted = RepairRecordPart.objects.filter(record__case=case, part=part).aggregate(n=Sum("quantity"))[
            "n"
        ]
        missing = fitted - consumed.get(part.pk, Decimal(0))
        if missing > 0:
            stock_services.consume_for_case(actor=actor, case=case, part=part, quantity=missing, at=at)


# --- Electrical safety tests (C1.10, EN 50678) ----------------------------------------------------------------


def evaluate(value: Decimal, limit: Decimal, measure: str) -> bool:
    return value <= limit if MEASURE_IS_MAXIMUM[measure] else value >= limit


@transaction.atomic
def safety_test_record(
    *,
    actor: User,
    case: RepairCase,
    appliance_class: str,
    measurements: dict[str, str],
    instrument: Tool | None = None,
    at: datetime.datetime | None = None,
) -> SafetyTest:
    """Measurements typed with their unit; each compared with the limit in force for the class; all must pass."""
    _case_for_work(case, actor)
    at = at or timezone.now()
    limits = limits_in_force(appliance_class, _today(at))
    if not limits:
        raise AtelierError(
            _("Aucune limite d'essai n'est en vigueur pour la classe « %(c)s ».") % {"c": appliance_class},
            field="appliance_class",
        )
    if instrument is not None:
        if instrument.site_id != case.site_id:
            raise AtelierError(_("Cet appareil de mesure n'est pas de ce site."), field="instrument")
        if not instrument.is_usable(_today(at)):
            raise AtelierError(
                _(
                    "L'appareil de mesure %(tool)s est en quarantaine ou son contrôle est échu : mesures non "
                    "valables, prenez un autre appareil."
                )
                % {"tool": instrument},
                field="instrument",
            )
    results = {}
    for measure, limit in limits.items():
        value = parse_measure(measurements.get(measure, ""), measure)
        results[measure] = {
            "value": str(value),
            "unit": MEASURE_UNIT[measure],
            "typed": measurements[measure].strip(),
            "limit": format(limit.limit.normalize(), "f"),
            "limit_display": limit.display,
            "maximum": MEASURE_IS_MAXIMUM[measure],
            "passed": evaluate(value, limit.limit, measure),
        }
    return SafetyTest.objects.create(
        case=case,
        tested_by=actor,
        tested_at=at,
        appliance_class=appliance_class,
        instrument=instrument,
        results=results,
        passed=all(r["passed"] for r in results.values()),
    )


# --- Commissioning (C1.12) ------------------------------------------------------------------------------------


@transaction.atomic
def commissioning_record(
    *,
    actor: User,
    case: RepairCase,
    control_tests: str,
    explanations: str,
    signer_name: str,
    signature: str = "",
    settings_chosen: str = "",
    at: datetime.datetime | None = None,
) -> Commissioning:
    """Record the commissioning and take the dossier's step « commission » in the same transaction.

    The step's checks (installation conform, safety tests passed) run inside case_commission: a refusal
    undoes this record too.
    """
    require_role(actor, TECH, RESP)
    require_site(actor, case.site)
    control_tests, explanations = (control_tests or "").strip(), (explanations or "").strip()
    signer_name = (signer_name or "").strip()
    if case.status != CaseStatus.REPARE:
        raise AtelierError(
            _("La mise en service se fait quand la réparation est terminée (dossier « %(s)s »).")
            % {"s": case.get_status_display()}
        )
    if not control_tests:
        raise AtelierError(_("Décrivez les tests de contrôle effectués."), field="control_tests")
    if not explanations:
        raise AtelierError(_("Notez les explications données au client."), field="explanations")
    if not signer_name:
        raise AtelierError(_("Saisissez le nom de la personne qui signe."), field="signer_name")
    if case.location == WorkLocation.DOMICILE and not signature:
        raise AtelierError(
            _("La signature du client est requise pour une mise en service à domicile."), field="signature"
        )
    at = at or timezone.now()
    record = Commissioning.objects.create(
        case=case,
        done_by=actor,
        done_at=at,
        control_tests=control_tests,
        settings_chosen=(settings_chosen or "").strip(),
        explanations=explanations,
        signer_name=signer_name,
        signature=signature or "",
    )
    case_services.case_commission(case=case, actor=actor, note=control_tests, at=at)
    return record
