"""Quotes: building, versions, sending, decisions wired to the dossier, used-part rule, bonus, repair order,
and the bad input of the issue (exact French messages, nothing changed)."""

import datetime
import re
from decimal import Decimal

import pytest
from django.utils import timezone

from atelier.core.errors import AtelierError
from atelier.customers.models import Appliance
from atelier.quotes import decisions, orders, services
from atelier.quotes.choices import PartAction, QuoteStatus
from atelier.quotes.models import Quote, QuoteLine, RepairOrder
from atelier.repairs.choices import CaseStatus, WorkLocation
from atelier.stock.choices import Availability

D = Decimal


def _quote(case, actor, solution, **kw):
    return services.quote_create(case=case, actor=actor, solution=solution, **kw)


def _sent(case, accueil, solution, used_solution):
    quote = _quote(case, accueil, solution)
    services.quote_send(quote=quote, actor=accueil, channel="papier")
    return quote


def test_quote_built_from_the_solution_with_exact_totals(case, accueil, solution):
    quote = _quote(case, accueil, solution)
    lines = list(
        quote.lines.values_list("designation", "quantity", "unit_price_ht", "vat_rate", "total_ht", "vat")
    )
    assert lines == [
        (
            "Main-d'œuvre : Remplacement de la pompe de vidange",
            D("1.50"),
            D("55.00"),
            D("20.00"),
            D("82.50"),
            D("16.50"),
        ),
        (
            "Pompe de vidange – réf. BSH-00145212 (neuve)",
            D("1.00"),
            D("48.90"),
            D("20.00"),
            D("48.90"),
            D("9.78"),
        ),
    ]
    assert (quote.total_ht, quote.total_vat, quote.total_ttc) == (D("131.40"), D("26.28"), D("157.68"))
    assert quote.version == 1 and quote.status == QuoteStatus.BROUILLON and quote.number == ""
    assert quote.valid_until == timezone.localdate() + datetime.timedelta(days=30)
    assert quote.place_of_work == "En atelier : 12 rue de la République, 75011 Paris"


def test_travel_and_diagnosis_lines_from_the_site_tariffs(make_case, accueil, diagnosis_fee):
    from atelier.repairs.services import case_prediagnose

    case = make_case(location=WorkLocation.DOMICILE)
    case_prediagnose(case=case, actor=accueil, note="Fuite.")
    sol = services.solution_create(
        case=case,
        actor=accueil,
        title="Joint",
        work_description="Joint de hublot.",
        labour_hours="0.5",
        include_travel=True,
        include_diagnosis=True,
    )
    quote = _quote(case, accueil, sol)
    assert list(quote.lines.values_list("kind", "total_ht")) == [
        ("main_oeuvre", D("32.50")),
        ("deplacement", D("39.00")),
        ("diagnostic", D("35.00")),
    ]
    assert quote.total_ttc == D("127.80")


def test_sending_numbers_freezes_and_moves_the_dossier(case, accueil, solution, used_solution):
    quote = _sent(case, accueil, solution, used_solution)
    case.refresh_from_db()
    year = timezone.localdate().year
    assert quote.number == f"DEV-PAR1-{year}-000001"
    assert quote.status == QuoteStatus.ENVOYE
    assert case.status == CaseStatus.DEVIS_ENVOYE
    event = case.events.last()
    assert event.label == "Devis envoyé au client"
    assert event.note == f"Devis DEV-PAR1-{year}-000001 (version 1) : 157,68 € TTC, imprimé et remis."


