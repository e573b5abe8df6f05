"""PostgreSQL full-text search across every content type, per edition.

Each searchable model gets one generated ``tsvector`` column per edition (``search_en``,
``search_fa``, …), computed by PostgreSQL itself from that language's title (weight A), lead (B)
and body (C), with a GIN index. Being generated columns, they are right after every insert,
edit and delete; whether an item is public is decided at query time by ``.public()``.

Each column calls one SQL function per edition and weight set, ``nejat_search_<code>_<weights>``
(``nejat_search_fa_abc(title, lead, body)``), made by ``search_functions()`` in the migration
that adds the columns: a migration names the function instead of spelling out the expression,
and a change of weights is "replace the function, recompute the column".

English and Arabic use their stemming configurations; Persian and Albanian use ``simple``. Text
is normalised the same way in the column and in the query: one table per edition
(``nejat.editions.search_table``) gives both ``search_text()`` in Python and the IMMUTABLE SQL
function ``nejat_normalize_<code>()`` the search functions call (``search_normalization()``).
"""

from django.apps import apps
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchRank,
    SearchVectorField,
)
from django.db import migrations, models
from django.db.models import F, Func, Q, Value
from django.db.models.functions import Coalesce, Concat
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.text import smart_split, unescape_string_literal

from nejat.editions import edition_codes, localized_field, search_table, search_text
from nejat.publishing import cache_tags

CONFIGS = {"en": "english", "ar": "arabic"}  # every other edition: "simple" + normalisation


def config_for(code):
    return CONFIGS.get(code, "simple")


def normalize_function(code):
    """The name of the SQL function that normalises text of edition ``code``."""
    return f"nejat_normalize_{code}"


def normalize_function_sql(code):
    """``CREATE OR REPLACE FUNCTION nejat_normalize_<code>(text)``, built from the same table
    as ``search_text()``: an IMMUTABLE ``translate()``, so generated columns may call it."""
    source, target, removed = [], [], []
    for char, replacement in sorted(search_table(code).items()):
        if replacement is None:
            removed.append(chr(char))
        else:
            source.append(chr(char))
            target.append(replacement if isinstance(replacement, str) else chr(replacement))
    # translate() deletes the characters of ``from`` that have no counterpart in ``to``.
    from_chars, to_chars = "".join(source + removed), "".join(target)
    assert "'" not in from_chars + to_chars
    return (
        f"CREATE OR REPLACE FUNCTION {normalize_function(code)}(text) RETURNS text "
        "LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT "
        f"RETURN translate(lower($1), '{from_chars}', '{to_chars}');"
    )


def normalized_sql(field, code):
    """SQL for ``normalize()`` of a column: the edition's function (NULL reads as "")."""
    text = Coalesce(F(field), Value(""), output_field=models.TextField())
    return Func(text, function=normalize_function(code), output_field=models.TextField())


def search_normalization(recompute=True):
    """A migration operation: (re)create every edition's normalisation function from the
    table in ``nejat.editions``, then make PostgreSQL recompute every search column.

    After changing that table, a migration with ``operations = [search_normalization()]`` is all
    it takes. (PostgreSQL 16 recomputes a stored generated column only when a column it reads
    is written, hence the UPDATE that sets those columns to themselves.)
    """

    def forward(apps, schema_editor):
        for code in edition_codes():
            schema_editor.execute(normalize_function_sql(code))
        if not recompute:
            return
        for model in apps.get_models():
            sources = set()
            for field in model._meta.concrete_fields:
                if isinstance(field, models.GeneratedField) and field.name.startswith("search_"):
                    sources |= {e.name for e in field.expression.flatten() if isinstance(e, F)}
            if sources:
                quote = schema_editor.quote_name
                columns = [model._meta.get_field(name).column for name in sorted(sources)]
                assignments = ", ".join(f"{quote(c)} = {quote(c)}" for c in columns)
                schema_editor.execute(f"UPDATE {quote(model._meta.db_table)} SET {assignments}")  # noqa: S608

    return migrations.RunPython(forward, migrations.RunPython.noop)


