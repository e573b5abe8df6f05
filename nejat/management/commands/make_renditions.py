from django.core.management.base import BaseCommand

from nejat.media.renditions import make_all_pending


class Command(BaseCommand):
    help = (
        "Make the image renditions still pending (a process stopped before its background "
        "queue was done). Safe to run at any time, and at every start."
    )

    def handle(self, *args, **options):
        made, failed = make_all_pending()
        # Failed images are marked and shown as they are; the log names them.
        self.stdout.write(f"Renditions made for {made} image(s); {failed} failed.")