def test_sending_by_email_queues_the_message_with_its_pdf(
    case, accueil, solution, used_solution, deliver_queued, memory_provider
):
    from atelier.messaging.models import Message

    case.customer.email = "nadia.lefevre@example.fr"
    case.customer.save()
    quote = _quote(case, accueil, solution)
    quote = services.quote_send(quote=quote, actor=accueil, channel="email")
    message = Message.objects.get()
    assert (message.case, message.channel, message.recipient, message.purpose, message.state) == (
        case,
        "email",
        "nadia.lefevre@example.fr",
        "quote",
        "queued",
    )
    assert message.subject == f"Votre devis {quote.number} – {case.site.name}"
    assert [(a.filename, bytes(a.content)[:5]) for a in message.attachments.all()] == [
        (f"{quote.number}.pdf", b"%PDF-")
    ]
    assert memory_provider.sent == []  # nothing leaves inside the request
    deliver_queued()
    (sent,) = memory_provider.sent
    assert (sent.recipient, sent.subject, sent.attachments[0][0], sent.attachments[0][1][:5]) == (
        "nadia.lefevre@example.fr",
        f"Votre devis {quote.number} – {case.site.name}",
        f"{quote.number}.pdf",
        b"%PDF-",
    )
    assert Message.objects.get().state == "sent"


def test_a_new_version_replaces_the_old_one_which_stays_readable(case, accueil, solution, used_solution):
    first = _sent(case, accueil, solution, used_solution)
    second = _quote(case, accueil, used_solution)
    services.quote_send(quote=second, actor=accueil, channel="papier")
    first.refresh_from_db()
    assert (first.status, second.status, second.version) == (QuoteStatus.REMPLACE, QuoteStatus.ENVOYE, 2)
    assert first.lines.count() == 2 and first.total_ttc == D("157.68")
    case.refresh_from_db()
    assert case.status == CaseStatus.DEVIS_ENVOYE
    assert case.events.last().note.startswith("Nouvelle version. Devis ")
    with pytest.raises(AtelierError, match="a été remplacé par une nouvelle version"):
        decisions.quote_accept(quote=first, actor=accueil, signer_name="Nadia Lefèvre")


def test_acceptance_keeps_date_name_signature_and_moves_the_dossier(case, accueil, solution, used_solution):
    quote = _sent(case, accueil, solution, used_solution)
    decisions.quote_accept(
        quote=quote, actor=accueil, signer_name="Nadia Lefèvre", signature="data:image/png;base64,AAAA"
    )
    quote.refresh_from_db()
    case.refresh_from_db()
    assert (quote.status, quote.signer_name, quote.signature) == (
        "accepte",
        "Nadia Lefèvre",
        "data:image/png;base64,AAAA",
    )
    assert quote.decided_at is not None
    assert case.status == CaseStatus.ACCEPTE
    assert case.events.last().note == f"Devis {quote.number} signé par Nadia Lefèvre."


def test_a_signature_must_be_an_image(case, accueil, solution, used_solution):
    quote = _sent(case, accueil, solution, used_solution)
    with pytest.raises(AtelierError, match="La signature doit être une image PNG ou JPEG") as exc:
        decisions.quote_accept(quote=quote, actor=accueil, signer_name="Nadia Lefèvre", signature="<svg>")
    assert exc.value.message == "La signature doit être une image PNG ou JPEG."
    quote.refresh_from_db()
    assert quote.status == QuoteStatus.ENVOYE
    decisions.quote_accept(
        quote=quote, actor=accueil, signer_name="Nadia Lefèvre", signature="data:image/jpeg;base64,/9j/AAAA"
    )
    assert quote.status == QuoteStatus.ACCEPTE


def test_refusal_records_the_reason_and_may_charge_the_diagnosis(
    case, accueil, solution, used_solution, diagnosis_fee
):
    quote = _sent(case, accueil, solution, used_solution)
    decisions.quote_refuse(
        quote=quote, actor=accueil, reason="Trop cher pour l'âge de la machine.", charge_diagnosis=True
    )
    quote.refresh_from_db()
    case.refresh_from_db()
    assert (quote.status, quote.diagnosis_fee_ht) == ("refuse", D("35.00"))
    assert case.status == CaseStatus.REFUSE
    assert (
        case.events.last().note
        == "Trop cher pour l'âge de la machine.\nForfait diagnostic facturé : 35,00 € HT."
    )


# ---------------------------------------------------------------- used parts


