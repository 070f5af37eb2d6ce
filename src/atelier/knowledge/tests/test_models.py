from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction

from atelier.knowledge import services
from atelier.knowledge.models import Cause, Check, ErrorCode, Symptom, TechnicalDocument
from atelier.knowledge.validators import MAX_DOCUMENT_BYTES

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_seed_counts_per_family():
    counts = {
        f: Symptom.objects.filter(family=f).count()
        for f in ["lave_linge", "lave_vaisselle", "cuisson", "froid"]
    }
    assert counts == {"lave_linge": 22, "lave_vaisselle": 19, "cuisson": 20, "froid": 18}
    assert Symptom.objects.filter(family="seche_linge").count() == 12
    assert Symptom.objects.filter(family="televiseur").count() == 15
    assert Symptom.objects.filter(family="audio").count() == 12
    assert Symptom.objects.filter(family="video").count() == 8
    assert ErrorCode.objects.count() == 152
    per_family = {f: ErrorCode.objects.filter(family=f).count() for f in ["seche_linge", "froid", "cuisson"]}
    assert per_family == {"seche_linge": 21, "froid": 12, "cuisson": 8}
    assert {f: ErrorCode.objects.filter(family=f).count() for f in ["televiseur", "audio", "video"]} == {
        "televiseur": 8,
        "audio": 5,
        "video": 4,
    }
    d90 = ErrorCode.objects.get(family="seche_linge", brand="LG", code="d90")
    assert [c.title for c in d90.causes.order_by("title")] == [
        "Filtre à peluches encrassé",
        "Gaine d'évacuation obstruée ou écrasée",
    ]
    e18 = ErrorCode.objects.get(family="lave_linge", brand="Bosch", code="E18")
    assert e18.meaning == "Vidange trop longue ou impossible"
    assert [c.title for c in e18.causes.order_by("title")] == [
        "Filtre de vidange obstrué",
        "Pompe de vidange bloquée ou hors service",
        "Tuyau de vidange pincé ou bouché",
    ]
    assert set(
        ErrorCode.objects.filter(brand="Samsung", family="lave_linge").values_list("code", flat=True)
    ) >= {
        "4C",
        "5C",
        "dE",
        "UE",
    }


def test_seed_is_idempotent():
    from atelier.knowledge.seed import load_base

    before = (
        Symptom.objects.count(),
        Cause.objects.count(),
        ErrorCode.objects.count(),
        Check.objects.count(),
    )
    counts = load_base()
    assert counts["symptoms"] == before[0]
    assert (
        Symptom.objects.count(),
        Cause.objects.count(),
        ErrorCode.objects.count(),
        Check.objects.count(),
    ) == before


def test_check_refuses_negative_resistance(responsable):
    with pytest.raises(ValidationError, match="Une valeur en Ω ne peut pas être négative") as info:
        services.check_save(
            actor=responsable,
            family="lave_linge",
            title="Résistance",
            expected_min=Decimal("-5"),
            expected_max=Decimal("30"),
            unit="ohm",
        )
    assert info.value.message_dict["expected_min"] == ["Une valeur en Ω ne peut pas être négative."]
    assert not Check.objects.filter(title="Résistance").exists()


def test_check_refuses_min_above_max(responsable):
    with pytest.raises(ValidationError, match="La valeur minimale dépasse la valeur maximale") as info:
        services.check_save(
            actor=responsable,
            family="lave_linge",
            title="Pompe",
            expected_min=Decimal("250"),
            expected_max=Decimal("150"),
            unit="ohm",
        )
    assert info.value.message_dict["expected_min"] == ["La valeur minimale dépasse la valeur maximale."]


def test_check_value_needs_unit(responsable):
    with pytest.raises(ValidationError, match="Indiquez l'unité de la valeur attendue") as info:
        services.check_save(actor=responsable, family="froid", title="Sonde", expected_min=Decimal("2"))
    assert info.value.message_dict["unit"] == ["Indiquez l'unité de la valeur attendue."]


def test_check_negative_temperature_is_fine(responsable):
    check = services.check_save(
        actor=responsable,
        family="froid",
        title="Congélateur test",
        expected_min=Decimal("-24"),
        expected_max=Decimal("-18"),
        unit="C",
    )
    assert check.expected_display == "-24 à -18 °C"


