import datetime
from decimal import Decimal
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from atelier.core.errors import PermissionRefused
from atelier.customers.models import Appliance, Customer
from atelier.customers.services import appliance_create, appliance_update, customer_create, customer_update
from atelier.customers.tests.factories import ApplianceFactory, CustomerFactory

NOW = datetime.datetime(2025, 3, 14, 9, 30, tzinfo=datetime.UTC)
LATER = datetime.datetime(2025, 6, 1, 17, 0, tzinfo=datetime.UTC)
TOMORROW = timezone.localdate() + datetime.timedelta(days=1)


def refusal(call) -> dict:
    with pytest.raises(ValidationError) as info:
        call()
    return info.value.message_dict


# --- customer_create ---


def test_customer_create_normalises_what_was_typed_and_locates_the_address(accueil, site):
    with mock.patch("django.utils.timezone.now", return_value=NOW):
        customer = customer_create(
            actor=accueil,
            site=site,
            kind="professionnel",
            civility="Mme",
            last_name=" Lefèvre ",
            first_name="Élodie",
            company_name="Boulangerie Lefèvre",
            siren=" 732 829 320",
            phone="06 12 34 56 78",
            phone2="01.43.55.66.77",
            email=" Elodie.Lefevre@Example.FR ",
            address="3 rue de la Roquette",
            postcode="75 011",
            consent_contact=True,
            needs_hearing=True,
        )
    customer.refresh_from_db()
    assert (customer.site, customer.created_by) == (site, accueil)
    assert (customer.last_name, customer.siren) == ("Lefèvre", "732829320")
    assert (customer.phone, customer.phone2) == ("+33612345678", "+33143556677")
    assert customer.email == "elodie.lefevre@example.fr"
    assert (customer.postcode, customer.city) == ("75011", "Paris 11")
    assert (customer.latitude, customer.longitude) == (Decimal("48.85942"), Decimal("2.37874"))
    assert customer.consent_at == NOW
    assert customer.search_name == "lefevre elodie boulangerie lefevre"
    assert customer.accessibility_needs == ["Surdité / malentendant"]


def test_customer_create_without_consent_leaves_it_undated(accueil, site):
    customer = customer_create(actor=accueil, site=site, last_name="Morel", phone="0698765432")
    assert (customer.consent_contact, customer.consent_at) == (False, None)
    assert (customer.latitude, customer.longitude, customer.city) == (None, None, "")


def test_customer_create_locates_the_named_commune_of_a_shared_postcode(accueil, site):
    customer = customer_create(
        actor=accueil,
        site=site,
        last_name="Morel",
        phone="0698765432",
        postcode="01400",
        city="Châtillon-sur-Chalaronne",
    )
    assert (customer.city, customer.latitude, customer.longitude) == (
        "Châtillon-sur-Chalaronne",
        Decimal("46.12324"),
        Decimal("4.95810"),
    )


def test_customer_create_asks_for_the_city_when_the_postcode_serves_several(accueil, site):
    assert refusal(
        lambda: customer_create(
            actor=accueil, site=site, last_name="Morel", phone="0698765432", postcode="01400"
        )
    ) == {"city": ["Le code postal 01400 dessert plusieurs communes : précisez la ville."]}
    assert Customer.objects.count() == 0


@pytest.mark.parametrize(
    ("fields", "errors"),
    [
        ({"phone": "12345"}, {"phone": ["« 12345 » n'est pas un numéro de téléphone valide."]}),
        ({"phone2": "06 12"}, {"phone2": ["« 06 12 » n'est pas un numéro de téléphone valide."]}),
        ({"email": "marie@"}, {"email": ["Saisissez une adresse e-mail valide."]}),
        ({"postcode": "99999"}, {"postcode": ["Le code postal « 99999 » n'existe pas."]}),
        (
            {"kind": "professionnel", "company_name": "Dupont SARL", "siren": "732 829 321"},
            {"siren": ["« 732829321 » n'est pas un SIREN valide (9 chiffres, clé de contrôle)."]},
        ),
        (
            {"kind": "professionnel"},
            {
                "company_name": ["La raison sociale est obligatoire pour un professionnel."],
                "siren": ["Le SIREN est obligatoire pour un professionnel."],
            },
        ),
        (
            {"phone": "", "email": ""},
            {
                "phone": ["Indiquez au moins un téléphone ou un e-mail."],
                "preferred_contact": [
                    "Le contact préféré est le téléphone, mais aucun numéro n'est indiqué."
                ],
            },
        ),
        (
            {"phone": "12345", "email": "marie@"},
            {
                "phone": ["« 12345 » n'est pas un numéro de téléphone valide."],
                "email": ["Saisissez une adresse e-mail valide."],
            },
        ),
    ],
)
def test_customer_create_refuses_bad_input_in_french_and_writes_nothing(accueil, site, fields, errors):
    data = {"last_name": "Dupont", "phone": "0612345678", **fields}
    assert refusal(lambda: customer_create(actor=accueil, site=site, **data)) == errors
    assert Customer.objects.count() == 0


