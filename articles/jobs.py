"""The articles' background work: their related articles (``articles.related``), searched again
when an article is saved published or scheduled, and each night for the last two weeks'."""

import contextlib
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from procrastinate.contrib.django import app
from procrastinate.exceptions import AlreadyEnqueued

from articles import related
from articles.models import Article
from nejat.publishing import State

RECENT_DAYS = 14


@app.task(queue="maintenance")
def suggest_related(article_id):
    article = Article.objects.filter(pk=article_id).first()
    return bool(article and related.suggest(article))


@app.periodic(cron="17 4 * * *")
@app.task(queue="maintenance", queueing_lock="refresh_related")
def refresh_related(timestamp):
    """Each night: the related articles of the last two weeks' articles, which newer ones may
    suit better now."""
    since = timezone.now() - timedelta(days=RECENT_DAYS)
    recent = Article.objects.published().filter(publish_at__gte=since)
    return sum(related.suggest(article) for article in recent)


def search_again(sender, instance, **kwargs):
    """A saved article that is or will be public: its related articles searched again, once
    however often it is saved before the job runs (in the save's own transaction)."""
    if instance.state not in (State.LIVE, State.SCHEDULED):
        return
    job = suggest_related.configure(queueing_lock=f"suggest_related-{instance.pk}")
    with contextlib.suppress(AlreadyEnqueued), transaction.atomic():  # (a savepoint)
        job.defer(article_id=instance.pk)
