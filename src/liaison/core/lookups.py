"""Lookups on integer columns and foreign keys that treat an id out of range as "no such row".

Django already answers ``pk=99999999999999999999`` with no row (``IntegerFieldOverflow``), but
not ``pk__in=[99999999999999999999]`` nor ``course=99999999999999999999`` through a foreign
key: SQLite raises ``OverflowError`` (a 500) and PostgreSQL a data error. Multi-select form
fields and filters (``ModelMultipleChoiceField``) look their ids up with ``pk__in``, and some
views filter a foreign key by a query parameter, so a value out of the column's range must match
nothing, on both databases; a choice field then reports it as an invalid choice, with its usual
message. Registered by ``validators.install()``.
"""

from django.core.exceptions import EmptyResultSet, FieldError
from django.db import models
from django.db.models.fields.related_lookups import RelatedExact, RelatedIn
from django.db.models.lookups import In


def _integer_range(lhs, connection):
    """The (low, high) the column can hold, or (None, None) when it is not an integer column."""
    field = getattr(lhs, "output_field", None)
    try:
        # A foreign key holds its target's values (``target_field`` is the referenced column).
        field = getattr(field, "target_field", field)
    except FieldError:  # a relation over several columns
        return None, None
    if not isinstance(field, models.IntegerField):
        return None, None
    try:
        return connection.ops.integer_field_range(field.get_internal_type())
    except KeyError:
        return None, None


def _inside(value, low, high) -> bool:
    if not isinstance(value, int) or isinstance(value, bool):
        return True
    return (low is None or value >= low) and (high is None or value <= high)


class InRangeIn:
    """``in``: values out of range are dropped; if none is left, the condition matches nothing."""

    def process_rhs(self, compiler, connection):
        if self.rhs_is_direct_value():
            low, high = _integer_range(self.lhs, connection)
            values = list(self.rhs)
            kept = [value for value in values if _inside(value, low, high)]
            if len(kept) != len(values):
                if not kept:
                    raise EmptyResultSet
                self.rhs = kept
        return super().process_rhs(compiler, connection)


class InRangeExact:
    """``exact`` through a foreign key: a value out of range matches nothing."""

    def process_rhs(self, compiler, connection):
        if self.rhs_is_direct_value():
            low, high = _integer_range(self.lhs, connection)
            if not _inside(self.rhs, low, high):
                raise EmptyResultSet
        return super().process_rhs(compiler, connection)


class IntegerIn(InRangeIn, In):
    pass


class ForeignKeyIn(InRangeIn, RelatedIn):
    pass


class ForeignKeyExact(InRangeExact, RelatedExact):
    pass


def register():
    """Registers the lookups on every integer field and every relation (subclasses inherit)."""
    models.IntegerField.register_lookup(IntegerIn)
    models.ForeignObject.register_lookup(ForeignKeyIn)
    models.ForeignObject.register_lookup(ForeignKeyExact)
