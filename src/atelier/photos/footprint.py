"""Photos in a customer's personal data (customers.extensions): a photo may show a person, a home, a document;
it is part of the data export (the list, not the pixels: the export is JSON) and goes when the file is
anonymised (its row stays as a trace, without file, caption nor file name)."""

from django.db.models import Max
from django.utils import timezone

from atelier.photos.models import Photo
from atelier.photos.selectors import customer_photos


def photo_contact_dates(customer_ids):
    """A photo taken of the customer's appliance is a contact (its latest date per customer)."""
    for path in ("case__customer", "claim__customer"):
        rows = (
            Photo.objects.filter(**{f"{path}__in": customer_ids})
            .values(path)
            .annotate(last=Max("added_at"))
            .values_list(path, "last")
        )
        for customer_id, last in rows:
            yield customer_id, timezone.localdate(last)


def scrub_photos(customer) -> dict[str, int]:
    from atelier.photos.services import photos_erase_for_customer

    return {"photos": photos_erase_for_customer(customer, reason="anonymisation du client")}


def export_photos(customer):
    rows = customer_photos(customer).select_related("case", "claim").order_by("added_at", "pk")
    return "photos", [
        {
            "prise_le": p.added_at.isoformat(),
            "etape": p.get_stage_display(),
            "dossier": p.case.number if p.case else None,
            "reclamation": p.claim.number if p.claim else None,
            "legende": p.caption,
            "supprimee_le": p.deleted_at.isoformat() if p.deleted_at else None,
            "motif_suppression": p.deletion_reason,
        }
        for p in rows
    ]
