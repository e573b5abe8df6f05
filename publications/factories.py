"""Factories for tests: a live English item unless told otherwise (``title_fa=...``, drafts)."""

from datetime import timedelta

import factory
from django.utils import timezone

from nejat.publishing import Status
from publications.models import Book, Brief, BriefEntry, Newsletter, NewsletterItem


class PublishableFactory(factory.django.DjangoModelFactory):
    status = Status.PUBLISHED
    publish_at = factory.LazyFunction(lambda: timezone.now() - timedelta(hours=1))

    class Meta:
        abstract = True


class NewsletterFactory(PublishableFactory):
    class Meta:
        model = Newsletter

    number = factory.Sequence(lambda n: n + 1)
    title_en = factory.Sequence(lambda n: f"Newsletter issue {n}")
    issue_date = factory.LazyFunction(timezone.localdate)


class NewsletterItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NewsletterItem

    newsletter = factory.SubFactory(NewsletterFactory)
    title_en = factory.Sequence(lambda n: f"Inside item {n}")
    summary_en = "A short summary."


class BriefFactory(PublishableFactory):
    class Meta:
        model = Brief

    number = factory.Sequence(lambda n: n + 1)
    title_en = factory.Sequence(lambda n: f"Pars Brief digest {n}")
    issue_date = factory.LazyFunction(timezone.localdate)


class BriefEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BriefEntry

    brief = factory.SubFactory(BriefFactory)
    text_en = factory.Sequence(lambda n: f"Short item {n}.")


class BookFactory(PublishableFactory):
    class Meta:
        model = Book

    title_en = factory.Sequence(lambda n: f"Book {n}")
    author_en = "Demo Author"
    year = 2020
