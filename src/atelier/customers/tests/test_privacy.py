"""Personal data services: consent history, erasure on request (and its refusals), keeping a file, export."""

import datetime

import pytest
import time_machine
from django.utils import timezone

from atelier.core.errors import AtelierError, PermissionRefused
from atelier.customers import privacy
from atelier.customers.choices import ConsentSource, PrivacyActionKind
from atelier.customers.export import export_data
from atelier.customers.models import Appliance, ConsentChange, Customer, PrivacyAction
from atelier.customers.services import FileAnonymised, customer_create, customer_update
from atelier.customers.tests.factories import ApplianceFactory
from atelier.repairs.models import CaseEvent, RepairCase
from atelier.repairs.services import case_add_note, case_cancel, case_open

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 3, 2, 10, 0, tzinfo=datetime.UTC)
TODAY = datetime.date(2026, 3, 2)


@pytest.fixture
def nadia(accueil, site):
    with time_machine.travel(NOW, tick=False):
        return customer_create(
            actor=accueil,
            site=site,
            kind="particulier",
            civility="Mme",
            last_name="Lefèvre",
            first_name="Nadia",
            phone="06 12 34 56 78",
            phone2="01 43 55 66 77",
            email="Nadia.Lefevre@example.fr",
            address="12 rue des Lilas",
            address2="Bât. B",
            postcode="75020",
            city="Paris",
            needs_hearing=True,
            accessibility_notes="Parle lentement",
            consent_contact=True,
            notes="Code porte 1234",
        )


def _history(customer):
    return [
        (c.field, c.old, c.new, c.source, c.actor_id)
        for c in ConsentChange.objects.filter(customer=customer).order_by("pk")
    ]


# --- consent history ---


def test_a_new_file_starts_its_consent_history_with_its_source(nadia, accueil):
    assert _history(nadia) == [
        ("consent_contact", "", "True", "guichet", accueil.pk),
        ("consent_marketing", "", "False", "guichet", accueil.pk),
        ("preferred_contact", "", "telephone", "guichet", accueil.pk),
    ]
    assert (nadia.consent_contact, nadia.consent_marketing) == (True, False)


def test_each_consent_change_adds_one_row_and_other_edits_none(nadia, accueil):
    ConsentChange.objects.all().delete()
    customer_update(actor=accueil, customer=nadia, notes="Rappeler le matin")
    assert _history(nadia) == []
    customer_update(
        actor=accueil,
        customer=nadia,
        consent_marketing=True,
        preferred_contact="email",
        consent_source=ConsentSource.TELEPHONE,
    )
    customer_update(actor=accueil, customer=nadia, consent_contact=False)
    assert _history(nadia) == [
        ("consent_marketing", "False", "True", "telephone", accueil.pk),
        ("preferred_contact", "telephone", "email", "telephone", accueil.pk),
        ("consent_contact", "True", "False", "guichet", accueil.pk),
    ]
    row = ConsentChange.objects.get(field="preferred_contact")
    assert (row.old_label, row.new_label) == ("Téléphone", "E-mail")


def test_the_api_records_its_consent_changes_as_api(client, accueil, nadia):
    ConsentChange.objects.all().delete()
    client.force_login(accueil)
    response = client.patch(
        f"/api/customers/{nadia.pk}/", {"consent_marketing": True}, content_type="application/json"
    )
    assert response.status_code == 200
    assert response.json()["consent_marketing"] is True
    assert _history(nadia) == [("consent_marketing", "False", "True", "api", accueil.pk)]


def test_the_customer_form_records_the_source_chosen(client, accueil, nadia):
    ConsentChange.objects.all().delete()
    client.force_login(accueil)
    form = {
        "kind": "particulier",
        "last_name": "Lefèvre",
        "phone": "06 12 34 56 78",
        "preferred_contact": "telephone",
        "language": "français",
        "consent_contact": "on",
        "consent_marketing": "on",
        "consent_source": "telephone",
    }
    response = client.post(f"/clients/{nadia.pk}/modifier/", form)
    assert response.status_code == 302
    assert _history(nadia) == [("consent_marketing", "False", "True", "telephone", accueil.pk)]
    page = client.get(f"/clients/{nadia.pk}/").content.decode()
    assert "Historique des consentements" in page and "Offres commerciales" in page


# --- erasure on request ---


