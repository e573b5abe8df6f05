"""Search, feed and sitemap speed over a large generated dataset (100,000 articles by default).

Runs against its own embedded PostgreSQL in var/bench (or DATABASE_URL if set), so the
development data is untouched. Not part of the test suite:

    DEBUG=1 .venv/bin/python bench/search_bench.py [--articles 100000] [--repeat 25]

Builds the dataset once (later runs reuse it), then requests pages through Django's test client
and reports medians and 95th percentiles in milliseconds, plus the query plan of one search.
"""

import argparse
import json
import os
import random
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("NEJAT_VAR_DIR", str(ROOT / "var" / "bench"))
os.environ.setdefault("DEBUG", "1")

import django  # noqa: E402

django.setup()

from django.core.cache import cache  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

from articles.models import Article, Category  # noqa: E402
from nejat.publishing import Status  # noqa: E402
from nejat.publishing.search import SearchResults  # noqa: E402

WORDS = {
    "en": "river school garden family water winter report health market city village teacher "
    "children volunteer library bridge harvest festival doctor letter road election court "
    "newspaper museum station weather".split(),
    "fa": "رود مدرسه باغ خانواده آب زمستان گزارش سلامت بازار شهر روستا معلم کودکان داوطلب "
    "کتابخانه پل برداشت جشنواره پزشک نامه جاده انتخابات دادگاه روزنامه موزه".split(),
    "ar": "نهر مدرسة حديقة عائلة ماء شتاء تقرير صحة سوق مدينة قرية معلم أطفال متطوع مكتبة "
    "جسر حصاد مهرجان طبيب رسالة طريق انتخابات محكمة صحيفة متحف".split(),
    "sq": "lumë shkollë kopsht familje ujë dimër raport shëndet treg qytet fshat mësues fëmijë "
    "vullnetar bibliotekë urë korrje festival mjek letër rrugë zgjedhje gjykatë gazetë".split(),
}
QUERIES = {
    "en": ["river", "school children", "library festival", "zzzunknown"],
    "fa": ["مدرسه", "كودكان", "کتابخانه جشنواره", "ناموجود"],
    "ar": ["المدرسة", "مكتبة", "سوق المدينة", "غيرموجود"],
    "sq": ["shkollë", "fëmijë", "bibliotekë festival", "panjohur"],
}


def sentence(rng, code, words=12):
    return " ".join(rng.choice(WORDS[code]) for _ in range(words))


def build(count):
    existing = Article.objects.count()
    if existing >= count:
        print(f"dataset: {existing} articles already there")
        return
    rng = random.Random(2026)  # noqa: S311 - a reproducible dataset
    category, _ = Category.objects.get_or_create(slug_en="bench", defaults={"name_en": "Bench"})
    now = timezone.now()
    started = time.perf_counter()
    batch = []
    for n in range(existing, count):
        article = Article(
            category=category,
            status=Status.PUBLISHED if n % 10 else Status.DRAFT,
            publish_at=now - timedelta(minutes=n),
        )
        codes = rng.sample(list(WORDS), k=rng.choice([1, 1, 1, 2, 4]))
        for code in codes:
            setattr(article, f"title_{code}", sentence(rng, code, 6))
            setattr(article, f"slug_{code}", f"bench-{n}")
            setattr(article, f"lead_{code}", sentence(rng, code, 20))
            body = "".join(f"<p>{sentence(rng, code, 40)}</p>" for _ in range(4))
            setattr(article, f"body_{code}", body)
        batch.append(article)
        if len(batch) == 2000:
            Article.objects.bulk_create(batch)
            batch = []
            print(f"  {n + 1} articles", end="\r", flush=True)
    Article.objects.bulk_create(batch)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE articles_article")
    print(f"dataset: {count} articles built in {time.perf_counter() - started:.0f} s")


def timed(client, path, repeat):
    client.get(path)  # warm caches and connections
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        response = client.get(path)
        samples.append((time.perf_counter() - started) * 1000)
        assert response.status_code in {200, 404}, (path, response.status_code)
    samples.sort()
    return {
        "median_ms": round(statistics.median(samples), 1),
        "p95_ms": round(samples[int(len(samples) * 0.95) - 1], 1),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=25)
    args = parser.parse_args()

    call_command("migrate", verbosity=0)
    build(args.articles)
    client = Client(HTTP_HOST="localhost")
    results = {"articles": Article.objects.count(), "search": {}, "pages": {}}

    print(f"\n{'page':48} {'median ms':>10} {'p95 ms':>8} {'hits':>7}")
    for code, queries in QUERIES.items():
        prefix = "" if code == "en" else f"/{code}"
        for query in queries:
            hits = SearchResults(query, code).count()
            figures = timed(client, f"{prefix}/search/?q={query}", args.repeat)
            results["search"][f"{code}: {query}"] = {**figures, "hits": hits}
            page = f"{prefix}/search/?q={query}"
            print(f"{page:48} {figures['median_ms']:>10} {figures['p95_ms']:>8} {hits:>7}")

    for label, path in [
        ("home", "/"),
        ("article list page 500", "/articles/?page=500"),
        ("feed (cached)", "/feed/"),
        ("sitemap index (cached)", "/sitemap.xml"),
    ]:
        figures = timed(client, path, args.repeat)
        results["pages"][label] = figures
        print(f"{label:48} {figures['median_ms']:>10} {figures['p95_ms']:>8}")
    cache.clear()
    started = time.perf_counter()
    client.get("/feed/")
    uncached = (time.perf_counter() - started) * 1000
    results["pages"]["feed (first, uncached)"] = {"ms": round(uncached, 1)}
    print(f"{'feed (first, uncached)':48} {uncached:>10.1f}")

    # A common word is found fastest by walking the newest items; a rare one through the GIN
    # index. PostgreSQL picks between the two from its statistics.
    plans = {}
    for label, text in (("common word", "school children"), ("rare word", "zzzunknown")):
        search = SearchResults(text, "en")
        with connection.cursor() as cursor:
            sql, params = search.rows.query.sql_with_params()
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
            plans[label] = "\n".join(row[0] for row in cursor.fetchall())
        uses_gin = "Bitmap Index Scan on articles_article_s_en" in plans[label]
        results[f"{label}: plan uses the GIN index"] = uses_gin
        print(f"{label}: query plan uses the GIN index: {uses_gin}")
    plan = "\n\n".join(f"-- {label}\n{text}" for label, text in plans.items())

    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / "search.json").write_text(json.dumps(results, indent=2, ensure_ascii=False))
    (out / "search-plan.txt").write_text(plan)
    print(f"written to {out}/search.json and search-plan.txt")


if __name__ == "__main__":
    main()
