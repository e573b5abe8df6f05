"""The gallery's background work, on the job queue (``nejat.ops.jobs``): a linked video's
poster, fetched from its site after the save that linked it (media_gallery/posters.py)."""

from django.apps import apps
from procrastinate import RetryStrategy
from procrastinate.contrib.django import app

from media_gallery import posters


@app.task(
    queue="media",
    retry=RetryStrategy(max_attempts=4, exponential_wait=6, retry_exceptions={OSError}),
)
def fetch_poster(pk):
    """A video site that cannot be reached is tried again (after 36 s, 3.6 min, 22 min); an
    answer that is not a picture is logged, and the video stays without a poster."""
    video = apps.get_model("media_gallery", "Video").objects.filter(pk=pk).first()
    return bool(video) and posters.fetch_poster(video)
