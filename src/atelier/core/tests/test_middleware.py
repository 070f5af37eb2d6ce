import json

from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.test import RequestFactory

from atelier.core.errors import AtelierError, TransitionRefused
from atelier.core.middleware import AtelierErrorMiddleware


def _request(method="get", path="/dossiers/1/", **headers):
    request = getattr(RequestFactory(), method)(path, headers=headers)
    request.session = {}
    request._messages = FallbackStorage(request)
    request.htmx = headers.get("HX-Request") == "true"
    return request


def test_an_escaping_domain_error_becomes_a_french_answer_not_a_500():
    middleware = AtelierErrorMiddleware(lambda request: None)
    error = TransitionRefused("Le dossier est fermé.")
    api = middleware.process_exception(_request(path="/api/cases/1/"), error)
    assert (api.status_code, json.loads(api.content)) == (409, {"detail": "Le dossier est fermé."})
    htmx = middleware.process_exception(_request(**{"HX-Request": "true"}), error)
    assert (htmx.status_code, htmx.content.decode()) == (409, "Le dossier est fermé.")
    post = _request("post", Referer="/dossiers/1/")
    back = middleware.process_exception(post, AtelierError("Refusé."))
    assert (back.status_code, back["Location"]) == (302, "/dossiers/1/")
    assert [str(m) for m in get_messages(post)] == ["Refusé."]
    assert middleware.process_exception(_request(), ValueError("bug")) is None
