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
COUNT = """
import json, django
django.setup()
from django.apps import apps
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
    _atelier(tmp_path, "-m", "atelier", "migrate", "--noinput", "-v", "0")
    _atelier(tmp_path, "-m", "atelier", "makemigrations", "--check", "--dry-run", "-v", "0")  # none missing
    migrated = json.loads(_atelier(tmp_path, "-c", COUNT))
    here = {
        m._meta.label: m._base_manager.count()
        for m in apps.get_models()
        if m.__module__.startswith("atelier.")
    }
    assert {k: v for k, v in here.items() if v} == {k: v for k, v in migrated.items() if v}
