"""Request size limit, idle logout, production keys and `atelier check --deploy` with the documented env."""

import datetime
import html
import os
import runpy
import secrets
import subprocess
import sys
from pathlib import Path
from unittest import mock

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone

SRC = Path(__file__).resolve().parents[3]


def test_a_request_over_the_limit_is_refused_before_its_body_is_read(client, accueil, settings, monkeypatch):
    settings.ATELIER_MAX_UPLOAD_MB = 1
    client.force_login(accueil)
    read = []
    from django.core.handlers.wsgi import WSGIRequest

    original = WSGIRequest._load_post_and_files
    monkeypatch.setattr(WSGIRequest, "_load_post_and_files", lambda self: read.append(1) or original(self))
    too_big = str(1024 * 1024 + 1)
    answer = client.post("/clients/", {"q": "x"}, CONTENT_LENGTH=too_big)
    assert answer.status_code == 413
    assert answer.content.decode() == "Envoi trop volumineux : 1 Mo au plus."
    assert read == []
    api = client.post("/api/cases/", b"{}", content_type="application/json", CONTENT_LENGTH=too_big)
    assert api.status_code == 413 and api.json() == {"detail": "Envoi trop volumineux : 1 Mo au plus."}
    assert client.post("/api/cases/", {}, content_type="application/json").status_code == 400


def test_an_idle_session_ends_after_the_sites_idle_time(client, accueil, site):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        client.force_login(accueil)
        assert client.get("/").status_code == 200
    with time_machine.travel(start + datetime.timedelta(minutes=20), tick=False):
        assert client.get("/").status_code == 200  # activity restarts the clock
    with time_machine.travel(start + datetime.timedelta(minutes=49), tick=False):
        assert client.get("/").status_code == 200
    with time_machine.travel(start + datetime.timedelta(minutes=80), tick=False):
        answer = client.get("/dossiers/", follow=True)
    assert answer.redirect_chain[-1][0].startswith("/connexion/")
    assert "Vous avez été déconnecté après 30 minutes d'inactivité : reconnectez-vous." in html.unescape(
        answer.content.decode()
    )
    assert "_auth_user_id" not in client.session


def test_the_smallest_idle_time_of_the_users_sites_applies(client, accueil, site, other_site):
    site.idle_logout_minutes = 60
    site.save()
    other_site.idle_logout_minutes = 10
    other_site.save()
    accueil.sites.add(other_site)
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        client.force_login(accueil)
    with time_machine.travel(start + datetime.timedelta(minutes=9), tick=False):
        assert client.get("/").status_code == 200
    with time_machine.travel(start + datetime.timedelta(minutes=20), tick=False):
        assert client.get("/").status_code == 302


def test_the_idle_time_is_bounded(site):
    for minutes, ok in ((4, False), (5, True), (720, True), (721, False)):
        site.idle_logout_minutes = minutes
        if ok:
            site.full_clean()
        else:
            with pytest.raises(ValidationError, match="(supérieure|inférieure) ou égale"):
                site.full_clean()


def _settings_env(**extra):
    env = {
        "PATH": "/usr/bin:/bin",
        "PYTHONPATH": str(SRC),
        "DJANGO_SETTINGS_MODULE": "atelier.config.settings",
    }
    env.update(extra)
    return env


def _import_settings(env) -> tuple[int, str]:
    """(exit code, error) of the settings module run with exactly this environment: in this process (a fresh
    namespace, os.environ replaced for the while), a second instead of a Python start-up per case."""
    from django.core.exceptions import ImproperlyConfigured

    from atelier.config import settings as module

    with mock.patch.dict(os.environ, env, clear=True):
        try:
            runpy.run_path(module.__file__)
        except ImproperlyConfigured as exc:
            return 1, f"ImproperlyConfigured: {exc}"
    return 0, ""


