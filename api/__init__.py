"""The content API: what readers can see, as documented JSON under ``/api/v1/`` in each edition
(``/fa/api/v1/…``), for phone apps, partners and syndication (decision record 0009).

- ``site``: the API (django-ninja), its errors as 400s, its rate limit, its OpenAPI schema and
  documentation page; ``urls`` mounts it and tells the page cache which parameters it reads.
- ``endpoints``: one function per address, of one or two lines each.
- ``kinds``: each content type the API serves, its model, list query and fields.
- ``describe``: an item as JSON (``schemas`` documents the shapes).
- ``listing``: filters, cursors and sparse fields, the same for every list.
- ``answers``: the JSON response, kept by the page cache like a page (tags, ETag, 304).
- ``oembed``: the oEmbed provider for articles and videos.

What it reads goes through each model's ``public()``, like the public pages, so nothing that
readers cannot see appears. It builds on the core and the content apps; nothing imports it but
``config`` (and the article and video templates load its ``{% oembed_link %}``).
"""