def test_erasure_replaces_identity_contacts_and_free_text(nadia, responsable, accueil):
    appliance = ApplianceFactory(customer=nadia, serial_number="FD9503-123456", purchase_place="Darty Nation")
    case = case_open(
        actor=accueil, customer=nadia, appliance=appliance, customer_words="Mme Lefèvre, 12 rue…"
    )
    case_add_note(case=case, actor=accueil, note="Rappeler au 06 12 34 56 78")
    case_cancel(case=case, actor=accueil, note="La cliente reprend l'appareil")
    with time_machine.travel(NOW + datetime.timedelta(days=10), tick=False):
        action = privacy.customer_erase(
            actor=responsable,
            customer=nadia,
            channel="courrier",
            requested_on=TODAY,
            reason="Lettre du 1er mars",
        )
    nadia.refresh_from_db()
    label = f"Client anonymisé n° {nadia.pk}"
    assert (
        nadia.last_name,
        nadia.first_name,
        nadia.civility,
        nadia.phone,
        nadia.phone2,
        nadia.email,
        nadia.address,
        nadia.address2,
        nadia.postcode,
        nadia.city,
        nadia.department,
        nadia.notes,
        nadia.accessibility_notes,
        nadia.needs_hearing,
        nadia.consent_contact,
        nadia.consent_at,
        nadia.search_name,
        nadia.display_name,
    ) == (
        label,
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "75",
        "",
        "",
        False,
        False,
        None,
        f"client anonymise n {nadia.pk}",
        label,
    )
    assert nadia.anonymised_at == NOW + datetime.timedelta(days=10)
    appliance.refresh_from_db()
    assert (
        appliance.family,
        appliance.brand,
        appliance.model_ref,
        appliance.serial_number,
        appliance.purchase_place,
    ) == (
        "lave_linge",
        "Bosch",
        "WAN28208FF",
        "",
        "",
    )
    case.refresh_from_db()
    assert case.customer_words == "[anonymisé]"
    assert list(CaseEvent.objects.filter(case=case).exclude(note="").values_list("note", flat=True)) == []
    assert (action.kind, action.actor, action.channel, action.requested_on, action.reason) == (
        PrivacyActionKind.ERASURE,
        responsable,
        "courrier",
        TODAY,
        "Lettre du 1er mars",
    )
    assert action.details["lignes"]["appareils"] == 1
    assert action.details["lignes"]["dossiers"] == 1
    assert [
        (c.field, c.old, c.new, c.source) for c in ConsentChange.objects.filter(source="anonymisation")
    ] == [("consent_contact", "True", "False", "anonymisation")]


def test_erasure_is_refused_while_a_dossier_is_open_and_nothing_changes(nadia, responsable, accueil):
    appliance = ApplianceFactory(customer=nadia)
    case = case_open(actor=accueil, customer=nadia, appliance=appliance, customer_words="Ne chauffe plus")
    with pytest.raises(privacy.ErasureRefused) as refused:
        privacy.customer_erase(actor=responsable, customer=nadia, channel="guichet", requested_on=TODAY)
    assert refused.value.message == (
        f"Les données de ce client ne peuvent pas être anonymisées maintenant : le dossier {case.number} est en "
        "cours. Elles le seront quand ce sera réglé ; les factures, elles, restent conservées 10 ans sans "
        "changement."
    )
    nadia.refresh_from_db()
    assert (nadia.last_name, nadia.anonymised_at, PrivacyAction.objects.count()) == ("Lefèvre", None, 0)


def test_erasure_twice_is_refused_the_second_time(nadia, responsable):
    privacy.customer_erase(actor=responsable, customer=nadia, channel="email", requested_on=TODAY)
    with pytest.raises(privacy.AlreadyAnonymised):
        privacy.customer_erase(actor=responsable, customer=nadia, channel="email", requested_on=TODAY)
    assert PrivacyAction.objects.filter(kind="effacement").count() == 1


def test_erasure_is_for_the_sav_manager_only(nadia, accueil):
    with pytest.raises(PermissionRefused):
        privacy.customer_erase(actor=accueil, customer=nadia, channel="email", requested_on=TODAY)


def test_an_anonymised_file_is_no_longer_edited(nadia, responsable, accueil):
    privacy.customer_erase(actor=responsable, customer=nadia, channel="email", requested_on=TODAY)
    with pytest.raises(FileAnonymised):
        customer_update(actor=accueil, customer=nadia, first_name="Nadia")


