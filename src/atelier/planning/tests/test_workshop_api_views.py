"""The workshop week and the drop-offs, on screen and through the API: who may, exact answers, refusals."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from atelier.customers.models import Appliance, Customer
from atelier.planning.models import DropOff, DropOffCapacity
from atelier.planning.workshop import week_code


@pytest.fixture
def tomorrow():
    return timezone.localdate() + datetime.timedelta(days=1)


@pytest.fixture
def counter(site, make_profile):
    make_profile(families=["lave_linge"])
    DropOffCapacity.objects.create(site=site, family="lave_linge", slot="matin", capacity=1)
    return Customer.objects.create(site=site, last_name="Comptoir", phone="+33633334444")


def test_api_books_lists_and_refuses_a_full_half_day(client, accueil, counter, tomorrow):
    client.force_login(accueil)
    body = {"day": tomorrow.isoformat(), "slot": "matin", "family": "lave_linge", "customer": counter.pk}
    created = client.post("/api/planning/dropoffs/", body, content_type="application/json")
    assert created.status_code == 201
    pk = DropOff.objects.get().pk
    assert created.json() == {
        "id": pk,
        "site": "PAR1",
        "day": tomorrow.isoformat(),
        "slot": "matin",
        "family": "lave_linge",
        "customer": counter.pk,
        "customer_name": counter.display_name,
        "appliance": None,
        "note": "",
        "booked_at": created.json()["booked_at"],
    }
    full = client.post("/api/planning/dropoffs/", body, content_type="application/json")
    assert full.status_code == 409
    assert full.json() == {
        "detail": f"Créneau complet : 1 lave-linge déjà attendu le {tomorrow:%d/%m/%Y} (matin). "
        "Proposez une autre demi-journée."
    }
    listed = client.get("/api/planning/dropoffs/", {"day": tomorrow.isoformat()}).json()
    assert [d["id"] for d in listed] == [pk]
    slots = client.get("/api/planning/dropoffs/capacity/", {"day": tomorrow.isoformat()}).json()
    assert slots == [{"family": "lave_linge", "slot": "matin", "capacity": 1, "booked": 1, "free": 0}]
    assert client.get("/api/planning/dropoffs/", {"day": "demain"}).json() == {
        "day": "Date illisible : attendu AAAA-MM-JJ."
    }
    assert client.get("/api/planning/dropoffs/", {"site": "LYO1"}).status_code == 404


def test_api_workshop_week(client, accueil, technicien, counter, tomorrow):
    DropOff.objects.create(
        site=counter.site,
        day=tomorrow,
        slot="matin",
        family="lave_linge",
        customer=counter,
        booked_by=accueil,
    )
    client.force_login(accueil)
    week = week_code(tomorrow)
    answer = client.get("/api/planning/workshop/", {"week": week})
    assert answer.status_code == 200
    data = answer.json()
    assert (data["site"], data["week"], len(data["days"])) == ("PAR1", week, 6)
    job = data["jobs"][0]
    assert (job["key"], job["rank"], job["minutes"], job["reason"]) == (
        f"depot:{DropOff.objects.get().pk}",
        1,
        30,
        "Dépôt prévu : 30 min de diagnostic réservées",
    )
    assert client.get("/api/planning/workshop/", {"week": "2026-W60"}).json() == {
        "week": "Semaine illisible : attendu AAAA-Wnn, ex. 2026-W50."
    }
    client.force_login(technicien)
    assert client.get("/api/planning/workshop/").status_code == 403


def test_screens(client, accueil, technicien, responsable, counter, tomorrow):
    client.force_login(accueil)
    page = client.get(reverse("planning:workshop"))
    assert page.status_code == 200
    assert "Travaux à l'établi, dans l'ordre" in page.content.decode()
    url = reverse("planning:dropoffs") + f"?jour={tomorrow.isoformat()}"
    # the customer is searched, not picked from a list of every customer of the site
    html = client.get(url).content.decode()
    assert ('name="rdv-customer"' in html, "Cherchez d'abord le client." in html) == (False, True)
    found = client.get(url + f"&q={counter.last_name}").content.decode()
    assert f"client={counter.pk}" in found
    own = Appliance.objects.create(
        customer=counter, family="lave_linge", brand="Bosch", model_ref="WAN28208FF"
    )
    other = Customer.objects.create(site=counter.site, last_name="Voisin", phone="+33633335555")
    Appliance.objects.create(customer=other, family="lave_linge", brand="Miele", model_ref="WDB030")
    chosen = client.get(url + f"&client={counter.pk}")
    assert f'<input type="hidden" name="rdv-customer" value="{counter.pk}"' in chosen.content.decode()
    assert list(chosen.context["form"].fields["appliance"].queryset) == [own]
    booked = client.post(
        url,
        {
            "action": "book",
            "rdv-day": tomorrow.isoformat(),
            "rdv-slot": "matin",
            "rdv-family": "lave_linge",
            "rdv-customer": counter.pk,
        },
    )
    assert booked.status_code == 302
    assert booked["Location"] == reverse("planning:dropoffs") + f"?site=PAR1&jour={tomorrow.isoformat()}"
    again = client.post(
        url,
        {
            "action": "book",
            "rdv-day": tomorrow.isoformat(),
            "rdv-slot": "matin",
            "rdv-family": "lave_linge",
            "rdv-customer": counter.pk,
        },
    )
    assert again.status_code == 409
    assert "Créneau complet : 1 lave-linge déjà attendu le " in again.content.decode()
    capacity = client.post(
        url, {"action": "capacity", "cap-family": "lave_linge", "cap-slot": "matin", "cap-capacity": 3}
    )
    assert capacity.status_code == 403  # the counter books; the manager sets the places
    cancel = client.post(reverse("planning:dropoff_cancel", args=[DropOff.objects.get().pk]))
    assert cancel.status_code == 302 and DropOff.objects.get().cancelled_at is not None
    client.force_login(responsable)
    client.post(
        url, {"action": "capacity", "cap-family": "lave_linge", "cap-slot": "matin", "cap-capacity": 3}
    )
    assert DropOffCapacity.objects.get().capacity == 3
    client.force_login(technicien)
    assert client.get(reverse("planning:workshop")).status_code == 403
    assert client.get(reverse("planning:dropoffs")).status_code == 403
