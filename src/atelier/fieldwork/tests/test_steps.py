"""The dossier's steps refused by fieldwork: start without PPE or with a quarantined tool, commissioning with a
non-conform installation, without passing safety tests or without the customer's signature."""

import datetime
import re

import pytest
from django.utils import timezone

from atelier.core.errors import AtelierError, TransitionRefused
from atelier.fieldwork import services
from atelier.fieldwork.choices import INSTALLATION_POINTS, ToolStatus
from atelier.fieldwork.models import Commissioning, InstallationCheck, RepairRecord
from atelier.fieldwork.tests.conftest import make_tool, sheet_all
from atelier.procedures.tests.factories import follow_procedure
from atelier.repairs import services as case_services
from atelier.repairs.choices import CaseStatus, WorkLocation

pytestmark = pytest.mark.django_db
SIGNATURE = (
    "data:image/png;base64,"
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)
CONFORM = {code: "conforme" for code, _label in INSTALLATION_POINTS} | {"gas": "sans_objet"}
GOOD_CLASS_I = {"pe_resistance": "0,12 Ω", "insulation": "250 MΩ", "pe_current": "0,8 mA"}


def _start_refusal(case, actor) -> str:
    with pytest.raises(TransitionRefused, match="est impossible pour le dossier") as exc:
        case_services.case_start_repair(case=case, actor=actor)
    return exc.value.message


def _repaired(case, technicien, site):
    services.ppe_check_record(actor=technicien, items=sheet_all(case), tools_ok=True, case=case)
    case_services.case_start_repair(case=case, actor=technicien)
    case_services.case_mark_repaired(case=case, actor=technicien, note="Pompe nettoyée.")
    return case


def test_start_requires_the_ppe_and_safety_sheet_checked_for_this_intervention(
    rules, site, ordered_case, technicien
):
    case, _order = ordered_case()  # a washing machine, at home
    assert case.appliance.family == "lave_linge"
    missing = (
        f"« Commencer la réparation » est impossible pour le dossier {case.number} : le contrôle des EPI et de "
        f"la fiche sécurité n'est pas fait (ou incomplet) pour cette intervention par {technicien}"
    )
    assert _start_refusal(case, technicien) == missing
    # The sheet of the family: every family's lines and the washing machine's own, PPE first.
    assert [(row["kind"], row["label"]) for row in _ticked(case, technicien)] == [
        ("epi", "Chaussures de sécurité"),
        ("epi", "VAT (vérificateur d'absence de tension) essayé avant usage"),
        ("epi", "Outillage isolé 1000 V en bon état"),
        ("epi", "Gants de manutention"),
        ("hygiene", "Mains propres, tenue de travail propre"),
        ("hygiene", "Zone de travail balisée et dégagée, appareil consigné (débranché / disjoncteur coupé)"),
        ("hygiene", "Eau de vidange recueillie dans un récipient, sol essuyé"),
        ("environnement", "Pièces remplacées et emballages triés (DEEE, recyclage) ou repris pour l'atelier"),
        ("environnement", "Lieu laissé propre (sol protégé chez le client, poste rangé à l'atelier)"),
    ]
    # PPE missing: recorded with what is missing, but the intervention cannot start.
    no_gloves = sheet_all(case, **{"Gants de manutention": False})
    with pytest.raises(AtelierError) as exc:
        services.ppe_check_record(actor=technicien, items=no_gloves, tools_ok=True, case=case)
    assert exc.value.message == (
        "Un équipement manque, une consigne n'est pas respectée ou les outils ne sont pas vérifiés : dites ce qui "
        "manque et ce que vous faites."
    )
    check = services.ppe_check_record(
        actor=technicien, items=no_gloves, tools_ok=True, case=case, notes="Gants oubliés au dépôt."
    )
    assert (check.is_complete, [r["label"] for r in check.ticked if not r["ok"]]) == (
        False,
        ["Gants de manutention"],
    )
    assert _start_refusal(case, technicien) == missing
    # Yesterday's complete check does not count, nor does a check without a dossier.
    services.ppe_check_record(
        actor=technicien,
        items=sheet_all(case),
        tools_ok=True,
        case=case,
        at=timezone.now() - datetime.timedelta(days=1),
    )
    assert _start_refusal(case, technicien) == missing
    with pytest.raises(AtelierError) as exc:
        services.ppe_check_record(actor=technicien, items={}, tools_ok=True, case=None)
    assert exc.value.message == "Le contrôle des EPI se fait avant une intervention : choisissez le dossier."
    services.ppe_check_record(actor=technicien, items=sheet_all(case), tools_ok=True, case=case)
    case_services.case_start_repair(case=case, actor=technicien)
    assert case.status == CaseStatus.EN_REPARATION
    # The next intervention on the dossier (after waiting for a part) needs its own check.
    case_services.case_wait_for_parts(case=case, actor=technicien, note="Pompe commandée.")
    assert _start_refusal(case, technicien) == missing
    services.ppe_check_record(actor=technicien, items=sheet_all(case), tools_ok=True, case=case)
    case_services.case_start_repair(case=case, actor=technicien)
    assert case.status == CaseStatus.EN_REPARATION


