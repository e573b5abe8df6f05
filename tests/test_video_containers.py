"""Videos are checked by their container's structure, not their first bytes
(media_gallery/containers.py)."""

import io
import struct
import time

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from media_gallery.containers import NotAVideo, check_video
from media_gallery.models import validate_video
from tests.helpers.media import DEMO_VIDEO


def box(kind, content=b""):
    return struct.pack(">I4s", 8 + len(content), kind) + content


def ebml(element_id, content):
    """An EBML element: its ID, its size as an 8-byte variable-length number, its content."""
    identifier = element_id.to_bytes((element_id.bit_length() + 7) // 8, "big")
    return identifier + (0x01 << 56 | len(content)).to_bytes(8, "big") + content


def webm(doctype=b"webm", children=(0x1549A966, 0x1654AE6B)):
    header = ebml(0x1A45DFA3, ebml(0x4286, b"\x01") + ebml(0x4282, doctype))
    segment = b"".join(ebml(child, b"\x00" * 4) for child in children) + ebml(0x1F43B675, b"\0")
    return header + ebml(0x18538067, segment)


MP4 = DEMO_VIDEO.read_bytes()
FTYP = box(b"ftyp", b"isom\0\0\2\0isomiso2avc1mp41")


def check(data):
    check_video(io.BytesIO(data), len(data))


@pytest.mark.parametrize(
    "data",
    [
        MP4,
        FTYP + box(b"moov", box(b"mvhd", b"\0" * 100)) + box(b"mdat", b"\0" * 64),
        FTYP + box(b"moov", box(b"mvhd")) + box(b"moof") + box(b"mdat"),  # fragmented
        webm(),
    ],
    ids=["demo mp4", "minimal mp4", "fragmented mp4", "webm"],
)
def test_real_containers_pass(data):
    check(data)


@pytest.mark.parametrize(
    "data",
    [
        FTYP + b"<html><script>alert(1)</script></html>" * 20,  # HTML behind an ftyp header
        MP4[:2000],  # cut short
        FTYP + box(b"mdat", b"\0" * 64),  # no movie
        FTYP + box(b"moov", box(b"free")) + box(b"mdat"),  # no movie header
        box(b"ftyp", b"webp\0\0\0\0") + box(b"moov", box(b"mvhd")) + box(b"mdat"),  # no brand
        box(b"moov", box(b"mvhd")) + FTYP + box(b"mdat"),  # ftyp not first
        webm(doctype=b"matroska"),
        webm(children=(0x1549A966,)),  # no tracks
        webm()[:40],
        b"\x1a\x45\xdf\xa3" + b"<html>" * 50,
    ],
    ids=[
        "html after ftyp", "truncated", "no moov", "no mvhd", "no brand", "ftyp later",
        "matroska", "no tracks", "truncated webm", "html after ebml id",
    ],
)  # fmt: skip
def test_look_alikes_are_refused(data):
    with pytest.raises(NotAVideo):
        check(data)


def test_a_file_of_countless_tiny_boxes_is_refused_at_once():
    data = FTYP + box(b"free") * 2_000_000  # 16 MB of empty boxes
    started = time.monotonic()
    with pytest.raises(NotAVideo):
        check(data)
    assert time.monotonic() - started < 2


def test_the_upload_says_so_in_a_form_error():
    fake = FTYP + b"<html><body>not a video</body></html>"
    with pytest.raises(ValidationError, match="not an MP4 or WebM video"):
        validate_video(SimpleUploadedFile("clip.mp4", fake, "video/mp4"))
    validate_video(SimpleUploadedFile("clip.mp4", MP4, "video/mp4"))
