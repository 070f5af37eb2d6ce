"""A JSON request to a provider's HTTP API (standard library only), its failures sorted into temporary and
permanent ones the same way for every provider: time-out, connection error, 429 and 5xx may pass later;
any other 4xx will not (the provider's own message is kept as the reason)."""

import json
import urllib.error
import urllib.request
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _

from atelier.messaging.providers.base import PermanentFailure, TemporaryFailure


@dataclass(frozen=True)
class Reply:
    status: int
    data: dict


def timeout() -> float:
    return float(getattr(settings, "ATELIER_SMS_TIMEOUT", 10))


def post_json(provider: str, url: str, body: bytes, headers: dict[str, str], error_text) -> Reply:
    """POST `body` (JSON already encoded: some signatures cover its exact bytes) and return the decoded answer
    of a 2xx; raise TemporaryFailure / PermanentFailure otherwise. `error_text(data)` picks the provider's
    message out of an error body."""
    request = urllib.request.Request(url, data=body, method="POST", headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=timeout()) as response:  # noqa: S310 (https URL of a setting)
            return Reply(response.status, _decode(response.read()))
    except urllib.error.HTTPError as error:
        data = _decode(error.read())
        text = error_text(data) or error.reason or ""
        reason = _("%(provider)s a répondu %(status)s : %(text)s") % {
            "provider": provider,
            "status": error.code,
            "text": text,
        }
        if error.code == 429 or error.code >= 500:
            raise TemporaryFailure(reason) from error
        raise PermanentFailure(reason) from error
    except TimeoutError as error:
        raise _too_slow(provider) from error
    except urllib.error.URLError as error:
        if isinstance(error.reason, TimeoutError):
            raise _too_slow(provider) from error
        raise TemporaryFailure(
            _("%(provider)s injoignable : %(error)s") % {"provider": provider, "error": error.reason}
        ) from error
    except OSError as error:  # connection reset in the middle of the answer
        raise TemporaryFailure(
            _("%(provider)s injoignable : %(error)s") % {"provider": provider, "error": error}
        ) from error


def _too_slow(provider: str) -> TemporaryFailure:
    return TemporaryFailure(
        _("%(provider)s n'a pas répondu à temps (%(seconds)s s).")
        % {"provider": provider, "seconds": f"{timeout():g}"}
    )


def _decode(raw: bytes) -> dict:
    try:
        data = json.loads(raw.decode("utf-8") or "{}")
    except (UnicodeDecodeError, ValueError):
        return {"message": raw.decode("utf-8", "replace")[:300]}
    return data if isinstance(data, dict) else {"data": data}
