"""A poster for a linked video, fetched once when the video is saved: readers see the video's
picture before they press play, and their browsers still ask YouTube, Vimeo or Aparat for nothing.

The video site's oEmbed answer (VIDEO_OEMBED_ENDPOINTS) names its thumbnail; the thumbnail goes
through the checks of an upload (``validate_image``), then becomes the poster with its renditions.
It runs in a job deferred with the save (media_gallery/jobs.py), with a timeout and a size cap
on each request. A site that cannot be reached raises, and the job tries again later; whatever
else goes wrong (a 404, a huge or broken file) is logged and the video stays as it was saved,
without a poster, to be tried again at its next save. A poster the editor chose is never replaced.
"""

import json
import logging
import urllib.error
import urllib.request
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile

from nejat.media.images import validate_image

logger = logging.getLogger(__name__)

TIMEOUT_SECONDS = 5
OEMBED_LIMIT = 64 * 1024


def _read(url, limit):
    """The body at ``url`` (http or https only), refused when larger than ``limit`` bytes."""
    if urlsplit(url).scheme not in {"http", "https"}:
        raise ValueError(f"not a web address: {url!r}")
    request = urllib.request.Request(url, headers={"User-Agent": "NEJAT CMS"})  # noqa: S310
    with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310 - checked above
        body = response.read(limit + 1)
    if len(body) > limit:
        raise ValueError(f"{url} is larger than {limit} bytes")
    return body


def fetch_poster(video):
    """Gives a linked video without a poster its site's thumbnail; True when it did."""
    embed = video.embed
    endpoint = settings.VIDEO_OEMBED_ENDPOINTS.get(embed.provider) if embed else None
    if not endpoint or video.poster:
        return False
    try:
        info = json.loads(_read(f"{endpoint}?{urlencode({'url': embed.watch_url})}", OEMBED_LIMIT))
        thumbnail = _read(str(info["thumbnail_url"]), settings.MAX_IMAGE_UPLOAD_MB * 1024 * 1024)
        upload = ContentFile(thumbnail, name=f"{embed.provider}-{embed.video_id}.jpg")
        validate_image(upload)
    except urllib.error.HTTPError as error:  # the site answered: no such video, …
        logger.warning("No poster for video %s from %s: %s", video.pk, embed.provider, error)
        return False
    except OSError as error:  # not reached (refused, timed out): the job tries again
        logger.warning("No poster for video %s from %s yet: %s", video.pk, embed.provider, error)
        raise
    except (ValueError, KeyError, TypeError, ValidationError) as error:
        logger.warning("No poster for video %s from %s: %s", video.pk, embed.provider, error)
        return False
    video.poster = upload  # stored, cleaned and made into renditions by the field on save
    video.save(update_fields=["poster", "poster_renditions"])
    return True
