"""The loaded demo, part two: the documents of its dossiers — parts catalogue, quotes and repair orders, deposit
and final invoices, refunds, the tracking link, and the validated plans of the coming days. The demo is loaded
once for the package at a fixed instant (see conftest.py)."""

import datetime
from decimal import Decimal

from django.utils import timezone

from atelier.demo.parts import CATALOGUE, LABEL_NUMBER
from atelier.quotes import rules
from atelier.quotes.choices import LineKind, QuoteStatus
from atelier.quotes.models import BonusLabel, Quote, QuoteLine, RepairOrder, Solution
from atelier.repairs.choices import CaseStatus, EventKind, WorkLocation
from atelier.repairs.models import CaseEvent, RepairCase
from atelier.stock.choices import Availability, PartCondition
from atelier.stock.models import Part

# ---------------------------------------------------------------- parts catalogue, quotes and repair orders


def _events_by_case() -> dict[int, dict[str, CaseEvent]]:
    """Each dossier's transitions by the state they reached (each is reached at most once on a demo path
    up to the quote decision)."""
    found: dict[int, dict[str, CaseEvent]] = {}
    for event in CaseEvent.objects.filter(kind=EventKind.TRANSITION).order_by("at", "pk"):
        found.setdefault(event.case_id, {}).setdefault(event.to_status, event)
    return found


def test_the_parts_catalogue_has_new_parts_and_their_used_equivalents(demo):
    new_count = sum(len(specs) for specs in CATALOGUE.values())
    used_count = sum(1 for specs in CATALOGUE.values() for spec in specs if spec.used)
    # + the 2 parts recovered from the demo's dismantled washing machine (demo/refurbishment.py): its pump and lock
    assert Part.objects.count() == new_count + used_count + 2 == 39
    assert Part.objects.exclude(recovered_from=None).count() == 2
    assert Part.objects.filter(condition=PartCondition.NEUF).count() == new_count == 29
    for part in Part.objects.filter(recovered_from=None).select_related("equivalent_of"):
        part.full_clean()
        assert part.price_ht > 0 and part.is_active
        assert (part.lead_time_days == 0) == (part.availability == Availability.EN_STOCK)
        if part.is_circular:
            new = part.equivalent_of
            assert new is not None and not new.is_circular
            assert (part.kind, part.designation) == (new.kind, new.designation)
            assert part.price_ht < new.price_ht
            assert part.reference.startswith(new.reference + "-")
        else:
            assert part.equivalent_of is None
    assert list(BonusLabel.objects.values_list("site__code", "label_number")) == [("PAR1", LABEL_NUMBER)]


