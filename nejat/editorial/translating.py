"""Translating an item into an edition it lacks: "Translate into …" opens its form on that
language's tab with the text of an edition it has beside the fields.

The changelist's edition badges link each missing edition here (``translate_link``); the form,
opened with ``?translate=fa``, shows the source text (the first edition the item has, English
first) above the fields, and ``static/js/admin/writing-aids.js`` opens the tabs on Persian.
"""

from django.contrib.admin.templatetags.admin_urls import admin_urlname
from django.db import models
from django.urls import reverse
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from modeltranslation.translator import translator

from nejat.editions import edition_codes, edition_name, localized_field
from nejat.media.richtext import RichTextField, sanitize_html


def translate_link(obj, code):
    """The "Translate into …" link of ``obj`` for the missing edition ``code``."""
    address = reverse(admin_urlname(obj._meta, "change"), args=[obj.pk])
    return format_html(
        '<a href="{}?{}" title="{}">{}</a>',
        address,
        urlencode({"translate": code}),
        _("Translate into %(edition)s") % {"edition": edition_name(code)},
        code,
    )


def source_text(obj, into):
    """``(code, [(label, text)])``: what the translator reads, from the first edition ``obj``
    has other than ``into`` (rich text as it shows, sanitised again; the rest as text)."""
    present = [code for code in obj.editions() if code != into]
    if not present:
        return None, []
    source = present[0]
    fields = []
    for name in translator.get_options_for_model(type(obj)).all_fields:
        value = getattr(obj, localized_field(name, source), "")
        if not value or not isinstance(value, str):
            continue
        field = obj._meta.get_field(name)
        if isinstance(field, models.SlugField):
            continue  # made from the title on save
        text = mark_safe(sanitize_html(value)) if isinstance(field, RichTextField) else value
        fields.append((field.verbose_name, text))
    return source, fields


class TranslationSourceAdmin:
    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        into = request.GET.get("translate")
        if obj is not None and into in edition_codes():
            source, fields = source_text(obj, into)
            if fields:
                context["translation_source"] = {
                    "into": into,
                    "into_name": edition_name(into),
                    "source": source,
                    "source_name": edition_name(source),
                    "fields": fields,
                }
        return super().render_change_form(request, context, add, change, form_url, obj)
