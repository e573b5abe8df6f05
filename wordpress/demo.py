"""Invented old addresses, as an import from the old WordPress site leaves them: the permalink
and the ``?p=`` address of two demo articles (`make run` shows them at /admin/wordpress/)."""

from articles.models import Article
from wordpress.models import OldAddress


def load():
    if OldAddress.objects.exists():
        return 0
    created = 0
    articles = Article.objects.exclude(slug_en="").order_by("pk")[:2]
    for number, article in enumerate(articles, start=101):
        year = article.publish_at.year
        for path, query in ((f"/{year}/05/{article.slug_en}/", ""), ("/", f"p={number}")):
            OldAddress.objects.create(path=path, query=query, edition="en", item=article)
            created += 1
    return created
