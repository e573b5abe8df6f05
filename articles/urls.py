from django.urls import path

import nejat.delivery.converters  # noqa: F401 - registers <uslug:>
from articles import feeds, views
from nejat.delivery.page_cache import cached_until_content_changes as cached


def feed(feed_class):
    """A fresh feed object per request: it keeps the request to build absolute addresses."""

    def view(request, *args, **kwargs):
        return feed_class()(request, *args, **kwargs)

    return cached(view)


app_name = "articles"
urlpatterns = [
    path("articles/", views.ArticleListView.as_view(), name="list"),
    path("articles/category/<uslug:slug>/", views.CategoryView.as_view(), name="category"),
    path("articles/<int:year>/<month:month>/", views.MonthArchive.as_view(), name="month"),
    path("articles/author/<uslug:slug>/", views.AuthorArchive.as_view(), name="author"),
    path("articles/<int:pk>/", views.ArticleDetailView.as_view(), name="detail"),
    path("articles/<int:pk>/<uslug:slug>/", views.ArticleDetailView.as_view(), name="detail"),
    path("tags/<uslug:slug>/", views.TagView.as_view(), name="tag"),
    path("feed/", feed(feeds.ArticleFeed), name="feed"),
    path("feed/atom/", feed(feeds.AtomArticleFeed), name="feed_atom"),
    path(
        "articles/category/<uslug:slug>/feed/",
        feed(feeds.CategoryFeed),
        name="category_feed",
    ),
    path(
        "articles/category/<uslug:slug>/feed/atom/",
        feed(feeds.AtomCategoryFeed),
        name="category_feed_atom",
    ),
    path("tags/<uslug:slug>/feed/", feed(feeds.TagFeed), name="tag_feed"),
    path("tags/<uslug:slug>/feed/atom/", feed(feeds.AtomTagFeed), name="tag_feed_atom"),
]
