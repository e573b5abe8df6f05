"""Security: who may do what, and what the site refuses. Staff roles and their permissions
(``roles``), two-step sign-in (``second_factor``), password resets, the content security policy
(``csp``), the canonical host, spam defences for public forms (the ``antispam`` app) and the
pages that say no (``refusals``: 403, 429).

Neighbours: above ``editions`` only; a sibling of ``media``. Every room above may use it.
"""