def test_covered_family_without_used_part_offer_cannot_be_sent(case, accueil, solution):
    quote = _quote(case, accueil, solution)
    assert quote.used_part_info == ""
    with pytest.raises(
        AtelierError,
        match="Le devis ne peut pas être envoyé : pour un appareil de la famille « Lave-linge », proposez une solution",
    ) as exc:
        services.quote_send(quote=quote, actor=accueil, channel="papier")
    assert exc.value.message == (
        "Le devis ne peut pas être envoyé : pour un appareil de la famille « Lave-linge », proposez une solution "
        "avec pièce d'occasion ou reconditionnée, ou choisissez le motif légal de son absence (art. L224-109 et "
        "R224-32 du Code de la consommation)."
    )
    quote.refresh_from_db()
    case.refresh_from_db()
    assert (quote.status, quote.number, case.status) == ("brouillon", "", CaseStatus.PREDIAGNOSTIQUE)


def test_used_part_offer_is_written_with_its_price_and_delay(case, accueil, solution, used_solution):
    quote = _quote(case, accueil, solution)
    assert quote.used_part_info == (
        "Option avec pièces issues de l'économie circulaire proposée : « Pompe d'occasion », 127,80 € TTC, "
        "délai 0 jour (solution retenue : 157,68 € TTC, délai 5 jours)."
    )


def test_used_part_offer_follows_the_quote_total_when_a_line_is_added(case, accueil, solution, used_solution):
    """Issue 15: the legal text kept the solution's total after a line was added to the quote."""
    quote = _quote(case, accueil, solution)
    services.quote_add_line(
        quote=quote,
        actor=accueil,
        kind="autre",
        designation="Joint de cuve",
        quantity="1",
        unit_price_ht="10.00",
        vat_kind="normal",
    )
    quote.refresh_from_db()
    assert quote.total_ttc == D("169.68")
    assert quote.used_part_info == (
        "Option avec pièces issues de l'économie circulaire proposée : « Pompe d'occasion », 127,80 € TTC, "
        "délai 0 jour (solution retenue : 169,68 € TTC, délai 5 jours)."
    )
    services.quote_remove_line(line=quote.lines.get(designation="Joint de cuve"), actor=accueil)
    quote.refresh_from_db()
    assert "(solution retenue : 157,68 € TTC, délai 5 jours)." in quote.used_part_info
    typed = "Pompe d'occasion proposée par téléphone, refusée par le client."
    services.quote_update(
        quote=quote,
        actor=accueil,
        valid_until=quote.valid_until,
        is_charged=False,
        charge_ht="0",
        used_part_info=typed,
    )
    services.quote_add_line(
        quote=quote,
        actor=accueil,
        kind="autre",
        designation="X",
        quantity="1",
        unit_price_ht="1",
        vat_kind="normal",
    )
    quote.refresh_from_db()
    assert quote.used_part_info == typed  # what the user typed is never rewritten


def test_a_recorded_notice_that_no_used_part_exists_allows_sending(case, accueil, solution):
    quote = _quote(
        case, accueil, solution, used_part_info="Aucune pompe d'occasion disponible chez nos fournisseurs."
    )
    services.quote_send(quote=quote, actor=accueil, channel="papier")
    assert quote.status == QuoteStatus.ENVOYE


def test_uncovered_family_needs_no_offer(case, accueil, solution):
    Appliance.objects.filter(pk=case.appliance_id).update(family="autre")
    case.appliance.refresh_from_db()
    quote = _quote(case, accueil, solution)
    services.quote_send(quote=quote, actor=accueil, channel="papier")
    assert quote.status == QuoteStatus.ENVOYE


# ---------------------------------------------------------------- bonus


def test_bonus_deducted_when_eligible(case, accueil, solution, used_solution, labelled):
    quote = _quote(case, accueil, solution)
    assert (quote.bonus_amount, quote.net_to_pay) == (D("50.00"), D("107.68"))
    assert quote.bonus_rate.category == "Lave-linge"


