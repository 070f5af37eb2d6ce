"""Photo screens: upload from the dossier page and the claim page, refusals in French with nothing stored,
removal by the SAV manager leaving a trace, files served only through the checked views (never another site's)."""

import pytest
from django.urls import reverse

from atelier.aftersales.models import Claim, ClaimType
from atelier.aftersales.services import claim_open
from atelier.photos.models import Photo
from atelier.photos.services import photo_add
from atelier.repairs.tests.pages import dossier_page

from .conftest import PDF, jpeg_with_gps, stored_files, upload

pytestmark = pytest.mark.django_db


def test_the_counter_adds_two_photos_from_the_dossier_page(client, accueil, case, media):
    client.force_login(accueil)
    page = dossier_page(client, case.pk)
    assert 'accept="image/*"' in page and 'capture="environment"' in page and "multiple" in page
    assert "Aucune photo pour l'instant." in page
    response = client.post(
        reverse("photos:case", args=[case.pk]),
        {
            "images": [upload(jpeg_with_gps(), "a.jpg"), upload(jpeg_with_gps(), "b.jpg")],
            "stage": "reception",
            "caption": "Rayure sur la porte",
        },
    )
    assert (response.status_code, response["Location"]) == (
        302,
        reverse("repairs:detail", args=[case.pk]) + "#photos",
    )
    photos = list(Photo.objects.order_by("pk"))
    assert [(p.case, p.stage, p.caption, p.added_by, p.original_name) for p in photos] == [
        (case, "reception", "Rayure sur la porte", accueil, "a.jpg"),
        (case, "reception", "Rayure sur la porte", accueil, "b.jpg"),
    ]
    assert len(stored_files(media)) == 4  # each photo and its thumbnail
    assert case.events.last().label == "2 photo(s) ajoutée(s) : Réception"
    page = dossier_page(client, case.pk)
    assert page.count(reverse("photos:thumbnail", args=[photos[0].pk])) == 1
    image = client.get(reverse("photos:image", args=[photos[0].pk]))
    assert (image.status_code, image["Content-Type"], image["Cache-Control"]) == (
        200,
        "image/jpeg",
        "private, max-age=3600",
    )
    assert b"Apple" not in b"".join(image.streaming_content)


