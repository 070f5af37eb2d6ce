"""What every benchmark does first: Django on a throw-away database (or DATABASE_URL's), migrated."""

import os
import tempfile


def django_for_bench() -> None:
    """Settings for a benchmark run, django.setup() and migrate; import models only after calling it."""
    os.environ.setdefault("ATELIER_DATA_DIR", tempfile.mkdtemp(prefix="atelier-bench-"))
    os.environ.setdefault("ATELIER_DEBUG", "0")
    # debug off like production, so production's rule for keys applies: 50 characters or more
    os.environ.setdefault("ATELIER_SECRET_KEY", "bench-only-secret-key-" + "x" * 40)
    os.environ.setdefault("ATELIER_JOURNAL_KEY", "bench-only-journal-key-" + "x" * 40)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "atelier.config.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