@pytest.mark.parametrize("role", ["accueil", "technicien", "responsable"])
def test_counter_technicians_and_manager_create_customers(request, site, role):
    customer_create(actor=request.getfixturevalue(role), site=site, last_name="Dupont", phone="0612345678")
    assert Customer.objects.count() == 1


@pytest.mark.parametrize("role", ["magasinier", "comptable", "formateur"])
def test_other_roles_may_not_create_customers(request, site, role):
    actor = request.getfixturevalue(role)
    with pytest.raises(PermissionRefused, match="^Votre rôle ne permet pas cette opération.$"):
        customer_create(actor=actor, site=site, last_name="Dupont", phone="0612345678")
    assert Customer.objects.count() == 0


def test_customer_create_refuses_a_site_the_actor_does_not_work_in(accueil, other_site):
    with pytest.raises(PermissionRefused, match="^Ce site ne fait pas partie des vôtres.$"):
        customer_create(actor=accueil, site=other_site, last_name="Dupont", phone="0612345678")
    assert Customer.objects.count() == 0


def test_customer_create_rejects_unknown_field_names(accueil, site):
    with pytest.raises(TypeError, match=r"customer_create\(\) got unexpected field\(s\): latitude, nom"):
        customer_create(actor=accueil, site=site, last_name="Dupont", nom="x", latitude=1)


# --- customer_update ---


def test_customer_update_dates_consent_when_given_keeps_it_then_clears_it_when_withdrawn(accueil, site):
    customer = CustomerFactory(site=site)
    with mock.patch("django.utils.timezone.now", return_value=NOW):
        customer = customer_update(actor=accueil, customer=customer, consent_contact=True)
    assert customer.consent_at == NOW
    with mock.patch("django.utils.timezone.now", return_value=LATER):
        customer = customer_update(actor=accueil, customer=customer, consent_contact=True, notes="Rappeler")
    assert customer.consent_at == NOW
    customer = customer_update(actor=accueil, customer=customer, consent_contact=False)
    customer.refresh_from_db()
    assert (customer.consent_contact, customer.consent_at) == (False, None)


def test_customer_update_normalises_and_relocates(accueil, site):
    customer = CustomerFactory(site=site, last_name="Dupont")
    updated = customer_update(
        actor=accueil,
        customer=customer,
        phone="+33 6 98 76 54 32",
        postcode="69003",
        city="",
        last_name="Dupont-Moretti",
    )
    updated.refresh_from_db()
    assert (updated.phone, updated.city, updated.latitude) == ("+33698765432", "Lyon 03", Decimal("45.75336"))
    assert updated.search_name == "dupont-moretti camille"


def test_customer_update_refused_changes_nothing(accueil, site):
    customer = CustomerFactory(site=site, phone="+33612345678", email="a@example.fr")
    errors = refusal(
        lambda: customer_update(actor=accueil, customer=customer, phone="12", email="b@example.fr")
    )
    assert errors == {"phone": ["« 12 » n'est pas un numéro de téléphone valide."]}
    customer.refresh_from_db()
    assert (customer.phone, customer.email) == ("+33612345678", "a@example.fr")


def test_customer_update_refuses_another_sites_customer_and_other_roles(accueil, formateur, other_site, site):
    foreign = CustomerFactory(site=other_site, last_name="Morel")
    with pytest.raises(PermissionRefused, match="^Ce site ne fait pas partie des vôtres.$"):
        customer_update(actor=accueil, customer=foreign, last_name="Autre")
    with pytest.raises(PermissionRefused, match="^Votre rôle ne permet pas cette opération.$"):
        customer_update(actor=formateur, customer=CustomerFactory(site=site), last_name="Autre")
    foreign.refresh_from_db()
    assert foreign.last_name == "Morel"


# --- appliances ---


@pytest.mark.parametrize(
    ("bought_new", "expected"), [(True, datetime.date(2025, 3, 15)), (False, datetime.date(2025, 3, 15))]
)
def test_appliance_create_computes_the_legal_warranty_end(accueil, site, bought_new, expected):
    appliance = appliance_create(
        actor=accueil,
        customer=CustomerFactory(site=site),
        family="lave_linge",
        brand=" Bosch ",
        purchase_date=datetime.date(2023, 3, 15),
        bought_new=bought_new,
        purchase_price=Decimal("499.90"),
    )
    appliance.refresh_from_db()
    assert (appliance.brand, appliance.warranty_end, appliance.purchase_price) == (
        "Bosch",
        expected,
        Decimal("499.90"),
    )


