from datetime import timedelta

from django.core.management.base import BaseCommand

from nejat.editorial.autosave.models import KeptUpload
from nejat.media.uploads import sweep


class Command(BaseCommand):
    help = (
        "Delete uploaded files (and their renditions) that were replaced or deleted at least "
        "UPLOAD_SWEEP_AFTER_HOURS ago and that nothing names any more, and files kept from "
        "admin forms that came back with an error more than a day ago. Run it daily."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--older-than-hours", type=float, default=None, help="instead of the setting"
        )

    def handle(self, *args, older_than_hours=None, **options):
        forgotten = KeptUpload.objects.older_than(timedelta(days=1)).delete()[0]
        age = None if older_than_hours is None else timedelta(hours=older_than_hours)
        deleted, kept = sweep(age)
        self.stdout.write(
            f"Unused uploads deleted: {deleted}; still in use, kept: {kept}; "
            f"files kept from forms with an error forgotten: {forgotten}."
        )
