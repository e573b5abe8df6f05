"""The old site's uploads: copied from a copy of ``wp-content/uploads`` (``--uploads``) or fetched
from the old host (``--fetch-attachments``), as WordPress's own importer does.

Either way a file gets the checks of every upload (``nejat.media.images.validate_image`` and
``clean_original`` for pictures, ``nejat.media.validators.validate_pdf`` for PDFs), is stored once
and remembered (``ImportedItem`` of kind "upload"): a second run, or a run after one that was cut
off, finds it and fetches nothing again. Its old address answers 301 to the stored file.

Fetching: HTTPS only, only from the old site's host, and never from an address that is not a
public one (a redirect to ``127.0.0.1`` or a private network is refused: the server's own
services are not the old site's). ``WXR_FETCH_FROM_LOOPBACK`` lets the tests' stand-in for the
old site answer plain http on the loopback. Only pictures and PDFs, each within the site's
upload size limit and ``--fetch-timeout`` seconds (each read waits at most that long, and the
body stops at the deadline), one request at a time with ``--fetch-delay`` seconds between two
(a polite pace for a server that is still live). What cannot be had is a row of the report,
never a traceback.
"""

import html
import ipaddress
import re
import socket
import tempfile
import time
from http.client import HTTPException
from pathlib import PurePosixPath
from urllib.error import HTTPError, URLError
from urllib.parse import unquote, urlsplit
from urllib.request import HTTPRedirectHandler, Request, build_opener

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.storage import default_storage

from media_gallery.models import Photo
from nejat.media.images import clean_original, validate_image
from nejat.media.validators import validate_pdf
from wordpress import report as rows
from wordpress.models import ImportedItem, OldAddress
from wordpress.redirects import SIZED_COPY

IMAGE_ADDRESS = re.compile(r"""<img[^>]+src=["']([^"']+)["']""")
IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png", ".gif", ".webp"}
CHUNK = 64 * 1024
USER_AGENT = "Nejat-WordPress-import/1 (moving the site's archive; one request at a time)"


class UploadMissing(Exception):
    """Not in the uploads folder, not on the old host (404), or not to be fetched."""


class UploadRefused(Exception):
    """Found, and refused: too large, too slow, or not what its name says."""


def is_loopback(host):
    """Whether ``host`` is this machine, when the tests allow it (``WXR_FETCH_FROM_LOOPBACK``)."""
    if not settings.WXR_FETCH_FROM_LOOPBACK:
        return False
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def public_host(host):
    """Whether every address ``host`` names is a public one (not this machine, not a private,
    link-local or reserved network), or the tests' loopback."""
    if not host:
        return False
    if is_loopback(host):
        return True
    try:
        found = {info[4][0] for info in socket.getaddrinfo(host, None)}
    except (OSError, UnicodeError):
        return False
    return bool(found) and all(ipaddress.ip_address(a.split("%")[0]).is_global for a in found)


def fetchable(url):
    """Whether ``url`` may be asked for: HTTPS (or the tests' http on the loopback) to a
    public address."""
    parts = urlsplit(url)
    secure = parts.scheme == "https" or (parts.scheme == "http" and is_loopback(parts.hostname))
    return secure and public_host(parts.hostname)