def test_every_dossier_past_the_quote_has_exactly_one_quote(demo):
    events = _events_by_case()
    today = timezone.localdate()
    quoted = [c for c in RepairCase.objects.all() if CaseStatus.DEVIS_ENVOYE in events.get(c.pk, {})]
    assert len(quoted) == Quote.objects.count() == Quote.objects.values("case").distinct().count()
    assert not Quote.objects.filter(status__in=[QuoteStatus.BROUILLON, QuoteStatus.REMPLACE]).exists()
    quotes = {q.case_id: q for q in Quote.objects.select_related("case__site", "case__customer")}
    numbers = set()
    for case in quoted:
        quote, reached = quotes[case.pk], events[case.pk]
        sent = reached[CaseStatus.DEVIS_ENVOYE]
        assert quote.version == 1 and quote.sent_at == sent.at and quote.sent_channel == "papier"
        assert quote.number.startswith(f"DEV-{case.site.code}-{timezone.localtime(sent.at).year}-")
        numbers.add(quote.number)
        assert quote.issued_on == timezone.localtime(sent.at).date()
        assert quote.solution.created_at == quote.created_at < quote.sent_at
        assert quote.lines.exists() and quote.total_ttc > 0
        assert sent.note.startswith(f"Devis {quote.number} (version 1) : ")
        if CaseStatus.ACCEPTE in reached:
            accepted = reached[CaseStatus.ACCEPTE]
            assert quote.status == QuoteStatus.ACCEPTE and quote.decided_at == accepted.at
            assert quote.signer_name == case.customer.display_name
            assert accepted.note == f"Devis {quote.number} signé par {quote.signer_name}."
            assert quote.valid_until >= timezone.localtime(accepted.at).date()
        elif CaseStatus.REFUSE in reached:
            refused = reached[CaseStatus.REFUSE]
            assert quote.status == QuoteStatus.REFUSE and quote.decided_at == refused.at
            assert quote.refusal_reason and refused.note == quote.refusal_reason
        else:
            assert quote.status == QuoteStatus.ENVOYE and quote.decided_at is None
            if case.status == CaseStatus.DEVIS_ENVOYE:  # awaiting the answer: it can still be accepted
                assert quote.valid_until >= today
            else:  # the dossier ended otherwise (cancelled, unrepairable): the quote simply expires
                assert case.status in (CaseStatus.ANNULE, CaseStatus.NON_REPARABLE)
                assert quote.valid_until == quote.issued_on + datetime.timedelta(days=30)
    assert len(numbers) == len(quoted)
    assert Solution.objects.exclude(case__in=quoted).count() == 0
    for status in (CaseStatus.ACCEPTE, CaseStatus.PLANIFIE, CaseStatus.REPARE, CaseStatus.CLOTURE):
        for case in RepairCase.objects.filter(status=status).exclude(pk__in=[c.pk for c in quoted]):
            raise AssertionError(f"{case.number} ({status}) n'a pas de devis")


def test_dossiers_in_each_quote_state_carry_the_matching_quote(demo):
    # 5 dossiers in Paris and 1 in Lyon in each of these states (see the quotas test above)
    for case_status, quote_status in (
        (CaseStatus.DEVIS_ENVOYE, QuoteStatus.ENVOYE),
        (CaseStatus.ACCEPTE, QuoteStatus.ACCEPTE),
        (CaseStatus.REFUSE, QuoteStatus.REFUSE),
    ):
        assert Quote.objects.filter(case__status=case_status, status=quote_status).count() == 6
        assert Quote.objects.filter(case__status=case_status).count() == 6
    later = [CaseStatus.PLANIFIE, CaseStatus.EN_ATELIER, CaseStatus.EN_REPARATION, CaseStatus.REPARE]
    for case in RepairCase.objects.filter(status__in=[*later, CaseStatus.PRET, CaseStatus.ATTENTE_PIECES]):
        assert case.quotes.get().status == QuoteStatus.ACCEPTE, case.number
    assert not Quote.objects.filter(case__status__in=[CaseStatus.RECU, CaseStatus.PREDIAGNOSTIQUE]).exists()


def test_quotes_with_parts_of_covered_families_carry_a_used_part_offer_or_note(demo):
    lines = QuoteLine.objects.filter(kind=LineKind.PIECE).select_related("part")
    kinds: dict[int, set[str]] = {}
    for line in lines:
        kinds.setdefault(line.quote_id, set()).add(line.part.kind)
    covered = 0
    for quote in Quote.objects.select_related("case__appliance").prefetch_related(
        "case__solutions__parts__part"
    ):
        circular = any(sp.part.is_circular for s in quote.case.solutions.all() for sp in s.parts.all())
        required = rules.used_part_required(
            family=quote.case.appliance.family, part_kinds=kinds.get(quote.pk, set()), on=quote.issued_on
        )
        if circular:
            assert quote.used_part_info.startswith("Option avec pièces issues de l'économie circulaire")
        elif required:  # a lawful reason chosen (R224-32) or seen by Atelier (L224-109), never typed
            assert quote.used_part_info == "" and quote.used_part_exemption is not None
        else:
            assert quote.used_part_info == ""
        covered += required
    assert covered > 0
    assert Quote.objects.filter(used_part_info__startswith="Option avec pièce").exists()
    assert Quote.objects.filter(used_part_exemption__code="indisponible").exists()


