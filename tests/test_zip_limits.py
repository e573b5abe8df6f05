"""ZIP entries stream with bounded memory and are stopped at the image limit, whatever their
header declares (media_gallery/admin.py ``unpacked``)."""

import io
import struct
import tracemalloc
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from media_gallery.admin import images_from_zip
from tests.helpers.media import make_zip, png

MB = 1024 * 1024


def zip_of_zeros(name, size):
    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive,
        archive.open(name, "w") as entry,
    ):
        for _ in range(size // MB):
            entry.write(bytes(MB))
    return buffer.getvalue()


def lying_about_its_size(data, declared):
    """The ZIP with every header saying the entry unpacks to ``declared`` bytes."""
    data = bytearray(data)
    for signature, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        position = data.find(signature)
        while position >= 0:
            data[position + offset : position + offset + 4] = struct.pack("<I", declared)
            position = data.find(signature, position + 4)
    return bytes(data)


def test_an_entry_declared_too_large_is_refused_before_it_is_read(settings):
    settings.MAX_IMAGE_UPLOAD_MB = 15
    settings.MAX_ZIP_UNPACKED_MB = 1000
    archive = zip_of_zeros("huge.png", 450 * MB)  # about half a megabyte packed
    tracemalloc.start()
    with pytest.raises(ValidationError, match=r"huge\.png: The image is larger than 15 MB"):
        images_from_zip(SimpleUploadedFile("album.zip", archive))
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert peak < 20 * MB


def test_an_entry_lying_about_its_size_is_read_no_further_than_it_says(settings):
    """Reading stops at the declared size (then its checksum fails): a small declared size
    cannot hide a bomb, and a large one is refused before reading."""
    settings.MAX_IMAGE_UPLOAD_MB = 2
    archive = lying_about_its_size(zip_of_zeros("liar.png", 64 * MB), declared=1000)
    tracemalloc.start()
    with pytest.raises(ValidationError, match="cannot be read"):
        images_from_zip(SimpleUploadedFile("album.zip", archive))
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert peak < 8 * MB  # never the 64 MB it unpacks to


def test_real_photos_still_come_through_as_files():
    images = images_from_zip(SimpleUploadedFile("a.zip", make_zip([("a.png", png(1))])))
    assert [image.name for image in images] == ["a.png"]
    assert images[0].read(8) == b"\x89PNG\r\n\x1a\n"
