"""Consumer-law corrections of issue 18 (point 6) on quotes: the right of withdrawal of a quote accepted at home
or online (Code de la consommation L221-5, L221-18, L221-19, L221-25, L221-28 8°, form of the annex to R221-1),
the used-part exemptions as data (L224-109, R224-32), prices TTC for the consumer (L112-1) and the shop's own
repair guarantee written as a commercial guarantee (L217-21, L217-22)."""

import datetime
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from atelier.core.errors import AtelierError
from atelier.quotes import decisions, orders, rules, services
from atelier.quotes.documents import quote_pdf
from atelier.quotes.models import RepairOrder, UsedPartExemption
from atelier.repairs.choices import CaseStatus, WorkLocation
from atelier.stock.choices import Availability, PartKind
from atelier.stock.models import Part

pytestmark = pytest.mark.django_db
PNG = (
    "data:image/png;base64,"
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
)


def _text(pdf: bytes) -> str:
    return " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages).split())


def _sent(case, actor, solution, **kw):
    quote = services.quote_create(case=case, actor=actor, solution=solution, **kw)
    services.quote_send(quote=quote, actor=actor, channel="papier")
    return quote


def _end(on: datetime.date) -> datetime.date:
    return rules.withdrawal_end(on, 14)


# ---------------------------------------------------------------- the withdrawal period, as data


def test_withdrawal_period_is_seeded_data_of_14_days_since_13_june_2014():
    """L221-18 (loi n° 2014-344): 14 days for contracts concluded from 13/06/2014; no row before."""
    assert rules.withdrawal_days(datetime.date(2026, 3, 2)) == 14
    with pytest.raises(AtelierError) as exc:
        rules.withdrawal_days(datetime.date(2014, 6, 12))
    assert exc.value.message == "Aucun délai de rétractation n'est en vigueur au 12/06/2014."


def test_withdrawal_end_counts_14_days_after_the_day_of_conclusion_and_skips_the_weekend():
    """L221-18: expires 14 days after the day the contract is concluded; L221-19: a period ending on a
    Saturday or a Sunday runs to the next working day."""
    assert rules.withdrawal_end(datetime.date(2026, 3, 2), 14) == datetime.date(2026, 3, 16)  # Mon → Mon
    assert rules.withdrawal_end(datetime.date(2026, 3, 6), 14) == datetime.date(2026, 3, 20)  # Fri → Fri
    assert rules.withdrawal_end(datetime.date(2026, 3, 7), 14) == datetime.date(2026, 3, 23)  # Sat → Mon
    assert rules.withdrawal_end(datetime.date(2026, 3, 8), 14) == datetime.date(2026, 3, 23)  # Sun → Mon


def test_quote_accepted_at_home_opens_the_period_and_the_repair_order_waits_for_it(
    case, accueil, responsable, solution, used_solution
):
    """L221-18 and L221-25: off-premises, the repair starts inside the period only at the customer's express
    request; without it the repair order is refused in French and nothing is written."""
    quote = _sent(case, accueil, solution)
    decisions.quote_accept(
        quote=quote, actor=accueil, signer_name="Nadia Lefèvre", context="hors_etablissement"
    )
    quote.refresh_from_db()
    today = timezone.localdate()
    assert (quote.acceptance_context, quote.withdrawal_days, quote.withdrawal_ends_on) == (
        "hors_etablissement",
        14,
        _end(today),
    )
    assert (quote.early_start_at, quote.early_start_by, quote.urgent_home_repair) == (None, None, False)
    assert case.events.last().note == (
        f"Devis {quote.number} signé au domicile du client par Nadia Lefèvre. Délai de rétractation de 14 jours, "
        f"jusqu'au {_end(today):%d/%m/%Y} inclus (art. L221-18)."
    )
    with pytest.raises(AtelierError) as exc:
        orders.repair_order_create(
            quote=quote, actor=responsable, promised_on=today + datetime.timedelta(days=20)
        )
    assert exc.value.message == (
        f"Le client peut se rétracter jusqu'au {_end(today):%d/%m/%Y} (art. L221-18 du Code de la consommation) : "
        "la réparation ne commence avant qu'à sa demande expresse (art. L221-25). Notez sa demande sur le devis "
        f"{quote.number} ou attendez la fin du délai."
    )
    case.refresh_from_db()
    assert (RepairOrder.objects.count(), case.status) == (0, CaseStatus.ACCEPTE)

    at = timezone.now()
    decisions.quote_record_early_start(quote=quote, actor=accueil, at=at)
    quote.refresh_from_db()
    assert (quote.early_start_at, quote.early_start_by) == (at, accueil)
    assert case.events.last().note == (
        f"Devis {quote.number} : le client demande expressément que la réparation commence avant la fin du délai "
        "de rétractation (art. L221-25)."
    )
    with pytest.raises(AtelierError, match="La demande expresse du client est déjà notée."):
        decisions.quote_record_early_start(quote=quote, actor=accueil)
    order = orders.repair_order_create(
        quote=quote, actor=responsable, promised_on=today + datetime.timedelta(days=20)
    )
    assert order.pk is not None


