from datetime import timedelta

from django.core.management.base import BaseCommand

from nejat.uploads import sweep


class Command(BaseCommand):
    help = (
        "Delete uploaded files (and their renditions) that were replaced or deleted at least "
        "UPLOAD_SWEEP_AFTER_HOURS ago and that nothing names any more. Run it daily."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--older-than-hours", type=float, default=None, help="instead of the setting"
        )

    def handle(self, *args, older_than_hours=None, **options):
        age = None if older_than_hours is None else timedelta(hours=older_than_hours)
        deleted, kept = sweep(age)
        self.stdout.write(f"Unused uploads deleted: {deleted}; still in use, kept: {kept}.")
