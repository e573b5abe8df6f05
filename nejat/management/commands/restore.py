from django.core.management.base import BaseCommand, CommandError

from nejat.ops.backup import BackupError, restore_backup


class Command(BaseCommand):
    help = "Bring a `manage.py backup` archive back into an empty database and media store."

    def add_arguments(self, parser):
        parser.add_argument("archive")

    def handle(self, *args, archive, **options):
        try:
            files = restore_backup(archive)
        except BackupError as error:
            raise CommandError(error) from None
        self.stdout.write(f"Restored the database and {files} media files from {archive}")
