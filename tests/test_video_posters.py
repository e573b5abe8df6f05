"""A linked video's poster comes from its site once, when it is saved (media_gallery/posters.py),
tested against a fake video site on a loopback port: readers then see the picture and their
browsers ask the video site for nothing before they press play."""

import logging
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from media_gallery.models import Video
from nejat.ops.demo_files import demo_image
from tests.helpers.media import linked_video
from tests.helpers.services import free_port

pytestmark = pytest.mark.django_db


def test_a_linked_video_gets_its_sites_picture_once(video_site, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        video = linked_video()
    video.refresh_from_db()
    assert video.poster and video.poster_picture.has_renditions
    asked_for = parse_qs(urlsplit(video_site.asked[0]).query)["url"]
    assert asked_for == ["https://www.youtube.com/watch?v=abcdefghijk"]
    page = Client().get(video.get_absolute_url()).content.decode()
    assert video.poster_picture.best_url in page and "ytimg" not in page
    asked = len(video_site.asked)
    with django_capture_on_commit_callbacks(execute=True):
        video.title_en = "Talk, again"
        video.save()  # the editor saves again: the poster is there, nothing is asked
    assert len(video_site.asked) == asked


@pytest.mark.parametrize("thumbnail", [b"<html>not a picture</html>", b""])
def test_a_bad_picture_leaves_the_video_as_saved(
    video_site, django_capture_on_commit_callbacks, caplog, thumbnail
):
    video_site.thumbnail = thumbnail
    with caplog.at_level(logging.WARNING), django_capture_on_commit_callbacks(execute=True):
        video = linked_video()
    video.refresh_from_db()
    assert not video.poster and video.title_en == "Talk"
    assert f"No poster for video {video.pk} from youtube" in caplog.text
    assert Client().get(video.get_absolute_url()).status_code == 200


def test_an_unreachable_site_leaves_the_video_as_saved(
    settings, django_capture_on_commit_callbacks, caplog
):
    closed = f"http://127.0.0.1:{free_port()}/oembed"  # nothing listens there
    settings.VIDEO_OEMBED_ENDPOINTS = {"youtube": closed}
    with django_capture_on_commit_callbacks(execute=True):
        video = linked_video()
    video.refresh_from_db()
    assert not video.poster and "No poster for video" in caplog.text


def test_a_poster_the_editor_chose_is_kept(video_site, django_capture_on_commit_callbacks):
    chosen = SimpleUploadedFile("mine.jpg", demo_image(9).read(), "image/jpeg")
    with django_capture_on_commit_callbacks(execute=True):
        video = linked_video(poster=chosen)
    assert video_site.asked == [] and "mine" in Video.objects.get(pk=video.pk).poster.name
