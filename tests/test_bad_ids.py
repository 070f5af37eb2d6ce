"""An id in a URL that no database holds (30 digits: SQLite cannot bind it) or that only looks like a number
(« ² » passes str.isdigit(), then int() fails) is read like any text that is not a number: the page's answer
to « abc » (a filter left out, the first site, a redirect…), never a 500. Found by Schemathesis against the
demo (core.params.as_id)."""

import pytest

from atelier.core.tests.factories import SiteFactory
from tests.world import all_roles_user

PAGES = [
    ("/facturation/", "site"),
    ("/clients/doublons/", "site"),
    ("/clients/", "site"),
    ("/terrain/outils/", "site"),
    ("/terrain/epi/", "dossier"),
    ("/stock/pieces/", "site"),
    ("/parametres/droits/", "site"),
    ("/planning/depots/", "client"),
    ("/reconditionnement/abandons/", "dossier"),
    ("/api/appliances/", "client"),
    ("/api/retention/", "site"),
    ("/api/improvement-actions/", "site"),
    ("/amelioration/actions/nouvelle/", "site"),
    ("/reconditionnement/", "site"),
]


@pytest.mark.parametrize("param", ["customer", "case"])
def test_a_message_filter_no_database_holds_is_refused_in_french(client, db, param):
    """GET /api/messages/?customer=<28 digits>: a 500 found by Schemathesis (the filter's field had no upper
    bound); now the field's own French message."""
    site = SiteFactory()
    client.force_login(all_roles_user("tout", site))
    answer = client.get("/api/messages/", {param: "2786987861421803251584466944"})
    assert answer.status_code == 400
    assert answer.json() == {
        param: ["Assurez-vous que cette valeur est inférieure ou égale à 9223372036854775807."]
    }


@pytest.mark.parametrize("bad", ["1" * 30, "²"])
@pytest.mark.parametrize(("url", "param"), PAGES)
def test_an_id_no_database_holds_is_read_as_text_that_is_not_a_number(client, db, url, param, bad):
    site = SiteFactory()
    client.force_login(all_roles_user("tout", site))
    not_a_number = client.get(url, {param: "abc"})
    assert not_a_number.status_code in (200, 302)
    answer = client.get(url, {param: bad})
    assert answer.status_code == not_a_number.status_code, (url, answer.status_code)


NUL_PAGES = [
    ("/clients/", "q"),
    ("/reconditionnement/", "q"),
    ("/stock/commandes/", "status"),
    ("/accueil-clients/", "site"),
    ("/api/customers/", "q"),
]


@pytest.mark.parametrize(("url", "param"), NUL_PAGES)
def test_an_address_holding_a_nul_character_is_refused_in_french(client, db, url, param):
    """PostgreSQL refuses NUL in any text: these pages passed « a\\x00b » on to it (500 on PostgreSQL, found by
    probing every page); core.middleware.NulInQueryMiddleware refuses the address before any view."""
    site = SiteFactory()
    client.force_login(all_roles_user("tout", site))
    clean = str(site.pk) if param == "site" else "ab"
    answer = client.get(url, {param: clean + "\x00"})
    assert answer.status_code == 400
    said = "Adresse refusée : elle contient un caractère nul."
    assert (answer.json()["detail"] if url.startswith("/api/") else answer.content.decode()) == said
    assert client.get(url, {param: clean}).status_code == 200
