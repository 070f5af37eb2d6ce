"""Loads the starting knowledge base shipped in data/base_fr.json (see data/README.md).

Idempotent: entries are matched on their natural key (family + title, or family + brand + code) and updated,
so running it again after an upgrade of the file refreshes the shipped entries and keeps the ones managers
added. Used by the data migration 0002 (with the historical models) and by `atelier knowledge_seed`.
"""

import json
from pathlib import Path

from atelier.knowledge.text import search_key

DATA_FILE = Path(__file__).parent / "data" / "base_fr.json"


def load_base(apps=None, path: Path = DATA_FILE) -> dict[str, int]:
    """Load or refresh the shipped entries; return how many entries of each kind the file holds."""
    if apps is None:
        from django.apps import apps
    model = apps.get_model
    Cause, Symptom, ErrorCode = (
        model("knowledge", "Cause"),
        model("knowledge", "Symptom"),
        model("knowledge", "ErrorCode"),
    )
    Check, SafetyWarning = model("knowledge", "Check"), model("knowledge", "SafetyWarning")
    data = json.loads(path.read_text(encoding="utf-8"))
    counts = {"causes": 0, "symptoms": 0, "error_codes": 0, "checks": 0, "safety": 0}
    for family, content in data["families"].items():
        causes = {}
        for row in content["causes"]:
            cause, _ = Cause.objects.update_or_create(
                family=family,
                brand="",
                model_ref="",
                title=row["title"],
                defaults={
                    "description": row["description"],
                    "parts": "\n".join(row["parts"]),
                    "search_text": search_key(row["title"], row["description"], " ".join(row["parts"])),
                },
            )
            causes[row["title"]] = cause
            counts["causes"] += 1
        for row in content["symptoms"]:
            symptom, _ = Symptom.objects.update_or_create(
                family=family,
                brand="",
                model_ref="",
                title=row["title"],
                defaults={"search_text": search_key(row["title"])},
            )
            symptom.causes.set([causes[t] for t in row["causes"]])
            counts["symptoms"] += 1
        for row in content["error_codes"]:
            code, _ = ErrorCode.objects.update_or_create(
                family=family,
                brand=row["brand"],
                model_ref="",
                code=row["code"],
                defaults={
                    "meaning": row["meaning"],
                    "notes": row["notes"],
                    "search_text": search_key(row["brand"], row["code"], row["meaning"], *row["causes"]),
                },
            )
            code.causes.set([causes[t] for t in row["causes"]])
            counts["error_codes"] += 1
        for row in content["checks"]:
            Check.objects.update_or_create(
                family=family,
                brand="",
                model_ref="",
                title=row["title"],
                defaults={
                    "cause": causes[row["cause"]],
                    "point": row["point"],
                    "instrument": row["instrument"],
                    "expected_min": row["min"],
                    "expected_max": row["max"],
                    "unit": row["unit"],
                    "notes": row["notes"],
                    "search_text": search_key(row["title"], row["point"], row["notes"]),
                },
            )
            counts["checks"] += 1
        for row in content["safety"]:
            SafetyWarning.objects.update_or_create(
                family=family,
                brand="",
                model_ref="",
                title=row["title"],
                defaults={
                    "text": row["text"],
                    "severity": row["severity"],
                    "search_text": search_key(row["title"], row["text"]),
                },
            )
            counts["safety"] += 1
    return counts
