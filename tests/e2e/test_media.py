"""A reader opens an album and steps through its photos with the keyboard."""

import pytest
from playwright.sync_api import expect

from media_gallery.models import Gallery, Photo, Video, refresh_gallery
from nejat.ops.demo_files import demo_image
from nejat.publishing import Status, fill_missing_slugs
from tests.e2e.conftest import LIVE_DATABASE

pytestmark = [pytest.mark.e2e, LIVE_DATABASE]


@pytest.fixture
def album(db):
    gallery = Gallery(status=Status.PUBLISHED, title_en="Garden day", title_fa="روز باغ")
    fill_missing_slugs(gallery)
    gallery.save()
    for n in range(1, 4):
        Photo.objects.create(
            gallery=gallery,
            position=n,
            image=demo_image(n),
            caption_en=f"Garden photo {n}",
            caption_fa=f"عکس باغ {n}",
            alt_en=f"Garden photo {n}",
            alt_fa=f"عکس باغ {n}",
        )
    refresh_gallery(gallery)
    return gallery


def showing(page, caption):
    expect(page.locator("figcaption")).to_contain_text(caption)
    page.wait_for_load_state("load")  # the page's script is ready for the next key


def test_album_keyboard_navigation(page, live_server, album, screenshot):
    page.goto(live_server.url + album.url_in("en"))
    page.locator(".photo-grid a").first.click()
    showing(page, "Garden photo 1")
    page.keyboard.press("ArrowRight")
    showing(page, "Garden photo 2")
    page.keyboard.press("ArrowRight")
    showing(page, "Garden photo 3")
    page.keyboard.press("ArrowRight")  # the last photo: nowhere to go
    showing(page, "Garden photo 3")
    page.keyboard.press("ArrowLeft")
    showing(page, "Garden photo 2")
    screenshot(page, "album-photo-en")


def test_album_keys_follow_reading_direction_in_persian(page, live_server, album):
    page.goto(live_server.url + album.photo_url(1, "fa"))
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    page.keyboard.press("ArrowLeft")  # right to left: the next photo lies to the left
    expect(page.locator("figcaption")).to_contain_text("عکس باغ 2")


def test_album_works_without_javascript(browser, live_server, album):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + album.photo_url(1, "en"))
    page.get_by_role("link", name="Next photo").click()
    expect(page.locator("figcaption")).to_contain_text("Garden photo 2")
    context.close()


def test_swipe_moves_to_the_next_photo(browser, live_server, album):
    context = browser.new_context(has_touch=True, viewport={"width": 390, "height": 800})
    page = context.new_page()
    page.goto(live_server.url + album.photo_url(1, "en"))
    page.evaluate(
        """() => {
        const target = document.querySelector('[data-swipe-nav]');
        const touch = (x) => new Touch({identifier: 1, target, clientX: x, clientY: 300});
        const fire = (type, x) =>
            target.dispatchEvent(new TouchEvent(type, {changedTouches: [touch(x)], bubbles: true}));
        fire('touchstart', 300);
        fire('touchend', 100);
    }"""
    )
    expect(page.locator("figcaption")).to_contain_text("Garden photo 2")
    context.close()


def test_embedded_video_loads_only_after_play(page, live_server):
    video = Video(
        status=Status.PUBLISHED, title_en="Talk", embed_url="https://youtu.be/abcdefghijk"
    )
    fill_missing_slugs(video)
    video.save()
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    # Nothing leaves this machine: the video site is answered locally.
    page.route("https://www.youtube-nocookie.com/**", lambda route: route.fulfill(body="ok"))
    page.goto(live_server.url + video.get_absolute_url())
    assert not [url for url in requested if "youtube" in url]
    page.get_by_role("link", name="Play the video").click()
    expect(page.locator(".video-embed iframe")).to_have_attribute(
        "src", "https://www.youtube-nocookie.com/embed/abcdefghijk?autoplay=1&rel=0"
    )
