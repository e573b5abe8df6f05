"""How long anything kept for readers may live: never past the next scheduled publication, so
a scheduled item appears at its minute in every cache (pages, fragments, feeds, the site's
settings)."""

import time

from django.core.cache import cache
from django.db.models import Min
from django.utils import timezone

from nejat.editions import edition_codes
from nejat.publishing import publishable_models
from nejat.publishing.cache_tags import list_tag, remembered, shows

KEY = "nejat:next-scheduled"
DAY = 24 * 3600


def next_scheduled_publication():
    """The next moment a scheduled item becomes public by itself, as a timestamp (0: none).

    Kept with the lists of every publishable type in every edition as its tags: scheduling,
    publishing or unscheduling anything changes them, and the next one is looked up then; once
    the moment has passed (the item went live by itself), the one after it.
    """
    moment = remembered(KEY, find_next_scheduled, DAY, tags_to_page=False)
    if moment and moment <= time.time():
        cache.delete(KEY)
        moment = remembered(KEY, find_next_scheduled, DAY, tags_to_page=False)
    return moment


def find_next_scheduled():
    models = publishable_models()
    shows(*(list_tag(model, code) for model in models for code in edition_codes()))
    now = timezone.now()
    found = [
        model.objects.scheduled(now).aggregate(next=Min("publish_at"))["next"] for model in models
    ]
    moment = min((m for m in found if m), default=None)
    return moment.timestamp() if moment else 0


def cache_lifetime(seconds):
    """``seconds``, or less: nothing cached may outlive the next scheduled publication."""
    moment = next_scheduled_publication()
    if moment:
        seconds = min(seconds, max(int(moment - timezone.now().timestamp()), 1))
    return seconds
