"""Structured logs: the request's context on every line, one JSON object per line when ATELIER_LOG_FORMAT=json.

`RequestLogMiddleware` (first in MIDDLEWARE) gives each request an id (the caller's X-Request-ID when it is a
sane token, a fresh one otherwise), sends it back in X-Request-ID, times the request, writes one line on the
`atelier.request` logger and feeds the latency histogram of `core.metrics`. Any log line written meanwhile, by
any logger, carries the request id, the user id, the site and the path (`ContextFilter`); a service that knows
its site says so with `bind(site=site.code)`. Standard library only.
"""

import contextvars
import json
import logging
import re
import time
import uuid
from datetime import UTC, datetime

CONTEXT: contextvars.ContextVar[dict | None] = contextvars.ContextVar("atelier_log_context", default=None)
FIELDS = ("request_id", "user_id", "site", "path", "status", "duration_ms")
SANE_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")  # a header copied into logs must not forge lines

request_logger = logging.getLogger("atelier.request")


def bind(**values) -> None:
    """Add fields to the current request's log context (e.g. `bind(site="PAR1")`); ignored outside requests."""
    context = CONTEXT.get()
    if context is not None:
        context.update(values)


def current_request_id() -> str | None:
    context = CONTEXT.get()
    return context.get("request_id") if context else None


class ContextFilter(logging.Filter):
    """Copies the request's context onto each record (attributes absent outside a request stay None)."""

    def filter(self, record: logging.LogRecord) -> bool:
        context = CONTEXT.get() or {}
        for name in FIELDS:
            if getattr(record, name, None) is None:
                setattr(record, name, context.get(name))
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time (UTC, ISO 8601), level, logger, message, the request's fields when known,
    and the exception's traceback as one string."""

    def format(self, record: logging.LogRecord) -> str:
        line = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for name in FIELDS:
            value = getattr(record, name, None)
            if value is not None:
                line[name] = value
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False, default=str)


class TextFormatter(logging.Formatter):
    """Readable lines for a terminal; the request id in brackets when there is one."""

    def format(self, record: logging.LogRecord) -> str:
        text = super().format(record)
        request_id = getattr(record, "request_id", None)
        return f"[{request_id}] {text}" if request_id else text


def _user_id(request):
    # only a user already loaded by the view: reading request.user here would cost the session's queries
    user = getattr(request, "_cached_user", None)
    return user.pk if user is not None and user.is_authenticated else None


class RequestLogMiddleware:
    """Request id in and out, one log line and one latency observation per request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from atelier.core import metrics

        given = request.headers.get("X-Request-ID", "")
        request_id = given if SANE_REQUEST_ID.match(given) else uuid.uuid4().hex
        request.request_id = request_id
        context = {"request_id": request_id, "path": request.path}
        token = CONTEXT.set(context)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            elapsed = time.perf_counter() - started
            response["X-Request-ID"] = request_id
            match = getattr(request, "resolver_match", None)
            route = match.view_name if match is not None else "(aucune route)"
            context.update(
                status=response.status_code, duration_ms=round(elapsed * 1000, 1), user_id=_user_id(request)
            )
            metrics.observe_request(
                route=route, method=request.method, status=response.status_code, seconds=elapsed
            )
            request_logger.info("%s %s %s", request.method, request.path, response.status_code)
            return response
        finally:
            CONTEXT.reset(token)


def logging_config(*, log_format: str, level: str, request_level: str) -> dict:
    """The LOGGING setting: console on stderr, text or JSON, Atelier's loggers at `level`, others at WARNING."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"context": {"()": "atelier.core.logs.ContextFilter"}},
        "formatters": {
            "json": {"()": "atelier.core.logs.JsonFormatter"},
            "text": {
                "()": "atelier.core.logs.TextFormatter",
                "format": "%(asctime)s %(levelname)s %(name)s: %(message)s",
            },
        },
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "filters": ["context"],
                "formatter": "json" if log_format == "json" else "text",
            }
        },
        "root": {"handlers": ["console"], "level": "WARNING"},
        "loggers": {
            "atelier": {"level": level},
            "atelier.request": {"level": request_level},
        },
    }
