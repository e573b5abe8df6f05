"""Dates in the Persian admin are Solar Hijri, as readers of the Persian edition see them.

In the Persian admin every date and date-time field of a content form shows and takes its date
as ۱۴۰۵/۰۹/۱۴ (Persian, Arabic or Latin digits; / - or . between), with a month calendar to pick
it from (``static/js/admin/solar-calendar.js``); times take Persian digits too. What is stored is
unchanged: the same date, the same timestamp in the site's zone. ``SolarDatesAdmin`` swaps the
fields in when the admin speaks Persian; the other editions keep Django's own.

Dates that are shown, not typed, are Solar too: in Persian, Django's named formats
(``DATE_FORMAT``, ``DATETIME_FORMAT``, ``YEAR_MONTH_FORMAT``…, what ``{{ value }}``, the
``date`` filter without a format, the admin's lists, history and messages use) are written by
``solar_format`` (``use_solar_named_formats``). A format written out (``date:"c"``,
``"Y-m-d"``: sitemaps, feeds, machine-readable attributes) stays Django's.
"""

import datetime
import re

import jdatetime
from django import forms
from django.contrib.admin import FieldListFilter, widgets
from django.contrib.admin.views.main import ChangeList
from django.db import models
from django.utils import formats, timezone
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from nejat.editions import ASCII_DIGITS, local_digits

SOLAR_DATE = re.compile(r"^\s*(\d{4})\s*[-/.]\s*(\d{1,2})\s*[-/.]\s*(\d{1,2})\s*$")


# Django's named formats as Persian writes them in the Solar Hijri calendar: "۱۷ آذر ۱۴۰۵".
SOLAR_FORMATS = {
    "DATE_FORMAT": "%-d %B %Y",
    "DATETIME_FORMAT": "%-d %B %Y، ساعت %H:%M",
    "SHORT_DATE_FORMAT": "%Y/%m/%d",
    "SHORT_DATETIME_FORMAT": "%Y/%m/%d، %H:%M",
    "YEAR_MONTH_FORMAT": "%B %Y",
    "MONTH_DAY_FORMAT": "%-d %B",
}
DATE_ONLY = {"DATETIME_FORMAT": "DATE_FORMAT", "SHORT_DATETIME_FORMAT": "SHORT_DATE_FORMAT"}


def solar_format(value, name="DATE_FORMAT"):
    """``value`` (a date, or a date-time shown in the site's zone) in the named format, in
    the Solar Hijri calendar with Persian month names and digits."""
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        solar = jdatetime.datetime.fromgregorian(datetime=value, locale="fa_IR")
    else:
        solar = jdatetime.date.fromgregorian(date=value, locale="fa_IR")
        name = DATE_ONLY.get(name, name)
    return local_digits(solar.strftime(SOLAR_FORMATS[name]), "fa")


def use_solar_named_formats():
    """Has Django's ``formats.date_format`` write the named formats with ``solar_format``
    while Persian is active (module docstring). Django looks the function up in its module
    for every date it shows (``localize``, the ``date`` filter, the admin's date
    drill-down), so this one place covers them all; other languages and written-out formats
    go to Django's own function unchanged."""
    django_date_format = formats.date_format
    if getattr(django_date_format, "solar", False):
        return

    def date_format(value, format=None, use_l10n=None):
        name = format or "DATE_FORMAT"
        if name in SOLAR_FORMATS and isinstance(value, datetime.date) and get_language() == "fa":
            return solar_format(value, name)
        return django_date_format(value, format, use_l10n)

    date_format.solar = True
    formats.date_format = date_format


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


MINUTE = "%H:%M"  # publish times are planned to the minute: no seconds to read past


def to_the_minute(moment):
    return moment.replace(second=0, microsecond=0) if moment else moment


class MinuteSplitDateTime(widgets.AdminSplitDateTime):
    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.widgets[1].format = MINUTE


class MinuteSplitDateTimeField(forms.SplitDateTimeField):
    """A date and a time to the minute. An unchanged minute is no change: the form keeps the
    stored value, seconds and all (``keep_unchanged_minutes``), so saving a form again never
    records a new publish time."""

    widget = MinuteSplitDateTime

    def __init__(self, **kwargs):
        # Not the hidden copy of the initial value Django adds for a default of "now": it holds
        # seconds (and a Gregorian date), where the comparison is to the minute.
        kwargs["show_hidden_initial"] = False
        super().__init__(**kwargs)

    def has_changed(self, initial, data):
        if self.disabled:
            return False
        if not isinstance(initial, list):
            initial = self.widget.decompress(initial) if initial else [None, None]
        try:
            before, after = (
                self.compress([f.clean(v) for f, v in zip(self.fields, values, strict=True)])
                for values in (initial, data)
            )
        except (forms.ValidationError, TypeError, ValueError):
            return True
        return to_the_minute(before) != to_the_minute(after)