def test_a_professional_keeps_no_company_name_nor_siren(site, responsable):
    pro = Customer.objects.create(
        site=site,
        kind="professionnel",
        last_name="Martin",
        company_name="EI Martin",
        siren="552100554",
        phone="+33612345678",
        postcode="20090",
    )
    privacy.customer_erase(actor=responsable, customer=pro, channel="email", requested_on=TODAY)
    pro.refresh_from_db()
    label = f"Client anonymisé n° {pro.pk}"
    assert (pro.company_name, pro.siren, pro.department, pro.display_name) == (label, "", "2A", label)


@pytest.mark.parametrize(
    ("postcode", "department"),
    [("75020", "75"), ("97110", "971"), ("20090", "2A"), ("20200", "2B"), ("", "")],
)
def test_department_of_a_postcode(postcode, department):
    assert privacy.department_of(postcode) == department


# --- keeping a file longer ---


def test_keep_needs_a_reason_and_a_date_within_the_period(nadia, responsable):
    with time_machine.travel(NOW, tick=False):
        with pytest.raises(AtelierError, match="motif légitime"):
            privacy.customer_keep(actor=responsable, customer=nadia, until=TODAY, reason=" ")
        with pytest.raises(AtelierError) as late:
            privacy.customer_keep(
                actor=responsable, customer=nadia, until=datetime.date(2029, 3, 3), reason="Litige"
            )
        assert late.value.message == "Choisissez une date après aujourd'hui et au plus tard le 02/03/2029."
        action = privacy.customer_keep(
            actor=responsable, customer=nadia, until=datetime.date(2027, 6, 30), reason="Litige en cours"
        )
    nadia.refresh_from_db()
    assert (nadia.kept_until, nadia.kept_reason, nadia.updated_at) == (
        datetime.date(2027, 6, 30),
        "Litige en cours",
        NOW,  # keeping is not a contact: the file's « modifié le » stays
    )
    assert (action.kind, action.details) == ("report", {"jusqu_au": "2027-06-30"})


# --- export ---


def test_the_export_holds_identity_consents_appliances_dossiers(nadia, accueil):
    appliance = ApplianceFactory(customer=nadia, serial_number="SN1")
    with time_machine.travel(NOW, tick=False):
        case = case_open(actor=accueil, customer=nadia, appliance=appliance, customer_words="Fuit par le bas")
    data = export_data(nadia)
    assert data["client"]["last_name"] == "Lefèvre"
    assert data["client"]["email"] == "nadia.lefevre@example.fr"
    assert data["consentements"]["suivi_reparation"] is True
    assert [h["consentement"] for h in data["consentements"]["historique"]] == [
        "consent_contact",
        "consent_marketing",
        "preferred_contact",
    ]
    assert [a["numero_de_serie"] for a in data["appareils"]] == ["SN1"]
    assert [(d["numero"], d["paroles_du_client"]) for d in data["dossiers"]] == [
        (case.number, "Fuit par le bas")
    ]
    assert [e["action"] for e in data["dossiers"][0]["evenements"]] == ["Dossier ouvert (Comptoir)"]
    assert (
        data["factures"] == []
        and data["messages"] == []
        and data["reclamations"] == []
        and data["prets"] == []
    )


