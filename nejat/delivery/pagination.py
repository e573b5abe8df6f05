""" "Newer Posts" / "Older Posts" pages without counting the whole list.

Counting every public article of an edition costs more than fetching a page once the archive is
large (100 ms against 6 ms at 100,000 articles). A page fetches one row more than it shows: that
row says whether an older page exists. A page past the end is empty, hence a 404.

Deep pages stay cheap: OFFSET makes PostgreSQL read and throw away every row before the page
(``?page=5000`` of 100,000 articles: 50,000 whole rows, 20 requests/s against 110 for page 50).
The page's keys are chosen first, by a subquery (``SELECT id … OFFSET``); only those rows are
then read whole. The article lists, the long ones, have per-edition indexes in their order
(``Article.Meta.indexes``, ``article_pub_<edition>``) that answer the subquery from the index
alone (``tests/test_query_counts.py`` checks the plan); the shorter lists (publications, media)
have no such index, and still read only their keys' columns, not whole rows, up to the page.
"""

from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator

MAX_PAGE = 10_000_000


class NewerOlderPage(Page):
    def __init__(self, object_list, number, paginator, has_older):
        super().__init__(object_list, number, paginator)
        self._has_older = has_older

    def has_next(self):
        return self._has_older

    def has_previous(self):
        return self.number > 1

    def has_other_pages(self):
        return self.has_next() or self.has_previous()

    def next_page_number(self):
        return self.number + 1

    def previous_page_number(self):
        return self.number - 1


class NewerOlderPaginator(Paginator):
    """For querysets (every public list); ``page()`` is all the views use."""

    # ``?page=last`` would need the count: it answers 404 like any page that does not exist.
    num_pages = 0

    def validate_number(self, number):
        try:
            if isinstance(number, float) and not number.is_integer():
                raise ValueError
            number = int(number)
        except (TypeError, ValueError):
            raise PageNotAnInteger("That page number is not an integer") from None
        # Below 1, or so far that PostgreSQL could not even express the offset: no such page.
        if not 1 <= number <= MAX_PAGE:
            raise EmptyPage("That page contains no results")
        return number

    def page(self, number):
        number = self.validate_number(number)
        start = (number - 1) * self.per_page
        window = slice(start, start + self.per_page + 1)
        keys = self.object_list.values("pk")[window]
        rows = list(self.object_list.filter(pk__in=keys))
        if not rows and number > 1:
            raise EmptyPage("That page contains no results")
        return NewerOlderPage(rows[: self.per_page], number, self, len(rows) > self.per_page)