def test_bonus_on_an_appliance_under_warranty_is_refused(case, accueil, solution, labelled):
    Appliance.objects.filter(pk=case.appliance_id).update(
        warranty_end=timezone.localdate() + datetime.timedelta(days=90)
    )
    case.appliance.refresh_from_db()
    quote = _quote(case, accueil, solution)
    assert quote.bonus_amount == D("0.00")
    end = (timezone.localdate() + datetime.timedelta(days=90)).strftime("%d/%m/%Y")
    with pytest.raises(
        AtelierError, match="Bonus réparation impossible : l'appareil est sous garantie jusqu'au"
    ) as exc:
        services.quote_set_bonus(quote=quote, actor=accueil, apply=True)
    assert exc.value.message == f"Bonus réparation impossible : l'appareil est sous garantie jusqu'au {end}."
    quote.refresh_from_db()
    assert (quote.bonus_amount, quote.bonus_rate_id) == (D("0.00"), None)


def test_bonus_needs_a_labelled_site_and_a_household(case, accueil, solution):
    case.customer.kind = "professionnel"
    case.customer.company_name = "Laverie du Marché"
    case.customer.save()
    quote = _quote(case, accueil, solution)
    with pytest.raises(
        AtelierError,
        match="Bonus réparation impossible : le site n'est pas labellisé QualiRépar à cette date ;",
    ) as exc:
        services.quote_set_bonus(quote=quote, actor=accueil, apply=True)
    assert exc.value.message == (
        "Bonus réparation impossible : le site n'est pas labellisé QualiRépar à cette date ; "
        "le bonus est réservé aux particuliers."
    )


# ---------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    "quantity,price,vat,message",
    [
        ("-1", "10", "normal", "La quantité doit être supérieure à zéro."),
        ("0", "10", "normal", "La quantité doit être supérieure à zéro."),
        ("100000", "10", "normal", "Quantité invraisemblable : au plus 999, avec deux décimales au plus."),
        ("abc", "10", "normal", "« Quantité » n'est pas un nombre."),
        ("1", "-5", "normal", "Un prix ne peut pas être négatif."),
        ("1", "1000000", "normal", "Prix invraisemblable : au plus 100 000 €, au centime près."),
        ("1", "NaN", "normal", "« Prix » n'est pas un nombre."),
    ],
)
def test_absurd_lines_are_refused_and_nothing_changes(case, accueil, solution, quantity, price, vat, message):
    quote = _quote(case, accueil, solution)
    with pytest.raises(AtelierError, match=re.escape(message)) as exc:
        services.quote_add_line(
            quote=quote,
            actor=accueil,
            kind="autre",
            designation="Divers",
            quantity=quantity,
            unit_price_ht=price,
            vat_kind=vat,
        )
    assert exc.value.message == message
    quote.refresh_from_db()
    assert (quote.lines.count(), quote.total_ttc) == (2, D("157.68"))


def test_vat_rate_not_in_force_on_the_quote_date(case, accueil, solution):
    from atelier.core.models import VatRate

    VatRate.objects.filter(kind="particulier").update(valid_until=datetime.date(2020, 12, 31))
    quote = _quote(case, accueil, solution)
    with pytest.raises(AtelierError, match="Aucun taux de TVA « Taux particulier » n'est en vigueur") as exc:
        services.quote_add_line(
            quote=quote,
            actor=accueil,
            kind="autre",
            designation="Divers",
            quantity="1",
            unit_price_ht="10",
            vat_kind="particulier",
        )
    assert exc.value.message == (
        f"Aucun taux de TVA « Taux particulier » n'est en vigueur au {timezone.localdate():%d/%m/%Y}."
    )
    assert quote.lines.count() == 2


def test_a_good_line_is_added_and_totals_follow(case, accueil, solution):
    quote = _quote(case, accueil, solution)
    services.quote_add_line(
        quote=quote,
        actor=accueil,
        kind="piece",
        designation="Collier de serrage",
        quantity="2",
        unit_price_ht="1,95",
        vat_kind="normal",
    )
    assert (quote.total_ht, quote.total_vat, quote.total_ttc) == (D("135.30"), D("27.06"), D("162.36"))


def test_accepting_an_expired_quote_is_refused(case, accueil, solution, used_solution):
    quote = _sent(case, accueil, solution, used_solution)
    later = timezone.now() + datetime.timedelta(days=31)
    with pytest.raises(AtelierError, match=": établissez une nouvelle version") as exc:
        decisions.quote_accept(quote=quote, actor=accueil, signer_name="Nadia Lefèvre", at=later)
    assert exc.value.message == (
        f"Le devis {quote.number} a expiré le {quote.valid_until:%d/%m/%Y} : établissez une nouvelle version."
    )
    quote.refresh_from_db()
    case.refresh_from_db()
    assert (quote.status, case.status) == ("envoye", CaseStatus.DEVIS_ENVOYE)


