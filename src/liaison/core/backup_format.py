"""The serialisation format of backups: Django's JSON, row by row, with nothing rounded.

Django's own JSON format keeps dates to the millisecond and writes many-to-many links inside
the object that holds them, so a restore re-creates those link rows with new ids in another
order. A backup must give back every table as it was, so this format keeps times to the
microsecond and writes the link tables' rows as rows of their own (``backup`` names them).
Reading is Django's JSON reader unchanged.
"""

import datetime

from django.core.serializers import json as django_json

Deserializer = django_json.Deserializer


class ExactEncoder(django_json.DjangoJSONEncoder):
    """Dates and times in full ISO 8601, microseconds included."""

    def default(self, o):
        if isinstance(o, datetime.datetime | datetime.time):
            return o.isoformat()
        return super().default(o)


class Serializer(django_json.Serializer):
    def _init_options(self):
        super()._init_options()
        self.json_kwargs["cls"] = ExactEncoder

    def handle_m2m_field(self, obj, field):
        """Links are written as the rows of their own table, not inside the object."""