PRODUCTION_ENV = {
    "ATELIER_SECRET_KEY": secrets.token_urlsafe(50),
    "ATELIER_JOURNAL_KEY": secrets.token_urlsafe(50),
    "ATELIER_ALLOWED_HOSTS": "sav.example.fr",
    "ATELIER_CSRF_TRUSTED_ORIGINS": "https://sav.example.fr",
    "ATELIER_SSL_REDIRECT": "1",
    "ATELIER_BEHIND_PROXY": "1",
    "ATELIER_HSTS_SECONDS": "31536000",
    "ATELIER_HSTS_PRELOAD": "1",
    "ATELIER_REDIS_URL": "redis://127.0.0.1:6379/0",
}


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("ATELIER_SECRET_KEY", "", "ATELIER_SECRET_KEY doit être défini"),
        ("ATELIER_SECRET_KEY", "court", "ATELIER_SECRET_KEY est trop courte (5 caractères)"),
        ("ATELIER_SECRET_KEY", "insecure-development-key-only-for-demo-and-tests", "clé de développement"),
        ("ATELIER_JOURNAL_KEY", "x" * 49, "ATELIER_JOURNAL_KEY est trop courte (49 caractères)"),
        ("ATELIER_JOURNAL_KEY", "insecure-development-journal-key", "clé de développement"),
    ],
)
def test_production_refuses_weak_keys(tmp_path, name, value, message):
    env = _settings_env(**{**PRODUCTION_ENV, "ATELIER_DATA_DIR": str(tmp_path), name: value})
    code, error = _import_settings(env)
    assert code == 1
    assert error.startswith("ImproperlyConfigured: ") and message in error
    # in development the same key is accepted
    assert _import_settings({**env, "ATELIER_DEBUG": "1"}) == (0, "")


def test_check_deploy_is_silent_with_the_documented_production_environment(tmp_path):
    env = _settings_env(**PRODUCTION_ENV, ATELIER_DATA_DIR=str(tmp_path))
    result = subprocess.run(
        [sys.executable, "-m", "django", "check", "--deploy", "--fail-level", "WARNING"],
        capture_output=True,
        text=True,
        env=env,
        timeout=180,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout
    # without Redis the throttles would count per process: said by check --deploy
    del env["ATELIER_REDIS_URL"]
    result = subprocess.run(
        [sys.executable, "-m", "django", "check", "--deploy"],
        capture_output=True,
        text=True,
        env=env,
        timeout=180,
    )
    assert "atelier.W001" in result.stdout + result.stderr


def test_documented_variables_are_all_in_the_docs():
    from atelier.config import settings as module

    docs = (SRC.parent / "docs" / "security.md").read_text()
    for name in [
        *PRODUCTION_ENV,
        "ATELIER_MAX_UPLOAD_MB",
        "ATELIER_SECURE_COOKIES",
        "ATELIER_HSTS_INCLUDE_SUBDOMAINS",
    ]:
        assert name in docs and name in module.__doc__, name
    assert os.environ.get("PYTEST_VERSION")


def test_the_sections_a_page_loads_do_not_restart_the_clock(client, accueil, site):
    """A dossier page loads its sections by htmx, a dozen at once: the page counted the activity, its sections
    do not write the session beside each other (one writer at a time on SQLite)."""
    from atelier.core.accounts import SESSION_LAST_SEEN

    start = timezone.now()
    with time_machine.travel(start, tick=False):
        client.force_login(accueil)
        assert client.get("/").status_code == 200
    seen = client.session[SESSION_LAST_SEEN]
    with time_machine.travel(start + datetime.timedelta(minutes=5), tick=False):
        assert client.get("/", headers={"HX-Request": "true"}).status_code == 200
    assert client.session[SESSION_LAST_SEEN] == seen
    with time_machine.travel(start + datetime.timedelta(minutes=6), tick=False):
        assert client.get("/").status_code == 200
    assert client.session[SESSION_LAST_SEEN] == seen + 360
