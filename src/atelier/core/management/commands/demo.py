"""`atelier demo`: create the demonstration data, or refresh its logins when it is already there."""

from django.core.management.base import BaseCommand

from atelier.demo import load_demo


class Command(BaseCommand):
    help = ("Crée les données de démonstration (sites, comptes, clients, appareils, dossiers) "
            "et affiche les comptes.")

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=2026,
                            help="Graine du tirage (même graine, mêmes données).")
        parser.add_argument("--customers", type=int, default=200, help="Nombre de clients (200 par défaut).")

    def handle(self, *args, seed: int, customers: int, **options):
        load_demo(stdout=self.stdout, seed=seed, customers=customers)
