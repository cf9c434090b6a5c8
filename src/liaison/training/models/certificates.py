"""Certificates of completion, each with a code anyone can check."""

import secrets

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .courses import Enrolment

# Letters and digits that cannot be mistaken for one another when read off paper.
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def new_code() -> str:
    """Twelve random characters in three groups, e.g. ``K7QM-2XVD-9HTA`` (60 bits)."""
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(12))
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


class Certificate(models.Model):
    """Proof that a trainee completed a course. What it says is copied when it is issued, so
    the certificate stays true if the course or the person is later renamed."""

    enrolment = models.OneToOneField(
        Enrolment, verbose_name=_("enrolment"), on_delete=models.PROTECT, related_name="certificate"
    )
    code = models.CharField(_("code"), max_length=20, unique=True, default=new_code)
    holder_name = models.CharField(_("holder"), max_length=200)
    course_title = models.CharField(_("course"), max_length=300)
    modules = models.JSONField(
        _("modules"), default=list, help_text=_("Code, title and version of each module taken.")
    )
    hours = models.DecimalField(_("hours"), max_digits=6, decimal_places=1, default=0)
    issued_on = models.DateField(_("issued on"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("issued by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_reason = models.TextField(_("reason for revocation"), blank=True)

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        ordering = ["-issued_on"]

    def __str__(self):
        return self.code

    def get_absolute_url(self):
        return reverse("training:certificate", args=[self.pk])

    def verification_url(self) -> str:
        return settings.SITE_URL.rstrip("/") + reverse("training:verify", args=[self.code])

    def is_valid_on(self, day) -> bool:
        return self.revoked_at is None and (self.valid_until is None or day <= self.valid_until)
