"""Schemathesis over the OpenAPI schema (through the WSGI app, as a user holding every role, with an API token):
no generated request answers 5xx (`not_a_server_error`); 10 examples per operation, derandomized."""

import logging

import pytest
from hypothesis import HealthCheck, given, settings

from atelier.config.wsgi import application
from atelier.core.tokens import token_create

EXAMPLES = 10


def _run_operation(operation, headers, statuses):
    from schemathesis.checks import not_a_server_error

    @settings(
        max_examples=EXAMPLES,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy())
    def check(case):
        response = case.call_and_validate(headers=headers, checks=[not_a_server_error])
        statuses.add(response.status_code)

    check()


@pytest.fixture
def keep_the_test_connection():
    """Schemathesis calls the WSGI application itself: its request signals would close the test's connection
    in the middle of its transaction (on PostgreSQL), as Django's own test client prevents for its requests."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.mark.django_db
def test_the_api_gives_no_server_error(all_roles_user, caplog, keep_the_test_connection):
    # imported here, not at the top: only the process running this test pays for Schemathesis (its pytest
    # plugin is off, see pyproject.toml)
    import schemathesis

    caplog.set_level(logging.CRITICAL, logger="django.request")
    _, key = token_create(user=all_roles_user, name="schemathesis")
    headers = {"Authorization": f"Token {key}"}
    schema = schemathesis.openapi.from_wsgi("/api/schema/", application, headers=headers)
    failures, operations, statuses = {}, 0, set()
    for result in schema.get_all_operations():
        operation = result.ok()
        operations += 1
        try:
            _run_operation(operation, headers, statuses)
        except Exception as exc:  # noqa: BLE001  (every operation is tried; all failures are listed)
            failures[operation.label] = (
                str(exc).strip().splitlines()[0][:300] if str(exc).strip() else repr(exc)
            )
    assert operations >= 20
    assert 200 in statuses and 401 not in statuses, statuses  # the token authenticated every request
    assert not failures, "\n".join(f"{label}: {what}" for label, what in sorted(failures.items()))


def test_the_schema_is_refused_without_a_login(client, db):
    assert client.get("/api/schema/").status_code in (401, 403)


def test_the_timeline_answers_what_its_schema_declares(client, site, accueil):
    import jsonschema_rs
    from drf_spectacular.generators import SchemaGenerator

    from atelier.repairs.services import case_add_note
    from atelier.repairs.tests.factories import RepairCaseFactory

    schema = SchemaGenerator().get_schema(request=None, public=True)
    declared = schema["paths"]["/api/cases/{id}/timeline/"]["get"]["responses"]["200"]["content"]
    declared = {**declared["application/json"]["schema"], "components": schema["components"]}
    declared = jsonschema_rs.validator_for(_nullable_to_types(declared))
    case = RepairCaseFactory(site=site, actor=accueil)  # opened (a state), then a note (no state)
    case_add_note(case=case, actor=accueil, note="Client rappelé.")
    client.force_login(accueil)
    answer = client.get(f"/api/cases/{case.pk}/timeline/").json()
    assert isinstance(answer, list) and len(answer) == 2
    declared.validate(answer)
    assert set(answer[0]) == set(schema["components"]["schemas"]["CaseEvent"]["properties"])


def _nullable_to_types(node):
    """OpenAPI 3.0 `nullable: true` as JSON Schema (`type: [.., "null"]`), `$ref`s to `#/components/...`."""
    if isinstance(node, list):
        return [_nullable_to_types(item) for item in node]
    if not isinstance(node, dict):
        return node
    node = {key: _nullable_to_types(value) for key, value in node.items()}
    if node.pop("nullable", False):
        if "type" in node:
            node["type"] = [node["type"], "null"]
        else:
            node = {"anyOf": [node, {"type": "null"}]}
    return node