def test_express_request_ticked_when_signing_at_home_lets_the_repair_start(
    case, accueil, responsable, solution, used_solution
):
    quote = _sent(case, accueil, solution)
    decisions.quote_accept(
        quote=quote,
        actor=accueil,
        signer_name="Nadia Lefèvre",
        context="hors_etablissement",
        early_start=True,
    )
    quote.refresh_from_db()
    assert quote.early_start_by == accueil and quote.early_start_at == quote.decided_at
    assert orders.repair_order_create(quote=quote, actor=responsable, promised_on=timezone.localdate())
    text = _text(quote_pdf(quote))
    assert (
        "Demande expresse du client de commencer la réparation avant la fin du délai de rétractation (art. "
        f"L221-25) : le {timezone.localtime(quote.early_start_at):%d/%m/%Y à %H:%M}, notée par {accueil}."
    ) in text
    assert f"soit le {_end(timezone.localdate()):%d/%m/%Y} inclus" in text


def test_urgent_home_repair_asked_by_the_customer_has_no_withdrawal_period(
    case, accueil, responsable, solution, used_solution
):
    """L221-28 8°: urgent home repair expressly requested by the consumer: no withdrawal right."""
    quote = _sent(case, accueil, solution)
    decisions.quote_accept(
        quote=quote,
        actor=accueil,
        signer_name="Nadia Lefèvre",
        context="hors_etablissement",
        urgent_home_repair=True,
    )
    quote.refresh_from_db()
    assert (quote.urgent_home_repair, quote.withdrawal_days, quote.withdrawal_ends_on) == (True, None, None)
    assert orders.repair_order_create(quote=quote, actor=responsable, promised_on=timezone.localdate())
    text = _text(quote_pdf(quote))
    assert (
        "Réparation urgente à votre domicile, expressément demandée par vous : pas de droit de rétractation, dans "
        "la limite des pièces de rechange et des travaux strictement nécessaires pour répondre à l'urgence "
        "(article L221-28 8° du Code de la consommation)."
    ) in text
    assert "Modèle de formulaire de rétractation" not in text


def test_urgent_is_only_for_a_home_repair(case, accueil, solution, used_solution):
    quote = _sent(case, accueil, solution)
    with pytest.raises(AtelierError) as exc:
        decisions.quote_accept(quote=quote, actor=accueil, signer_name="Nadia", urgent_home_repair=True)
    assert exc.value.message == (
        "Seule une réparation au domicile du client peut être marquée urgente (art. L221-28 8° du Code de la "
        "consommation)."
    )
    quote.refresh_from_db()
    assert quote.status == "envoye"


def test_counter_acceptance_has_no_period_and_no_form(case, accueil, responsable, solution, used_solution):
    quote = _sent(case, accueil, solution)
    decisions.quote_accept(quote=quote, actor=accueil, signer_name="Nadia Lefèvre")
    quote.refresh_from_db()
    assert (quote.acceptance_context, quote.withdrawal_ends_on) == ("comptoir", None)
    assert orders.repair_order_create(quote=quote, actor=responsable, promised_on=timezone.localdate())
    assert "Droit de rétractation" not in _text(quote_pdf(quote))


def test_sent_quote_pdf_carries_the_withdrawal_information_and_the_standard_form(
    case, accueil, solution, used_solution
):
    """L221-5 (information before the contract) and the form of the annex to R221-1."""
    quote = _sent(case, accueil, solution)
    text = _text(quote_pdf(quote))
    for expected in (
        "Si vous acceptez ce devis à votre domicile ou à distance (en ligne), vous avez le droit de vous rétracter "
        "du contrat sans donner de motif dans un délai de 14 jours (article L221-18 du Code de la consommation).",
        "Pour exercer ce droit, notifiez-nous (Réparations Dupont SARL, 12 rue de la République, 75011 Paris",
        "vous devrez nous payer un montant proportionnel à ce qui vous a été fourni",
        "Modèle de formulaire de rétractation",
        "(Annexe à l'article R221-1 du Code de la consommation.)",
        "(Veuillez compléter et renvoyer le présent formulaire uniquement si vous souhaitez vous rétracter du "
        "contrat.)",
        "Je/nous (*) vous notifie/notifions (*) par la présente ma/notre (*) rétractation du contrat portant sur la "
        f"prestation de services ci-dessous : devis n° {quote.number}",
        "Commandé le (*)/reçu le (*) :",
        "Nom du (des) consommateur(s) : Nadia LEFÈVRE",
        "Signature du (des) consommateur(s) (uniquement en cas de notification du présent formulaire sur papier) :",
        "(*) Rayez la mention inutile.",
    ):
        assert expected in text, expected


