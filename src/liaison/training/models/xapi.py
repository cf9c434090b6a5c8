"""Statements on their way to an external learning record store (``LIAISON_LRS_URL``).

Liaison keeps every statement itself (``Statement``); when an external store is configured,
each new statement also gets a delivery, created in the same transaction, that the background
worker sends and retries until the store takes it or the tries run out.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .catalogue import TrainingCentre, signed_in
from .content import Statement


class DeliveryState(models.TextChoices):
    WAITING = "waiting", _("waiting")
    SENT = "sent", _("sent")
    FAILED = "failed", _("failed")


class DeliveryQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The secretariat sees every delivery; a centre's staff those of the statements about
        their centre's modules and courses."""
        if getattr(user, "is_secretariat", False):
            return self
        if not signed_in(user):
            return self.none()
        centres = TrainingCentre.objects.managed_by(user).values("pk")
        return self.filter(
            Q(statement__module__centre__in=centres) | Q(statement__course__centre__in=centres)
        )

    def due(self, now):
        """Waiting deliveries whose next try has come."""
        return self.filter(state=DeliveryState.WAITING, next_try__lte=now)

    def for_list(self):
        return self.select_related("statement__module", "statement__course")


class XapiDelivery(models.Model):
    """One statement sent (or to be sent) to the external learning record store: its state,
    how many tries it took, when the next one is due and the last error."""

    statement = models.OneToOneField(
        Statement,
        verbose_name=_("statement"),
        on_delete=models.CASCADE,
        related_name="delivery",
    )
    state = models.CharField(
        _("state"), max_length=10, choices=DeliveryState.choices, default=DeliveryState.WAITING
    )
    tries = models.PositiveSmallIntegerField(_("tries"), default=0)
    next_try = models.DateTimeField(_("next try"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    created = models.DateTimeField(_("queued"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    objects = DeliveryQuerySet.as_manager()

    class Meta:
        verbose_name = _("xAPI delivery")
        verbose_name_plural = _("xAPI deliveries")
        ordering = ["-created", "-pk"]
        indexes = [
            models.Index(fields=["state", "next_try"], name="training_xapi_delivery_due"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(state=DeliveryState.WAITING) | Q(next_try__isnull=False),
                name="training_xapi_delivery_waiting_has_next_try",
            )
        ]

    def __str__(self):
        return f"{self.statement_id} ({self.get_state_display()})"

    @staticmethod
    def _shown(language_map, fallback: str) -> str:
        if isinstance(language_map, dict) and language_map:
            return str(next(iter(language_map.values())))
        return fallback

    @property
    def verb(self) -> str:
        """The statement's verb as displayed (``passed``), from the statement itself."""
        data = self.statement.data
        return self._shown(data.get("verb", {}).get("display"), self.statement.verb)

    @property
    def activity(self) -> str:
        """The name of the statement's activity, or its id."""
        definition = self.statement.data.get("object", {}).get("definition", {})
        return self._shown(definition.get("name"), self.statement.object_id)
