"""Solar Hijri dates in the Persian admin (nejat.editions.solar_dates): shown and typed as readers
of the Persian edition see them, stored as the same dates and timestamps."""

import datetime
import re

import pytest
from django.utils import timezone

from articles.models import Article
from nejat.editions.solar_dates import gregorian_from_text, solar_text
from tests.helpers.forms import form_fields

pytestmark = [pytest.mark.django_db, pytest.mark.dates]


@pytest.mark.parametrize("typed", ["۱۴۰۵/۰۹/۱۴", "1405/9/14", "١٤٠٥-٠٩-١٤", " ۱۴۰۵ . ۰۹ . ۱۴ "])
def test_a_solar_date_in_any_digits_and_separators(typed):
    assert gregorian_from_text(typed) == datetime.date(2026, 12, 5)


@pytest.mark.parametrize("typed", ["1405/13/01", "1405/12/31", "5 December", "", "۱۴۰۵/۰۹"])
def test_what_is_not_a_solar_date(typed):
    assert gregorian_from_text(typed) is None  # 1405 is not a leap year: no Esfand 31


def test_solar_text_writes_persian_digits():
    assert solar_text(datetime.date(2026, 3, 21)) == "۱۴۰۵/۰۱/۰۱"


def persian_form(client, article):
    url = f"/fa/admin/articles/article/{article.pk}/change/"
    page = client.get(url).content.decode()
    return url, page, form_fields(page, "article_form")


def test_the_persian_admin_shows_and_takes_the_publish_time_in_solar_hijri(
    editor_client, article_factory
):
    moment = timezone.make_aware(datetime.datetime(2026, 12, 5, 9, 30))  # the site's zone
    article = article_factory(title_fa="گزارش", title_en="", publish_at=moment)
    url, page, fields = persian_form(editor_client, article)
    assert fields["publish_at_0"] == "۱۴۰۵/۰۹/۱۴"
    assert fields["publish_at_1"] == "۰۹:۳۰"  # to the minute
    assert "solar-calendar.js" in page and "vDateField" not in page

    # Opened and saved again: the same moment.
    assert editor_client.post(url, fields).status_code == 302
    article.refresh_from_db()
    assert article.publish_at == moment

    # Scheduled for Yalda night, typed on a Persian keyboard.
    fields.update(publish_at_0="۱۴۰۵/۰۹/۳۰", publish_at_1="۲۱:۰۰")
    assert editor_client.post(url, fields).status_code == 302
    article.refresh_from_db()
    assert article.publish_at == timezone.make_aware(datetime.datetime(2026, 12, 21, 21, 0))


def test_a_wrong_solar_date_is_explained_and_nothing_is_lost(editor_client, article_factory):
    article = article_factory(title_fa="گزارش", title_en="")
    before = Article.objects.get(pk=article.pk).publish_at
    url, _page, fields = persian_form(editor_client, article)
    fields.update(publish_at_0="۱۴۰۵/۱۳/۰۱", title_fa="گزارش تازه")
    response = editor_client.post(url, fields)
    assert response.status_code == 200
    page = response.content.decode()
    assert "تاریخ خورشیدی" in page
    assert form_fields(page, "article_form")["title_fa"] == "گزارش تازه"
    article.refresh_from_db()
    assert article.publish_at == before and article.title_fa == "گزارش"


def test_other_editions_keep_gregorian_dates(editor_client, article_factory):
    moment = timezone.make_aware(datetime.datetime(2026, 12, 5, 9, 30))
    article = article_factory(title_fa="گزارش", title_en="x", publish_at=moment)
    for prefix in ("", "/ar", "/sq"):
        page = editor_client.get(f"{prefix}/admin/articles/article/{article.pk}/change/")
        fields = form_fields(page.content.decode(), "article_form")
        assert re.fullmatch(
            r"2026-12-05|05/12/2026|05\.12\.2026|12/05/2026", fields["publish_at_0"]
        )


def test_a_source_date_is_solar_too(editor_client, article_factory):
    article = article_factory(title_fa="گزارش", title_en="", source_date=datetime.date(2026, 3, 21))
    url, _page, fields = persian_form(editor_client, article)
    assert fields["source_date"] == "۱۴۰۵/۰۱/۰۱"
    fields["source_date"] = "۱۴۰۴/۱۲/۲۹"
    assert editor_client.post(url, fields).status_code == 302
    article.refresh_from_db()
    assert article.source_date == datetime.date(2026, 3, 20)
