"""Template tags of the articles app: the sidebar every page's shell shows, and the related
articles under an article."""

from django import template
from django.conf import settings

from articles import related
from articles.models import Article
from nejat.editions import current_edition

register = template.Library()


@register.inclusion_tag("includes/recent_posts.html")
def recent_posts():
    """The sidebar's "Recent Posts": the edition's newest public articles, as on the old site.
    Without their comment counts, which it does not show: a comment approved on one of them
    leaves every page's sidebar as it is (``nejat.publishing.cache_tags.count_tag``)."""
    posts = Article.objects.public().defer("comment_count")
    return {"posts": posts[: settings.RECENT_POSTS_COUNT]}


@register.simple_tag
def related_articles(article):
    """``{% related_articles article as found %}``: ``articles.related.shown_under``."""
    return related.shown_under(article, current_edition())
