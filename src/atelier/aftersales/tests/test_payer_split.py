"""The split of a dossier's lines between payers (issue 18 point 3): shares add up to the line exactly (the
customer pays the rest), Decimal, nothing negative, the rounding rule, the customer's excess, and bad input
refused in French with nothing written."""

from decimal import Decimal

import pytest

from atelier.aftersales.models import CaseCover
from atelier.aftersales.models_payers import CaseSplit, PayerShare
from atelier.aftersales.payers import compute, customer_rest
from atelier.aftersales.selectors_payers import split_view
from atelier.aftersales.services_payers import case_split_set, share_add, share_remove
from atelier.aftersales.tests import payer_helpers
from atelier.billing import services
from atelier.billing.selectors import DraftLine, invoice_draft
from atelier.billing.tests import conftest as billing_fixtures
from atelier.core.errors import AtelierError, PermissionRefused

pytestmark = pytest.mark.django_db
D = Decimal
for _name in (
    "customer",
    "appliance",
    "make_case",
    "case",
    "pump",
    "solution",
    "consumed",
    "billing_on",
    "ready_case",
):
    globals()[_name] = getattr(billing_fixtures, _name)
maker, insurer, goodwill = payer_helpers.maker, payer_helpers.insurer, payer_helpers.goodwill
covered = payer_helpers.covered


def _share(position, payer, mode, value):
    return PayerShare(position=position, payer=payer, payer_id=payer.pk, mode=mode, value=D(value))


def test_percentages_round_half_up_and_the_customer_takes_the_rest(maker, insurer):
    ten = [DraftLine("devis", "Forfait", D("1"), D("8.33"), D("20"))]  # 8,33 HT + 1,67 TVA = 10,00 TTC
    shares = [_share(1, maker, "pourcentage", "33.35"), _share(1, insurer, "pourcentage", "33.35")]
    amounts = compute(ten, shares, excess=D("0"), excess_payer_id=None)
    assert [a.ttc for a in amounts] == [D("3.34"), D("3.34")]  # 3,335 → 3,34 (half up)
    assert customer_rest(ten, amounts) == [D("3.32")]


def test_at_one_hundred_percent_the_last_share_takes_the_rounding_cent(maker, insurer, goodwill):
    ten = [DraftLine("devis", "Forfait", D("1"), D("8.33"), D("20"))]
    shares = [
        _share(1, maker, "pourcentage", "33.33"),
        _share(1, insurer, "pourcentage", "33.33"),
        _share(1, goodwill, "pourcentage", "33.34"),
    ]
    amounts = compute(ten, shares, excess=D("0"), excess_payer_id=None)
    assert [a.ttc for a in amounts] == [D("3.33"), D("3.33"), D("3.34")]
    assert customer_rest(ten, amounts) == [D("0.00")]


def test_the_excess_comes_off_its_payers_shares_line_after_line(covered, accueil, insurer):
    case_split_set(
        case=covered,
        actor=accueil,
        shares=[
            {"position": 1, "payer": insurer.pk, "mode": "montant", "value": "30,00"},
            {"position": 2, "payer": insurer.pk, "mode": "pourcentage", "value": "100"},
        ],
        excess="45,00",
        excess_payer=insurer.pk,
    )
    view = split_view(covered, invoice_draft(covered).lines)
    # line 1: 30,00 all taken by the excess; line 2: 58,68 − the 15,00 left of the excess
    assert [[ttc for _s, ttc in line.shares] for line in view.lines] == [[D("0.00")], [D("43.68")]]
    assert [line.customer for line in view.lines] == [D("99.00"), D("15.00")]
    assert (view.payers_total, view.customer_total) == (D("43.68"), D("114.00"))