def _ticked(case, technicien):
    check = services.ppe_check_record(
        actor=technicien, items=sheet_all(case), tools_ok=False, case=case, notes="Pour lire la fiche."
    )
    rows = check.ticked
    check.delete()
    return rows


def test_a_site_with_the_safety_steps_switched_off_does_not_require_ppe(rules_off, ordered_case, technicien):
    case, _order = ordered_case()
    case_services.case_start_repair(case=case, actor=technicien)
    assert case.status == CaseStatus.EN_REPARATION


def test_a_repair_needing_a_quarantined_tool_cannot_start(
    rules_off, site, ordered_case, technicien, kind_insulation
):
    # PPE switched off so that the tools' reason is the only one (tools are checked on every site)
    case, order = ordered_case()
    services.required_tools_set(actor=technicien, order=order, kinds=[kind_insulation])
    tool = make_tool(site, kind_insulation, "CI-7", holder=technicien)
    services.tool_report_malfunction(actor=technicien, tool=tool, description="Ne débite plus 500 V.")
    assert _start_refusal(case, technicien) == (
        f"« Commencer la réparation » est impossible pour le dossier {case.number} : Aucun outil « Contrôleur "
        f"d'isolement » utilisable par {technicien} le {timezone.localdate():%d/%m/%Y} (n° CI-7 en quarantaine)."
    )
    tool.refresh_from_db()
    assert tool.status == ToolStatus.QUARANTAINE
    make_tool(site, kind_insulation, "CI-8")  # a spare left in the workshop
    case_services.case_start_repair(case=case, actor=technicien)
    assert case.status == CaseStatus.EN_REPARATION


def test_commission_refused_while_installation_not_conform_unless_corrected(
    rules, site, ordered_case, technicien, pat
):
    case = _repaired(ordered_case()[0], technicien, site)
    follow_procedure(case, technicien)  # the family's commissioning control (procedures)
    services.safety_test_record(
        actor=technicien, case=case, appliance_class="I", measurements=GOOD_CLASS_I, instrument=pat
    )

    def refusal():
        with pytest.raises(TransitionRefused, match="est impossible pour le dossier") as exc:
            services.commissioning_record(
                actor=technicien,
                case=case,
                control_tests="Cycle court OK.",
                explanations="Filtre à nettoyer.",
                signer_name="Nadia Lefèvre",
                signature=SIGNATURE,
            )
        return exc.value.message

    assert refusal() == (
        f"« Mise en service / prêt à rendre » est impossible pour le dossier {case.number} : la conformité de "
        "l'installation du client n'est pas contrôlée"
    )
    services.installation_check_record(
        actor=technicien,
        case=case,
        points={**CONFORM, "earth": "non_conforme"},
        anomalies="Prise sans terre.",
        action="signalee",
    )
    assert refusal().endswith(
        "installation non conforme (Raccordement à la terre) et anomalies non corrigées"
    )
    assert not Commissioning.objects.exists()
    services.installation_check_record(
        actor=technicien,
        case=case,
        points={**CONFORM, "earth": "non_conforme"},
        anomalies="Prise sans terre : remplacée par une prise 2P+T raccordée.",
        action="corrigee",
    )
    record = services.commissioning_record(
        actor=technicien,
        case=case,
        control_tests="Cycle court OK.",
        explanations="Filtre à nettoyer.",
        signer_name="Nadia Lefèvre",
        signature=SIGNATURE,
        settings_chosen="Eco 40-60 par défaut.",
    )
    case.refresh_from_db()
    assert case.status == CaseStatus.PRET
    assert case.events.last().note == "Cycle court OK."
    assert record.signature == SIGNATURE


