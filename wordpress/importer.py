"""One WordPress export into one edition of the site.

Two passes over the file, each reading it as a stream (``wordpress.wxr``):

1. a check that the whole file is a well-formed export, counting its items and noting where its
   attachments are (ids and addresses only). A malformed file ends here, with nothing written;
2. the import, **each item in its own transaction**: an item is either fully there (with its
   comments, tags and old addresses) or not at all, and one bad item is reported without
   stopping the others. A run stopped midway is finished by running it again.

Items are keyed by (edition, WordPress id) in ``ImportedItem`` with a fingerprint of what the
export said: a second run of the same export changes nothing, a later export updates only what
changed, so WordPress can stay live until the switch and be imported again on the day.
"""

import contextlib
import csv
import hashlib
import html
import io
import json
import re
import time
import tomllib
from collections import defaultdict
from dataclasses import asdict
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import strip_tags

from articles.models import Article, Category
from media_gallery.embeds import parse_video_url
from media_gallery.models import Cartoon, Gallery, NewsPic, Video
from nejat.comments.models import Comment, Commentable
from nejat.editions import edition_slugify, normalize
from nejat.models import set_edition_tags
from nejat.pages.models import Page
from nejat.publishing import Status
from publications.models import Book, Brief, BriefEntry, Newsletter
from wordpress import report as rows
from wordpress import types, wxr
from wordpress.attachments import Uploads
from wordpress.content import convert
from wordpress.models import ImportedItem, OldAddress
from wordpress.redirects import WORDPRESS_QUERIES
from wordpress.report import Report

# Bump when the importer maps an item differently: a re-run then updates every item.
IMPORTER_VERSION = "1"
COMMENT_STATUS = {
    "1": Comment.Status.APPROVED,
    "approve": Comment.Status.APPROVED,
    "0": Comment.Status.PENDING,
    "hold": Comment.Status.PENDING,
    "spam": Comment.Status.SPAM,
}
IMPORTED_TYPES = {"post": Article, "page": Page}
SKIPPED_TYPES = {
    "attachment": "an attachment: its file comes in with the posts that show it",
    "nav_menu_item": "a menu entry: menus are made on this site",
    "revision": "an old revision",
}
# The field a type's picture goes to (an article's featured image, a video's poster...).
MEDIA_FIELDS = {
    Article: "featured_image",
    Cartoon: "image",
    NewsPic: "image",
    Video: "poster",
    Book: "cover",
    Newsletter: "cover",
}
# Where a post's content goes: most types have a body; a book a description; an issue only a lead.
BODY_FIELDS = {Book: "description", Newsletter: None, Brief: None}
BLOCKS = re.compile(r"<(h[2-4]|p|li)>(.*?)</\1>", re.DOTALL)
PDF_ADDRESS = re.compile(r"""href=["']([^"']+\.pdf)["']""", re.IGNORECASE)
VIDEO_ADDRESS = re.compile(r"https?://[^\s\"'<>\[\]]+")
IMAGE_ADDRESS = re.compile(r"""<img[^>]+src=["']([^"']+)["']""")
GALLERY_IDS = re.compile(r"\[gallery[^\]]*\bids=[\"']?([\d,\s]+)")


# What a later run may still mend: the item is imported again then (``Importer.item``).
UPLOAD_PROBLEMS = {
    rows.UPLOAD_NOT_FOUND,
    rows.UPLOAD_REFUSED,
    rows.OLD_HOST_PICTURE,
    rows.PICTURE_LEFT_OUT,
}


def fingerprint(record):
    data = json.dumps(asdict(record), default=str, sort_keys=True) + IMPORTER_VERSION
    return hashlib.sha256(data.encode()).hexdigest()


@contextlib.contextmanager
def reading(source):
    """A binary file for one pass over ``source``: a path, or a stored file (opened again)."""
    if isinstance(source, str | Path):
        with open(source, "rb") as handle:
            yield handle
    else:
        source.open("rb")
        try:
            yield source
        finally:
            source.close()


def scan(source):
    """Pass 1: the site, the number of items and each attachment's address; raises WxrError."""
    site, total, attachments = wxr.Site(), 0, {}
    with reading(source) as export:
        for record in wxr.read(export):
            if isinstance(record, wxr.Site):
                site = record
            elif isinstance(record, wxr.Item):
                total += 1
                if record.post_type == "attachment":
                    attachments[record.wp_id] = record.attachment_url or record.guid
    return site, total, attachments


