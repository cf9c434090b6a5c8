"""Serializer fields that apply the date policy of ``validators`` where DRF's own cannot."""

from django.core.exceptions import ValidationError
from rest_framework import serializers

from .validators import DateInRange, date_in_range


class DateTimeField(serializers.DateTimeField):
    """DRF's date and time, with the years checked before any time-zone conversion.

    DRF places a time typed without an offset in the site's zone and then converts it to UTC to
    check that it exists; for year 1 in Europe/Brussels that conversion overflows (a 500) before
    any validator runs. Model serializers use this class (``validators.install``); declare it
    instead of ``serializers.DateTimeField`` for a writable time.
    """

    def enforce_timezone(self, value):
        try:
            date_in_range(value)
        except ValidationError as error:
            raise serializers.ValidationError(error.messages, code=DateInRange.code) from error
        return super().enforce_timezone(value)
