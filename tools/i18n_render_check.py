"""Render the demo's pages as every demo user and dump them, to prove a template conversion changed nothing.

    ATELIER_DATA_DIR=/tmp/copy-of-demo-db PYTHONPATH=<tree>/src python tools/i18n_render_check.py OUT.json
    python tools/i18n_render_check.py --compare BEFORE.json AFTER.json

Run it on the tree before and after `tools/i18n_templates.py`, each time on its own copy of one demo database
(`atelier demo`; the walk only GETs, but pages may touch sessions). It follows the links of each user's pages
from the home page (60 pages per user; no PDF, export, admin or API), and keeps the HTML with whitespace runs
collapsed (a {% blocktranslate trimmed %} joins lines), CSRF tokens and clock times blanked.
"""

import json
import os
import re
import sys

SKIP = re.compile(
    r"/admin/|deconnexion|logout|\.pdf|/pdf|/api/|/media/|/static/|export|csv|facturx|xml|imprimer"
)


def crawl(out: str) -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "atelier.config.settings")
    django.setup()
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.test.utils import setup_test_environment

    setup_test_environment()
    pages: dict[str, str] = {}
    users = get_user_model().objects.filter(is_active=True).order_by("username")
    for user in users:
        client = Client()
        client.force_login(user)
        seen: set[str] = set()
        todo = ["/"]
        while todo and len(seen) < 60:
            url = todo.pop(0)
            if url in seen:
                continue
            seen.add(url)
            response = client.get(url)
            key = f"{user.username} {url}"
            if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
                pages[key] = str(response.status_code)
                continue
            html = response.content.decode()
            todo += [h for h in re.findall(r'href="(/[^"#?]*)', html) if not SKIP.search(h) and h not in seen]
            html = re.sub(r'(csrfmiddlewaretoken" value=|X-CSRFToken": )"[^"]*"', r'\1""', html)
            html = re.sub(r"\d\d:\d\d(:\d\d)?", "HH:MM", html)
            pages[key] = re.sub(r"\s+", " ", html)
    with open(out, "w", encoding="utf-8") as fh:
        json.dump(pages, fh, ensure_ascii=False, indent=0)
    print(f"{len(pages)} pages written to {out}")


def compare(before: str, after: str) -> int:
    with open(before, encoding="utf-8") as fb, open(after, encoding="utf-8") as fa:
        old, new = json.load(fb), json.load(fa)
    differing = sorted(k for k in old.keys() & new.keys() if old[k] != new[k])
    for key in differing:
        a, b = old[key], new[key]
        i = next((n for n, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), min(len(a), len(b)))
        print(f"{key}: …{a[max(0, i - 80) : i + 80]!r}\n  → …{b[max(0, i - 80) : i + 80]!r}")
    only = sorted(old.keys() ^ new.keys())
    print(
        f"{len(old.keys() & new.keys())} pages compared, {len(differing)} differ, {len(only)} in one run only"
    )
    return 1 if differing or only else 0


if __name__ == "__main__":
    if sys.argv[1] == "--compare":
        sys.exit(compare(sys.argv[2], sys.argv[3]))
    crawl(sys.argv[1])
