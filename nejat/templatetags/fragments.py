"""Parts every page of an edition shares, rendered once: ``{% shared_fragment "name" %}``.

The page cache (``nejat.delivery.page_cache``) answers a reader who asks again for an address; the
first reader of each address after a change, every search and every signed-in editor still get a
page rendered for them. Most of such a page is the same on every page of the edition: the sidebar's
Recent Posts (a query and ten links) or a blank comment form (Django renders each widget from its
own template). Those parts are kept in the cache with the tags of what they show
(``nejat.publishing.cache_tags``), so a change of that shows in them at once, and never past the
next scheduled publication; their tags are the page's too.

    {% load fragments %}
    {% shared_fragment "recent-posts" late %}…{% endshared_fragment %}
    {% shared_fragment "blank-form" form.blank_fields_name %}…{% endshared_fragment %}

Everything that names the fragment's variant goes after the name; the edition is always part of
the key. ``late`` at the end: in a page that will be kept, a marker where the fragment goes, put
in when the page is served (``nejat.delivery.late_fragments``): for a part every page of the
edition shows, whose changes must not forget every page. A part that is empty (None: a bound
form) means "render it, keep nothing". Nothing that differs per reader or per item may be inside.
"""

from django import template
from django.conf import settings

from nejat.delivery import front_caches, late_fragments
from nejat.delivery.lifetime import cache_lifetime
from nejat.editions import current_edition
from nejat.publishing.cache_tags import remembered

register = template.Library()


class SharedFragmentNode(template.Node):
    def __init__(self, nodelist, name_parts, late):
        self.nodelist = nodelist
        self.name_parts = name_parts
        self.late = late

    def render(self, context):
        parts = [part.resolve(context) for part in self.name_parts]
        if settings.SITE_CACHE_SECONDS <= 0 or not all(parts):
            return self.nodelist.render(context)
        name = ":".join(map(str, parts))
        late = self.late and late_fragments.allowed()
        kept = keep(name, lambda: self.nodelist.render(context), late)
        return late_fragments.marker(fragment_key(name)) if late else kept["html"]


def fragment_key(name):
    return f"nejat:fragment:{current_edition()}:{name}"


def keep(name, render, late):
    """The current edition's fragment ``name``: kept, or ``render()``-ed and kept."""
    # A late fragment lives as long as the pages it is put into (its tags keep it fresh).
    seconds = max(settings.SITE_CACHE_SECONDS, settings.PAGE_CACHE_SECONDS * late)
    return remembered(
        fragment_key(name),
        lambda: late_fragments.fragment(render()),
        cache_lifetime(seconds),
        tags_to_page=not late,
        # The caches in front learn what a late fragment shows now (its pages are theirs).
        built=late and front_caches.nginx_in_front() and front_caches.fragment_rendered,
    )


def render_ahead(name, render):
    """The current edition's late fragment ``name`` rendered and kept now, by a job that changed
    what it shows: the pages that put it in find it kept, and no reader's request renders it.
    (Kept where the pages' processes see it: with Redis. On one box without it, each web process
    keeps its own copy, and renders it once after the change.)"""
    if settings.SITE_CACHE_SECONDS > 0:
        keep(name, render, late=True)


@register.tag
def shared_fragment(parser, token):
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError(f"{bits[0]} needs a name")
    late = bits[-1] == "late"
    names = bits[1:-1] if late else bits[1:]
    nodelist = parser.parse(("endshared_fragment",))
    parser.delete_first_token()
    return SharedFragmentNode(nodelist, [parser.compile_filter(bit) for bit in names], late)
