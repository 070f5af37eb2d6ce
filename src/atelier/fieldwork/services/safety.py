"""Safety before and after work: the site's rules, PPE and safety sheet checked before each intervention
(C1.10), installation conformity before plugging in (C1.11), electrical safety tests after repair (EN 50678)."""

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from atelier.core.access import require_step
from atelier.core.errors import AtelierError
from atelier.core.locking import lock
from atelier.core.models import Site, User
from atelier.core.permissions import require_site
from atelier.fieldwork.choices import (
    INSTALLATION_POINTS,
    MEASURE_IS_MAXIMUM,
    MEASURE_UNIT,
    AnomalyAction,
    Measure,
    PointState,
)
from atelier.fieldwork.measures import parse_measure
from atelier.fieldwork.models import (
    InstallationCheck,
    PpeCheck,
    SafetyTest,
    SiteRules,
    Tool,
)
from atelier.fieldwork.selectors import limits_in_force, safety_sheet
from atelier.fieldwork.services.common import _case_for_work, _today, require_usable_instrument
from atelier.repairs.models import RepairCase


@transaction.atomic
def site_rules_set(*, actor: User, site: Site, enforced: bool, at=None) -> SiteRules:
    require_step(actor, "fieldwork.site_rules", site=site)
    require_site(actor, site)
    rules = lock(SiteRules.objects.get_or_create(site=site)[0])
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
    case: RepairCase,
    items: dict,
    tools_ok: bool,
    notes: str = "",
    site: Site | None = None,
    at: datetime.datetime | None = None,
) -> PpeCheck:
    """The check before one intervention on the dossier (C1.10): each line of the family's safety sheet (PPE,
    hygiene, environment; `items`: line id → ticked) and the tools verified.

    Recorded even when something is missing (that is worth knowing), but only a complete check lets the
    intervention start; what is missing must then be said.
    """
    require_step(actor, "fieldwork.work", site=case.site if case is not None else site)
    if case is None:
        raise AtelierError(_("Le contrôle des EPI se fait avant une intervention : choisissez le dossier."))
    require_site(actor, case.site)
    if site is not None and case.site_id != site.pk:
        raise AtelierError(_("Ce dossier n'est pas de ce site."))
    at = at or timezone.now()
    notes = (notes or "").strip()
    sheet = safety_sheet(case.appliance.family)
    known = {str(item.pk) for item in sheet}
    unknown = {str(key) for key in items} - known
    if unknown:
        raise AtelierError(
            _("Ligne inconnue sur la fiche sécurité de cet appareil : %(ids)s.")
            % {"ids": ", ".join(sorted(unknown))}
        )
    given = {str(key): bool(value) for key, value in items.items()}
    ticked = [{"kind": i.kind, "label": i.label, "ok": given.get(str(i.pk), False)} for i in sheet]
    complete = all(row["ok"] for row in ticked) and bool(tools_ok)
    if not complete and not notes:
        raise AtelierError(
            _(
                "Un équipement manque, une consigne n'est pas respectée ou les outils ne sont pas vérifiés : "
                "dites ce qui manque et ce que vous faites."
            ),
            field="notes",
        )
    return PpeCheck.objects.create(
        site=case.site,
        technician=actor,
        case=case,
        checked_on=_today(at),
        ticked=ticked,
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


# --- Electrical safety tests (C1.10, EN 50678) ----------------------------------------------------------------


def evaluate(value: Decimal, limit: Decimal, measure: str) -> bool:
    return value <= limit if MEASURE_IS_MAXIMUM[Measure(measure)] else value >= limit


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
    if instrument is None:  # the form asks for it; the API and any other caller too (issue 15, point 3)
        raise AtelierError(
            _("Choisissez l'appareil de mesure dans le registre de l'outillage."), field="instrument"
        )
    require_usable_instrument(instrument, site=case.site, on=_today(at))
    results = {}
    for measure, limit in limits.items():
        value = parse_measure(measurements.get(measure, ""), measure)
        results[measure] = {
            "value": str(value),
            "unit": MEASURE_UNIT[Measure(measure)],
            "typed": measurements[measure].strip(),
            "limit": format(limit.limit.normalize(), "f"),
            "limit_display": limit.display,
            "maximum": MEASURE_IS_MAXIMUM[Measure(measure)],
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
