"""Reads of photos: a dossier's (its own and those of its claims), a claim's, a customer's."""

from django.db.models import Q, QuerySet

from atelier.photos.models import Photo


def _rows() -> QuerySet[Photo]:
    return Photo.objects.select_related("added_by", "deleted_by", "claim", "case")


def case_photos(case, *, with_deleted: bool = False) -> QuerySet[Photo]:
    """The dossier's photos in the order they were taken, with those of the claims about it (its earlier
    claims and the claim it was opened for); removed ones only on request (their trace)."""
    rows = _rows().filter(Q(case=case) | Q(claim__earlier_case=case) | Q(claim__new_case=case))
    return rows if with_deleted else rows.filter(deleted_at__isnull=True)


def claim_photos(claim, *, with_deleted: bool = False) -> QuerySet[Photo]:
    rows = _rows().filter(claim=claim)
    return rows if with_deleted else rows.filter(deleted_at__isnull=True)


def customer_photos(customer) -> QuerySet[Photo]:
    """Every photo of the customer's dossiers and claims, removed ones included (for the export's trace)."""
    return Photo.objects.filter(Q(case__customer=customer) | Q(claim__customer=customer))


def photo_get(*, user, pk) -> Photo:
    from atelier.core.scoping import visible_or_404

    return visible_or_404(_rows(), user, pk=pk)
