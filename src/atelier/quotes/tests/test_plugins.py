"""The customer's quotes on their file and on the counter's taking-charge page."""

from atelier.quotes.services import quote_create, quote_send
from atelier.reception.models import Ticket
from atelier.reception.services import ticket_attach_customer, ticket_take


def test_open_quotes_show_on_the_customer_file_and_when_taking_charge(
    client, accueil, site, case, solution, used_solution
):
    quote = quote_create(case=case, actor=accueil, solution=solution)
    quote = quote_send(quote=quote, actor=accueil, channel="papier")
    client.force_login(accueil)
    page = client.get(f"/clients/{case.customer.pk}/").content.decode()
    assert 'id="customer-quotes"' in page and "1 en cours" in page and quote.number in page
    assert "Envoyé" in page and case.number in page
    ticket = ticket_take(actor=accueil, site=site, reason="devis")
    ticket_attach_customer(actor=accueil, ticket=ticket, customer=case.customer)
    page = client.get(f"/accueil-clients/tickets/{Ticket.objects.get().pk}/").content.decode()
    assert 'id="customer-quotes"' in page and quote.number in page


def test_no_quote_section_for_a_customer_without_quotes(client, accueil, case):
    client.force_login(accueil)
    assert 'id="customer-quotes"' not in client.get(f"/clients/{case.customer.pk}/").content.decode()


def test_another_sites_staff_do_not_see_the_customers_quotes(rf, accueil, other_accueil, case, solution):
    from atelier.quotes.plugins import customer_section

    quote_create(case=case, actor=accueil, solution=solution)
    request = rf.get("/")
    request.user = accueil
    assert len(customer_section(request, case.customer)["quotes"]) == 1
    request.user = other_accueil
    assert customer_section(request, case.customer) is None
