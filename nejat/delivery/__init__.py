"""Delivery: how readers get pages, fast. The public views of the core (home, search, errors),
the page cache in front of Django (``page_cache``) and how long anything may be kept
(``lifetime``: never past the next scheduled publication), sitemaps, share links, pagination
and URL converters.

Neighbours: above ``publishing`` (it serves ``.public()`` items and hears of changes through
the content version) and ``media`` (renditions); below ``comments``, ``editorial`` and
``pages``. Nothing here writes content.
"""
