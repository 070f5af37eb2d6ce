"""A customer's disputes in the personal-data features: an unsettled dispute forbids anonymising the file; a
settled one is scrubbed (its text and letters) and listed in the export."""

from decimal import Decimal

import pytest

from atelier.customers.export import export_data
from atelier.customers.privacy import blockers_of
from atelier.disputes import personal_data, services

pytestmark = pytest.mark.django_db


def test_an_unsettled_dispute_blocks_anonymisation_then_is_scrubbed_and_exported(
    invoice, accueil, responsable
):
    dispute = services.dispute_open(
        actor=accueil, source="facture", invoice=invoice, channel="courrier", summary="Mme X conteste."
    )
    customer = dispute.customer
    assert f"le litige {dispute.number} n'est pas clos" in blockers_of([customer.pk])[customer.pk]
    services.dispute_instruct(dispute=dispute, actor=accueil, cause="prix", assigned_to=responsable)
    services.dispute_decide(
        dispute=dispute, actor=responsable, outcome="remboursement", reason="Trop perçu.", amount=Decimal("5")
    )
    assert f"le litige {dispute.number} n'est pas clos" not in blockers_of([customer.pk]).get(customer.pk, [])
    (exported,) = export_data(customer)["litiges"]
    assert (exported["numero"], exported["issue"], exported["montant"]) == (
        dispute.number,
        "remboursement",
        "5.00",
    )
    assert [letter["type"] for letter in exported["lettres"]] == ["reponse"]
    assert personal_data.scrub(customer) == {
        "litiges": 1,
        "historique des litiges": 4,  # opened, instructed, decided, letter sent
        "lettres des litiges": 1,
    }
    dispute.refresh_from_db()
    assert (dispute.summary, bytes(dispute.letters.get().pdf)) == ("[anonymisé]", b"")