class _SafeRedirects(HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        if not fetchable(newurl):
            raise UploadRefused(
                f"{req.full_url}: redirected to {newurl}, not HTTPS to a public address"
            )
        return super().redirect_request(req, fp, code, msg, headers, newurl)


class Fetcher:
    """Downloads one file at a time, at a polite pace, within a size and a time limit."""

    def __init__(self, delay=1.0, timeout=30.0):
        self.delay, self.timeout = delay, timeout
        self.opener = build_opener(_SafeRedirects)
        self.last = None  # when the last request ended
        self.requests = 0

    def https(self, url):
        """The address to ask: the old site's over HTTPS (http kept only on the loopback)."""
        parts = urlsplit(url)
        if parts.scheme == "http" and not is_loopback(parts.hostname):
            parts = parts._replace(scheme="https")
        return parts.geturl()

    def pace(self):
        if self.last is not None:
            time.sleep(max(0.0, self.last + self.delay - time.monotonic()))

    def fetch(self, url, limit):
        """A temporary file holding what ``url`` answers; UploadMissing or UploadRefused."""
        url = self.https(url)
        if not fetchable(url):
            raise UploadRefused(f"{url}: not HTTPS to a public address")
        self.pace()
        self.requests += 1
        body = tempfile.TemporaryFile()  # noqa: SIM115 - returned, closed by the caller
        try:
            self.download(url, limit, body)
        except BaseException:
            body.close()
            raise
        finally:
            self.last = time.monotonic()
        body.seek(0)
        return body

    def download(self, url, limit, body):
        megabytes = f"{limit // 2**20} MB"
        deadline = time.monotonic() + self.timeout
        request = Request(url, headers={"User-Agent": USER_AGENT})  # noqa: S310 - fetchable()
        try:
            with self.opener.open(request, timeout=self.timeout) as response:
                length = response.headers.get("Content-Length", "")
                if length.isdigit() and int(length) > limit:
                    raise UploadRefused(f"{url}: larger than {megabytes}")
                size = 0
                # read1: one receive at a time (each within the socket's timeout), so a server
                # that trickles bytes meets the deadline instead of holding the import.
                while chunk := response.read1(CHUNK):
                    size += len(chunk)
                    if size > limit:
                        raise UploadRefused(f"{url}: larger than {megabytes}")
                    if time.monotonic() > deadline:
                        raise UploadRefused(f"{url}: took longer than {self.timeout:g} s")
                    body.write(chunk)
                if length.isdigit() and size != int(length):
                    raise UploadRefused(f"{url}: cut off after {size} of {length} bytes")
        except HTTPError as error:
            if error.code in {404, 410}:
                raise UploadMissing(f"{url}: {error.code} on the old site") from None
            raise UploadRefused(f"{url}: the old site answered {error.code}") from None
        except (URLError, OSError, ValueError, HTTPException) as error:  # cut off, garbled
            reason = getattr(error, "reason", None) or error
            raise UploadRefused(f"{url}: {reason}") from None


def checked(upload):
    """``upload`` as every upload of the site is checked (and a picture cleaned), or
    UploadRefused saying why."""
    suffix = PurePosixPath(upload.name).suffix.lower()
    try:
        if suffix in IMAGE_SUFFIXES:
            validate_image(upload)  # what it is, its size, no bomb
            return clean_original(upload)  # upright, without EXIF (camera, location)
        if suffix == ".pdf":
            validate_pdf(upload)
    except ValidationError as error:
        raise UploadRefused(" ".join(error.messages)) from None
    return upload


def size_limit(name):
    """The site's upload limit for the file ``name`` names, or None for what is not fetched."""
    suffix = PurePosixPath(name).suffix.lower()
    if suffix in IMAGE_SUFFIXES:
        return settings.MAX_IMAGE_UPLOAD_MB * 2**20
    if suffix == ".pdf":
        return settings.MAX_PDF_UPLOAD_MB * 2**20
    return None


class Uploads:
    """The importer's part that finds, checks and stores the uploads its items show.

    Needs ``edition``, ``uploads`` (a folder or None), ``fetcher`` (a Fetcher or None),
    ``old_host``, ``old_prefix``, ``old_hosts`` (the hosts the export's addresses name),
    ``dry_run``, ``report``, ``current`` (the item being imported) and ``remembered()``."""

    def upload_name(self, url):
        """``2019/05/x.jpg`` for an address under wp-content/uploads/, else ""."""
        path = PurePosixPath(urlsplit(url).path)
        parts = path.parts
        if "uploads" not in parts or parts[-1] == "uploads" or ".." in parts:
            return ""  # (".." would leave the import's folder: the picture is reported)
        return str(PurePosixPath(*parts[parts.index("uploads") + 1 :]))

    def stored_file(self, url):
        """The stored copy of an old upload (saved once), or "" (reported) when it cannot be had.
        A sized copy WordPress made (``x-300x200.jpg``) stands for its original."""
        name = self.upload_name(url)
        if not name or (self.uploads is None and self.fetcher is None):
            return ""
        sized = SIZED_COPY.match(name)
        names = [sized["name"] + sized["extension"], name] if sized else [name]
        for candidate in names:
            if self.stored.get(candidate):
                return self.stored[candidate]
            known = self.remembered("upload", candidate)
            if known and known.file and default_storage.exists(known.file):
                self.stored[candidate] = known.file
                return known.file
        if name in self.stored:
            return ""  # looked for earlier in this run, and reported then
        problem = None
        for candidate in names:
            address = url.replace(PurePosixPath(name).name, PurePosixPath(candidate).name)
            try:
                stored = self.copy_upload(candidate, address)
            except UploadMissing as missing:
                problem = problem or (rows.UPLOAD_NOT_FOUND, str(missing))
                continue
            except UploadRefused as refused:
                problem = (rows.UPLOAD_REFUSED, str(refused))
                break
            self.stored[name] = self.stored[candidate] = stored
            return stored
        self.stored[name] = ""
        if problem[0] == rows.UPLOAD_NOT_FOUND:
            self.report.missing_files.append(name)
        self.report.row(*self.current, problem[0], f"{name}: {problem[1]}")
        return ""

    def copy_upload(self, name, url):
        """``name`` stored from the uploads folder, else fetched from the old site."""
        if self.uploads is not None:
            source = self.uploads / name
            if source.resolve().is_relative_to(self.uploads.resolve()) and source.is_file():
                if self.dry_run:  # found, and not copied
                    return name
                with source.open("rb") as handle:
                    return self.keep(name, url, File(handle, name=source.name))
            if self.fetcher is None:
                raise UploadMissing("not in the uploads folder")
        host = urlsplit(url).netloc.lower()
        if host not in self.old_hosts:
            raise UploadMissing(f"on {host or 'no host'}, not the old site: not fetched")
        limit = size_limit(name)
        if limit is None:
            raise UploadRefused("only pictures and PDFs are fetched")
        if self.dry_run:  # a dry run fetches nothing
            return name
        with self.fetcher.fetch(url, limit) as body:
            return self.keep(name, url, File(body, name=PurePosixPath(name).name))

    def keep(self, name, url, upload):
        upload = checked(upload)
        folder = PurePosixPath("wordpress", self.edition, name).parent
        stored = default_storage.save(str(folder / upload.name), upload)
        ImportedItem.objects.update_or_create(
            edition=self.edition, kind="upload", wp_id=name, defaults={"file": stored}
        )
        OldAddress.objects.update_or_create(
            host=self.old_host,
            path=self.old_prefix + unquote(urlsplit(url).path),
            query="",
            defaults={"edition": self.edition, "file": stored},
        )
        return stored

    def new_address(self, url):
        stored = self.stored_file(url) if self.upload_name(url) else ""
        return default_storage.url(stored) if stored else url

    def attachment_address(self, wp_id):
        """A [gallery]'s picture: its stored copy, else its old address (then reported)."""
        url = self.attachments.get(wp_id, "")
        stored = self.stored_file(url) if url else ""
        return default_storage.url(stored) if stored else url

    def stored_attachment(self, wp_id):
        url = self.attachments.get(wp_id, "")
        return self.stored_file(url) if url else ""

    def on_old_host(self, body):
        """The pictures of ``body`` (HTML) still shown from the old site."""
        addresses = map(html.unescape, IMAGE_ADDRESS.findall(body))
        return [a for a in addresses if urlsplit(a).netloc.lower() in self.old_hosts]

    def attach(self, obj, field, stored):
        """Give ``obj``'s picture field the stored upload (once: a second run keeps it)."""
        if not field or not stored or self.dry_run:
            return
        current = getattr(obj, field).name or ""
        if PurePosixPath(current).stem.startswith(PurePosixPath(stored).stem):
            return  # the same picture as last time
        with default_storage.open(stored, "rb") as handle:
            setattr(obj, field, File(handle, name=PurePosixPath(stored).name))
            obj.save()

    def photos(self, gallery, stored_names):
        if gallery.photos.exists() or self.dry_run:
            return  # made by an earlier run; editors may have reordered or captioned them
        for position, stored in enumerate(stored_names, start=1):
            with default_storage.open(stored, "rb") as handle:
                Photo.objects.create(
                    gallery=gallery,
                    position=position,
                    image=File(handle, name=PurePosixPath(stored).name),
                )
