"""Draws of the product family for épreuves n°1 and n°2 (référentiel: « Le candidat devra tirer au sort une
épreuve issue des quatre familles de produits » / « des trois familles »; issue 19, point 3): recorded, replayable,
fair, never redone silently."""

import hashlib
from collections import Counter

import pytest
from rest_framework.test import APIClient

from atelier.certification import services
from atelier.certification.models import Draw
from atelier.certification.rules import family_for_seed
from atelier.core.errors import AtelierError, PermissionRefused

from .conftest import epreuves

pytestmark = pytest.mark.django_db

APPLIANCES = ["lave-linge", "lave-vaisselle", "cuisson", "froid"]
MULTIMEDIA = ["téléviseur", "audio", "vidéo"]
SEEDS = [f"graine-{i}" for i in range(6000)]
# chi-square critical values at 1 % (3 and 2 degrees of freedom)
CHI2_99 = {3: 11.345, 2: 9.210}


def _chi2(counts: Counter, families: list[str], n: int) -> float:
    expected = n / len(families)
    return sum((counts[f] - expected) ** 2 / expected for f in families)


@pytest.mark.parametrize(
    ("families", "expected"),
    [(APPLIANCES, [1553, 1512, 1479, 1456]), (MULTIMEDIA, [2012, 1974, 2014])],
)
def test_the_draw_is_fair_over_six_thousand_seeds(families, expected):
    counts = Counter(family_for_seed(seed, families) for seed in SEEDS)
    assert [counts[f] for f in families] == expected  # the fixed seed set gives exactly these counts
    assert _chi2(counts, families, len(SEEDS)) < CHI2_99[len(families) - 1]


def test_the_family_is_sha256_of_the_seed_modulo_the_number_of_families():
    digest = int(hashlib.sha256(b"graine-0").hexdigest(), 16)
    assert digest % 4 == 3
    assert family_for_seed("graine-0", APPLIANCES) == "froid"
    with pytest.raises(ValueError):
        family_for_seed("graine-0", [])


@pytest.fixture
def seated(session, apprentice, job_seeker, juror, formateur):
    services.session_candidate_add(actor=formateur, session=session, candidate=apprentice)
    services.session_candidate_add(actor=formateur, session=session, candidate=job_seeker)
    services.session_juror_add(actor=formateur, session=session, user=juror)
    return session


def test_a_draw_records_who_when_who_was_present_and_the_seed(seated, apprentice, job_seeker, juror):
    [e1] = epreuves(1)
    draw = services.draw_make(
        actor=juror, session=seated, epreuve=e1, candidate=apprentice, present=[job_seeker], seed="graine-0"
    )
    assert (draw.family, draw.seed, draw.families, draw.drawn_by) == ("froid", "graine-0", APPLIANCES, juror)
    assert set(draw.present.all()) == {apprentice, job_seeker}
    assert services.draw_replay(draw) is True


def test_a_second_draw_is_refused_without_a_reason_then_kept_beside_the_first(seated, apprentice, juror):
    [e2] = epreuves(2)
    first = services.draw_make(actor=juror, session=seated, epreuve=e2, candidate=apprentice, seed="s1")
    with pytest.raises(AtelierError) as refused:
        services.draw_make(actor=juror, session=seated, epreuve=e2, candidate=apprentice)
    assert refused.value.message.startswith(
        f"Léa Martin a déjà tiré « {family_for_seed('s1', MULTIMEDIA)} » pour l'épreuve n°2 le "
    )
    assert refused.value.message.endswith(
        "Un nouveau tirage n'est possible qu'avec son motif, qui sera enregistré et affiché à côté du premier."
    )
    assert Draw.objects.count() == 1
    again = services.draw_make(
        actor=juror,
        session=seated,
        epreuve=e2,
        candidate=apprentice,
        reason="Téléviseur de l'épreuve en panne",
    )
    assert again.replaces == first
    assert list(Draw.objects.order_by("pk").values_list("reason", flat=True)) == [
        "",
        "Téléviseur de l'épreuve en panne",
    ]
    assert services.current_draw(seated, e2, apprentice) == again


def test_no_draw_for_an_epreuve_without_families_nor_for_a_non_juror(seated, apprentice, tutor):
    [e4] = epreuves(4)
    from atelier.core.access import may

    assert may(tutor, "certification.judge", seated.site)
    with pytest.raises(PermissionRefused, match="Seul un membre du jury"):
        services.draw_make(actor=tutor, session=seated, epreuve=epreuves(1)[0], candidate=apprentice)
    with pytest.raises(AtelierError) as refused:
        services.draw_make(actor=seated.created_by, session=seated, epreuve=e4, candidate=apprentice)
    assert refused.value.message == "L'épreuve n°4 ne comporte pas de tirage au sort."


def test_api_draws_and_replays(seated, apprentice, job_seeker, juror):
    client = APIClient()
    client.force_authenticate(juror)
    response = client.post(
        f"/api/certification/sessions/{seated.pk}/draws/",
        {"epreuve": 1, "candidate": apprentice.pk, "present": [job_seeker.pk]},
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["family"] == body["replayed_family"] == family_for_seed(body["seed"], APPLIANCES)
    assert sorted(body["present"]) == sorted([apprentice.pk, job_seeker.pk])
    again = client.post(
        f"/api/certification/sessions/{seated.pk}/draws/",
        {"epreuve": 1, "candidate": apprentice.pk},
        format="json",
    )
    assert again.status_code == 400
    assert "Un nouveau tirage n'est possible qu'avec son motif" in str(again.json())
    listed = client.get(f"/api/certification/sessions/{seated.pk}/draws/").json()
    assert [d["id"] for d in listed] == [body["id"]]