def test_appliance_create_keeps_a_warranty_end_given_and_none_without_purchase_date(accueil, site):
    customer = CustomerFactory(site=site)
    given = appliance_create(
        actor=accueil,
        customer=customer,
        family="froid",
        brand="Liebherr",
        purchase_date=datetime.date(2023, 3, 15),
        warranty_end=datetime.date(2028, 3, 15),
    )
    unknown = appliance_create(actor=accueil, customer=customer, family="autre", brand="Sans marque")
    assert (given.warranty_end, unknown.warranty_end) == (datetime.date(2028, 3, 15), None)


@pytest.mark.parametrize(
    ("fields", "errors"),
    [
        ({"purchase_date": TOMORROW}, {"purchase_date": ["La date d'achat ne peut pas être dans le futur."]}),
        ({"family": "frigo"}, {"family": ["« frigo » n'est pas une famille de produit connue."]}),
        ({"family": ""}, {"family": ["Ce champ ne peut pas être vide."]}),
        ({"brand": ""}, {"brand": ["Ce champ ne peut pas être vide."]}),
        (
            {"purchase_price": Decimal("-1")},
            {"purchase_price": ["Le prix d'achat ne peut pas être négatif."]},
        ),
        (
            {"purchase_date": datetime.date(2024, 5, 2), "warranty_end": datetime.date(2024, 5, 1)},
            {"warranty_end": ["La fin de garantie ne peut pas précéder la date d'achat."]},
        ),
    ],
)
def test_appliance_create_refuses_bad_input_in_french_and_writes_nothing(accueil, site, fields, errors):
    customer = CustomerFactory(site=site)
    data = {"family": "lave_linge", "brand": "Bosch", **fields}
    assert refusal(lambda: appliance_create(actor=accueil, customer=customer, **data)) == errors
    assert Appliance.objects.count() == 0


def test_appliance_services_check_role_and_site(accueil, magasinier, other_site, site):
    with pytest.raises(PermissionRefused, match="^Votre rôle ne permet pas cette opération.$"):
        appliance_create(actor=magasinier, customer=CustomerFactory(site=site), family="froid", brand="Haier")
    foreign = ApplianceFactory(customer=CustomerFactory(site=other_site), brand="Miele")
    with pytest.raises(PermissionRefused, match="^Ce site ne fait pas partie des vôtres.$"):
        appliance_create(actor=accueil, customer=foreign.customer, family="froid", brand="Haier")
    with pytest.raises(PermissionRefused, match="^Ce site ne fait pas partie des vôtres.$"):
        appliance_update(actor=accueil, appliance=foreign, brand="Haier")
    assert list(Appliance.objects.values_list("brand", flat=True)) == ["Miele"]


def test_appliance_update_recomputes_the_warranty_only_when_the_purchase_changes(accueil, site):
    appliance = ApplianceFactory(
        customer=CustomerFactory(site=site),
        purchase_date=datetime.date(2023, 3, 15),
        warranty_end=datetime.date(2028, 3, 15),
    )
    appliance = appliance_update(actor=accueil, appliance=appliance, brand="Siemens")
    assert appliance.warranty_end == datetime.date(2028, 3, 15)  # typed by hand (extended warranty): kept
    appliance = appliance_update(actor=accueil, appliance=appliance, purchase_date=datetime.date(2023, 1, 31))
    assert appliance.warranty_end == datetime.date(2025, 1, 31)
    appliance = appliance_update(actor=accueil, appliance=appliance, bought_new=False)
    assert appliance.warranty_end == datetime.date(2025, 1, 31)  # used goods: 2 years too (L217-3)
    appliance = appliance_update(actor=accueil, appliance=appliance, purchase_date=datetime.date(2023, 2, 28))
    assert appliance.warranty_end == datetime.date(2025, 2, 28)
    appliance = appliance_update(actor=accueil, appliance=appliance, warranty_end=None)
    appliance.refresh_from_db()
    assert (appliance.brand, appliance.warranty_end) == ("Siemens", datetime.date(2025, 2, 28))


def test_appliance_update_refused_changes_nothing(accueil, site):
    appliance = ApplianceFactory(
        customer=CustomerFactory(site=site), purchase_date=datetime.date(2023, 3, 15)
    )
    assert refusal(
        lambda: appliance_update(actor=accueil, appliance=appliance, brand="Siemens", purchase_date=TOMORROW)
    ) == {"purchase_date": ["La date d'achat ne peut pas être dans le futur."]}
    appliance.refresh_from_db()
    assert (appliance.brand, appliance.purchase_date) == ("Bosch", datetime.date(2023, 3, 15))
