"""Dates in the Persian admin are Solar Hijri, as readers of the Persian edition see them.

In the Persian admin every date and date-time field of a content form shows and takes its date
as ۱۴۰۵/۰۹/۱۴ (Persian, Arabic or Latin digits; / - or . between), with a month calendar to pick
it from (``static/js/admin/solar-calendar.js``); times take Persian digits too. What is stored is
unchanged: the same date, the same timestamp in the site's zone. ``SolarDatesAdmin`` swaps the
fields in when the admin speaks Persian; the other editions keep Django's own.
"""

import datetime
import re

import jdatetime
from django import forms
from django.contrib.admin import widgets
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from nejat.editions import ASCII_DIGITS, local_digits

SOLAR_DATE = re.compile(r"^\s*(\d{4})\s*[-/.]\s*(\d{1,2})\s*[-/.]\s*(\d{1,2})\s*$")


def solar_text(date):
    """``date`` (Gregorian) as the Persian admin writes it: ۱۴۰۵/۰۹/۱۴."""
    return local_digits(jdatetime.date.fromgregorian(date=date).strftime("%Y/%m/%d"), "fa")


def gregorian_from_text(text):
    """The Gregorian date of a typed Solar Hijri date, or None if it is not one."""
    found = SOLAR_DATE.match((text or "").translate(ASCII_DIGITS))
    if not found:
        return None
    try:
        return jdatetime.date(*map(int, found.groups())).togregorian()
    except ValueError:
        return None


class SolarDateInput(widgets.AdminDateWidget):
    """A text input with the Solar Hijri calendar beside it (not Django's Gregorian one)."""

    def __init__(self, attrs=None):
        super().__init__(attrs={"class": "vSolarDateField", "size": "10", **(attrs or {})})

    @property
    def media(self):
        return forms.Media(js=["js/admin/solar-calendar.js"])

    def format_value(self, value):
        if isinstance(value, datetime.date):
            return solar_text(value)
        return super().format_value(value)


class PersianTimeInput(widgets.AdminTimeWidget):
    def format_value(self, value):
        return local_digits(super().format_value(value) or "", "fa") or None


class SolarDateField(forms.DateField):
    widget = SolarDateInput
    default_error_messages = {
        "invalid": _("Enter a Solar Hijri date such as ۱۴۰۵/۰۹/۱۴."),
    }

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, datetime.date):
            return value
        date = gregorian_from_text(str(value))
        if date is None:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return date


class PersianTimeField(forms.TimeField):
    widget = PersianTimeInput

    def to_python(self, value):
        return super().to_python(value.translate(ASCII_DIGITS) if isinstance(value, str) else value)


class SolarSplitDateTime(widgets.AdminSplitDateTime):
    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.widgets = [SolarDateInput(attrs), PersianTimeInput(attrs)]


class SolarSplitDateTimeField(forms.SplitDateTimeField):
    """Django's date-and-time field with a Solar Hijri date; the time is in the site's zone."""

    widget = SolarSplitDateTime

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        _date, time = self.fields
        solar = SolarDateField(required=False)  # with its own "invalid" message
        persian_time = PersianTimeField(required=False, error_messages=time.error_messages)
        solar.error_messages.setdefault("incomplete", self.error_messages["incomplete"])
        solar.disabled = persian_time.disabled = self.disabled
        self.fields = (solar, persian_time)


class SolarDatesAdmin:
    """Swaps in the Solar Hijri fields while the admin speaks Persian (module docstring)."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if get_language() == "fa":
            if isinstance(db_field, models.DateTimeField) and db_field.editable:
                kwargs.update(form_class=SolarSplitDateTimeField, widget=SolarSplitDateTime)
            elif isinstance(db_field, models.DateField) and db_field.editable:
                kwargs.update(form_class=SolarDateField, widget=SolarDateInput)
        return super().formfield_for_dbfield(db_field, request, **kwargs)
