"""The admin home's blocks (templates/admin/index.html) and the menu's counts (app_list.html)."""

from django import template
from django.contrib import admin
from django.utils.html import format_html

from nejat.editions import current_edition, local_digits
from nejat.editorial import dashboard
from nejat.publishing import review

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
    return dashboard.comments_waiting(context["request"])


@register.simple_tag(takes_context=True)
def menu_badge(context, model):
    """A count beside a model's name in the admin's menu, when its ModelAdmin gives one
    (``menu_badge(request)`` → (count, label)); nothing when it is zero."""
    model_admin = admin.site._registry.get(model.get("model"))
    badge = getattr(model_admin, "menu_badge", None)
    counted = badge(context["request"]) if badge else None
    if not counted or not counted[0]:
        return ""
    count, label = counted
    return format_html(
        ' <span class="menu-badge" title="{}"><span aria-hidden="true">{}</span>'
        '<span class="visually-hidden">{}</span></span>',
        label,
        local_digits(str(count), current_edition()),
        label,
    )
