from django import template

from publications.models import Brief, Newsletter

register = template.Library()


@register.inclusion_tag("publications/includes/home_publications.html", takes_context=True)
def home_publications(context):
    """The newest newsletter issue and Pars Brief of the edition: two queries, first page only."""
    page = context.get("page_obj")
    if page is not None and page.number > 1:
        return {}
    return {
        "newsletter": Newsletter.objects.public().first(),
        "brief": Brief.objects.public().first(),
    }
