"""`atelier journal ACTION`: the billing journal's commands, one small function per action.

- verify: check the whole hash chain (non-zero exit when broken).
- close-due [--site CODE] [--until YYYY-MM-DD]: close every day, month and year due up to yesterday (run daily
  by cron or the scheduler); one line per closure made.
"""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from atelier.billing.closures import closures_close_due
from atelier.billing.journal import journal_verify
from atelier.core.errors import AtelierError
from atelier.core.models import Site


class Command(BaseCommand):
    help = (
        "Journal de facturation chaîné : « verify » vérifie toute la chaîne (code de sortie non nul si rompue) ; "
        "« close-due » clôture les jours, mois et années échus (jusqu'à hier par défaut)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "action",
            choices=["verify", "close-due"],
            help="verify : vérifier la chaîne ; close-due : clôturer les périodes échues",
        )
        parser.add_argument("--site", help="close-due : code du site (par défaut : tous les sites)")
        parser.add_argument(
            "--until", help="close-due : dernier jour à clôturer, AAAA-MM-JJ (par défaut : hier)"
        )

    def handle(self, *args, action, **options):
        {"verify": self.verify, "close-due": self.close_due}[action](**options)

    def verify(self, **options):
        verdict = journal_verify()
        if not verdict.ok:
            raise CommandError(f"journal rompu : {verdict.message}")
        self.stdout.write(verdict.message)

    def close_due(self, *, site=None, until=None, **options):
        yesterday = timezone.localdate() - datetime.timedelta(days=1)
        try:
            last = datetime.date.fromisoformat(until) if until else yesterday
        except ValueError as exc:
            raise CommandError(f"date invalide : {until} (attendu AAAA-MM-JJ)") from exc
        sites = Site.objects.order_by("code")
        if site:
            sites = sites.filter(code=site)
            if not sites.exists():
                raise CommandError(f"site inconnu : {site}")
        for one in sites:
            try:
                made = closures_close_due(site=one, until=last)
            except AtelierError as exc:
                raise CommandError(f"{one.code} : {exc.message}") from exc
            for closure in made:
                self.stdout.write(_line(closure))
            if not made:
                self.stdout.write(f"{one.code} : rien à clôturer jusqu'au {last:%d/%m/%Y}")


def _euros(amount) -> str:
    return f"{amount:.2f} €".replace(".", ",")


def _line(closure) -> str:
    span = f"{closure.start:%d/%m/%Y}"
    if closure.end != closure.start:
        span += f" – {closure.end:%d/%m/%Y}"
    return (
        f"{closure.site.code} : clôture {closure.get_period_display().lower()} {span} · net {_euros(closure.net_ttc)}"
        f" · grand total perpétuel {_euros(closure.grand_total)}"
    )
