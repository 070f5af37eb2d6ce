"""`atelier restore FICHIER.tar.gz`: an archive of `atelier backup` into an empty database, every hash checked
before anything is written (core.backup, docs/operations.md)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from atelier.core import backup
from atelier.core.errors import AtelierError


class Command(BaseCommand):
    help = _("Restaure une sauvegarde dans une base vide, après vérification de toutes les empreintes.")
    requires_system_checks = []  # the database is empty until the restore: nothing to check yet

    def add_arguments(self, parser):
        parser.add_argument("file", help=_("archive écrite par « atelier backup »"))

    def handle(self, *args, file, **options):
        try:
            manifest = backup.restore(Path(file))
        except AtelierError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(_("Restauration terminée : %(d)s.") % {"d": backup.describe(manifest)})
        self.stdout.write(
            _(
                "Vérifiez le journal : atelier journal verify ; puis atelier migrate si Atelier est plus récent."
            )
        )