def test_export_by_screen_records_the_request_and_gives_json(client, accueil, nadia):
    client.force_login(accueil)
    response = client.post(
        f"/clients/{nadia.pk}/donnees/exporter/",
        {"channel": "guichet", "requested_on": "2026-03-01", "fmt": "json"},
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response.json()["client"]["first_name"] == "Nadia"
    action = PrivacyAction.objects.get()
    assert (action.kind, action.actor, action.channel, action.requested_on, action.details) == (
        "export",
        accueil,
        "guichet",
        datetime.date(2026, 3, 1),
        {"format": "json"},
    )


def test_export_as_pdf(client, accueil, nadia):
    client.force_login(accueil)
    response = client.post(
        f"/clients/{nadia.pk}/donnees/exporter/",
        {"channel": "email", "requested_on": "2026-03-01", "fmt": "pdf"},
    )
    assert (response.status_code, response["Content-Type"], response.content[:5]) == (
        200,
        "application/pdf",
        b"%PDF-",
    )


def test_export_with_a_request_in_the_future_is_refused_on_the_page(client, accueil, nadia):
    client.force_login(accueil)
    future = (timezone.localdate() + datetime.timedelta(days=2)).isoformat()
    response = client.post(
        f"/clients/{nadia.pk}/donnees/exporter/", {"channel": "email", "requested_on": future, "fmt": "json"}
    )
    assert response.status_code == 400
    assert "La date de la demande ne peut pas être dans le futur." in response.content.decode()
    assert PrivacyAction.objects.count() == 0


def test_erase_by_screen(client, responsable, nadia):
    client.force_login(responsable)
    response = client.post(
        f"/clients/{nadia.pk}/donnees/effacer/",
        {"channel": "telephone", "requested_on": "2026-03-01", "reason": "", "confirm": "on"},
    )
    assert response.status_code == 302
    nadia.refresh_from_db()
    assert nadia.last_name == f"Client anonymisé n° {nadia.pk}"


def test_erase_by_screen_without_confirming_changes_nothing(client, responsable, nadia):
    client.force_login(responsable)
    response = client.post(
        f"/clients/{nadia.pk}/donnees/effacer/", {"channel": "telephone", "requested_on": "2026-03-01"}
    )
    assert response.status_code == 400
    nadia.refresh_from_db()
    assert nadia.anonymised_at is None


def test_api_export_and_erase(client, responsable, nadia, accueil):
    client.force_login(responsable)
    response = client.post(
        f"/api/customers/{nadia.pk}/export/",
        {"channel": "email", "requested_on": "2026-03-01"},
        content_type="application/json",
    )
    assert (response.status_code, response.json()["client"]["phone"]) == (200, "+33612345678")
    appliance = ApplianceFactory(customer=nadia)
    case_open(actor=accueil, customer=nadia, appliance=appliance, customer_words="Bruit")
    response = client.post(
        f"/api/customers/{nadia.pk}/erase/",
        {"channel": "email", "requested_on": "2026-03-01"},
        content_type="application/json",
    )
    assert response.status_code == 409
    assert "est en cours" in response.json()["detail"]
    RepairCase.objects.filter(customer=nadia).update(status="cloture")
    response = client.post(
        f"/api/customers/{nadia.pk}/erase/",
        {"channel": "email", "requested_on": "2026-03-01"},
        content_type="application/json",
    )
    assert response.status_code == 200
    assert response.json()["display_name"] == f"Client anonymisé n° {nadia.pk}"
    assert Appliance.objects.get(pk=appliance.pk).serial_number == ""


def test_api_erase_is_refused_to_the_counter(client, accueil, nadia):
    client.force_login(accueil)
    response = client.post(
        f"/api/customers/{nadia.pk}/erase/",
        {"channel": "email", "requested_on": "2026-03-01"},
        content_type="application/json",
    )
    assert response.status_code == 403


def test_no_dossier_is_opened_on_an_anonymised_file(nadia, responsable, accueil):
    appliance = ApplianceFactory(customer=nadia)
    privacy.customer_erase(actor=responsable, customer=nadia, channel="email", requested_on=TODAY)
    with pytest.raises(
        AtelierError, match="Cette fiche client a été anonymisée : ouvrez une nouvelle fiche."
    ):
        case_open(actor=accueil, customer=nadia, appliance=appliance, customer_words="Bruit")


def test_the_data_page_shows_what_holds_erasure_back_and_the_register(client, responsable, accueil, nadia):
    appliance = ApplianceFactory(customer=nadia)
    case = case_open(actor=accueil, customer=nadia, appliance=appliance, customer_words="Bruit")
    privacy.customer_export_record(
        actor=accueil, customer=nadia, fmt="pdf", channel="courrier", requested_on=datetime.date(2026, 3, 1)
    )
    client.force_login(responsable)
    page = client.get(f"/clients/{nadia.pk}/donnees/")
    assert page.status_code == 200
    assert page.context["blockers"] == [f"le dossier {case.number} est en cours"]
    assert [(a.kind, a.channel) for a in page.context["actions"]] == [("export", "courrier")]
    html = page.content.decode()
    assert "Effacement impossible pour l'instant" in html and "Par courrier, 01/03/2026" in html


def test_the_counter_sees_the_data_page_without_the_erase_form(client, accueil, nadia):
    client.force_login(accueil)
    page = client.get(f"/clients/{nadia.pk}/donnees/")
    assert (page.status_code, page.context["may_erase"]) == (200, False)
    assert "Seul le responsable SAV peut effacer une fiche." in page.content.decode()
