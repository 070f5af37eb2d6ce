import datetime

import pytest
from django.utils import timezone

from atelier.customers.models import Appliance, Customer
from atelier.repairs import services
from atelier.repairs.choices import CaseStatus, WorkLocation
from atelier.repairs.models import CaseEvent, RepairCase


def _login(client, user):
    client.force_login(user)
    return client


def test_pages_need_a_login(client, db):
    for url in ("/", "/dossiers/", "/dossiers/1/", "/dossiers/nouveau/"):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/connexion/"), url


def test_login_page_is_french(client, db):
    response = client.get("/connexion/")
    assert "Connexion" in response.content.decode() and "Se connecter" in response.content.decode()


def test_home_shows_what_awaits_each_role(client, make_case, accueil, technicien, comptable, formateur):
    case = make_case()
    body = _login(client, accueil).get("/accueil/volets/").content.decode()
    assert "Dossiers reçus aujourd&#x27;hui" in body and case.number in body
    services.case_assign_technician(case=case, actor=accueil, technician=technicien)
    body = _login(client, technicien).get("/accueil/volets/").content.decode()
    assert "Mes interventions du jour" in body and "Mes réparations en cours" in body
    body = _login(client, comptable).get("/accueil/volets/").content.decode()
    assert "Appareils rendus (à facturer et clôturer)" in body and "Devis à envoyer" not in body
    body = _login(client, formateur).get("/accueil/volets/").content.decode()
    assert "cas d&#x27;étude" in body


def test_intake_form_opens_a_dossier(client, accueil, appliance):
    _login(client, accueil)
    url = f"/dossiers/nouveau/?appareil={appliance.pk}"
    page = client.get(url).content.decode()
    assert "Ouvrir le dossier" in page and "Mobilité réduite" in page  # accessibility needs shown at intake
    response = client.post(
        url,
        {
            "appareil": appliance.pk,
            "channel": "comptoir",
            "location": "atelier",
            "customer_words": "Le tambour ne tourne plus.",
            "accessories": "aucun",
        },
    )
    case = RepairCase.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/dossiers/{case.pk}/"
    assert (case.customer_words, case.received_by, case.status) == (
        "Le tambour ne tourne plus.",
        accueil,
        "recu",
    )


def test_intake_without_the_customers_words_is_refused_in_french(client, accueil, appliance):
    _login(client, accueil)
    response = client.post(
        f"/dossiers/nouveau/?appareil={appliance.pk}",
        {"channel": "comptoir", "location": "atelier", "customer_words": ""},
    )
    assert response.status_code == 400
    assert "Ce champ est obligatoire." in response.content.decode()
    assert RepairCase.objects.count() == 0


def test_intake_for_another_sites_appliance_is_404(client, other_accueil, appliance):
    _login(client, other_accueil)
    assert client.get(f"/dossiers/nouveau/?appareil={appliance.pk}").status_code == 404
    assert client.get("/dossiers/nouveau/?appareil=abc").status_code == 404


def test_intake_is_403_for_a_role_that_does_not_take_dossiers(client, comptable, appliance):
    _login(client, comptable)
    assert client.get(f"/dossiers/nouveau/?appareil={appliance.pk}").status_code == 403


def test_dossier_of_another_site_is_404_on_every_url(client, make_case, other_accueil):
    case = make_case()
    _login(client, other_accueil)
    assert client.get(f"/dossiers/{case.pk}/").status_code == 404
    assert client.post(f"/dossiers/{case.pk}/etape/prediagnose/", {"note": "x"}).status_code == 404
    assert client.post(f"/dossiers/{case.pk}/note/", {"note": "x"}).status_code == 404
    assert case.number not in client.get("/dossiers/").content.decode()
    assert CaseEvent.objects.filter(case=case).count() == 1


def test_detail_offers_only_the_steps_allowed_now(client, make_case, accueil, technicien):
    case = make_case()
    body = _login(client, accueil).get(f"/dossiers/{case.pk}/").content.decode()
    assert 'id="step-prediagnose"' in body and 'id="step-cancel"' in body
    assert 'id="step-close"' not in body and 'id="step-mark_repaired"' not in body
    body = _login(client, technicien).get(f"/dossiers/{case.pk}/").content.decode()
    assert 'id="step-prediagnose"' in body and 'id="step-cancel"' not in body
    assert "Il ne vidange plus, l&#x27;eau reste au fond." in body


def test_taking_a_step_writes_the_timeline(client, make_case, accueil):
    case = make_case()
    response = _login(client, accueil).post(
        f"/dossiers/{case.pk}/etape/prediagnose/", {"note": "Filtre bouché"}, follow=True
    )
    case.refresh_from_db()
    assert case.status == CaseStatus.PREDIAGNOSTIQUE
    body = response.content.decode()
    assert "Enregistrer le pré-diagnostic : c&#x27;est enregistré." in body and "Filtre bouché" in body