def test_accepting_a_refused_quote_is_refused(case, accueil, solution, used_solution):
    quote = _sent(case, accueil, solution, used_solution)
    decisions.quote_refuse(quote=quote, actor=accueil, reason="Trop cher.")
    with pytest.raises(AtelierError, match="a déjà été refusé") as exc:
        decisions.quote_accept(quote=quote, actor=accueil, signer_name="Nadia Lefèvre")
    assert exc.value.message == f"Le devis {quote.number} a déjà été refusé."
    quote.refresh_from_db()
    assert (quote.status, quote.signer_name) == ("refuse", "")


def test_an_accepted_quote_never_changes(case, accueil, solution, used_solution):
    quote = _sent(case, accueil, solution, used_solution)
    decisions.quote_accept(quote=quote, actor=accueil, signer_name="Nadia Lefèvre")
    message = f"Le devis {quote.number} est accepté : il ne change plus."
    with pytest.raises(AtelierError, match=message):
        services.quote_add_line(
            quote=quote,
            actor=accueil,
            kind="autre",
            designation="Divers",
            quantity="1",
            unit_price_ht="10",
            vat_kind="normal",
        )
    with pytest.raises(AtelierError, match=message):
        services.quote_remove_line(line=quote.lines.first(), actor=accueil)
    with pytest.raises(AtelierError, match="a déjà un devis accepté"):
        _quote(case, accueil, used_solution)
    assert quote.lines.count() == 2 and Quote.objects.count() == 1


def test_sent_quote_is_frozen_until_a_new_version(case, accueil, solution, used_solution):
    quote = _sent(case, accueil, solution, used_solution)
    with pytest.raises(
        AtelierError, match="est « Envoyé » : établissez une nouvelle version pour le modifier"
    ) as exc:
        services.quote_remove_line(line=quote.lines.first(), actor=accueil)
    assert exc.value.message == (
        f"Le devis {quote.number} est « Envoyé » : établissez une nouvelle version pour le modifier."
    )
    assert QuoteLine.objects.filter(quote=quote).count() == 2


def test_unavailable_part_needs_an_alternative(case, accueil, pump):
    pump.availability = Availability.INDISPONIBLE
    pump.save()
    with pytest.raises(
        AtelierError, match="La pièce BSH-00145212 n'est pas disponible : choisissez une alternative"
    ) as exc:
        services.solution_create(
            case=case, actor=accueil, title="X", work_description="Y", labour_hours="1", parts=[(pump, 1)]
        )
    assert exc.value.message == "La pièce BSH-00145212 n'est pas disponible : choisissez une alternative."
    assert case.solutions.count() == 0


# ---------------------------------------------------------------- repair order


def _accepted(case, accueil, solution, used_solution):
    quote = _sent(case, accueil, solution, used_solution)
    decisions.quote_accept(quote=quote, actor=accueil, signer_name="Nadia Lefèvre")
    return quote


def test_repair_order_orders_missing_parts_and_waits_for_them(
    case, accueil, responsable, solution, used_solution
):
    quote = _accepted(case, accueil, solution, used_solution)
    order = orders.repair_order_create(
        quote=quote,
        actor=responsable,
        promised_on=timezone.localdate() + datetime.timedelta(days=10),
        skills=["niveau:2"],
        tools=["multimetre"],
    )
    case.refresh_from_db()
    assert (order.skills, order.tools) == ("niveau:2", "multimetre")
    assert list(order.required_tool_kinds.values_list("kind__code", flat=True)) == ["multimetre"]
    assert order.number == f"OR-PAR1-{timezone.localdate().year}-000001"
    assert list(order.parts.values_list("part__reference", "action")) == [
        ("BSH-00145212", PartAction.COMMANDEE)
    ]
    assert case.status == CaseStatus.ATTENTE_PIECES
    assert (
        case.events.last().note
        == f"Ordre de réparation {order.number} établi. Pièces commandées : BSH-00145212 × 1."
    )


