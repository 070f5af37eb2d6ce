import pytest
from django.core.exceptions import ValidationError

from atelier.knowledge import services
from atelier.knowledge.models import Cause, LearnedCause, LearnedFamily, LearnedFeature
from atelier.knowledge.suggest import MemoryIndex, suggest
from atelier.knowledge.text import features

pytestmark = pytest.mark.django_db


def labels(items):
    return [s.label for s in items]


def test_error_code_causes_come_first_without_learning():
    result = suggest(family="lave_linge", brand="Bosch", error_code="e18", text="")
    assert labels(result) == [
        "Filtre de vidange obstrué",
        "Pompe de vidange bloquée ou hors service",
        "Tuyau de vidange pincé ou bouché",
    ]
    assert [s.percent for s in result] == [33, 33, 33]
    assert result[0].reasons == ["code E18 (Bosch)"]
    assert result[0].cause == Cause.objects.get(family="lave_linge", title="Filtre de vidange obstrué")


def test_symptom_recognised_in_free_text():
    result = suggest(
        family="lave_linge", text="La machine ne vidange plus, il reste de l'eau dans le tambour"
    )
    assert labels(result)[:4] == [
        "Corps étranger dans la cuve ou la pompe",
        "Filtre de vidange obstrué",
        "Pompe de vidange bloquée ou hors service",
        "Tuyau de vidange pincé ou bouché",
    ]
    assert result[0].reasons == ["symptôme « Ne vidange pas, eau dans le tambour »"]


def _learn(n, text, label, **kw):
    for i in range(n):
        services.knowledge_learn(family="froid", text=f"{text} {i}", cause_label=label, **kw)


def test_confirmed_cause_raises_its_rank_for_similar_dossiers():
    _learn(6, "le frigo ne fait plus de froid, le compresseur ne démarre pas", "Compresseur défectueux")
    _learn(6, "givre partout dans le congélateur, porte mal fermée", "Joint de porte abîmé")
    _learn(
        6,
        "le réfrigérateur claque et s'arrête aussitôt",
        "Relais de démarrage ou protecteur thermique (klixon) défectueux",
    )
    query = "Tür schließt nicht, Scharnier locker, La porte ferme mal"
    hinge = Cause.objects.get(family="froid", title="Charnière ou porte désalignée")
    before = suggest(family="froid", text=query)
    assert [(s.label, s.percent) for s in before[:2]] == [("Joint de porte abîmé", 83), (hinge.title, 10)]
    for i in range(4):
        services.knowledge_learn(
            family="froid",
            text=f"Tür schließt nicht richtig, Scharnier gebrochen {i}",
            cause=hinge,
            source=f"PAR1-2026-{i:05d}",
        )
    after = suggest(family="froid", text=query)
    assert [(s.label, s.percent) for s in after[:2]] == [(hinge.title, 72), ("Joint de porte abîmé", 22)]
    assert after[0].learned_from == 4
    assert after[0].cause == hinge
    assert after[0].reasons == ["4 dossiers clôturés", "symptôme « La porte ferme mal »"]


def test_learning_updates_the_index_incrementally():
    services.knowledge_learn(
        family="audio", text="pas de son", cause_label="Relais", brand="Sony", error_code="p1"
    )
    services.knowledge_learn(family="audio", text="pas de son à gauche", cause_label="Potentiomètre")
    state = LearnedFamily.objects.get(family="audio")
    assert state.dossiers == 2
    assert state.vocabulary == LearnedFeature.objects.filter(family="audio").count()
    relay = str(LearnedCause.objects.get(family="audio", cause_label="Relais").pk)
    pot = str(LearnedCause.objects.get(family="audio", cause_label="Potentiomètre").pk)
    row = LearnedFeature.objects.get(family="audio", feature="w:son")
    assert (row.total, row.counts) == (2, {relay: 1, pot: 1})
    assert LearnedFeature.objects.get(family="audio", feature="code:p1").counts == {relay: 1}
    assert LearnedFeature.objects.get(family="audio", feature="brand:sony").counts == {relay: 1}
    assert list(LearnedCause.objects.filter(family="audio").values_list("cause_label", "dossiers")) == [
        ("Potentiomètre", 1),
        ("Relais", 1),
    ]


def test_reindex_gives_the_same_index():
    services.knowledge_learn(family="video", text="le tiroir ne sort plus", cause_label="Courroie")
    services.knowledge_learn(family="video", text="disque non lu", cause_label="Laser")
    before = sorted(LearnedFeature.objects.filter(family="video").values_list("feature", "total", "counts"))
    assert services.knowledge_reindex(family="video") == 2
    after = sorted(LearnedFeature.objects.filter(family="video").values_list("feature", "total", "counts"))
    assert after == before
    assert LearnedFamily.objects.get(family="video").dossiers == 2


def test_same_dossier_is_learned_once():
    services.knowledge_learn(family="video", text="x", cause_label="Laser", source="PAR1-2026-00001")
    with pytest.raises(ValidationError, match="Ce dossier a déjà été appris") as info:
        services.knowledge_learn(family="video", text="x", cause_label="Laser", source="PAR1-2026-00001")
    assert info.value.messages == ["Ce dossier a déjà été appris."]
    assert LearnedFamily.objects.get(family="video").dossiers == 1


def test_memory_index_multilingual():
    index = MemoryIndex()
    for text, label in [
        ("Schalter defekt", "Button/switch"),
        ("switch broken", "Button/switch"),
        ("interrupteur cassé", "Button/switch"),
        ("Motor brummt nicht", "Motor"),
        ("motor burnt smell", "Motor"),
        ("moteur grillé", "Motor"),
        ("Akku hält nicht", "Battery"),
        ("battery dead", "Battery"),
    ]:
        index.learn(features(text), label)
    assert index.rank(features("Schalter klemmt"))[0] == "Button/switch"
    assert index.rank(features("le moteur ne tourne plus"))[0] == "Motor"