def test_step_without_its_required_note_is_400_with_the_reason(client, make_case, accueil):
    case = make_case()
    response = _login(client, accueil).post(f"/dossiers/{case.pk}/etape/prediagnose/", {"note": ""})
    assert response.status_code == 400
    assert "Ce champ est obligatoire." in response.content.decode()
    case.refresh_from_db()
    assert case.status == CaseStatus.RECU and case.events.count() == 1


def test_step_from_a_wrong_state_is_409_and_by_a_wrong_role_403(client, make_case, accueil, magasinier):
    case = make_case()
    response = _login(client, accueil).post(f"/dossiers/{case.pk}/etape/close/", {"note": ""})
    assert response.status_code == 409
    assert "« Clôturer le dossier » est impossible" in response.content.decode()
    response = _login(client, magasinier).post(f"/dossiers/{case.pk}/etape/prediagnose/", {"note": "x"})
    assert response.status_code == 403
    assert "est réservé aux rôles : Accueil, Responsable SAV, Technicien." in response.content.decode()
    assert client.post(f"/dossiers/{case.pk}/etape/nimporte/", {}).status_code == 404
    case.refresh_from_db()
    assert case.status == CaseStatus.RECU and case.events.count() == 1


def test_planning_a_home_visit_from_the_page(client, make_case, accueil, technicien):
    case = make_case(location=WorkLocation.DOMICILE)
    RepairCase.objects.filter(pk=case.pk).update(status=CaseStatus.ACCEPTE)
    _login(client, accueil)
    response = client.post(f"/dossiers/{case.pk}/etape/plan_visit/", {"note": "", "technician": ""})
    assert response.status_code == 400
    response = client.post(
        f"/dossiers/{case.pk}/etape/plan_visit/",
        {"technician": technicien.pk, "planned_for": "2026-12-03T10:30"},
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.PLANIFIE and case.technician == technicien
    assert timezone.localtime(case.planned_for).strftime("%d/%m/%Y %H:%M") == "03/12/2026 10:30"


def test_assign_and_note_from_the_page(client, make_case, accueil, technicien):
    case = make_case()
    _login(client, accueil)
    client.post(f"/dossiers/{case.pk}/technicien/", {"technician": technicien.pk})
    client.post(f"/dossiers/{case.pk}/note/", {"note": "Client prévenu par SMS"})
    case.refresh_from_db()
    assert case.technician == technicien
    assert list(case.events.values_list("kind", flat=True)) == ["ouverture", "affectation", "note"]
    _login(client, technicien)
    assert client.post(f"/dossiers/{case.pk}/technicien/", {"technician": ""}).status_code == 403


@pytest.fixture
def many_cases(site, accueil, technicien):
    customers = [Customer(site=site, last_name=f"Client{i}", phone=f"+336123400{i:02d}") for i in range(30)]
    Customer.objects.bulk_create(customers)
    appliances = Appliance.objects.bulk_create(
        [
            Appliance(customer=c, family="lave_linge" if i % 2 else "froid", brand="Bosch")
            for i, c in enumerate(Customer.objects.all())
        ]
    )
    cases = []
    for i, appliance in enumerate(appliances):
        case = services.case_open(
            actor=accueil,
            customer=appliance.customer,
            appliance=appliance,
            customer_words="Panne.",
            at=timezone.now() - datetime.timedelta(days=i),
        )
        if i % 3 == 0:
            services.case_assign_technician(case=case, actor=accueil, technician=technicien)
        cases.append(case)
    return cases


def test_list_filters_and_paginates_at_a_fixed_query_count(
    client, many_cases, accueil, technicien, django_assert_max_num_queries
):
    _login(client, accueil)
    with django_assert_max_num_queries(12):
        page1 = client.get("/dossiers/").content.decode()
    assert "Page 1 sur 2 · 30 résultats" in page1
    assert "Page 2 sur 2 · 30 résultats" in client.get("/dossiers/?page=2").content.decode()
    body = client.get("/dossiers/", {"family": "froid"}).content.decode()
    assert body.count('class="badge s-recu"') == 15
    body = client.get("/dossiers/", {"technician": technicien.pk}).content.decode()
    assert body.count('class="badge s-recu"') == 10
    today = timezone.localdate()
    body = client.get(
        "/dossiers/",
        {"date_from": (today - datetime.timedelta(days=2)).isoformat(), "date_to": today.isoformat()},
    ).content.decode()
    assert body.count('class="badge s-recu"') == 3
    body = client.get("/dossiers/", {"status": "cloture"}).content.decode()
    assert "Aucun dossier ne correspond." in body
    body = client.get("/dossiers/", {"date_from": "2026-02-01", "date_to": "2026-01-01"}).content.decode()
    assert "La date de fin précède la date de début." in body


def test_list_answers_htmx_with_rows_only(client, many_cases, accueil):
    _login(client, accueil)
    body = client.get("/dossiers/", {"q": many_cases[0].number}, HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in body and body.count('class="badge s-recu"') == 1


def test_api_lists_only_own_site_and_takes_steps(client, make_case, accueil, other_accueil):
    case = make_case()
    _login(client, other_accueil)
    assert client.get("/api/cases/").json()["count"] == 0
    assert client.get(f"/api/cases/{case.pk}/").status_code == 404
    _login(client, accueil)
    data = client.get(f"/api/cases/{case.pk}/").json()
    assert (data["number"], data["status"], data["allowed_steps"]) == (
        case.number,
        "recu",
        ["prediagnose", "cancel"],
    )
    response = client.post(f"/api/cases/{case.pk}/steps/close/", {}, content_type="application/json")
    assert response.status_code == 409
    assert response.json()["detail"].startswith("« Clôturer le dossier » est impossible")
    response = client.post(
        f"/api/cases/{case.pk}/steps/prediagnose/", {"note": "Vu."}, content_type="application/json"
    )
    assert (response.status_code, response.json()["status"]) == (200, "prediagnostique")
    timeline = client.get(f"/api/cases/{case.pk}/timeline/").json()
    assert [e["to_status"] for e in timeline] == ["recu", "prediagnostique"]


def test_api_opens_a_dossier_and_rejects_bad_input_in_french(client, accueil, appliance):
    _login(client, accueil)
    response = client.post(
        "/api/cases/",
        {"appliance": appliance.pk, "customer_words": "Ne démarre pas.", "location": "domicile"},
        content_type="application/json",
    )
    assert response.status_code == 201 and response.json()["location"] == "domicile"
    response = client.post(
        "/api/cases/",
        {"appliance": appliance.pk, "customer_words": "x", "channel": "fax"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json() == {"channel": ["La valeur «\u00a0'fax'\u00a0» n’est pas un choix valide."]}
    assert RepairCase.objects.count() == 1


def test_api_schema_is_served(client, accueil):
    _login(client, accueil)
    response = client.get("/api/schema/")
    assert response.status_code == 200 and b"/api/cases/" in response.content


def test_quote_steps_are_taken_from_the_quote_only(client, make_case, accueil):
    case = make_case()
    services.case_prediagnose(case=case, actor=accueil, note="Vu.")
    _login(client, accueil)
    body = client.get(f"/dossiers/{case.pk}/").content.decode()
    assert 'id="step-send_quote"' not in body
    assert (
        '<p class="driven-step">« Devis envoyé au client » : se fait depuis le devis (section « Réparabilité, '
        "solutions et devis » du dossier).</p>" in body
    )
    response = client.post(f"/dossiers/{case.pk}/etape/send_quote/", {"note": "x"})
    assert response.status_code == 409
    assert (
        "« Devis envoyé au client » se fait depuis le devis (section « Réparabilité, solutions et devis » du dossier)."
        in response.content.decode().replace("&#x27;", "'").replace("&quot;", '"')
    )
    response = client.post(f"/api/cases/{case.pk}/steps/send_quote/", {}, content_type="application/json")
    assert response.status_code == 409
    assert response.json()["detail"].startswith("« Devis envoyé au client » se fait depuis le devis")
    case.refresh_from_db()
    assert case.status == CaseStatus.PREDIAGNOSTIQUE


def test_a_note_by_a_role_that_does_not_work_on_the_dossier_is_403_in_french(client, make_case, comptable):
    case = make_case()
    _login(client, comptable)
    assert f'action="/dossiers/{case.pk}/note/"' not in client.get(f"/dossiers/{case.pk}/").content.decode()
    response = client.post(f"/dossiers/{case.pk}/note/", {"note": "Facture à revoir"})
    assert response.status_code == 403
    body = response.content.decode().replace("&#x27;", "'").replace("&quot;", '"')
    assert (
        "« Ajouter une note » est réservé aux rôles : Accueil, Magasinier, Responsable SAV, Technicien."
        in body
    )
    assert list(case.events.values_list("kind", flat=True)) == ["ouverture"]


def test_an_empty_note_shows_the_page_again_with_the_reason(client, make_case, accueil):
    case = make_case()
    response = _login(client, accueil).post(f"/dossiers/{case.pk}/note/", {"note": "  "})
    assert response.status_code == 400
    assert 'id="id_addnote_note"' in response.content.decode()
    assert list(case.events.values_list("kind", flat=True)) == ["ouverture"]


def test_api_opening_a_dossier_for_another_sites_appliance_is_404(client, other_accueil, appliance):
    _login(client, other_accueil)
    response = client.post(
        "/api/cases/",
        {"appliance": appliance.pk, "customer_words": "Ne démarre pas."},
        content_type="application/json",
    )
    assert response.status_code == 404
    assert not RepairCase.objects.exists()


def test_assigning_by_a_technician_is_403_with_the_roles_in_french(client, make_case, technicien):
    case = make_case()
    response = _login(client, technicien).post(
        f"/dossiers/{case.pk}/technicien/", {"technician": technicien.pk}
    )
    assert response.status_code == 403
    body = response.content.decode().replace("&#x27;", "'")
    assert "« Affecter le technicien » est réservé aux rôles : Accueil, Responsable SAV." in body
    case.refresh_from_db()
    assert case.technician is None
