from django import template

from subscriptions.forms import SubscribeForm

register = template.Library()


@register.inclusion_tag("subscriptions/form.html", takes_context=True)
def subscribe_form(context):
    """The subscribe form, blank, in the footer of every page."""
    return {"form": SubscribeForm(prefix=SubscribeForm.prefix), "compact": True}
