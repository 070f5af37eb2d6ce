"""Reading an upload: judged by content, re-encoded without any metadata, upright, with a thumbnail
(issue 18 point 5: « images only, size-limited, stripped of location metadata »; RGPD art. 5.1.c, minimisation)."""

import io

import pytest
from PIL import Image

from atelier.photos.images import PhotoRefused, read_photo

from .conftest import PDF, jpeg_with_gps, upload


def test_the_kept_copy_has_no_metadata_and_is_turned_upright():
    rendition = read_photo(upload(jpeg_with_gps(size=(40, 20))))
    kept = Image.open(io.BytesIO(rendition.content))
    assert (kept.format, kept.size, (rendition.width, rendition.height)) == ("JPEG", (20, 40), (20, 40))
    assert dict(kept.getexif()) == {}
    assert "exif" not in kept.info and "icc_profile" not in kept.info
    assert b"Apple" not in rendition.content
    thumb = Image.open(io.BytesIO(rendition.thumbnail))
    assert (thumb.format, thumb.size, dict(thumb.getexif())) == ("JPEG", (20, 40), {})


def test_a_large_photo_is_kept_at_2048_pixels_and_its_thumbnail_at_320():
    out = io.BytesIO()
    Image.new("RGB", (4000, 3000), (10, 120, 10)).save(out, "PNG")
    rendition = read_photo(upload(out.getvalue(), name="grande.png", content_type="image/png"))
    assert (rendition.width, rendition.height) == (2048, 1536)
    assert Image.open(io.BytesIO(rendition.thumbnail)).size == (320, 240)


def test_a_transparent_png_and_a_webp_are_accepted():
    png, webp = io.BytesIO(), io.BytesIO()
    Image.new("RGBA", (10, 10), (0, 0, 0, 0)).save(png, "PNG")
    Image.new("RGB", (10, 10), (0, 0, 255)).save(webp, "WEBP")
    assert read_photo(upload(png.getvalue(), name="a.png")).width == 10
    assert read_photo(upload(webp.getvalue(), name="a.webp")).width == 10


def test_a_pdf_renamed_jpg_is_refused_by_its_content():
    with pytest.raises(PhotoRefused) as refused:
        read_photo(upload(PDF, name="facture.jpg"))
    assert refused.value.message == "« facture.jpg » n'est pas une photo lisible (JPEG, PNG ou WebP attendu)."


def test_a_gif_is_not_a_photo_and_a_truncated_jpeg_is_refused():
    gif = io.BytesIO()
    Image.new("P", (4, 4)).save(gif, "GIF")
    with pytest.raises(PhotoRefused, match="« anim.gif » n'est pas une photo lisible"):
        read_photo(upload(gif.getvalue(), name="anim.gif"))
    with pytest.raises(PhotoRefused, match="« coupee.jpg » n'est pas une photo lisible"):
        read_photo(upload(jpeg_with_gps()[:200], name="coupee.jpg"))


def test_an_empty_file_is_refused():
    with pytest.raises(PhotoRefused) as refused:
        read_photo(upload(b"", name="vide.jpg"))
    assert refused.value.message == "« vide.jpg » est vide : aucune image reçue."


def test_a_photo_over_the_size_setting_is_refused(settings):
    settings.ATELIER_PHOTO_MAX_MB = 1
    with pytest.raises(PhotoRefused) as refused:
        read_photo(upload(b"\xff\xd8" + b"0" * (1536 * 1024), name="lourde.jpg"))
    assert refused.value.message == "« lourde.jpg » pèse 1,5 Mo : 1 Mo au plus par photo."
