"""The test database is built from the models (`--nomigrations`, see conftest.py); this module checks the
real migrations: they apply on an empty database, they match the models (no change without its migration),
and the data they seed is the data the test database holds."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.apps import apps

ROOT = Path(__file__).resolve().parent.parent
# One process (Django started once): the real migrations on an empty database, no change left without its
# migration (`makemigrations --check` exits 1 otherwise), then the rows per model, as JSON on the last line.
MIGRATE_CHECK_COUNT = """
import json, django
django.setup()
from django.apps import apps
from django.core.management import call_command
call_command("migrate", interactive=False, verbosity=0)
call_command("makemigrations", check=True, dry_run=True, verbosity=0)
print(json.dumps({m._meta.label: m._base_manager.count() for m in apps.get_models()
                  if m.__module__.startswith("atelier.")}))
"""


def _atelier(tmp_path, *args):
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}  # a fresh SQLite file in tmp_path
    env.update(ATELIER_DATA_DIR=str(tmp_path), DJANGO_SETTINGS_MODULE="atelier.config.settings")
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT / "src"), env.get("PYTHONPATH", "")])
    return subprocess.run(
        [sys.executable, *args], env=env, cwd=ROOT, capture_output=True, text=True, check=True, timeout=600
    ).stdout


@pytest.mark.django_db
def test_migrations_apply_match_the_models_and_seed_what_the_test_database_holds(tmp_path):
    migrated = json.loads(_atelier(tmp_path, "-c", MIGRATE_CHECK_COUNT).splitlines()[-1])
    here = {
        m._meta.label: m._base_manager.count()
        for m in apps.get_models()
        if m.__module__.startswith("atelier.")
    }
    assert {k: v for k, v in here.items() if v} == {k: v for k, v in migrated.items() if v}
