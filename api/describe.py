"""Items as the API shows them: plain dicts in the shapes of ``schemas``, read in the current
edition (``LocaleMiddleware`` made it the address's), with every address absolute.

Each kind adds its own fields to the common ones (``item``); what they read was fetched with the
list (``kinds``: ``select_related``, prefetches), so a list of fifty costs no query per item.
"""

from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone, translation

from nejat.editions import current_edition, localized_field


def absolute(request, address, **query):
    """``address`` made absolute, with ``query`` if any. Addresses of files may already be
    absolute (a CDN); the site's own are made so."""
    if not address:
        return ""
    return request.build_absolute_uri(f"{address}?{urlencode(query)}" if query else address)


def moment(value):
    """An instant with its offset, in the site's time zone."""
    return timezone.localtime(value).isoformat()


def api_url(kind, item, code):
    with translation.override(code):
        return reverse(f"api:{kind.type}", kwargs={"pk": item.pk})


def item(request, kind, found):
    """The fields every item has, then its kind's own."""
    code = current_edition()
    return {
        "id": found.pk,
        "type": kind.type,
        "edition": code,
        "title": found.title,
        "slug": getattr(found, localized_field("slug", code)) or "",
        "lead": found.lead,
        "url": absolute(request, found.url_in(code)),
        "api_url": absolute(request, api_url(kind, found, code)),
        "published_at": moment(found.publish_at),
        "updated_at": moment(found.updated_at),
        "editions": [
            {
                "edition": other,
                "url": absolute(request, found.url_in(other)),
                "api_url": absolute(request, api_url(kind, found, other)),
            }
            for other in found.editions()
            if other != code
        ],
        "image": kind.image(request, found),
        **kind.fields(request, found),
    }


def image(request, picture, caption="", credit=""):
    if not picture:
        return None
    renditions = [
        *(
            {"url": absolute(request, url), "width": width, "type": "image/webp"}
            for width, url in picture.renditions("webp")
        ),
        *(
            {"url": absolute(request, url), "width": width, "type": picture.mime_type}
            for width, url in picture.renditions("fallback")
        ),
    ]
    return {
        "url": absolute(request, picture.best_url),
        "width": picture.width,
        "height": picture.height,
        "alt": picture.alt,
        "caption": caption or "",
        "credit": credit or "",
        "renditions": renditions,
    }


def file(request, field, size=None):
    return {"url": absolute(request, field.url), "bytes": size} if field else None


def card(request, found, caption="", credit=""):
    """The picture that stands for the item (``Publishable.card_image``)."""
    return image(request, found.card_image(), caption, credit)


# --- Each kind's own fields -----------------------------------------------------------------


def article(request, found):
    code = current_edition()
    category = found.category
    return {
        "dateline": found.dateline,
        "author": found.author,
        "author_url": absolute(request, found.author_url()),
        "byline": found.byline,
        "body": found.body,
        "category": {
            "id": category.pk,
            "name": category.name,
            "slug": getattr(category, localized_field("slug", code)) or "",
            "url": absolute(request, category.url_in(code)),
        }
        if category and category.in_edition(code)
        else None,
        "tags": [
            {
                "id": tag.pk,
                "name": tag.name,
                "slug": tag.slug,
                "url": absolute(request, tag.url_in(code)),
            }
            for tag in sorted(found.edition_tags(), key=lambda tag: (tag.name, tag.pk))
        ],
        "source": {
            "name": found.source_name,
            "url": found.source_url,
            "date": found.source_date.isoformat() if found.source_date else None,
        }
        if found.source_name or found.source_url
        else None,
        "pdf": file(request, found.pdf),
    }


def article_image(request, found):
    return card(request, found, found.image_caption, found.image_credit)


def newsletter(request, found):
    return {
        "number": found.number,
        "issue_date": found.issue_date.isoformat(),
        "pdf": file(request, found.pdf, found.pdf_size or None),
        "entries": [
            {"title": entry.title, "summary": entry.summary, "page": entry.page}
            for entry in found.items.all()
        ],
    }


def brief(request, found):
    return {
        "number": found.number,
        "issue_date": found.issue_date.isoformat(),
        "entries": [
            {"kind": entry.kind, "text": entry.text, "link": entry.link}
            for entry in found.entries.all()
        ],
    }


def book(request, found):
    return {
        "author": found.author,
        "publisher": found.publisher,
        "year": found.year,
        "isbn": found.isbn,
        "description": found.description,
        "link": found.link,
        "link_kind": found.link_kind,
        "pdf": file(request, found.pdf, found.pdf_size or None),
    }


def gallery(request, found):
    return {
        "body": found.body,
        "photos": [
            {
                "number": number,
                "url": absolute(request, address),
                "image": image(
                    request, photo.image_picture.with_alt(photo.alt), photo.caption, photo.credit
                ),
            }
            for number, photo, address in found.numbered_photos()
        ],
    }


def video(request, found):
    embed = found.embed
    return {
        "body": found.body,
        "file": {
            "url": absolute(request, found.video_file.url),
            "type": video_type(found.video_file),
        }
        if found.video_file
        else None,
        "embed": {
            "provider": embed.provider,
            "player_url": embed.player_url,
            "watch_url": embed.watch_url,
        }
        if embed
        else None,
    }


def video_type(field):
    return "video/webm" if field.name.lower().endswith(".webm") else "video/mp4"


def cartoon(request, found):
    return {"body": found.body, "artist": found.artist}


def cartoon_image(request, found):
    return card(request, found, found.caption)


def news_picture(request, found):
    return {"body": found.body}


def news_picture_image(request, found):
    return card(request, found, found.caption, found.credit)


def page(request, found):
    return {"body": found.body, "placement": found.placement}


# --- What articles are filed under; search ---------------------------------------------------


def category(request, found):
    code = current_edition()
    return {
        "id": found.pk,
        "name": found.name,
        "slug": getattr(found, localized_field("slug", code)) or "",
        "description": found.description,
        "parent": found.parent_id,
        "url": absolute(request, found.url_in(code)),
        "articles_url": listed(request, "articles", category=found.pk),
    }


def tag(request, found):
    return {
        "id": found.pk,
        "name": found.name,
        "slug": found.slug,
        "url": absolute(request, found.url_in(current_edition())),
        "articles_url": listed(request, "articles", tagged=found.slug),
    }


def author(request, name, slug):
    return {
        "name": name,
        "slug": slug,
        "url": absolute(request, reverse("articles:author", kwargs={"slug": slug})),
        "articles_url": listed(request, "articles", author=slug),
    }


def listed(request, name, **query):
    return absolute(request, reverse(f"api:{name}"), **query)


def found(request, kind, item, excerpt):
    code = current_edition()
    return {
        "type": kind.type,
        "id": item.pk,
        "title": item.title,
        "excerpt": excerpt,
        "url": absolute(request, item.url_in(code)),
        "api_url": absolute(request, api_url(kind, item, code)),
        "published_at": moment(item.publish_at),
    }
