"""Media: what an item is made of beyond its plain fields. Rich text, sanitised on every save
(``richtext``); images checked by content, stripped of metadata and served as responsive
renditions (``images``, ``renditions``); PDFs checked in a separate process (``pdf``,
``pdf_worker``); where files are stored, on disk or in S3 (``storage``); and the sweep of files
no row names any more (``uploads``).

Neighbours: below ``publishing`` (a ``Publishable`` shows a ``Picture``); above ``editions``.
Knows nothing of the admin or of pages.
"""
