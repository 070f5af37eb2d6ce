"""Ranks the likely causes of a dossier's fault, with a confidence.

Two sources, added up:
1. What was learned from the confirmed causes of closed repairs (`ConfirmedCause`, fed by the service
   `knowledge_learn`). The text of each dossier (customer's words and findings, any language) becomes a set
   of features (knowledge.text.features: words, character n-grams, word pairs, brand / model / error-code
   tags). For each family the index keeps, per feature, how many dossiers of each cause carried it
   (`LearnedFeature`), and per cause its dossier and feature totals (`LearnedCause`). Learning one dossier
   updates a few hundred rows; nothing is retrained by a developer.
   Scoring is Complement Naive Bayes (Rennie et al. 2003, the variant that copes with uneven causes) on
   those counts, normalised by the number of known features, turned into z-scores across causes, plus a
   share of the log prior of each cause so frequent causes keep their place in the top three.
2. The knowledge base: the causes of the error code shown, and of the symptoms chosen or recognised in the
   free text.

The same `rank_counts` function scores the in-memory index used by `atelier eval prediag` and the rows read
from the database, so the measured method is the shipped one.
"""

import math
from collections import defaultdict
from dataclasses import dataclass, field

from django.utils.translation import ngettext

from atelier.core.wording import plural_count
from atelier.knowledge.text import features, normalise_label, query_stems

ALPHA = 1.0  # additive smoothing of the counts
PRIOR_WEIGHT = 0.5  # weight of log P(cause) next to the z-scored text evidence
WORD_WEIGHT = 4.0  # weight of whole-word, word-pair and tag features next to one character n-gram
ERROR_CODE_BOOST = 2.0  # causes listed for the error code shown
SYMPTOM_BOOST = 1.0  # causes of a symptom chosen by staff, or recognised in the free text


@dataclass
class Suggestion:
    label: str
    confidence: float
    cause: object | None = None
    learned_from: int = 0
    reasons: list[str] = field(default_factory=list)

    @property
    def percent(self) -> int:
        return round(self.confidence * 100)


def rank_counts(
    query: set[str],
    feature_rows: dict[str, tuple[int, dict[str, int]]],
    causes: dict[str, tuple[int, int]],
    vocabulary: int,
) -> dict[str, float]:
    """Score every learned cause for the query's features.

    feature_rows: feature -> (dossiers carrying it, {cause: dossiers of that cause carrying it}), for the
    query's features that are known; causes: cause -> (dossiers, total features); vocabulary: distinct
    features of the family. Returns cause -> score (higher is likelier); empty when nothing was learned.
    """
    if not causes:
        return {}
    dossiers = sum(n for n, _ in causes.values())
    if len(causes) == 1:
        return dict.fromkeys(causes, 0.0)
    grand_total = sum(t for _, t in causes.values())
    known = [f for f in query if f in feature_rows]
    labels = list(causes)
    raw = dict.fromkeys(labels, 0.0)
    if known:
        # For each cause: Σ_f w_f [log(comp_total_c + αV) - log(total_f - n_cf + α)], written so that only
        # the (feature, cause) pairs actually counted are visited: log(total_f + α), the term of a cause that
        # never carried the feature, is the same for every cause and vanishes in the z-scores below.
        weights = 0.0
        for f in known:
            total, per_cause = feature_rows[f]
            weight = WORD_WEIGHT if f[1] == ":" or f.startswith(("brand:", "model:", "code:")) else 1.0
            weights += weight
            absent = math.log(total + ALPHA)
            for c, n in per_cause.items():
                if c in raw:
                    raw[c] += weight * (absent - math.log(total - n + ALPHA))
        for c in labels:
            raw[c] = raw[c] / weights + math.log(grand_total - causes[c][1] + ALPHA * vocabulary)
        mean = sum(raw.values()) / len(raw)
        std = math.sqrt(sum((v - mean) ** 2 for v in raw.values()) / len(raw)) or 1.0
        raw = {c: (v - mean) / std for c, v in raw.items()}
    return {c: raw[c] + PRIOR_WEIGHT * math.log(causes[c][0] / dossiers) for c in labels}


class MemoryIndex:
    """The learned index held in memory: for the evaluation command and the benchmark's checks."""

    def __init__(self):
        self.features: dict[str, list] = {}
        self.causes: dict[str, list[int]] = defaultdict(lambda: [0, 0])

    def learn(self, feats: set[str], label: str) -> None:
        for f in feats:
            row = self.features.setdefault(f, [0, defaultdict(int)])
            row[0] += 1
            row[1][label] += 1
        self.causes[label][0] += 1
        self.causes[label][1] += len(feats)

    def rank(self, feats: set[str]) -> list[str]:
        rows = {f: (self.features[f][0], self.features[f][1]) for f in feats if f in self.features}
        scores = rank_counts(feats, rows, {c: tuple(v) for c, v in self.causes.items()}, len(self.features))
        return sorted(scores, key=lambda c: (-scores[c], c))


