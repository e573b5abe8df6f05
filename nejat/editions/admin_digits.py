"""Numbers in the Persian and Arabic admin are written in the language's own digits.

Counts, times, page numbers, sizes, dates: whatever Django, its apps or our templates print in
the admin's pages, an editor working in Persian reads ۱۲ and in Arabic ١٢, as in a newspaper of
that language. One rule at the end of the admin's responses instead of a filter in every
template that prints a number (the Solar dates come from ``nejat.editions.solar_dates``).

Only the words of the page change, those of its text and of the attributes people read or hear
(``title``, ``aria-label``, ``alt``, ``placeholder``): markup, other attributes (form values,
addresses, sizes), character references, and the text of ``script``, ``style``, ``textarea``,
``pre``, ``code``, ``kbd`` and ``samp`` are left as they are. So is every word that has a Latin
letter, an at sign or an underscore in it, or starts with a slash: user names (``editor2``),
addresses, file names and slugs are names, not numbers.
"""

import re

from django.utils.translation import get_language

LOCAL_DIGITS = {
    "fa": str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"),
    "ar": str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"),
}
UNTOUCHED = re.compile(
    r"<(script|style|textarea|pre|code|kbd|samp)\b.*?</\1\s*>"  # code and content
    r"|<!--.*?-->|&#?\w+;"  # comments and character references
    r"|(?P<tag><[^>]*>)",  # markup: only the words people read or hear in it change
    re.S | re.I,
)
SPOKEN = re.compile(r'(\s(?:title|aria-label|alt|placeholder)=")([^"]*)(")', re.I)
WORD = re.compile(r"[^\s<>&]*\d[^\s<>&]*")
NAME = re.compile(r"[A-Za-z@_\\]|^/")


def in_local_digits(html, code):
    """``html`` with the numbers of its words in the digits of ``code`` (module docstring)."""
    table = LOCAL_DIGITS[code]

    def words(text):
        return WORD.sub(lambda w: w[0] if NAME.search(w[0]) else w[0].translate(table), text)

    def spoken(tag):
        return SPOKEN.sub(lambda a: a[1] + words(a[2]) + a[3], tag)

    parts, end = [], 0
    for kept in UNTOUCHED.finditer(html):
        parts += [words(html[end : kept.start()]), spoken(kept[0]) if kept["tag"] else kept[0]]
        end = kept.end()
    parts.append(words(html[end:]))
    return "".join(parts)


def in_admin_digits(text):
    """A message a script of the admin shows (sent as JSON, past the middleware) with its
    numbers in the digits of the admin's language, as the page around it has them."""
    code = get_language()
    return in_local_digits(text, code) if code in LOCAL_DIGITS else text


def is_admin_page(request, response):
    match = getattr(request, "resolver_match", None)
    return (
        match is not None
        and "admin" in match.namespaces
        and not response.streaming
        and response.get("Content-Type", "").startswith("text/html")
    )


class AdminDigitsMiddleware:
    """Writes the admin's HTML pages in the digits of the admin's language (fa, ar)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        code = get_language()
        if code in LOCAL_DIGITS and is_admin_page(request, response):
            if hasattr(response, "render") and not response.is_rendered:
                response.render()
            html = response.content.decode(response.charset)
            response.content = in_local_digits(html, code)
        return response
