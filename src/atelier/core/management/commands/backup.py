"""`atelier backup --out FICHIER.tar.gz`: the database and the uploaded files in one checked archive
(core.backup, docs/operations.md)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from atelier.core import backup
from atelier.core.errors import AtelierError


class Command(BaseCommand):
    help = _("Sauvegarde la base et les fichiers envoyés dans une archive (manifeste d'empreintes SHA-256).")

    def add_arguments(self, parser):
        parser.add_argument("--out", required=True, help=_("fichier à écrire, ex. atelier-2026-12-06.tar.gz"))

    def handle(self, *args, out, **options):
        try:
            manifest = backup.backup_write(Path(out))
        except AtelierError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(
            _("Sauvegarde écrite : %(f)s (%(d)s).") % {"f": out, "d": backup.describe(manifest)}
        )
