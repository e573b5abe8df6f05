from django.core.management.base import BaseCommand, CommandError

from nejat.ops.backup import BackupError, write_backup


class Command(BaseCommand):
    help = "Write the database and all media into one archive (docs/operations/backups.md)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--output", default="backups", help="folder for the archive (default: backups/)"
        )

    def handle(self, *args, output, **options):
        try:
            path, files = write_backup(output)
        except BackupError as error:
            raise CommandError(error) from None
        size = path.stat().st_size / 1e6
        self.stdout.write(f"{path}: the database and {files} media files, {size:.1f} MB")
