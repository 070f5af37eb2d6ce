"""Writes of the knowledge base (managers only) and the learning store (fed by closed dossiers).

Every service is keyword-only and atomic, calls full_clean() before saving and keeps `search_text` in step.
"""

from collections import defaultdict
from collections.abc import Callable
from typing import Any

from django.db import connection, transaction
from django.db.models import F

from atelier.core.access import require_step
from atelier.core.locking import lock_rows
from atelier.knowledge.models import (
    Cause,
    Check,
    ConfirmedCause,
    ErrorCode,
    LearnedCause,
    LearnedFamily,
    LearnedFeature,
    SafetyWarning,
    Symptom,
    TechnicalDocument,
)
from atelier.knowledge.text import features, search_key


def _save(instance, *, fields: dict, search: Callable[[Any], tuple]):
    for name, value in fields.items():
        setattr(instance, name, value)
    instance.full_clean(exclude=["search_text"])
    instance.search_text = search_key(*search(instance))
    instance.save()
    return instance


@transaction.atomic
def cause_save(*, actor, cause: Cause | None = None, **fields) -> Cause:
    """Create (cause=None) or update a probable cause."""
    require_step(actor, "knowledge.edit")
    return _save(
        cause or Cause(),
        fields=fields,
        search=lambda c: (c.title, c.description, c.parts, c.brand, c.model_ref),
    )


@transaction.atomic
def cause_add_from_diagnosis(*, actor, family: str, title: str) -> Cause:
    """A technician confirms a cause the base lacks: it is added for the whole family (any brand), or the
    existing cause of that title is returned. The SAV manager reviews and completes it in the base."""
    require_step(actor, "knowledge.add_cause")
    title = " ".join(title.split())
    existing = Cause.objects.filter(family=family, brand="", model_ref="", title__iexact=title).first()
    if existing:
        return existing
    return _save(
        Cause(),
        fields={"family": family, "brand": "", "model_ref": "", "title": title},
        search=lambda c: (c.title, c.description, c.parts, c.brand, c.model_ref),
    )


@transaction.atomic
def symptom_save(*, actor, symptom: Symptom | None = None, causes=(), **fields) -> Symptom:
    """Create or update a symptom and the causes it points to (causes of its own family only)."""
    require_step(actor, "knowledge.edit")
    symptom = _save(
        symptom or Symptom(),
        fields=fields,
        search=lambda s: (s.title, s.description, s.brand, s.model_ref),
    )
    _set_causes(symptom, causes)
    return symptom


@transaction.atomic
def error_code_save(*, actor, error_code: ErrorCode | None = None, causes=(), **fields) -> ErrorCode:
    """Create or update a manufacturer error code and its probable causes."""
    require_step(actor, "knowledge.edit")
    entry = _save(
        error_code or ErrorCode(),
        fields=fields,
        search=lambda e: (e.brand, e.code, e.meaning, e.notes, e.model_ref, *(c.title for c in causes)),
    )
    _set_causes(entry, causes)
    return entry


def _set_causes(entry, causes) -> None:
    from django.core.exceptions import ValidationError

    wrong = [c.title for c in causes if c.family != entry.family]
    if wrong:
        raise ValidationError({"causes": f"Ces causes sont d'une autre famille : {', '.join(wrong)}."})
    entry.causes.set(causes)


@transaction.atomic
def check_save(*, actor, check: Check | None = None, **fields) -> Check:
    """Create or update a check and its expected values (absurd ranges are refused by Check.clean)."""
    require_step(actor, "knowledge.edit")
    return _save(check or Check(), fields=fields, search=lambda c: (c.title, c.point, c.instrument, c.notes))


@transaction.atomic
def safety_warning_save(*, actor, warning: SafetyWarning | None = None, **fields) -> SafetyWarning:
    require_step(actor, "knowledge.edit")
    return _save(warning or SafetyWarning(), fields=fields, search=lambda w: (w.title, w.text))


@transaction.atomic
def document_save(*, actor, document: TechnicalDocument | None = None, **fields) -> TechnicalDocument:
    """Add or update a technical document; the file's type and size are checked before anything is written."""
    require_step(actor, "knowledge.edit")
    document = document or TechnicalDocument(added_by=actor)
    return _save(
        document, fields=fields, search=lambda d: (d.title, d.brand, d.model_ref, d.get_kind_display())
    )


