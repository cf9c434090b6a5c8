"""Needs assessments: a versioned template of capability areas and questions, an institution
assessed against it at a date, the gap per area and what is recommended to close it."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from liaison.directory.models import Organisation
from liaison.directory.scopes import administered_organisations
from liaison.equipment.models import Item
from liaison.portfolio.models import Project
from liaison.training.models import CompetencyArea, Course, Module


class TemplateStatus(models.TextChoices):
    """A published template is frozen: assessments rely on its questions meaning what they did.
    Changing it means a new version."""

    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    RETIRED = "retired", _("Retired")


class Template(models.Model):
    """A questionnaire of capability areas. Versions of one template share a ``family`` code, and
    areas keep their code across versions so that assessments on different versions compare."""

    family = models.SlugField(
        _("code"), max_length=60, help_text=_("Shared by every version of this template.")
    )
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("purpose"), blank=True)
    scale_max = models.PositiveSmallIntegerField(
        _("highest level"), default=4, help_text=_("Scale questions run from 0 to this level.")
    )
    status = models.CharField(
        _("status"), max_length=20, choices=TemplateStatus.choices, default=TemplateStatus.DRAFT
    )
    changes = models.TextField(_("what changed in this version"), blank=True)
    created = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("assessment template")
        verbose_name_plural = _("assessment templates")
        ordering = ["family", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["family", "version"], name="template_family_version")
        ]

    def __str__(self):
        return f"{self.title} v{self.version}"

    def get_absolute_url(self):
        return reverse("assessments:template", args=[self.pk])

    @property
    def is_editable(self):
        return self.status == TemplateStatus.DRAFT


class Area(models.Model):
    """A capability area of a template, such as information exchange or document inspection."""

    template = models.ForeignKey(
        Template, verbose_name=_("template"), on_delete=models.CASCADE, related_name="areas"
    )
    code = models.SlugField(_("code"), max_length=40)
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=1)
    default_target = models.PositiveSmallIntegerField(
        _("target level"), default=3, help_text=_("The level an institution should reach.")
    )
    competency_area = models.ForeignKey(
        CompetencyArea,
        verbose_name=_("competency area"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assessment_areas",
        help_text=_("Where a training need found here belongs in the training centre."),
    )

    class Meta:
        verbose_name = _("capability area")
        verbose_name_plural = _("capability areas")
        ordering = ["template", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["template", "code"], name="area_code_per_template")
        ]

    def __str__(self):
        return self.title


class QuestionKind(models.TextChoices):
    SCALE = "scale", _("Scale with defined levels")
    YES_NO = "yes_no", _("Yes or no")
    NUMBER = "number", _("Number")
    TEXT = "text", _("Text")


class Question(models.Model):
    """Only scale questions give an area its level; the other kinds inform the team."""

    area = models.ForeignKey(
        Area, verbose_name=_("area"), on_delete=models.CASCADE, related_name="questions"
    )
    text = models.CharField(_("question"), max_length=500)
    help = models.TextField(_("guidance"), blank=True)
    kind = models.CharField(_("kind"), max_length=10, choices=QuestionKind.choices)
    levels = models.JSONField(
        _("level definitions"),
        default=list,
        blank=True,
        help_text=_("For scale questions: what each level from 0 up means, one text per level."),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=1)

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["area", "order", "id"]

    def __str__(self):
        return self.text

    def level_choices(self):
        """``[(0, "0 — …"), …]`` for the scale, whatever number of definitions was written."""
        top = self.area.template.scale_max
        defined = list(self.levels or [])
        return [
            (n, f"{n} — {defined[n]}" if n < len(defined) and defined[n] else str(n))
            for n in range(top + 1)
        ]


class AssessmentStatus(models.TextChoices):
    IN_PROGRESS = "in_progress", _("In progress")
    COMPLETED = "completed", _("Completed")


class AssessmentQuerySet(models.QuerySet):
    def visible_to(self, user):
        """An institution's gaps are sensitive: staff, the assessment team and the assessed
        institution's administrators read them; never another institution's."""
        if getattr(user, "is_liaison_staff", False):
            return self
        if not getattr(user, "is_authenticated", False):
            return self.none()
        teams = Assessment.team.through.objects.filter(user=user).values("assessment")
        return self.filter(
            Q(pk__in=teams) | Q(lead=user) | Q(institution__in=administered_organisations(user))
        )

    def for_list(self):
        return self.select_related("institution__country", "template", "project")


class Assessment(models.Model):
    """One institution, assessed on one date by a team, against one template version."""

    template = models.ForeignKey(
        Template, verbose_name=_("template"), on_delete=models.PROTECT, related_name="assessments"
    )
    institution = models.ForeignKey(
        Organisation,
        verbose_name=_("institution"),
        on_delete=models.PROTECT,
        related_name="assessments",
    )
    project = models.ForeignKey(
        Project,
        verbose_name=_("project"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assessments",
    )
    assessed_on = models.DateField(_("assessed on"), db_index=True)
    lead = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("lead assessor"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="led_assessments",
    )
    team = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assessment team"),
        blank=True,
        related_name="assessments",
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=AssessmentStatus.choices,
        default=AssessmentStatus.IN_PROGRESS,
        db_index=True,
    )
    summary = models.TextField(_("summary of findings"), blank=True)
    completed_on = models.DateField(_("completed on"), null=True, blank=True, db_index=True)
    created = models.DateTimeField(_("created"), auto_now_add=True)
    updated = models.DateTimeField(_("updated"), auto_now=True)

    objects = AssessmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("needs assessment")
        verbose_name_plural = _("needs assessments")
        ordering = ["-assessed_on", "-id"]
        indexes = [
            models.Index(fields=["institution", "assessed_on"], name="assessment_institution_on")
        ]

    def __str__(self):
        return f"{self.institution} — {self.assessed_on:%Y-%m-%d}"

    def get_absolute_url(self):
        return reverse("assessments:assessment", args=[self.pk])


class Priority(models.TextChoices):
    HIGH = "high", _("High")
    MEDIUM = "medium", _("Medium")
    LOW = "low", _("Low")


class AreaResult(models.Model):
    """The team's target for an area and the priority they gave it. The current level is not
    stored here: it is the mean of the area's scale answers, so it can never disagree with them."""

    assessment = models.ForeignKey(
        Assessment, verbose_name=_("assessment"), on_delete=models.CASCADE, related_name="areas"
    )
    area = models.ForeignKey(
        Area, verbose_name=_("area"), on_delete=models.PROTECT, related_name="+"
    )
    target_level = models.DecimalField(_("target level"), max_digits=4, decimal_places=1)
    priority = models.CharField(_("priority"), max_length=10, choices=Priority.choices, blank=True)
    finding = models.TextField(_("finding"), blank=True)

    class Meta:
        verbose_name = _("area result")
        verbose_name_plural = _("area results")
        ordering = ["area__order", "area_id"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "area"], name="one_result_per_area")
        ]

    def __str__(self):
        return f"{self.assessment}: {self.area}"


