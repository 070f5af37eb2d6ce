import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from atelier.customers.models import Appliance, Customer
from atelier.customers.tests.factories import ApplianceFactory, CustomerFactory
from atelier.repairs.models import RepairCase

TOMORROW = timezone.localdate() + datetime.timedelta(days=1)


def customer_form(**overrides) -> dict:
    data = {
        "kind": "particulier",
        "civility": "Mme",
        "last_name": "Dupont",
        "first_name": "Marie",
        "phone": "06 12 34 56 78",
        "email": "Marie.Dupont@example.fr",
        "preferred_contact": "telephone",
        "address": "3 rue de la Roquette",
        "postcode": "75011",
        "city": "",
        "language": "français",
        "consent_contact": "on",
    }
    return {**data, **overrides}


def appliance_form(**overrides) -> dict:
    data = {
        "family": "lave_linge",
        "brand": "Bosch",
        "model_ref": "WAN28208FF",
        "serial_number": "FD9503-1",
        "purchase_date": "2023-03-15",
        "purchase_place": "Darty République",
        "purchase_price": "499.90",
        "bought_new": "on",
        "warranty_end": "",
    }
    return {**data, **overrides}


@pytest.fixture
def as_accueil(client, accueil):
    client.force_login(accueil)
    return client


# --- list and search ---


def test_list_shows_the_sites_customers_and_searches_them(as_accueil, site, other_site):
    CustomerFactory(site=site, last_name="Dupont", first_name="Marie", phone="+33612345678")
    CustomerFactory(site=site, last_name="Lefèvre", first_name="Élodie")
    CustomerFactory(site=other_site, last_name="Morel")
    response = as_accueil.get(reverse("customers:list"))
    assert response.status_code == 200
    assert [c.last_name for c in response.context["customers"]] == ["Dupont", "Lefèvre"]
    assert response.context["nav"] == "customers"
    response = as_accueil.get(reverse("customers:list"), {"q": "06 12 34 56 78"})
    assert [c.last_name for c in response.context["customers"]] == ["Dupont"]
    assert "06\u00a012\u00a034\u00a056\u00a078" in response.content.decode()  # never broken across lines


