"""A revision number for records that calendar programs keep a copy of (iCalendar SEQUENCE).

A calendar program that subscribed to a feed keeps each event and replaces it only when the
feed's copy is newer: a higher ``SEQUENCE`` (RFC 5545, 3.8.7.4), then a later ``DTSTAMP`` or
``LAST-MODIFIED``. ``Revised`` gives a model a ``sequence`` that grows by one on every save that
changes what the feed shows (``revised_fields``: dates, place, title...), and only then.

Why a counter and not a number derived from the modification time: the counter never goes back
(a server clock set back, a restore from a backup or a record copied between installations
would make a timestamp smaller, and clients would keep the old copy), it stays small (clients
such as Outlook read SEQUENCE as a 32-bit integer, so seconds since 1970 are not safe after
2038), and a save that changes nothing a calendar shows (minutes, synopsis) does not make
every subscriber's program rewrite the event. The increment is done by the database
(``sequence + 1``), so two edits saved at the same moment still give two revisions.

Writes through ``QuerySet.update()`` or ``bulk_update`` bypass ``save`` and so the counter;
the apps' services save records one by one, which is what keeps it right.
"""

import datetime

from django.db import models
from django.utils.translation import gettext_lazy as _


def _shown(value):
    """A value as a calendar shows it: iCalendar times have no fractions of a second."""
    if isinstance(value, datetime.datetime):
        return value.replace(microsecond=0)
    return value


class Revised(models.Model):
    """A record whose ``sequence`` counts the saves that changed one of ``revised_fields``."""

    revised_fields: tuple[str, ...] = ()

    sequence = models.PositiveIntegerField(
        _("revision"),
        default=0,
        editable=False,
        help_text=_("Grows by one each time something a calendar shows changes."),
    )

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        revised = self._revised_since_loaded()
        if revised:
            self.sequence = models.F("sequence") + 1
            update_fields = kwargs.get("update_fields")
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, "sequence"}
        super().save(*args, **kwargs)
        if revised:
            self.refresh_from_db(fields=["sequence"])
        self._revised_as_loaded = self._revised_values()

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._revised_as_loaded = instance._revised_values()
        return instance

    def _revised_values(self) -> dict:
        """The shown values held in memory (a deferred field is left out, not fetched)."""
        names = (self._meta.get_field(name).attname for name in self.revised_fields)
        return {name: _shown(self.__dict__[name]) for name in names if name in self.__dict__}

    def _revised_since_loaded(self) -> bool:
        loaded = getattr(self, "_revised_as_loaded", None)
        if self._state.adding or loaded is None:
            return False
        now = self._revised_values()
        return any(now[name] != value for name, value in loaded.items() if name in now)
