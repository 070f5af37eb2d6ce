import datetime

import pytest
from django.utils import timezone

from atelier.core.errors import AtelierError, PermissionRefused
from atelier.customers.models import Customer
from atelier.reception import services
from atelier.reception.errors import QueueEmpty, TicketClosed
from atelier.reception.models import Complaint, Ticket, TicketEvent
from atelier.repairs.services import case_open

pytestmark = pytest.mark.django_db


def minutes(t0, n):
    return t0 + datetime.timedelta(minutes=n)


def snapshot():
    """Everything a refused service must leave as it was."""
    return (
        list(Ticket.objects.order_by("pk").values()),
        TicketEvent.objects.count(),
        Customer.objects.count(),
        Complaint.objects.count(),
    )


def test_tickets_are_numbered_per_site_and_day_and_calls_are_answered_at_once(
    take, accueil, other_accueil, other_site, t0
):
    first, second = take(0), take(1, reason="retrait")
    call = take(2, reason="devis", channel="telephone", caller_number="06 11 22 33 44")
    lyon = services.ticket_take(actor=other_accueil, site=other_site, reason="achat", at=t0)
    next_day = take(24 * 60)
    assert [first.code, second.code, call.code, lyon.code, next_day.code] == [
        "001",
        "002",
        "T003",
        "001",
        "001",
    ]
    assert first.status == "en_attente" and first.rank_at == t0
    assert (call.status, call.called_at, call.called_by, call.wait_seconds) == (
        "appele",
        minutes(t0, 2),
        accueil,
        0,
    )
    assert call.caller_number == "06 11 22 33 44"


def test_a_priority_moves_a_ticket_ahead_by_its_boost_only(take, accueil, counter, handicap, t0):
    early = take(0)
    take(10)
    boosted = take(20, priority=handicap)  # ranked at 8:50, before both
    late_boosted = take(70, priority=handicap)  # ranked at 9:40, after 9:00 and 9:10
    assert boosted.rank_at == minutes(t0, -10)
    called = [
        services.ticket_call_next(actor=accueil, counter=counter, at=minutes(t0, 80)).code for _ in range(4)
    ]
    assert called == [boosted.code, early.code, "002", late_boosted.code]


def test_call_next_marks_the_ticket_called_with_its_wait(take, accueil, counter, t0):
    ticket = take(0)
    called = services.ticket_call_next(actor=accueil, counter=counter, at=minutes(t0, 7))
    assert called.pk == ticket.pk
    assert (called.status, called.counter, called.called_by, called.wait_seconds) == (
        "appele",
        counter,
        accueil,
        420,
    )
    assert list(called.events.values_list("kind", "note")) == [("pris", ""), ("appele", "Guichet 1")]


def test_call_next_on_an_empty_queue_is_refused_and_changes_nothing(take, accueil, counter, t0):
    done = take(0)
    services.ticket_call_next(actor=accueil, counter=counter, at=minutes(t0, 1))
    services.ticket_serve(actor=accueil, ticket=done, at=minutes(t0, 5))
    before = snapshot()
    with pytest.raises(QueueEmpty, match="Personne n'attend : la file est vide") as exc:
        services.ticket_call_next(actor=accueil, counter=counter)
    assert exc.value.message == "Personne n'attend : la file est vide."
    assert snapshot() == before


def test_serving_a_ticket_twice_is_refused_and_changes_nothing(take, accueil, counter, t0):
    ticket = take(0)
    services.ticket_call_next(actor=accueil, counter=counter, at=minutes(t0, 2))
    served = services.ticket_serve(actor=accueil, ticket=ticket, at=minutes(t0, 8))
    assert (served.status, served.service_seconds) == ("servi", 360)
    before = snapshot()
    with pytest.raises(TicketClosed, match="Le ticket 001 est déjà clôturé") as exc:
        services.ticket_serve(actor=accueil, ticket=ticket, at=minutes(t0, 9))
    assert exc.value.message == "Le ticket 001 est déjà clôturé (servi)."
    assert snapshot() == before


