from django.db.models import Prefetch
from django.views.generic import DetailView

from nejat.delivery.views import PublicDetailMixin, PublicListView
from publications.models import Book, Brief, BriefEntry, Newsletter, NewsletterItem


class NewsletterListView(PublicListView):
    model = Newsletter


class NewsletterDetailView(PublicDetailMixin, DetailView):
    model = Newsletter

    def get_queryset(self):
        items = Prefetch("items", queryset=NewsletterItem.objects.in_edition())
        return super().get_queryset().prefetch_related(items)


class BriefListView(PublicListView):
    model = Brief


class BriefDetailView(PublicDetailMixin, DetailView):
    model = Brief

    def get_queryset(self):
        entries = Prefetch("entries", queryset=BriefEntry.objects.in_edition())
        return super().get_queryset().prefetch_related(entries)


class BookListView(PublicListView):
    model = Book


class BookDetailView(PublicDetailMixin, DetailView):
    model = Book