def test_commission_refused_without_passing_safety_tests(
    rules, site, ordered_case, technicien, responsable, pat
):
    case = _repaired(ordered_case(WorkLocation.ATELIER)[0], technicien, site)
    follow_procedure(case, technicien)  # the family's commissioning control (procedures)

    def refusal():
        with pytest.raises(TransitionRefused, match="est impossible pour le dossier") as exc:
            case_services.case_commission(case=case, actor=technicien, note="Essai OK.")
        return exc.value.message

    prefix = f"« Mise en service / prêt à rendre » est impossible pour le dossier {case.number} : "
    assert refusal() == prefix + "les essais de sécurité électrique après réparation ne sont pas faits"
    test = services.safety_test_record(
        actor=technicien,
        case=case,
        appliance_class="I",
        measurements={**GOOD_CLASS_I, "insulation": "0,4 MΩ"},
        instrument=pat,
    )
    assert test.passed is False
    assert refusal() == prefix + "les derniers essais de sécurité électrique ne sont pas conformes"
    services.safety_test_record(
        actor=technicien, case=case, appliance_class="I", measurements=GOOD_CLASS_I, instrument=pat
    )
    case_services.case_commission(case=case, actor=technicien, note="Essai OK.")
    assert case.status == CaseStatus.PRET


def test_commission_refusal_names_the_missing_steps_not_the_commissioning_itself(
    rules, site, ordered_case, technicien
):
    """Issue 15, point 6: on the tablet the refusal named the commissioning screen among the missing steps (in
    the middle of them), so the technician went there and was refused again for the installation and the
    tests. The screen is named only once nothing else is missing."""
    case = _repaired(ordered_case()[0], technicien, site)
    follow_procedure(case, technicien)  # the family's commissioning control (procedures)
    with pytest.raises(TransitionRefused) as exc:
        case_services.case_commission(case=case, actor=technicien, note="Essai OK.")
    assert exc.value.message == (
        f"« Mise en service / prêt à rendre » est impossible pour le dossier {case.number} : la conformité de "
        "l'installation du client n'est pas contrôlée ; les essais de sécurité électrique après réparation ne "
        "sont pas faits"
    )
    services.installation_check_record(actor=technicien, case=case, points=CONFORM)
    with pytest.raises(TransitionRefused) as exc:
        case_services.case_commission(case=case, actor=technicien, note="Essai OK.")
    assert exc.value.message.endswith(
        ": les essais de sécurité électrique après réparation ne sont pas faits"
    )


def test_home_commission_through_the_dossier_step_needs_the_signed_record(
    rules, site, ordered_case, technicien, pat
):
    case = _repaired(ordered_case()[0], technicien, site)
    follow_procedure(case, technicien)  # the family's commissioning control (procedures)
    services.installation_check_record(actor=technicien, case=case, points=CONFORM)
    services.safety_test_record(
        actor=technicien, case=case, appliance_class="I", measurements=GOOD_CLASS_I, instrument=pat
    )
    with pytest.raises(TransitionRefused, match="se fait depuis l'écran") as exc:
        case_services.case_commission(case=case, actor=technicien, note="Essai OK.")
    assert exc.value.message.endswith(
        "la mise en service se fait depuis l'écran « Mise en service » (signature du client)"
    )
    with pytest.raises(AtelierError, match="La signature du client est requise") as exc:
        services.commissioning_record(
            actor=technicien, case=case, control_tests="OK", explanations="OK", signer_name="N. Lefèvre"
        )
    assert exc.value.message == "La signature du client est requise pour une mise en service à domicile."


def test_installation_check_input(site, ordered_case, technicien, accueil):
    case, _order = ordered_case()
    cases = [
        (
            {"points": {k: v for k, v in CONFORM.items() if k != "drain"}},
            "Indiquez l'état du point « Évacuation / vidange ».",
        ),
        ({"points": {**CONFORM, "socket": "bof"}}, "Indiquez l'état du point « Prise de courant »."),
        ({"points": {**CONFORM, "roof": "conforme"}}, "Point de contrôle inconnu : roof."),
        ({"points": {**CONFORM, "socket": "non_conforme"}}, "Décrivez les anomalies constatées."),
        (
            {"points": {**CONFORM, "socket": "non_conforme"}, "anomalies": "Prise brûlée."},
            "Dites si les anomalies ont été corrigées ou signalées au client.",
        ),
    ]
    for kwargs, message in cases:
        with pytest.raises(AtelierError, match=re.escape(message)) as exc:
            services.installation_check_record(actor=technicien, case=case, **kwargs)
        assert exc.value.message == message
    with pytest.raises(AtelierError, match="Votre rôle ne permet pas cette opération."):
        services.installation_check_record(actor=accueil, case=case, points=CONFORM)
    assert not InstallationCheck.objects.exists()
    check = services.installation_check_record(actor=technicien, case=case, points=CONFORM, action="signalee")
    assert (check.allows_commissioning, check.action) == (True, "")


