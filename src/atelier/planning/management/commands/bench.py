"""`atelier bench dispatch --solomon DIR --seconds S [--field 40x400 …]`: the planning benchmark."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from atelier.planning import bench


class Command(BaseCommand):
    requires_system_checks: list = []  # pure computation: no database, no URL

    help = (
        "Mesure l'optimiseur de tournées : instances Solomon (écart à la meilleure solution connue, OR-Tools "
        "en comparaison) et journées de terrain générées, contrôlées par le vérificateur indépendant."
    )

    def add_arguments(self, parser):
        parser.add_argument("what", choices=["dispatch"], help="ce qui est mesuré : dispatch (tournées)")
        parser.add_argument(
            "--solomon", type=Path, help="dossier des instances Solomon (*.vrptw, best-known.csv)"
        )
        parser.add_argument("--seconds", type=float, default=30.0, help="temps de calcul par instance (s)")
        parser.add_argument("--only", default="", help="instances à résoudre, séparées par des virgules")
        parser.add_argument(
            "--field",
            action="append",
            default=[],
            help="journée de terrain générée TECHxVISITES:SECONDES, ex. 40x400:25 (répétable)",
        )
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--jobs",
            type=int,
            default=1,
            help="instances Solomon résolues en même temps, chacune sur un cœur (défaut 1)",
        )

    def handle(self, *args, what, solomon, seconds, only, field, seed, jobs, **options):
        if solomon is None and not field:
            raise CommandError("Indiquez --solomon DOSSIER et/ou --field TECHxVISITES:SECONDES.")
        out = self.stdout.write
        for spec in field:
            try:
                size, _, budget = spec.partition(":")
                techs, visits = (int(x) for x in size.lower().split("x"))
                budget = float(budget) if budget else seconds
            except ValueError:
                raise CommandError(f"--field illisible : « {spec} » (attendu 40x400:25).") from None
            bench.field(techs, visits, budget, seed=seed, out=out)
        if solomon is not None:
            if not (solomon / "best-known.csv").exists():
                raise CommandError(f"{solomon} : best-known.csv introuvable.")
            names = [n.strip() for n in only.split(",") if n.strip()] or None
            bench.solomon(solomon, seconds, only=names, seed=seed, jobs=max(1, jobs), out=out)
