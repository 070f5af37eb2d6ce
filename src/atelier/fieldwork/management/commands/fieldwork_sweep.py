"""`atelier fieldwork_sweep`: quarantine every tool whose check is overdue (run daily, e.g. by cron at 6:00)."""

from django.core.management.base import BaseCommand

from atelier.fieldwork.services import quarantine_overdue


class Command(BaseCommand):
    help = "Met en quarantaine les outils dont le contrôle périodique est échu et prévient le responsable."

    def handle(self, *args, **options):
        count = quarantine_overdue()
        self.stdout.write(f"Outils mis en quarantaine pour contrôle échu : {count}.")
