"""After submission: eligibility, clarifications, evaluation by reviewers, and the decision.

An application goes submitted → (eligibility) ineligible or under review → (evaluation and
ranking) selected, reserve or rejected; a clarification pauses it and reopens only the fields
it names. Scores are kept per reviewer and criterion; the consolidated score is written by the
secretariat once every reviewer has scored. The ranking is computed from those scores, and
stored on each application only when the committee decides, so the decision records the order
as it stood.
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .applications import Application
from .calls import AMOUNT, Call, Lot


class EligibilityCheck(models.Model):
    """One line of the call's admissibility checklist, ticked by the secretariat."""

    call = models.ForeignKey(
        Call, verbose_name=_("call"), on_delete=models.CASCADE, related_name="checks"
    )
    order = models.PositiveSmallIntegerField(_("order"), default=1)
    text = models.CharField(_("check"), max_length=300)

    class Meta:
        verbose_name = _("eligibility check")
        verbose_name_plural = _("eligibility checks")
        ordering = ["call", "order", "pk"]

    def __str__(self):
        return self.text


class EligibilityAnswer(models.Model):
    """Whether one application passes one check of the checklist, and why not."""

    application = models.ForeignKey(
        Application,
        verbose_name=_("application"),
        on_delete=models.CASCADE,
        related_name="eligibility_answers",
    )
    item = models.ForeignKey(
        EligibilityCheck, verbose_name=_("check"), on_delete=models.CASCADE, related_name="answers"
    )
    passed = models.BooleanField(_("passed"))
    note = models.CharField(_("reason"), max_length=500, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("checked by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    at = models.DateTimeField(_("checked at"), auto_now=True)

    class Meta:
        verbose_name = _("eligibility answer")
        verbose_name_plural = _("eligibility answers")
        constraints = [
            models.UniqueConstraint(fields=["application", "item"], name="one_answer_per_check"),
        ]

    def __str__(self):
        return f"{self.item}: {self.passed}"


class Clarification(models.Model):
    """The secretariat's question to the applicant, reopening only the fields it names."""

    application = models.ForeignKey(
        Application,
        verbose_name=_("application"),
        on_delete=models.CASCADE,
        related_name="clarifications",
    )
    fields = models.JSONField(_("fields reopened"), default=list)
    message = models.TextField(_("question"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    answer = models.TextField(_("answer"), blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    class Meta:
        verbose_name = _("clarification")
        verbose_name_plural = _("clarifications")
        ordering = ["application", "requested_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["application"],
                condition=Q(answered_at__isnull=True),
                name="one_open_clarification",
            ),
        ]

    def __str__(self):
        return f"{self.application.reference}: {self.message[:60]}"

    @property
    def is_open(self) -> bool:
        return self.answered_at is None


class Criterion(models.Model):
    """A criterion of the call's evaluation grid."""

    call = models.ForeignKey(
        Call, verbose_name=_("call"), on_delete=models.CASCADE, related_name="criteria"
    )
    order = models.PositiveSmallIntegerField(_("order"), default=1)
    title = models.CharField(_("criterion"), max_length=200)
    guidance = models.TextField(_("guidance for reviewers"), blank=True)
    weight = models.DecimalField(
        _("weight"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("1"),
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    min_score = models.PositiveSmallIntegerField(_("lowest score"), default=0)
    max_score = models.PositiveSmallIntegerField(_("highest score"), default=5)
    threshold = models.DecimalField(
        _("minimum to pass"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("An application scoring less on this criterion is out, whatever its total."),
    )

    class Meta:
        verbose_name = _("evaluation criterion")
        verbose_name_plural = _("evaluation criteria")
        ordering = ["call", "order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(max_score__gt=models.F("min_score")), name="criterion_score_range"
            ),
            models.CheckConstraint(condition=Q(weight__gt=0), name="criterion_weight_positive"),
        ]

    def __str__(self):
        return self.title


class ConflictStatus(models.TextChoices):
    UNDECLARED = "undeclared", _("Not yet declared")
    NONE = "none", _("No conflict")
    CONFLICT = "conflict", _("Conflict declared")


class Assignment(models.Model):
    """A reviewer's task on one application: declare, then score every criterion."""

    application = models.ForeignKey(
        Application,
        verbose_name=_("application"),
        on_delete=models.CASCADE,
        related_name="assignments",
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewer"),
        on_delete=models.PROTECT,
        related_name="grant_assignments",
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    assigned_at = models.DateTimeField(_("assigned at"), auto_now_add=True)
    conflict = models.CharField(
        _("conflict of interest"),
        max_length=12,
        choices=ConflictStatus.choices,
        default=ConflictStatus.UNDECLARED,
        db_index=True,
    )
    conflict_note = models.TextField(_("conflict declared"), blank=True)
    declared_at = models.DateTimeField(_("declared at"), null=True, blank=True)
    comment = models.TextField(_("overall comment"), blank=True)
    submitted_at = models.DateTimeField(_("scores submitted at"), null=True, blank=True)

    class Meta:
        verbose_name = _("reviewer assignment")
        verbose_name_plural = _("reviewer assignments")
        ordering = ["application", "assigned_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "reviewer"], name="one_assignment_per_reviewer"
            ),
        ]

    def __str__(self):
        return f"{self.application.reference} – {self.reviewer}"


class Score(models.Model):
    """One reviewer's score and comment on one criterion."""

    assignment = models.ForeignKey(
        Assignment, verbose_name=_("assignment"), on_delete=models.CASCADE, related_name="scores"
    )
    criterion = models.ForeignKey(
        Criterion, verbose_name=_("criterion"), on_delete=models.PROTECT, related_name="scores"
    )
    score = models.DecimalField(_("score"), max_digits=5, decimal_places=2)
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        ordering = ["assignment", "criterion__order"]
        constraints = [
            models.UniqueConstraint(
                fields=["assignment", "criterion"], name="one_score_per_criterion"
            ),
        ]

    def __str__(self):
        return f"{self.criterion}: {self.score}"


class Consolidation(models.Model):
    """The score the evaluation agrees on, once every reviewer has scored, with the consensus
    comment; ``shared_comment`` is what the applicant's letter may quote."""

    application = models.OneToOneField(
        Application,
        verbose_name=_("application"),
        on_delete=models.CASCADE,
        related_name="consolidation",
    )
    scores = models.JSONField(
        _("consolidated score per criterion"), default=dict, help_text=_("Criterion id → score.")
    )
    total = models.DecimalField(_("consolidated score"), max_digits=7, decimal_places=2)
    comment = models.TextField(_("consensus comment"), blank=True)
    shared_comment = models.TextField(_("comment shared with the applicant"), blank=True)
    passed_thresholds = models.BooleanField(_("meets every minimum"), default=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("consolidated by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    at = models.DateTimeField(_("consolidated at"), auto_now=True)

    class Meta:
        verbose_name = _("consolidated score")
        verbose_name_plural = _("consolidated scores")

    def __str__(self):
        return f"{self.application.reference}: {self.total}"


class Decision(models.Model):
    """The evaluation committee's decision on one lot: who is funded, who is in reserve."""

    lot = models.OneToOneField(
        Lot, verbose_name=_("lot"), on_delete=models.PROTECT, related_name="decision"
    )
    reasons = models.TextField(_("reasons"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), auto_now_add=True)

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")

    def __str__(self):
        return str(self.lot)


class Outcome(models.Model):
    """Where the decision put one application: its rank, status and the grant awarded."""

    decision = models.ForeignKey(
        Decision, verbose_name=_("decision"), on_delete=models.CASCADE, related_name="outcomes"
    )
    application = models.OneToOneField(
        Application, verbose_name=_("application"), on_delete=models.PROTECT, related_name="outcome"
    )
    rank = models.PositiveIntegerField(_("rank"), null=True, blank=True)
    status = models.CharField(_("outcome"), max_length=20)
    grant = models.DecimalField(_("grant awarded"), **AMOUNT, null=True, blank=True)
    score = models.DecimalField(_("score"), max_digits=7, decimal_places=2, null=True, blank=True)

    class Meta:
        verbose_name = _("outcome")
        verbose_name_plural = _("outcomes")
        ordering = ["decision", "rank"]

    def __str__(self):
        return f"{self.application.reference}: {self.status}"
