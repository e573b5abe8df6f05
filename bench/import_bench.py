"""The WordPress import at scale: a generated export of N posts, imported twice into a database of
its own (var/bench-import), with the time and the peak memory of each run.

    .venv/bin/python bench/import_bench.py [--posts 5000]

Each post has two tags, a category, three comments (one a reply) and a classic body of four
paragraphs, in English; the second run of the same export must change nothing. Not a test.
"""

import argparse
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.helpers.wxr import Post, WpComment, export  # noqa: E402


def posts(count):
    body = "\n\n".join(
        f"Paragraph {n} of an invented story about the neighbourhood." for n in range(4)
    )
    for n in range(1, count + 1):
        day = f"20{10 + n % 15:02d}-{1 + n % 12:02d}-{1 + n % 28:02d} 08:00:00"
        yield Post(
            n,
            f"Invented story number {n}",
            body,
            date_gmt=day,
            categories=[f"section-{n % 20}"],
            tags=[(f"topic-{n % 50}", f"Topic {n % 50}"), ("city", "City")],
            comments=[
                WpComment(n * 10 + 1, "A first comment."),
                WpComment(n * 10 + 2, "A reply.", parent=n * 10 + 1),
                WpComment(n * 10 + 3, "Waiting.", approved="0"),
            ],
        )


def timed_import(export_path, environment):
    """Seconds and peak resident memory (MB) of one `manage.py import_wxr` run; its report."""
    started = time.monotonic()
    result = subprocess.run(  # noqa: S603 - our own command
        ["/usr/bin/time", "-v", sys.executable, "manage.py", "import_wxr", str(export_path),
         "--edition", "en"],
        cwd=ROOT, env=environment, capture_output=True, text=True, check=True,
    )  # fmt: skip
    seconds = time.monotonic() - started
    peak_kb = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", result.stderr)[1])
    return seconds, peak_kb / 1024, result.stdout


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--posts", type=int, default=5000)
    count = parser.parse_args().posts
    var = ROOT / "var" / "bench-import"
    shutil.rmtree(var, ignore_errors=True)
    var.mkdir(parents=True)
    var.chmod(0o755)
    export_path = var / "export.xml"
    categories = [(f"section-{n}", f"Section {n}", "") for n in range(20)]
    export_path.write_text(export(list(posts(count)), categories=categories), encoding="utf-8")
    environment = {**os.environ, "DEBUG": "1", "NEJAT_VAR_DIR": str(var), "LOG_LEVEL": "ERROR"}
    environment.pop("DATABASE_URL", None)
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=environment, check=True
    )
    try:
        size = export_path.stat().st_size / 1024 / 1024
        print(f"{count} posts, {3 * count} comments, export {size:.1f} MB")
        for label in ("first run", "second run (same export)"):
            seconds, peak, report = timed_import(export_path, environment)
            print(
                f"{label}: {seconds:.1f} s, {count / seconds:.0f} posts/s, peak memory {peak:.0f} MB"
            )
            print("\n".join("  " + line for line in report.strip().splitlines()[:6]))
    finally:
        subprocess.run(
            [sys.executable, "manage.py", "embedded_db", "stop"],
            cwd=ROOT,
            env=environment,
            check=False,
        )


if __name__ == "__main__":
    main()
