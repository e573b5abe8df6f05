from django.conf import settings
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.views.generic import DetailView, MonthArchiveView

from articles.models import Article, Category
from nejat.delivery.pagination import NewerOlderPaginator
from nejat.delivery.views import PublicDetailMixin, PublicListView, SharedWithReaders
from nejat.editions import current_edition, normalize
from nejat.models import Tag


class ArticleListView(PublicListView):
    """The home page, categories, tags and authors narrow this list down."""

    model = Article
    template_name = "articles/article_list.html"
    context_object_name = "articles"

    def get_queryset(self):
        return super().get_queryset().for_list()


class HomeView(ArticleListView):
    template_name = "home.html"
    pinned_limit = 3

    def get_context_data(self, **kwargs):
        """Pinned articles open the first page, then the newest as always (a pinned one among
        them is not shown twice); the pages after it are unchanged."""
        context = super().get_context_data(**kwargs)
        if context["page_obj"].number == 1:
            pinned = list(self.get_queryset().filter(pinned=True)[: self.pinned_limit])
            shown = {article.pk for article in pinned}
            newest = [article for article in context["articles"] if article.pk not in shown]
            context["articles"] = pinned + newest
        return context


class CategoryView(ArticleListView):
    template_name = "articles/category.html"

    def get_queryset(self):
        # modeltranslation reads ``slug`` as the current edition's slug.
        slug = normalize(self.kwargs["slug"], current_edition())
        self.category = get_object_or_404(Category, slug=slug)
        return super().get_queryset().in_category(self.category)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            category=self.category, edition_object=self.category, **kwargs
        )


class TagView(ArticleListView):
    template_name = "articles/tag.html"

    def get_queryset(self):
        code = current_edition()
        self.tag = get_object_or_404(Tag, language=code, slug=normalize(self.kwargs["slug"], code))
        return super().get_queryset().filter(tags=self.tag)

    def get_context_data(self, **kwargs):
        return super().get_context_data(tag=self.tag, edition_object=self.tag, **kwargs)


class ArticleDetailView(PublicDetailMixin, DetailView):
    model = Article
    context_object_name = "article"

    def get_queryset(self):
        also_read = Article.objects.public().for_list()
        return (
            super()
            .get_queryset()
            .for_reading()
            .select_related("category")
            .prefetch_related("tags", Prefetch("related", queryset=also_read))
        )


class MonthArchive(SharedWithReaders, MonthArchiveView):
    """/articles/2024/05/: the month's public articles, newest first, ten a page."""

    date_field = "publish_at"
    month_format = "%m"
    paginate_by = settings.ARTICLES_PER_PAGE
    paginator_class = NewerOlderPaginator
    template_name = "articles/archive_month.html"
    context_object_name = "articles"
    ordering = ["-publish_at", "-pk"]

    def get_queryset(self):
        return Article.objects.public().for_list()


class AuthorArchive(ArticleListView):
    """/articles/author/<slug>/: the articles of one author in this edition."""

    template_name = "articles/archive_author.html"

    def get_queryset(self):
        # modeltranslation reads ``author_slug`` as the current edition's.
        slug = normalize(self.kwargs["slug"], current_edition())
        return super().get_queryset().filter(author_slug=slug)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        first = context["articles"][0] if context["articles"] else None
        if first is None:
            raise Http404("No articles by this author in this edition")
        context["author"] = first.author
        return context
