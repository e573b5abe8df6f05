"""Factories for tests: an article exists in the editions whose titles you pass."""

from datetime import timedelta

import factory
from django.utils import timezone

from articles.models import Article, Category
from nejat.publishing import Status


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category

    name_en = factory.Sequence(lambda n: f"Category {n}")
    slug_en = factory.Sequence(lambda n: f"category-{n}")


class ArticleFactory(factory.django.DjangoModelFactory):
    """A live English article unless told otherwise (``title_fa=...``, ``status=Status.DRAFT``)."""

    class Meta:
        model = Article

    title_en = factory.Sequence(lambda n: f"Article number {n}")
    body_en = "<p>Body text.</p>"
    status = Status.PUBLISHED
    publish_at = factory.LazyFunction(lambda: timezone.now() - timedelta(hours=1))
    category = factory.SubFactory(CategoryFactory)