def test_repair_record_levels_software_versions_and_parts(site, ordered_case, technicien, responsable):
    from atelier.stock import services as stock_services
    from atelier.stock.choices import LocationKind, MoveKind
    from atelier.stock.models import Part, StockBalance, StockLocation, StockMove

    pump = Part.objects.create(reference="BSH-00145212", designation="Pompe de vidange", price_ht="48.90")
    van = StockLocation.objects.create(
        site=site, code="VEH-TECH", name="Véhicule", kind=LocationKind.VEHICULE, technician=technicien
    )
    case, _order = ordered_case()
    bad = [
        ({"level": 3, "work_done": "x"}, "Choisissez le niveau d'intervention (1 ou 2)."),
        ({"level": 1, "work_done": " "}, "Décrivez les travaux effectués."),
        (
            {"level": 2, "work_done": "x", "software_updated": True, "version_before": "1.2"},
            "Une mise à jour logicielle se note avec la version avant et la version après.",
        ),
        (
            {
                "level": 2,
                "work_done": "x",
                "software_updated": True,
                "version_before": "1.2",
                "version_after": "1.2",
            },
            "Les versions avant et après sont identiques : la mise à jour n'a pas été faite.",
        ),
        (
            {"level": 1, "work_done": "x", "parts": [{"reference": "A", "quantity": "-1"}]},
            "La quantité d'une pièce doit être comprise entre 0 et 1000.",
        ),
    ]
    for kwargs, message in bad:
        with pytest.raises(AtelierError, match=re.escape(message)) as exc:
            services.repair_record_create(actor=technicien, case=case, **kwargs)
        assert exc.value.message == message
    # A catalogue part fitted at home leaves the van: none in the van → refused, nothing written.
    fitted = {
        "level": 1,
        "work_done": "Pompe remplacée.",
        "parts": [{"reference": "BSH-00145212", "quantity": 1}],
    }
    with pytest.raises(AtelierError, match=r"Il manque 1 × BSH-00145212 \(VEH-TECH\)") as exc:
        services.repair_record_create(actor=technicien, case=case, **fitted)
    assert exc.value.message == (
        "Il manque 1 × BSH-00145212 (VEH-TECH) : réservez la pièce ou faites-la transférer avant de la noter "
        "comme posée."
    )
    assert not RepairRecord.objects.exists()
    stock_services.move_record(
        actor=responsable, part=pump, location=van, kind=MoveKind.RECEPTION, quantity=2, reason="Chargement"
    )
    record = services.repair_record_create(
        actor=technicien,
        case=case,
        level=2,
        work_done="Remplacement du triac de la carte de puissance.",
        software_updated=True,
        software_name="Carte de commande",
        version_before="3.02",
        version_after="3.10",
        parts=[
            {"reference": "BSH-00145212", "quantity": "1"},
            {"reference": "BTA16-600", "designation": "Triac", "quantity": "1,0"},
        ],
    )
    parts = [(p.reference, p.designation, p.part, str(p.quantity)) for p in record.parts.all()]
    assert parts == [("BSH-00145212", "Pompe de vidange", pump, "1.00"), ("BTA16-600", "Triac", None, "1.00")]
    assert (record.version_before, record.version_after) == ("3.02", "3.10")
    # The pump left the van as a consumption on the dossier; the free-text triac is not a stock item.
    moves = [(m.location.code, m.kind, str(m.quantity)) for m in StockMove.objects.filter(case=case)]
    assert moves == [("VEH-TECH", MoveKind.CONSOMMATION, "-1.00")]
    assert StockBalance.objects.get(part=pump, location=van).on_hand == 1
    # A return visit fitting another pump takes it too; a third one is missing from the van.
    services.repair_record_create(actor=technicien, case=case, **fitted)
    with pytest.raises(AtelierError, match=r"Il manque 1 × BSH-00145212 \(VEH-TECH\)") as exc:
        services.repair_record_create(actor=technicien, case=case, **fitted)
    assert exc.value.message.startswith("Il manque 1 × BSH-00145212 (VEH-TECH)")
    assert RepairRecord.objects.filter(case=case).count() == 2
    assert StockBalance.objects.get(part=pump, location=van).on_hand == 0
