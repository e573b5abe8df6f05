from django import template

from nejat.review import waiting_for_review as items_waiting

register = template.Library()


@register.simple_tag(takes_context=True)
def waiting_for_review(context):
    """For the admin home: what the signed-in editor may publish and contributors submitted."""
    return items_waiting(context["request"].user)