class ReplaceGeneratedField(migrations.AlterField):
    """``AlterField`` for a generated search column, which PostgreSQL cannot alter in place (and
    Django refuses to): the column is dropped and added again with its new expression, and the
    indexes on it are made again. Use it where ``makemigrations`` writes ``AlterField`` for a
    ``search_<code>`` column (a changed weight or field list)."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        self._replace(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        self._replace(app_label, schema_editor, to_state, from_state)

    def _replace(self, app_label, schema_editor, old_state, new_state):
        old = old_state.apps.get_model(app_label, self.model_name)
        new = new_state.apps.get_model(app_label, self.model_name)
        if not self.allow_migrate_model(schema_editor.connection.alias, new):
            return
        schema_editor.remove_field(old, old._meta.get_field(self.name))  # drops its index too
        schema_editor.add_field(new, new._meta.get_field(self.name))
        for index in new._meta.indexes:
            if self.name in index.fields:
                schema_editor.add_index(new, index)


def search_function(code, weights):
    """The SQL function of edition ``code``'s vector from fields weighted ``weights`` ("ABC")."""
    return f"nejat_search_{code}_{weights.lower()}"


def search_function_sql(code, weights):
    """``CREATE OR REPLACE FUNCTION nejat_search_<code>_<weights>(text, …)``: each argument
    normalised as the edition's text is, made a vector in its configuration, weighted."""
    parts = [
        f"setweight(to_tsvector('{config_for(code)}'::regconfig, "
        f"{normalize_function(code)}(coalesce(${number}, ''))), '{weight}')"
        for number, weight in enumerate(weights, start=1)
    ]
    return (
        f"CREATE OR REPLACE FUNCTION {search_function(code, weights)}"
        f"({', '.join('text' for _weight in weights)}) RETURNS tsvector "
        f"LANGUAGE sql IMMUTABLE PARALLEL SAFE RETURN {' || '.join(parts)};"
    )


def search_functions(*weight_sets):
    """A migration operation: every edition's search function of each weight set ("ABC"),
    before the columns that call them are added (after ``search_normalization()``)."""

    def forward(apps, schema_editor):
        for code in edition_codes():
            for weights in weight_sets:
                schema_editor.execute(search_function_sql(code, weights))

    return migrations.RunPython(forward, migrations.RunPython.noop)


def search_vector(weights, code):
    """The generated column's expression of one edition: its search function, called with the
    edition's fields (``weights`` maps field names to A/B/C/D, in order)."""
    letters = "".join(weights.values())
    fields = [F(localized_field(name, code)) for name in weights]
    return Func(*fields, function=search_function(code, letters), output_field=SearchVectorField())


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
    # Not lowered here: PostgreSQL lowers the query as it lowers the text (same rules).
    return SearchQuery(search_text(text, code), search_type="websearch", config=config_for(code))


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
        # What the results depend on: every searched type's list in the edition (a kept page
        # of results is forgotten when one of them changes: nejat.publishing.cache_tags).
        cache_tags.shows(*(cache_tags.list_tag(model, code) for model in self.models.values()))

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


def admin_search(queryset, search_term, translated=("title", "lead"), others=()):
    """The admin's search, matching as public search does: every word must be found in one of the
    ``translated`` fields of some edition (each compared after that edition's normalisation, so
    ``علي`` finds ``علی`` and ``كتاب`` finds ``کتاب``) or, as Django does, in one of ``others``."""
    words = [
        unescape_string_literal(w) if w[:1] in "\"'" and w[-1] == w[0] and len(w) > 1 else w
        for w in smart_split(search_term.replace("\x00", ""))
    ]  # as Django's admin unquotes: only a word quoted at both ends
    columns = {
        f"_normalized_{name}_{code}": (localized_field(name, code), code)
        for name in translated
        for code in edition_codes()
    }
    if not words:
        return queryset
    queryset = queryset.alias(
        **{alias: normalized_sql(field, code) for alias, (field, code) in columns.items()}
    )
    for word in words:
        condition = Q()
        for alias, (_field, code) in columns.items():
            if normalized := search_text(word, code).strip():
                condition |= Q(**{f"{alias}__contains": normalized})
        for field in others:
            condition |= Q(**{f"{field}__icontains": word})
        queryset = queryset.filter(condition)
    return queryset
