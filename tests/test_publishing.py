"""The one "what may the public see" rule: published, due, and in the edition's language."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from articles.models import Article
from nejat.publishing import Status, fill_missing_slugs

pytestmark = pytest.mark.django_db


def titles(queryset):
    return sorted(a.title_en or a.title_fa or a.title_ar for a in queryset)


def test_published_excludes_drafts_and_scheduled(article_factory):
    article_factory(title_en="Live")
    article_factory(title_en="Draft", status=Status.DRAFT)
    article_factory(title_en="Scheduled", publish_at=timezone.now() + timedelta(days=1))
    assert titles(Article.objects.published()) == ["Live"]


def test_scheduled_article_becomes_public_when_its_time_comes(article_factory):
    article = article_factory(title_en="Soon", publish_at=timezone.now() + timedelta(minutes=5))
    assert article.is_scheduled and not Article.objects.public("en").exists()
    Article.objects.filter(pk=article.pk).update(publish_at=timezone.now() - timedelta(seconds=1))
    assert list(Article.objects.public("en")) == [article]


def test_in_edition_needs_a_title_in_that_language(article_factory):
    article_factory(title_en="English only")
    article_factory(title_en="", title_fa="فقط فارسی")
    article_factory(title_en="Both", title_fa="هر دو")
    assert titles(Article.objects.public("en")) == ["Both", "English only"]
    assert {a.title_fa for a in Article.objects.public("fa")} == {"فقط فارسی", "هر دو"}
    assert not Article.objects.public("ar").exists()


def test_in_edition_defaults_to_the_active_language(article_factory):
    article_factory(title_en="", title_sq="Vetëm shqip")
    with translation.override("sq"):
        assert Article.objects.in_edition().count() == 1
    with translation.override("en"):
        assert Article.objects.in_edition().count() == 0


def test_no_fallback_to_english_text_inside_another_edition(article_factory):
    article = article_factory(title_en="English title")
    with translation.override("fa"):
        assert article.title == ""


def test_slugs_are_made_per_language_in_their_own_script():
    article = Article(title_en="Hello World", title_fa="سلام دنیا", title_ar="مرحبا بالعالم")
    fill_missing_slugs(article)
    assert article.slug_en == "hello-world"
    assert article.slug_fa == "سلام-دنیا"
    assert article.slug_ar == "مرحبا-بالعالم"
    assert not article.slug_sq


def test_an_item_needs_a_title_in_at_least_one_language():
    with pytest.raises(ValidationError):
        Article(status=Status.PUBLISHED).clean()


def test_absolute_url_uses_the_edition_slug_and_falls_back_to_an_existing_edition(
    article_factory,
):
    article = article_factory(title_en="", title_fa="خبر تازه")
    with translation.override("en"):
        url = article.get_absolute_url()
    assert url.startswith(f"/fa/articles/{article.pk}/")
    assert "%D8%AE%D8%A8%D8%B1" in url  # "خبر", percent-encoded by reverse()