def _softmax(scores: dict[str, float]) -> dict[str, float]:
    top = max(scores.values())
    exp = {k: math.exp(v - top) for k, v in scores.items()}
    total = sum(exp.values())
    return {k: v / total for k, v in exp.items()}


# Words that say nothing about the fault, left out when recognising a symptom's title in free text.
STOP_STEMS = {
    "pas",
    "plus",
    "les",
    "des",
    "une",
    "dan",
    "sur",
    "par",
    "pour",
    "tres",
    "qui",
    "que",
    "est",
    "son",
    "ses",
}


def recognised_symptoms(family: str, text: str) -> dict[str, list[str]]:
    """Symptoms of the family whose title's useful words all appear (stemmed) in the free text:
    {symptom title: [titles of its causes]}, read in one query."""
    from atelier.knowledge.models import Symptom

    stems = set(query_stems(text))
    found: dict[str, list[str]] = {}
    if not stems:
        return found
    links = Symptom.causes.through.objects.filter(symptom__family=family).values_list(
        "symptom__title", "cause__title"
    )
    for symptom, cause in links:
        if symptom not in found:
            title = [s for s in query_stems(symptom) if len(s) > 2 and s not in STOP_STEMS]
            found[symptom] = [] if title and all(s in stems for s in title) else None
        if found[symptom] is not None:
            found[symptom].append(cause)
    return {symptom: causes for symptom, causes in found.items() if causes is not None}


def suggest(
    *,
    family: str,
    brand: str = "",
    model_ref: str = "",
    error_code: str = "",
    text: str = "",
    symptoms=(),
    limit: int = 5,
) -> list[Suggestion]:
    """The likeliest causes for a dossier, best first, with confidences that add up to 1 over all candidates."""
    from atelier.knowledge.models import Cause, ErrorCode, LearnedCause, LearnedFamily, LearnedFeature

    feats = features(text, brand=brand, model_ref=model_ref, error_code=error_code)
    learned = LearnedCause.objects.filter(family=family, dossiers__gt=0).values_list(
        "pk", "cause_label", "dossiers", "feature_total"
    )
    names = {str(pk): label for pk, label, _, _ in learned}
    by_key = {str(pk): (n, total) for pk, _, n, total in learned}
    causes = {label: (n, total) for _, label, n, total in learned}
    scores: dict[str, float] = {}
    if by_key:
        rows = {
            f: (total, counts)
            for f, total, counts in LearnedFeature.objects.filter(
                family=family, feature__in=feats
            ).values_list("feature", "total", "counts")
        }
        vocabulary = (
            LearnedFamily.objects.filter(family=family).values_list("vocabulary", flat=True).first() or 0
        )
        scores = {names[k]: v for k, v in rank_counts(feats, rows, by_key, vocabulary).items()}
    reasons: dict[str, list[str]] = defaultdict(list)
    for label in scores:
        n = causes[label][0]
        reasons[label].append(
            ngettext("%(n)s dossier clôturé", "%(n)s dossiers clôturés", plural_count(n)) % {"n": n}
        )
    floor = min(scores.values()) if scores else 0.0
    boosts: dict[str, float] = defaultdict(float)
    kb_causes: dict[str, Cause] = {}
    if error_code:
        code = ErrorCode.objects.filter(family=family, code__iexact=error_code.strip()).prefetch_related(
            "causes"
        )
        key = normalise_label(brand)
        for entry in code:
            if key and normalise_label(entry.brand) != key:
                continue
            for cause in entry.causes.all():
                kb_causes[cause.title] = cause
                boosts[cause.title] += ERROR_CODE_BOOST
                reasons[cause.title].append(f"code {entry.code} ({entry.brand})")
    chosen = {symptom.title: [cause.title for cause in symptom.causes.all()] for symptom in symptoms}
    for symptom, titles in {**recognised_symptoms(family, text), **chosen}.items():
        for title in titles:
            boosts[title] += SYMPTOM_BOOST
            reasons[title].append(f"symptôme « {symptom} »")
    final = {label: scores.get(label, floor) + boosts.get(label, 0.0) for label in {*scores, *boosts}}
    if not final:
        return []
    confidence = _softmax(final)
    ranked = sorted(final, key=lambda c: (-final[c], c))[:limit]
    missing = [c for c in ranked if c not in kb_causes]
    if missing:
        kb_causes.update({c.title: c for c in Cause.objects.filter(family=family, title__in=missing)})
    return [
        Suggestion(
            label=c,
            confidence=confidence[c],
            cause=kb_causes.get(c),
            learned_from=causes.get(c, (0, 0))[0],
            reasons=list(dict.fromkeys(reasons[c])),
        )
        for c in ranked
    ]