def read_translations(path):
    """The items of different editions' exports that are one item: a CSV whose header names
    editions (``en,fa,ar,sq``, any of them) and whose rows give WordPress ids, or a TOML file of
    ``[[item]]`` tables (``en = 12``, ``fa = 340``). ``{(edition, id): {edition: id, ...}}``."""
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return parse_translations(handle.read(), toml=str(path).lower().endswith(".toml"))


def parse_translations(text, toml=False):
    rows = tomllib.loads(text).get("item", []) if toml else csv.DictReader(io.StringIO(text))
    links = {}
    for row in rows:
        ids = {code.strip(): int(value) for code, value in row.items() if str(value).strip()}
        for code, wp_id in ids.items():
            links[(code, wp_id)] = ids
    return links


class Importer(Uploads):
    def __init__(
        self,
        edition,
        uploads=None,
        old_host="",
        old_prefix="",
        progress=None,
        translations=None,
        mapping=None,
        fetcher=None,
    ):
        self.edition, self.uploads = edition, Path(uploads) if uploads else None
        self.fetcher = fetcher  # wordpress.attachments.Fetcher: --fetch-attachments
        self.current = ("", "", "")  # (kind, WordPress id, title) of the item being imported
        self.old_host, self.old_prefix = old_host, old_prefix.rstrip("/")
        self.progress = progress or (lambda report, rate: None)
        self.report = Report()
        self.authors, self.categories = {}, {}
        self.attachments, self.stored = {}, {}  # WordPress id -> old address / stored name
        # Read by the caller: read_translations() and types.read_mapping().
        self.translations = translations or {}
        self.mapping = mapping or types.DEFAULT_MAPPING
        self.dry_run = False
        self.touched = []  # (model, pk) of what this run wrote: their links are mended at the end

    # --- The run ----------------------------------------------------------------------------

    def run(self, source, dry_run=False):
        """Import ``source`` (a path or a stored file); the report."""
        self.dry_run = dry_run
        site, self.report.total, self.attachments = scan(source)
        self.base_url = site.base_blog_url or site.link
        addresses = (site.base_blog_url, site.base_site_url, site.link, f"//{self.old_host}")
        self.old_hosts = {urlsplit(a).netloc.lower() for a in addresses} - {""}
        if not dry_run:
            site_feed = self.in_edition("articles:feed")
            for old in ("/feed/", "/feed/rss2/", "/feed/atom/", "/comments/feed/"):
                self.feed_address(old, site_feed)
        started = time.monotonic()
        with reading(source) as export:
            for record in wxr.read(export):
                self.record(record, dry_run, started)
        if not dry_run:
            self.relink()
        return self.report

    def record(self, record, dry_run, started):
        if isinstance(record, wxr.Author):
            self.authors[record.login] = record.display_name
        elif isinstance(record, wxr.Term):
            self.current = (record.taxonomy, record.slug, html.unescape(record.name))
            self.guarded(record.taxonomy, record.slug, self.term, record, dry_run)
        elif isinstance(record, wxr.Item):
            self.current = (record.post_type, record.wp_id, html.unescape(record.title))
            self.guarded(record.post_type, record.wp_id, self.item, record, dry_run)
            self.report.done += 1
            elapsed = time.monotonic() - started
            self.progress(self.report, self.report.done / elapsed if elapsed else 0)

    def guarded(self, kind, wp_id, step, record, dry_run):
        """One record in its own transaction; rolled back (and counted) on a dry run or an error."""
        try:
            with transaction.atomic():
                outcome = step(record)
                if dry_run:
                    transaction.set_rollback(True)
        except (ValidationError, DatabaseError, ValueError, OSError) as error:
            self.report.count(kind, "failed")
            self.report.failures.append((kind, wp_id, str(error)[:300]))
            self.report.row(*self.current, rows.FAILED, str(error)[:300])
            return
        if outcome:
            self.report.count(kind, outcome)

    def remembered(self, kind, wp_id):
        return ImportedItem.objects.filter(
            edition=self.edition, kind=kind, wp_id=str(wp_id)
        ).first()

    def remember(self, kind, wp_id, obj, print_=""):
        ImportedItem.objects.update_or_create(
            edition=self.edition,
            kind=kind,
            wp_id=str(wp_id),
            defaults={
                "content_type": ContentType.objects.get_for_model(obj),
                "object_id": obj.pk,
                "fingerprint": print_,
            },
        )

    def localized(self, name):
        return f"{name}_{self.edition}"

    # --- Categories and tags ----------------------------------------------------------------

    def term(self, term):
        if term.taxonomy != "category" or not term.slug:
            return None  # tags are made when a post names them
        known = self.remembered("category", term.slug)
        if known and known.item:
            self.categories[term.slug] = known.item
            self.category_addresses(term.slug, known.item)
            return "unchanged"
        category = Category.objects.filter(**{self.localized("slug"): term.slug}).first()
        outcome = "unchanged" if category else "created"
        if category is None:
            category = Category(
                **{
                    self.localized("name"): html.unescape(term.name),
                    self.localized("slug"): term.slug,
                    self.localized("description"): term.description,
                }
            )
            category.save()
        self.categories[term.slug] = category
        self.remember("category", term.slug, category)
        self.category_addresses(term.slug, category)
        parent = self.categories.get(term.parent)  # WordPress lists a parent before its children
        if parent is not None and category.parent_id != parent.pk and category.pk != parent.pk:
            category.parent = parent
            category.save()
            outcome = "updated" if outcome == "unchanged" else outcome
        return outcome

    def category_addresses(self, wp_slug, category):
        self.old_address(f"/category/{wp_slug}/", category)
        feed = self.in_edition(
            "articles:category_feed", slug=getattr(category, self.localized("slug"))
        )
        self.old_address(f"/category/{wp_slug}/feed/", category, target=feed)

    def in_edition(self, name, **kwargs):
        with translation.override(self.edition):
            return reverse(name, kwargs=kwargs)

    # --- Posts and pages ---------------------------------------------------------------------

    def item(self, item):
        if item.problem:  # over a limit of the reader: reported, never imported cut short
            self.report.row(*self.current, rows.NOT_IMPORTED, item.problem)
            return "failed"
        if item.post_type not in IMPORTED_TYPES:
            return self.skipped(item, SKIPPED_TYPES.get(item.post_type, "a type not imported"))
        if item.status in {"trash", "auto-draft", "inherit"}:
            return self.skipped(item, f'"{item.status}" in WordPress')
        print_ = fingerprint(item)
        known = self.remembered(item.post_type, item.wp_id)
        if known and known.item is not None and known.fingerprint == print_:
            # Relinked with the others: a run cut off before its last step imported it.
            self.touched.append((type(known.item), known.item.pk))
            return "unchanged"
        rows_before = len(self.report.rows)
        model, media = self.site_type(item)
        obj = known.item if known and known.item is not None else None
        outcome = "updated" if obj else "created"
        obj = obj or self.translation_of(item) or self.same_issue(model, media) or model()
        owner = self.owns(obj)
        converted = self.fill(obj, item, owner=owner)
        if owner:
            for name in ("embed_url", "number", "issue_date"):  # a video's, a newsletter's
                if name in media:
                    setattr(obj, name, media[name])
        obj.save()
        if owner:
            self.attach(obj, MEDIA_FIELDS.get(type(obj)), media.get("picture", ""))
            self.attach(obj, "pdf", media.get("pdf", ""))
            if isinstance(obj, Gallery):
                self.photos(obj, media.get("photos", []))
        if isinstance(obj, Brief):
            self.brief_entries(obj, converted.html)
        if isinstance(obj, Article):
            self.tags(obj, item)
        if isinstance(obj, Commentable):
            self.comments(obj, item)
        else:
            self.left_out(item.comments, f"a {item.post_type} takes no comments on this site")
        # An item whose pictures or files could not all be had is not marked as done: the next
        # run (with --uploads or --fetch-attachments, or once the old site answers) tries again.
        unfinished = {row[3] for row in self.report.rows[rows_before:]} & UPLOAD_PROBLEMS
        self.remember(item.post_type, item.wp_id, obj, "" if unfinished else print_)
        for path, query in self.addresses_of(item):
            self.old_address(path, obj, query)
        self.touched.append((type(obj), obj.pk))  # the last step: a failed item never gets here
        return outcome

    def relink(self):
        """Links from one post to another still name the old site: once every item is in, point
        them at the new addresses (an address the import does not know stays as it was)."""
        site = urlsplit(self.base_url)
        if not site.netloc:
            return
        link = re.compile(rf"""(href=")(https?://{re.escape(site.netloc)}[^"]*)(")""")
        for model, pk in self.touched:
            field = BODY_FIELDS.get(model, "body")
            if field is None:
                continue
            body = self.localized(field)
            with transaction.atomic():
                text = model.objects.filter(pk=pk).values_list(body, flat=True).first() or ""
                relinked = link.sub(lambda m: m[1] + self.new_link(m[2]) + m[3], text)
                if relinked != text:
                    model.objects.filter(pk=pk).update(**{body: relinked})

    def new_link(self, escaped_url):
        parts = urlsplit(html.unescape(escaped_url))
        query = next(
            (q for q in parts.query.split("&") if q.split("=")[0] in WORDPRESS_QUERIES), ""
        )
        path = self.old_prefix + (unquote(parts.path) or "/")
        found = OldAddress.objects.asked_for(self.old_host, [path], query)
        new = found.new_url() if found else ""
        return html.escape(new) if new else escaped_url

    def site_type(self, item):
        """``(model, what the type needs)``: an article, a page, or the media type its category
        names (``wordpress.types``) when the post has what that type shows."""
        if item.post_type == "page":
            return Page, {}
        featured = self.featured(item)
        kind = types.type_of(item, self.mapping)
        pictures = [name for name in map(self.stored_file, self.pictures_in(item)) if name]
        video = next(filter(parse_video_url, VIDEO_ADDRESS.findall(item.content)), "")
        pdf = next(filter(None, map(self.stored_file, PDF_ADDRESS.findall(item.content))), "")
        number = re.search(r"\d+", html.unescape(item.title))
        # What each type shows; without it the post stays an article.
        needs = {
            "cartoon": {"picture": featured or next(iter(pictures), "")},
            "newspic": {"picture": featured or next(iter(pictures), "")},
            "video": {"embed_url": video, "picture": featured},
            "gallery": {"photos": pictures},
            "newsletter": {"number": int(number[0]) if number else None},  # "No. 82"
            "brief": {"number": int(number[0]) if number else None},
        }.get(kind, {})
        if needs and not any(needs.values()):
            self.report.notes.append(
                ("post", item.wp_id, f"a {kind} with nothing to show: an article")
            )
        elif kind in types.MODELS and kind != "article":
            if kind in {"newsletter", "book"}:
                needs.update(picture=featured, pdf=pdf)
            if kind in {"newsletter", "brief"}:
                needs["issue_date"] = timezone.localdate(item.date_gmt or timezone.now())
            return types.MODELS[kind], needs
        return Article, {"picture": featured, "pdf": pdf}  # the article's PDF attachment

    def brief_entries(self, brief, text):
        """A digest's text as its entries, in this edition (once: editors may change them)."""
        field = self.localized("text")
        if brief.entries.exclude(**{field: ""}).exists():
            return
        for tag, inner in BLOCKS.findall(text):
            words = html.unescape(strip_tags(inner)).strip()
            if not words:
                continue
            heading = tag.startswith("h") or re.fullmatch(r"\s*<strong>.*</strong>\s*", inner)
            link = re.search(r'href="(https?://[^"]+)"', inner)
            BriefEntry.objects.create(
                brief=brief,
                kind=BriefEntry.Kind.HEADING if heading else BriefEntry.Kind.ITEM,
                **{field: words, self.localized("link"): html.unescape(link[1]) if link else ""},
            )

    def same_issue(self, model, media):
        """A newsletter issue of that number that another edition's export brought in: the
        editions of one issue are one item."""
        if model in {Newsletter, Brief} and "number" in media:
            return model.objects.filter(number=media["number"]).first()
        return None

    def pictures_in(self, item):
        """The old addresses of the pictures the post shows: [gallery] ids, then <img>s."""
        ids = [
            int(i) for found in GALLERY_IDS.findall(item.content) for i in re.findall(r"\d+", found)
        ]
        addresses = [self.attachments.get(wp_id, "") for wp_id in ids]
        return [a for a in addresses + IMAGE_ADDRESS.findall(item.content) if a]

    def translation_of(self, item):
        """The item another edition's export made of this one's translation (``--translations``),
        so that both editions are one item: one address per edition, hreflang, the switcher."""
        for code, wp_id in self.translations.get((self.edition, item.wp_id), {}).items():
            other = ImportedItem.objects.filter(
                edition=code, kind=item.post_type, wp_id=str(wp_id)
            ).first()
            if other and other.item is not None:
                return other.item
        return None

    def owns(self, obj):
        """Whether this edition's export sets the fields all editions share (status, date,
        category, picture): the edition that brought the item in first does."""
        if obj.pk is None:
            return True
        first = (
            ImportedItem.objects.filter(
                content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk
            )
            .order_by("pk")
            .first()
        )
        return first is None or first.edition == self.edition

    def fill(self, obj, item, owner=True):
        converted = convert(
            item.content, attachment_url=self.attachment_address, new_address=self.new_address
        )
        self.report.unknown_shortcodes.update(converted.unknown_shortcodes)
        for name in sorted(converted.unknown_shortcodes):
            self.report.row(*self.current, rows.UNKNOWN_SHORTCODE, f"[{name}] kept as text")
        for address in self.on_old_host(converted.html):
            self.report.row(*self.current, rows.OLD_HOST_PICTURE, address)
        title = html.unescape(item.title) or f"WordPress {item.post_type} {item.wp_id}"
        setattr(obj, self.localized("title"), title)
        slug = edition_slugify(item.slug, self.edition) or edition_slugify(title, self.edition)
        setattr(obj, self.localized("slug"), slug)
        body = BODY_FIELDS.get(type(obj), "body")
        if body:
            setattr(obj, self.localized(body), converted.html)
        lead = item.excerpt or ("" if body or isinstance(obj, Brief) else converted.html)
        setattr(obj, self.localized("lead"), html.unescape(strip_tags(lead)).strip())
        if owner:
            obj.publish_at = item.date_gmt or timezone.now()
            obj.status = Status.PUBLISHED if item.status in {"publish", "future"} else Status.DRAFT
        if item.status == "private":
            self.report.notes.append((item.post_type, item.wp_id, "private in WordPress: a draft"))
        if isinstance(obj, Article):
            author = self.authors.get(item.creator, item.creator)
            setattr(obj, self.localized("author"), author)
            setattr(obj, self.localized("byline"), author)
        if not owner:
            return converted
        if isinstance(obj, Commentable):
            obj.allow_comments = item.comments_open
        if isinstance(obj, Article):
            categories = [slug for taxonomy, slug, _n in item.categories if taxonomy == "category"]
            obj.category = next(
                (self.categories[s] for s in categories if s in self.categories), None
            )
            if len(categories) > 1:
                self.report.notes.append(
                    ("post", item.wp_id, f"in {len(categories)} categories: kept {categories[0]}")
                )
            obj.pinned = item.sticky  # WordPress's sticky posts open the home page here too
        return converted

    def tags(self, article, item):
        """The post's tags in this edition (another edition's tags of the item stay), and the
        old tag archives' addresses."""
        wp_tags = {
            normalize(html.unescape(name), self.edition).strip(): slug
            for taxonomy, slug, name in item.categories
            if taxonomy == "post_tag"
        }
        kept = defaultdict(list)
        for tag in article.tags.exclude(language=self.edition):
            kept[tag.language].append(tag.name)
        set_edition_tags(article, {**kept, self.edition: list(wp_tags)})
        for tag in article.tags.filter(language=self.edition):
            if slug := wp_tags.get(tag.name):
                self.old_address(f"/tag/{slug}/", tag)
                self.old_address(
                    f"/tag/{slug}/feed/",
                    tag,
                    target=self.in_edition("articles:tag_feed", slug=tag.slug),
                )

    def addresses_of(self, item):
        """The old addresses of a post or page: its permalink, ?p= / ?page_id=, its GUID."""
        key = "page_id" if item.post_type == "page" else "p"
        addresses = {("/", f"{key}={item.wp_id}"), ("/", f"p={item.wp_id}")}
        for url in (item.link, item.guid):
            parts = urlsplit(url)
            path = unquote(parts.path)  # requests arrive decoded: /2019/05/خبر-تازه/
            if path and path != "/" and not parts.query:
                addresses.add((path, ""))
            elif parts.query.startswith(("p=", "page_id=")):
                addresses.add((path or "/", parts.query.split("&")[0]))
        return addresses

    def old_address(self, path, obj, query="", target=""):
        """Remember that ``path`` (on the old site) is now ``obj``'s address, or ``target``."""
        if self.base_url:  # a blog under /news/ on its site: its addresses start there
            base = urlsplit(self.base_url).path.rstrip("/")
            path = path if path.startswith(base + "/") or not base else base + path
        full = self.old_prefix + path
        OldAddress.objects.update_or_create(
            host=self.old_host,
            path=full,
            query=query,
            defaults={
                "edition": self.edition,
                "content_type": ContentType.objects.get_for_model(obj),
                "object_id": obj.pk,
                "target": target,
            },
        )

    def feed_address(self, path, url):
        OldAddress.objects.update_or_create(
            host=self.old_host,
            path=self.old_prefix + path,
            query="",
            defaults={"edition": self.edition, "target": url},
        )

    # --- Comments ----------------------------------------------------------------------------

    def comments(self, obj, item):
        made = {}
        for comment in sorted(item.comments, key=lambda c: (c.parent_id != 0, c.wp_id)):
            if comment.kind in {"pingback", "trackback"}:
                self.report.count("pingback", "skipped")
                self.left_out([comment], f"a {comment.kind}")
                continue
            status = COMMENT_STATUS.get(comment.approved)
            if status is None:  # trash
                self.report.count("comment", "skipped")
                self.left_out([comment], "in WordPress's trash")
                continue
            known = self.remembered("comment", comment.wp_id)
            row = known.item if known and known.item is not None else Comment()
            outcome = "updated" if row.pk else "created"
            if known and known.fingerprint == fingerprint(comment) and row.pk:
                made[comment.wp_id] = row
                self.report.count("comment", "unchanged")
                continue
            row.item = obj
            row.parent = made.get(comment.parent_id)
            row.language = self.edition
            row.name = html.unescape(comment.author)[:80] or "—"
            row.email = comment.email if "@" in comment.email else ""
            row.text = html.unescape(strip_tags(comment.content)).strip()
            row.status = status
            row.ip_address = comment.ip or None
            row.website = comment.url[:300]
            row.save()
            if comment.date_gmt:
                Comment.objects.filter(pk=row.pk).update(created_at=comment.date_gmt)
            made[comment.wp_id] = row
            self.remember("comment", comment.wp_id, row, fingerprint(comment))
            self.report.count("comment", outcome)

    # --- What is left out -------------------------------------------------------------------

    def skipped(self, item, reason):
        self.report.row(*self.current, rows.SKIPPED, reason)
        self.left_out(item.comments, f"on a {item.post_type} that is not imported")
        return "skipped"

    def left_out(self, comments, reason):
        """A row for each comment not imported: who wrote it, when, why, and its text."""
        kind, wp_id, title = self.current
        for comment in comments:
            when = comment.date_gmt.strftime("%Y-%m-%d %H:%M") if comment.date_gmt else ""
            self.report.row(
                "comment",
                comment.wp_id,
                f"{html.unescape(comment.author)}, {when} (on {kind} {wp_id}: {title})",
                rows.COMMENT_LEFT_OUT,
                f"{reason}: {comment.content}",
            )

    def featured(self, item):
        """The stored featured image of ``item``; reported when it names one not had."""
        wp_id = int(item.meta.get("_thumbnail_id") or 0)
        stored = self.stored_attachment(wp_id)
        if wp_id and not stored and not self.dry_run:
            url = self.attachments.get(wp_id, "")
            where = url or f"attachment {wp_id}, not in the export"
            if self.uploads is None and self.fetcher is None:
                where += " (no --uploads or --fetch-attachments)"
            self.report.row(*self.current, rows.PICTURE_LEFT_OUT, f"featured image: {where}")
        return stored
