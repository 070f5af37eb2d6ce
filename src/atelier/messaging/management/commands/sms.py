"""`atelier sms test +33612345678 [--text …]`: send one SMS through the configured provider, now, and say what
it answered (accepted with its reference, or the failure and why). Nothing is written to the outbox."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from atelier.messaging.providers.base import Outgoing, ProviderFailure, TemporaryFailure, provider_for


class Command(BaseCommand):
    help = "Essai du prestataire SMS : « atelier sms test +33612345678 »."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        test = actions.add_parser("test", help="Envoyer un SMS d'essai.")
        test.add_argument("number", help="Numéro du destinataire (+33…, 06…).")
        test.add_argument("--text", default="Atelier : SMS d'essai du prestataire.", help="Texte du SMS.")

    def handle(self, *args, action, number, text, **options):
        provider = provider_for("sms")
        self.stdout.write(f"Prestataire : {provider.name} ({settings.ATELIER_SMS_PROVIDER})")
        try:
            accepted = provider.send(Outgoing(channel="sms", recipient=number, body=text, reference="essai"))
        except ProviderFailure as failure:
            kind = "temporaire" if isinstance(failure, TemporaryFailure) else "définitif"
            raise CommandError(f"Échec {kind} : {failure.reason}") from failure
        self.stdout.write(
            self.style.SUCCESS(f"Accepté par {accepted.provider}, référence {accepted.provider_id}.")
        )
