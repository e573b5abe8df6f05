"""Subscribers from a CSV file (the old WordPress list): only addresses whose consent was
recorded are taken; every other row is reported with its reason, none dropped in silence."""

import csv
import io
from dataclasses import dataclass, field
from datetime import datetime, time

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _

from nejat.editions import edition_codes
from subscriptions.models import Kind, Subscriber, Subscription, normalise_email

COLUMNS = ("email", "edition", "lists", "consent_at", "consent_source")
MAX_BYTES = 20 * 1024 * 1024


@dataclass
class Report:
    imported: int = 0
    already: int = 0
    refused: list = field(default_factory=list)  # (line, address, reason)


class BadFile(ValueError):
    pass


def read_rows(upload):
    if upload.size > MAX_BYTES:
        raise BadFile(_("The file is larger than %(mb)d MB.") % {"mb": MAX_BYTES // 1024 // 1024})
    try:
        text = upload.read().decode("utf-8-sig")
    except UnicodeDecodeError:
        raise BadFile(_("The file is not UTF-8 text: save it as CSV UTF-8.")) from None
    reader = csv.DictReader(io.StringIO(text))
    missing = [name for name in ("email", "consent_at") if name not in (reader.fieldnames or ())]
    if missing:
        raise BadFile(
            _("Columns missing: %(missing)s (expected: %(columns)s).")
            % {"missing": ", ".join(missing), "columns": ", ".join(COLUMNS)}
        )
    return list(reader)


def consent_time(value):
    value = (value or "").strip()
    moment = parse_datetime(value)
    if moment is None and (day := parse_date(value)):
        moment = datetime.combine(day, time.min)
    if moment is not None and timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


def import_rows(rows, default_edition):
    report = Report()
    now = timezone.now()
    with transaction.atomic():
        for line, row in enumerate(rows, start=2):
            address = normalise_email(row.get("email") or "")
            try:
                validate_email(address)
            except ValidationError:
                report.refused.append((line, address, _("not an e-mail address")))
                continue
            consented = consent_time(row.get("consent_at"))
            if consented is None:
                report.refused.append((line, address, _("no recorded consent (consent_at)")))
                continue
            edition = (row.get("edition") or default_edition).strip()
            if edition not in edition_codes():
                report.refused.append((line, address, _("unknown edition %s") % edition))
                continue
            kinds = [k.strip() for k in (row.get("lists") or Kind.NEWSLETTER).split("|")]
            if unknown := [k for k in kinds if k not in Kind.values]:
                report.refused.append((line, address, _("unknown list %s") % unknown[0]))
                continue
            subscriber, _created = Subscriber.objects.get_or_create(
                email=address, defaults={"edition": edition, "confirmed_at": consented}
            )
            new_lists = 0
            for kind in kinds:
                _subscription, made = Subscription.objects.get_or_create(
                    subscriber=subscriber, kind=kind, edition=edition,
                    defaults={"requested_at": consented, "confirmed_at": consented},
                )  # fmt: skip
                new_lists += made
            if not new_lists:
                report.already += 1
                continue
            source = (row.get("consent_source") or "").strip() or "not said"
            subscriber.note_consent(
                f"{consented:%Y-%m-%d %H:%M} UTC consent ({source}); imported {now:%Y-%m-%d}"
            )
            subscriber.save()
            report.imported += 1
    return report