@pytest.mark.parametrize(
    ("shares", "excess", "message"),
    [
        (
            [{"position": 2, "payer": "maker", "mode": "montant", "value": "58,69"}],
            "0",
            "Ligne 2 « Pompe de vidange – réf. BSH-00145212 (neuve) » : les parts des payeurs (58,69 €) dépassent "
            "le montant de la ligne (58,68 €).",
        ),
        (
            [{"position": 1, "payer": "maker", "mode": "montant", "value": "-5"}],
            "0",
            "Le montant doit être supérieur à zéro.",
        ),
        (
            [{"position": 1, "payer": "maker", "mode": "pourcentage", "value": "120"}],
            "0",
            "Un pourcentage est compris entre 0 (exclu) et 100.",
        ),
        (
            [{"position": 3, "payer": "maker", "mode": "montant", "value": "5"}],
            "0",
            "La ligne 3 n'existe pas dans la facture du dossier.",
        ),
        (
            [{"position": 1, "payer": "maker", "mode": "montant", "value": "12,345"}],
            "0",
            "Un montant s'écrit en euros et centimes (ex. 12,50).",
        ),
        (
            [
                {"position": 1, "payer": "maker", "mode": "montant", "value": "5"},
                {"position": 1, "payer": "maker", "mode": "montant", "value": "6"},
            ],
            "0",
            "Le payeur « BSH Électroménager » a déjà une part sur la ligne 1.",
        ),
        (
            [{"position": 1, "payer": "maker", "mode": "montant", "value": "30"}],
            "30,01",
            "La franchise (30,01 €) dépasse ce que ce payeur prend en charge (30,00 €).",
        ),
    ],
)
def test_bad_splits_are_refused_in_french_and_nothing_is_written(
    covered, accueil, maker, shares, excess, message
):
    rows = [{**row, "payer": maker.pk} for row in shares]
    with pytest.raises(AtelierError) as refused:
        case_split_set(case=covered, actor=accueil, shares=rows, excess=excess, excess_payer=maker.pk)
    assert str(refused.value.message) == message
    assert not CaseSplit.objects.exists() and not PayerShare.objects.exists()


def test_a_split_needs_the_dossier_under_cover(ready_case, accueil, maker):
    with pytest.raises(
        AtelierError, match="Notez d'abord sous quelle garantie le dossier est pris en charge"
    ):
        case_split_set(
            case=ready_case,
            actor=accueil,
            shares=[{"position": 1, "payer": maker.pk, "mode": "montant", "value": "5"}],
        )


def test_the_split_is_frozen_once_invoiced(covered, accueil, maker):
    share_add(case=covered, actor=accueil, position=1, payer=maker, mode="montant", value="60")
    services.invoice_issue(case=covered, actor=accueil)
    with pytest.raises(
        AtelierError, match="est déjà facturé : la répartition entre payeurs ne peut plus changer"
    ):
        share_add(case=covered, actor=accueil, position=2, payer=maker, mode="montant", value="5")


def test_add_and_remove_keep_the_other_shares_and_the_excess(covered, accueil, maker, insurer):
    share_add(case=covered, actor=accueil, position=1, payer=maker, mode="montant", value="60")
    share_add(case=covered, actor=accueil, position=2, payer=insurer, mode="pourcentage", value="100")
    split = case_split_set(
        case=covered,
        actor=accueil,
        shares=[
            {"position": 1, "payer": maker.pk, "mode": "montant", "value": "60"},
            {"position": 2, "payer": insurer.pk, "mode": "pourcentage", "value": "100"},
        ],
        excess="20",
        excess_payer=insurer.pk,
    )
    share_add(case=covered, actor=accueil, position=1, payer=maker, mode="montant", value="70")  # replaces
    split.refresh_from_db()
    assert sorted((s.position, s.payer.name, s.value) for s in split.shares.all()) == [
        (1, "BSH Électroménager", D("70.00")),
        (2, "Assurances Garantie Plus", D("100.00")),
    ]
    assert split.excess == D("20.00")
    share_remove(case=covered, actor=accueil, share=split.shares.get(payer=insurer))
    split.refresh_from_db()
    assert (split.shares.count(), split.excess, split.excess_payer) == (
        1,
        D("0.00"),
        None,
    )  # its excess went with it


def test_the_counter_splits_a_technician_may_not(covered, technicien, maker):
    with pytest.raises(PermissionRefused):
        case_split_set(
            case=covered,
            actor=technicien,
            shares=[{"position": 1, "payer": maker.pk, "mode": "montant", "value": "5"}],
        )


def test_another_sites_user_is_refused(covered, other_accueil, maker):
    with pytest.raises(PermissionRefused):
        case_split_set(
            case=covered,
            actor=other_accueil,
            shares=[{"position": 1, "payer": maker.pk, "mode": "montant", "value": "5"}],
        )


def test_cover_fixture_is_the_manufacturer(covered):
    assert CaseCover.objects.get(case=covered).basis == "garantie_fabricant"