def test_serving_a_ticket_not_yet_called_is_refused(take, accueil):
    ticket = take(0)
    before = snapshot()
    with pytest.raises(TicketClosed, match="Le ticket 001 n'a pas encore été appelé") as exc:
        services.ticket_serve(actor=accueil, ticket=ticket)
    assert exc.value.message == "Le ticket 001 n'a pas encore été appelé."
    assert snapshot() == before


def test_redirect_to_a_known_service_keeps_the_note(take, accueil, counter, t0):
    ticket = take(0, reason="reclamation")
    services.ticket_call_next(actor=accueil, counter=counter, at=minutes(t0, 1))
    done = services.ticket_redirect(
        actor=accueil,
        ticket=ticket,
        destination="responsable",
        note="  Facture contestée  ",
        at=minutes(t0, 3),
    )
    assert (done.status, done.destination, done.note, done.service_seconds) == (
        "redirige",
        "responsable",
        "Facture contestée",
        120,
    )


def test_redirect_to_an_unknown_service_is_refused_and_changes_nothing(take, accueil, counter, t0):
    ticket = take(0)
    services.ticket_call_next(actor=accueil, counter=counter, at=minutes(t0, 1))
    before = snapshot()
    with pytest.raises(AtelierError, match="Service inconnu : « cave »") as exc:
        services.ticket_redirect(actor=accueil, ticket=ticket, destination="cave", note="")
    assert exc.value.message == "Service inconnu : « cave ». Choisissez un service de la liste."
    assert exc.value.field == "destination"
    assert snapshot() == before


def test_a_ticket_from_another_site_is_refused_and_changes_nothing(
    take, accueil, other_accueil, counter, other_counter, t0
):
    ticket = take(0)
    services.ticket_call_next(actor=accueil, counter=counter, at=minutes(t0, 1))
    before = snapshot()
    for attempt in (
        lambda: services.ticket_serve(actor=other_accueil, ticket=ticket),
        lambda: services.ticket_no_show(actor=other_accueil, ticket=ticket),
        lambda: services.ticket_redirect(actor=other_accueil, ticket=ticket, destination="atelier"),
        lambda: services.ticket_call_next(actor=accueil, counter=other_counter),
    ):
        with pytest.raises(PermissionRefused, match="Ce site ne fait pas partie des vôtres") as exc:
            attempt()
        assert exc.value.message == "Ce site ne fait pas partie des vôtres."
    assert snapshot() == before


def test_calling_out_of_turn_needs_a_reason_which_is_logged(take, accueil, counter, t0):
    take(0)
    second = take(1)
    before = snapshot()
    with pytest.raises(AtelierError, match="Indiquez pourquoi ce ticket passe avant son tour") as exc:
        services.ticket_call(actor=accueil, ticket=second, counter=counter, reason="  ")
    assert exc.value.message == "Indiquez pourquoi ce ticket passe avant son tour."
    assert snapshot() == before
    called = services.ticket_call(
        actor=accueil, ticket=second, counter=counter, reason="Rendez-vous de 9 h", at=minutes(t0, 4)
    )
    assert (called.status, called.override_reason, called.wait_seconds) == (
        "appele",
        "Rendez-vous de 9 h",
        180,
    )
    assert called.events.last().get_kind_display() == "Appelé hors tour"
    with pytest.raises(TicketClosed, match="Le ticket 002 n'est plus en attente") as exc:
        services.ticket_call(actor=accueil, ticket=second, counter=counter, reason="encore")
    assert exc.value.message == "Le ticket 002 n'est plus en attente (appelé)."


def test_a_phone_call_needs_the_caller_number(accueil, site):
    with pytest.raises(AtelierError, match="Notez le numéro de l'appelant") as exc:
        services.ticket_take(actor=accueil, site=site, reason="devis", channel="telephone", caller_number=" ")
    assert exc.value.message == "Notez le numéro de l'appelant (ou « masqué »)."
    assert Ticket.objects.count() == 0


