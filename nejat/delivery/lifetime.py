"""How long anything kept for readers may live: never past the next scheduled publication, so
a scheduled item appears at its minute in every cache (pages, fragments, feeds, the site's
settings)."""

from django.core.cache import cache
from django.db.models import Min
from django.utils import timezone

from nejat.publishing import publishable_models
from nejat.publishing.content_version import content_version


def next_scheduled_publication():
    """The next moment a scheduled item becomes public by itself, as a timestamp (0: none).

    Kept with the content version: scheduling or publishing anything changes the version, and
    the kept value expires at that moment, so the next one is looked up then.
    """
    key = f"nejat:next-scheduled:{content_version()}"
    moment = cache.get(key)
    if moment is None:
        now = timezone.now()
        found = [
            model.objects.scheduled(now).aggregate(next=Min("publish_at"))["next"]
            for model in publishable_models()
        ]
        moment = min((m for m in found if m), default=None)
        moment = moment.timestamp() if moment else 0
        cache.set(key, moment, int(moment - now.timestamp()) + 1 if moment else None)
    return moment


def cache_lifetime(seconds):
    """``seconds``, or less: nothing cached may outlive the next scheduled publication."""
    moment = next_scheduled_publication()
    if moment:
        seconds = min(seconds, max(int(moment - timezone.now().timestamp()), 1))
    return seconds
