"""Dismantling (issue 20 point 4): sub-assemblies of the family tested, recovered parts codified and validated by
the stock app, entered in its ledger, offered on quotes; the remains as WEEE; refusals in French, nothing written.
The abandoned dossier closed « abandonné » when its appliance enters stock."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.utils import timezone

from atelier.core.errors import AtelierError, PermissionRefused, TransitionRefused
from atelier.quotes.selectors import case_solutions
from atelier.quotes.services import solution_create
from atelier.refurbishment import selectors, services
from atelier.refurbishment.choices import ApplianceState, LetterMethod, MoveKind, Origin, TriageOutcome
from atelier.refurbishment.dismantling import RecoveredPart, SubAssembly, WeeeDeparture
from atelier.refurbishment.models import ApplianceMove
from atelier.refurbishment.services.dismantling import (
    part_recover,
    recovered_part_stock,
    weee_departure_record,
)
from atelier.repairs import workflow
from atelier.repairs.choices import CaseStatus
from atelier.repairs.services import case_prediagnose
from atelier.stock.choices import Availability, PartCondition, PartStatus
from atelier.stock.models import Part, StockMove
from atelier.stock.selectors import stock_level

from .conftest import all_checks

pytestmark = pytest.mark.django_db


def sub(code, family="lave_linge"):
    return SubAssembly.objects.get(family=family, code=code)


def recover_pump(appliance, actor, new_pump, **kwargs):
    args = {
        "reusable": True,
        "test_record": "Alimentée en 230 V : tourne sans bruit, bobine 172 Ω.",
        "grade": "B",
        "price_ht": "19.00",
        "weight_kg": "0.40",
        "equivalent_of": new_pump,
    }
    args.update(kwargs)
    return part_recover(actor=actor, appliance=appliance, sub_assembly=sub("pompe_vidange"), **args)


def finish_list(appliance, actor, *, but=("pompe_vidange",)):
    """Every other sub-assembly of the list tried and failed (stays with the remains)."""
    for s in SubAssembly.objects.filter(family=appliance.family).exclude(code__in=but):
        part_recover(
            actor=actor, appliance=appliance, sub_assembly=s, reusable=False, test_record="Hors service."
        )


def test_the_family_lists_are_seeded_as_data():
    assert list(SubAssembly.objects.filter(family="lave_linge").values_list("code", flat=True)) == [
        "pompe_vidange",
        "moteur",
        "carte_commande",
        "resistance",
        "hublot",
        "verrou_porte",
    ]
    assert SubAssembly.objects.count() == 33


def test_a_recovered_part_is_codified_validated_entered_and_offered_on_quotes(
    broken, technicien, magasinier, accueil, new_pump, shelf, make_case
):
    case = make_case()
    case_prediagnose(case=case, actor=accueil, note="Pompe de vidange bloquée.")
    solution = solution_create(
        case=case,
        actor=accueil,
        title="Remplacement de la pompe de vidange",
        work_description="Pompe neuve.",
        labour_hours="1",
        parts=[(new_pump, 1)],
    )
    recovered = recover_pump(broken, technicien, new_pump)
    part = recovered.part
    assert (part.reference, part.internal_code, part.status, part.availability) == (
        f"LL-PV-3010-{broken.number}",
        "LL-MOT-000001",
        PartStatus.A_VALIDER,
        Availability.INDISPONIBLE,
    )
    assert (part.condition, part.grade, part.equivalent_of, part.price_ht, part.created_by) == (
        PartCondition.OCCASION,
        "B",
        new_pump,
        Decimal("19.00"),
        technicien,
    )
    assert (part.designation, part.compatible_models) == ("Pompe de vidange (Samsung WW90T534)", "WW90T534")
    assert (recovered.appliance, recovered.grade, recovered.weight_kg) == (broken, "B", Decimal("0.40"))
    # not offered before a second person validated it and it is in stock
    assert [c.alternatives for c in case_solutions(case)[0].parts] == [[]]

    with pytest.raises(PermissionRefused):
        recovered_part_stock(actor=technicien, recovered=recovered, location=shelf)
    recovered_part_stock(actor=magasinier, recovered=recovered, location=shelf)
    part.refresh_from_db()
    assert (part.status, part.validated_by, part.availability, part.lead_time_days) == (
        PartStatus.VALIDEE,
        magasinier,
        Availability.EN_STOCK,
        0,
    )
    (move,) = StockMove.objects.filter(part=part)
    assert (move.kind, move.quantity, move.location, move.reason) == (
        "demontage",
        Decimal("1.00"),
        shelf,
        f"Démontage de l'appareil {broken.number} : Pompe de vidange",
    )
    assert stock_level(part, broken.site)["available"] == Decimal("1.00")
    # offered as the used alternative of the new pump on the dossier's solution, and usable in a solution
    assert [c.alternatives for c in case_solutions(case)[0].parts] == [[part]]
    used = solution_create(
        case=case,
        actor=accueil,
        title="Pompe d'occasion récupérée",
        work_description="Pompe d'occasion testée.",
        labour_hours="1",
        parts=[(part, 1)],
    )
    views = {v.solution.pk: v for v in case_solutions(case)}
    assert (views[solution.pk].has_circular, views[used.pk].has_circular) == (False, True)
    with pytest.raises(TransitionRefused, match=f"La pièce {part.internal_code} est déjà entrée en stock."):
        recovered_part_stock(actor=magasinier, recovered=recovered, location=shelf)


def test_the_author_does_not_validate_their_own_recovered_part(broken, magasinier, new_pump, shelf):
    recovered = recover_pump(broken, magasinier, new_pump)
    with pytest.raises(AtelierError, match="Une autre personne que son auteur doit valider la référence."):
        recovered_part_stock(actor=magasinier, recovered=recovered, location=shelf)
    assert StockMove.objects.count() == 0
    assert Part.objects.get(pk=recovered.part_id).status == PartStatus.A_VALIDER


def test_a_part_from_an_appliance_not_in_dismantling_is_refused(take_in, technicien, new_pump):
    to_sort = take_in()
    parts = Part.objects.count()
    with pytest.raises(TransitionRefused) as refused:
        recover_pump(to_sort, technicien, new_pump)
    assert refused.value.message == (
        f"L'appareil {to_sort.number} n'est pas au démontage (À trier) : on ne récupère des pièces que sur un "
        "appareil trié « non réparable »."
    )
    services.appliance_triage(
        actor=technicien, appliance=to_sort, results=all_checks("lave_linge"), outcome=TriageOutcome.VALIDE
    )
    to_sort.refresh_from_db()
    with pytest.raises(TransitionRefused, match=r"n'est pas au démontage \(À reconditionner\)"):
        recover_pump(to_sort, technicien, new_pump)
    assert (Part.objects.count(), RecoveredPart.objects.count()) == (parts, 0)


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"grade": ""}, "grade", "Choisissez le grade de la pièce (A, B ou C)."),
        ({"grade": "Z"}, "grade", "Choisissez le grade de la pièce (A, B ou C)."),
        (
            {"weight_kg": ""},
            "weight_kg",
            "Pesez la pièce : son poids compte dans ce que la seconde vie évite de jeter.",
        ),
        ({"weight_kg": "-1"}, "weight_kg", "Le poids se donne en kilogrammes, entre 0,01 et 999,99."),
        ({"price_ht": "abc"}, "price_ht", "Prix de vente HT : « abc » n'est pas un montant."),
        ({"test_record": " "}, "test_record", "Notez l'essai fait et son résultat"),
        (
            {"reference": "", "equivalent_of": None},
            "reference",
            "Indiquez la référence lue sur la pièce, ou la pièce neuve qu'elle remplace.",
        ),
    ],
)
def test_bad_input_is_refused_in_french_and_nothing_is_written(
    broken, technicien, new_pump, change, field, message
):
    parts = Part.objects.count()
    with pytest.raises(AtelierError) as refused:
        recover_pump(broken, technicien, new_pump, **change)
    assert refused.value.message.startswith(message)
    assert refused.value.field == field
    assert (Part.objects.count(), RecoveredPart.objects.count()) == (parts, 0)


def test_the_same_sub_assembly_twice_is_refused(broken, technicien, new_pump):
    recover_pump(broken, technicien, new_pump)
    with pytest.raises(
        TransitionRefused,
        match=f"Le sous-ensemble « Pompe de vidange » de l'appareil {broken.number} est déjà traité.",
    ):
        recover_pump(broken, technicien, new_pump, reference="AUTRE")


def test_the_remains_leave_as_weee_once_the_list_is_done(broken, technicien, new_pump, site):
    recover_pump(broken, technicien, new_pump)
    args = {
        "actor": technicien,
        "appliance": broken,
        "eco_organism": "ecosystem",
        "bordereau": "BSD-2026-0042",
        "handed_on": timezone.localdate(),
        "weight_kg": "55.5",
    }
    with pytest.raises(TransitionRefused) as refused:
        weee_departure_record(**args)
    assert refused.value.message == (
        "Démontage inachevé : le sous-ensemble « Moteur de tambour » n'est pas encore traité (récupéré ou non)."
    )
    finish_list(broken, technicien)
    with pytest.raises(AtelierError, match="Le n° du bordereau de reprise est obligatoire."):
        weee_departure_record(**{**args, "bordereau": ""})
    with pytest.raises(AtelierError, match="La date de remise ne peut pas être dans le futur."):
        weee_departure_record(**{**args, "handed_on": timezone.localdate() + datetime.timedelta(days=1)})
    assert WeeeDeparture.objects.count() == 0
    departure = weee_departure_record(**args)
    broken.refresh_from_db()
    assert (broken.state, broken.location, departure.weight_kg) == (
        ApplianceState.DEMONTE,
        None,
        Decimal("55.50"),
    )
    move = ApplianceMove.objects.filter(appliance=broken).first()
    assert (move.kind, move.quantity, move.state_before, move.state_after, move.reason) == (
        MoveKind.DEEE,
        -1,
        "a_demonter",
        "demonte",
        f"Bordereau BSD-2026-0042 · ecosystem · 55,5 kg remis le {timezone.localdate():%d/%m/%Y}",
    )
    assert selectors.ledger_balance(site=site) == 0  # entered +1, left −1
    with pytest.raises(
        TransitionRefused, match=r"n'est pas au démontage \(Démonté \(reste parti en DEEE\)\)"
    ):
        recover_pump(broken, technicien, new_pump)


def test_an_abandoned_dossier_is_closed_abandonne_when_its_appliance_enters_stock(
    waiting_case, accueil, magasinier, site
):
    services.abandon_letter_record(
        actor=accueil, case=waiting_case, sent_on=timezone.localdate(), method=LetterMethod.EMAIL
    )
    assert "abandon" not in [t.name for t in workflow.allowed_for(waiting_case, magasinier)]
    with time_machine.travel(timezone.now() + datetime.timedelta(days=366)):
        appliance = services.appliance_intake(
            actor=magasinier, site=site, origin=Origin.ABANDON, case=waiting_case
        )
    waiting_case.refresh_from_db()
    assert (waiting_case.status, waiting_case.get_status_display(), waiting_case.is_closed) == (
        CaseStatus.ABANDONNE,
        "Abandonné",
        True,
    )
    event = waiting_case.events.order_by("-at", "-pk").first()
    assert (event.from_status, event.to_status, event.label, event.note, event.actor) == (
        CaseStatus.REPARE,
        CaseStatus.ABANDONNE,
        "Appareil abandonné : entré dans le stock du magasin",
        f"Délai d'abandon écoulé : l'appareil entre dans le stock du magasin sous le n° {appliance.number}.",
        magasinier,
    )
