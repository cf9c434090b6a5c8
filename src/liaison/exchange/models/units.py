"""Units that exchange requests, and who in each unit may: the exchange's own roles.

A unit is an organisation of the directory (a coordination unit, a police service) taking part
in the exchange of a network, with the time zone its clocks are read in. A person holds the
exchange role in a unit (officer or supervisor) in addition to whatever they are elsewhere in
Liaison: the role, not the institution, opens requests (need to know), and it requires a
second factor.
"""

import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from liaison.directory.models import Network, Organisation


def validate_zone(name: str):
    if name not in zoneinfo.available_timezones():
        raise ValidationError(_("%(zone)s is not a time zone."), params={"zone": name})


class ExchangeNetwork(models.Model):
    """A network of the directory whose units exchange requests here, and its rules."""

    network = models.OneToOneField(
        Network, verbose_name=_("network"), on_delete=models.CASCADE, related_name="exchange"
    )
    retention_days = models.PositiveIntegerField(
        _("content kept after closure (days)"),
        default=3 * 365,
        help_text=_("Then the content is erased; the dates and codes stay for the statistics."),
    )
    reminder_hours = models.PositiveSmallIntegerField(
        _("reminder before a deadline (hours)"), default=2
    )

    class Meta:
        verbose_name = _("exchange network")
        verbose_name_plural = _("exchange networks")

    def __str__(self):
        return str(self.network)


class Unit(models.Model):
    """An organisation taking part in a network's exchange."""

    exchange = models.ForeignKey(
        ExchangeNetwork, verbose_name=_("network"), on_delete=models.CASCADE, related_name="units"
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="exchange_units",
    )
    code = models.CharField(
        _("code"), max_length=12, help_text=_("Short, for references: MD-ILECU, GE-ILECU.")
    )
    timezone = models.CharField(
        _("time zone"), max_length=60, default="Europe/Brussels", validators=[validate_zone]
    )
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["exchange", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["exchange", "organisation"], name="one_unit_per_network"
            ),
            models.UniqueConstraint(fields=["code"], name="unit_code_unique"),
        ]

    def __str__(self):
        return f"{self.code} – {self.organisation.name}"

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.timezone)


class UnitRoleKind(models.TextChoices):
    OFFICER = "officer", _("Officer")
    SUPERVISOR = "supervisor", _("Supervisor")


class UnitRoleQuerySet(models.QuerySet):
    def of_user(self, user):
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.none()
        return self.filter(user=user, ended__isnull=True, unit__active=True)


class UnitRole(models.Model):
    """A person's exchange role in a unit: an officer handles requests, a supervisor also
    assigns them, restricts them and sees the unit's deadlines and read log."""

    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.CASCADE, related_name="roles"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        on_delete=models.CASCADE,
        related_name="exchange_roles",
    )
    role = models.CharField(
        _("role"), max_length=12, choices=UnitRoleKind.choices, default=UnitRoleKind.OFFICER
    )
    started = models.DateTimeField(_("since"), auto_now_add=True)
    ended = models.DateTimeField(_("until"), null=True, blank=True)

    objects = UnitRoleQuerySet.as_manager()

    class Meta:
        verbose_name = _("exchange role")
        verbose_name_plural = _("exchange roles")
        ordering = ["unit", "role", "user__username"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "user"], condition=Q(ended__isnull=True), name="one_open_role"
            ),
        ]

    def __str__(self):
        return f"{self.user} ({self.get_role_display()}, {self.unit.code})"
