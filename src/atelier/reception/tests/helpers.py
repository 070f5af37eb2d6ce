"""Helpers shared by the reception tests and the end-to-end journey."""

import importlib

from atelier.reception.models import PriorityRule


def seed_priority_rules() -> None:
    """The rules of the data migration; a transactional test (flush) elsewhere in the session may have removed
    them."""
    seeded = importlib.import_module("atelier.reception.migrations.0002_seed_priority_rules")
    for code, label, boost, position in seeded.RULES:
        PriorityRule.objects.update_or_create(
            code=code, defaults={"label": label, "boost_minutes": boost, "position": position}
        )