def test_paris_quotes_deduct_the_repair_bonus_when_eligible(demo):
    assert not Quote.objects.filter(case__site__code="LYO1", bonus_amount__gt=0).exists()
    with_bonus = Quote.objects.filter(case__site__code="PAR1", bonus_amount__gt=0).select_related(
        "bonus_rate"
    )
    assert with_bonus.exists()
    for quote in with_bonus:
        assert quote.bonus_amount == min(quote.bonus_rate.amount, quote.total_ttc)


def test_some_accepted_home_repairs_were_planned_through_a_repair_order(demo):
    # the workshop dossiers' orders are written by demo.planning (test_workshop_dossiers_have_their_order)
    orders = RepairOrder.objects.filter(location=WorkLocation.DOMICILE).select_related(
        "quote", "case", "technician"
    )
    assert orders.exists()
    events = _events_by_case()
    for order in orders:
        case = order.case
        assert case.site.code == "PAR1" and case.location == WorkLocation.DOMICILE
        assert order.quote.status == QuoteStatus.ACCEPTE
        planned = events[case.pk][CaseStatus.PLANIFIE]
        assert planned.note == f"Ordre de réparation {order.number} établi."
        assert planned.actor.username == "responsable" and order.created_at == planned.at
        assert order.technician.has_role("technicien") and order.planned_for
        assert order.promised_on > timezone.localtime(order.planned_for).date()
        assert all(p.action == "reservee" for p in order.parts.all())


def test_workshop_dossiers_have_their_order(demo):
    bench = RepairCase.objects.filter(
        location=WorkLocation.ATELIER,
        status__in=[CaseStatus.EN_ATELIER, CaseStatus.ATTENTE_PIECES, CaseStatus.EN_REPARATION],
    )
    assert bench.exists()
    assert not bench.filter(repair_orders__isnull=True).exists()
    assert set(RepairOrder.objects.filter(case__in=bench).values_list("skills", flat=True)) <= {
        "hab:elec",
        "niveau:2,hab:elec",
    }


# ---------------------------------------------------------------- billing: deposits and the tracking link


def test_deposit_invoices_follow_the_dates_and_the_final_invoices_deduct_them(demo):
    from django.db.models import Sum

    from atelier.billing.models import Invoice
    from atelier.billing.verify import journal_verify

    for code in ("PAR1", "LYO1"):
        dates = list(
            Invoice.objects.filter(site__code=code, number__startswith="F-")
            .order_by("number")
            .values_list("issued_at", flat=True)
        )
        assert dates == sorted(dates)
    deposits = Invoice.objects.filter(kind="acompte")
    assert deposits.exists()
    for deposit in deposits:
        assert deposit.payments.aggregate(s=Sum("amount"))["s"] == deposit.total_ttc
    for final in Invoice.objects.filter(kind="facture", deposits_ttc__gt=0):
        taken = deposits.filter(case=final.case).aggregate(s=Sum("total_ttc"))["s"]
        assert final.deposits_ttc == taken
    assert journal_verify().ok


def test_the_repaired_dossiers_can_be_invoiced_at_the_counter(demo):
    """Their quoted parts were received, then consumed at the repair: the invoice's parts check passes."""
    from atelier.billing.selectors import accepted_quote, invoice_draft, quoted_parts
    from atelier.stock.selectors import consumed_on_case

    ready = [
        case
        for case in RepairCase.objects.filter(status__in=[CaseStatus.REPARE, CaseStatus.PRET])
        if accepted_quote(case) is not None
    ]
    assert ready
    for case in ready:
        assert consumed_on_case(case) == quoted_parts(accepted_quote(case)), case.number
        assert invoice_draft(case).refusals == [], case.number


