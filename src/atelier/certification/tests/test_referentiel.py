"""The référentiel as data (issue 19, point 1): the packaged file, the rows the data migration writes, the API in
exactly the issue's shape, a second version loaded beside the first, and — when the development reference is
at hand — every code and criterion compared with the source text."""

import copy
import json
import os
from pathlib import Path

import pytest
from django.apps import apps as django_apps
from rest_framework.test import APIClient

from atelier.certification import loader, selectors
from atelier.certification.models import Competence, Criterion, Epreuve, Referentiel

from .referentiel_text import read

pytestmark = pytest.mark.django_db

SOURCE_NAME = "cqp-technicien-reparateur-electromenager-multimedia-2022.txt"
ROOT = Path(__file__).resolve().parents[4]  # the repository (or the worktree)


def _source_dir() -> Path | None:
    """The référentiel text, a development reference beside the repository (../shared/referentiel), or where
    ATELIER_REFERENTIEL_DIR says; not shipped, so its test is skipped without it."""
    candidates = [os.environ.get("ATELIER_REFERENTIEL_DIR", "")]
    candidates += [str(p / "shared" / "referentiel") for p in (ROOT.parent, ROOT.parent.parent)]
    for candidate in candidates:
        if candidate and (Path(candidate) / SOURCE_NAME).is_file():
            return Path(candidate)
    return None


PACKAGED = loader.read_data("referentiel-2022.json")
CRITERIA_PER_COMPETENCE = {
    "C1.1": 4, "C1.2": 3, "C1.3": 5, "C1.4": 3, "C1.5": 5, "C1.6": 2, "C1.7": 4, "C1.8": 4, "C1.9": 4,
    "C1.10": 4, "C1.11": 5, "C1.12": 3, "C1.13": 3, "C1.14": 4, "C1.15": 4,
    "C2.1": 4, "C2.2": 8, "C2.3": 6, "C2.4": 5, "C2.5": 6, "C2.6": 4, "C2.7": 4, "C2.8": 3, "C2.9": 5,
    "C2.10": 4, "C2.11": 2, "C2.12": 3, "C2.13": 4, "C2.14": 4, "C2.15": 3, "C2.16": 5, "C2.17": 3, "C2.18": 2,
}  # fmt: skip


def _packaged_competences() -> dict[str, dict]:
    return {c["code"]: c for b in PACKAGED["blocs"] for a in b["activities"] for c in a["competences"]}


def test_packaged_file_has_the_exact_counts_and_names_its_source():
    competences = _packaged_competences()
    assert PACKAGED["version"] == "2022-04-22"
    assert SOURCE_NAME in PACKAGED["source"]
    assert [b["code"] for b in PACKAGED["blocs"]] == ["1", "2"]
    assert [a["code"] for b in PACKAGED["blocs"] for a in b["activities"]] == [
        "1.1", "1.2", "1.3", "1.4", "1.5", "2.1", "2.2", "2.3", "2.4", "2.5",
    ]  # fmt: skip
    assert list(competences) == list(CRITERIA_PER_COMPETENCE)
    assert {code: len(c["criteria"]) for code, c in competences.items()} == CRITERIA_PER_COMPETENCE
    assert sum(CRITERIA_PER_COMPETENCE.values()) == 132
    assert competences["C2.18"]["criteria"] == [
        "Au regard des dysfonctionnements constatés, le candidat identifie des pistes d'amélioration des "
        "pratiques internes.",
        "Des axes d'amélioration cohérents et réalisables sont proposés dans le respect du cadre légal et "
        "réglementaire et de la stratégie de l'entreprise.",
    ]
    assert [(e["number"], e["bloc"], e["duration_minutes"]) for e in PACKAGED["epreuves"]] == [
        (1, "1", 60), (2, "1", 60), (3, "1", 30), (4, "2", 60), (5, "2", 30),
    ]  # fmt: skip
    for e in PACKAGED["epreuves"]:  # the parts add up to the épreuve's total
        assert sum(p["minutes"] for p in e["parts"]) == e["duration_minutes"]


def test_migration_loads_every_competence_and_criterion_word_for_word():
    referentiel = Referentiel.objects.get(version="2022-04-22")
    assert referentiel.blocs.count() == 2
    assert Competence.objects.filter(referentiel=referentiel).count() == 33
    assert Criterion.objects.filter(competence__referentiel=referentiel).count() == 132
    for code, data in _packaged_competences().items():
        competence = Competence.objects.get(referentiel=referentiel, code=code)
        assert competence.title == data["title"]
        assert competence.expected_result == data["expected_result"]
        assert [c.text for c in competence.criteria.all()] == data["criteria"]
    e3 = Epreuve.objects.get(referentiel=referentiel, number=3)
    assert e3.topic_deadline_months == 2
    assert [c.code for c in e3.competences.order_by("position")] == ["C1.13", "C1.14", "C1.15"]


def test_packaged_data_equals_the_source_text():
    """Every code, wording, expected result and criterion of the packaged file, as the référentiel's text lists
    them (parsed from the text itself, not from the file)."""
    folder = _source_dir()
    if folder is None:
        pytest.skip(
            "Texte du référentiel absent (../shared/referentiel, référence de développement non livrée) : "
            "ATELIER_REFERENTIEL_DIR permet de l'indiquer."
        )
    source = read(folder / SOURCE_NAME)
    packaged = _packaged_competences()
    assert list(source) == list(packaged)
    for code, text in source.items():
        assert packaged[code]["title"] == text["title"], code
        assert packaged[code]["expected_result"] == text["result"], code
        assert packaged[code]["criteria"] == text["criteria"], code
    index = (folder / "INDEX.md").read_text(encoding="utf-8")
    for code in packaged:
        assert f"| {code} |" in index


