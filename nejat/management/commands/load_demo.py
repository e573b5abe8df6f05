from django.core.management.base import BaseCommand
from django.db import transaction

from articles import demo as article_demo
from media_gallery import demo as media_demo
from nejat.pages import demo as page_demo
from publications import demo as publications_demo

# Each content app contributes a ``load()`` that creates its invented demo items once.
DEMO_LOADERS = [
    ("pages", page_demo.load),
    ("articles", article_demo.load),
    ("media", media_demo.load),
    ("publications", publications_demo.load),
]


class Command(BaseCommand):
    help = "Create invented demo content once (a second run adds nothing)."

    def handle(self, *args, **options):
        for name, load in DEMO_LOADERS:
            with transaction.atomic():
                count = load()
            if count:
                self.stdout.write(self.style.SUCCESS(f"Demo {name}: {count} created."))
            else:
                self.stdout.write(f"Demo {name}: already present, nothing added.")
