"""Load a version of the référentiel from a data file shipped in the package (certification/data/*.json), beside
the versions already loaded. Used by the data migrations; idempotent (a version already loaded is left as is,
so candidates and sessions that use it keep exactly what they were judged on)."""

from __future__ import annotations

import datetime
import json
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"


def read_data(file_name: str) -> dict:
    return json.loads((DATA_DIR / file_name).read_text(encoding="utf-8"))


def load_referentiel(apps, file_name: str):
    """Write one version (models from `apps`, historical in a migration); return it."""
    Referentiel = apps.get_model("certification", "Referentiel")
    Bloc = apps.get_model("certification", "Bloc")
    Activity = apps.get_model("certification", "Activity")
    Competence = apps.get_model("certification", "Competence")
    Criterion = apps.get_model("certification", "Criterion")
    Epreuve = apps.get_model("certification", "Epreuve")

    data = read_data(file_name)
    referentiel, created = Referentiel.objects.get_or_create(
        version=data["version"],
        defaults={
            "title": data["title"],
            "source": data["source"],
            "effective_from": datetime.date.fromisoformat(data["effective_from"]),
            "source_notes": data["source_notes"],
            "data_file": file_name,
        },
    )
    if not created:
        return referentiel
    competences = {}
    position = 0
    for bloc_data in data["blocs"]:
        bloc = Bloc.objects.create(referentiel=referentiel, code=bloc_data["code"], title=bloc_data["title"])
        for a_rank, activity_data in enumerate(bloc_data["activities"], start=1):
            activity = Activity.objects.create(
                bloc=bloc, code=activity_data["code"], title=activity_data["title"], position=a_rank
            )
            for c in activity_data["competences"]:
                position += 1
                competence = Competence.objects.create(
                    referentiel=referentiel,
                    activity=activity,
                    code=c["code"],
                    title=c["title"],
                    short_title=c["short_title"],
                    expected_result=c["expected_result"],
                    position=position,
                )
                Criterion.objects.bulk_create(
                    Criterion(competence=competence, position=rank, text=text)
                    for rank, text in enumerate(c["criteria"], start=1)
                )
                competences[c["code"]] = competence
    blocs = {b.code: b for b in Bloc.objects.filter(referentiel=referentiel)}
    for e in data["epreuves"]:
        epreuve = Epreuve.objects.create(
            referentiel=referentiel,
            number=e["number"],
            bloc=blocs[e["bloc"]],
            title=e["title"],
            form=e["form"],
            description=e["description"],
            duration_minutes=e["duration_minutes"],
            parts=e["parts"],
            draw_families=e["draw_families"],
            draw_family_labels=e["draw_family_labels"],
            judged_elements=e["judged_elements"],
            topic_deadline_months=e["topic_deadline_months"],
        )
        epreuve.competences.set([competences[code] for code in e["competences"]])
    return referentiel
