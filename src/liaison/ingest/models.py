"""Uploaded factsheets and what became of them.

A factsheet goes queued → ready (its fields extracted, waiting for a person) → confirmed or
discarded, or failed with the reason, or too long to read (more text, or more time, than one
factsheet may take). The uploaded bytes are kept only until the file is read. Nothing reaches
the portfolio before a person confirms, so the draft fields live here, beside the document's
text they were read from.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class FactsheetStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting to be read")
    READY = "ready", _("Ready for review")
    FAILED = "failed", _("Could not be read")
    CONFIRMED = "confirmed", _("Confirmed")
    DISCARDED = "discarded", _("Discarded")
    TOO_LONG = "too_long", _("Too long to read")


class ImportBatchQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The secretariat sees every batch; others see their own."""
        if getattr(user, "is_secretariat", False):
            return self
        return self.filter(uploaded_by=user)


class ImportBatch(models.Model):
    """The files one person dropped at once; the page shows their progress together."""

    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.CASCADE,
        related_name="import_batches",
    )
    created = models.DateTimeField(_("created"), auto_now_add=True)

    objects = ImportBatchQuerySet.as_manager()

    class Meta:
        verbose_name = _("import batch")
        verbose_name_plural = _("import batches")
        ordering = ["-created"]

    def __str__(self):
        return f"{self.uploaded_by} – {self.created:%Y-%m-%d %H:%M}"

    def get_absolute_url(self):
        return reverse("ingest:batch", args=[self.pk])


class Factsheet(models.Model):
    """One uploaded file, its extracted text, the draft fields and the outcome."""

    batch = models.ForeignKey(
        ImportBatch, verbose_name=_("batch"), on_delete=models.CASCADE, related_name="factsheets"
    )
    name = models.CharField(_("file name"), max_length=255)
    size = models.PositiveIntegerField(_("size in bytes"))
    # The uploaded file, emptied once read: from then on the text is what is kept.
    content = models.BinaryField(_("content"), editable=False)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=FactsheetStatus.choices,
        default=FactsheetStatus.QUEUED,
        db_index=True,
    )
    error = models.CharField(_("error"), max_length=500, blank=True)
    text = models.TextField(_("document text"), blank=True)
    extracted = models.JSONField(_("extracted fields"), default=dict, blank=True)
    project = models.ForeignKey(
        "portfolio.Project",
        verbose_name=_("project"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="factsheets",
    )
    outcome = models.CharField(_("outcome"), max_length=20, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reviewed = models.DateTimeField(_("reviewed"), null=True, blank=True)

    class Meta:
        verbose_name = _("factsheet")
        verbose_name_plural = _("factsheets")
        ordering = ["batch", "name", "pk"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("ingest:review", args=[self.pk])

    @property
    def is_open(self) -> bool:
        """Still waiting for a decision."""
        return self.status in {FactsheetStatus.QUEUED, FactsheetStatus.READY}
