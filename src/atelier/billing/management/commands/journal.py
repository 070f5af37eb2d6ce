"""`atelier journal …`: the billing journal's operator commands.

- `verify [--site CODE]`: every chain, signature and document; last line « journal ok: N entries », else the
  problems one per line and a non-zero exit code.
- `public-key`: the public key (and its id) that verifies the entries and archives signed today.
- `archive --site CODE --from AAAA-MM-JJ --to AAAA-MM-JJ --out FICHIER.zip`: the period's signed archive
  (billing/archive.py); `verify-archive FICHIER.zip [--public-key BASE64]` checks one offline, and
  `verify --against FICHIER.zip` checks the database against one (billing/archive_check.py).
- `close-due [--site CODE] [--until AAAA-MM-JJ]`: close every day, month and year due up to yesterday (run daily
  by cron or the scheduler); one line per closure made.
"""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from atelier.billing import signing
from atelier.billing.archive import archive_write, parse_day
from atelier.billing.archive_check import archive_against, archive_read
from atelier.billing.closures import closures_close_due
from atelier.billing.verify import journal_verify
from atelier.core.errors import AtelierError
from atelier.core.models import Site


class Command(BaseCommand):
    help = (
        "Journal de facturation : verify (chaînes, signatures, documents), public-key, archive, verify-archive, "
        "close-due (clôturer les jours, mois et années échus, jusqu'à hier par défaut)."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        verify = sub.add_parser("verify", help=_("vérifier les chaînes, les signatures et les documents"))
        verify.add_argument("--site", help=_("code du site (tous par défaut)"))
        verify.add_argument(
            "--against", metavar="FICHIER.zip", help=_("comparer aussi la base à une archive signée")
        )
        sub.add_parser("public-key", help=_("afficher la clé publique de signature et son identifiant"))
        archive = sub.add_parser(
            "archive", help=_("écrire l'archive signée d'une période clôturée d'un site")
        )
        archive.add_argument("--site", required=True, help=_("code du site"))
        archive.add_argument(
            "--from", dest="first", required=True, metavar="AAAA-MM-JJ", help=_("premier jour")
        )
        archive.add_argument("--to", dest="last", required=True, metavar="AAAA-MM-JJ", help=_("dernier jour"))
        archive.add_argument("--out", required=True, metavar="FICHIER.zip", help=_("fichier à écrire"))
        check = sub.add_parser("verify-archive", help=_("vérifier une archive signée, hors ligne"))
        check.add_argument("file", metavar="FICHIER.zip")
        check.add_argument(
            "--public-key",
            metavar="BASE64",
            help=_("clé publique de l'archive (par défaut : celles des réglages)"),
        )
        close = sub.add_parser("close-due", help=_("clôturer les jours, mois et années échus"))
        close.add_argument("--site", help=_("code du site (par défaut : tous les sites)"))
        close.add_argument("--until", help=_("dernier jour à clôturer, AAAA-MM-JJ (par défaut : hier)"))

    def handle(self, *args, action, **options):
        getattr(self, "do_" + action.replace("-", "_"))(**options)

    def do_verify(self, *, site=None, against=None, **options):
        found: list[str] = []
        if against:
            # the archive first: a rewritten or cut database can still be consistent with itself
            archive = checked(lambda: archive_read(against))
            found = archive_against(archive)
            if not found:
                info = archive.manifest["entries"]
                self.stdout.write(
                    _("archive %(f)s : écritures n° %(a)s à %(b)s du site %(s)s retrouvées inchangées")
                    % {"f": against, "a": info["first_seq"], "b": info["last_seq"], "s": archive.site_code}
                )
        chosen = [site_by_code(site)] if site else None
        # recorded on each site's checkpoint (the accountant's page shows it); a retired key that is not one: said so
        verdict = checked(lambda: journal_verify(sites=chosen, record=True))
        problems = found + verdict.problems
        if problems:
            for problem in problems[1:]:
                self.stderr.write(problem)
            raise CommandError(_("journal rompu : %(m)s") % {"m": problems[0]})
        self.stdout.write(verdict.message)

    def do_archive(self, *, site, first, last, out, **options):
        where = site_by_code(site)
        manifest = checked(
            lambda: archive_write(
                site=where, first=parse_day(first, "--from"), last=parse_day(last, "--to"), out=out
            )
        )
        info = manifest["entries"]
        self.stdout.write(
            _(
                "archive écrite : %(f)s (écritures n° %(a)s à %(b)s : %(n)s ; documents : %(d)s ; clôtures : %(c)s)"
            )
            % {
                "f": out,
                "n": info["count"],
                "a": info["first_seq"],
                "b": info["last_seq"],
                "d": len(manifest["documents"]),
                "c": manifest["closures"],
            }
        )

    def do_verify_archive(self, *, file, public_key=None, **options):
        self.stdout.write(checked(lambda: archive_read(file, public_key=public_key)).summary())

    def do_close_due(self, *, site=None, until=None, **options):
        # the same French refusals as the other subcommands: site_by_code, parse_day
        last = checked(lambda: parse_day(until, "--until")) if until else yesterday()
        sites = [site_by_code(site)] if site else list(Site.objects.order_by("code"))
        for one in sites:
            try:
                made = closures_close_due(site=one, until=last)
            except AtelierError as exc:  # which site refused, when several are closed in one run
                raise CommandError(f"{one.code} : {exc.message}") from exc
            for closure in made:
                self.stdout.write(_line(closure))
            if not made:
                self.stdout.write(
                    _("%(s)s : rien à clôturer jusqu'au %(d)s") % {"s": one.code, "d": f"{last:%d/%m/%Y}"}
                )

    def do_public_key(self, **options):
        self.stdout.write(f"{signing.current_key_id()} {signing.public_key_text()}")


def yesterday() -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=1)


def checked(run):
    """Run one archive step; its refusal becomes the command's error message (French, non-zero exit)."""
    try:
        return run()
    except AtelierError as exc:
        raise CommandError(exc.message) from exc


def site_by_code(code: str) -> Site:
    site = Site.objects.filter(code=code).first()
    if site is None:
        raise CommandError(_("Site inconnu : %(c)s.") % {"c": code})
    return site


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
