"""Demo fieldwork: each site's tools with their checks (one overdue and quarantined, one failed check), the
safety rules switched on, and the on-site / bench records of some dossiers already commissioned.

Tools go through the product's services; the records of dossiers already past commissioning are written
directly, dated at their commissioning (the services only accept records while the work is going on).
"""

import datetime
from decimal import Decimal

from django.utils import timezone

from atelier.fieldwork import services
from atelier.fieldwork.choices import INSTALLATION_POINTS
from atelier.fieldwork.models import (
    Commissioning,
    InstallationCheck,
    RepairRecord,
    SafetyFamily,
    SafetyTest,
    SiteRules,
    Tool,
    ToolKind,
)
from atelier.fieldwork.selectors import limits_in_force
from atelier.repairs.choices import CaseStatus, EventKind, WorkLocation
from atelier.repairs.models import RepairCase

MANAGERS = {"PAR1": "responsable", "LYO1": "reseau"}
# site, kind, serial, model, holder, days since the last check (None: never checked), check passed
TOOLS = [
    ("PAR1", "multimetre", "FLK-117-4471", "Fluke 117", "technicien", 40, True),
    ("PAR1", "controleur-isolement", "CA6526-0042", "Chauvin Arnoux C.A 6526", "technicien", 120, True),
    ("PAR1", "testeur-pat", "GT-0701-118", "Gossen Metrawatt Secutest PRO", "technicien", 200, True),
    ("PAR1", "vat", "VAT-CAT3-07", "Catu CC-850", "technicien", 20, True),
    ("PAR1", "multimetre", "FLK-117-5102", "Fluke 117", "technicien2", 390, True),  # overdue → quarantined
    ("PAR1", "pince-amperemetrique", "MX-355-09", "Metrix MX 355", "technicien2", 60, False),  # failed check
    ("PAR1", "vat", "VAT-CAT3-11", "Catu CC-850", "technicien2", 15, True),
    ("PAR1", "testeur-pat", "GT-0701-131", "Gossen Metrawatt Secutest PRO", None, 90, True),
    ("PAR1", "pompe-a-vide", "VP-2-88", "Refco RL-2", None, 100, True),
    ("PAR1", "manometres", "MAN-4V-12", "Testo 550s", None, 150, True),
    ("PAR1", "interface-programmation", "IF-BSH-03", "Interface de service BSH", None, 30, True),
    ("PAR1", "caisse-outils", "CAISSE-1000V-2", "Facom 1000 V", "technicien", None, True),
    ("LYO1", "multimetre", "FLK-117-6120", "Fluke 117", "technicien.lyon", 80, True),
    ("LYO1", "testeur-pat", "GT-0701-204", "Gossen Metrawatt Secutest PRO", "technicien.lyon", 140, True),
    ("LYO1", "controleur-isolement", "CA6526-0310", "Chauvin Arnoux C.A 6526", "technicien.lyon", 300, True),
    ("LYO1", "vat", "VAT-CAT3-21", "Catu CC-850", "technicien.lyon", 10, True),
]
RECORDS_PER_SITE = 6
WORK = [
    (
        1,
        "Remplacement de la pompe de vidange, essai de vidange et d'essorage.",
        "BSH-00145212",
        "Pompe de vidange",
    ),
    (
        1,
        "Remplacement de la résistance de chauffe, contrôle du thermostat.",
        "WPR-481225928",
        "Résistance 2000 W",
    ),
    (2, "Remplacement du triac de commande moteur sur la carte de puissance.", "BTA16-600", "Triac 16 A"),
    (1, "Remplacement du joint de hublot, contrôle de l'étanchéité.", "SAM-DC64-00802B", "Joint de hublot"),
]


