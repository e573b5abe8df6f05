from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = _("Articles")
    # The list pages in the sitemap (``nejat.delivery.sitemaps`` asks every app for its own).
    sitemap_sections = ("articles:list",)

    def ready(self):
        from django.db.models.signals import post_save

        from articles import jobs
        from articles.models import Article
        from nejat.models import Tag

        Tag.page_url_name = "articles:tag"  # tag pages list articles
        # Related articles: searched again when an article is saved published or scheduled.
        post_save.connect(jobs.search_again, sender=Article, dispatch_uid="articles-search-again")
