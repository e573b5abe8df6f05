"""Read a form out of a page the way a browser submits it, so tests can post back what an
editor would: every field with its current value, nothing the browser would leave out. And what
an editor fills in on the admin's add forms (an article, a newsletter issue, a gallery)."""

import time
from html.parser import HTMLParser

from django.core import signing

from nejat.publishing import Status
from nejat.security.antispam.forms import SIGNING_SALT


class _FormReader(HTMLParser):
    def __init__(self, form_id):
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.inside = False
        self.fields = []  # (name, value) pairs in document order, as a browser sends them
        self._textarea = None
        self._select = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and attrs.get("id") == self.form_id:
            self.inside = True
        if not self.inside:
            return
        name = attrs.get("name")
        disabled = "disabled" in attrs
        if tag == "input" and name and not disabled:
            kind = attrs.get("type", "text").lower()
            if kind in {"checkbox", "radio"}:
                if "checked" in attrs:
                    self.fields.append((name, attrs.get("value", "on")))
            elif kind not in {"file", "submit", "button", "image", "reset"}:
                self.fields.append((name, attrs.get("value", "")))
        elif tag == "textarea" and name and not disabled:
            self._textarea = [name, ""]
        elif tag == "select" and name and not disabled:
            self._select = {"name": name, "multiple": "multiple" in attrs, "options": []}
        elif tag == "option" and self._select is not None:
            self._select["options"].append((attrs.get("value", ""), "selected" in attrs))

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "form" and self.inside:
            self.inside = False
        elif tag == "textarea" and self._textarea is not None:
            name, text = self._textarea
            # Browsers drop the newline that Django writes right after <textarea>.
            self.fields.append((name, text.removeprefix("\r\n").removeprefix("\n")))
            self._textarea = None
        elif tag == "select" and self._select is not None:
            select, self._select = self._select, None
            chosen = [value for value, selected in select["options"] if selected]
            if not chosen and not select["multiple"] and select["options"]:
                chosen = [select["options"][0][0]]  # a browser sends the first option
            self.fields.extend((select["name"], value) for value in chosen)


def form_fields(html, form_id):
    """``{name: value or [values]}`` of the form with ``id=form_id``, ready for the test client."""
    reader = _FormReader(form_id)
    reader.feed(html)
    assert reader.fields, f"no form #{form_id} in the page"
    values = {}
    for name, value in reader.fields:
        values.setdefault(name, []).append(value)
    return {name: found[0] if len(found) == 1 else found for name, found in values.items()}


def save_again(client, url, form_id, **changes):
    """Open an admin change form, change what ``changes`` names (files included), press Save.

    Returns the response; the caller asserts it redirected (saved) or showed an error."""
    page = client.get(url)
    assert page.status_code == 200, url
    data = form_fields(page.content.decode(), form_id)
    data.update(changes, _save="Save")
    return client.post(url, data)


def article_form(**overrides):
    data = {
        "title_en": "",
        "title_ar": "",
        "title_fa": "",
        "title_sq": "",
        "status": Status.PUBLISHED,
        "publish_at_0": "2024-05-01",
        "publish_at_1": "10:00:00",
        "allow_comments": "on",
        "tags": "",
    }
    data.update(overrides)
    return data


def newsletter_form(items=(), **overrides):
    data = {
        "number": "82",
        "issue_date": "2024-10-05",
        "title_en": "",
        "title_ar": "",
        "title_fa": "",
        "title_sq": "",
        "status": Status.PUBLISHED,
        "publish_at_0": "2024-10-05",
        "publish_at_1": "10:00:00",
        "items-TOTAL_FORMS": str(len(items)),
        "items-INITIAL_FORMS": "0",
        "items-MIN_NUM_FORMS": "0",
        "items-MAX_NUM_FORMS": "1000",
    }
    for n, (title, summary) in enumerate(items):
        data.update(
            {
                f"items-{n}-position": "0",
                f"items-{n}-title_en": title,
                f"items-{n}-summary_en": summary,
            }
        )
    data.update(overrides)
    return data


def admin_gallery_form(**extra):
    return {
        "title_en": "Uploaded album",
        "status": "published",
        "publish_at_0": "2024-05-01",
        "publish_at_1": "10:00:00",
        "photos-TOTAL_FORMS": "0",
        "photos-INITIAL_FORMS": "0",
        **extra,
    }


def shown_at(seconds_ago=10):
    """The signed time a public form was shown at (the antispam check wants a human's pace)."""
    return signing.dumps(time.time() - seconds_ago, salt=SIGNING_SALT)


def contact_data(**overrides):
    """What a reader sends with the Contact us form."""
    data = {
        "name": "Reader Demo",
        "email": "reader@example.org",
        "subject": "A question",
        "message": "Hello editors, I have a question about the newsletter.",
        "website": "",
        "shown_at": shown_at(),
    }
    data.update(overrides)
    return data