def load(*, sites, users, rng) -> dict[str, int]:
    made = {"outils": 0, "contrôles d'outils": 0, "comptes rendus d'intervention": 0}
    today = timezone.localdate()
    for code, kind_code, serial, model, holder, age, passed in TOOLS:
        site, manager = sites[code], users[MANAGERS[code]]
        kind = ToolKind.objects.get(code=kind_code)
        if Tool.objects.filter(site=site, kind=kind, serial=serial).exists():
            continue
        checked = kind.has_check_procedure
        tool = services.tool_register(
            actor=manager,
            site=site,
            kind=kind,
            serial=serial,
            label=model,
            holder=users.get(holder) if holder else None,
            is_checked=checked,
        )
        made["outils"] += 1
        if not checked or age is None:
            continue
        # The check before the last (a year earlier when it fits), then the last one.
        on = today - datetime.timedelta(days=age)
        services.tool_check_record(
            actor=manager,
            tool=tool,
            checked_on=on - datetime.timedelta(days=kind.check_interval_days),
            result="conforme",
            notes="Contrôle périodique.",
        )
        services.tool_check_record(
            actor=users.get(holder) or manager,
            tool=tool,
            checked_on=on if passed else today - datetime.timedelta(days=2),
            result="conforme" if passed else "non_conforme",
            notes="Contrôle périodique."
            if passed
            else "Écart de 8 % sur le calibre 40 A : renvoi en étalonnage.",
        )
        made["contrôles d'outils"] += 2
    services.quarantine_overdue(on=today, site_ids=[s.pk for s in sites.values()])
    made["entretiens d'outils"] = _maintenances(sites, users)
    for site in sites.values():
        SiteRules.objects.get_or_create(site=site)
        made["comptes rendus d'intervention"] += _records(site, users, rng)
        made["mesures liées au registre"] = made.get("mesures liées au registre", 0) + _instruments(site)
        made["sources consultées"] = made.get("sources consultées", 0) + _sources(site)
        made["contrôles avant intervention"] = made.get("contrôles avant intervention", 0) + _ppe_checks(site)
    return made


# serial, kind of entry, days ago, what was done; the vacuum pump's cleaning is overdue (every 30 days)
MAINTENANCE = [
    ("FLK-117-4471", "nettoyage", 20, "Cordons et pointes de touche nettoyés à l'alcool isopropylique."),
    ("GT-0701-118", "verification", 12, "Autotest et mesure sur l'adaptateur de contrôle : conforme."),
    ("GT-0701-118", "nettoyage", 70, "Boîtier et cordons nettoyés, prise d'essai dépoussiérée."),
    ("VAT-CAT3-07", "verification", 6, "Autotest et essai sur source connue sous tension."),
    ("VP-2-88", "entretien", 45, "Vidange de l'huile, contrôle du clapet anti-retour."),
    ("CAISSE-1000V-2", "nettoyage", 10, "Outils isolés nettoyés et inspectés (gaines intactes)."),
    ("GT-0701-204", "nettoyage", 25, "Cordons et pinces nettoyés, autotest conforme."),
]


def _maintenances(sites, users) -> int:
    """Maintenance and cleaning logged on some tools (C1.3), the vacuum pump's overdue."""
    from atelier.fieldwork.models import ToolMaintenance

    today = timezone.localdate()
    count = 0
    for serial, kind, days, work in MAINTENANCE:
        tool = Tool.objects.filter(serial=serial).select_related("site", "holder").first()
        if tool is None or ToolMaintenance.objects.filter(tool=tool, kind=kind).exists():
            continue
        actor = tool.holder or users[MANAGERS[tool.site.code]]
        services.tool_maintenance_record(
            actor=actor, tool=tool, kind=kind, done_on=today - datetime.timedelta(days=days), work_done=work
        )
        count += 1
    return count


def _instruments(site) -> int:
    """The diagnoses' measurements name an instrument of the site's register (the clamp meter for currents)."""
    from atelier.diagnostics.models import Measurement
    from atelier.fieldwork.selectors import instruments_of

    usable = [t for t in instruments_of(site) if t.is_usable(timezone.localdate())]
    by_kind = {t.kind.code: t for t in usable}
    default = by_kind.get("multimetre")
    if default is None:
        return 0
    count = 0
    for measurement in Measurement.objects.filter(diagnosis__case__site=site, tool__isnull=True):
        tool = by_kind.get("pince-amperemetrique", default) if measurement.unit == "A" else default
        Measurement.objects.filter(pk=measurement.pk).update(tool=tool, instrument=str(tool)[:80])
        count += 1
    return count


SOURCES = [
    (
        "hotline",
        "Assistance technique du fabricant, appel n° 24-118",
        "Vérifier d'abord la sonde CTN (valeurs à 25 °C).",
    ),
    (
        "doc_constructeur",
        "Manuel de service, chapitre « codes défaut », p. 42",
        "Procédure de test de la carte : suivie.",
    ),
    (
        "base_connaissances",
        "Base technique Atelier : causes de la famille",
        "Deux causes possibles retenues.",
    ),
]


def _sources(site) -> int:
    """Sources consulted on the site's two most recent diagnoses left without a confirmed cause (C1.6)."""
    from atelier.diagnostics.models import Diagnosis, SourceConsulted

    count = 0
    unsolved = Diagnosis.objects.filter(case__site=site, confirmed_cause__isnull=True).order_by("-pk")[:2]
    for diagnosis in unsolved.select_related("technician"):
        if diagnosis.sources.exists():
            continue
        Diagnosis.objects.filter(pk=diagnosis.pk).update(unsolved=True)
        for kind, reference, notes in SOURCES[: 2 if count else 3]:
            SourceConsulted.objects.create(
                diagnosis=diagnosis,
                kind=kind,
                reference=reference,
                notes=notes,
                consulted_by=diagnosis.technician,
                consulted_at=diagnosis.updated_at,
            )
            count += 1
    return count


