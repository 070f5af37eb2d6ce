"""`atelier export ords --from AAAA-MM-JJ --to AAAA-MM-JJ --out FICHIER.csv [--site CODE]`: the site's dossiers
closed in the period as Open Repair Data (improvement/ords.py), and the licence and attribution beside the file
(FICHIER.csv.LICENSE.txt). `--site` is needed when there is more than one active site."""

import datetime
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from atelier.core.errors import AtelierError
from atelier.core.models import Site
from atelier.improvement.ords import ords_export


def _day(value: str, option: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise CommandError(
            _("Date invalide pour %(o)s : %(v)s (attendu AAAA-MM-JJ)") % {"o": option, "v": value}
        ) from None


class Command(BaseCommand):
    help = "Exporter des données : ords (réparations clôturées au format Open Repair Data Standard v0.3)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="what", required=True)
        ords = sub.add_parser("ords", help=_("dossiers clôturés au format Open Repair Data Standard v0.3"))
        ords.add_argument("--from", dest="start", required=True, metavar="AAAA-MM-JJ", help=_("premier jour"))
        ords.add_argument("--to", dest="end", required=True, metavar="AAAA-MM-JJ", help=_("dernier jour"))
        ords.add_argument("--out", required=True, metavar="FICHIER.csv", help=_("fichier CSV à écrire"))
        ords.add_argument("--site", help=_("code du site (obligatoire s'il y a plusieurs sites actifs)"))

    def handle(self, *args, what=None, start=None, end=None, out=None, site=None, **options):
        first, last = _day(start, "--from"), _day(end, "--to")
        if site:
            chosen = Site.objects.filter(code=site.upper()).first()
            if chosen is None:
                raise CommandError(_("Site inconnu : %(code)s") % {"code": site})
        else:
            active = list(Site.objects.filter(is_active=True)[:2])
            if len(active) != 1:
                raise CommandError(_("Plusieurs sites actifs : précisez lequel avec --site CODE."))
            chosen = active[0]
        path = Path(out)
        try:
            export = ords_export(site=chosen, start=first, end=last, name=path.name)
        except AtelierError as exc:
            raise CommandError(str(exc.message)) from None
        licence = path.with_name(path.name + ".LICENSE.txt")
        try:
            path.write_text(export.csv, encoding="utf-8")
            licence.write_text(export.licence, encoding="utf-8")
        except OSError as exc:
            raise CommandError(_("Écriture impossible : %(e)s") % {"e": exc}) from None
        self.stdout.write(
            _("%(n)d réparation(s) écrite(s) dans %(csv)s ; licence et attribution dans %(lic)s")
            % {"n": export.rows, "csv": path, "lic": licence}
        )
