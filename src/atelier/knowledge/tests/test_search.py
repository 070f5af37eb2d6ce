import pytest

from atelier.knowledge import selectors, services
from atelier.knowledge.errors import UnknownErrorCode
from atelier.knowledge.text import search_key

pytestmark = pytest.mark.django_db


def test_search_key_stems_and_strips_accents():
    assert search_key("Vidanger la cuve", "Sèche-linge") == " vidang la cuv sech ling "


def test_vidange_finds_vidanger(responsable):
    services.cause_save(actor=responsable, family="audio", title="Impossible de vidanger le réservoir")
    titles = [c.title for c in selectors.cause_list(family="audio", query="vidange")]
    assert titles == ["Impossible de vidanger le réservoir"]


def test_seche_finds_seche_without_accent(responsable):
    services.symptom_save(actor=responsable, family="video", title="Bande seche et cassante")
    assert [s.title for s in selectors.symptom_list(family="video", query="sèche")] == [
        "Bande seche et cassante"
    ]
    assert [s.title for s in selectors.symptom_list(family="seche_linge", query="seche")] == [
        "Sèche mal ou très lentement"
    ]


def test_search_all_words_must_match():
    titles = [s.title for s in selectors.symptom_list(family="lave_linge", query="vidange tambour")]
    assert titles == ["Ne vidange pas, eau dans le tambour"]


def test_search_error_codes_by_code():
    found = [(e.brand, e.code) for e in selectors.error_code_list(family="lave_linge", query="E18")]
    assert found == [("Bosch", "E18"), ("Siemens", "E18")]


def test_error_code_get_is_lenient_on_spelling():
    entry = selectors.error_code_get(family="lave_linge", brand="samsung", code="5 c")
    assert (entry.brand, entry.code) == ("Samsung", "5C")


def test_unknown_error_code_message():
    with pytest.raises(UnknownErrorCode, match="Le code erreur « Z99 » est inconnu pour Bosch") as info:
        selectors.error_code_get(family="lave_linge", brand="Bosch", code="Z99")
    assert info.value.message == (
        "Le code erreur « Z99 » est inconnu pour Bosch (lave-linge) : vérifiez la saisie ou demandez au "
        "responsable SAV de l'ajouter à la base technique."
    )
    assert info.value.field == "error_code"
