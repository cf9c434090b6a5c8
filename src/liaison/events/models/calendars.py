"""The secret address of a person's own calendar of events."""

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


def new_calendar_token() -> str:
    return secrets.token_urlsafe(32)


class CalendarToken(models.Model):
    """The secret in the address of a person's calendar feed of their approved registrations.

    Calendar programs subscribe to that address without signing in, so whoever holds it reads
    the feed, online links included; resetting the token makes every old copy stop working.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user account"),
        on_delete=models.CASCADE,
        related_name="event_calendar",
    )
    token = models.CharField(
        _("token"), max_length=64, unique=True, default=new_calendar_token, editable=False
    )
    created = models.DateTimeField(_("created or reset"), auto_now=True)

    class Meta:
        verbose_name = _("calendar address")
        verbose_name_plural = _("calendar addresses")

    def __str__(self):
        # No token here: this text may reach the audit trail.
        return str(_("Calendar of user %(id)s") % {"id": self.user_id})

    @classmethod
    def for_user(cls, user) -> "CalendarToken":
        token, _created = cls.objects.get_or_create(user=user)
        return token

    def reset(self):
        self.token = new_calendar_token()
        self.save(update_fields=["token", "created"])
