"""« Mes jetons d'API »: created and revoked by their owner, hashed, expiring; 401 in French when unusable."""

import datetime
import html

import pytest
import time_machine
from django.test import override_settings
from django.utils import timezone

from atelier.core.api import AnonThrottle, UserThrottle
from atelier.core.models import ApiToken
from atelier.core.tokens import hash_key


def _create(client, name="Script compta", days=None):
    data = {"name": name, "days": days if days is not None else 90}
    return client.post("/mon-compte/jetons/", data)


def _key_of(response):
    body = response.content.decode()
    start = body.index('id="new-token-key">') + len('id="new-token-key">')
    return body[start : body.index("</code>", start)]


def test_create_use_and_revoke(client, accueil):
    client.force_login(accueil)
    page = client.get("/mon-compte/jetons/")
    assert page.status_code == 200 and "Aucun jeton." in page.content.decode()
    response = _create(client)
    assert response.status_code == 200
    key = _key_of(response)
    token = ApiToken.objects.get(user=accueil)
    assert token.key_hash == hash_key(key) and key not in token.key_hash and token.prefix == key[:8]
    assert (token.expires_at - timezone.now()).days in (89, 90)
    # shown once: the list shows the prefix only
    again = client.get("/mon-compte/jetons/").content.decode()
    assert key not in again and f"{token.prefix}…" in again and "Script compta" in again

    client.logout()
    answer = client.get("/api/cases/", HTTP_AUTHORIZATION=f"Token {key}")
    assert answer.status_code == 200
    token.refresh_from_db()
    assert token.last_used_at is not None

    client.force_login(accueil)
    revoked = client.post(f"/mon-compte/jetons/{token.pk}/revoquer/", follow=True)
    assert "Le jeton « Script compta » est révoqué." in html.unescape(revoked.content.decode())
    client.logout()
    answer = client.get("/api/cases/", HTTP_AUTHORIZATION=f"Token {key}")
    assert answer.status_code == 401
    assert answer.json() == {"detail": "Ce jeton d'API a été révoqué."}


def test_a_token_expires(client, accueil):
    client.force_login(accueil)
    key = _key_of(_create(client, days=10))
    client.logout()
    assert client.get("/api/cases/", HTTP_AUTHORIZATION=f"Token {key}").status_code == 200
    with time_machine.travel(timezone.now() + datetime.timedelta(days=10, minutes=1)):
        answer = client.get("/api/cases/", HTTP_AUTHORIZATION=f"Token {key}")
    assert answer.status_code == 401
    assert answer.json()["detail"].startswith("Ce jeton d'API a expiré")
    assert "(expiré)" not in client.get("/mon-compte/jetons/").content.decode()  # logged out: login page


def test_validity_is_one_year_at_most(client, accueil):
    client.force_login(accueil)
    response = _create(client, days=366)
    assert response.status_code == 400
    assert "inférieure ou égale à 365" in html.unescape(response.content.decode())
    assert not ApiToken.objects.exists()
    assert _create(client, days=365).status_code == 200


def test_unknown_key_and_bad_header_answer_401(client, db):
    answer = client.get("/api/cases/", HTTP_AUTHORIZATION="Token inconnu")
    assert answer.status_code == 401 and answer.json() == {"detail": "Jeton d'API inconnu."}
    assert client.get("/api/cases/", HTTP_AUTHORIZATION="Token a b").status_code == 401


def test_another_users_token_cannot_be_revoked(client, accueil, technicien):
    client.force_login(technicien)
    _create(client, name="Tablette")
    token = ApiToken.objects.get(user=technicien)
    client.force_login(accueil)
    assert client.post(f"/mon-compte/jetons/{token.pk}/revoquer/").status_code == 404
    assert "Tablette" not in client.get("/mon-compte/jetons/").content.decode()
    token.refresh_from_db()
    assert token.revoked_at is None
    assert client.get(f"/mon-compte/jetons/{token.pk}/revoquer/").status_code == 405


def test_the_schema_needs_a_login(client, accueil):
    assert client.get("/api/schema/").status_code in (401, 403)
    client.force_login(accueil)
    assert client.get("/api/schema/").status_code == 200


@pytest.fixture
def throttled(monkeypatch):
    """Throttles on, in local memory, with small rates (tests otherwise use a dummy throttle cache)."""
    rates = {"user": "3/min", "anon": "2/min"}
    monkeypatch.setattr(UserThrottle, "THROTTLE_RATES", rates)
    monkeypatch.setattr(AnonThrottle, "THROTTLE_RATES", rates)
    caches = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "t-default"},
        "throttle": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "t-throttle"},
    }
    with override_settings(CACHES=caches):
        from django.core.cache import caches as handler

        handler["throttle"].clear()
        yield


def test_api_throttles_answer_429_in_french(client, accueil, throttled):
    for _ in range(2):  # guessing keys: the anonymous rate of the address
        assert client.get("/api/cases/", HTTP_AUTHORIZATION="Token devine").status_code == 401
    answer = client.get("/api/cases/", HTTP_AUTHORIZATION="Token devine")
    assert answer.status_code == 429
    assert answer.json()["detail"].startswith("Trop de requêtes : réessayez dans ")
    assert int(answer["Retry-After"]) > 0
    client.force_login(accueil)  # a user has their own, larger allowance
    assert [client.get("/api/cases/").status_code for _ in range(4)] == [200, 200, 200, 429]


def test_the_admin_lists_tokens_without_their_hash(client, accueil, django_user_model):
    client.force_login(accueil)
    _create(client, name="Tablette atelier")
    boss = django_user_model.objects.create_superuser("patron", "patron@example.fr", "Un-mot-de-passe-long-1")
    client.force_login(boss)
    page = client.get("/admin/core/apitoken/")
    assert page.status_code == 200 and "Tablette atelier" in page.content.decode()
    token = ApiToken.objects.get()
    detail = client.get(f"/admin/core/apitoken/{token.pk}/change/").content.decode()
    assert token.key_hash not in detail
    assert client.get("/admin/core/apitoken/add/").status_code == 403


@pytest.mark.parametrize(
    ("name", "days", "message"),
    [
        ("", "90", "Ce champ est obligatoire."),
        ("script", "0", "supérieure ou égale à 1"),
        ("script", "abc", "Saisissez un nombre entier."),
        ("x" * 100_000, "90", "au plus 80 caractères"),
    ],
)
def test_a_bad_token_form_is_refused_in_french_and_creates_nothing(client, accueil, name, days, message):
    client.force_login(accueil)
    response = client.post("/mon-compte/jetons/", {"name": name, "days": days})
    assert response.status_code == 400
    assert message in html.unescape(response.content.decode())
    assert not ApiToken.objects.exists()