@pytest.mark.parametrize(
    ("files", "message"),
    [
        (
            [upload(PDF, "devis.jpg")],
            "« devis.jpg » n&#x27;est pas une photo lisible (JPEG, PNG ou WebP attendu).",
        ),
        ([upload(b"", "vide.jpg")], "« vide.jpg » est vide : aucune image reçue."),
        ([], "Aucune photo reçue : prenez ou choisissez au moins une photo."),
    ],
)
def test_bad_input_is_refused_in_french_and_nothing_is_stored(client, accueil, case, media, files, message):
    client.force_login(accueil)
    response = client.post(
        reverse("photos:case", args=[case.pk]),
        {"images": [upload(jpeg_with_gps(), "ok.jpg"), *files] if files else [], "stage": "reception"},
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert (Photo.objects.count(), stored_files(media)) == (0, [])


def test_an_oversized_photo_is_refused(client, accueil, case, media, settings):
    settings.ATELIER_PHOTO_MAX_MB = 1
    client.force_login(accueil)
    response = client.post(
        reverse("photos:case", args=[case.pk]),
        {"images": [upload(b"\xff\xd8" + b"0" * (2 * 1024 * 1024), "lourde.jpg")], "stage": "diagnostic"},
    )
    assert response.status_code == 400
    assert "« lourde.jpg » pèse 2,0 Mo : 1 Mo au plus par photo." in response.content.decode()
    assert (Photo.objects.count(), stored_files(media)) == (0, [])


def test_a_failure_while_writing_leaves_no_orphan_file(accueil, case, media, monkeypatch):
    from atelier.photos import services

    def boom(*args, **kwargs):
        raise RuntimeError("disque plein")

    monkeypatch.setattr(services, "_event", boom)
    with pytest.raises(RuntimeError):
        photo_add(actor=accueil, case=case, stage="reception", files=[upload(jpeg_with_gps())])
    assert (Photo.objects.count(), stored_files(media)) == (0, [])


def test_the_accountant_sees_photos_but_may_not_add(client, accueil, comptable, case, media):
    photo_add(actor=accueil, case=case, stage="reception", files=[upload(jpeg_with_gps())])
    client.force_login(comptable)
    section = client.get(reverse("photos:case", args=[case.pk]), headers={"HX-Request": "true"})
    assert section.status_code == 200 and 'id="photo-form"' not in section.content.decode()
    refused = client.post(
        reverse("photos:case", args=[case.pk]), {"images": [upload(jpeg_with_gps())], "stage": "reception"}
    )
    assert refused.status_code == 403
    assert "Votre rôle ne permet pas cette opération." in refused.content.decode()
    assert Photo.objects.count() == 1


def test_the_manager_removes_a_photo_with_a_reason_and_a_trace_stays(
    client, accueil, responsable, case, media, django_capture_on_commit_callbacks
):
    (photo,) = photo_add(actor=accueil, case=case, stage="reparation", files=[upload(jpeg_with_gps())])
    client.force_login(accueil)
    page = client.get(reverse("photos:detail", args=[photo.pk])).content.decode()
    assert "Supprimer la photo" not in page
    assert (
        client.post(
            reverse("photos:detail", args=[photo.pk]), {"action": "delete", "reason": "x"}
        ).status_code
        == 403
    )
    client.force_login(responsable)
    empty = client.post(reverse("photos:detail", args=[photo.pk]), {"action": "delete", "reason": " "})
    assert empty.status_code == 400 and "Ce champ est obligatoire." in empty.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(
            reverse("photos:detail", args=[photo.pk]),
            {"action": "delete", "reason": "Le visage du client apparaît"},
        )
    assert (done.status_code, done["Location"]) == (
        302,
        reverse("repairs:detail", args=[case.pk]) + "#photos",
    )
    photo.refresh_from_db()
    assert (photo.image.name, photo.deleted_by, photo.deletion_reason) == (
        "",
        responsable,
        "Le visage du client apparaît",
    )
    assert stored_files(media) == []
    event = case.events.last()
    assert (event.label, event.note, event.actor) == (
        "Photo supprimée : Réparation",
        "Le visage du client apparaît",
        responsable,
    )
    assert client.get(reverse("photos:image", args=[photo.pk])).status_code == 404
    section = client.get(
        reverse("photos:case", args=[case.pk]), headers={"HX-Request": "true"}
    ).content.decode()
    assert "1 photo supprimée" in section and "motif : Le visage du client apparaît" in section


def test_photos_of_another_site_answer_404(client, accueil, other_accueil, case, other_case):
    (photo,) = photo_add(
        actor=other_accueil, case=other_case, stage="reception", files=[upload(jpeg_with_gps())]
    )
    client.force_login(accueil)
    for name in ("photos:image", "photos:thumbnail", "photos:detail"):
        assert client.get(reverse(name, args=[photo.pk])).status_code == 404
    assert client.get(reverse("photos:case", args=[other_case.pk])).status_code == 404
    posted = client.post(
        reverse("photos:case", args=[other_case.pk]),
        {"images": [upload(jpeg_with_gps())], "stage": "reception"},
    )
    assert posted.status_code == 404
    client.logout()
    assert client.get(reverse("photos:image", args=[photo.pk])).status_code == 302  # to the login page


def test_the_claim_page_shows_its_photos_and_adds_one(client, accueil, case, media):
    claim = claim_open(
        actor=accueil,
        appliance=case.appliance,
        claim_type=ClaimType.objects.get(code="autre"),
        channel="guichet",
        description="La porte est rayée.",
        answers={"objet": "Rayure"},
        earlier_case=case,
    )
    client.force_login(accueil)
    page = client.get(reverse("aftersales:claim", args=[claim.pk])).content.decode()
    assert f'hx-get="{reverse("photos:claim", args=[claim.pk])}"' in page
    section = client.get(
        reverse("photos:claim", args=[claim.pk]), headers={"HX-Request": "true"}
    ).content.decode()
    assert 'type="hidden" name="stage" value="reclamation"' in section
    response = client.post(
        reverse("photos:claim", args=[claim.pk]),
        {"images": [upload(jpeg_with_gps(), "rayure.jpg")], "stage": "reclamation", "caption": "Rayure"},
    )
    assert (response.status_code, response["Location"]) == (
        302,
        reverse("aftersales:claim", args=[claim.pk]) + "#photos",
    )
    photo = Photo.objects.get()
    assert (photo.claim, photo.case, photo.stage) == (Claim.objects.get(), case, "reclamation")
    assert case.events.last().note == f"Réclamation {claim.number}"
