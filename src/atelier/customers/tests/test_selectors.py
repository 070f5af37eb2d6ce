import datetime

import pytest
from django.http import Http404
from django.utils import timezone

from atelier.core.tests.factories import UserFactory
from atelier.customers.selectors import customer_duplicates, customer_get, customer_history, customer_list
from atelier.customers.tests.factories import ApplianceFactory, CustomerFactory
from atelier.repairs.models import RepairCase


@pytest.fixture
def people(site, other_site):
    """Three customers of the site and a namesake of Dupont's, with the same phone, in the other site."""
    dupont = CustomerFactory(
        site=site,
        last_name="Dupont",
        first_name="Marie",
        phone="+33612345678",
        email="marie.dupont@example.fr",
        postcode="75011",
        city="Paris 11",
    )
    lefevre = CustomerFactory(
        site=site,
        last_name="Lefèvre",
        first_name="Élodie",
        phone="+33698765432",
        phone2="+33143556677",
        email="elodie@exemple.fr",
        postcode="69003",
        city="Lyon 03",
    )
    martin = CustomerFactory(
        site=site,
        kind="professionnel",
        company_name="Boulangerie Martin",
        last_name="Martin",
        first_name="Paul",
        siren="732829320",
        phone="+33145678901",
        email="contact@boulangerie-martin.fr",
        postcode="01400",
        city="Romans",
    )
    CustomerFactory(
        site=other_site,
        last_name="Dupont",
        first_name="Jean",
        phone="+33612345678",
        email="marie.dupont@example.fr",
        postcode="75011",
    )
    ApplianceFactory(customer=dupont, serial_number="FD9503-123456")
    ApplianceFactory(customer=dupont, serial_number="FD9503-654321")
    return {"dupont": dupont, "lefevre": lefevre, "martin": martin}


def names(customers) -> list[str]:
    return [c.last_name for c in customers]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", ["Dupont", "Lefèvre", "Martin"]),
        ("dupont", ["Dupont"]),
        ("DUPONT", ["Dupont"]),
        ("elodie", ["Lefèvre"]),
        ("LEFEVRE", ["Lefèvre"]),
        ("Élodie Lefèvre", ["Lefèvre"]),
        ("  marie   dupont ", ["Dupont"]),
        ("marie lefevre", []),
        ("boulangerie", ["Martin"]),
        ("06 12 34 56 78", ["Dupont"]),
        ("0612345678", ["Dupont"]),
        ("+33 6 12 34 56 78", ["Dupont"]),
        ("06.12.34", ["Dupont"]),
        ("06 1", ["Dupont"]),  # the beginning of a number: +3361…, not every number containing 61
        ("0033 6 98", ["Lefèvre"]),
        ("01 43 55 66 77", ["Lefèvre"]),  # the second phone
        ("6 12 34", ["Dupont"]),  # the leading 0 left out
        ("5678", []),  # digits from the middle of a number: no index serves them, not searched
        ("06", []),  # too few digits to mean a number
        ("elodie@exemple.fr", ["Lefèvre"]),
        ("MARIE.DUPONT@EXAMPLE", ["Dupont"]),  # the beginning of an address
        ("dup", ["Dupont"]),  # the beginning of a name
        ("paul", ["Martin"]),  # of a first name
        ("martin", ["Martin"]),  # of the company name's second word, and the last name
        ("hélène", []),
        ("martin 01400", ["Martin"]),  # a name and a postcode: both must hold
        ("martin 75011", []),
        ("dupont 06 12", ["Dupont"]),  # a name and the beginning of a phone
        ("lefevre 06 12", []),
        ("69003", ["Lefèvre"]),
        ("01400", ["Martin"]),  # a postcode, not the phones containing 1400
        ("fd9503", ["Dupont"]),  # two appliances match: the customer once
        ("FD9503-654321", ["Dupont"]),
        ("D9503-654321", []),  # a serial from its beginning only
        ("dupont fd9503", ["Dupont"]),
        ("martin fd9503", []),
        ("zzz", []),
    ],
)
def test_customer_list_searches_name_phone_email_postcode_and_serial_within_the_users_sites(
    accueil, people, query, expected
):
    assert names(customer_list(user=accueil, query=query)) == expected


def test_customer_list_counts_appliances_and_dossiers(accueil, people):
    dupont = people["dupont"]
    RepairCase.objects.create(
        site=dupont.site,
        number="PAR1-2025-000001",
        customer=dupont,
        appliance=dupont.appliances.first(),
        customer_words="Fuit par dessous.",
        received_by=accueil,
    )
    counts = {c.last_name: (c.appliance_count, c.case_count) for c in customer_list(user=accueil)}
    assert counts == {"Dupont": (2, 1), "Lefèvre": (0, 0), "Martin": (0, 0)}


def test_chain_manager_lists_every_site(site, other_site, people):
    manager = UserFactory(username="reseau", is_chain_manager=True)
    assert names(customer_list(user=manager, query="dupont")) == ["Dupont", "Dupont"]
    assert {c.site.code for c in customer_list(user=manager, query="dupont")} == {"PAR1", "LYO1"}


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        ({"phone": "06 12 34 56 78"}, ["Dupont"]),
        ({"phone": "01 43 55 66 77"}, ["Lefèvre"]),  # matches a second phone
        ({"phone2": "0698765432"}, ["Lefèvre"]),
        ({"email": " Marie.Dupont@EXAMPLE.fr"}, ["Dupont"]),
        ({"phone": "0698765432", "email": "contact@boulangerie-martin.fr"}, ["Lefèvre", "Martin"]),
        ({"phone": "06 12"}, []),  # still being typed: no warning, no error
        ({"email": "autre@example.fr"}, []),
        ({}, []),
    ],
)
def test_customer_duplicates_within_the_site(site, people, kwargs, expected):
    assert names(customer_duplicates(site=site, **kwargs)) == expected


def test_customer_duplicates_leaves_out_the_file_being_edited(site, people):
    assert names(customer_duplicates(site=site, phone="0612345678", exclude_pk=people["dupont"].pk)) == []


def test_customer_get_answers_404_outside_the_users_sites(accueil, other_accueil, people):
    dupont = people["dupont"]
    assert customer_get(user=accueil, pk=dupont.pk) == dupont
    with pytest.raises(Http404):
        customer_get(user=other_accueil, pk=dupont.pk)


def test_customer_history_lists_appliances_with_their_dossiers_newest_first(
    accueil, people, django_assert_num_queries
):
    dupont = people["dupont"]
    first, second = dupont.appliances.order_by("serial_number")
    now = timezone.now()
    old, new, other = (
        RepairCase.objects.create(
            site=dupont.site,
            number=f"PAR1-2025-00000{n}",
            customer=dupont,
            appliance=appliance,
            customer_words="Ne chauffe plus.",
            received_by=accueil,
            received_at=now - datetime.timedelta(days=days),
        )
        for n, appliance, days in ((1, first, 30), (2, first, 2), (3, second, 10))
    )
    with django_assert_num_queries(3):
        history = customer_history(dupont)
        by_appliance = {a.serial_number: [c.number for c in a.cases.all()] for a in history.appliances}
    assert by_appliance == {"FD9503-123456": [new.number, old.number], "FD9503-654321": [other.number]}
    assert [c.number for c in history.cases] == ["PAR1-2025-000002", "PAR1-2025-000003", "PAR1-2025-000001"]
