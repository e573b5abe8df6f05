"""Links from known video sites, turned into privacy-respecting embeds.

Only YouTube, Vimeo and Aparat are known; any other link is refused. The embed address is used
only after the reader presses play (see templates/media_gallery/includes/video_player.html).
"""

import re
from dataclasses import dataclass
from urllib.parse import parse_qs, urlparse

from django.utils.translation import gettext as _

YOUTUBE_ID = r"[A-Za-z0-9_-]{11}"


@dataclass(frozen=True)
class Embed:
    provider: str  # "youtube", "vimeo", "aparat"
    video_id: str

    @property
    def name(self):
        """The site's name as the edition writes it ("یوتیوب" in Persian)."""
        return {"youtube": _("YouTube"), "vimeo": _("Vimeo"), "aparat": _("Aparat")}[self.provider]

    @property
    def player_url(self):
        """The iframe address: YouTube's no-cookie domain, Vimeo with "do not track"."""
        return {
            "youtube": f"https://www.youtube-nocookie.com/embed/{self.video_id}?autoplay=1&rel=0",
            "vimeo": f"https://player.vimeo.com/video/{self.video_id}?dnt=1&autoplay=1",
            "aparat": (
                f"https://www.aparat.com/video/video/embed/videohash/{self.video_id}/vt/frame"
            ),
        }[self.provider]

    @property
    def watch_url(self):
        """The page on the video site, for readers without JavaScript."""
        return {
            "youtube": f"https://www.youtube.com/watch?v={self.video_id}",
            "vimeo": f"https://vimeo.com/{self.video_id}",
            "aparat": f"https://www.aparat.com/v/{self.video_id}",
        }[self.provider]


def parse_video_url(url):
    """An ``Embed`` for a YouTube, Vimeo or Aparat link, else None."""
    try:
        parts = urlparse((url or "").strip())
    except ValueError:
        return None
    if parts.scheme not in {"http", "https"}:
        return None
    host = (parts.hostname or "").lower().removeprefix("www.").removeprefix("m.")
    path = parts.path
    if host in {"youtube.com", "youtube-nocookie.com", "music.youtube.com"}:
        video_id = parse_qs(parts.query).get("v", [""])[0]
        if not video_id:
            match = re.fullmatch(rf"/(?:embed|shorts|live|v)/({YOUTUBE_ID})/?", path)
            video_id = match.group(1) if match else ""
        return Embed("youtube", video_id) if re.fullmatch(YOUTUBE_ID, video_id) else None
    if host == "youtu.be":
        match = re.fullmatch(rf"/({YOUTUBE_ID})/?", path)
        return Embed("youtube", match.group(1)) if match else None
    if host in {"vimeo.com", "player.vimeo.com"}:
        match = re.fullmatch(r"/(?:video/|channels/[\w-]+/)?(\d{6,12})/?", path)
        return Embed("vimeo", match.group(1)) if match else None
    if host == "aparat.com":
        match = re.fullmatch(
            r"/(?:v/|video/video/embed/videohash/)([A-Za-z0-9]{4,16})(?:/.*)?", path
        )
        return Embed("aparat", match.group(1)) if match else None
    return None
