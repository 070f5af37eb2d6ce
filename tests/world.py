"""A realistic small data set for the tests that walk every page: the demo (`atelier demo`), small, written
through the product's own services on both sites (dossiers in every state with quotes, repair orders,
invoices, payments, stock, visits, tools, loans…), at a fixed instant so the same data whatever the hour.

Also the URL walk shared by tests/test_query_counts.py and tests/test_site_isolation.py: every route of the
URL resolver (the HTML pages and the API routes), with its name and the names and types of its arguments.
"""

import datetime
import io
import re
import zoneinfo
from dataclasses import dataclass

import time_machine
from django.test.utils import override_settings
from django.urls import URLPattern, URLResolver, get_resolver

STORY_NOW = datetime.datetime(2026, 11, 26, 15, 20, tzinfo=zoneinfo.ZoneInfo("Europe/Paris"))
FAST_HASHER = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def load_world(customers: int = 4):
    """The demo, small; returns its summary. Call inside a transaction that the caller rolls back. Built once
    in the run, its rows written back for the next modules (tests/snapshots.py)."""
    from atelier.demo import load_demo

    from .snapshots import build_once

    def build():
        with time_machine.travel(STORY_NOW, tick=True), override_settings(PASSWORD_HASHERS=FAST_HASHER):
            return load_demo(customers=customers)

    return build_once(f"world-{customers}", build)


def load_demo_now():
    """The smallest demo loaded at the real hour (dates follow the day of the run), once in the run; returns its
    summary. For the tests that walk every route (core) and test_any_hour.py."""
    from atelier.demo import load_demo
    from atelier.demo.loader import MIN_CUSTOMERS

    from .snapshots import build_once

    def build():
        with override_settings(PASSWORD_HASHERS=FAST_HASHER):
            return load_demo(stdout=io.StringIO(), customers=MIN_CUSTOMERS)

    return build_once("demo-now", build)


def all_roles_user(username: str, site, *, superuser: bool = False):
    """A user holding every role on one site only (optionally with the superuser flag, which opens nothing)."""
    from atelier.core.choices import Role
    from atelier.core.tests.factories import UserFactory

    user = UserFactory(username=username, roles=list(Role), sites=[site])
    if superuser:
        user.is_superuser = user.is_staff = True
        user.save(update_fields=["is_superuser", "is_staff"])
    return user


@dataclass(frozen=True)
class Route:
    name: str  # "namespace:name" as reverse() takes it
    pattern: str  # the full pattern, for messages
    kwargs: dict  # argument name → converter ("int", "str", "slug", "path", "regex")
    is_api: bool

    @property
    def int_kwargs(self) -> list[str]:
        return [k for k, kind in self.kwargs.items() if kind == "int"]


_CONVERTER = re.compile(r"<(?:(?P<conv>\w+):)?(?P<name>\w+)>")
_REGEX_GROUP = re.compile(r"\(\?P<(?P<name>\w+)>")
SKIPPED_PREFIXES = ("admin/", "api/schema/")  # Django's admin (its own tests), the OpenAPI schema


def routes() -> list[Route]:
    """Every named route of the project, once (the API's `.json` format twins left out)."""
    seen: dict[str, Route] = {}

    def walk(patterns, prefix, namespace):
        for p in patterns:
            if isinstance(p, URLResolver):
                ns = ":".join(x for x in (namespace, p.namespace) if x) or None
                yield from walk(p.url_patterns, prefix + str(p.pattern), ns)
            elif isinstance(p, URLPattern) and p.name:
                yield prefix + str(p.pattern), f"{namespace}:{p.name}" if namespace else p.name

    for pattern, name in walk(get_resolver().url_patterns, "", None):
        if pattern.startswith(SKIPPED_PREFIXES) or "format" in pattern or name in seen:
            continue
        kwargs = {m["name"]: m["conv"] or "str" for m in _CONVERTER.finditer(pattern)}
        for m in _REGEX_GROUP.finditer(pattern):  # DRF's router: (?P<pk>[^/.]+), (?P<name>[a-z_]+)
            kwargs[m["name"]] = "int" if m["name"] == "pk" else "regex"
        seen[name] = Route(name, pattern, kwargs, pattern.startswith("api/"))
    return sorted(seen.values(), key=lambda r: r.name)


def grow_world(seed: int, customers: int = 4) -> None:
    """As many customers and dossiers again (another seed: other people, other stories) on both sites."""
    from atelier.demo import loader
    from atelier.demo.organisation import ensure_sites, ensure_users
    from atelier.repairs import extensions

    with time_machine.travel(STORY_NOW, tick=True), override_settings(PASSWORD_HASHERS=FAST_HASHER):
        sites, _ = ensure_sites()
        users, _ = ensure_users(sites)
        with extensions.recording_history():
            loader._generate(loader.DemoSummary(), sites, users, seed, customers)
