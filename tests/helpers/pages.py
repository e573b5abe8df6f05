"""Reading a page: the words an editor sees, a section of the compare page, axe-core's verdict
in the browser."""

from html.parser import HTMLParser


class VisibleWords(HTMLParser):
    """The words an editor reads or hears on a page: text outside scripts and styles, and the
    titles, labels and alt texts of elements (not the values of fields: those are content)."""

    SILENT = {"script", "style", "svg", "textarea", "option"}
    SPOKEN = {"title", "aria-label", "alt", "placeholder"}

    def __init__(self):
        super().__init__()
        self.silent, self.words = 0, []

    def handle_starttag(self, tag, attrs):
        self.silent += tag in self.SILENT
        self.words += [value for name, value in attrs if name in self.SPOKEN and value]

    def handle_endtag(self, tag):
        self.silent -= tag in self.SILENT

    def handle_data(self, data):
        if not self.silent:
            self.words.append(data)


def section_of(html, edition_name):
    """The compare page's section of one edition (``templates/admin/revisions/changes.html``)."""
    return html.split(f"<h2>{edition_name}</h2>", 1)[1].split("</section>", 1)[0]


def axe_violations(page, axe_source):
    """Every violation axe-core finds, whatever its impact."""
    # Evaluated through the DevTools protocol: the page's CSP forbids an inline <script>.
    page.evaluate(axe_source + "\n;0")
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        (v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3]) for v in result["violations"]
    ]
