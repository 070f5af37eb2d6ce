"""Uploaded documents are served by a view behind the login and a role (never by a public media URL); the
SAV manager edits the safety warnings."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from atelier.knowledge import services
from atelier.knowledge.models import SafetyWarning

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n%%EOF\n"


@pytest.fixture
def document(responsable, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return services.document_save(
        actor=responsable,
        family="lave_linge",
        brand="Bosch",
        model_ref="",
        title="Schéma WAN28",
        kind="schema",
        file=SimpleUploadedFile("wan28.pdf", PDF),
        url="",
    )


def test_document_file_is_served_to_staff_only(client, document, technicien):
    url = reverse("knowledge:document_file", args=[document.pk])
    anonymous = client.get(url)
    assert anonymous.status_code == 302 and anonymous.url.startswith(reverse("login"))
    client.force_login(technicien)
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == PDF
    page = client.get(reverse("knowledge:document_detail", args=[document.pk])).content.decode()
    assert url in page and "/media/" not in page


def test_media_url_is_not_served(client, document, technicien):
    client.force_login(technicien)
    assert client.get("/media/" + document.file.name).status_code == 404


def test_user_without_role_cannot_read_a_document(client, document, django_user_model):
    user = django_user_model.objects.create_user(username="sansrole", password="x")
    client.force_login(user)
    assert client.get(reverse("knowledge:document_file", args=[document.pk])).status_code == 403


def test_link_document_has_no_file(client, responsable, technicien):
    link = services.document_save(
        actor=responsable, family="froid", brand="", model_ref="", title="Notice", kind="notice",
        file=None, url="https://example.fr/notice.pdf",
    )  # fmt: skip
    client.force_login(technicien)
    assert client.get(reverse("knowledge:document_file", args=[link.pk])).status_code == 404


def test_manager_edits_a_safety_warning(client, responsable, technicien):
    warning = SafetyWarning.objects.filter(family="froid").first()
    client.force_login(technicien)
    assert client.get(reverse("knowledge:safety_update", args=[warning.pk])).status_code == 403
    client.force_login(responsable)
    url = reverse("knowledge:safety_update", args=[warning.pk])
    refused = client.post(url, {"family": "froid", "title": warning.title, "severity": "danger", "text": ""})
    assert refused.status_code == 400 and "Ce champ est obligatoire." in refused.content.decode()
    response = client.post(
        url,
        {
            "family": "froid",
            "title": warning.title,
            "severity": "attention",
            "text": "Gaz R600a inflammable.",
        },
    )
    assert response.status_code == 302
    warning.refresh_from_db()
    assert (warning.severity, warning.text) == ("attention", "Gaz R600a inflammable.")
    created = client.post(
        reverse("knowledge:safety_create"),
        {
            "family": "audio",
            "title": "Condensateurs chargés",
            "severity": "danger",
            "text": "Décharger avant.",
        },
    )
    assert created.status_code == 302
    assert SafetyWarning.objects.get(family="audio", title="Condensateurs chargés").search_text
    page = client.get(reverse("knowledge:index"), {"famille": "audio"}).content.decode()
    assert "Nouvelle consigne" in page and reverse("knowledge:safety_update", args=[warning.pk]) not in page
