"""Reading an uploaded photo and writing the copies Atelier keeps.

A photo is judged by its content, never by its name or the type the browser claims: Pillow must recognise one of
the allowed formats and decode every pixel. What is kept is a new JPEG drawn from the pixels alone (turned upright
first from the EXIF orientation), so no metadata of the original survives: no GPS position, no camera serial, no
date, no thumbnail of the uncropped picture, no ICC or XMP block. A thumbnail is made the same way.
"""

from __future__ import annotations

import hashlib
import io
import warnings
from dataclasses import dataclass

from django.conf import settings
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from atelier.core.errors import AtelierError

# What Pillow reads in this installation (HEIC needs the pillow-heif plug-in, absent: a tablet's camera sends
# JPEG to a web form anyway, iOS converts HEIC when the input asks for images).
ALLOWED_FORMATS = {"JPEG": "JPEG", "PNG": "PNG", "WEBP": "WebP", "MPO": "JPEG"}
MAX_PIXELS = 60_000_000  # a 48-megapixel camera passes; a decompression bomb does not
KEPT_SIDE = (
    2048  # the long side of the copy kept: enough to read a serial plate, a quarter of a camera's bytes
)
THUMB_SIDE = 320
JPEG_QUALITY = 85


class PhotoRefused(AtelierError):
    """An upload that is not a photo Atelier keeps; the message names the file."""


@dataclass(frozen=True)
class Rendition:
    """The kept copy of one photo: JPEG bytes without metadata, and its thumbnail."""

    original_name: str
    content: bytes
    width: int
    height: int
    thumbnail: bytes
    sha256: str


def max_bytes() -> int:
    return int(settings.ATELIER_PHOTO_MAX_MB * 1024 * 1024)


def _name(upload) -> str:
    return (getattr(upload, "name", "") or _("sans nom")).rsplit("/", 1)[-1][:120]


def _jpeg(image: Image.Image, side: int) -> tuple[bytes, int, int]:
    copy = image.copy()
    copy.thumbnail((side, side), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    # no exif=, icc_profile= nor comment: Pillow writes only the pixels
    copy.save(out, "JPEG", quality=JPEG_QUALITY, optimize=True)
    return out.getvalue(), copy.width, copy.height


def _flatten(image: Image.Image) -> Image.Image:
    """RGB pixels: a transparent PNG is laid on white (a JPEG has no transparency)."""
    if image.mode in ("RGBA", "LA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        background = Image.new("RGB", rgba.size, (255, 255, 255))
        background.paste(rgba, mask=rgba.getchannel("A"))
        return background
    return image.convert("RGB")


def read_photo(upload) -> Rendition:
    """The kept copy of an uploaded file, or PhotoRefused with a French message naming the file."""
    name = _name(upload)
    size = getattr(upload, "size", None)
    if not size:
        raise PhotoRefused(_("« %(name)s » est vide : aucune image reçue.") % {"name": name}, field="images")
    if size > max_bytes():
        raise PhotoRefused(
            _("« %(name)s » pèse %(size)s Mo : %(limit)s Mo au plus par photo.")
            % {
                "name": name,
                "size": number_format(size / 1024 / 1024, 1),
                "limit": settings.ATELIER_PHOTO_MAX_MB,
            },
            field="images",
        )
    not_an_image = PhotoRefused(
        _("« %(name)s » n'est pas une photo lisible (JPEG, PNG ou WebP attendu).") % {"name": name},
        field="images",
    )
    upload.seek(0)
    data = upload.read()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as probe:
                if probe.format not in ALLOWED_FORMATS:
                    raise not_an_image
                if probe.width * probe.height > MAX_PIXELS:
                    raise PhotoRefused(
                        _("« %(name)s » est trop grande (%(w)d × %(h)d pixels).")
                        % {"name": name, "w": probe.width, "h": probe.height},
                        field="images",
                    )
                probe.load()  # every pixel decoded: a truncated or forged file fails here
                upright = ImageOps.exif_transpose(probe)
                pixels = _flatten(upright)
    except PhotoRefused:
        raise
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, Image.DecompressionBombError, Warning):
        raise not_an_image from None
    content, width, height = _jpeg(pixels, KEPT_SIDE)
    thumbnail, _w, _h = _jpeg(pixels, THUMB_SIDE)
    return Rendition(
        original_name=name,
        content=content,
        width=width,
        height=height,
        thumbnail=thumbnail,
        sha256=hashlib.sha256(content).hexdigest(),
    )
