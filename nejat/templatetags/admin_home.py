"""The admin home's blocks (templates/admin/index.html)."""

from django import template

from nejat import dashboard, review

register = template.Library()


@register.simple_tag(takes_context=True)
def waiting_for_review(context):
    """What the signed-in editor may publish and contributors submitted."""
    return review.waiting_for_review(context["request"].user)


@register.simple_tag(takes_context=True)
def edition_counts(context):
    return dashboard.edition_counts(context["request"].user)


@register.simple_tag(takes_context=True)
def comments_waiting(context):
    return dashboard.comments_waiting(context["request"].user)
