"""`atelier journal verify`: check the whole hash chain of the billing journal."""

from django.core.management.base import BaseCommand, CommandError

from atelier.billing.journal import journal_verify


class Command(BaseCommand):
    help = "Journal de facturation chaîné : « verify » vérifie toute la chaîne (code de sortie non nul si rompue)."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["verify"], help="verify : vérifier la chaîne")

    def handle(self, *args, action, **options):
        verdict = journal_verify()
        if not verdict.ok:
            raise CommandError(f"journal rompu : {verdict.message}")
        self.stdout.write(verdict.message)
