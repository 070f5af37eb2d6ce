"""Core writing services: numbering sequences, users."""

from django.db import transaction

from atelier.core.locking import lock_rows
from atelier.core.models import NumberSequence, Site, User, UserRole


@transaction.atomic
def sequence_next(*, site: Site, kind: str, year: int) -> int:
    """Next number of a gapless sequence, taken under a row lock (callers' transaction keeps it until commit).

    The row is created on first use; get_or_create inside the atomic block handles the race on creation
    through the unique constraint, then the row lock serialises the increments.
    """
    NumberSequence.objects.get_or_create(site=site, kind=kind, year=year)
    (seq,) = lock_rows(NumberSequence.objects.filter(site=site, kind=kind, year=year))
    seq.last_value += 1
    seq.save(update_fields=["last_value"])
    return seq.last_value


@transaction.atomic
def user_set_roles(*, user: User, roles: list[str]) -> None:
    """Replace the roles of a user."""
    user.roles.exclude(role__in=roles).delete()
    for role in roles:
        UserRole.objects.get_or_create(user=user, role=role)
    user.__dict__.pop("_role_cache", None)
