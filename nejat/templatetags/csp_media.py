"""Form media with the request's CSP nonce, for the admin's policy (nejat/security/csp.py)."""

from django import template
from js_asset import Media

register = template.Library()


@register.simple_tag(takes_context=True)
def media_with_nonce(context, media):
    """Every tag of ``media``, the rich-text editor's import map included, with this request's
    nonce: the staff policy allows inline scripts only with it."""
    return Media.from_media(media, nonce=context["request"].csp_nonce).render()
