"""Honest measure of the suggester on a labelled file (ORDS « quests » format): learn on a random 80 %,
measure on the other 20 % (fixed seed), next to a plain baseline (TF-IDF + logistic regression)."""

import csv
import random
from dataclasses import dataclass
from pathlib import Path

from atelier.core.errors import AtelierError
from atelier.knowledge.suggest import MemoryIndex
from atelier.knowledge.text import features

TEXT_COLUMNS = ("problem", "text", "texte")
LABEL_COLUMNS = ("fault_type", "step_barrier", "label", "cause")
UNKNOWN_BRANDS = {"", "unknown", "inconnu", "none", "n/a", "other", "?"}


@dataclass
class Row:
    text: str
    label: str
    brand: str
    kind: str = ""


@dataclass
class Result:
    rows: int
    labels: int
    train: int
    test: int
    atelier_top1: float
    atelier_top3: float
    baseline_top1: float
    baseline_top3: float


def read_labelled(path: Path) -> list[Row]:
    try:
        with open(path, encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle)
            columns = reader.fieldnames or []
            text_col = next((c for c in TEXT_COLUMNS if c in columns), None)
            label_col = next((c for c in LABEL_COLUMNS if c in columns), None)
            if not text_col or not label_col:
                raise AtelierError(
                    f"Colonnes attendues : un texte ({', '.join(TEXT_COLUMNS)}) et une panne "
                    f"({', '.join(LABEL_COLUMNS)}) ; trouvées : {', '.join(columns) or 'aucune'}."
                )
            rows = []
            for record in reader:
                label = (record.get(label_col) or "").strip()
                if not label:
                    continue
                brand = (record.get("brand") or "").strip()
                brand = "" if brand.lower() in UNKNOWN_BRANDS else brand
                kind = (record.get("product_category") or "").strip()
                rows.append(Row((record.get(text_col) or "").strip(), label, brand, kind))
            return rows
    except FileNotFoundError:
        raise AtelierError(f"Fichier introuvable : {path}") from None
    except UnicodeDecodeError:
        raise AtelierError(f"Le fichier {path} n'est pas en UTF-8.") from None


def split(rows: list[Row], *, seed: int, train_share: float = 0.8) -> tuple[list[Row], list[Row]]:
    order = list(range(len(rows)))
    random.Random(seed).shuffle(order)
    cut = int(len(rows) * train_share)
    return [rows[i] for i in order[:cut]], [rows[i] for i in order[cut:]]


def _accuracy(rankings: list[list[str]], truth: list[str]) -> tuple[float, float]:
    top1 = sum(r[:1] == [t] for r, t in zip(rankings, truth, strict=True)) / len(truth)
    top3 = sum(t in r[:3] for r, t in zip(rankings, truth, strict=True)) / len(truth)
    return top1, top3


def atelier_rankings(train: list[Row], test: list[Row]) -> list[list[str]]:
    index = MemoryIndex()
    for row in train:
        index.learn(features(row.text, brand=row.brand, model_ref=row.kind), row.label)
    return [index.rank(features(row.text, brand=row.brand, model_ref=row.kind)) for row in test]


def baseline_rankings(train: list[Row], test: list[Row]) -> list[list[str]]:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    vectoriser = TfidfVectorizer()
    model = LogisticRegression(max_iter=1000)
    model.fit(vectoriser.fit_transform([r.text for r in train]), [r.label for r in train])
    probabilities = model.predict_proba(vectoriser.transform([r.text for r in test]))
    classes = list(model.classes_)
    return [[classes[i] for i in sorted(range(len(classes)), key=lambda i: -p[i])[:3]] for p in probabilities]


def evaluate(path: Path, *, seed: int = 42) -> Result:
    rows = read_labelled(path)
    labels = {r.label for r in rows}
    if len(rows) < 10 or len(labels) < 2:
        raise AtelierError("Il faut au moins 10 lignes étiquetées et 2 pannes différentes pour mesurer.")
    train, test = split(rows, seed=seed)
    if len({r.label for r in train}) < 2:
        raise AtelierError("La part d'apprentissage ne contient qu'une seule panne : fichier trop petit.")
    truth = [r.label for r in test]
    a1, a3 = _accuracy(atelier_rankings(train, test), truth)
    b1, b3 = _accuracy(baseline_rankings(train, test), truth)
    return Result(len(rows), len(labels), len(train), len(test), a1, a3, b1, b3)
