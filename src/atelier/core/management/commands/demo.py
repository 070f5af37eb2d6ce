"""`atelier demo`: create the demonstration data, or refresh its logins when it is already there."""

from django.core.management.base import BaseCommand, CommandError

from atelier.demo import load_demo
from atelier.demo.loader import FULL_CUSTOMERS, MIN_CUSTOMERS


class Command(BaseCommand):
    help = (
        "Crée les données de démonstration (sites, comptes, clients, appareils, dossiers) "
        "et affiche les comptes."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--seed", type=int, default=2026, help="Graine du tirage (même graine, mêmes données)."
        )
        parser.add_argument(
            "--customers",
            type=int,
            default=FULL_CUSTOMERS,
            help=f"Nombre de clients ({FULL_CUSTOMERS} par défaut).",
        )

    def handle(self, *args, seed: int, customers: int, **options):
        if customers < MIN_CUSTOMERS:
            raise CommandError(f"Il faut au moins {MIN_CUSTOMERS} clients de démonstration.")
        load_demo(stdout=self.stdout, seed=seed, customers=customers)
