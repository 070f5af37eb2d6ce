"""Demo photos: pictures drawn at load time (no binary in the repository) and sent through the product's own
service, as a tablet would: reception photos of open dossiers, a diagnosis and a repair photo, and the photos of
the first claim. Deterministic; idempotent (nothing when the demo already has photos)."""

import io
import unicodedata

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw, ImageFont

from atelier.aftersales.models import Claim
from atelier.photos.choices import PhotoStage
from atelier.photos.models import Photo
from atelier.photos.services import photo_add
from atelier.repairs.choices import CaseStatus
from atelier.repairs.models import RepairCase

# (stage, background, what the picture shows, caption)
SHOTS = {
    PhotoStage.RECEPTION: (
        (225, 230, 235),
        "Plaque signalétique",
        "État à la réception : plaque signalétique",
    ),
    PhotoStage.DIAGNOSTIC: ((40, 60, 40), "Carte électronique", "Composant brûlé sur la carte de puissance"),
    PhotoStage.REPARATION: ((200, 200, 190), "Joint remplacé", "Joint de porte neuf en place"),
    PhotoStage.RECLAMATION: (
        (235, 225, 215),
        "Trace de fuite",
        "Trace d'eau sous la porte, constatée au guichet",
    ),
}


def _font():
    """A system font with French accents when there is one (Debian's DejaVu); else Pillow's, without accents."""
    try:
        return ImageFont.truetype("DejaVuSans.ttf", 20), str
    except OSError:
        plain = lambda text: unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()  # noqa: E731
        return ImageFont.load_default(size=20), plain


def _picture(stage: str, number: str) -> SimpleUploadedFile:
    """A 640 × 480 JPEG: an appliance's front drawn in flat shapes, what it shows and the dossier number."""
    background, title, _caption = SHOTS[stage]
    image = Image.new("RGB", (640, 480), background)
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle(
        (120, 60, 520, 440), radius=24, fill=(245, 245, 245), outline=(90, 90, 90), width=4
    )
    draw.ellipse((220, 150, 420, 350), outline=(60, 60, 60), width=10)
    draw.rectangle((140, 80, 500, 120), fill=(70, 110, 160))
    font, spell = _font()
    draw.text((150, 88), spell(title), fill=(255, 255, 255), font=font)
    draw.text((150, 405), number, fill=(40, 40, 40), font=font)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=80)
    return SimpleUploadedFile(f"demo-{stage}.jpg", out.getvalue(), content_type="image/jpeg")


def _add(actor, stage: str, *, case=None, claim=None) -> int:
    number = (claim or case).number
    photo_add(
        actor=actor,
        stage=stage,
        case=case,
        claim=claim,
        caption=SHOTS[stage][2],
        files=[_picture(stage, number)],
    )
    return 1


def load(*, sites, users, rng) -> dict[str, int]:
    site = sites["PAR1"]
    if Photo.objects.filter(site=site).exists():
        return {}
    accueil, technicien = users["accueil"], users["technicien"]
    count = 0
    received = RepairCase.objects.filter(site=site, status=CaseStatus.RECU).order_by("received_at", "pk")[:3]
    for case in received:
        count += _add(accueil, PhotoStage.RECEPTION, case=case)
    in_repair = (
        RepairCase.objects.filter(site=site, status__in=(CaseStatus.EN_REPARATION, CaseStatus.REPARE))
        .order_by("received_at", "pk")
        .first()
    )
    if in_repair is not None:
        count += _add(technicien, PhotoStage.DIAGNOSTIC, case=in_repair)
        count += _add(technicien, PhotoStage.REPARATION, case=in_repair)
    claim = Claim.objects.filter(site=site).order_by("opened_at", "pk").first()
    if claim is not None:
        count += _add(accueil, PhotoStage.RECLAMATION, claim=claim)
    return {"photos": count} if count else {}
