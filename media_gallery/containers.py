"""Is an uploaded video really an MP4 or a WebM? Its container's structure says, not its first
bytes: HTML behind an ``ftyp`` header starts like an MP4 and is nothing of the kind.

- **MP4** (ISO base media): the file is a sequence of boxes (size, four-letter type) that must
  tile it exactly; the first is ``ftyp`` with a video brand, and a ``moov`` (the movie's
  description, holding ``mvhd``) and media data (``mdat``, or ``moof`` fragments) are present.
- **WebM** (EBML, Matroska's subset): an EBML header whose DocType is ``webm``, then a
  ``Segment`` holding ``Info`` and ``Tracks`` before the first ``Cluster``.

Only headers are read, by seeking: a 200 MB upload costs a few reads and no memory, and a
made-up size can only fail the check.
"""

import struct

MP4_BRANDS = {
    b"isom", b"iso2", b"iso3", b"iso4", b"iso5", b"iso6", b"mp41", b"mp42", b"avc1", b"M4V ",
    b"M4VP", b"dash", b"msnv", b"qt  ", b"3gp4", b"3gp5", b"3gp6", b"3g2a", b"mmp4", b"f4v ",
}  # fmt: skip
MP4_MEDIA = {b"mdat", b"moof"}
EBML_HEADER, EBML_DOCTYPE, SEGMENT = 0x1A45DFA3, 0x4282, 0x18538067
SEGMENT_INFO, TRACKS, CLUSTER = 0x1549A966, 0x1654AE6B, 0x1F43B675
UNKNOWN_SIZE = object()
# A real file has a few top-level boxes (thousands when fragmented); a file made of
# millions of tiny ones would only keep the worker busy.
MAX_ELEMENTS = 100_000  # a fragmented hour of video has a few thousand


class NotAVideo(ValueError):
    pass


def check_video(file, size):
    """Raise ``NotAVideo`` unless ``file`` (``size`` bytes, seekable) is an MP4 or a WebM."""
    file.seek(0)
    head = file.read(4)
    file.seek(0)
    if head == EBML_HEADER.to_bytes(4, "big"):
        return check_webm(file, size)
    return check_mp4(file, size)


# --- MP4 ------------------------------------------------------------------------------------------


def mp4_boxes(file, start, end):
    """(type, start of content, end) of each box between ``start`` and ``end``; they must tile
    that span exactly."""
    position, count = start, 0
    while position < end:
        count += 1
        if count > MAX_ELEMENTS:
            raise NotAVideo("too many boxes")
        file.seek(position)
        header = file.read(8)
        if len(header) < 8:
            raise NotAVideo("a box is cut short")
        length, kind = struct.unpack(">I4s", header)
        content = position + 8
        if length == 1:  # a 64-bit size follows
            large = file.read(8)
            if len(large) < 8:
                raise NotAVideo("a box is cut short")
            (length,) = struct.unpack(">Q", large)
            content += 8
        elif length == 0:  # to the end of the file
            length = end - position
        if not all(32 <= byte < 127 for byte in kind):
            raise NotAVideo("not a box type")
        if length < content - position or position + length > end:
            raise NotAVideo("a box's size does not fit the file")
        yield kind, content, position + length
        position += length


def check_mp4(file, size):
    boxes = list(mp4_boxes(file, 0, size))
    if not boxes or boxes[0][0] != b"ftyp":
        raise NotAVideo("no ftyp box first")
    _ftyp, content, end = boxes[0]
    file.seek(content)
    brands = file.read(min(end - content, 256))
    major, compatible = brands[:4], [brands[i : i + 4] for i in range(8, len(brands), 4)]
    if major not in MP4_BRANDS and not MP4_BRANDS.intersection(compatible):
        raise NotAVideo("not a video brand")
    kinds = {kind for kind, _content, _end in boxes}
    if b"moov" not in kinds or not kinds & MP4_MEDIA:
        raise NotAVideo("no movie or no media data")
    moov = next((content, end) for kind, content, end in boxes if kind == b"moov")
    if b"mvhd" not in {kind for kind, _c, _e in mp4_boxes(file, *moov)}:
        raise NotAVideo("no movie header")


# --- WebM -----------------------------------------------------------------------------------------


def ebml_number(file, is_id):
    """An EBML variable-length number (an element ID keeps its marker bit; a size does not)."""
    first = file.read(1)
    if not first:
        raise NotAVideo("cut short")
    length = 8 - first[0].bit_length() + 1
    if first[0] == 0 or length > (4 if is_id else 8):
        raise NotAVideo("not an EBML number")
    rest = file.read(length - 1)
    if len(rest) < length - 1:
        raise NotAVideo("cut short")
    value = int.from_bytes(first + rest, "big")
    if is_id:
        return value
    value &= (1 << (7 * length)) - 1
    return UNKNOWN_SIZE if value == (1 << (7 * length)) - 1 else value


def ebml_elements(file, start, end):
    """(ID, start of content, end or None when of unknown size) of the elements from
    ``start``; stops at ``end``."""
    position, count = start, 0
    while position < end:
        count += 1
        if count > MAX_ELEMENTS:
            raise NotAVideo("too many elements")
        file.seek(position)
        element = ebml_number(file, is_id=True)
        length = ebml_number(file, is_id=False)
        content = file.tell()
        if length is UNKNOWN_SIZE:
            yield element, content, None
            return
        if content + length > end:
            raise NotAVideo("an element's size does not fit the file")
        yield element, content, content + length
        position = content + length


def check_webm(file, size):
    top = ebml_elements(file, 0, size)
    header = next(top, None)
    if header is None or header[0] != EBML_HEADER or header[2] is None:
        raise NotAVideo("no EBML header")
    doctype = next(
        (
            (content, end)
            for element, content, end in ebml_elements(file, header[1], header[2])
            if element == EBML_DOCTYPE and end is not None
        ),
        None,
    )
    if doctype is None:
        raise NotAVideo("no DocType")
    file.seek(doctype[0])
    if file.read(doctype[1] - doctype[0]).rstrip(b"\0") != b"webm":
        raise NotAVideo("not a WebM document")
    segment = next(top, None)
    if segment is None or segment[0] != SEGMENT:
        raise NotAVideo("no segment")
    seen = set()
    for element, _content, _end in ebml_elements(file, segment[1], segment[2] or size):
        if element == CLUSTER:
            break
        seen.add(element)
    if not {SEGMENT_INFO, TRACKS} <= seen:
        raise NotAVideo("no segment information or no tracks")
