"""Drop-off appointments at the counter: a capacity per half-day, site and family, never double-booked (the
capacity row is locked while the bookings of the slot are counted, so two counters cannot take the last place
together)."""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from atelier.core.access import require_step
from atelier.core.errors import AtelierError
from atelier.core.locking import lock
from atelier.core.models import User
from atelier.core.permissions import require_site
from atelier.core.wording import plural_count
from atelier.customers.choices import ProductFamily
from atelier.planning.models import DropOff, DropOffCapacity, DropOffSlot


class SlotFull(AtelierError):
    status_code = 409


def _slot_label(day: datetime.date, slot: str) -> str:
    return f"{day:%d/%m/%Y} ({DropOffSlot(slot).label.lower()})"


@transaction.atomic
def dropoff_book(
    *,
    actor: User,
    site,
    day: datetime.date,
    slot: str,
    family: str,
    customer,
    appliance=None,
    note: str = "",
) -> DropOff:
    """Book a drop-off for the customer (and appliance); refused when the half-day is full for the family."""
    require_step(actor, "planning.dropoff", site=site)
    require_site(actor, site)
    if slot not in DropOffSlot.values:
        raise AtelierError(_("Choisissez le matin ou l'après-midi."), field="slot")
    if family not in ProductFamily.values:
        raise AtelierError(_("Famille d'appareil inconnue."), field="family")
    if day < timezone.localdate():
        raise AtelierError(_("Un rendez-vous de dépôt ne peut pas être dans le passé."), field="day")
    if customer.site_id != site.pk:
        raise AtelierError(_("Ce client n'est pas un client du site."), field="customer")
    if appliance is not None and appliance.customer_id != customer.pk:
        raise AtelierError(_("Cet appareil n'est pas celui du client."), field="appliance")
    capacity = DropOffCapacity.objects.filter(site=site, family=family, slot=slot).first()
    if capacity is None or capacity.capacity == 0:
        raise AtelierError(
            _("Aucun dépôt de %(f)s n'est prévu le %(s)s sur ce site.")
            % {"f": ProductFamily(family).label.lower(), "s": DropOffSlot(slot).label.lower()},
            field="slot",
        )
    capacity = lock(capacity)  # the bookings of this family and half-day are counted one counter at a time
    taken = DropOff.objects.filter(
        site=site, day=day, slot=slot, family=family, cancelled_at__isnull=True
    ).count()
    if taken >= capacity.capacity:
        raise SlotFull(
            ngettext(
                "Créneau complet : %(n)s %(f)s déjà attendu le %(s)s. Proposez une autre demi-journée.",
                "Créneau complet : %(n)s %(f)s déjà attendus le %(s)s. Proposez une autre demi-journée.",
                plural_count(taken),
            )
            % {"n": taken, "f": ProductFamily(family).label.lower(), "s": _slot_label(day, slot)},
            field="slot",
        )
    already = DropOff.objects.filter(
        site=site,
        day=day,
        slot=slot,
        family=family,
        customer=customer,
        appliance=appliance,
        cancelled_at__isnull=True,
    )
    if already.exists():  # a double click, or the same appointment booked twice: counted under the lock above
        raise AtelierError(
            _("Ce client a déjà ce rendez-vous de dépôt le %(s)s.") % {"s": _slot_label(day, slot)},
            field="slot",
        )
    return DropOff.objects.create(
        site=site,
        day=day,
        slot=slot,
        family=family,
        customer=customer,
        appliance=appliance,
        note=note.strip(),
        booked_by=actor,
    )


@transaction.atomic
def dropoff_cancel(*, actor: User, dropoff: DropOff) -> DropOff:
    require_step(actor, "planning.dropoff", site=dropoff.site)
    require_site(actor, dropoff.site)
    fresh = lock(dropoff)
    if fresh.cancelled_at is not None:
        raise SlotFull(_("Ce rendez-vous est déjà annulé."))
    fresh.cancelled_at = timezone.now()
    fresh.save(update_fields=["cancelled_at"])
    return fresh


@transaction.atomic
def dropoff_capacity_set(*, actor: User, site, family: str, slot: str, capacity: int) -> DropOffCapacity:
    require_step(actor, "planning.dropoff_capacity", site=site)
    require_site(actor, site)
    if not 0 <= capacity <= 99:
        raise AtelierError(_("La capacité doit être entre 0 et 99 appareils."), field="capacity")
    if family not in ProductFamily.values or slot not in DropOffSlot.values:
        raise AtelierError(_("Famille ou demi-journée inconnue."), field="family")
    row, _created = DropOffCapacity.objects.update_or_create(
        site=site, family=family, slot=slot, defaults={"capacity": capacity}
    )
    return row
