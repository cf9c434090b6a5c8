"""Training plans: what an institution or a network needs, which courses answer it and how many
trainees each institution should send."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from liaison.directory.models import Membership, Network, Organisation

from .catalogue import CompetencyArea, FocalPoint, Module, TrainingCentre, signed_in


class TrainingPlanQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Staff read every plan; a centre's staff its plans; a focal point the plans of their
        institution and of the networks it belongs to."""
        if getattr(user, "is_liaison_staff", False):
            return self
        if not signed_in(user):
            return self.none()
        organisations = FocalPoint.objects.filter(person__user=user).values("organisation")
        networks = Membership.objects.filter(organisation__in=organisations).values("network")
        return self.filter(
            Q(centre__staff=user) | Q(organisation__in=organisations) | Q(network__in=networks)
        ).distinct()


class TrainingPlan(models.Model):
    """A centre's plan for one institution or one network over a period."""

    centre = models.ForeignKey(
        TrainingCentre,
        verbose_name=_("training centre"),
        on_delete=models.CASCADE,
        related_name="plans",
    )
    title = models.CharField(_("title"), max_length=300)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("institution"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="training_plans",
    )
    network = models.ForeignKey(
        Network,
        verbose_name=_("network"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="training_plans",
    )
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("to"))

    objects = TrainingPlanQuerySet.as_manager()

    class Meta:
        verbose_name = _("training plan")
        verbose_name_plural = _("training plans")
        ordering = ["-starts_on", "title"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("training:plan", args=[self.pk])

    def clean(self):
        if bool(self.organisation_id) == bool(self.network_id):
            raise ValidationError(_("A plan is for one institution or for one network."))
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("The plan ends after it starts.")})


class Priority(models.TextChoices):
    HIGH = "high", _("High")
    MEDIUM = "medium", _("Medium")
    LOW = "low", _("Low")


class TrainingNeed(models.Model):
    """A need the plan answers; typed in now, later drawn from a needs assessment."""

    plan = models.ForeignKey(
        TrainingPlan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="needs"
    )
    description = models.TextField(_("need"))
    competency_area = models.ForeignKey(
        CompetencyArea,
        verbose_name=_("competency area"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    priority = models.CharField(
        _("priority"), max_length=10, choices=Priority.choices, default=Priority.MEDIUM
    )
    source = models.CharField(
        _("source"), max_length=300, blank=True, help_text=_("Where the need was found.")
    )

    class Meta:
        verbose_name = _("training need")
        verbose_name_plural = _("training needs")

    def __str__(self):
        return self.description[:80]


class PlanTarget(models.Model):
    """How many trainees of an institution should complete a module within the plan."""

    plan = models.ForeignKey(
        TrainingPlan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="targets"
    )
    module = models.ForeignKey(
        Module, verbose_name=_("module"), on_delete=models.CASCADE, related_name="plan_targets"
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("institution"),
        on_delete=models.CASCADE,
        related_name="training_targets",
    )
    course_type = models.CharField(_("course type"), max_length=20, blank=True)
    trainees = models.PositiveIntegerField(_("target trainees"))

    class Meta:
        verbose_name = _("plan target")
        verbose_name_plural = _("plan targets")
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "module", "organisation"], name="training_plan_target_unique"
            )
        ]

    def __str__(self):
        return f"{self.module.code} – {self.organisation}: {self.trainees}"