def test_a_commercial_gesture_is_credited_and_refunded_to_the_card(demo):
    from atelier.billing.models import Invoice, Payment
    from atelier.billing.selectors import balance_due

    note = Invoice.objects.get(kind="avoir")
    refund = Payment.objects.get(kind="remboursement")
    assert (note.total_ttc, note.reason, note.case.status) == (
        Decimal("20.00"),
        "Geste commercial : délai de réparation dépassé",
        CaseStatus.CLOTURE,
    )
    assert (refund.case, refund.method, refund.amount, refund.invoice) == (
        note.case,
        "carte",
        Decimal("-20.00"),
        note,
    )
    assert balance_due(note.case) == Decimal("0.00")


def test_the_report_gives_the_customers_tracking_link_of_a_quote_to_accept(loaded, db):
    from atelier.billing.models import TrackingLink

    link = TrackingLink.objects.get()
    assert link.case.status == CaseStatus.DEVIS_ENVOYE and link.case.site.code == "PAR1"
    assert (
        f"Espace client (sans compte) : http://127.0.0.1:8000/suivi/{link.token}/ — dossier {link.case.number}, "
        "devis à accepter en ligne."
    ) in loaded[1]


def test_the_appointments_of_the_coming_days_are_in_validated_plans(demo):
    """Every home visit (from a repair order) the story planned for today or the coming days is in the
    validated plan of its day, on its technician."""
    from atelier.demo.clock import next_working_days
    from atelier.planning.models import PlanStop, TechnicianProfile, Visit

    today = timezone.localdate()
    days = {today, *next_working_days(today, 5)}
    profiled = set(TechnicianProfile.objects.values_list("user_id", flat=True))
    expected = {
        (visit.order.case_id, visit.order.case.technician_id)
        for visit in Visit.objects.filter(
            order__case__status=CaseStatus.PLANIFIE, order__case__technician_id__in=profiled
        ).select_related("order__case")
        if timezone.localdate(visit.order.case.planned_for) in days
    }
    validated = set(
        PlanStop.objects.filter(route__validated=True, route__plan__day__in=days).values_list(
            "visit__order__case_id", "route__technician_id"
        )
    )
    assert expected and validated == expected


# ---------------------------------------------------------------- features shown (issue 15: the demo hid them)


def test_the_demo_shows_learned_suggestions_documents_complaints_and_signed_hand_backs(demo):
    from atelier.billing.models import HandBack
    from atelier.diagnostics.selectors import suggestions_for
    from atelier.knowledge.models import ConfirmedCause, TechnicalDocument
    from atelier.reception.models import Complaint

    repaired = set(CaseEvent.objects.filter(to_status=CaseStatus.REPARE).values_list("case_id", flat=True))
    gone = RepairCase.objects.filter(status__in=[CaseStatus.RENDU, CaseStatus.CLOTURE], pk__in=repaired)
    assert ConfirmedCause.objects.count() == gone.count() > 0  # each repaired dossier given back was learned
    assert set(ConfirmedCause.objects.values_list("source", flat=True)) == set(
        gone.values_list("number", flat=True)
    )
    # a dossier of a family with learned repairs is offered a learned cause at its pre-diagnosis
    family = ConfirmedCause.objects.values_list("family", flat=True).order_by("pk").first()
    case = (
        RepairCase.objects.filter(status=CaseStatus.RECU, appliance__family=family).first()
        or RepairCase.objects.filter(appliance__family=family).order_by("-pk").first()
    )
    assert any(s.learned_from > 0 for s in suggestions_for(case, limit=3))
    assert TechnicalDocument.objects.filter(url__startswith="https://www.ifixit.com/Device/").count() == 7
    complaints = Complaint.objects.filter(site__code="PAR1")
    assert complaints.count() == 4 and complaints.filter(handled_at__isnull=True).count() == 2
    given_back = CaseEvent.objects.filter(to_status=CaseStatus.RENDU).values("case_id").distinct().count()
    assert HandBack.objects.count() == given_back > 0
    assert all(h.signature.startswith("data:image/png;base64,iVBORw0KGgo") for h in HandBack.objects.all())
