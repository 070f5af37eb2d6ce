"""Drop-off appointments at the counter: capacity per site, family and half-day; never over it."""

import datetime

import pytest
from django.utils import timezone

from atelier.core.errors import AtelierError, PermissionRefused
from atelier.customers.models import Appliance, Customer
from atelier.planning import selectors, services
from atelier.planning.models import DropOff, DropOffCapacity


@pytest.fixture
def customer(site):
    return Customer.objects.create(site=site, last_name="Dépôt", phone="+33611112222")


@pytest.fixture
def tomorrow():
    return timezone.localdate() + datetime.timedelta(days=1)


def test_half_day_full_for_the_family_is_refused(site, accueil, customer, tomorrow):
    DropOffCapacity.objects.create(site=site, family="lave_linge", slot="matin", capacity=2)
    DropOffCapacity.objects.create(site=site, family="froid", slot="matin", capacity=1)
    book = dict(actor=accueil, site=site, day=tomorrow, slot="matin", customer=customer)
    first = services.dropoff_book(family="lave_linge", **book)
    with pytest.raises(AtelierError) as exc:  # a double click books nothing more
        services.dropoff_book(family="lave_linge", **book)
    assert exc.value.message == f"Ce client a déjà ce rendez-vous de dépôt le {tomorrow:%d/%m/%Y} (matin)."
    neighbour = Customer.objects.create(site=site, last_name="Voisin", phone="+33633335555")
    services.dropoff_book(family="lave_linge", **{**book, "customer": neighbour})
    services.dropoff_book(family="froid", **book)  # another family has its own places
    with pytest.raises(
        services.SlotFull,
        match=f"Créneau complet : 2 lave-linge déjà attendus le {tomorrow:%d/%m/%Y} \\(matin\\). "
        "Proposez une autre demi-journée.",
    ):
        services.dropoff_book(family="lave_linge", **book)
    services.dropoff_cancel(actor=accueil, dropoff=first)
    services.dropoff_book(family="lave_linge", **book)  # the cancelled place is free again, even for him
    board = selectors.dropoff_day(site, tomorrow)
    assert [(s["family"], s["slot"], s["capacity"], s["booked"], s["free"]) for s in board["slots"]] == [
        ("froid", "matin", 1, 1, 0),
        ("lave_linge", "matin", 2, 2, 0),
    ]
    assert len(board["bookings"]) == 3


def test_booking_refusals(site, other_site, accueil, technicien, responsable, customer, tomorrow):
    DropOffCapacity.objects.create(site=site, family="lave_linge", slot="matin", capacity=4)
    book = dict(site=site, day=tomorrow, slot="matin", family="lave_linge", customer=customer)
    with pytest.raises(PermissionRefused, match="Votre rôle ne permet pas cette opération."):
        services.dropoff_book(actor=technicien, **book)
    with pytest.raises(AtelierError, match="Aucun dépôt de sèche-linge n'est prévu le matin sur ce site."):
        services.dropoff_book(actor=accueil, **{**book, "family": "seche_linge"})
    with pytest.raises(AtelierError, match="Un rendez-vous de dépôt ne peut pas être dans le passé."):
        services.dropoff_book(
            actor=accueil, **{**book, "day": timezone.localdate() - datetime.timedelta(days=1)}
        )
    stranger = Customer.objects.create(site=other_site, last_name="Lyon", phone="+33622223333")
    with pytest.raises(AtelierError, match="Ce client n'est pas un client du site."):
        services.dropoff_book(actor=accueil, **{**book, "customer": stranger})
    other = Appliance.objects.create(customer=stranger, family="lave_linge", brand="Bosch")
    with pytest.raises(AtelierError, match="Cet appareil n'est pas celui du client."):
        services.dropoff_book(actor=accueil, appliance=other, **book)
    with pytest.raises(PermissionRefused, match="Votre rôle ne permet pas cette opération."):
        services.dropoff_capacity_set(actor=accueil, site=site, family="froid", slot="matin", capacity=3)
    row = services.dropoff_capacity_set(
        actor=responsable, site=site, family="lave_linge", slot="matin", capacity=6
    )
    assert DropOffCapacity.objects.get(pk=row.pk).capacity == 6
    assert DropOff.objects.count() == 0
