"""Editorial: the admin where editors work. The admin site in the newsroom's order
(``admin_site``), the admin every content type builds on (``publishable_admin``: lists,
filters, bulk actions, each edition's tags), the trash (``trash_admin``), the dashboard,
writing aids and the link dialog's search, "Translate into …", drafts kept while typing (the
``autosave`` app) and the strings of admin libraries translated here.

Neighbours: above ``comments`` (the dashboard counts what waits), ``delivery``, ``publishing``,
``media``, ``security`` and ``editions``; only ``pages`` (whose admin builds on it) is above.
"""
