"""The question flow per family: which questions are asked, conditional ones, and what an answer means."""

import pytest

from atelier.core.errors import AtelierError
from atelier.customers.choices import ProductFamily
from atelier.diagnostics import flow
from atelier.diagnostics.tests.conftest import q

pytestmark = pytest.mark.django_db


def keys(questions):
    return [question.key for question in questions]


def test_every_family_gets_the_common_questions_then_its_own():
    assert keys(flow.questions_for("lave_linge")) == [
        "usage", "depuis", "constat", "code_affiche", "code_erreur", "bruit", "bruit_type", "evenement",
        "fuite", "fuite_ou", "installation", "niveau",
    ]  # fmt: skip
    assert keys(flow.questions_for("televiseur"))[-4:] == ["allume", "image_son", "installation", "source"]
    assert "fuite" not in keys(flow.questions_for("televiseur"))
    for family in ProductFamily.values:
        asked = keys(flow.asked(flow.questions_for(family), {}))
        assert asked[:3] == ["usage", "depuis", "constat"], family
        assert "code_erreur" not in asked and "bruit_type" not in asked, family


def test_a_child_question_is_asked_only_after_its_parent_answer():
    questions = flow.questions_for("lave_linge")
    shown = keys(flow.asked(questions, {q("code_affiche").pk: "oui", q("fuite", "lave_linge").pk: "non"}))
    assert "code_erreur" in shown and "fuite_ou" not in shown
    shown = keys(flow.asked(questions, {q("code_affiche").pk: " OUI ", q("fuite", "lave_linge").pk: "oui"}))
    assert "code_erreur" in shown and "fuite_ou" in shown
    assert "code_erreur" not in keys(flow.asked(questions, {q("code_affiche").pk: "non"}))


def test_conditional_question_on_a_family_choice():
    questions = flow.questions_for("seche_linge")
    tech = q("technologie", "seche_linge")
    assert "gaine" not in keys(flow.asked(questions, {tech.pk: "à condensation"}))
    assert "gaine" in keys(flow.asked(questions, {tech.pk: "à évacuation"}))
    energy = q("energie", "cuisson")
    assert "odeur_gaz" in keys(
        flow.asked(flow.questions_for("cuisson"), {energy.pk: "cuisinière ou plaque gaz"})
    )


def test_known_error_code_is_normalised_and_unknown_one_is_flagged_not_refused():
    question = q("code_erreur")
    assert flow.clean_answer(question, " e18 ", family="lave_linge", brand="Bosch") == ("E18", "")
    assert flow.clean_answer(question, "Z99", family="lave_linge", brand="Bosch") == (
        "Z99",
        "code inconnu de la base",
    )
    # E18 is a Bosch code: the same code on another brand is not assumed to mean the same.
    assert (
        flow.clean_answer(question, "E18", family="lave_linge", brand="Vedette")[1]
        == "code inconnu de la base"
    )


def test_choices_are_checked_with_a_french_message():
    with pytest.raises(AtelierError, match="choisissez parmi oui, non"):
        flow.clean_answer(q("bruit"), "peut-être", family="lave_linge", brand="Bosch")
    assert flow.clean_answer(q("usage"), "Professionnel", family="lave_linge", brand="Bosch") == (
        "professionnel",
        "",
    )
    with pytest.raises(AtelierError, match="500 caractères au plus"):
        flow.clean_answer(q("constat"), "x" * 501, family="lave_linge", brand="Bosch")
