"""Who read what: every opening of a request, a message, an attachment, a search hit or a
case file, as Directive (EU) 2016/680 (article 25) asks of every consultation.

Entries form a chain: each holds the hash of the one before and its own hash over its content
and that previous hash, so an exported log shows whether an entry was changed or removed.
The log keeps references, never content.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .requests import Request
from .units import Unit


class ReadWhat(models.TextChoices):
    REQUEST = "request", _("Request opened")
    ATTACHMENT = "attachment", _("Attachment downloaded")
    SEARCH = "search", _("Found by a search")
    CASE_FILE = "case_file", _("Case file exported")
    API = "api", _("Read through the API")


class ReadEntry(models.Model):
    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("from which unit"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    request = models.ForeignKey(
        Request, verbose_name=_("request"), on_delete=models.CASCADE, related_name="reads"
    )
    what = models.CharField(_("what"), max_length=12, choices=ReadWhat.choices)
    detail = models.CharField(_("which"), max_length=100, blank=True)
    previous = models.CharField(_("previous hash"), max_length=64)
    hash = models.CharField(_("hash"), max_length=64, unique=True)

    class Meta:
        verbose_name = _("read of a request")
        verbose_name_plural = _("reads of requests")
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["request", "at"], name="exchange_read_request")]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.user} {self.what}"
