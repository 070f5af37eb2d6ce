"""Upload checks for technical documents: the type is read from the file's first bytes, not trusted from
its name, and the size is capped."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

MAX_DOCUMENT_BYTES = 20 * 1024 * 1024
ALLOWED = {
    ".pdf": (b"%PDF-",),
    ".png": (b"\x89PNG\r\n\x1a\n",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".webp": (b"RIFF",),
}


def validate_document_file(file) -> None:
    name = (getattr(file, "name", "") or "").lower()
    ext = name[name.rfind(".") :] if "." in name else ""
    if ext not in ALLOWED:
        raise ValidationError(
            _("Ce fichier n'est pas un document accepté : joignez un PDF ou une image (PNG, JPEG, WebP)."),
            code="document_type",
        )
    if file.size > MAX_DOCUMENT_BYTES:
        raise ValidationError(
            _("Le fichier fait %(size)s Mo : 20 Mo au plus.")
            % {"size": f"{file.size / 1048576:.1f}".replace(".", ",")},
            code="document_size",
        )
    file.seek(0)
    head = file.read(16)
    file.seek(0)
    if not any(head.startswith(magic) for magic in ALLOWED[ext]):
        raise ValidationError(
            _("Le contenu du fichier ne correspond pas à un %(ext)s : fichier refusé.")
            % {"ext": ext[1:].upper()},
            code="document_content",
        )