def _api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_api_returns_exactly_the_issue_shape(formateur):
    response = _api(formateur).get("/api/certification/referentiel/")
    assert response.status_code == 200
    body = response.json()
    assert list(body) == ["version", "blocs", "epreuves"]
    assert body["version"] == "2022-04-22"
    assert [b["code"] for b in body["blocs"]] == ["1", "2"]
    assert list(body["blocs"][0]) == ["code", "title", "competences"]
    first = body["blocs"][0]["competences"][0]
    assert first == {
        "code": "C1.1",
        "title": "Organiser son activité en prenant connaissance des interventions programmées afin d'optimiser "
        "les opérations de maintenance à réaliser et de respecter les délais impartis.",
        "criteria": [
            "La prise de connaissance des interventions à réaliser est correctement effectuée",
            "L'ensemble des informations nécessaires aux interventions programmées est récolté.",
            "Les critères de chacune des interventions sont bien appréhendés et les durées correctement "
            "évaluées.",
            "Les missions sont ordonnancées et planifiées selon les critères définis (ordre de priorité, zone "
            "géographique, durée d'intervention, matériel requis, exigences horaires du client...).",
        ],
    }
    assert [len(b["competences"]) for b in body["blocs"]] == [15, 18]
    epreuves = {e["number"]: e for e in body["epreuves"]}
    assert epreuves[1] == {
        "number": 1,
        "bloc": "1",
        "title": "Mise en situation professionnelle",
        "duration_minutes": 60,
        "parts": [
            {"label": "Préparation de l'épreuve", "minutes": 15},
            {"label": "Mise en situation (Diagnostic / réparation / mise en service)", "minutes": 30},
            {"label": "Questions/Réponses avec le jury", "minutes": 15},
        ],
        "draw_families": ["lave-linge", "lave-vaisselle", "cuisson", "froid"],
        "competences": [
            "C1.1", "C1.2", "C1.3", "C1.4", "C1.5", "C1.6", "C1.7", "C1.9", "C1.10", "C1.11", "C1.12",
        ],
    }  # fmt: skip
    assert epreuves[2]["draw_families"] == ["téléviseur", "audio", "vidéo"]
    assert "C1.8" in epreuves[2]["competences"] and "C1.7" not in epreuves[2]["competences"]
    assert epreuves[3]["parts"] == [
        {"label": "Restitution orale", "minutes": 15},
        {"label": "Questions/Réponses avec le jury", "minutes": 15},
    ]
    assert epreuves[4]["parts"] == [
        {"label": "Mise en situation", "minutes": 45},
        {"label": "Questions/Réponses avec le jury", "minutes": 15},
    ]
    assert epreuves[5]["parts"] == [
        {"label": "Mise en situation", "minutes": 15},
        {"label": "Questions/Réponses avec le jury", "minutes": 15},
    ]
    assert [epreuves[n]["draw_families"] for n in (3, 4, 5)] == [[], [], []]
    assert epreuves[4]["competences"] == [f"C2.{i}" for i in range(1, 16)]
    assert epreuves[5]["competences"] == ["C2.16", "C2.17", "C2.18"]


def test_api_refuses_a_role_without_the_step_and_an_unknown_version(accueil, formateur):
    assert _api(accueil).get("/api/certification/referentiel/").status_code == 403
    response = _api(formateur).get("/api/certification/referentiel/?version=1999")
    assert response.status_code == 404
    assert response.json() == {"detail": "Aucun référentiel en version « 1999 »."}


def test_a_new_version_loads_beside_the_old_one_and_candidates_keep_theirs(monkeypatch, tmp_path, formateur):
    from atelier.certification import services
    from atelier.certification.choices import OrganisationKind
    from atelier.certification.models import Organisation

    site = formateur.sites.get()
    of = Organisation.objects.create(site=site, kind=OrganisationKind.ORGANISME_FORMATION, name="OF")
    old = services.candidate_register(
        actor=formateur, organisation=of, status="apprenti", first_name="Léa", last_name="Martin",
        course_start=__import__("datetime").date(2026, 9, 1),
    )  # fmt: skip
    newer = copy.deepcopy(PACKAGED)
    newer["version"], newer["effective_from"] = "2027-01-01", "2027-01-01"
    newer["blocs"][0]["activities"][0]["competences"][0]["criteria"].append("Critère ajouté en 2027.")
    (tmp_path / "referentiel-2027.json").write_text(json.dumps(newer), encoding="utf-8")
    monkeypatch.setattr(loader, "DATA_DIR", tmp_path)
    loader.load_referentiel(django_apps, "referentiel-2027.json")
    loader.load_referentiel(django_apps, "referentiel-2027.json")  # idempotent

    assert list(Referentiel.objects.values_list("version", flat=True)) == ["2027-01-01", "2022-04-22"]
    assert selectors.referentiel_current().version == "2027-01-01"
    old.refresh_from_db()
    assert old.referentiel.version == "2022-04-22"
    assert old.referentiel.competences.get(code="C1.1").criteria.count() == 4
    assert Competence.objects.get(referentiel__version="2027-01-01", code="C1.1").criteria.count() == 5
    body = _api(formateur).get("/api/certification/referentiel/?version=2022-04-22").json()
    assert len(body["blocs"][0]["competences"][0]["criteria"]) == 4
