"""Related articles: for each edition an article is in, the public articles of that edition that
share its tags or its rarer words, found by a job when the article is saved published or
scheduled (``articles.jobs``), and again each night for the last two weeks' articles (so older
ones meet newer ones). Shown under the article after the editors' own "Also read"
(``shown_under``); editors pin or remove suggestions in the article's form, and a new search
keeps their choices.

The words: the article's own search column (``nejat.publishing.search``) gives its lexemes with
their weights (title A, lead B, body C). Each is weighed by how often the article uses it and
how few articles of the edition have it (its inverse document frequency, counted in the search
column's GIN index, at most ``COMMON`` documents each); the twenty best make an OR query, and
PostgreSQL's ``ts_rank_cd`` ranks the other articles by it. Tags shared count on top. Persian and
Albanian have no stemmer and no stop words in PostgreSQL: the document frequency keeps their
commonest words out instead.
"""

from math import log

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count, OuterRef, Subquery

from articles.models import Article, RelatedSuggestion, TaggedArticle
from nejat.publishing.cache_tags import changed, item_tag

TERMS, CANDIDATE_TERMS, COMMON, FOUND = 20, 60, 1000, 8
TAG_WEIGHT = 0.5  # one shared tag counts half as much as the best match of words

# The article's lexemes with their weights, and how many articles of the edition have each
# (capped: a word in more than COMMON articles is common whatever the exact count).
WEIGHED_TERMS = """
WITH terms AS (
    SELECT t.lexeme,
           coalesce(array_length(t.positions, 1), 1)
           * CASE WHEN 'A' = ANY(t.weights) THEN 3 WHEN 'B' = ANY(t.weights) THEN 2 ELSE 1 END
           AS weight
    FROM articles_article a, unnest(a.{column}) t
    WHERE a.id = %(article)s
    ORDER BY weight DESC, t.lexeme
    LIMIT %(candidates)s
)
SELECT lexeme, weight,
       (SELECT count(*) FROM (SELECT 1 FROM articles_article o
                              WHERE o.{column} @@ quote_literal(lexeme)::tsquery
                              LIMIT %(common)s) AS found) AS documents
FROM terms
"""
RANKED = """
SELECT o.id, ts_rank_cd(o.{column}, %(query)s::tsquery, 32) AS rank
FROM articles_article o
WHERE o.{column} @@ %(query)s::tsquery AND o.id <> %(article)s
ORDER BY rank DESC, o.id DESC
LIMIT 100
"""


def search_column(code):
    return connection.ops.quote_name(f"search_{code}")


def words_query(article, code):
    """The article's twenty most telling words in edition ``code``, as a tsquery text."""
    total = Article.objects.public(code).count() or 1
    common = max(3, min(COMMON, total // 4 + 1))
    with connection.cursor() as cursor:
        cursor.execute(WEIGHED_TERMS.format(column=search_column(code)),
                       {"article": article.pk, "candidates": CANDIDATE_TERMS,
                        "common": common})  # fmt: skip
        weighed = [(weight * log(total / max(documents, 1)), lexeme)
                   for lexeme, weight, documents in cursor.fetchall()
                   if documents < common]  # fmt: skip
    chosen = [lexeme for score, lexeme in sorted(weighed, reverse=True)[:TERMS] if score > 0]
    return " | ".join("'{}'".format(lexeme.replace("'", "''")) for lexeme in chosen)


def similar(article, code):
    """``[(article id, score)]``: the edition's public articles most like ``article``."""
    scores = {}
    query = words_query(article, code)
    if query:
        with connection.cursor() as cursor:
            cursor.execute(RANKED.format(column=search_column(code)),
                           {"query": query, "article": article.pk})  # fmt: skip
            ranked = cursor.fetchall()
        best = max((rank for _pk, rank in ranked), default=0) or 1
        scores = {pk: rank / best for pk, rank in ranked}
    tags = TaggedArticle.objects.filter(content_object=article, tag__language=code)
    shared = (
        TaggedArticle.objects.filter(tag__in=tags.values("tag"))
        .exclude(content_object=article)
        .values_list("content_object")
        .annotate(count=Count("id"))
    )
    for pk, count in shared:
        scores[pk] = scores.get(pk, 0) + TAG_WEIGHT * count
    public = set(Article.objects.public(code).filter(pk__in=scores).values_list("pk", flat=True))
    found = sorted(((score, pk) for pk, score in scores.items() if pk in public), reverse=True)
    return [(pk, round(score, 4)) for score, pk in found[:FOUND]]


def suggest(article):
    """Search again for ``article`` in each of its editions; whether what it shows changed."""
    rows = RelatedSuggestion.objects.filter(article=article)
    found = rows.filter(choice=RelatedSuggestion.Choice.FOUND)
    before = set(rows.values_list("suggestion", "edition", "choice"))
    with transaction.atomic():
        kept = set(
            rows.exclude(choice=RelatedSuggestion.Choice.FOUND).values_list("suggestion", "edition")
        )
        found.delete()
        RelatedSuggestion.objects.bulk_create([
            RelatedSuggestion(article=article, suggestion_id=pk, edition=code, score=score,
                              choice=RelatedSuggestion.Choice.FOUND)
            for code in article.editions()
            for pk, score in similar(article, code)
            if (pk, code) not in kept
        ])  # fmt: skip
        after = set(rows.values_list("suggestion", "edition", "choice"))
        if after != before:
            changed(item_tag(Article, article.pk))
    return after != before


def shown_under(article, code):
    """What "Related articles" shows under ``article`` in edition ``code``, in one query: pinned,
    then found, public, not already in its "Also read", at most ``RELATED_ARTICLES``."""
    chosen = RelatedSuggestion.objects.filter(article=article, edition=code).exclude(
        choice=RelatedSuggestion.Choice.REMOVED
    )
    own = chosen.filter(suggestion=OuterRef("pk"))
    return list(
        Article.objects.public(code)
        .picked()  # (a new article elsewhere leaves the page: ``suggest``, ``Article.suggested``)
        .for_list()
        .filter(pk__in=chosen.values("suggestion"))
        .exclude(pk__in=[other.pk for other in article.related.all()])
        .annotate(suggested_as=Subquery(own.values("choice")[:1]),
                  suggested_score=Subquery(own.values("score")[:1]))
        .order_by("-suggested_as", "-suggested_score")[: settings.RELATED_ARTICLES]
    )  # fmt: skip
