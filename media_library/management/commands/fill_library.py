from django.core.management.base import BaseCommand

from media_library.existing import fill_library


class Command(BaseCommand):
    help = (
        "Put every image already uploaded to an image field (articles, pages, media, "
        "publications) into the media library, under the same stored name: nothing is copied."
    )

    def handle(self, *args, **options):
        self.stdout.write(f"Images added to the library: {fill_library()}.")
