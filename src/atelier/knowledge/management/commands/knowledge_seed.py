"""`atelier knowledge_seed`: load or refresh the shipped starting knowledge base (migrations already do it)."""

from django.core.management.base import BaseCommand
from django.db import transaction

from atelier.knowledge.seed import load_base


class Command(BaseCommand):
    help = "Charge ou met à jour la base technique de départ (symptômes, causes, codes erreur, contrôles)."

    def handle(self, *args, **options):
        with transaction.atomic():
            counts = load_base()
        self.stdout.write(
            "Base technique chargée : {causes} causes, {symptoms} symptômes, {error_codes} codes erreur, "
            "{checks} contrôles, {safety} consignes.".format(**counts)
        )