def test_live_search_answers_the_results_table_only(as_accueil, site):
    CustomerFactory(site=site, last_name="Dupont")
    response = as_accueil.get(reverse("customers:list"), {"q": "zzz"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert response.templates[0].name == "customers/_results.html"
    assert "<html" not in html
    assert "Aucun client ne correspond à « zzz »." in html


def test_list_paginates_by_25_under_a_query_ceiling(as_accueil, site, django_assert_max_num_queries):
    for n in range(30):
        ApplianceFactory(customer=CustomerFactory(site=site, last_name=f"Client{n:02d}"))
    with django_assert_max_num_queries(9):
        response = as_accueil.get(reverse("customers:list"))
    assert len(response.context["customers"]) == 25
    assert response.context["page_obj"].paginator.count == 30
    assert [c.appliance_count for c in response.context["customers"]] == [1] * 25
    assert "Page 1 sur 2 · 30 résultats" in response.content.decode()


def test_a_search_with_more_results_than_the_cap_says_plus_de(as_accueil, site, monkeypatch):
    from atelier.customers import selectors

    monkeypatch.setattr(selectors, "SEARCH_CAP", 30)
    for n in range(31):
        CustomerFactory(site=site, last_name=f"Martin{n:02d}")
    CustomerFactory(site=site, last_name="Dupont")
    html = as_accueil.get(reverse("customers:list"), {"q": "martin"}).content.decode()
    assert "Plus de 30 clients : précisez la recherche (nom et code postal, téléphone…)." in html
    assert "Page 1 · plus de 30 résultats : précisez la recherche ou les filtres" in html
    html = as_accueil.get(reverse("customers:list"), {"q": "martin0"}).content.decode()
    assert "Plus de 30" not in html and "Page 1" not in html  # 10 found: one page, counted exactly


def test_anonymous_visitors_are_sent_to_the_login_page(client, db):
    response = client.get(reverse("customers:list"))
    assert (response.status_code, response.url) == (302, "/connexion/?next=/clients/")


# --- creation ---


def test_create_customer_through_the_form(as_accueil, accueil, site):
    response = as_accueil.post(reverse("customers:create"), customer_form())
    customer = Customer.objects.get()
    assert response.status_code == 302 and response.url == reverse("customers:detail", args=[customer.pk])
    assert (customer.site, customer.created_by, customer.phone, customer.email, customer.city) == (
        site,
        accueil,
        "+33612345678",
        "marie.dupont@example.fr",
        "Paris 11",
    )
    assert customer.consent_at is not None


def test_create_warns_of_duplicates_then_creates_when_confirmed(as_accueil, site):
    existing = CustomerFactory(site=site, last_name="Dupont", first_name="Marie", phone="+33612345678")
    response = as_accueil.post(reverse("customers:create"), customer_form(email="autre@example.fr"))
    html = response.content.decode()
    assert response.status_code == 409  # shown again: the site already has this phone
    assert Customer.objects.count() == 1
    assert [d.pk for d in response.context["duplicates"]] == [existing.pk]
    assert "Attention, fiche déjà existante avec ce téléphone ou cet e-mail :" in html
    assert f'href="{reverse("customers:detail", args=[existing.pk])}"' in html
    assert "Créer quand même" in html
    response = as_accueil.post(
        reverse("customers:create"), customer_form(email="autre@example.fr", create_anyway="on")
    )
    assert response.status_code == 302
    assert Customer.objects.count() == 2


@pytest.mark.parametrize(
    ("overrides", "errors"),
    [
        ({"phone": "12345"}, {"phone": ["« 12345 » n'est pas un numéro de téléphone valide."]}),
        ({"email": "marie@"}, {"email": ["Saisissez une adresse e-mail valide."]}),
        (
            {"kind": "professionnel", "company_name": "Dupont SARL", "siren": "732 829 321"},
            {"siren": ["« 732829321 » n'est pas un SIREN valide (9 chiffres, clé de contrôle)."]},
        ),
        ({"postcode": "99999"}, {"postcode": ["Le code postal « 99999 » n'existe pas."]}),
        (
            {"postcode": "01400"},
            {"city": ["Le code postal 01400 dessert plusieurs communes : précisez la ville."]},
        ),
        ({"last_name": ""}, {"last_name": ["Ce champ est obligatoire."]}),
    ],
)
def test_create_refuses_bad_input_with_a_french_message_and_writes_nothing(as_accueil, overrides, errors):
    response = as_accueil.post(reverse("customers:create"), customer_form(**overrides))
    assert response.status_code == 400
    assert response.context["form"].errors == errors
    assert escape(next(iter(errors.values()))[0]) in response.content.decode()
    assert Customer.objects.count() == 0


def test_a_pro_siren_typed_with_spaces_is_accepted(as_accueil):
    as_accueil.post(
        reverse("customers:create"),
        customer_form(kind="professionnel", company_name="Dupont SARL", siren="732 829 320"),
    )
    assert Customer.objects.get().siren == "732829320"


def test_create_offers_a_site_choice_only_to_users_of_several_sites(as_accueil, accueil, site, other_site):
    assert "site" not in as_accueil.get(reverse("customers:create")).context["form"].fields
    accueil.sites.add(other_site)
    assert "site" in as_accueil.get(reverse("customers:create")).context["form"].fields
    as_accueil.post(reverse("customers:create"), customer_form(site=other_site.pk))
    assert Customer.objects.get().site == other_site


@pytest.mark.parametrize("role", ["magasinier", "comptable", "formateur"])
def test_roles_that_do_not_write_get_403_on_creation_but_may_read(client, request, site, role):
    customer = CustomerFactory(site=site)
    client.force_login(request.getfixturevalue(role))
    assert client.get(reverse("customers:create")).status_code == 403
    assert client.post(reverse("customers:create"), customer_form()).status_code == 403
    assert client.get(reverse("customers:update", args=[customer.pk])).status_code == 403
    assert client.get(reverse("customers:appliance_create", args=[customer.pk])).status_code == 403
    assert Customer.objects.count() == 1
    assert client.get(reverse("customers:list")).status_code == 200
    detail = client.get(reverse("customers:detail", args=[customer.pk]))
    assert detail.status_code == 200
    assert "Ajouter un appareil" not in detail.content.decode()


def test_duplicates_fragment_warns_while_typing(as_accueil, site, other_site):
    CustomerFactory(site=site, last_name="Dupont", first_name="Marie", phone="+33612345678")
    CustomerFactory(site=other_site, last_name="Morel", phone="+33612345678")
    response = as_accueil.get(reverse("customers:duplicates"), {"phone": "06 12 34 56 78", "email": ""})
    html = response.content.decode()
    assert "Marie DUPONT" in html and "MOREL" not in html
    assert as_accueil.get(reverse("customers:duplicates"), {"phone": "06 12"}).content.decode().strip() == ""


def test_communes_fragment_lists_the_communes_of_a_postcode(as_accueil):
    html = as_accueil.get(reverse("customers:communes"), {"postcode": "69003"}).content.decode()
    assert html.strip() == '<datalist id="communes-list"><option value="Lyon 03"></datalist>'


# --- the file ---


def test_links_carry_ids_past_a_thousand_without_grouping(as_accueil, site):
    # a shop passes a thousand customers in its first year: « ?appareil=12 345 » would be a dead link
    customer = CustomerFactory(site=site, pk=23456)
    ApplianceFactory(customer=customer, pk=12345)
    html = as_accueil.get(reverse("customers:detail", args=[customer.pk])).content.decode()
    assert f'href="{reverse("repairs:create")}?appareil=12345"' in html


def test_detail_shows_identity_needs_appliances_and_dossiers(as_accueil, accueil, site):
    customer = CustomerFactory(
        site=site,
        civility="Mme",
        last_name="Lefèvre",
        first_name="Élodie",
        phone="+33612345678",
        needs_reduced_mobility=True,
        language="arabe",
    )
    recent = timezone.localdate() - datetime.timedelta(days=30)
    appliance = ApplianceFactory(
        customer=customer,
        brand="Bosch",
        serial_number="FD9503-1",
        purchase_date=recent,
        warranty_end=recent.replace(year=recent.year + 2),
        purchase_price=Decimal("1499.9"),
    )
    case = RepairCase.objects.create(
        site=site,
        number="PAR1-2025-000007",
        customer=customer,
        appliance=appliance,
        customer_words="Fuit.",
        received_by=accueil,
        received_at=datetime.datetime(2025, 3, 14, 9, 0, tzinfo=datetime.UTC),
    )
    html = as_accueil.get(reverse("customers:detail", args=[customer.pk])).content.decode()
    assert '<div class="a11y card" role="note">' in html
    assert "Besoins d'accessibilité : Mobilité réduite · Langue : arabe" in html
    assert "06 12 34 56 78" in html
    assert f"{recent:%d/%m/%Y}" in html
    assert "1\u202f499,90\u00a0€" in html or "1\u00a0499,90\u00a0€" in html
    assert '<span class="badge s-accepte">sous garantie</span>' in html
    assert f'href="{reverse("repairs:detail", args=[case.pk])}"' in html
    assert '<span class="badge s-recu">Reçu</span>' in html
    assert "14/03/2025" in html
    assert f'href="{reverse("repairs:create")}?appareil={appliance.pk}"' in html


def test_users_of_another_site_get_404_on_the_file_and_its_appliances(client, other_accueil, site):
    customer = CustomerFactory(site=site, last_name="Dupont")
    appliance = ApplianceFactory(customer=customer)
    client.force_login(other_accueil)
    for name, pk in (
        ("detail", customer.pk),
        ("update", customer.pk),
        ("appliance_create", customer.pk),
        ("appliance_update", appliance.pk),
    ):
        assert client.get(reverse(f"customers:{name}", args=[pk])).status_code == 404, name
    assert client.post(reverse("customers:update", args=[customer.pk]), customer_form()).status_code == 404
    assert (
        client.post(reverse("customers:appliance_create", args=[customer.pk]), appliance_form()).status_code
        == 404
    )
    customer.refresh_from_db()
    assert customer.last_name == "Dupont" and Appliance.objects.count() == 1


def test_update_shows_phones_the_french_way_and_saves(as_accueil, site):
    customer = CustomerFactory(site=site, last_name="Dupont", phone="+33612345678")
    form = as_accueil.get(reverse("customers:update", args=[customer.pk])).context["form"]
    assert form["phone"].value() == "06 12 34 56 78"
    response = as_accueil.post(
        reverse("customers:update", args=[customer.pk]),
        customer_form(last_name="Dupont-Moretti", phone="07 81 23 45 67"),
    )
    assert response.status_code == 302
    customer.refresh_from_db()
    assert (customer.last_name, customer.phone) == ("Dupont-Moretti", "+33781234567")


def test_a_refused_update_is_shown_again_with_its_reason_and_the_plain_ids(as_accueil, site):
    customer = CustomerFactory(site=site, last_name="Dupont", phone="+33612345678")
    response = as_accueil.post(
        reverse("customers:update", args=[customer.pk]), customer_form(last_name="Morel", phone="12345")
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert escape("« 12345 » n'est pas un numéro de téléphone valide.") in html
    assert 'id="id_phone"' in html and 'value="Morel"' in html  # what was typed is kept
    customer.refresh_from_db()
    assert customer.last_name == "Dupont"


# --- appliances ---


def test_add_an_appliance_with_its_warranty_computed(as_accueil, site):
    customer = CustomerFactory(site=site)
    response = as_accueil.post(reverse("customers:appliance_create", args=[customer.pk]), appliance_form())
    assert response.status_code == 302
    appliance = Appliance.objects.get()
    assert (appliance.customer, appliance.warranty_end, appliance.purchase_price) == (
        customer,
        datetime.date(2025, 3, 15),
        Decimal("499.90"),
    )


@pytest.mark.parametrize(
    ("overrides", "errors"),
    [
        (
            {"purchase_date": TOMORROW.isoformat()},
            {"purchase_date": ["La date d'achat ne peut pas être dans le futur."]},
        ),
        ({"family": "frigo"}, {"family": ["« frigo » n'est pas une famille de produit connue."]}),
        ({"purchase_price": "-5"}, {"purchase_price": ["Le prix d'achat ne peut pas être négatif."]}),
        ({"purchase_date": "31/02/2024"}, {"purchase_date": ["Saisissez une date valide."]}),
    ],
)
def test_appliance_bad_input_gets_a_french_message_and_nothing_is_written(
    as_accueil, site, overrides, errors
):
    customer = CustomerFactory(site=site)
    response = as_accueil.post(
        reverse("customers:appliance_create", args=[customer.pk]), appliance_form(**overrides)
    )
    assert response.status_code == 400
    assert response.context["form"].errors == errors
    assert escape(next(iter(errors.values()))[0]) in response.content.decode()
    assert Appliance.objects.count() == 0


def test_changing_the_purchase_date_recomputes_the_warranty_shown_in_the_form(as_accueil, site):
    appliance = ApplianceFactory(
        customer=CustomerFactory(site=site),
        purchase_date=datetime.date(2023, 3, 15),
        warranty_end=datetime.date(2025, 3, 15),
    )
    form = as_accueil.get(reverse("customers:appliance_update", args=[appliance.pk])).context["form"]
    assert form["warranty_end"].value() == datetime.date(2025, 3, 15)
    as_accueil.post(
        reverse("customers:appliance_update", args=[appliance.pk]),
        appliance_form(purchase_date="2024-01-31", warranty_end="2025-03-15"),
    )
    appliance.refresh_from_db()
    assert (appliance.purchase_date, appliance.warranty_end) == (
        datetime.date(2024, 1, 31),
        datetime.date(2026, 1, 31),
    )


def test_detail_reads_in_a_fixed_number_of_queries(as_accueil, accueil, site, django_assert_max_num_queries):
    customer = CustomerFactory(site=site)
    for n in range(5):
        appliance = ApplianceFactory(customer=customer)
        RepairCase.objects.create(
            site=site,
            number=f"PAR1-2025-00001{n}",
            customer=customer,
            appliance=appliance,
            customer_words="Ne démarre plus.",
            received_by=accueil,
        )
    # 10 for the file itself (its consent history: 1), + 1 per section other apps add (complaints, quotes,
    # messages): none grows with the rows
    with django_assert_max_num_queries(13):
        response = as_accueil.get(reverse("customers:detail", args=[customer.pk]))
    assert (len(response.context["appliances"]), len(response.context["cases"])) == (5, 5)


def test_create_form_watches_phone_email_and_postcode_with_htmx(as_accueil):
    html = as_accueil.get(reverse("customers:create")).content.decode()
    assert f'hx-get="{reverse("customers:duplicates")}"' in html
    assert f'hx-get="{reverse("customers:communes")}"' in html
    assert '<div id="duplicates" aria-live="polite">' in html
