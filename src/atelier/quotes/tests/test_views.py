"""Quote screens: the dossier section, the quote page and its actions, PDFs; refusals shown, nothing written."""

import datetime

from django.urls import reverse
from django.utils import timezone

from atelier.quotes import decisions, services
from atelier.quotes.models import Quote, RepairOrder
from atelier.repairs.choices import CaseStatus
from atelier.repairs.tests.pages import dossier_page


def test_dossier_page_shows_solutions_side_by_side(client, case, accueil, solution, used_solution):
    client.force_login(accueil)
    html = dossier_page(client, case.pk)
    assert "Réparabilité, solutions et devis" in html
    assert "Remplacement de la pompe de vidange" in html and "Pompe d&#x27;occasion" in html
    assert "157,68\u00a0€ TTC" in html and "127,80\u00a0€ TTC" in html
    assert "Alternatives : BSH-00145212-OCC" in html


def test_solution_form_refuses_absurd_hours(client, case, accueil):
    client.force_login(accueil)
    url = reverse("quotes:solution_create", args=[case.pk])
    response = client.post(url, {"title": "X", "work_description": "Y", "labour_hours": "-2"})
    assert response.status_code == 400
    assert "Heures de main-d&#x27;œuvre invraisemblables : entre 0 et 200." in response.content.decode()
    assert case.solutions.count() == 0


def test_quote_journey_through_the_views(client, case, accueil, responsable, solution, used_solution):
    client.force_login(accueil)
    response = client.post(reverse("quotes:create", args=[solution.pk]))
    quote = Quote.objects.get()
    assert response.url == reverse("quotes:detail", args=[quote.pk])
    bad = client.post(
        reverse("quotes:action", args=[quote.pk, "line"]),
        {
            "kind": "autre",
            "designation": "Divers",
            "quantity": "-3",
            "unit_price_ht": "10",
            "vat_kind": "normal",
        },
    )
    assert bad.status_code == 400
    assert "La quantité doit être supérieure à zéro." in bad.content.decode()
    assert quote.lines.count() == 2
    client.post(reverse("quotes:action", args=[quote.pk, "send"]), {"channel": "papier"})
    client.post(reverse("quotes:action", args=[quote.pk, "accept"]), {"signer_name": "Nadia Lefèvre"})
    quote.refresh_from_db()
    case.refresh_from_db()
    assert (quote.status, case.status) == ("accepte", CaseStatus.ACCEPTE)
    pdf = client.get(reverse("quotes:pdf", args=[quote.pk]))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content[:5] == b"%PDF-"
    client.force_login(responsable)
    promised = (timezone.localdate() + datetime.timedelta(days=7)).isoformat()
    response = client.post(reverse("quotes:action", args=[quote.pk, "order"]), {"promised_on": promised})
    order = RepairOrder.objects.get()
    assert response.url == reverse("quotes:order", args=[order.pk])
    assert client.get(reverse("quotes:order_pdf", args=[order.pk])).content[:5] == b"%PDF-"


def test_accepting_an_accepted_quote_shows_the_reason(client, case, accueil, solution, used_solution):
    quote = services.quote_create(case=case, actor=accueil, solution=solution)
    services.quote_send(quote=quote, actor=accueil, channel="papier")
    decisions.quote_accept(quote=quote, actor=accueil, signer_name="Nadia Lefèvre")
    client.force_login(accueil)
    response = client.post(reverse("quotes:action", args=[quote.pk, "accept"]), {"signer_name": "Autre"})
    assert response.status_code == 400
    assert f"Le devis {quote.number} a déjà été accepté." in response.content.decode()
    quote.refresh_from_db()
    assert quote.signer_name == "Nadia Lefèvre"


def test_another_sites_quote_is_not_found(client, case, accueil, other_accueil, solution):
    quote = services.quote_create(case=case, actor=accueil, solution=solution)
    client.force_login(other_accueil)
    assert client.get(reverse("quotes:detail", args=[quote.pk])).status_code == 404
    assert client.get(reverse("quotes:pdf", args=[quote.pk])).status_code == 404


def test_home_shows_the_quotes_awaiting_an_answer(client, case, accueil, solution, used_solution):
    quote = services.quote_create(case=case, actor=accueil, solution=solution)
    services.quote_send(quote=quote, actor=accueil, channel="papier")
    client.force_login(accueil)
    html = client.get("/accueil/volets/").content.decode()
    assert "Devis en attente de réponse" in html
    assert f"{quote.number} · Nadia LEFÈVRE" in html


