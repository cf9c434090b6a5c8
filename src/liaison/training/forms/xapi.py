"""Forms of the xAPI export and of the deliveries to the external learning record store.

The export takes xAPI's own parameters (``since``, ``until``, ``limit``) with their meaning in
``GET /statements``: full ISO 8601 date-times with a zone. A person may also give a date alone
(``since`` from the start of that day, ``until`` to its end, in the site's zone) or a time
without a zone (read in the site's zone).
"""

import datetime
import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _

from liaison.core.validators import date_in_range

from ..models import DeliveryState
from ..services.xapi import Cursor

DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# A "+02:00" written in a query string without encoding arrives as " 02:00".
SPACED_OFFSET = re.compile(r" (\d{2}(?::?\d{2})?)$")
ONE_MICROSECOND = datetime.timedelta(microseconds=1)
MAX_CHARS = 64


def parse_instant(value: str) -> datetime.datetime | datetime.date | None:
    """An aware date-time, a date, or None when ``value`` is neither."""
    value = SPACED_OFFSET.sub(r"+\1", value.strip())
    try:
        if DATE.match(value):
            return datetime.date.fromisoformat(value)
        moment = parse_datetime(value)
    except ValueError:
        return None
    if moment is None:
        return None
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


class InstantField(forms.Field):
    """A moment as xAPI's ``since`` (exclusive) or ``until`` (inclusive) reads it. A date alone
    becomes the last microsecond before its day (``since``) or the last one of it (``until``),
    so that the day is included either way."""

    default_error_messages = {
        "invalid": _(
            "Enter a date (2024-05-31) or a date and time with its zone "
            "(2024-05-31T14:00:00Z or 2024-05-31T16:00:00+02:00)."
        ),
    }

    def __init__(self, *, until: bool = False, **kwargs):
        self.until = until
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        parsed = parse_instant(str(value)) if len(str(value)) <= MAX_CHARS else None
        if parsed is None:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        date_in_range(parsed)
        if isinstance(parsed, datetime.datetime):
            return parsed
        day = parsed + datetime.timedelta(days=1) if self.until else parsed
        start = timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
        return start - ONE_MICROSECOND


class ExportForm(forms.Form):
    """What to export: the learner's own records, or a module's or course's, stored between
    two moments, a page at a time."""

    mine = forms.BooleanField(required=False)
    module = forms.IntegerField(required=False, min_value=1)
    course = forms.IntegerField(required=False, min_value=1)
    since = InstantField()
    until = InstantField(until=True)
    limit = forms.IntegerField(required=False, min_value=0)
    cursor = forms.CharField(required=False, max_length=200)

    def clean_cursor(self):
        value = self.cleaned_data["cursor"]
        if not value:
            return None
        try:
            return Cursor.decode(value)
        except ValueError:
            raise ValidationError(
                _("This link to the next page is broken: start again from the first page."),
                code="invalid",
            ) from None


class DeliveryFilter(forms.Form):
    state = forms.ChoiceField(
        label=_("State"),
        choices=[("", _("Every state")), *DeliveryState.choices],
        required=False,
    )