def _ppe_checks(site) -> int:
    """The check made before the intervention now under way on the site's dossiers (C1.10)."""
    from atelier.fieldwork.models import PpeCheck
    from atelier.fieldwork.selectors import safety_sheet

    count = 0
    working = RepairCase.objects.filter(site=site, status=CaseStatus.EN_REPARATION, technician__isnull=False)
    for case in working.select_related("appliance", "technician"):
        started = (
            case.events.filter(kind=EventKind.TRANSITION, to_status=CaseStatus.EN_REPARATION)
            .order_by("-at")
            .first()
        )
        if started is None or case.ppe_checks.exists():
            continue
        at = started.at - datetime.timedelta(minutes=5)
        PpeCheck.objects.create(
            site=site,
            technician=case.technician,
            case=case,
            checked_on=timezone.localdate(at),
            ticked=[
                {"kind": i.kind, "label": i.label, "ok": True} for i in safety_sheet(case.appliance.family)
            ],
            tools_ok=True,
            is_complete=True,
            recorded_at=at,
        )
        count += 1
    return count


def _records(site, users, rng) -> int:
    """Installation, repair record, safety test and signed commissioning on dossiers already commissioned."""
    if RepairRecord.objects.filter(case__site=site).exists():  # already loaded once
        return 0
    families = dict(SafetyFamily.objects.values_list("family", "default_class"))
    done = (
        RepairCase.objects.filter(
            site=site,
            status__in=[CaseStatus.PRET, CaseStatus.RENDU, CaseStatus.CLOTURE],
            technician__isnull=False,
        )
        .select_related("appliance", "technician")
        .order_by("pk")[:RECORDS_PER_SITE]
    )
    count = 0
    for case in done:
        event = (
            case.events.filter(kind=EventKind.TRANSITION, to_status=CaseStatus.PRET).order_by("at").first()
        )
        if event is None:
            continue
        at, technician = event.at, case.technician
        level, work, reference, designation = rng.choice(WORK)
        record = RepairRecord.objects.create(
            case=case,
            technician=technician,
            recorded_at=at - datetime.timedelta(minutes=20),
            level=level,
            work_done=work,
        )
        record.parts.create(reference=reference, designation=designation, quantity=Decimal(1))
        if case.location == WorkLocation.DOMICILE:
            InstallationCheck.objects.create(
                case=case,
                checked_by=technician,
                checked_at=at - datetime.timedelta(minutes=50),
                points={
                    code: ("sans_objet" if code == "gas" else "conforme") for code, _l in INSTALLATION_POINTS
                },
            )
        appliance_class = families.get(case.appliance.family)
        if appliance_class:
            results = _measurements(appliance_class, at.date(), rng)
            SafetyTest.objects.create(
                case=case,
                tested_by=technician,
                tested_at=at - datetime.timedelta(minutes=10),
                appliance_class=appliance_class,
                results=results,
                passed=True,
            )
        Commissioning.objects.create(
            case=case,
            done_by=technician,
            done_at=at,
            control_tests=event.note or "Cycle d'essai complet.",
            settings_chosen="Programme éco par défaut, fin différée désactivée.",
            explanations="Entretien du filtre et du joint, dosage de la lessive expliqués.",
            signer_name=str(case.customer),
        )
        count += 1
    return count


def _measurements(appliance_class: str, on, rng) -> dict:
    typical = {
        "pe_resistance": (Decimal("0.08"), Decimal("0.22"), "Ω"),
        "insulation": (Decimal(50), Decimal(500), "MΩ"),
        "pe_current": (Decimal("0.1"), Decimal("1.2"), "mA"),
        "touch_current": (Decimal("0.02"), Decimal("0.2"), "mA"),
    }
    results = {}
    for measure, limit in limits_in_force(appliance_class, on).items():
        low, high, unit = typical[measure]
        value = (low + (high - low) * Decimal(str(round(rng.random(), 2)))).quantize(Decimal("0.01"))
        results[measure] = {
            "value": str(value),
            "unit": unit,
            "typed": f"{value} {unit}".replace(".", ","),
            "limit": format(limit.limit.normalize(), "f"),
            "limit_display": limit.display,
            "maximum": measure != "insulation",
            "passed": True,
        }
    return results
