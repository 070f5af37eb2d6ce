"""Photos in the customer's personal data (RGPD art. 15 and 20: export; art. 17: erasure) and in a dispute's
evidence pack (issue 18 point 4)."""

import pytest
from django.template.loader import render_to_string
from django.utils import timezone

from atelier.core.pdf import render_pdf
from atelier.customers.export import export_data
from atelier.customers.privacy import customer_erase
from atelier.photos.plugins import evidence_part
from atelier.photos.selectors import case_photos
from atelier.photos.services import photo_add, photo_delete

from .conftest import jpeg_with_gps, stored_files, upload

pytestmark = pytest.mark.django_db


def test_the_export_lists_the_photos_and_the_erasure_removes_their_files(
    accueil, responsable, case, media, django_capture_on_commit_callbacks
):

    (photo,) = photo_add(
        actor=accueil, case=case, stage="reception", caption="Mme Martin", files=[upload(jpeg_with_gps())]
    )
    exported = export_data(case.customer)["photos"]
    assert exported == [
        {
            "prise_le": photo.added_at.isoformat(),
            "etape": "Réception",
            "dossier": case.number,
            "reclamation": None,
            "legende": "Mme Martin",
            "supprimee_le": None,
            "motif_suppression": "",
        }
    ]
    case.status = "cloture"
    case.save(update_fields=["status"])
    with django_capture_on_commit_callbacks(execute=True):
        action = customer_erase(
            actor=responsable,
            customer=case.customer,
            channel="guichet",
            requested_on=timezone.localdate(),
        )
    assert action.details["lignes"]["photos"] == 1
    photo.refresh_from_db()
    assert (photo.image.name, photo.caption, photo.deletion_reason) == ("", "", "anonymisation du client")
    assert stored_files(media) == []


def test_the_evidence_part_carries_each_photo_as_a_data_uri_and_the_removed_ones(
    accueil, responsable, case, media
):
    kept, gone = photo_add(
        actor=accueil, case=case, stage="reparation", files=[upload(jpeg_with_gps()), upload(jpeg_with_gps())]
    )
    photo_delete(actor=responsable, photo=gone, reason="Doublon")
    assert list(case_photos(case)) == [kept]
    part = evidence_part(case)
    assert part["template"] == "photos/pdf/_evidence.html"
    assert [item["photo"] for item in part["photos"]] == [kept]
    assert part["photos"][0]["src"].startswith("data:image/jpeg;base64,/9j/")
    assert part["removed"] == [gone]
    html = render_to_string(part["template"], {"part": part})
    assert "Réparation : supprimée le" in html and "motif : Doublon" in html
    assert render_pdf(f"<html><body>{html}</body></html>").startswith(b"%PDF")


def test_a_disputes_evidence_pack_carries_the_dossiers_photos(accueil, case, media):
    from atelier.disputes import evidence
    from atelier.disputes.services import dispute_open
    from atelier.disputes.tests.conftest import pdf_text

    photo_add(
        actor=accueil, case=case, stage="reception", files=[upload(jpeg_with_gps())], caption="Hublot fêlé"
    )
    dispute = dispute_open(
        actor=accueil, source="courrier", channel="courrier", summary="Vitre cassée.", case=case
    )
    text = pdf_text(evidence.pack_pdf(dispute=dispute))
    assert "Photos Réception — Hublot fêlé · prise le" in text
