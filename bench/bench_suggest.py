"""Pre-diagnosis suggestions: latency of one suggestion with many closed dossiers learned.

    /tmp/v/bin/python bench/bench_suggest.py [--dossiers 100000] [--runs 200]

Builds a throw-away database (SQLite in a temporary folder, or PostgreSQL when DATABASE_URL is set: use a
database of its own, e.g. postgres://postgres@127.0.0.1:5432/atelier_bench — it is flushed), generates closed
washing-machine dossiers from the shipped knowledge base (a cause, one of its symptoms, words of its
explanation, a brand, a model reference, an error code, customer-style filler and typos), stores them as
confirmed causes, builds the learned index (knowledge_reindex, the same code as knowledge_learn), then times
suggest() for new dossiers and prints the median and 95th percentile in ms.
"""

import argparse
import os
import random
import statistics
import sys
import time

from benchsetup import django_for_bench  # bench/ is sys.path[0] when run as a script

BRANDS = ["Bosch", "Siemens", "Whirlpool", "Samsung", "LG", "Electrolux", "AEG", "Beko", "Candy", "Miele"]
FILLER = (
    "depuis hier ce matin la machine fait encore toujours après le cycle coton programme rapide bruit "
    "eau linge tambour porte voyant clignote code affiche plus rien marche pas depuis semaine déménagement "
    "coupure courant installé cuisine garage sous-sol achetée occasion neuve garantie enfant couette"
).split()


def typo(word: str, rng: random.Random) -> str:
    if len(word) > 4 and rng.random() < 0.15:
        i = rng.randrange(1, len(word) - 1)
        return word[:i] + word[i + 1 :]
    return word


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dossiers", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=200)
    args = parser.parse_args()

    django_for_bench()
    from django.core.management import call_command

    from atelier.knowledge.models import Cause, ConfirmedCause, ErrorCode, LearnedFamily, LearnedFeature
    from atelier.knowledge.seed import load_base
    from atelier.knowledge.services import knowledge_reindex
    from atelier.knowledge.suggest import suggest

    if os.environ.get("DATABASE_URL"):
        call_command("flush", interactive=False, verbosity=0)
        load_base()  # flush empties the seeded knowledge base too
    family = "lave_linge"
    rng = random.Random(11)
    causes = list(Cause.objects.filter(family=family).prefetch_related("symptoms", "error_codes"))
    weights = [rng.uniform(0.2, 3.0) for _ in causes]

    def dossier():
        cause = rng.choices(causes, weights)[0]
        symptoms = list(cause.symptoms.all()) or [None]
        symptom = rng.choice(symptoms)
        codes = list(cause.error_codes.all())
        code = rng.choice(codes) if codes and rng.random() < 0.3 else None
        words = (symptom.title if symptom else cause.title).lower().split()
        words += rng.sample(cause.description.lower().split(), k=min(4, len(cause.description.split())))
        words += rng.choices(FILLER, k=rng.randint(3, 12))
        rng.shuffle(words)
        brand = code.brand if code else rng.choice(BRANDS)
        model_ref = f"{brand[:2].upper()}{rng.randint(100, 999)}{rng.choice('ABCDEFGH')}"
        return cause, brand, model_ref, code.code if code else "", " ".join(typo(w, rng) for w in words)

    started = time.perf_counter()
    batch = []
    for i in range(args.dossiers):
        cause, brand, model_ref, code, text = dossier()
        batch.append(
            ConfirmedCause(
                family=family,
                brand=brand,
                model_ref=model_ref,
                error_code=code,
                text=text,
                cause=cause,
                cause_label=cause.title,
                source=f"BNCH-{i:06d}",
            )
        )
        if len(batch) == 5000:
            ConfirmedCause.objects.bulk_create(batch)
            batch = []
    ConfirmedCause.objects.bulk_create(batch)
    learned = knowledge_reindex(family=family)
    state = LearnedFamily.objects.get(family=family)
    print(
        f"{learned} dossiers appris en {time.perf_counter() - started:.0f} s : {state.vocabulary} traits, "
        f"{LearnedFeature.objects.filter(family=family).count()} lignes d'index",
        file=sys.stderr,
    )
    assert ErrorCode.objects.filter(family=family).exists()

    timings, hits = [], 0
    for _ in range(args.runs):
        cause, brand, model_ref, code, text = dossier()
        t0 = time.perf_counter()
        result = suggest(family=family, brand=brand, model_ref=model_ref, error_code=code, text=text)
        timings.append((time.perf_counter() - t0) * 1000)
        hits += cause.title in [s.label for s in result[:3]]
    timings.sort()
    p95 = timings[int(len(timings) * 0.95) - 1]
    print(
        f"dossiers appris : {learned}  ·  {args.runs} suggestions  ·  cause dans le top 3 : {hits / args.runs:.0%}"
    )
    print(f"latence par dossier : médiane {statistics.median(timings):.1f} ms, p95 {p95:.1f} ms")


if __name__ == "__main__":
    main()
