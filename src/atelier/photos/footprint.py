"""Photos in a customer's personal data (customers.extensions): a photo may show a person, a home, a document;
it is part of the data export (the list, not the pixels: the export is JSON) and goes when the file is
anonymised (its row stays as a trace, without file, caption nor file name)."""

from atelier.photos.selectors import customer_photos


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
