import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from atelier.customers.tests.factories import ApplianceFactory, CustomerFactory
from atelier.repairs.services import case_open

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def jpeg_with_gps(size=(40, 20), colour=(200, 10, 10)) -> bytes:
    """A phone photo: EXIF orientation 6 (turned 90°), the maker, and a GPS position in Paris."""
    exif = Image.Exif()
    exif[0x0112] = 6
    exif[0x010F] = "Apple"
    exif[0x8825] = {1: "N", 2: (48.0, 51.0, 24.0), 3: "E", 4: (2.0, 21.0, 3.0)}
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, "JPEG", exif=exif)
    return out.getvalue()


def upload(content: bytes, name="photo.jpg", content_type="image/jpeg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """Each test writes its photos in a folder of its own, to count what is left there."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def stored_files(media) -> list[str]:
    return (
        sorted(str(p.relative_to(media)) for p in media.rglob("*") if p.is_file()) if media.exists() else []
    )


@pytest.fixture
def case(accueil, site):
    customer = CustomerFactory(site=site, last_name="Martin", first_name="Léa")
    appliance = ApplianceFactory(customer=customer, brand="Bosch")
    return case_open(actor=accueil, customer=customer, appliance=appliance, customer_words="Fuit.")


@pytest.fixture
def other_case(other_accueil, other_site):
    customer = CustomerFactory(site=other_site, last_name="Durand")
    appliance = ApplianceFactory(customer=customer, brand="Miele")
    return case_open(actor=other_accueil, customer=customer, appliance=appliance, customer_words="Bruit.")