@transaction.atomic
def knowledge_learn(
    *,
    family: str,
    text: str,
    cause: Cause | None = None,
    cause_label: str = "",
    brand: str = "",
    model_ref: str = "",
    error_code: str = "",
    source: str = "",
) -> ConfirmedCause:
    """Record the confirmed cause of a closed repair and add it to the family's learned index at once.

    Called by the dossier's closing step (next session) with the customer's words and the findings; `source`
    (the dossier number) makes learning the same dossier twice impossible (named unique constraint).
    """
    label = cause.title if cause else cause_label.strip()
    confirmed = ConfirmedCause(
        family=family,
        brand=brand.strip(),
        model_ref=model_ref.strip(),
        error_code=error_code.strip(),
        text=text,
        cause=cause,
        cause_label=label,
        source=source,
    )
    confirmed.full_clean()
    confirmed.save()
    _index_add(family, [(confirmed, label)])
    return confirmed


def _features_of(confirmed: ConfirmedCause) -> set[str]:
    return features(
        confirmed.text, brand=confirmed.brand, model_ref=confirmed.model_ref, error_code=confirmed.error_code
    )


def _cause_keys(family: str, labels) -> dict[str, str]:
    """Key of each cause in LearnedFeature.counts: the LearnedCause id (short keys keep rows small)."""
    for label in labels:
        LearnedCause.objects.get_or_create(family=family, cause_label=label)
    rows = LearnedCause.objects.filter(family=family, cause_label__in=list(labels)).values_list(
        "cause_label", "pk"
    )
    return {label: str(pk) for label, pk in rows}


def _index_add(family: str, items) -> None:
    """Add dossiers to the index under the family's lock row (learning of one family is serialised)."""
    LearnedFamily.objects.get_or_create(family=family)
    (state,) = lock_rows(LearnedFamily.objects.filter(family=family))
    keys = _cause_keys(family, {label for _, label in items})
    delta: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    per_cause: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for confirmed, label in items:
        feats = _features_of(confirmed)
        for f in feats:
            delta[f][keys[label]] += 1
        per_cause[label][0] += 1
        per_cause[label][1] += len(feats)
    existing = {
        row.feature: row for row in LearnedFeature.objects.filter(family=family, feature__in=list(delta))
    }
    new_rows = []
    for f, counts in delta.items():
        row = existing.get(f) or LearnedFeature(family=family, feature=f, counts={})
        for key, n in counts.items():
            row.counts[key] = row.counts.get(key, 0) + n
            row.total += n
        if f not in existing:
            new_rows.append(row)
    LearnedFeature.objects.bulk_update(list(existing.values()), ["total", "counts"], batch_size=500)
    LearnedFeature.objects.bulk_create(new_rows, batch_size=1000)
    for label, (dossiers, feats_total) in per_cause.items():
        LearnedCause.objects.filter(family=family, cause_label=label).update(
            dossiers=F("dossiers") + dossiers, feature_total=F("feature_total") + feats_total
        )
    state.dossiers += len(items)
    state.vocabulary += len(new_rows)
    state.save(update_fields=["dossiers", "vocabulary"])


@transaction.atomic
def knowledge_reindex(*, family: str) -> int:
    """Rebuild a family's learned index from its confirmed causes (after a bulk import, or a feature change).

    Counts are summed in memory and written in bulk: the result is the same as learning each dossier in turn.
    """
    LearnedFamily.objects.get_or_create(family=family)
    (state,) = lock_rows(LearnedFamily.objects.filter(family=family))
    LearnedFeature.objects.filter(family=family).delete()
    LearnedCause.objects.filter(family=family).update(dossiers=0, feature_total=0)  # ids stay: keys of counts
    counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    per_cause: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    labels = ConfirmedCause.objects.filter(family=family).values_list("cause_label", flat=True).distinct()
    keys = _cause_keys(family, labels)
    rows = ConfirmedCause.objects.filter(family=family).order_by("pk")
    for confirmed in rows.iterator(chunk_size=2000):
        feats = _features_of(confirmed)
        key = keys[confirmed.cause_label]
        for f in feats:
            counts[f][key] += 1
        per_cause[confirmed.cause_label][0] += 1
        per_cause[confirmed.cause_label][1] += len(feats)
    LearnedFeature.objects.bulk_create(
        (
            LearnedFeature(family=family, feature=f, total=sum(per.values()), counts=dict(per))
            for f, per in counts.items()
        ),
        batch_size=2000,
    )
    for label, (n, total) in per_cause.items():
        LearnedCause.objects.filter(family=family, cause_label=label).update(dossiers=n, feature_total=total)
    state.dossiers = sum(n for n, _ in per_cause.values())
    state.vocabulary = len(counts)
    state.save(update_fields=["dossiers", "vocabulary"])
    if connection.vendor == "postgresql":
        # A rebuilt index is a new table for the planner: without fresh statistics PostgreSQL scans the whole
        # family instead of looking up each feature (measured: 65 ms instead of 13 ms per suggestion).
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE knowledge_learnedfeature")
    return state.dossiers
