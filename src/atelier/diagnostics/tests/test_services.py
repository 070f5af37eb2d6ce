"""Services of the questioning, pre-diagnosis and diagnosis: rules, refusals in French, nothing written on a
refusal, and the knowledge base learning from closed dossiers."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from atelier.core.errors import AtelierError, PermissionRefused, TransitionRefused
from atelier.diagnostics import services
from atelier.diagnostics.choices import Acknowledgement, CheckResult
from atelier.diagnostics.models import Answer, ChecklistItem, Diagnosis, Measurement, PreDiagnosis
from atelier.diagnostics.selectors import process_for, suggestions_for
from atelier.diagnostics.tests.conftest import instrument, q
from atelier.knowledge.models import Cause, Check, ConfirmedCause
from atelier.knowledge.services import knowledge_learn
from atelier.quotes.models import Solution
from atelier.repairs.choices import CaseStatus
from atelier.repairs.models import RepairCase
from atelier.repairs.services import case_close, case_declare_unrepairable, case_hand_back, case_open

pytestmark = pytest.mark.django_db
PNG = (
    "data:image/png;base64,"
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)


def answer(case, actor, **values):
    return services.answers_save(
        case=case, actor=actor, answers={q(key, case.appliance.family).pk: v for key, v in values.items()}
    )


def test_answers_are_stored_and_an_unknown_code_is_flagged(case, accueil):
    saved = answer(case, accueil, usage="domestique", code_affiche="oui", code_erreur="e99", bruit="non")
    assert len(saved) == 4
    stored = {a.question.key: (a.value, a.flag) for a in Answer.objects.filter(case=case)}
    assert stored == {
        "usage": ("domestique", ""),
        "code_affiche": ("oui", ""),
        "code_erreur": ("E99", "code inconnu de la base"),
        "bruit": ("non", ""),
    }


def test_answering_no_drops_the_child_answer_and_blank_clears(case, accueil):
    answer(case, accueil, code_affiche="oui", code_erreur="E18", usage="domestique")
    answer(case, accueil, code_affiche="non", code_erreur="E18", usage="")
    assert {a.question.key: a.value for a in Answer.objects.filter(case=case)} == {"code_affiche": "non"}


def test_empty_or_bad_answers_are_refused_and_nothing_is_written(case, accueil):
    with pytest.raises(AtelierError, match="Aucune réponse saisie"):
        answer(case, accueil, usage="  ")
    with pytest.raises(AtelierError, match="choisissez parmi domestique, professionnel"):
        answer(case, accueil, bruit="oui", usage="industriel")
    assert not Answer.objects.exists()


def test_questioning_is_refused_to_the_stock_and_other_sites(case, magasinier, other_accueil):
    with pytest.raises(PermissionRefused, match="Votre rôle ne permet pas cette opération"):
        answer(case, magasinier, usage="domestique")
    with pytest.raises(PermissionRefused, match="Ce site ne fait pas partie des vôtres"):
        answer(case, other_accueil, usage="domestique")


def checklist(family="lave_linge"):
    return list(ChecklistItem.objects.filter(family=family))


def test_prediagnosis_moves_the_dossier_with_a_note_built_from_the_findings(case, accueil):
    items = checklist()
    answer(case, accueil, code_affiche="oui", code_erreur="E18")
    pre = services.prediagnosis_record(
        case=case,
        actor=accueil,
        findings="Eau stagnante dans le tambour, filtre propre.",
        visible_damage="Rayure sur le capot",
        leads="Pompe de vidange",
        told_customer="Diagnostic sous 3 jours, forfait 39 €.",
        checks={items[2].pk: (CheckResult.OK, "propre"), items[3].pk: (CheckResult.ANOMALY, "tuyau écrasé")},
    )
    case.refresh_from_db()
    assert case.status == CaseStatus.PREDIAGNOSTIQUE
    event = case.events.order_by("-pk").first()
    assert event.label == "Enregistrer le pré-diagnostic"
    assert event.note.splitlines()[:4] == [
        "Constats : Eau stagnante dans le tambour, filtre propre.",
        "Dommages visibles : Rayure sur le capot",
        "Vérifications de base : 2 faite(s), 1 anomalie(s) "
        "(Tuyau de vidange non écrasé, hauteur d'évacuation correcte)",
        "Pistes : Pompe de vidange",
    ]
    assert pre.suggestions[0]["label"] in {c.title for c in Cause.objects.filter(error_codes__code="E18")}
    assert [c.result for c in pre.checks.all()] == [CheckResult.OK, CheckResult.ANOMALY]


def test_prediagnosis_refusals_write_nothing(case, accueil, make_case):
    with pytest.raises(AtelierError, match="Notez les constats du pré-diagnostic."):
        services.prediagnosis_record(case=case, actor=accueil, findings="  ")
    other_family = ChecklistItem.objects.filter(family="froid").first()
    with pytest.raises(AtelierError, match="pas celle de la famille"):
        services.prediagnosis_record(
            case=case, actor=accueil, findings="x", checks={other_family.pk: (CheckResult.OK, "")}
        )
    case.refresh_from_db()
    assert case.status == CaseStatus.RECU and not PreDiagnosis.objects.exists()
    services.prediagnosis_record(case=case, actor=accueil, findings="Ne vidange pas.")
    with pytest.raises(TransitionRefused, match="déjà enregistré"):
        services.prediagnosis_record(case=case, actor=accueil, findings="Encore.")


def test_acknowledgement_on_screen_or_on_paper_once(case, accueil):
    pre = services.prediagnosis_record(case=case, actor=accueil, findings="Ne vidange pas.")
    with pytest.raises(AtelierError, match="l'un ou l'autre"):
        services.prediagnosis_acknowledge(prediagnosis=pre, actor=accueil, signer_name="N. Lefèvre")
    with pytest.raises(AtelierError, match="l'un ou l'autre"):
        services.prediagnosis_acknowledge(
            prediagnosis=pre, actor=accueil, signer_name="N. Lefèvre", signature=PNG, on_paper=True
        )
    done = services.prediagnosis_acknowledge(
        prediagnosis=pre, actor=accueil, signer_name="N. Lefèvre", signature=PNG
    )
    assert done.acknowledgement == Acknowledgement.SCREEN and done.signature == PNG
    with pytest.raises(AtelierError, match="déjà signée"):
        services.prediagnosis_acknowledge(prediagnosis=pre, actor=accueil, signer_name="X", on_paper=True)


def test_process_shows_the_current_step_and_the_site_prices(case, tariffs):
    process = process_for(case)
    assert [s["current"] for s in process["steps"]] == [True, False, False, False, False]
    assert process["diagnosis_fee"] == Decimal("39.00") and process["hourly_rate"] == Decimal("58.00")
    assert process["travel_fee"] is None


# ---------------------------------------------------------------- diagnosis


@pytest.fixture
def prediagnosed(case, accueil):
    services.prediagnosis_record(case=case, actor=accueil, findings="Eau dans le tambour.")
    case.refresh_from_db()
    return case


def pump_coil():
    return Check.objects.get(family="lave_linge", title="Bobine de la pompe de vidange")


def test_measurement_against_a_check_of_the_base(prediagnosed, technicien, multimeter):
    check = pump_coil()  # 150 to 250 Ω
    good = services.measurement_add(
        case=prediagnosed, actor=technicien, instrument=multimeter, check=check, value="182,5", unit="ohm"
    )
    assert (good.conforming, good.value, good.expected_min, good.expected_max) == (
        True, Decimal("182.500"), Decimal("150.000"), Decimal("250.000"),
    )  # fmt: skip
    assert (good.tool, good.instrument, good.point) == (multimeter, "Multimètre n° FLK-1", check.point)
    open_coil = services.measurement_add(
        case=prediagnosed, actor=technicien, instrument=multimeter, check=check, value="0,3", unit="kohm"
    )
    assert open_coil.conforming is False
    assert (open_coil.expected_min, open_coil.expected_max) == (Decimal("0.150"), Decimal("0.250"))
    clamp = instrument(prediagnosed.site, "MX-3", kind="pince-amperemetrique")
    free = services.measurement_add(
        case=prediagnosed, actor=technicien, instrument=clamp, point="Moteur", value="1.2", unit="A"
    )
    assert free.conforming is None and free.expected_display == "—"


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"value": "-12", "unit": "ohm"}, "Une valeur en Ω ne peut pas être négative"),
        ({"value": "230", "unit": "V"}, "se mesure en Ω : unité « V » refusée"),
        ({"value": "douze", "unit": "ohm"}, "Valeur mesurée : « douze » n'est pas un nombre."),
        ({"value": "1e12", "unit": "ohm"}, "Valeur mesurée : valeur invraisemblable."),
        ({"value": "", "unit": "ohm"}, "Indiquez la valeur mesurée."),
        ({"value": "12", "unit": "furlong"}, "Unité inconnue"),
    ],
)
def test_absurd_measurements_are_refused(prediagnosed, technicien, multimeter, kwargs, message):
    with pytest.raises(AtelierError, match=message):
        services.measurement_add(
            case=prediagnosed, actor=technicien, instrument=multimeter, check=pump_coil(), **kwargs
        )
    assert not Measurement.objects.exists()


def test_measurement_without_check_needs_instrument_point_and_a_sane_range(
    prediagnosed, technicien, multimeter
):
    with pytest.raises(AtelierError) as exc:
        services.measurement_add(
            case=prediagnosed, actor=technicien, instrument=None, point="X", value="3", unit="V"
        )
    assert (exc.value.message, exc.value.field) == (
        "Choisissez l'appareil de mesure dans le registre de l'outillage.",
        "instrument",
    )
    with pytest.raises(AtelierError, match="Le minimum attendu dépasse le maximum."):
        services.measurement_add(
            case=prediagnosed, actor=technicien, instrument=multimeter, point="X", value="3", unit="V",
            expected_min="5", expected_max="1",
        )  # fmt: skip
    with pytest.raises(AtelierError) as exc:
        services.measurement_add(
            case=prediagnosed, actor=technicien, instrument=multimeter, point="", value="3", unit="V"
        )
    assert exc.value.message == "Indiquez le point de mesure."
    assert not Measurement.objects.exists()


def test_an_overdue_quarantined_or_other_instrument_is_refused_for_a_measure(
    prediagnosed, technicien, other_site
):
    """The same check as the safety tests (fieldwork.services.require_usable_instrument)."""
    from atelier.fieldwork.models import ToolKind

    overdue = instrument(prediagnosed.site, "FLK-OLD", days_left=-1)
    quarantined = instrument(prediagnosed.site, "FLK-Q", status="quarantaine")
    elsewhere = instrument(other_site, "FLK-LYON")
    vat = instrument(prediagnosed.site, "VAT-1", kind="vat")
    assert ToolKind.objects.get(code="vat").is_instrument is False
    refusals = []
    for tool in (overdue, quarantined, elsewhere, vat):
        with pytest.raises(AtelierError) as exc:
            services.measurement_add(
                case=prediagnosed,
                actor=technicien,
                instrument=tool,
                check=pump_coil(),
                value="182",
                unit="ohm",
            )
        refusals.append((exc.value.message, exc.value.field))
    assert refusals == [
        (
            "L'appareil de mesure Multimètre n° FLK-OLD est en quarantaine ou son contrôle est échu : mesures "
            "non valables, prenez un autre appareil.",
            "instrument",
        ),
        (
            "L'appareil de mesure Multimètre n° FLK-Q est en quarantaine ou son contrôle est échu : mesures "
            "non valables, prenez un autre appareil.",
            "instrument",
        ),
        ("Cet appareil de mesure n'est pas de ce site.", "instrument"),
        ("Vérificateur d'absence de tension (VAT) n° VAT-1 n'est pas un appareil de mesure.", "instrument"),
    ]
    assert not Measurement.objects.exists()


def test_sources_consulted_for_an_unsolved_fault(prediagnosed, technicien, accueil, pump):
    from atelier.diagnostics.models import SourceConsulted

    services.diagnosis_save(
        case=prediagnosed, actor=technicien, conclusion="Vidange lente, cause non trouvée.", labour_hours="1",
        unsolved=True,
    )  # fmt: skip
    with pytest.raises(AtelierError) as exc:
        services.diagnosis_hand_over(case=prediagnosed, actor=technicien)
    assert exc.value.message == (
        "Panne non résolue : notez les sources consultées (documentation, hotline…) avant de transmettre."
    )
    with pytest.raises(AtelierError) as exc:
        services.source_record(case=prediagnosed, actor=technicien, kind="hotline", notes=" ")
    assert (exc.value.message, exc.value.field) == ("Notez ce que cette source a apporté (ou pas).", "notes")
    with pytest.raises(AtelierError) as exc:
        services.source_record(case=prediagnosed, actor=technicien, kind="astrologie", notes="?")
    assert exc.value.field == "kind"
    with pytest.raises(PermissionRefused):
        services.source_record(case=prediagnosed, actor=accueil, kind="forum", notes="Vu sur un forum.")
    services.source_record(
        case=prediagnosed, actor=technicien, kind="hotline", reference="Appel BSH n° 4471-22",
        notes="Vérifier le clapet anti-retour de la pompe.",
    )  # fmt: skip
    services.source_record(
        case=prediagnosed, actor=technicien, kind="doc_constructeur", reference="Manuel de service WAN28, p. 41",
        notes="Procédure de test de la pompe : 150 à 250 Ω.",
    )  # fmt: skip
    rows = list(
        SourceConsulted.objects.filter(diagnosis__case=prediagnosed).values_list("kind", "reference", "notes")
    )
    assert rows == [
        ("hotline", "Appel BSH n° 4471-22", "Vérifier le clapet anti-retour de la pompe."),
        (
            "doc_constructeur",
            "Manuel de service WAN28, p. 41",
            "Procédure de test de la pompe : 150 à 250 Ω.",
        ),
    ]
    assert Diagnosis.objects.get(case=prediagnosed).unsolved is True
    services.diagnosis_hand_over(case=prediagnosed, actor=technicien)  # sources noted: it goes to the quote
    # A confirmed cause solves the fault; the sources stay on the dossier.
    services.diagnosis_save(
        case=prediagnosed, actor=technicien, conclusion="Clapet bloqué.", labour_hours="1", unsolved=True,
        new_cause="Clapet anti-retour bloqué",
    )  # fmt: skip
    assert (Diagnosis.objects.get(case=prediagnosed).unsolved, SourceConsulted.objects.count()) == (False, 2)


def test_accueil_cannot_diagnose(prediagnosed, accueil):
    with pytest.raises(PermissionRefused, match="Votre rôle ne permet pas cette opération"):
        services.diagnosis_save(case=prediagnosed, actor=accueil, conclusion="x")


def test_diagnosis_with_a_new_cause_adds_it_to_the_base(prediagnosed, technicien):
    diagnosis = services.diagnosis_save(
        case=prediagnosed, actor=technicien, conclusion="Hélice de pompe cassée.",
        new_cause="Hélice de la pompe de vidange cassée", labour_hours="1,5",
    )  # fmt: skip
    cause = Cause.objects.get(title="Hélice de la pompe de vidange cassée")
    assert (cause.family, cause.brand) == ("lave_linge", "")
    assert diagnosis.confirmed_cause == cause and diagnosis.labour_hours == Decimal("1.50")
    again = services.diagnosis_save(
        case=prediagnosed, actor=technicien, new_cause="hélice de la pompe de vidange cassée"
    )
    assert again.confirmed_cause == cause and Cause.objects.filter(title__iexact=cause.title).count() == 1


def test_diagnosis_refusals(prediagnosed, technicien):
    froid = Cause.objects.filter(family="froid").first()
    pump = Cause.objects.get(family="lave_linge", title="Pompe de vidange bloquée ou hors service")
    with pytest.raises(AtelierError, match="autre famille"):
        services.diagnosis_save(case=prediagnosed, actor=technicien, confirmed_cause=froid)
    with pytest.raises(AtelierError, match="pas les deux"):
        services.diagnosis_save(case=prediagnosed, actor=technicien, confirmed_cause=pump, new_cause="Autre")
    with pytest.raises(AtelierError, match="entre 0 et 200 heures"):
        services.diagnosis_save(case=prediagnosed, actor=technicien, labour_hours="-1")
    assert not Diagnosis.objects.exists()


def test_hand_over_creates_the_quote_solution_with_parts_and_labour(prediagnosed, technicien, pump):
    with pytest.raises(AtelierError, match="conclusion du diagnostic"):
        services.diagnosis_hand_over(case=prediagnosed, actor=technicien)
    pump_cause = Cause.objects.get(family="lave_linge", title="Pompe de vidange bloquée ou hors service")
    services.diagnosis_save(
        case=prediagnosed, actor=technicien, conclusion="Pompe grippée, bobine coupée.",
        confirmed_cause=pump_cause, labour_hours="1",
    )  # fmt: skip
    services.diagnosis_part_add(case=prediagnosed, actor=technicien, part=pump, quantity=1)
    with pytest.raises(AtelierError, match="entre 1 et 99"):
        services.diagnosis_part_add(case=prediagnosed, actor=technicien, part=pump, quantity=0)
    solution = services.diagnosis_hand_over(case=prediagnosed, actor=technicien)
    assert solution.title == "Réparation : Pompe de vidange bloquée ou hors service"
    assert solution.labour_hours == Decimal("1.00") and solution.include_diagnosis
    assert [(p.part.reference, p.quantity) for p in solution.parts.all()] == [("BSH-00145212", 1)]
    with pytest.raises(AtelierError, match="déjà transmis"):
        services.diagnosis_hand_over(case=prediagnosed, actor=technicien)
    assert Solution.objects.count() == 1


# ---------------------------------------------------------------- learning from closed dossiers


def close(case, technicien, responsable):
    case_declare_unrepairable(case=case, actor=technicien, note="Pièce plus fabriquée.")
    case_hand_back(case=case, actor=responsable)
    case_close(case=case, actor=responsable)


def rank_of(case, label):
    labels = [s.label for s in suggestions_for(case, limit=30)]
    return labels.index(label) if label in labels else len(labels)


def test_a_closed_dossier_teaches_the_base_and_raises_its_cause_for_a_similar_dossier(
    make_case, customer, appliance, accueil, technicien, responsable, without_step_checks
):
    for i in range(4):  # history: drainage complaints were mostly a clogged filter
        knowledge_learn(
            family="lave_linge", text="Il ne vidange plus, l'eau reste au fond.",
            cause_label="Filtre de vidange obstrué", source=f"HIST-{i}",
        )  # fmt: skip
    pump = "Pompe de vidange bloquée ou hors service"
    probe = case_open(
        actor=accueil, customer=customer, appliance=appliance,
        customer_words="Elle ne vidange plus et la pompe ronronne.",
    )  # fmt: skip
    before = rank_of(probe, pump)
    for _ in range(6):
        case = make_case()
        services.prediagnosis_record(case=case, actor=accueil, findings="La pompe ronronne sans vidanger.")
        services.diagnosis_save(
            case=case, actor=technicien, conclusion="Pompe grippée.",
            confirmed_cause=Cause.objects.get(family="lave_linge", title=pump),
        )  # fmt: skip
        close(case, technicien, responsable)
    learned = ConfirmedCause.objects.filter(cause__title=pump)
    assert learned.count() == 6
    closed = RepairCase.objects.filter(status=CaseStatus.CLOTURE).values_list("number", flat=True)
    assert {c.source for c in learned} == set(closed)
    assert "pompe ronronne" in learned.first().text and learned.first().brand == "Bosch"
    after = rank_of(probe, pump)
    assert (before, after) == (1, 0)


def test_closing_without_confirmed_cause_learns_nothing(
    prediagnosed, technicien, responsable, without_step_checks
):
    close(prediagnosed, technicien, responsable)
    assert not ConfirmedCause.objects.exists()


def test_validation_error_on_bad_question_definition():
    from atelier.diagnostics.models import Question

    with pytest.raises(ValidationError, match="Indiquez au moins une réponse proposée"):
        Question(key="x", text="Y", kind="choix", choices="").full_clean()
