import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from atelier.knowledge.models import Check, ErrorCode, Symptom, TechnicalDocument

pytestmark = pytest.mark.django_db


def test_login_required(client):
    response = client.get(reverse("knowledge:index"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize("role", ["accueil", "technicien", "magasinier", "comptable", "formateur"])
def test_every_role_reads_but_only_managers_edit(client, request, role):
    user = request.getfixturevalue(role)
    client.force_login(user)
    symptom = Symptom.objects.get(family="lave_linge", title="Ne vidange pas, eau dans le tambour")
    assert client.get(reverse("knowledge:index"), {"famille": "lave_linge"}).status_code == 200
    assert client.get(reverse("knowledge:symptom_detail", args=[symptom.pk])).status_code == 200
    assert client.get(reverse("knowledge:symptom_update", args=[symptom.pk])).status_code == 403
    response = client.post(reverse("knowledge:symptom_create"), {"family": "froid", "title": "Essai"})
    assert response.status_code == 403
    assert not Symptom.objects.filter(title="Essai").exists()
    assert client.get(reverse("knowledge:document_create")).status_code == 403


def test_index_family_page(client, technicien, django_assert_max_num_queries):
    client.force_login(technicien)
    with django_assert_max_num_queries(14):
        response = client.get(reverse("knowledge:index"), {"famille": "lave_linge"})
    body = response.content.decode()
    assert "Base technique · Lave-linge" in body
    assert "Ne vidange pas, eau dans le tambour" in body
    assert "Couper l&#x27;alimentation électrique et l&#x27;eau" in body
    assert "Nouveau symptôme" not in body
    assert len(response.context["symptoms"]) == 22


def test_search_across_families(client, technicien):
    client.force_login(technicien)
    response = client.get(reverse("knowledge:index"), {"q": "séchage"})
    assert [(c.family, c.title) for c in response.context["causes"]] == [
        ("lave_vaisselle", "Doseur de produit de rinçage qui fuit ou vide"),
        ("lave_vaisselle", "Ventilateur de séchage défectueux"),
        ("seche_linge", "Filtre à peluches encrassé"),
    ]
    response = client.get(reverse("knowledge:index"), {"q": "zzzz"})
    assert "Rien trouvé pour « zzzz »" in response.content.decode()


def test_manager_creates_and_edits_error_code(client, responsable):
    client.force_login(responsable)
    causes = ErrorCode.objects.get(family="lave_linge", brand="Bosch", code="E18").causes.all()
    response = client.post(
        reverse("knowledge:error_code_create"),
        {
            "family": "lave_linge",
            "brand": "Haier",
            "code": "ERR2",
            "meaning": "Vidange impossible",
            "causes": [c.pk for c in causes],
        },
    )
    entry = ErrorCode.objects.get(brand="Haier", code="ERR2")
    assert response.status_code == 302
    assert response.url == reverse("knowledge:error_code_detail", args=[entry.pk])
    assert entry.causes.count() == 3
    assert " vidang " in entry.search_text
    response = client.get(reverse("knowledge:error_code_detail", args=[entry.pk]))
    assert "Filtre de vidange obstrué" in response.content.decode()


def test_absurd_check_shows_french_errors_and_keeps_input(client, responsable):
    client.force_login(responsable)
    response = client.post(
        reverse("knowledge:check_create"),
        {
            "family": "lave_linge",
            "title": "Résistance absurde",
            "expected_min": "-3",
            "expected_max": "20",
            "unit": "ohm",
        },
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "Une valeur en Ω ne peut pas être négative." in body
    assert 'value="Résistance absurde"' in body
    assert not Check.objects.filter(title="Résistance absurde").exists()


def test_upload_not_a_document_is_refused(client, responsable, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(responsable)
    response = client.post(
        reverse("knowledge:document_create"),
        {
            "family": "froid",
            "title": "Script",
            "kind": "autre",
            "file": SimpleUploadedFile("x.sh", b"#!/bin/sh"),
        },
    )
    assert response.status_code == 400
    assert "Ce fichier n&#x27;est pas un document accepté" in response.content.decode()
    assert not TechnicalDocument.objects.exists()
    assert list(tmp_path.iterdir()) == []


def test_manager_uploads_a_pdf(client, responsable, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(responsable)
    response = client.post(
        reverse("knowledge:document_create"),
        {
            "family": "lave_linge",
            "brand": "Bosch",
            "model_ref": "WAN28208FF",
            "title": "Schéma électrique WAN28",
            "kind": "schema",
            "file": SimpleUploadedFile("wan28.pdf", b"%PDF-1.4\n%%EOF\n"),
        },
    )
    document = TechnicalDocument.objects.get()
    assert response.url == reverse("knowledge:document_detail", args=[document.pk])
    assert (document.brand, document.model_ref, document.added_by) == ("Bosch", "WAN28208FF", responsable)
    page = client.get(reverse("knowledge:index"), {"famille": "lave_linge", "q": "schéma"})
    assert [d.title for d in page.context["documents"]] == ["Schéma électrique WAN28"]


def test_manager_edits_a_symptom_and_its_causes(client, responsable):
    client.force_login(responsable)
    symptom = Symptom.objects.get(family="froid", title="Fait disjoncter")
    form = client.get(reverse("knowledge:symptom_update", args=[symptom.pk]))
    assert sorted(c.pk for c in form.context["form"].initial["causes"]) == sorted(
        symptom.causes.values_list("pk", flat=True)
    )
    cause = symptom.causes.order_by("title").first()
    response = client.post(
        reverse("knowledge:symptom_update", args=[symptom.pk]),
        {"family": "froid", "title": "Fait disjoncter le différentiel", "causes": [cause.pk]},
    )
    assert response.url == reverse("knowledge:symptom_detail", args=[symptom.pk])
    symptom.refresh_from_db()
    assert symptom.title == "Fait disjoncter le différentiel"
    assert list(symptom.causes.all()) == [cause]
    assert symptom.search_text == " fait disjonct le differentiel "


def test_knowledge_seed_command(capsys):
    from django.core.management import call_command

    call_command("knowledge_seed")
    assert capsys.readouterr().out == (
        "Base technique chargée : 129 causes, 126 symptômes, 152 codes erreur, 27 contrôles, 17 consignes.\n"
    )


def test_the_manager_reaches_the_procedures_from_the_technical_base(client, technicien, responsable):
    """Issue 15: procedures had no way in but the manager's home panel."""
    client.force_login(responsable)
    html = client.get(reverse("knowledge:index")).content.decode()
    assert f'href="{reverse("procedures:list")}" id="procedures-link"' in html
    client.force_login(technicien)  # follows procedures on the dossier, does not edit them (« réseau »)
    assert 'id="procedures-link"' not in client.get(reverse("knowledge:index")).content.decode()
