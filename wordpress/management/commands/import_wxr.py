import sys
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from nejat.ops.jobs import run_queued_jobs
from wordpress import types
from wordpress.attachments import Fetcher
from wordpress.importer import Importer, read_translations
from wordpress.report import write_csv
from wordpress.wxr import WxrError


class Command(BaseCommand):
    help = (
        "Import a WordPress export (Tools → Export, WXR) into one edition: posts, pages, "
        "categories, tags, comments and, with --uploads or --fetch-attachments, their pictures "
        "and PDFs. Old addresses answer 301 afterwards. A second run of the same export changes "
        "nothing. Whatever is not imported is a row of the report's CSV."
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
            help="where to write the report too: FILE.csv gets one row per item or problem "
            "(and FILE.txt the counts); another name gets the counts, the rows going beside it "
            "(.csv). Default: var/wordpress-import-EDITION-TIME.txt and .csv",
        )
        parser.add_argument(
            "--fetch-attachments",
            action="store_true",
            help="download the pictures and PDFs the posts show from the old site over HTTPS "
            "(those not in --uploads); a second run fetches only what is not yet here",
        )
        parser.add_argument(
            "--fetch-delay",
            type=float,
            default=1.0,
            help="seconds between two downloads (default 1: the old site is still live)",
        )
        parser.add_argument(
            "--fetch-timeout",
            type=float,
            default=30.0,
            help="seconds one download may take (default 30)",
        )
        parser.add_argument("--dry-run", action="store_true", help="report only; write nothing")

    def handle(self, export, edition, uploads, old_host, old_prefix, report, dry_run, **options):
        links = self.read(read_translations, options["translations"])
        mapping = self.read(types.read_mapping, options["map"])
        if uploads and not Path(uploads).is_dir():
            raise CommandError(f"{uploads}: not a folder")
        fetcher = None
        if options["fetch_attachments"]:
            delay, timeout = options["fetch_delay"], options["fetch_timeout"]
            if delay < 0 or timeout <= 0:
                raise CommandError("--fetch-delay must be 0 or more, --fetch-timeout above 0")
            fetcher = Fetcher(delay=delay, timeout=timeout)
        progress = self.progress if sys.stdout.isatty() else None
        importer = Importer(
            edition, uploads, old_host, old_prefix, progress, links, mapping, fetcher=fetcher
        )
        try:
            result = importer.run(export, dry_run=dry_run)
        except WxrError as error:
            raise CommandError(f"{export}: {error}") from None
        except OSError as error:
            raise CommandError(f"{export}: {error.strerror or error}") from None
        run_queued_jobs(queues=["media"])
        self.stdout.write("")
        lines = list(result.lines())
        if dry_run:
            lines.insert(0, "DRY RUN: nothing was written.")
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
        report = Path(report or settings.VAR_DIR / f"wordpress-import-{edition}-{stamp}.txt")
        text, table = report.with_suffix(".txt"), report.with_suffix(".csv")
        try:
            report.parent.mkdir(parents=True, exist_ok=True)
            text.write_text("\n".join(lines) + "\n", encoding="utf-8")
            with table.open("w", encoding="utf-8-sig", newline="") as handle:
                write_csv(handle, result.rows)
        except OSError as error:
            raise CommandError(f"{report}: {error.strerror or error}") from None
        lines.append(f"The report is also in {text}; one row per item to look at in {table}.")
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
