"""Which of the site's types a WordPress post becomes: by its category.

The old sites kept cartoons, news pictures, videos and photo galleries as posts in categories of
those names. Without a mapping file those names (in English) are recognised; a mapping file
(``--map mapping.toml``) names any category, by slug or name, in any edition::

    [categories]
    "کاریکاتور" = "cartoon"
    "news-pictures" = "newspic"

A post that lacks what its type needs (a cartoon without a picture, a video without a video, a
newsletter issue without a number in its title) stays an article, and the report says so. A
book takes the post's text as its description, its featured image as cover and the first PDF it
links to; an issue takes its number from the title ("No. 82"), its text as lead, the PDF (whose
first page becomes the cover) — the editions of one issue number are one issue. A Pars Brief
digest likewise takes its number from the title, and its text becomes its entries: headings
(and paragraphs that are only bold) sub-headings, other paragraphs and list items entries with
their first link.
"""

import re
import tomllib

from articles.models import Article
from media_gallery.models import Cartoon, Gallery, NewsPic, Video
from publications.models import Book, Brief, Newsletter

MODELS = {
    "article": Article,
    "cartoon": Cartoon,
    "newspic": NewsPic,
    "video": Video,
    "gallery": Gallery,
    "newsletter": Newsletter,
    "brief": Brief,
    "book": Book,
}
DEFAULT_MAPPING = {
    "cartoons": "cartoon",
    "newspics": "newspic",
    "news pics": "newspic",
    "videos": "video",
    "photo gallery": "gallery",
    "nejat newsletter": "newsletter",
    "pars brief": "brief",
    "books": "book",
}


def key(name):
    """A slug or a name as the mapping compares them: "Photo Gallery" is "photo-gallery"."""
    return " ".join(re.split(r"[\s_-]+", name.casefold())).strip()


def read_mapping(path):
    """``{category slug or name: type}`` from a TOML file's ``[categories]`` table."""
    with open(path, encoding="utf-8-sig") as handle:
        return parse_mapping(handle.read())


def parse_mapping(text):
    table = tomllib.loads(text).get("categories", {})
    known = set(MODELS)
    wrong = sorted(kind for kind in table.values() if kind not in known)
    if wrong:
        raise ValueError(f"unknown type {wrong[0]!r}: use one of {', '.join(sorted(known))}")
    return {key(name): kind for name, kind in table.items()}


def type_of(item, mapping):
    """The type the post's first mapped category names, else "article"."""
    for taxonomy, slug, name in item.categories:
        if taxonomy == "category":
            kind = mapping.get(key(slug)) or mapping.get(key(name))
            if kind:
                return kind
    return "article"