def keep_unchanged_minutes(form, cleaned):
    """``cleaned`` with the stored value of each minute field whose minute was not changed."""
    for name, field in form.fields.items():
        unchanged = name in cleaned and name not in form.changed_data
        if isinstance(field, MinuteSplitDateTimeField) and unchanged and form.initial.get(name):
            cleaned[name] = form.initial[name]
    return cleaned


class PersianTimeInput(widgets.AdminTimeWidget):
    def __init__(self, attrs=None):
        super().__init__(attrs, format=MINUTE)

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


class SolarSplitDateTimeField(MinuteSplitDateTimeField):
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


def solar_month_start(year, month):
    """The first day of a Solar Hijri month (``month`` 13 is the next year's first)."""
    year, month = (year + 1, 1) if month == 13 else (year, month)
    return jdatetime.date(year, month, 1).togregorian()


class SolarMonthFilter(FieldListFilter):
    """The Persian list's drill-down by Solar Hijri year and month, in place of Django's
    Gregorian ``date_hierarchy``: the years that have items, and the months of the chosen one;
    each a range of the field in the site's zone."""

    def __init__(self, field, request, params, model, model_admin, field_path):
        self.since, self.until = f"{field_path}__gte", f"{field_path}__lt"
        self.chosen = {k: params[k][-1] for k in (self.since, self.until) if k in params}
        self.is_datetime = isinstance(field, models.DateTimeField)
        super().__init__(field, request, params, model, model_admin, field_path)
        self.title = pgettext_lazy("date drill-down", "Solar calendar")
        queryset = model_admin.get_queryset(request)
        if self.is_datetime:  # days in the site's zone
            days = (moment.date() for moment in queryset.datetimes(field_path, "day"))
        else:
            days = queryset.dates(field_path, "day")
        solar_days = (jdatetime.date.fromgregorian(date=day) for day in days)
        self.months = sorted({(day.year, day.month) for day in solar_days}, reverse=True)

    def expected_parameters(self):
        return [self.since, self.until]

    def has_output(self):
        return bool(self.months)

    def bounds(self, first, last):
        """The query parameters of the days from ``first`` up to ``last`` (not included)."""
        if self.is_datetime:
            first, last = (
                timezone.make_aware(datetime.datetime.combine(day, datetime.time()))
                for day in (first, last)
            )
        return {self.since: str(first), self.until: str(last)}

    def link(self, changelist, title, params):
        return {
            "selected": self.chosen == params,
            "query_string": changelist.get_query_string(params, [self.since, self.until]),
            "display": title,
        }

    def choices(self, changelist):
        yield self.link(changelist, _("All"), {})
        chosen_year = None
        for year in sorted({year for year, _month in self.months}, reverse=True):
            params = self.bounds(solar_month_start(year, 1), solar_month_start(year + 1, 1))
            yield self.link(changelist, local_digits(year, "fa"), params)
            if self.chosen and params[self.since] <= self.chosen[self.since] < params[self.until]:
                chosen_year = year
        for year, month in self.months:
            if year == chosen_year:
                first = solar_month_start(year, month)
                params = self.bounds(first, solar_month_start(year, month + 1))
                yield self.link(changelist, "– " + solar_format(first, "YEAR_MONTH_FORMAT"), params)


class WithoutDateHierarchy(ChangeList):
    """Django's change list without its Gregorian date drill-down (``SolarMonthFilter``)."""

    def __init__(self, request, model, list_display, list_display_links, list_filter,
                 date_hierarchy, *args, **kwargs):  # fmt: skip
        super().__init__(
            request, model, list_display, list_display_links, list_filter, None, *args, **kwargs
        )


class SolarDatesAdmin:
    """Swaps in the Solar Hijri fields while the admin speaks Persian (module docstring), and
    the Solar drill-down for Django's Gregorian ``date_hierarchy``."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        solar = get_language() == "fa"
        if isinstance(db_field, models.DateTimeField) and db_field.editable:
            if solar:
                kwargs.update(form_class=SolarSplitDateTimeField, widget=SolarSplitDateTime)
            else:
                kwargs.update(form_class=MinuteSplitDateTimeField, widget=MinuteSplitDateTime)
        elif (
            isinstance(db_field, models.DateField) and db_field.editable and get_language() == "fa"
        ):
            kwargs.update(form_class=SolarDateField, widget=SolarDateInput)
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def get_changelist(self, request, **kwargs):
        if get_language() == "fa" and self.date_hierarchy:
            return WithoutDateHierarchy
        return super().get_changelist(request, **kwargs)

    def get_list_filter(self, request):
        filters = super().get_list_filter(request)
        if get_language() == "fa" and self.date_hierarchy:
            return [*filters, (self.date_hierarchy, SolarMonthFilter)]
        return filters
