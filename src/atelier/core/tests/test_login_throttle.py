"""Login throttling (django-axes): 5 failures lock the (account, address) pair for 15 minutes."""

import datetime
import html

import time_machine
from django.utils import timezone

LOCKED = "Trop d'essais pour ce compte depuis cet appareil : réessayez dans 15 minutes."


def _try(client, password, address="10.0.0.1", username="accueil"):
    return client.post("/connexion/", {"username": username, "password": password}, REMOTE_ADDR=address)


def test_five_failures_lock_the_account_from_that_address_only(client, accueil):
    for _ in range(4):
        response = _try(client, "mauvais")
        assert response.status_code == 200
        assert LOCKED not in html.unescape(response.content.decode())
    response = _try(client, "mauvais")
    assert response.status_code == 429
    assert LOCKED in html.unescape(response.content.decode())
    # the right password does not help from this address
    response = _try(client, "motdepasse-test")
    assert response.status_code == 429 and LOCKED in html.unescape(response.content.decode())
    assert "_auth_user_id" not in client.session
    # another address is not locked
    assert _try(client, "motdepasse-test", address="10.0.0.2").status_code == 302


def test_the_lock_ends_after_15_minutes(client, accueil):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        for _ in range(5):
            _try(client, "mauvais")
        assert _try(client, "motdepasse-test").status_code == 429
    with time_machine.travel(start + datetime.timedelta(minutes=14), tick=False):
        assert _try(client, "motdepasse-test").status_code == 429
    with time_machine.travel(start + datetime.timedelta(minutes=16), tick=False):
        assert _try(client, "motdepasse-test").status_code == 302


def test_a_success_resets_the_count(client, accueil):
    for _ in range(4):
        _try(client, "mauvais")
    assert _try(client, "motdepasse-test").status_code == 302
    client.post("/deconnexion/")
    for _ in range(4):
        assert _try(client, "mauvais").status_code == 200
    assert _try(client, "motdepasse-test").status_code == 302


def test_another_account_from_the_same_address_is_not_locked(client, accueil, technicien):
    for _ in range(5):
        _try(client, "mauvais")
    assert _try(client, "motdepasse-test", username="technicien").status_code == 302


def test_behind_the_proxy_the_address_is_the_one_it_appended(rf, settings):
    from atelier.core.accounts import client_address

    request = rf.get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.9")
    settings.ATELIER_BEHIND_PROXY = False
    assert client_address(request) == "127.0.0.1"
    settings.ATELIER_BEHIND_PROXY = True
    assert client_address(request) == "203.0.113.9"
    request = rf.get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="pas une adresse")
    assert client_address(request) == "127.0.0.1"
