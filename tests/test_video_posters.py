"""A linked video's poster comes from its site once, by a job deferred with its save
(media_gallery/jobs.py, media_gallery/posters.py), tested against a fake video site on a
loopback port: readers then see the picture and their browsers ask the video site for nothing
before they press play."""

import logging
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from procrastinate.contrib.django.models import ProcrastinateJob

from media_gallery.models import Video
from nejat.ops.demo_files import demo_image
from nejat.ops.jobs import run_queued_jobs
from tests.helpers.media import linked_video
from tests.helpers.services import free_port

pytestmark = pytest.mark.django_db(transaction=True)  # jobs are run by a worker's connection


def test_a_linked_video_gets_its_sites_picture_once(video_site, queued):
    video = linked_video()
    assert video_site.asked == []  # not in the editor's request
    run_queued_jobs(["media"])  # the poster, then its renditions
    video.refresh_from_db()
    assert video.poster and video.poster_picture.has_renditions
    asked_for = parse_qs(urlsplit(video_site.asked[0]).query)["url"]
    assert asked_for == ["https://www.youtube.com/watch?v=abcdefghijk"]
    page = Client().get(video.get_absolute_url()).content.decode()
    assert video.poster_picture.best_url in page and "ytimg" not in page
    asked = len(video_site.asked)
    video.title_en = "Talk, again"
    video.save()  # the editor saves again: the poster is there, nothing is asked
    run_queued_jobs(["media"])
    assert len(video_site.asked) == asked


@pytest.mark.parametrize("thumbnail", [b"<html>not a picture</html>", b""])
def test_a_bad_picture_leaves_the_video_as_saved(video_site, queued, caplog, thumbnail):
    video_site.thumbnail = thumbnail
    video = linked_video()
    with caplog.at_level(logging.WARNING):
        run_queued_jobs(["media"])
    video.refresh_from_db()
    assert not video.poster and video.title_en == "Talk"
    assert f"No poster for video {video.pk} from youtube" in caplog.text
    assert Client().get(video.get_absolute_url()).status_code == 200


def test_an_unreachable_site_is_tried_again_later(settings, queued, caplog, video_site):
    working = settings.VIDEO_OEMBED_ENDPOINTS
    settings.VIDEO_OEMBED_ENDPOINTS = {"youtube": f"http://127.0.0.1:{free_port()}/oembed"}
    video = linked_video()  # nothing listens at the site's address
    run_queued_jobs(["media"])
    video.refresh_from_db()
    assert not video.poster and "No poster for video" in caplog.text
    (job,) = ProcrastinateJob.objects.filter(task_name="media_gallery.jobs.fetch_poster")
    assert (job.status, job.attempts) == ("todo", 1)  # waiting to be tried again

    settings.VIDEO_OEMBED_ENDPOINTS = working  # the site is back when the retry is due
    ProcrastinateJob.objects.filter(pk=job.pk).update(scheduled_at=None)
    run_queued_jobs(["media"])
    video.refresh_from_db()
    assert video.poster and video.poster_picture.has_renditions


def test_a_poster_the_editor_chose_is_kept(video_site, queued):
    chosen = SimpleUploadedFile("mine.jpg", demo_image(9).read(), "image/jpeg")
    video = linked_video(poster=chosen)
    run_queued_jobs(["media"])
    assert video_site.asked == [] and "mine" in Video.objects.get(pk=video.pk).poster.name
