"""Related articles (#38): found by shared tags and rarer words in the same edition when an
article is published (a job), shown after the editors' own "Also read", pinned or removed by
editors, whose choices outlast the next search."""

import time

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from articles import related
from articles.models import RelatedSuggestion
from nejat.models import set_edition_tags
from nejat.ops.jobs import run_queued_jobs
from nejat.publishing import Status, cache_tags

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.dates]

RIVER = "<p>The river flooded the valley; farmers moved their herds to the hills.</p>"
FLOOD = "<p>A flood in the valley: the river rose and farmers lost their herds.</p>"
BUDGET = "<p>The ministry published the school budget for the coming year.</p>"
SCHOOL = "<p>Teachers asked the ministry about the school budget again.</p>"
HILLS = "<p>In the hills above the valley, herds wait for the river to fall.</p>"


@pytest.fixture
def stories(article_factory, queued):
    made = {
        "river": article_factory(title_en="River floods the valley", body_en=RIVER),
        "flood": article_factory(title_en="Farmers after the flood", body_en=FLOOD),
        "budget": article_factory(title_en="The school budget", body_en=BUDGET),
        "school": article_factory(title_en="Teachers and the budget", body_en=SCHOOL),
        "hills": article_factory(title_en="Herds in the hills", body_en=HILLS),
    }
    run_queued_jobs(["maintenance"])  # each publication searched for its related articles
    return made


def shown(article, code="en"):
    return [other.title_en for other in related.shown_under(article, code)]


def test_a_published_article_gets_related_articles_by_its_words(stories):
    assert shown(stories["river"])[0] == "Farmers after the flood"
    assert shown(stories["budget"])[0] == "Teachers and the budget"
    assert "River floods the valley" not in shown(stories["budget"])


def test_shared_tags_bring_articles_together_in_their_edition_only(article_factory, queued):
    first = article_factory(title_en="One", title_fa="یک", body_en="<p>Alpha.</p>")
    second = article_factory(title_en="Two", title_fa="دو", body_en="<p>Omega.</p>")
    set_edition_tags(first, {"fa": ["انتخابات"]})
    set_edition_tags(second, {"fa": ["انتخابات"]})
    assert related.suggest(first)
    assert [a.pk for a in related.shown_under(first, "fa")] == [second.pk]
    assert related.shown_under(first, "en") == []  # no shared words or tags in English


def test_also_read_comes_first_and_is_not_repeated_below(client, stories):
    river = stories["river"]
    river.related.add(stories["flood"])
    page = client.get(river.get_absolute_url()).content.decode()
    page = page[page.index("<article") : page.index("</article>")]  # (not the sidebar)
    also, below = page.index("Also read:"), page.index("Related articles")
    assert also < page.index("Farmers after the flood") < below  # once, in "Also read"
    assert page.count("Farmers after the flood") == 1
    assert page.index("Herds in the hills") > below


def test_editors_pin_and_remove_and_a_new_search_keeps_their_choices(stories, editor_client):
    river, flood, budget = stories["river"], stories["flood"], stories["budget"]
    RelatedSuggestion.objects.filter(article=river, suggestion=flood).update(choice="removed")
    RelatedSuggestion.objects.create(article=river, suggestion=budget, edition="en")  # pinned
    related.suggest(river)  # searched again, e.g. when it is saved
    assert shown(river)[0] == "The school budget"
    assert "Farmers after the flood" not in shown(river)
    change = f"/admin/articles/article/{river.pk}/change/"
    page = editor_client.get(change).content.decode()
    assert "Related articles" in page and 'name="suggestions-0-choice"' in page


def test_a_draft_or_trashed_article_is_never_shown_as_related(stories):
    flood = stories["flood"]
    flood.move_to_trash()
    assert "Farmers after the flood" not in shown(stories["river"])
    flood.restore_from_trash()
    stories["flood"].status = Status.DRAFT
    stories["flood"].save()
    assert "Farmers after the flood" not in shown(stories["river"])


def test_a_search_costs_the_same_queries_however_many_articles_match(stories, article_factory):
    """Per edition: the public count, the weighed words, the ranking, the shared tags and the
    public filter; around them the editors' choices read, the found ones replaced, compared."""
    with CaptureQueriesContext(connection) as few:
        related.suggest(stories["river"])
    for n in range(20):
        article_factory(title_en=f"The valley river {n}", body_en=RIVER)
    with CaptureQueriesContext(connection) as many:
        related.suggest(stories["river"])
    assert len(many) - len(few) <= 2  # (+2 when what it shows changed: the cache tag)
    assert len(few) <= 13


def test_a_kept_article_page_follows_its_related_articles_and_nothing_else(stories, settings):
    settings.PAGE_CACHE_SECONDS = 3600
    river, hills = stories["river"], stories["hills"]
    reader = Client()
    with cache_tags.collecting() as tags:
        assert "Herds in the hills" in reader.get(river.get_absolute_url()).content.decode()
    # What the page shows, not the edition's list: another publication leaves it kept.
    assert f"item:articles.article:{hills.pk}" in tags and "list:articles.article:en" not in tags
    hills.move_to_trash()
    assert "Herds in the hills" not in kept(reader, river.get_absolute_url())
    hills.restore_from_trash()  # back among those it was found with (``Article.suggested``)
    assert "Herds in the hills" in kept(reader, river.get_absolute_url())


def kept(reader, path):
    """The page once the page cache answers for it (this process hears its own first changes
    again a moment later, which may have one more reader render it)."""
    for _ in range(10):
        page = reader.get(path)
        if page["Cache-Status"] == "nejat; hit":
            return page.content.decode()
        time.sleep(0.1)
    raise AssertionError(f"{path} is not kept")