# ---------------------------------------------------------------- one action mechanism (core.actions)


def test_a_role_refusal_answers_403_from_the_refusal_nothing_written(
    client, case, accueil, magasinier, solution, used_solution
):
    quote = services.quote_create(case=case, actor=accueil, solution=solution)
    client.force_login(magasinier)
    response = client.post(
        reverse("quotes:action", args=[quote.pk, "line"]),
        {
            "kind": "autre",
            "designation": "Divers",
            "quantity": "1",
            "unit_price_ht": "10",
            "vat_kind": "normal",
        },
    )
    assert response.status_code == 403
    assert "Votre rôle ne permet pas cette opération." in response.content.decode()
    assert quote.lines.count() == 2


def test_an_unknown_action_is_not_found(client, case, accueil, solution):
    quote = services.quote_create(case=case, actor=accueil, solution=solution)
    client.force_login(accueil)
    assert client.post(reverse("quotes:action", args=[quote.pk, "supprimer"])).status_code == 404


def test_another_sites_quote_line_and_solution_are_not_found_for_actions(
    client, case, accueil, other_accueil, solution
):
    quote = services.quote_create(case=case, actor=accueil, solution=solution)
    line = quote.lines.first()
    client.force_login(other_accueil)
    assert (
        client.post(reverse("quotes:action", args=[quote.pk, "send"]), {"channel": "papier"}).status_code
        == 404
    )
    assert client.post(reverse("quotes:line_remove", args=[line.pk])).status_code == 404
    assert client.post(reverse("quotes:create", args=[solution.pk])).status_code == 404
    assert client.get(reverse("quotes:solution_create", args=[case.pk])).status_code == 404
    quote.refresh_from_db()
    assert (quote.status, quote.lines.count()) == ("brouillon", 2)


def test_removing_a_line_of_a_sent_quote_shows_the_quote_with_the_reason(
    client, case, accueil, solution, used_solution
):
    quote = services.quote_create(case=case, actor=accueil, solution=solution)
    services.quote_send(quote=quote, actor=accueil, channel="papier")
    client.force_login(accueil)
    response = client.post(reverse("quotes:line_remove", args=[quote.lines.first().pk]))
    assert response.status_code == 400
    assert "établissez une nouvelle version pour le modifier" in response.content.decode()
    assert quote.lines.count() == 2


def test_removing_a_draft_line_redirects_to_the_quote(client, case, accueil, solution):
    quote = services.quote_create(case=case, actor=accueil, solution=solution)
    client.force_login(accueil)
    response = client.post(reverse("quotes:line_remove", args=[quote.lines.first().pk]), follow=True)
    assert response.redirect_chain[-1][0] == reverse("quotes:detail", args=[quote.pk])
    assert "Ligne retirée." in response.content.decode()
    assert quote.lines.count() == 1


def test_solution_form_keeps_its_plain_ids(client, case, accueil):
    client.force_login(accueil)
    html = client.get(reverse("quotes:solution_create", args=[case.pk])).content.decode()
    assert 'id="id_title"' in html and 'id="id_labour_hours"' in html


PNG = (
    "data:image/png;base64,"
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
)


def test_quote_acceptance_uses_the_shared_signature_pad(client, case, accueil, solution, used_solution):
    """Issue 15: the quote had its own canvas whose strokes drifted; now the one pad of core.signature."""
    client.force_login(accueil)
    client.post(reverse("quotes:create", args=[solution.pk]))
    quote = services.quote_send(quote=Quote.objects.get(), actor=accueil, channel="papier")
    html = client.get(reverse("quotes:detail", args=[quote.pk])).content.decode()
    assert html.count("data-signature-pad") == 1 and 'name="signature"' in html
    assert 'id="signature-pad"' not in html and "getContext" not in html
    bad = client.post(
        reverse("quotes:action", args=[quote.pk, "accept"]), {"signer_name": "Nadia", "signature": "data:x"}
    )
    assert bad.status_code == 400
    assert "La signature reçue n&#x27;est pas une image valable" in bad.content.decode()
    client.post(
        reverse("quotes:action", args=[quote.pk, "accept"]), {"signer_name": "Nadia", "signature": PNG}
    )
    quote.refresh_from_db()
    assert (quote.status, quote.signature) == ("accepte", PNG)
