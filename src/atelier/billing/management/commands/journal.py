"""`atelier journal …`: the billing journal's operator commands.

- `verify [--site CODE]`: every chain, signature and document; last line « journal ok: N entries », else the
  problems one per line and a non-zero exit code.
- `public-key`: the public key (and its id) that verifies the entries and archives signed today.
"""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from atelier.billing import signing
from atelier.billing.verify import journal_verify
from atelier.core.models import Site


class Command(BaseCommand):
    help = "Journal de facturation : verify (vérifier chaînes, signatures et documents), public-key."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        verify = sub.add_parser("verify", help=_("vérifier les chaînes, les signatures et les documents"))
        verify.add_argument("--site", help=_("code du site (tous par défaut)"))
        sub.add_parser("public-key", help=_("afficher la clé publique de signature et son identifiant"))

    def handle(self, *args, action, **options):
        getattr(self, "do_" + action.replace("-", "_"))(**options)

    def do_verify(self, *, site=None, **options):
        verdict = journal_verify(sites=[site_by_code(site)] if site else None)
        if not verdict.ok:
            for problem in verdict.problems[1:]:
                self.stderr.write(problem)
            raise CommandError(_("journal rompu : %(m)s") % {"m": verdict.message})
        self.stdout.write(verdict.message)

    def do_public_key(self, **options):
        self.stdout.write(f"{signing.current_key_id()} {signing.public_key_text()}")


def site_by_code(code: str) -> Site:
    site = Site.objects.filter(code=code).first()
    if site is None:
        raise CommandError(_("Site inconnu : %(c)s.") % {"c": code})
    return site
