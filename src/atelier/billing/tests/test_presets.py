"""The presets of the permission matrix at service level (core.access): under « réseau » the technician does not
record the quote decision, establish the repair order, invoice nor take payment; under « petite équipe » he does;
under « atelier d'une personne » one technician takes a dossier from the counter to closed alone."""

import datetime
from decimal import Decimal

import pytest

from atelier.billing import handover, payments
from atelier.billing.models import Payment
from atelier.billing.services import invoice_issue
from atelier.billing.tests.conftest import NO_USED, SIGNATURE, repair_in_workshop
from atelier.core import access
from atelier.core.errors import PermissionRefused
from atelier.core.models import Site
from atelier.quotes import decisions as quote_decisions
from atelier.quotes import services as quote_services
from atelier.quotes.orders import repair_order_create
from atelier.repairs import services as case_services
from atelier.repairs.choices import CaseStatus

pytestmark = pytest.mark.django_db


def _preset(site, preset, *users):
    """Set the site's preset; the users' matrices are read again (as on their next request)."""
    Site.objects.filter(pk=site.pk).update(permission_preset=preset)
    site.refresh_from_db()
    for user in users:
        access.forget_matrix(user)


def _fresh(user):
    access.forget_matrix(user)
    return user


def test_under_reseau_the_technician_neither_decides_orders_invoices_nor_takes_payment(
    case, solution, accueil, technicien, pump, consumed, billing_on
):
    quote = quote_services.quote_create(
        case=case, actor=technicien, solution=solution, used_part_info=NO_USED
    )
    with pytest.raises(PermissionRefused):
        quote_services.quote_send(quote=quote, actor=technicien, channel="papier")
    quote_services.quote_send(quote=quote, actor=accueil, channel="papier")
    with pytest.raises(PermissionRefused, match="Votre rôle ne permet pas cette opération."):
        quote_decisions.quote_accept(quote=quote, actor=technicien, signer_name="Nadia Lefèvre")
    quote_decisions.quote_accept(quote=quote, actor=accueil, signer_name="Nadia Lefèvre")
    with pytest.raises(PermissionRefused):
        repair_order_create(quote=quote, actor=technicien, promised_on=datetime.date(2030, 1, 10))
    consumed[pump.pk] = Decimal("1")
    ready = repair_in_workshop(case, technicien)
    with pytest.raises(PermissionRefused):
        invoice_issue(case=ready, actor=technicien)
    invoice_issue(case=ready, actor=accueil)
    with pytest.raises(PermissionRefused):
        payments.payment_take(case=ready, actor=technicien, parts=[("carte", "157,68")])
    assert not Payment.objects.exists()


def test_under_petite_equipe_the_technician_sends_decides_and_establishes_the_order(
    site, other_site, case, solution, technicien, pump, billing_on
):
    _preset(site, access.PRESET_EQUIPE)
    quote = quote_services.quote_create(
        case=case, actor=technicien, solution=solution, used_part_info=NO_USED
    )
    quote_services.quote_send(quote=quote, actor=technicien, channel="papier")
    quote_decisions.quote_accept(quote=quote, actor=technicien, signer_name="Nadia Lefèvre")
    quote.refresh_from_db()
    order = repair_order_create(quote=quote, actor=technicien, promised_on=datetime.date(2030, 1, 10))
    assert order.quote_id == quote.pk and order.case_id == case.pk
    # the matrix is per site: Lyon, still under « réseau », refuses him (were he to work there)
    assert access.allowed_roles("quotes.order", other_site) == frozenset({"responsable_sav"})
    assert "technicien" in access.allowed_roles("quotes.order", site)


def test_under_petite_equipe_the_technician_invoices_and_takes_payment(site, ready_case, technicien):
    _preset(site, access.PRESET_EQUIPE, technicien)
    invoice = invoice_issue(case=ready_case, actor=technicien)
    assert invoice.total_ttc == Decimal("157.68")
    payments.payment_take(case=ready_case, actor=technicien, parts=[("carte", "157,68")])
    assert Payment.objects.get().amount == Decimal("157.68")


def test_a_one_person_shop_takes_a_dossier_from_the_counter_to_closed_alone(
    site, customer, appliance, solution, pump, consumed, billing_on, technicien
):
    """One user, one role (technicien), the site set to « atelier d'une personne »: every step is his."""
    _preset(site, access.PRESET_SEUL)
    alone = _fresh(technicien)
    assert alone.role_set == frozenset({"technicien"})
    case = case_services.case_open(
        actor=alone, customer=customer, appliance=appliance, customer_words="Ne vidange plus."
    )
    case_services.case_prediagnose(case=case, actor=alone, note="Pompe de vidange bloquée.")
    solution.case = case
    solution.save(update_fields=["case"])
    quote = quote_services.quote_create(case=case, actor=alone, solution=solution, used_part_info=NO_USED)
    quote_services.quote_send(quote=quote, actor=alone, channel="papier")
    quote_decisions.quote_accept(quote=quote, actor=alone, signer_name="Nadia Lefèvre")
    consumed[pump.pk] = Decimal("1")
    case.refresh_from_db()
    case = repair_in_workshop(case, alone)  # the repair order is his too: test above
    invoice_issue(case=case, actor=alone)
    payments.payment_take(case=case, actor=alone, parts=[("carte", "157,68")])
    handover.hand_back_record(case=case, actor=alone, signer_name="Nadia Lefèvre", signature=SIGNATURE)
    case.refresh_from_db()
    case_services.case_close(case=case, actor=alone, note="Client satisfait.")
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOTURE
    assert {e.actor_id for e in case.events.all() if e.actor_id} == {alone.pk}