class Answer(models.Model):
    """One answer; the field used depends on the question's kind. Saved area by area, so a team
    on a slow line loses at most the area it is on."""

    assessment = models.ForeignKey(
        Assessment, verbose_name=_("assessment"), on_delete=models.CASCADE, related_name="answers"
    )
    question = models.ForeignKey(
        Question, verbose_name=_("question"), on_delete=models.PROTECT, related_name="answers"
    )
    level = models.PositiveSmallIntegerField(_("level"), null=True, blank=True)
    yes = models.BooleanField(_("yes"), null=True, blank=True)
    number = models.DecimalField(
        _("number"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    text = models.TextField(_("answer"), blank=True)
    comment = models.TextField(_("evidence or comment"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answered by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.UniqueConstraint(fields=["assessment", "question"], name="one_answer_each")
        ]

    def __str__(self):
        return f"{self.assessment}: {self.question}"


def gap(target: Decimal | None, current: Decimal | None) -> Decimal | None:
    """Target level minus current level; never below zero, and unknown until both are known."""
    if target is None or current is None:
        return None
    return max(Decimal(target) - Decimal(current), Decimal(0))


class Recommendation(models.Model):
    """What should close a gap: a training module or course, or an equipment item."""

    assessment = models.ForeignKey(
        Assessment,
        verbose_name=_("assessment"),
        on_delete=models.CASCADE,
        related_name="recommendations",
    )
    area = models.ForeignKey(
        Area, verbose_name=_("area"), on_delete=models.PROTECT, related_name="recommendations"
    )
    text = models.TextField(_("recommendation"))
    priority = models.CharField(
        _("priority"), max_length=10, choices=Priority.choices, default=Priority.MEDIUM
    )
    module = models.ForeignKey(
        Module,
        verbose_name=_("training module"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="recommendations",
    )
    course = models.ForeignKey(
        Course,
        verbose_name=_("course"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="recommendations",
    )
    equipment = models.ForeignKey(
        Item,
        verbose_name=_("equipment item"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="recommendations",
    )
    created = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("recommendation")
        verbose_name_plural = _("recommendations")
        ordering = ["area__order", "id"]

    def __str__(self):
        return self.text[:80]
