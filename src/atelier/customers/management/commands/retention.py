"""`atelier retention [--dry-run] [--site CODE] [--today AAAA-MM-JJ]`: anonymise the customer files without
contact for their site's retention period (customers.retention); one line per site, « N fiche(s) ». The
scheduler runs the same job every night."""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from atelier.core.models import Site
from atelier.customers.retention import run_retention


class Command(BaseCommand):
    help = "Anonymiser les fiches clients sans contact depuis la durée de conservation de leur site (RGPD)."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help=_("compter sans rien modifier"))
        parser.add_argument("--site", help=_("code du site (par défaut : tous les sites actifs)"))
        parser.add_argument(
            "--today", metavar="AAAA-MM-JJ", help=_("date du jour (par défaut : aujourd'hui)")
        )

    def handle(self, *args, dry_run=False, site=None, today=None, **options):
        chosen = None
        if site:
            chosen = Site.objects.filter(code=site.upper()).first()
            if chosen is None:
                raise CommandError(_("Site inconnu : %(code)s") % {"code": site})
        day = None
        if today:
            try:
                day = datetime.date.fromisoformat(today)
            except ValueError:
                raise CommandError(_("Date invalide : %(day)s (AAAA-MM-JJ)") % {"day": today}) from None
        result = run_retention(today=day, dry_run=dry_run, site=chosen)
        codes = dict(Site.objects.filter(pk__in=result).values_list("pk", "code"))
        for pk, count in result.items():
            if dry_run:
                line = _("%(code)s : %(count)d fiche(s) à anonymiser (essai, rien n'est modifié)")
            else:
                line = _("%(code)s : %(count)d fiche(s) anonymisée(s)")
            self.stdout.write(line % {"code": codes[pk], "count": count})