def test_home_acceptance_through_the_quote_page(client, case, accueil, responsable, solution, used_solution):
    quote = _sent(case, accueil, solution)
    client.force_login(accueil)
    html = client.get(reverse("quotes:detail", args=[quote.pk])).content.decode()
    assert 'name="context" value="hors_etablissement"' in html and 'name="urgent_home_repair"' in html
    client.post(
        reverse("quotes:action", args=[quote.pk, "accept"]),
        {"signer_name": "Nadia Lefèvre", "signature": PNG, "context": "hors_etablissement"},
    )
    quote.refresh_from_db()
    assert (quote.status, quote.acceptance_context) == ("accepte", "hors_etablissement")
    client.force_login(responsable)
    refused = client.post(
        reverse("quotes:action", args=[quote.pk, "order"]),
        {"promised_on": (timezone.localdate() + datetime.timedelta(days=20)).isoformat()},
    )
    assert refused.status_code in (400, 409)
    assert "Le client peut se rétracter jusqu&#x27;au" in refused.content.decode()
    page = refused.content.decode()
    assert 'id="action-early-start"' in page and 'id="withdrawal"' in page
    client.post(reverse("quotes:action", args=[quote.pk, "early_start"]), {"confirm": "on"})
    quote.refresh_from_db()
    assert quote.early_start_by == responsable
    html = client.get(reverse("quotes:detail", args=[quote.pk])).content.decode()
    assert (
        "Le client demande expressément que la réparation commence avant la fin du délai (art. L221-25)."
        in html
    )
    assert 'id="action-early-start"' not in html


# ---------------------------------------------------------------- used-part exemptions (L224-109, R224-32)


def test_used_part_exemptions_are_seeded_data():
    rows = list(UsedPartExemption.objects.order_by("code").values_list("code", "legal_basis", "detected"))
    assert rows == [
        ("garantie_legale", "Code de la consommation, art. L224-109", "garantie_legale"),
        ("gratuite", "Code de la consommation, art. L224-109", "gratuite"),
        ("indisponible", "Code de la consommation, art. R224-32", "choisie"),
        ("risque", "Code de la consommation, art. R224-32", "choisie"),
    ]
    assert list(rules.exemption_choices(datetime.date(2026, 1, 1)).values_list("code", flat=True)) == [
        "indisponible",
        "risque",
    ]


def test_a_chosen_lawful_reason_replaces_a_typed_one(case, accueil, solution):
    quote = services.quote_create(case=case, actor=accueil, solution=solution)
    unavailable = UsedPartExemption.objects.get(code="indisponible")
    services.quote_update(
        quote=quote,
        actor=accueil,
        valid_until=quote.valid_until,
        is_charged=False,
        charge_ht="0",
        used_part_info="typed reason",
        used_part_exemption=unavailable,
    )
    quote.refresh_from_db()
    assert (quote.used_part_exemption, quote.used_part_info) == (unavailable, "")
    services.quote_send(quote=quote, actor=accueil, channel="papier")
    assert (
        "Pas d'offre de pièces issues de l'économie circulaire : Aucune pièce issue de l'économie circulaire "
        "disponible dans un délai compatible avec celui de la réparation (Code de la consommation, art. R224-32)."
    ) in _text(quote_pdf(quote))


def test_an_exemption_atelier_detects_cannot_be_chosen(case, accueil, solution):
    quote = services.quote_create(case=case, actor=accueil, solution=solution)
    with pytest.raises(AtelierError) as exc:
        services.quote_update(
            quote=quote,
            actor=accueil,
            valid_until=quote.valid_until,
            is_charged=False,
            charge_ht="0",
            used_part_info="",
            used_part_exemption=UsedPartExemption.objects.get(code="gratuite"),
        )
    assert exc.value.message == "Ce motif n'est pas un motif légal en vigueur à la date du devis."