def test_check_constraints_hold_in_database():
    with pytest.raises(IntegrityError), transaction.atomic():
        Check.objects.create(family="lave_linge", title="x", expected_min=5, expected_max=1, unit="V")
    with pytest.raises(IntegrityError), transaction.atomic():
        Check.objects.create(family="lave_linge", title="y", expected_min=-1, unit="ohm")


def test_error_code_is_upper_cased_and_unique(responsable):
    entry = services.error_code_save(
        actor=responsable, family="seche_linge", brand="Beko", code=" e99 ", meaning="Essai", causes=[]
    )
    assert entry.code == "e99"
    with pytest.raises(
        ValidationError, match="Ce code erreur existe déjà pour cette marque et cette"
    ) as info:
        services.error_code_save(
            actor=responsable, family="seche_linge", brand="Beko", code="E99", meaning="Bis"
        )
    assert info.value.message_dict["__all__"] == [
        "Ce code erreur existe déjà pour cette marque et cette famille."
    ]


def test_error_code_causes_of_another_family_refused(responsable):
    froid = Cause.objects.filter(family="froid").first()
    with pytest.raises(
        ValidationError, match="Ces causes sont d'une autre famille : Carte électronique"
    ) as info:
        services.error_code_save(
            actor=responsable, family="lave_linge", brand="Test", code="X1", meaning="m", causes=[froid]
        )
    assert info.value.message_dict["causes"] == [f"Ces causes sont d'une autre famille : {froid.title}."]


def test_model_needs_brand(responsable):
    with pytest.raises(ValidationError, match="Indiquez la marque du modèle") as info:
        services.symptom_save(actor=responsable, family="froid", title="Essai", model_ref="KGN39")
    assert info.value.message_dict["brand"] == ["Indiquez la marque du modèle."]


def test_only_managers_edit(technicien):
    from atelier.core.errors import PermissionRefused

    with pytest.raises(PermissionRefused, match="Votre rôle ne permet pas cette opération"):
        services.symptom_save(actor=technicien, family="froid", title="Essai")


def test_document_pdf_upload_and_link(responsable, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    document = services.document_save(
        actor=responsable,
        family="lave_linge",
        brand="Bosch",
        title="Schéma WAN28",
        kind="schema",
        file=SimpleUploadedFile("schema.pdf", PDF, content_type="application/pdf"),
    )
    assert document.file.name.endswith(".pdf")
    assert document.added_by == responsable
    link = services.document_save(
        actor=responsable, family="froid", title="Notice", url="https://example.org/n.pdf"
    )
    assert link.url == "https://example.org/n.pdf"


def test_document_needs_file_or_link(responsable):
    with pytest.raises(ValidationError, match="Joignez un fichier ou indiquez un lien") as info:
        services.document_save(actor=responsable, family="froid", title="Rien")
    assert info.value.messages == ["Joignez un fichier ou indiquez un lien (l'un ou l'autre)."]


def test_document_refuses_non_documents(responsable, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    with pytest.raises(
        ValidationError, match="Ce fichier n'est pas un document accepté : joignez un PDF"
    ) as info:
        services.document_save(
            actor=responsable,
            family="froid",
            title="Virus",
            file=SimpleUploadedFile("setup.exe", b"MZ\x90\x00"),
        )
    assert info.value.message_dict["file"] == [
        "Ce fichier n'est pas un document accepté : joignez un PDF ou une image (PNG, JPEG, WebP)."
    ]
    with pytest.raises(
        ValidationError, match="Le contenu du fichier ne correspond pas à un PDF : fichier"
    ) as info:
        services.document_save(
            actor=responsable,
            family="froid",
            title="Faux",
            file=SimpleUploadedFile("faux.pdf", b"MZ\x90\x00"),
        )
    assert info.value.message_dict["file"] == [
        "Le contenu du fichier ne correspond pas à un PDF : fichier refusé."
    ]
    assert not TechnicalDocument.objects.exists()
    assert list(tmp_path.iterdir()) == []


def test_document_refuses_too_big(responsable, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    big = SimpleUploadedFile("gros.pdf", PDF + b"0" * MAX_DOCUMENT_BYTES)
    with pytest.raises(ValidationError, match="Le fichier fait 20,0 Mo : 20 Mo au plus") as info:
        services.document_save(actor=responsable, family="froid", title="Gros", file=big)
    assert info.value.message_dict["file"] == ["Le fichier fait 20,0 Mo : 20 Mo au plus."]
    assert not TechnicalDocument.objects.exists()
    assert list(tmp_path.iterdir()) == []
