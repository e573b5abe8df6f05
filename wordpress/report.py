"""What an import did: a table of counts, and one row for every item or problem to look at.

The rows are what an editor checking an archive needs: every item skipped or failed (with its
WordPress id, title and reason), every upload not found or refused, every unknown shortcode,
every picture left pointing at the old host, every comment left out. Nothing that cannot be
imported leaves without a row. They are written as CSV (``manage.py import_wxr --report``) and
kept on the admin's ``ImportRun``.
"""

import csv
import io
from collections import Counter, defaultdict
from dataclasses import dataclass, field

COLUMNS = ("kind", "wordpress_id", "title", "problem", "detail")
# What a row says happened (the "problem" column).
SKIPPED = "skipped"
FAILED = "failed"
NOT_IMPORTED = "not imported"  # over a limit of the reader (wordpress.wxr)
COMMENT_LEFT_OUT = "comment left out"
UPLOAD_NOT_FOUND = "upload not found"
UPLOAD_REFUSED = "upload refused"
UNKNOWN_SHORTCODE = "unknown shortcode"
OLD_HOST_PICTURE = "picture on the old host"
PICTURE_LEFT_OUT = "picture left out"
NOTE = "note"
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass
class Report:
    """What a run did, per kind: created / updated / unchanged / skipped / failed, and its rows."""

    counts: dict = field(default_factory=lambda: defaultdict(Counter))
    failures: list = field(default_factory=list)  # (kind, WordPress id, reason)
    notes: list = field(default_factory=list)  # (kind, WordPress id, what to look at)
    unknown_shortcodes: Counter = field(default_factory=Counter)
    missing_files: list = field(default_factory=list)
    rows: list = field(default_factory=list)  # (kind, WordPress id, title, problem, detail)
    total: int = 0
    done: int = 0

    def count(self, kind, outcome):
        self.counts[kind][outcome] += 1

    def row(self, kind, wp_id, title, problem, detail=""):
        self.rows.append((kind, str(wp_id), title, problem, detail))

    def lines(self):
        yield "kind            created  updated  unchanged  skipped  failed"
        for kind, outcome in sorted(self.counts.items()):
            row = [outcome[o] for o in ("created", "updated", "unchanged", "skipped", "failed")]
            yield f"{kind:<14}" + "".join(f"{n:>9}" for n in row)
        for kind, wp_id, reason in self.failures:
            yield f"FAILED {kind} {wp_id}: {reason}"
        for kind, wp_id, note in self.notes:
            yield f"note: {kind} {wp_id}: {note}"
        for name, n in self.unknown_shortcodes.most_common():
            yield f"unknown shortcode [{name}] kept as text in {n} item(s)"
        for name in self.missing_files:
            yield f"missing upload: {name}"
        left_out = Counter(problem for _k, _i, _t, problem, _d in self.rows)
        for problem, n in sorted(left_out.items()):
            yield f"{problem}: {n} row(s) in the item report"

    def csv_text(self):
        out = io.StringIO()
        write_csv(out, self.rows)
        return out.getvalue()


def safe_cell(value):
    """A cell a spreadsheet shows as text: one starting like a formula gets a quote first."""
    value = str(value)
    return "'" + value if value.startswith(FORMULA_START) else value


def write_csv(handle, rows):
    writer = csv.writer(handle)
    writer.writerow(COLUMNS)
    for row in rows:
        writer.writerow([safe_cell(cell) for cell in row])


def read_csv(text):
    """The rows of a report's CSV, without its header (for the admin's page)."""
    rows = list(csv.reader(io.StringIO(text)))
    return rows[1:] if rows and tuple(rows[0]) == COLUMNS else rows
