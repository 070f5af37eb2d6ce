"""Payers and a dossier under cover ready to invoice: labour 1.5 h × 55,00 HT (99,00 TTC, line 1) and a drain
pump 48,90 HT (58,68 TTC, line 2), 157,68 TTC in all (billing's `ready_case`)."""

import datetime

import pytest

from atelier.aftersales.choices import ClaimFileItem, PayerKind
from atelier.aftersales.models import CaseCover
from atelier.aftersales.models_payers import Payer, PayerDeadline


@pytest.fixture
def maker(db):
    payer = Payer.objects.create(
        kind=PayerKind.FABRICANT,
        name="BSH Électroménager",
        siren="341911790",
        vat_number="FR81341911790",
        address="50 rue Ardoin",
        postcode="93400",
        city="Saint-Ouen-sur-Seine",
        requires=[ClaimFileItem.SERIE, ClaimFileItem.PANNE, ClaimFileItem.SERIE_DEFECTUEUSE],
    )
    PayerDeadline.objects.create(payer=payer, days=30, valid_from=datetime.date(2020, 1, 1))
    PayerDeadline.objects.create(payer=payer, days=45, valid_from=datetime.date(2030, 1, 1))  # not yet
    return payer


@pytest.fixture
def insurer(db):
    payer = Payer.objects.create(
        kind=PayerKind.ASSUREUR,
        name="Assurances Garantie Plus",
        siren="552120222",
        address="1 place des Saisons",
        postcode="92400",
        city="Courbevoie",
        requires=[ClaimFileItem.PREUVE_ACHAT, ClaimFileItem.NUMERO_PAYEUR],
    )
    PayerDeadline.objects.create(payer=payer, days=60, valid_from=datetime.date(2020, 1, 1))
    return payer


@pytest.fixture
def goodwill(db):
    return Payer.objects.create(kind=PayerKind.GESTE_ATELIER, name="Atelier (geste commercial)")


@pytest.fixture
def no_siren(db):
    return Payer.objects.create(kind=PayerKind.EXTENSION, name="Extension Sans Siren")


@pytest.fixture
def covered(ready_case, accueil):
    """The ready dossier, taken under the manufacturer's warranty."""
    CaseCover.objects.create(case=ready_case, basis="garantie_fabricant", recorded_by=accueil)
    return ready_case
