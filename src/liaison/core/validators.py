"""What a date or a number typed into Liaison may be, whatever the door it comes through.

Python takes years 1 to 9999 and integers of any size; the databases do not. A year-1 time in a
zone ahead of UTC falls in year 0 once PostgreSQL stores it in UTC, and can then no longer be read
back (every list of events answered 500); SQLite cannot convert it at all, nor an integer beyond
64 bits. So one policy holds for every date and number field:

* a date or a time lies in the years ``MIN_YEAR`` to ``MAX_YEAR`` (``date_in_range``);
* an integer fits the database's 64-bit integer (``integer_in_range``), and an id out of that
  range is simply not found (``lookups.IntegerIn``), so a choice of it is an invalid choice.

``install()`` (called by ``CoreConfig.ready``) makes these the default validators of the field
classes every form, filter, serializer and model field is built from, so a field added later is
covered without anyone remembering to add a validator. A field that passes its own ``validators``
to a serializer still gets them: ``ModelSerializer`` copies the model field's, which include
ours, and ``tests/core/test_inputs.py`` walks every form, filter, serializer and model field.
"""

import datetime

from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

MIN_YEAR = 1900
MAX_YEAR = 2100

# The range of the databases' 64-bit integers (PostgreSQL bigint, SQLite INTEGER).
MIN_INTEGER = -(2**63)
MAX_INTEGER = 2**63 - 1


@deconstructible
class DateInRange:
    """Refuses a date or a time outside the years ``MIN_YEAR`` to ``MAX_YEAR``.

    A class rather than a function so that DRF, which shows validators in its error messages and
    compares them, and Django, which may deconstruct them, both handle it.
    """

    message = _("Enter a date between %(min)s and %(max)s.")
    code = "date_out_of_range"

    def __call__(self, value):
        if isinstance(value, datetime.date) and not MIN_YEAR <= value.year <= MAX_YEAR:
            raise ValidationError(
                self.message, code=self.code, params={"min": MIN_YEAR, "max": MAX_YEAR}
            )

    def __eq__(self, other):
        return isinstance(other, DateInRange)

    def __hash__(self):
        return hash(DateInRange)


@deconstructible
class IntegerInRange:
    """Refuses a number the database cannot store or compare (beyond 64-bit integers).

    Django's decimal and float form fields are integer fields underneath, so number filters
    (django-filter's ``NumberFilter``) are bounded by the same rule.
    """

    message = _("Enter a number between %(min)s and %(max)s.")
    code = "integer_out_of_range"

    def __call__(self, value):
        if value is None or isinstance(value, bool):
            return
        try:
            inside = MIN_INTEGER <= value <= MAX_INTEGER
        except TypeError:
            return
        if not inside:
            raise ValidationError(
                self.message, code=self.code, params={"min": MIN_INTEGER, "max": MAX_INTEGER}
            )

    def __eq__(self, other):
        return isinstance(other, IntegerInRange)

    def __hash__(self):
        return hash(IntegerInRange)


date_in_range = DateInRange()
integer_in_range = IntegerInRange()


def _add_default(field_class, validator):
    """Adds ``validator`` to the defaults of ``field_class`` (and so of its subclasses) once."""
    defaults = list(field_class.__dict__.get("default_validators", field_class.default_validators))
    if validator not in defaults:
        field_class.default_validators = [*defaults, validator]


def install():
    """Makes the date and integer policy the default of every field class Liaison builds on.

    Model fields: ``DateField`` (and so ``DateTimeField``), read by ``full_clean`` (model forms,
    the admin) and copied by ``ModelSerializer``. Form fields: ``DateField``, ``DateTimeField``
    (django-filter's date filters, the admin's split date and time, every form) and
    ``IntegerField``. Serializer fields: ``DateField``, ``DateTimeField`` and ``IntegerField``;
    model serializers build their times with ``fields.DateTimeField``, which checks the policy
    before DRF converts the time (see there).
    Default validators are not part of a model field's migration state, so no migration changes.
    """
    from django import forms
    from django.db import models
    from rest_framework import serializers

    from . import lookups

    for field_class in (
        models.DateField,
        forms.DateField,
        forms.DateTimeField,
        serializers.DateField,
        serializers.DateTimeField,
    ):
        _add_default(field_class, date_in_range)
    for field_class in (forms.IntegerField, serializers.IntegerField):
        _add_default(field_class, integer_in_range)
    from .fields import DateTimeField

    serializers.ModelSerializer.serializer_field_mapping[models.DateTimeField] = DateTimeField
    lookups.register()
