"""Parts every page of an edition shares, rendered once: ``{% shared_fragment "name" %}``.

The page cache (``nejat.delivery.page_cache``) answers a reader who asks again for an address; the
first reader of each address after a change, every search and every signed-in editor still get a
page rendered for them. Most of such a page is the same on every page of the edition: the sidebar's
Recent Posts (a query and ten links) or a blank comment form (Django renders each widget from its
own template). Those parts are kept in the cache under the content version
(``nejat.publishing.public_changes``), so any public change shows in them at once, and never past
the next scheduled publication.

    {% load fragments %}
    {% shared_fragment "recent-posts" %}…{% endshared_fragment %}
    {% shared_fragment "blank-form" form.blank_fields_name %}…{% endshared_fragment %}

Everything that names the fragment's variant goes after the name; the edition is always part of
the key. A part that is empty (None: a bound form) means "render it, keep nothing". Nothing that
differs per reader or per item may be inside.
"""

from django import template
from django.conf import settings
from django.core.cache import cache

from nejat.delivery.lifetime import cache_lifetime
from nejat.editions import current_edition
from nejat.publishing.content_version import content_version

register = template.Library()


class SharedFragmentNode(template.Node):
    def __init__(self, nodelist, name_parts):
        self.nodelist = nodelist
        self.name_parts = name_parts

    def render(self, context):
        parts = [part.resolve(context) for part in self.name_parts]
        if settings.SITE_CACHE_SECONDS <= 0 or not all(parts):
            return self.nodelist.render(context)
        name = ":".join(map(str, parts))
        key = f"nejat:fragment:{content_version()}:{current_edition()}:{name}"
        html = cache.get(key)
        if html is None:
            html = self.nodelist.render(context)
            cache.set(key, html, cache_lifetime(settings.SITE_CACHE_SECONDS))
        return html


@register.tag
def shared_fragment(parser, token):
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError(f"{bits[0]} needs a name")
    nodelist = parser.parse(("endshared_fragment",))
    parser.delete_first_token()
    return SharedFragmentNode(nodelist, [parser.compile_filter(bit) for bit in bits[1:]])
