"""Two people decide on the same quote at once: the row lock lets exactly one decision through."""

import importlib
import threading

import pytest
from django.apps import apps as django_apps
from django.db import connection, connections

from atelier.core.errors import AtelierError
from atelier.quotes import decisions, services
from atelier.quotes.models import Quote

SEEDS = ("atelier.core.migrations.0003_seed_vat_rates", "atelier.quotes.migrations.0002_seed_rules")


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="row locks are a PostgreSQL matter; SQLite serialises writers with BEGIN IMMEDIATE",
)
@pytest.mark.django_db(transaction=True)
def test_accept_and_refuse_at_once_let_one_decision_through(accueil, responsable, make_case, pump, used_pump):
    for module in SEEDS:  # an earlier transactional test's flush empties the seeded tables
        importlib.import_module(module).seed(django_apps, None)
    from atelier.repairs.services import case_prediagnose

    case = make_case()
    case_prediagnose(case=case, actor=accueil, note="Pompe.")
    used = services.solution_create(
        case=case,
        actor=accueil,
        title="Occasion",
        work_description="Pompe.",
        labour_hours="1",
        parts=[(used_pump, 1)],
    )
    quote = services.quote_create(case=case, actor=accueil, solution=used)
    services.quote_send(quote=quote, actor=accueil, channel="papier")

    barrier = threading.Barrier(2)
    outcomes: list[str] = []
    errors: list[BaseException] = []

    def decide(action):
        try:
            barrier.wait()
            mine = Quote.objects.get(pk=quote.pk)
            if action == "accept":
                decisions.quote_accept(quote=mine, actor=accueil, signer_name="Nadia Lefèvre")
            else:
                decisions.quote_refuse(quote=mine, actor=responsable, reason="Trop cher.")
            outcomes.append(action)
        except AtelierError as exc:
            outcomes.append(exc.message)
        except BaseException as exc:  # reported below, a thread must not die silently
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=decide, args=(a,)) for a in ("accept", "refuse")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    quote.refresh_from_db()
    winner = "accept" if quote.status == "accepte" else "refuse"
    loser_message = f"Le devis {quote.number} a déjà été {'accepté' if winner == 'accept' else 'refusé'}."
    assert sorted(outcomes) == sorted([winner, loser_message])
    assert case.events.filter(to_status__in=["accepte", "refuse"]).count() == 1
