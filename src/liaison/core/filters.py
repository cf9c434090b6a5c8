"""The filter set of the audit log: which object, who, what and when.

Every value arrives in the query string, so each one is validated into a message (an id that is
not a number, a date outside 1900–2100) rather than reaching the database.
"""

import datetime

import django_filters
from django import forms
from django.apps import apps
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from .models import AuditEntry, User

# Dates a person could mean; anything else is a typing slip, not a search.
EARLIEST = datetime.date(1900, 1, 1)
LATEST = datetime.date(2100, 12, 31)
# Object ids are stored as text; a number longer than any key is a typing slip too.
BAD_RECORD_NUMBER = _("A record number is a whole number of up to 18 digits.")


def object_types():
    """Every model of Liaison's own apps, named as a person reads it; no query."""
    choices = [
        (
            model._meta.label_lower,
            f"{capfirst(model._meta.verbose_name)} ({model._meta.app_config.verbose_name})",
        )
        for model in apps.get_models()
        if model._meta.app_config.name.startswith("liaison.")
    ]
    return sorted(choices, key=lambda choice: str(choice[1]))


def actions():
    return [
        (a, a)
        for a in AuditEntry.objects.order_by("action").values_list("action", flat=True).distinct()
    ]


class BoundedDateFilter(django_filters.DateFilter):
    """A day between 1900 and 2100, compared with the moment of the entry in the local zone."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault(
            "validators",
            [
                MinValueValidator(EARLIEST, _("Choose a date from 1900 on.")),
                MaxValueValidator(LATEST, _("Choose a date up to 2100.")),
            ],
        )
        kwargs.setdefault("widget", forms.DateInput(attrs={"type": "date"}))
        super().__init__(*args, **kwargs)


def _start_of(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


class AuditFilterForm(forms.Form):
    def clean(self):
        data = super().clean()
        since, until = data.get("since"), data.get("until")
        if since and until and since > until:
            self.add_error("until", _("The end of the period comes before its start."))
        return data


class AuditEntryFilter(django_filters.FilterSet):
    object_type = django_filters.ChoiceFilter(
        label=_("Kind of record"), choices=object_types, empty_label=_("Any kind")
    )
    object_id = django_filters.CharFilter(
        label=_("Record number"),
        validators=[RegexValidator(r"^\d{1,18}$", BAD_RECORD_NUMBER)],
    )
    actor = django_filters.ModelChoiceFilter(
        label=_("Changed by"),
        queryset=User.objects.filter(pk__in=AuditEntry.objects.values("actor")).order_by(
            "username"
        ),
        empty_label=_("Anybody"),
    )
    action = django_filters.ChoiceFilter(
        label=_("Action"), choices=actions, empty_label=_("Any action")
    )
    since = BoundedDateFilter(label=_("From"), method="filter_since")
    until = BoundedDateFilter(label=_("Until"), method="filter_until")

    class Meta:
        model = AuditEntry
        fields = []
        form = AuditFilterForm

    def filter_since(self, queryset, name, value):
        # A range on the indexed column itself, not on its date, so the index serves it.
        return queryset.filter(at__gte=_start_of(value))

    def filter_until(self, queryset, name, value):
        return queryset.filter(at__lt=_start_of(value + datetime.timedelta(days=1)))