def test_roles_without_the_counter_cannot_take_tickets(technicien, site):
    with pytest.raises(PermissionRefused, match="Votre rôle ne permet pas cette opération"):
        services.ticket_take(actor=technicien, site=site, reason="depot")


def test_taking_charge_of_a_known_or_a_new_customer(take, accueil, customer, other_site):
    ticket = take(0)
    assert (
        services.ticket_attach_customer(actor=accueil, ticket=ticket, customer=customer).customer == customer
    )
    stranger = Customer.objects.create(site=other_site, last_name="Morel", phone="+33698765432")
    with pytest.raises(AtelierError, match="Ce client n'est pas suivi par le site de ce ticket") as exc:
        services.ticket_attach_customer(actor=accueil, ticket=ticket, customer=stranger)
    assert exc.value.message == "Ce client n'est pas suivi par le site de ce ticket."
    other = take(1)
    done = services.ticket_create_customer(
        actor=accueil, ticket=other, last_name="Martin", first_name="Léa", phone="06 98 76 54 32"
    )
    assert (done.customer.display_name, done.customer.phone, done.customer.site) == (
        "Léa MARTIN",
        "+33698765432",
        ticket.site,
    )


def test_complaints_are_recorded_on_their_subject_and_handled_by_the_manager(
    take, accueil, responsable, customer, appliance
):
    case = case_open(actor=accueil, customer=customer, appliance=appliance, customer_words="Fuit encore.")
    with pytest.raises(AtelierError, match="Notez ce que le client a dit, avec ses mots") as exc:
        services.complaint_record(actor=accueil, case=case, said="  ", cause="delai")
    assert exc.value.message == "Notez ce que le client a dit, avec ses mots."
    with pytest.raises(AtelierError, match="Rattachez le mécontentement à un ticket, un client ou un") as exc:
        services.complaint_record(actor=accueil, said="Trop long", cause="delai")
    assert exc.value.message == "Rattachez le mécontentement à un ticket, un client ou un dossier."
    complaint = services.complaint_record(
        actor=accueil,
        case=case,
        said="Trois semaines pour une pompe !",
        cause="delai",
        action_taken="Relance du fournisseur",
        manager_called=True,
    )
    assert (complaint.site, complaint.customer, complaint.case, complaint.is_handled) == (
        case.site,
        customer,
        case,
        False,
    )
    with pytest.raises(PermissionRefused, match="Votre rôle ne permet pas cette opération"):
        services.complaint_handle(actor=accueil, complaint=complaint, note="Vu")
    handled = services.complaint_handle(
        actor=responsable, complaint=complaint, note="Geste commercial : 20 €"
    )
    assert (handled.handled_by, handled.handling_note) == (responsable, "Geste commercial : 20 €")
    with pytest.raises(TicketClosed, match="Ce mécontentement est déjà traité") as exc:
        services.complaint_handle(actor=responsable, complaint=complaint, note="Encore")
    assert exc.value.message == "Ce mécontentement est déjà traité."


def test_a_complaint_cannot_mix_sites(take, accueil, other_site):
    stranger = Customer.objects.create(site=other_site, last_name="Morel", phone="+33698765432")
    with pytest.raises(
        AtelierError, match="Le ticket, le client et le dossier doivent être du même site"
    ) as exc:
        services.complaint_record(actor=accueil, ticket=take(0), customer=stranger, said="Non", cause="autre")
    assert exc.value.message == "Le ticket, le client et le dossier doivent être du même site."
    assert Complaint.objects.count() == 0


def test_numbers_restart_each_local_day(accueil, site):
    late = datetime.datetime(2026, 3, 10, 23, 30, tzinfo=timezone.get_current_timezone())
    assert services.ticket_take(actor=accueil, site=site, reason="depot", at=late).day == datetime.date(
        2026, 3, 10
    )