def test_repair_order_with_parts_in_stock_takes_the_dossier_in_the_workshop(
    case, accueil, responsable, technicien, solution, used_solution
):
    quote = _quote(case, accueil, used_solution)
    services.quote_send(quote=quote, actor=accueil, channel="papier")
    decisions.quote_accept(quote=quote, actor=accueil, signer_name="Nadia Lefèvre")
    order = orders.repair_order_create(
        quote=quote,
        actor=responsable,
        promised_on=timezone.localdate(),
        technician=technicien,
        planned_for=timezone.now(),
    )
    case.refresh_from_db()
    assert order.parts.get().action == PartAction.RESERVEE
    assert (case.status, case.technician) == (CaseStatus.EN_ATELIER, technicien)
    from atelier.planning.models import Visit

    assert Visit.objects.count() == 0  # a workshop repair has no home visit to plan


def test_home_repair_order_plans_the_visit(make_case, accueil, responsable, technicien, used_pump):
    from atelier.repairs.services import case_prediagnose

    case = make_case(location=WorkLocation.DOMICILE)
    case_prediagnose(case=case, actor=accueil, note="Pompe.")
    sol = services.solution_create(
        case=case,
        actor=accueil,
        title="Pompe d'occasion",
        work_description="Pompe.",
        labour_hours="1",
        parts=[(used_pump, 1)],
        include_travel=True,
    )
    quote = _quote(case, accueil, sol)
    services.quote_send(quote=quote, actor=accueil, channel="papier")
    decisions.quote_accept(quote=quote, actor=accueil, signer_name="Nadia Lefèvre")
    when = timezone.now() + datetime.timedelta(days=2)
    order = orders.repair_order_create(
        quote=quote,
        actor=responsable,
        promised_on=timezone.localdate() + datetime.timedelta(days=2),
        technician=technicien,
        planned_for=when,
    )
    case.refresh_from_db()
    assert (case.status, case.technician, case.planned_for) == (CaseStatus.PLANIFIE, technicien, when)
    # the planning's visit is made with the order (planning registers after_order_created), not when the
    # visits list is next opened
    from atelier.planning.models import Visit

    visit = Visit.objects.get()
    assert (visit.order, visit.site, visit.family, visit.brand) == (
        order,
        case.site,
        case.appliance.family,
        case.appliance.brand,
    )


def test_repair_order_needs_an_accepted_quote(case, accueil, responsable, solution, used_solution):
    quote = _sent(case, accueil, solution, used_solution)
    with pytest.raises(AtelierError, match="Un ordre de réparation se fait depuis un devis accepté") as exc:
        orders.repair_order_create(quote=quote, actor=responsable, promised_on=timezone.localdate())
    assert exc.value.message == "Un ordre de réparation se fait depuis un devis accepté."
    assert RepairOrder.objects.count() == 0


def test_a_home_quote_never_prints_an_empty_address(make_case, accueil):
    """Issue 15: a customer created at the queue had no address: « Au domicile du client : » and nothing."""
    from atelier.repairs.services import case_prediagnose

    case = make_case(location=WorkLocation.DOMICILE)
    case_prediagnose(case=case, actor=accueil, note="Fuite.")
    customer = case.customer
    customer.address, customer.address2, customer.postcode, customer.city = "", "", "", ""
    customer.save()
    sol = services.solution_create(
        case=case, actor=accueil, title="Joint", work_description="J.", labour_hours="0.5"
    )
    assert _quote(case, accueil, sol).place_of_work == "Au domicile du client : adresse à compléter"
    customer.postcode, customer.city = "75020", "Paris"
    customer.save()
    assert (
        _quote(case, accueil, sol).place_of_work == "Au domicile du client : 75020 Paris, adresse à compléter"
    )
    customer.address, customer.address2 = "12 rue des Lilas", "Bât. B"
    customer.save()
    assert (
        _quote(case, accueil, sol).place_of_work
        == "Au domicile du client : 12 rue des Lilas, Bât. B, 75020 Paris"
    )
