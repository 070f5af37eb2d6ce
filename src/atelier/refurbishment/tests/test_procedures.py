"""Refurbishment procedures (issue 20, point 3): steps of the family as data, the EN 50678 tests reused from
fieldwork, parts from the stock ledger, the erasure certificate, verdict / grade / price, and the wording the
décret 2022-190 allows — « reconditionné » refused when a condition fails; « comme neuf » refused everywhere."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from atelier.core.errors import AtelierError, TransitionRefused
from atelier.core.validators import new_claim_in, validate_no_new_claim
from atelier.refurbishment import services
from atelier.refurbishment.models import CosmeticGrade, ProcedureStep, Refurbishment
from atelier.refurbishment.tests.conftest import sorted_valid
from atelier.stock.choices import UsedGrade
from atelier.stock.models import StockBalance, StockMove

pytestmark = pytest.mark.django_db


def test_every_family_has_a_seeded_procedure_with_safety_tests_and_wipe_for_multimedia():
    washing = list(ProcedureStep.objects.filter(family="lave_linge").values_list("kind", "code"))
    assert washing == [
        ("nettoyage", "nettoyage"),
        ("essai", "essai_coton"),
        ("essai", "essai_rapide"),
        ("essai", "essai_essorage"),
        ("securite", "securite"),
        ("esthetique", "esthetique"),
    ]
    tv = list(ProcedureStep.objects.filter(family="televiseur").values_list("code", flat=True))
    assert tv == ["nettoyage", "essai_image", "essai_tuner", "securite", "effacement", "esthetique"]
    assert ProcedureStep.objects.get(family="lave_linge", code="essai_coton").programme == "Coton 40 °C"
    assert list(CosmeticGrade.objects.values_list("code", "label")) == [
        ("A", "Très bon état"),
        ("B", "Bon état"),
        ("C", "État correct"),
    ]


@pytest.mark.parametrize(
    "text, found",
    [
        ("Comme neuf", "Comme neuf"),
        ("état  neuf garanti", "état neuf"),
        ("Remis à neuf", "à neuf"),
        ("comme neuves", "comme neuves"),
        ("Très bon état, testée", None),
        ("Neuf d'origine", None),
    ],
)
def test_the_new_claim_is_found(text, found):
    assert new_claim_in(text) == found


def test_no_grade_label_or_description_claims_new():
    for _value, label in UsedGrade.choices:
        assert new_claim_in(str(label)) is None, label
    assert str(UsedGrade.A.label) == "A – très bon état, testée"
    for grade in CosmeticGrade.objects.all():
        assert new_claim_in(grade.label) is None and new_claim_in(grade.description) is None
    for step in ProcedureStep.objects.all():
        assert new_claim_in(step.label) is None and new_claim_in(step.expected) is None
    from atelier.refurbishment.models import TriageCheck

    for check in TriageCheck.objects.all():
        assert new_claim_in(check.label) is None and new_claim_in(check.expected) is None
    with pytest.raises(ValidationError):
        TriageCheck(family="audio", code="x", label="Son comme neuf", expected="ok").full_clean()


def test_a_grade_worded_like_new_is_refused():
    grade = CosmeticGrade(code="S", label="Comme neuf", description="Aucune trace", order=1)
    with pytest.raises(ValidationError) as exc:
        grade.full_clean()
    assert exc.value.message_dict["label"] == [
        "« Comme neuf » est interdit pour un appareil ou une pièce d'occasion ou reconditionné : seuls les "
        "produits neufs peuvent porter les mentions « état neuf », « comme neuf » ou « à neuf » "
        "(art. R122-4 du Code de la consommation)."
    ]
    with pytest.raises(ValidationError):
        validate_no_new_claim("remis à neuf")


def test_a_full_refurbishment_is_reconditionne_en_france(take_in, magasinier, technicien, refurbish):
    appliance = sorted_valid(take_in, magasinier)
    refurbishment = refurbish(appliance)
    safety = refurbishment.results.get(kind="securite")
    assert safety.passed is True
    assert safety.safety_results["pe_resistance"] == {
        "value": "0.12",
        "unit": "Ω",
        "typed": "0,12 Ω",
        "limit_display": "≤ 0,3 Ω",
        "maximum": True,
        "passed": True,
    }
    done = services.refurbishment_finish(
        actor=technicien, refurbishment=refurbishment, verdict="conforme", grade="b", price="189,00"
    )
    assert (done.status, done.verdict, done.grade.code, done.price, done.wording) == (
        "termine",
        "conforme",
        "B",
        Decimal("189.00"),
        "reconditionne_france",
    )
    assert [c["met"] for c in done.conditions] == [True, True, True, True]


def test_reconditionne_is_refused_when_the_data_was_not_erased(take_in, magasinier, technicien, refurbish):
    appliance = sorted_valid(take_in, magasinier, family="televiseur", brand="LG")
    refurbishment = refurbish(appliance, erased=False)
    with pytest.raises(AtelierError) as exc:
        services.refurbishment_finish(
            actor=technicien,
            refurbishment=refurbishment,
            verdict="conforme",
            grade="A",
            price="249",
            wording="reconditionne",
        )
    assert exc.value.message == (
        "« Reconditionné » refusé : condition non remplie — Données de l'utilisateur précédent effacées "
        "(Aucun effacement enregistré.)"
    )
    assert Refurbishment.objects.get(pk=refurbishment.pk).status == "en_cours"
    done = services.refurbishment_finish(
        actor=technicien, refurbishment=refurbishment, verdict="conforme", grade="A", price="249"
    )
    assert done.wording == "occasion"


def test_a_failed_erasure_keeps_it_occasion_and_records_the_certificate(
    take_in, magasinier, technicien, refurbish
):
    appliance = sorted_valid(take_in, magasinier, family="televiseur", brand="LG")
    refurbishment = refurbish(appliance, erased=False)
    erasure = services.data_erasure_record(
        actor=technicien,
        refurbishment=refurbishment,
        medium="eMMC 16 Go",
        method="overwrite",
        tool="Outil du fabricant v2",
        passes_requested=3,
        passes_done=2,
        verified=False,
        verification="Lecture des secteurs",
        errors="Secteur 118 illisible",
        warnings="Batterie de l'horloge faible",
    )
    assert (erasure.succeeded, erasure.passes_done, erasure.errors, erasure.done_by) == (
        False,
        2,
        "Secteur 118 illisible",
        technicien,
    )
    assert refurbishment.results.get(kind="effacement").passed is False
    conditions, wording = services.decree_conditions(refurbishment)
    assert wording == "occasion"
    assert [(c.label, c.met, c.detail) for c in conditions if not c.met] == [
        ("Données de l'utilisateur précédent effacées", False, "Le dernier effacement a échoué.")
    ]


def test_reconditionne_but_not_en_france_when_a_step_was_done_abroad(
    take_in, magasinier, technicien, refurbish
):
    appliance = sorted_valid(take_in, magasinier)
    refurbishment = refurbish(appliance, country="DE")
    done = services.refurbishment_finish(
        actor=technicien, refurbishment=refurbishment, verdict="conforme", grade="A", price="150"
    )
    assert done.wording == "reconditionne"
    assert done.conditions[-1] == {
        "label": "Toutes les opérations faites en France",
        "met": False,
        "detail": "Opérations faites hors de France : DE.",
    }


def test_a_failed_step_needs_its_repair_before_it_passes(take_in, magasinier, technicien, refurbish):
    appliance = sorted_valid(take_in, magasinier)
    refurbishment = refurbish(appliance, failing=("essai_essorage",))
    with pytest.raises(AtelierError) as exc:
        services.refurbishment_finish(
            actor=technicien, refurbishment=refurbishment, verdict="conforme", grade="A", price="150"
        )
    assert exc.value.message == (
        "Verdict « fonctionnement conforme » impossible : l'étape « Essorage seul » n'est pas conforme."
    )
    with pytest.raises(AtelierError) as exc:
        services.refurbishment_step_record(
            actor=technicien, refurbishment=refurbishment, step_code="essai_essorage", passed=True
        )
    assert exc.value.message == (
        "L'étape « Essorage seul » avait échoué : dites ce qui a été réparé avant de la refaire."
    )
    result = services.refurbishment_step_record(
        actor=technicien,
        refurbishment=refurbishment,
        step_code="essai_essorage",
        passed=True,
        repair="Amortisseurs remplacés",
    )
    assert (result.passed, result.attempts, result.repair) == (True, 2, "Amortisseurs remplacés")
    done = services.refurbishment_finish(
        actor=technicien, refurbishment=refurbishment, verdict="conforme", grade="A", price="150"
    )
    assert done.wording == "reconditionne_france"


def test_a_safety_measure_out_of_limits_fails_the_step(take_in, magasinier, technicien, pat):
    appliance = sorted_valid(take_in, magasinier)
    refurbishment = services.refurbishment_start(actor=technicien, appliance=appliance)
    result = services.refurbishment_step_record(
        actor=technicien,
        refurbishment=refurbishment,
        step_code="securite",
        appliance_class="I",
        measurements={
            "pe_resistance": "0,5 Ω",
            "insulation": "250 MΩ",
            "pe_current": "0,4 mA",
            "touch_current": "0,1 mA",
        },
        instrument=pat,
    )
    assert result.passed is False
    assert result.safety_results["pe_resistance"]["passed"] is False
    with pytest.raises(AtelierError) as exc:
        services.refurbishment_step_record(
            actor=technicien,
            refurbishment=refurbishment,
            step_code="securite",
            appliance_class="I",
            measurements={"pe_resistance": "abc"},
            instrument=pat,
        )
    assert exc.value.message.startswith("« abc » n'est pas une mesure lisible")


def test_a_grade_outside_the_scale_is_refused_in_french(take_in, magasinier, technicien, refurbish):
    refurbishment = refurbish(sorted_valid(take_in, magasinier))
    with pytest.raises(AtelierError) as exc:
        services.refurbishment_finish(
            actor=technicien, refurbishment=refurbishment, verdict="conforme", grade="Z", price="150"
        )
    assert exc.value.message == "Le grade « Z » n'est pas dans l'échelle des grades esthétiques (A, B, C)."
    assert Refurbishment.objects.get(pk=refurbishment.pk).status == "en_cours"


def test_notes_claiming_new_are_refused(take_in, magasinier, technicien, refurbish):
    refurbishment = refurbish(sorted_valid(take_in, magasinier))
    with pytest.raises(AtelierError) as exc:
        services.refurbishment_finish(
            actor=technicien,
            refurbishment=refurbishment,
            verdict="conforme",
            grade="A",
            price="150",
            notes="Appareil comme neuf",
        )
    assert exc.value.field == "notes"


def test_refurbishing_an_appliance_still_in_triage_is_refused(take_in, technicien):
    appliance = take_in()
    with pytest.raises(TransitionRefused) as exc:
        services.refurbishment_start(actor=technicien, appliance=appliance)
    assert exc.value.message == (
        f"L'appareil {appliance.number} est encore à trier : triez-le avant de le reconditionner."
    )


def test_parts_used_leave_the_stock_ledger(take_in, magasinier, technicien, shelf):
    from atelier.stock import services as stock_services
    from atelier.stock.tests.factories import PartFactory

    part = PartFactory(reference="BSH-00144", designation="Amortisseur", status="validee")
    stock_services.move_record(
        actor=magasinier, part=part, location=shelf, kind="reception", quantity=3, reason="stock initial"
    )
    appliance = sorted_valid(take_in, magasinier)
    refurbishment = services.refurbishment_start(actor=technicien, appliance=appliance)
    used = services.refurbishment_part_use(
        actor=technicien, refurbishment=refurbishment, part=part, location=shelf, quantity=2
    )
    assert used.quantity == Decimal("2.00")
    assert (used.move.kind, used.move.quantity, used.move.reason) == (
        "consommation",
        Decimal("-2.00"),
        f"Reconditionnement de l'appareil {appliance.number}",
    )
    assert StockBalance.objects.get(part=part, location=shelf).on_hand == Decimal("1.00")
    with pytest.raises(AtelierError) as exc:
        services.refurbishment_part_use(
            actor=technicien, refurbishment=refurbishment, part=part, location=shelf, quantity=2
        )
    assert exc.value.message == (
        "Stock insuffisant de BSH-00144 à l'emplacement SV-A : 1 disponible(s), 2 demandée(s)."
    )
    assert StockMove.objects.filter(part=part).count() == 2


def test_an_appliance_is_refurbished_again_later(take_in, magasinier, technicien, refurbish):
    appliance = sorted_valid(take_in, magasinier)
    first = refurbish(appliance)
    services.refurbishment_finish(actor=technicien, refurbishment=first, verdict="non_conforme")
    second = refurbish(appliance)
    with pytest.raises(TransitionRefused):
        services.refurbishment_start(actor=technicien, appliance=appliance)
    services.refurbishment_finish(
        actor=technicien, refurbishment=second, verdict="conforme", grade="C", price="90"
    )
    assert appliance.refurbishments.count() == 2
