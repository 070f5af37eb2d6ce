"""The figures of the demo the loader tests read (conftest.py loads it once)."""

import datetime
import zoneinfo

CUSTOMERS = 40  # 30 in Paris, 10 in Lyon
FAST_HASHER = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORY_NOW = datetime.datetime(2026, 11, 26, 15, 20, tzinfo=zoneinfo.ZoneInfo("Europe/Paris"))
