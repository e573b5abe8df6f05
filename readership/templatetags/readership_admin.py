"""The readership in the admin: ``{% readership_dashboard %}`` on its home and
``{% views_sparkline original %}`` on an item's change form (``readership.dashboard``), for
staff who may see the counts (editors)."""

from django import template

from nejat.publishing import Publishable
from readership import dashboard

register = template.Library()


@register.inclusion_tag("admin/readership/dashboard.html", takes_context=True)
def readership_dashboard(context):
    if not context["request"].user.has_perm(dashboard.PERMISSION):
        return {}
    return {"readership": dashboard.home()}


@register.inclusion_tag("admin/readership/sparkline.html", takes_context=True)
def views_sparkline(context, item):
    if not isinstance(item, Publishable) or not item.pk:
        return {}
    if not context["request"].user.has_perm(dashboard.PERMISSION):
        return {}
    return {"sparkline": dashboard.sparkline(item)}
