"""PostgreSQL full-text search across every content type, per edition.

Each searchable model gets one generated ``tsvector`` column per edition (``search_en``,
``search_fa``, …), computed by PostgreSQL itself from that language's title (weight A), lead (B)
and body (C), with a GIN index. Being generated columns, they are right after every insert,
edit and delete; whether an item is public is decided at query time by ``.public()``.

English and Arabic use their stemming configurations; Persian and Albanian use ``simple``. Text
is normalised the same way in the column and in the query (``nejat.editions.normalize``): Arabic
and Persian letter variants, three sets of digits, zero-width non-joiners and short-vowel marks.
"""

from django.apps import apps
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchRank,
    SearchVector,
    SearchVectorField,
)
from django.db import models
from django.db.models import F, Func, Value
from django.db.models.functions import Coalesce, Concat, Lower
from django.utils.html import escape
from django.utils.safestring import mark_safe

from nejat.editions import (
    ARABIC_MARKS,
    ASCII_DIGITS,
    TO_ARABIC_LETTERS,
    TO_PERSIAN_LETTERS,
    ZWNJ,
    edition_codes,
    localized_field,
    normalize,
)

CONFIGS = {"en": "english", "ar": "arabic"}  # every other edition: "simple" + normalisation


def config_for(code):
    return CONFIGS.get(code, "simple")


def _translation_pairs(code):
    """The character mapping of ``normalize(text, code)`` as SQL translate() arguments."""
    source, target, removed = [], [], []
    tables = [ASCII_DIGITS]
    if code == "fa":
        tables.append(TO_PERSIAN_LETTERS)
    elif code == "ar":
        tables.append(TO_ARABIC_LETTERS)
    for table in tables:
        for char, replacement in table.items():
            source.append(chr(char))
            target.append(replacement if isinstance(replacement, str) else chr(replacement))
    source.append(ZWNJ)
    target.append(" ")
    removed = [chr(char) for char in ARABIC_MARKS]
    # translate() deletes the characters of ``from`` that have no counterpart in ``to``.
    return "".join(source + removed), "".join(target)


def normalized_sql(field, code):
    """SQL that normalises a column like ``normalize()`` does in Python (immutable)."""
    source, target = _translation_pairs(code)
    text = Lower(Coalesce(F(field), Value(""), output_field=models.TextField()))
    return Func(
        text, Value(source), Value(target), function="translate", output_field=models.TextField()
    )


def search_vector(weights, code):
    """The weighted vector of one edition: ``weights`` maps field names to A/B/C/D."""
    config = config_for(code)
    vectors = [
        SearchVector(normalized_sql(localized_field(name, code), code), weight=w, config=config)
        for name, w in weights.items()
    ]
    combined = vectors[0]
    for vector in vectors[1:]:
        combined = combined + vector
    return combined


def searchable(**weights):
    """Class decorator: one generated search column and GIN index per edition."""

    def decorate(model):
        for code in edition_codes():
            field = models.GeneratedField(
                expression=search_vector(weights, code),
                output_field=SearchVectorField(),
                db_persist=True,
                editable=False,
            )
            model.add_to_class(f"search_{code}", field)
            index = GinIndex(
                fields=[f"search_{code}"], name=f"{model._meta.db_table[:18]}_s_{code}"
            )
            model._meta.indexes.append(index)
        model.search_weights = weights
        return model

    return decorate


def search_query(text, code):
    """A safe query from what a reader typed: websearch syntax, never raw tsquery."""
    return SearchQuery(
        normalize(text, code).lower(), search_type="websearch", config=config_for(code)
    )


def searchable_models():
    """Every model decorated with ``@searchable``, in a stable order."""
    return sorted(
        (model for model in apps.get_models() if hasattr(model, "search_weights")),
        key=lambda model: model._meta.label,
    )


HIGHLIGHT_START, HIGHLIGHT_STOP = "\x02", "\x03"
MAX_QUERY_LENGTH = 200


def clean_query(text):
    """What the reader typed, bounded and without characters PostgreSQL refuses."""
    return " ".join((text or "").replace("\x00", " ").split())[:MAX_QUERY_LENGTH]


class SearchResults:
    """Ranked public items of one edition matching ``text``, across every content type.

    Behaves as a sequence for Django's Paginator: ``count()`` and slicing run one UNION query
    each; the items of a page are then fetched with their highlighted excerpts, one query per
    content type present on that page.

    Ranking reads every candidate's vector, so a word found in tens of thousands of items would
    cost hundreds of milliseconds: the candidates of each content type are its ``CANDIDATES``
    newest matches (a news reader wants the recent ones), and the count stops there too.
    """

    CANDIDATES = 1000

    def __init__(self, text, code):
        self.text, self.code = clean_query(text), code
        query = search_query(self.text, code)
        vector = f"search_{code}"
        self.models = {model._meta.label_lower: model for model in searchable_models()}
        parts = []
        for label, model in self.models.items():
            newest_matches = (
                model.objects.public(code)
                .filter(**{vector: query})
                .order_by("-publish_at")
                .values("pk")[: self.CANDIDATES]
            )
            parts.append(
                model.objects.filter(pk__in=newest_matches)
                .annotate(rank=SearchRank(F(vector), query), kind=Value(label))
                .values("pk", "rank", "kind", "publish_at")
            )
        self.query, self._count = query, None
        self.rows = parts[0].union(*parts[1:], all=True).order_by("-rank", "-publish_at", "pk")

    def count(self):
        if self._count is None:
            self._count = self.rows.order_by().count() if self.text else 0
        return self._count

    @property
    def capped(self):
        """True when there may be more matches than were ranked."""
        return self.count() >= self.CANDIDATES

    def __len__(self):
        return self.count()

    def __getitem__(self, page_slice):
        rows = list(self.rows[page_slice]) if self.text else []
        by_kind = {}
        for row in rows:
            by_kind.setdefault(row["kind"], []).append(row["pk"])
        items = {}
        for kind, pks in by_kind.items():
            model = self.models[kind]
            for item in model.objects.filter(pk__in=pks).annotate(excerpt=self._headline(model)):
                item.highlighted = highlight(item.excerpt)
                items[(kind, item.pk)] = item
        return [
            items[(row["kind"], row["pk"])] for row in rows if (row["kind"], row["pk"]) in items
        ]

    def _headline(self, model):
        """A short excerpt of the lead and body (tags removed) with the matches marked."""
        texts = []
        for name in model.search_weights:
            if name != "title":
                field = F(localized_field(name, self.code))
                texts += [Coalesce(field, Value(""), output_field=models.TextField()), Value(" ")]
        plain = Func(
            Concat(*texts, output_field=models.TextField()),
            Value("<[^>]+>"),
            Value(" "),
            Value("g"),
            function="regexp_replace",
            output_field=models.TextField(),
        )
        return SearchHeadline(
            plain,
            self.query,
            config=config_for(self.code),
            start_sel=HIGHLIGHT_START,
            stop_sel=HIGHLIGHT_STOP,
            max_words=30,
            min_words=12,
            max_fragments=2,
            fragment_delimiter=" … ",
        )


def highlight(excerpt):
    """The excerpt escaped, with the matching words in <mark>."""
    escaped = escape(excerpt or "")
    return mark_safe(escaped.replace(HIGHLIGHT_START, "<mark>").replace(HIGHLIGHT_STOP, "</mark>"))
