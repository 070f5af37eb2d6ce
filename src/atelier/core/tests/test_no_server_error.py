"""No input gives a 5xx: every route of the project, GET and POST, as a user holding every role, with
- the ids found by following the links of the pages (an existing object), 999999 and "abc" in the URL,
- 100,000-character values in every field of the forms found on the pages, and in common field names.

Admin routes are left out (Django's own code, and the user is not staff). A failure lists every route that
answered 5xx or raised, with the exception."""

import logging
import re
from urllib.parse import urlsplit

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from django.urls.exceptions import NoReverseMatch, Resolver404

LONG = "x" * 100_000
COMMON_FIELDS = [
    "q", "search", "name", "note", "reference", "designation", "label", "comment", "reason", "code",
    "description", "title", "email", "phone", "amount", "quantity", "date", "day", "site", "status",
]  # fmt: skip
SKIPPED_NAMES = {"logout"}  # would end the session of the run
FORM_FIELD = re.compile(r"<(?:input|textarea|select)\b[^>]*\bname=\"([^\"]+)\"", re.I)
POST_FORM = re.compile(r"<form\b[^>]*method=\"post\"[^>]*>", re.I)
ACTION = re.compile(r"\baction=\"([^\"]*)\"", re.I)
HREF = re.compile(r"\bhref=\"(/[^\"#?]*)")
FIELDS_PER_POST = 20  # 20 × 100 kB stays under DATA_UPLOAD_MAX_MEMORY_SIZE (2.5 MB): the form is really bound


def _routes(patterns=None, namespace=None):
    """(name, converter-or-regex kwargs) of every named route outside the admin."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            if pattern.app_name == "admin":
                continue
            ns = pattern.namespace
            ns = f"{namespace}:{ns}" if namespace and ns else (ns or namespace)
            yield from _routes(pattern.url_patterns, ns)
        elif isinstance(pattern, URLPattern) and pattern.name and pattern.name not in SKIPPED_NAMES:
            name = f"{namespace}:{pattern.name}" if namespace else pattern.name
            converters = getattr(pattern.pattern, "converters", {})
            kwargs = {k: type(c).__name__ for k, c in converters.items()}
            if hasattr(pattern.pattern, "regex"):
                for group in pattern.pattern.regex.groupindex:
                    kwargs.setdefault(group, "regex")
            yield name, kwargs


def _urls(name, kwargs, known):
    """The route with an existing object (from links seen), with 999999 and with "abc" in its ids."""
    candidates = []
    if name in known:
        candidates.append(known[name])
    if not kwargs:
        candidates.append({})
    for garbage_int in ("999999", "abc"):
        candidates.append(
            {
                k: ("json" if k == "format" else garbage_int if kind in ("IntConverter", "regex") else "abc")
                for k, kind in kwargs.items()
            }
        )
    urls = []
    for values in candidates:
        try:
            url = reverse(name, kwargs=values)
        except NoReverseMatch:
            continue
        if url not in urls:
            urls.append(url)
    return urls


def _forms(body):
    """(action or None, field names) of the POST forms of a page."""
    found = []
    for match in POST_FORM.finditer(body):
        end = body.find("</form>", match.end())
        action = ACTION.search(match.group(0))
        fields = sorted(set(FORM_FIELD.findall(body[match.end() : end])) - {"csrfmiddlewaretoken"})
        found.append((action.group(1) if action and action.group(1) else None, fields))
    return found


class Run:
    def __init__(self, client, user):
        self.client, self.user, self.failures, self.count = client, user, {}, 0
        self.answered = {}  # (method, url, field names) → the page read (None for long values): sent once

    def call(self, method, url, data=None):
        request = (method, url, tuple(sorted(data or {})))  # every value is LONG: the names say it all
        if request in self.answered:
            return self.answered[request]
        response = self._send(method, url, data)
        self.answered[request] = None if data else response
        return response

    def _send(self, method, url, data):
        if "_auth_user_id" not in self.client.session:
            self.client.force_login(self.user)
        self.count += 1
        try:
            response = getattr(self.client, method)(url, data or {})
        except Exception as exc:  # the test client re-raises what the view raised: a 500
            self._fail(method, url, f"{type(exc).__name__}: {str(exc)[:120]}")
            return None
        if response.status_code >= 500:
            self._fail(method, url, str(response.status_code))
        return response

    def _fail(self, method, url, what):
        try:
            name = resolve(urlsplit(url).path).view_name
        except Resolver404:
            name = url
        self.failures.setdefault(name, f"{method.upper()} {url[:100]} → {what}")

    def post_long(self, url, fields):
        names = sorted(set(fields) | set(COMMON_FIELDS))
        for start in range(0, len(names), FIELDS_PER_POST):
            self.call("post", url, {name: LONG for name in names[start : start + FIELDS_PER_POST]})


def _crawl(run, routes):
    """Follow the links of the pages without ids to learn one existing object per route."""
    known, seen = {}, set()
    pages = [reverse(name) for name, kwargs in routes if not kwargs]
    while pages and len(seen) < 400:
        url = pages.pop(0)
        if url in seen:
            continue
        seen.add(url)
        response = run.call("get", url)
        if response is None or "text/html" not in response.get("Content-Type", ""):
            continue
        for href in HREF.findall(response.content.decode(errors="replace")):
            try:
                match = resolve(href)
            except Resolver404:
                continue
            if match.view_name in SKIPPED_NAMES or href.startswith("/admin/"):
                continue
            if match.kwargs and match.view_name not in known:
                known[match.view_name] = match.kwargs
                pages.append(href)
    return known


@pytest.mark.django_db
def test_no_route_answers_5xx_to_long_values_or_garbage_ids(client, all_roles_user, caplog):
    caplog.set_level(logging.CRITICAL, logger="django.request")  # the failures are listed below, once
    run = Run(client, all_roles_user)
    routes = list(_routes())
    known = _crawl(run, routes)
    form_posts = {}
    for name, kwargs in routes:
        for url in _urls(name, kwargs, known):
            response = run.call("get", url)
            run.call("get", url, {name: LONG for name in COMMON_FIELDS})
            fields = []
            if response is not None and "text/html" in response.get("Content-Type", ""):
                for action, names in _forms(response.content.decode(errors="replace")):
                    target = urlsplit(action).path if action else url
                    form_posts.setdefault(target, set()).update(names)
                    if target == url:
                        fields.extend(names)
            run.post_long(url, fields)
    for url, fields in form_posts.items():
        if url.startswith("/") and not url.startswith(("/admin/", "/deconnexion/")):
            run.post_long(url, fields)
    assert len(known) > 15, sorted(known)  # the crawl reached the object pages
    assert not run.failures, f"{len(run.failures)} routes answered 5xx ({run.count} requests):\n" + "\n".join(
        f"{name}: {what}" for name, what in sorted(run.failures.items())
    )
