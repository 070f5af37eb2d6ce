"""Fixtures of disputes: billing's repaired dossier and its invoice (pump + 1,5 h: 157,68 € TTC), the site's
mediator, and a PDF's text."""

import io

import pytest

from atelier.aftersales.models import AftersalesSettings
from atelier.billing.tests import conftest as billing_fixtures

customer = billing_fixtures.customer
appliance = billing_fixtures.appliance
make_case = billing_fixtures.make_case
case = billing_fixtures.case
pump = billing_fixtures.pump
solution = billing_fixtures.solution
billing_on = billing_fixtures.billing_on
consumed = billing_fixtures.consumed
ready_case = billing_fixtures.ready_case
invoice = billing_fixtures.invoice

MEDIATOR = "Médiation Conso Test"
MEDIATOR_SITE = "https://mediation.example.fr"


@pytest.fixture
def mediator(site):
    return AftersalesSettings.objects.create(
        site=site, mediator_name=MEDIATOR, mediator_website=MEDIATOR_SITE
    )


def pdf_text(content: bytes) -> str:
    from pypdf import PdfReader

    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    # one line: a line broken after a hyphen (a number « AV-PAR1-… ») joins without a space
    return text.replace("-\n", "-").replace("\n", " ")
