"""Rich text: one editor configuration and one sanitiser, shared by every model with a body.

The editor (django-prose-editor) offers exactly the markup a news article needs; nh3 keeps only that
markup whenever the field is saved, from the admin or from code, so no script, event handler or
``javascript:`` link ever reaches a page.
"""

import nh3
from django_prose_editor.config import allowlist_from_extensions
from django_prose_editor.fields import ProseEditorField

ARTICLE_EXTENSIONS = {
    "Bold": True,
    "Italic": True,
    "Underline": True,
    "Strike": True,
    "Subscript": True,
    "Superscript": True,  # footnote markers: [1] ... [6]
    "Heading": {"levels": [2, 3, 4]},
    "BulletList": True,
    "OrderedList": True,
    "ListItem": True,
    "Blockquote": True,
    "HorizontalRule": True,
    "HardBreak": True,
    "Link": {"enableTarget": False, "protocols": ["http", "https", "mailto"]},
    "Figure": True,
    "Image": True,
    "Caption": True,
    "Table": True,
    "TableRow": True,
    "TableHeader": True,
    "TableCell": True,
    "History": True,
}

_allowlist = allowlist_from_extensions(ARTICLE_EXTENSIONS)
_allowlist["attributes"] = {
    tag: set(attrs) - {"rel", "target", "style"} for tag, attrs in _allowlist["attributes"].items()
}
# Every tag may carry dir="auto"/"rtl"/"ltr": mixed Persian and English paragraphs need it.
_allowlist["attributes"]["*"] = {"dir"}
_allowlist["link_rel"] = "noopener noreferrer"
_allowlist.setdefault("url_schemes", {"http", "https", "mailto"})
_cleaner = nh3.Cleaner(**_allowlist)


def sanitize_html(html):
    """Return ``html`` with everything outside the editor's vocabulary removed."""
    if not html:
        return html
    cleaned = _cleaner.clean(html)
    # The editor stores an untouched field as one empty paragraph; keep it truly empty.
    return "" if cleaned.strip() in {"", "<p></p>"} else cleaned


class RichTextField(ProseEditorField):
    """A prose-editor text field whose value is sanitised with nh3 on every save."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("extensions", ARTICLE_EXTENSIONS)
        kwargs.setdefault("sanitize", lambda html: sanitize_html(html))
        kwargs.setdefault("blank", True)
        super().__init__(*args, **kwargs)

    def pre_save(self, model_instance, add):
        value = sanitize_html(getattr(model_instance, self.attname))
        setattr(model_instance, self.attname, value)
        return value
