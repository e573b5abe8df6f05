"""RSS 2.0 and Atom feeds of each edition, category and tag: the newest 20 public articles."""

from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from articles.models import Article, Category
from nejat.editions import current_edition, normalize
from nejat.models import Tag
from nejat.pages.site import site_context


class ArticleFeed(Feed):
    def __call__(self, request, *args, **kwargs):
        self.request = request
        return super().__call__(request, *args, **kwargs)

    def title(self, obj=None):
        return site_context(current_edition())["site_name"]

    def link(self, obj=None):
        return reverse("home")

    def description(self, obj=None):
        return _("The newest articles")

    def articles(self, obj=None):
        return Article.objects.public().for_list()

    def items(self, obj=None):
        return self.articles(obj)[:20]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.excerpt()

    def item_author_name(self, item):
        return item.byline or None

    def item_pubdate(self, item):
        return item.publish_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_categories(self, item):
        return [item.category.name] if item.category and item.category.name else []

    def item_enclosure_url(self, item):
        picture = item.featured_image_picture
        return self.request.build_absolute_uri(picture.best_url) if picture.has_renditions else None

    def item_enclosure_length(self, item):
        return item.featured_image_picture.best_bytes

    def item_enclosure_mime_type(self, item):
        return item.featured_image_picture.mime_type


class AtomArticleFeed(ArticleFeed):
    feed_type = Atom1Feed

    def subtitle(self, obj=None):
        return self.description(obj)


class CategoryFeedMixin:
    def get_object(self, request, slug):
        return get_object_or_404(Category, slug=normalize(slug, current_edition()))

    def title(self, obj=None):
        return f"{obj.name} – {super().title(obj)}"

    def link(self, obj=None):
        return obj.get_absolute_url()

    def articles(self, obj=None):
        return super().articles(obj).in_category(obj)


class TagFeedMixin:
    def get_object(self, request, slug):
        code = current_edition()
        return get_object_or_404(Tag, language=code, slug=normalize(slug, code))

    def title(self, obj=None):
        return f"{obj.name} – {super().title(obj)}"

    def link(self, obj=None):
        return obj.get_absolute_url()

    def articles(self, obj=None):
        return super().articles(obj).filter(tags=obj)


class CategoryFeed(CategoryFeedMixin, ArticleFeed):
    pass


class AtomCategoryFeed(CategoryFeedMixin, AtomArticleFeed):
    pass


class TagFeed(TagFeedMixin, ArticleFeed):
    pass


class AtomTagFeed(TagFeedMixin, AtomArticleFeed):
    pass
