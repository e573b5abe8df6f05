from django.conf import settings
from django.core.management.base import BaseCommand

from nejat.publishing import empty_trash


class Command(BaseCommand):
    help = (
        "Delete for good the items that have been in the trash for TRASH_DAYS (30) days, with "
        "their comments and tags (their files are swept later). Run it daily."
    )

    def handle(self, *args, **options):
        deleted = empty_trash()
        total = sum(deleted.values())
        details = ", ".join(f"{label}: {count}" for label, count in sorted(deleted.items()))
        self.stdout.write(
            f"Deleted from the trash after {settings.TRASH_DAYS} days: {total}"
            + (f" ({details})." if details else ".")
        )
