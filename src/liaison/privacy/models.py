"""A person's requests about their own data: copies they took, and erasure they asked for."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from liaison.directory.models import Person


class DataExport(models.Model):
    """A copy of everything held about a person, taken by them (kept as proof of the answer to
    an access request; the file itself is made on demand and not stored)."""

    class Format(models.TextChoices):
        JSON = "json", _("JSON file")
        HTML = "html", _("Readable summary")

    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="data_exports"
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("taken by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    format = models.CharField(_("format"), max_length=10, choices=Format.choices)
    at = models.DateTimeField(_("taken at"), auto_now_add=True)

    class Meta:
        verbose_name = _("copy of personal data")
        verbose_name_plural = _("copies of personal data")
        ordering = ["-at", "-pk"]

    def __str__(self):
        return f"{self.get_format_display()} {self.at:%Y-%m-%d %H:%M}"


class ErasureStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for the secretariat")
    CARRIED_OUT = "carried_out", _("Carried out")
    REFUSED = "refused", _("Refused")


class ErasureRequestQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(status=ErasureStatus.PENDING)


class ErasureRequest(models.Model):
    """A person's request that Liaison forget them; the secretariat, as controller, decides.

    Carried out, the person is anonymised everywhere (``erasure.erase``); refused, the legal
    reason a record must be kept is written here and shown to the person.
    """

    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="erasure_requests"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    note = models.TextField(_("note from the person"), blank=True, max_length=2000)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=ErasureStatus.choices,
        default=ErasureStatus.PENDING,
        db_index=True,
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    legal_reason = models.TextField(_("legal reason for keeping the data"), blank=True)

    objects = ErasureRequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("erasure request")
        verbose_name_plural = _("erasure requests")
        ordering = ["-requested_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["person"],
                condition=models.Q(status="pending"),
                name="one_pending_erasure_request_per_person",
            )
        ]

    def __str__(self):
        return f"#{self.pk} {self.get_status_display()}"
