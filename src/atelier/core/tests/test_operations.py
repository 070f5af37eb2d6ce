"""Production plumbing: check --deploy with the environment of docs/operations.md, request ids and JSON logs,
/metrics and its protection, /healthz checks, the serve supervisor and its keys, Docker files."""

import io
import json
import logging
import os
import re
import runpy
import secrets
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from django.http import HttpResponse
from django.urls import path

from atelier.config import serve
from atelier.core import health, logs, metrics
from atelier.core.tests.test_edges_settings import _import_settings, _settings_env

ROOT = Path(__file__).resolve().parents[4]


def documented_production_env() -> dict:
    """The block under <!-- production-env --> of docs/operations.md, each $(…) replaced by a fresh token."""
    text = (ROOT / "docs" / "operations.md").read_text()
    block = text.split("<!-- production-env -->", 1)[1].split("```sh\n", 1)[1].split("```", 1)[0]
    env = {}
    for line in block.strip().splitlines():
        name, _, value = line.partition("=")
        env[name] = secrets.token_urlsafe(50) if value.startswith("$(") else value
    return env


def test_check_deploy_is_silent_with_the_environment_of_operations_md(tmp_path):
    env = documented_production_env()
    assert {"ATELIER_SECRET_KEY", "ATELIER_BEHIND_PROXY", "ATELIER_HSTS_SECONDS", "DATABASE_URL"} <= set(env)
    result = subprocess.run(
        [sys.executable, "-m", "django", "check", "--deploy", "--fail-level", "WARNING"],
        capture_output=True,
        text=True,
        env=_settings_env(**env, ATELIER_DATA_DIR=str(tmp_path)),
        timeout=180,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip() == "System check identified no issues (0 silenced)."


def test_media_storage_options_must_be_json(tmp_path):
    env = _settings_env(
        ATELIER_DEBUG="1", ATELIER_DATA_DIR=str(tmp_path), ATELIER_MEDIA_STORAGE_OPTIONS="{bucket"
    )
    code, error = _import_settings(env)
    assert code == 1
    assert error.startswith("ImproperlyConfigured: ATELIER_MEDIA_STORAGE_OPTIONS n'est pas du JSON valide : ")


# -- request ids and logs ----------------------------------------------------------------------------------


def test_the_request_id_is_taken_from_the_caller_or_made(client, db):
    assert client.get("/healthz", HTTP_X_REQUEST_ID="lb-42.a:b").headers["X-Request-ID"] == "lb-42.a:b"
    made = client.get("/healthz", HTTP_X_REQUEST_ID="forged\nline").headers["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", made)
    assert re.fullmatch(r"[0-9a-f]{32}", client.get("/healthz").headers["X-Request-ID"])


@pytest.fixture
def json_lines():
    """Log lines of Atelier's loggers as the JSON handler writes them, the request logger at INFO."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(logs.ContextFilter())
    handler.setFormatter(logs.JsonFormatter())
    logger = logging.getLogger("atelier")
    request_logger = logging.getLogger("atelier.request")
    levels = (logger.level, request_logger.level)
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    request_logger.setLevel(logging.INFO)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    logger.removeHandler(handler)
    logger.setLevel(levels[0])
    request_logger.setLevel(levels[1])


def noisy_view(request):
    """A view that knows its site and logs a warning: both lines must carry the request's context."""
    logs.bind(site="PAR1")
    logging.getLogger("atelier.core.views").warning("Attention : %s", request.user.username)
    return HttpResponse("ok")


urlpatterns = [path("bruyant/", noisy_view)]


def test_json_logs_carry_the_requests_context(client, accueil, json_lines, settings):
    settings.ROOT_URLCONF = __name__
    client.force_login(accueil)
    response = client.get("/bruyant/", HTTP_X_REQUEST_ID="req-1")
    assert response.status_code == 200
    lines = [line for line in json_lines() if line.get("request_id") == "req-1"]
    warning, request = lines[-2], lines[-1]
    assert set(request) == {
        "time", "level", "logger", "message", "request_id", "user_id", "site", "path", "status", "duration_ms"
    }  # fmt: skip
    assert (request["level"], request["logger"], request["message"]) == (
        "INFO",
        "atelier.request",
        "GET /bruyant/ 200",
    )
    assert (request["user_id"], request["site"], request["path"], request["status"]) == (
        accueil.pk,
        "PAR1",
        "/bruyant/",
        200,
    )
    assert request["duration_ms"] >= 0 and request["time"].endswith("+00:00")
    assert (warning["logger"], warning["message"], warning["site"], warning["path"]) == (
        "atelier.core.views",
        f"Attention : {accueil.username}",
        "PAR1",
        "/bruyant/",
    )


def test_an_anonymous_request_logs_no_user_and_costs_no_query(
    client, db, json_lines, django_assert_num_queries, checks
):
    with django_assert_num_queries(1):  # the probe's own SELECT 1: the log line reads no session nor user
        client.get("/healthz", HTTP_X_REQUEST_ID="probe")
    (line,) = [line for line in json_lines() if line.get("request_id") == "probe"]
    assert "user_id" not in line and line["message"] == "GET /healthz 200"


def test_logging_setting_chooses_json_or_text():
    config = logs.logging_config(log_format="json", level="INFO", request_level="INFO")
    assert config["handlers"]["console"]["formatter"] == "json"
    assert (
        logs.logging_config(log_format="text", level="INFO", request_level="INFO")["handlers"]["console"][
            "formatter"
        ]
        == "text"
    )


# -- metrics -----------------------------------------------------------------------------------------------


@pytest.fixture
def metrics_on(settings):
    settings.ATELIER_METRICS = True
    settings.ATELIER_METRICS_TOKEN = "jeton-de-test"
    settings.ATELIER_METRICS_ALLOWED_IPS = ["10.0.0.5"]
    yield settings
    metrics._gauges.pop("atelier_test_queue", None)
    metrics._gauges.pop("atelier_test_broken", None)
    metrics._gauges.pop("atelier_test_by_state", None)


def test_metrics_are_off_by_default(client, db):
    assert client.get("/metrics").status_code == 404


def test_metrics_need_the_token_or_a_direct_allowed_address(client, db, metrics_on):
    refused = client.get("/metrics")
    assert refused.status_code == 403
    assert refused.content.decode() == (
        "Accès aux métriques refusé : jeton ATELIER_METRICS_TOKEN ou adresse autorisée requis."
    )
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer faux").status_code == 403
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer jeton-de-test").status_code == 200
    assert client.get("/metrics", REMOTE_ADDR="10.0.0.5").status_code == 200
    # the same address relaying someone else (a proxy on the allowed host) is not enough
    assert (
        client.get("/metrics", REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="203.0.113.9").status_code == 403
    )


def test_metrics_show_latency_by_route_and_the_registered_gauges(client, db, metrics_on):
    metrics.register_gauge("atelier_test_queue", "Messages en file", lambda: 7)
    metrics.register_gauge("atelier_test_broken", "Cassée", lambda: 1 / 0)
    metrics.register_gauge(
        "atelier_test_by_state", "Par état", lambda: {"echec": 2, "envoye": 5}, labels=("state",)
    )
    client.get("/healthz")
    client.get("/clients/999999/")  # a route with an id: labelled by its name, never by its path
    text = client.get("/metrics", HTTP_AUTHORIZATION="Bearer jeton-de-test").content.decode()
    assert re.search(
        r'atelier_request_duration_seconds_count\{method="GET",route="healthz",status="200"\} \d', text
    )
    assert 'route="customers:detail"' in text and "/clients/" not in text
    assert "atelier_test_queue 7.0" in text
    assert 'atelier_test_by_state{state="echec"} 2.0' in text
    assert 'atelier_test_by_state{state="envoye"} 5.0' in text
    assert "atelier_test_broken" not in text


# -- health ------------------------------------------------------------------------------------------------


@pytest.fixture
def checks():
    """Only the built-in database check (the apps' own checks are tested in their apps)."""
    saved = dict(health._checks)
    health._checks.clear()
    health._checks["database"] = saved["database"]
    yield health
    health._checks.clear()
    health._checks.update(saved)


def test_a_failed_ordinary_check_degrades_and_a_critical_one_fails(client, db, checks):
    from django.db import connection

    checks.register_check("worker", lambda: {"last_heartbeat": "2026-12-06T07:00:00+00:00"})
    assert client.get("/healthz").json() == {
        "status": "ok",
        "database": connection.vendor,
        "worker": {"last_heartbeat": "2026-12-06T07:00:00+00:00"},
    }

    def stale():
        raise health.CheckFailed({"last_heartbeat": None})

    checks.register_check("worker", stale)
    checks.register_check("outbox", lambda: 1 / 0)
    answer = client.get("/healthz")
    assert answer.status_code == 200
    assert answer.json() == {
        "status": "degraded",
        "database": connection.vendor,
        "worker": {"last_heartbeat": None},
        "outbox": {"erreur": "ZeroDivisionError"},
    }
    checks.register_check("storage", stale, critical=True)
    answer = client.get("/healthz")
    assert answer.status_code == 503 and answer.json()["status"] == "error"


# -- serving -----------------------------------------------------------------------------------------------


def test_missing_keys_are_created_once_in_the_data_dir(tmp_path):
    env = serve.ensure_keys({}, tmp_path)
    path = tmp_path / "secrets.env"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert (
        all(len(env[key]) >= 50 for key in serve.KEYS)
        and env["ATELIER_SECRET_KEY"] != env["ATELIER_JOURNAL_KEY"]
    )
    assert serve.ensure_keys({}, tmp_path) == env  # the second start (or the worker's container) reads them
    assert serve.ensure_keys({"ATELIER_SECRET_KEY": ""}, tmp_path) == env  # compose passes unset ones as ""
    given = serve.ensure_keys({"ATELIER_JOURNAL_KEY": "j" * 60}, tmp_path)
    assert (
        given["ATELIER_JOURNAL_KEY"] == "j" * 60 and given["ATELIER_SECRET_KEY"] == env["ATELIER_SECRET_KEY"]
    )
    both = {"ATELIER_SECRET_KEY": "s" * 60, "ATELIER_JOURNAL_KEY": "j" * 60}
    other = tmp_path / "other"
    other.mkdir()
    assert serve.ensure_keys(both, other) == both and not (other / "secrets.env").exists()


def test_when_one_process_stops_the_supervisor_stops_the_other(capfd):
    code = serve.supervise(
        {
            "gunicorn": [sys.executable, "-c", "import time; time.sleep(120)"],
            "worker": [sys.executable, "-c", "import sys; sys.exit(3)"],
        },
        {"PATH": "/usr/bin:/bin"},
    )
    assert code == 3
    assert (
        "atelier serve: worker s'est arrêté (code 3) : arrêt des autres processus." in capfd.readouterr().err
    )


def test_gunicorn_configuration(monkeypatch, tmp_path):
    monkeypatch.setenv("ATELIER_BIND", "0.0.0.0:9000")
    monkeypatch.delenv("ATELIER_WORKERS", raising=False)
    monkeypatch.setenv("ATELIER_METRICS", "1")
    monkeypatch.setenv("ATELIER_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("PROMETHEUS_MULTIPROC_DIR", raising=False)
    config = runpy.run_path(str(ROOT / "src" / "atelier" / "config" / "gunicorn.py"))
    assert config["wsgi_app"] == "atelier.config.wsgi:application"
    assert config["bind"] == "0.0.0.0:9000"
    assert 3 <= config["workers"] <= 8
    assert config["workers"] == min(2 * len(os.sched_getaffinity(0)) + 1, 8)
    assert os.environ["PROMETHEUS_MULTIPROC_DIR"] == str(tmp_path / "prometheus")
    monkeypatch.delenv("PROMETHEUS_MULTIPROC_DIR")


def test_compose_runs_the_app_its_worker_and_postgresql():
    compose = yaml.safe_load((ROOT / "compose.yaml").read_text())
    assert set(compose["services"]) == {"app", "worker", "db"}
    assert compose["services"]["worker"]["command"] == [
        "python",
        "-m",
        "atelier.config.serve",
        "--only",
        "worker",
    ]
    assert compose["services"]["db"]["image"].startswith("postgres:")
    assert "postgres:/var/lib/postgresql/data" in compose["services"]["db"]["volumes"]
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "USER atelier" in dockerfile and "libpangoft2-1.0-0" in dockerfile


@pytest.mark.skipif(
    shutil.which("docker") is None
    or subprocess.run(["docker", "compose", "version"], capture_output=True, check=False).returncode != 0,
    reason="docker compose is not installed here",
)
def test_docker_compose_config_parses():
    result = subprocess.run(
        ["docker", "compose", "config", "--quiet"], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
