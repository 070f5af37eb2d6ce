"""Quote expiry (operations job « quote_expiry »): a sent quote past its validity becomes « expiré », once,
with a line on the dossier; an expired quote is no longer decided, and a new version can be sent."""

import datetime

import pytest

from atelier.core.errors import AtelierError
from atelier.quotes import decisions, services
from atelier.quotes.choices import QuoteStatus

DAY = datetime.timedelta(days=1)
NO_USED = "Aucune pompe d'occasion disponible chez nos fournisseurs."


@pytest.fixture
def sent(case, solution, accueil):
    quote = services.quote_create(case=case, actor=accueil, solution=solution, used_part_info=NO_USED)
    return services.quote_send(quote=quote, actor=accueil, channel="papier")


def test_a_sent_quote_expires_the_day_after_its_validity_once(sent, site, case):
    assert decisions.quotes_expire(site=site, today=sent.valid_until) == []
    assert decisions.quotes_expire(site=site, today=sent.valid_until + DAY) == [sent]
    assert decisions.quotes_expire(site=site, today=sent.valid_until + DAY) == []
    sent.refresh_from_db()
    assert sent.status == QuoteStatus.EXPIRE
    event = case.events.order_by("pk").last()
    assert (event.actor, event.kind, event.label, event.note) == (
        None,
        "note",
        "Devis expiré",
        f"Le devis {sent.number}, valable jusqu'au {sent.valid_until:%d/%m/%Y}, n'a pas reçu de réponse : "
        "il a expiré.",
    )


def test_an_expired_quote_is_refused_and_a_new_version_can_be_sent(sent, site, case, solution, accueil):
    decisions.quotes_expire(site=site, today=sent.valid_until + DAY)
    with pytest.raises(AtelierError, match=f"Le devis {sent.number} a expiré le"):
        decisions.quote_accept(quote=sent, actor=accueil, signer_name="Nadia Lefèvre")
    again = services.quote_create(case=case, actor=accueil, solution=solution, used_part_info=NO_USED)
    again = services.quote_send(quote=again, actor=accueil, channel="papier")
    sent.refresh_from_db()
    case.refresh_from_db()
    assert (again.status, sent.status, case.status) == ("envoye", "expire", "devis_envoye")
