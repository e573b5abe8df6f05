import sys
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from nejat import renditions
from wordpress import types
from wordpress.importer import Importer, read_translations
from wordpress.wxr import WxrError


class Command(BaseCommand):
    help = (
        "Import a WordPress export (Tools → Export, WXR) into one edition: posts, pages, "
        "categories, tags, comments and, with --uploads, their pictures and PDFs. Old addresses "
        "answer 301 afterwards. A second run of the same export changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("export", help="the .xml file WordPress exported")
        parser.add_argument(
            "--edition", required=True, choices=[code for code, _name in settings.LANGUAGES]
        )
        parser.add_argument("--uploads", help="a copy of the site's wp-content/uploads folder")
        parser.add_argument("--old-host", default="", help="the old site's host, if it differs")
        parser.add_argument(
            "--old-prefix", default="", help="a path the old site lived under, e.g. /fa"
        )
        parser.add_argument(
            "--translations",
            help="CSV (en,fa,ar,sq columns of WordPress ids) or TOML linking items of the "
            "editions' exports: they become one item in several editions",
        )
        parser.add_argument(
            "--map",
            help="TOML: [categories] naming the categories whose posts become cartoons, "
            "newspics, videos or galleries (default: the old site's English category names)",
        )
        parser.add_argument(
            "--report",
            help="where to write the report too (default: var/wordpress-import-EDITION-TIME.txt)",
        )
        parser.add_argument("--dry-run", action="store_true", help="report only; write nothing")

    def handle(self, export, edition, uploads, old_host, old_prefix, report, dry_run, **options):
        links = self.read(read_translations, options["translations"])
        mapping = self.read(types.read_mapping, options["map"])
        progress = self.progress if sys.stdout.isatty() else None
        importer = Importer(edition, uploads, old_host, old_prefix, progress, links, mapping)
        try:
            result = importer.run(export, dry_run=dry_run)
        except WxrError as error:
            raise CommandError(f"{export}: {error}") from None
        except OSError as error:
            raise CommandError(f"{export}: {error.strerror or error}") from None
        renditions.wait()
        self.stdout.write("")
        lines = list(result.lines())
        if dry_run:
            lines.insert(0, "DRY RUN: nothing was written.")
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
        report = report or settings.VAR_DIR / f"wordpress-import-{edition}-{stamp}.txt"
        Path(report).parent.mkdir(parents=True, exist_ok=True)
        Path(report).write_text("\n".join(lines) + "\n", encoding="utf-8")
        lines.append(f"The report is also in {report}.")
        self.stdout.write("\n".join(lines))

    def read(self, reader, path):
        """An optional file given on the command line, read, or a one-line error naming it."""
        if not path:
            return None
        try:
            return reader(path)
        except (OSError, ValueError, KeyError) as error:
            raise CommandError(f"{path}: {error}") from None

    def progress(self, report, rate):
        left = (report.total - report.done) / rate if rate else 0
        self.stdout.write(
            f"\r{report.done} of {report.total} items, {rate:.1f}/s, {left:.0f} s left ",
            ending="",
        )
        self.stdout.flush()