def test_repair_under_the_legal_guarantee_is_exempt_by_itself(case, accueil, solution):
    """L224-109: repairs under the legal guarantees are outside the used-part obligation."""
    from atelier.aftersales.models import CaseCover

    CaseCover.objects.create(case=case, basis="garantie_legale", recorded_by=accueil)
    quote = services.quote_create(case=case, actor=accueil, solution=solution)
    assert quote.used_part_exemption.code == "garantie_legale"
    services.quote_send(quote=quote, actor=accueil, channel="papier")  # no offer, no refusal
    assert quote.status == "envoye"


def test_free_repair_is_exempt_by_itself(case, accueil):
    """L224-109: a repair done free of charge is outside the used-part obligation."""
    free_part = Part.objects.create(
        reference="GEST-1",
        designation="Durite (geste commercial)",
        kind=PartKind.MOTEUR,
        price_ht=Decimal("0.00"),
        availability=Availability.EN_STOCK,
    )
    sol = services.solution_create(
        case=case,
        actor=accueil,
        title="Geste",
        work_description="Durite.",
        labour_hours="0",
        parts=[(free_part, 1)],
    )
    quote = services.quote_create(case=case, actor=accueil, solution=sol)
    assert (quote.total_ttc, quote.used_part_exemption.code) == (Decimal("0.00"), "gratuite")


# ---------------------------------------------------------------- prices TTC (L112-1) and repair guarantee


def test_charged_quote_and_diagnosis_fee_read_ttc_on_the_page(
    client, case, accueil, solution, used_solution, diagnosis_fee
):
    quote = _sent(case, accueil, solution, is_charged=True, charge_ht="15")
    client.force_login(accueil)
    html = client.get(reverse("quotes:detail", args=[quote.pk])).content.decode()
    assert '<dd id="quote-charge">payant : 18,00\u00a0€ TTC (15,00\u00a0€ HT)</dd>' in html
    decisions.quote_refuse(quote=quote, actor=accueil, reason="Trop cher.", charge_diagnosis=True)
    html = client.get(reverse("quotes:detail", args=[quote.pk])).content.decode()
    assert "· diagnostic facturé 42,00\u00a0€ TTC (35,00\u00a0€ HT)" in html  # 35,00 € HT at 20 %


def test_site_repair_guarantee_printed_with_the_l217_21_22_elements(
    client, case, accueil, solution, used_solution, site
):
    from atelier.aftersales.models import RepairGuaranteeTerm

    RepairGuaranteeTerm.objects.create(site=site, valid_from=datetime.date(2024, 1, 1), days=180)
    quote = _sent(case, accueil, solution)
    text = _text(quote_pdf(quote))
    for expected in (
        "Garantie commerciale de la réparation : pièces et main-d'œuvre, pour la même panne que celle réparée",
        "Durée : 180 jours à compter de la remise de l'appareil réparé.",
        "Mise en œuvre : présenter la facture à l'atelier ou nous contacter ; la garantie est comprise dans le prix "
        "de la réparation, sans supplément.",
        "Étendue territoriale : France métropolitaine, à l'atelier ou dans sa zone d'intervention.",
        "Garant : Réparations Dupont SARL, 12 rue de la République, 75011 Paris.",
        "Indépendamment de cette garantie commerciale, Réparations Dupont SARL reste tenu de la garantie légale de "
        "conformité mentionnée aux articles L217-3 à L217-20 du Code de la consommation et de la garantie relative "
        "aux défauts de la chose vendue, dans les conditions prévues aux articles 1641 à 1648 et 2232 du Code civil "
        "(art. L217-22 du Code de la consommation).",
    ):
        assert expected in text, expected
    client.force_login(accueil)
    html = client.get(reverse("quotes:detail", args=[quote.pk])).content.decode()
    assert "180 jours, pièces et main-d&#x27;œuvre, même panne ; garant Réparations Dupont SARL" in html


def test_home_quote_travel_fee_reads_ttc(make_case, accueil, used_pump):
    from atelier.core.choices import TariffKind
    from atelier.core.models import SiteTariff
    from atelier.repairs.services import case_prediagnose

    case = make_case(location=WorkLocation.DOMICILE)
    SiteTariff.objects.update_or_create(
        site=case.site,
        kind=TariffKind.TRAVEL_FEE,
        valid_from=datetime.date(2024, 1, 1),
        defaults={"amount": Decimal("30.00")},
    )
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
    quote = _sent(case, accueil, sol)
    assert "Frais de déplacement : 36,00 € TTC (30,00 € HT), compris dans le total ci-dessus." in _text(
        quote_pdf(quote)
    )
