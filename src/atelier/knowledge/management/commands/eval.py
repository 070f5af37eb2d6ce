"""`atelier eval prediag FILE.csv`: measure the pre-diagnosis suggester against a plain baseline."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from atelier.core.errors import AtelierError
from atelier.knowledge.evaluation import evaluate


class Command(BaseCommand):
    help = (
        "Mesure les suggestions de causes sur un fichier étiqueté (texte du problème, panne) : "
        "apprentissage sur 80 % tirés au hasard, mesure sur les 20 % restants, comparaison à TF-IDF + "
        "régression logistique."
    )

    def add_arguments(self, parser):
        parser.add_argument("what", choices=["prediag"], help="ce qui est mesuré : prediag (pré-diagnostic)")
        parser.add_argument("file", type=Path, help="fichier CSV étiqueté (format ORDS « quests »)")
        parser.add_argument("--seed", type=int, default=42, help="graine du tirage 80 / 20 (42 par défaut)")

    def handle(self, *args, what: str, file: Path, seed: int, **options):
        try:
            result = evaluate(file, seed=seed)
        except AtelierError as exc:
            raise CommandError(exc.message) from None
        out = self.stdout.write
        out(
            f"{file.name} : {result.rows} lignes étiquetées, {result.labels} pannes ; "
            f"apprentissage {result.train}, mesure {result.test} (graine {seed})"
        )
        out(f"atelier   top1={result.atelier_top1:.2f} top3={result.atelier_top3:.2f}")
        out(f"baseline  top1={result.baseline_top1:.2f} top3={result.baseline_top3:.2f}")
        out(f"top3 atelier={result.atelier_top3:.2f} baseline={result.baseline_top3:.2f}")
