"""Courses that run modules for a cohort: trainers, sessions, nominations and attendance."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from liaison.directory.models import Organisation, Person
from liaison.directory.scopes import administered_organisations
from liaison.events.models import Sex
from liaison.portfolio.models import Project

from .catalogue import INSTRUCTION_LANGUAGES, Module, TrainingCentre, signed_in


class Trainer(models.Model):
    """A person in a centre's trainer pool. A trainer certified by a training-of-trainers
    course was trained by that course's trainers, which is how "who trained whom" is kept."""

    person = models.OneToOneField(
        Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="trainer"
    )
    centre = models.ForeignKey(
        TrainingCentre,
        verbose_name=_("training centre"),
        on_delete=models.CASCADE,
        related_name="trainers",
    )
    expertise = models.TextField(_("expertise"), blank=True)
    modules = models.ManyToManyField(
        Module, verbose_name=_("modules taught"), blank=True, related_name="trainers"
    )
    trained_in = models.ForeignKey(
        "Course",
        verbose_name=_("trained in"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="trainers_trained",
        help_text=_("The training-of-trainers course that qualified this trainer."),
    )
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("trainer")
        verbose_name_plural = _("trainers")
        ordering = ["person__name"]

    def __str__(self):
        return str(self.person)

    def get_absolute_url(self):
        return reverse("training:trainer", args=[self.pk])


class CourseType(models.TextChoices):
    CLASSROOM = "classroom", _("Classroom")
    ONLINE_SELF_PACED = "online_self_paced", _("Online, self-paced")
    ONLINE_LIVE = "online_live", _("Online, live")
    BLENDED = "blended", _("Blended")
    TRAINING_OF_TRAINERS = "tot", _("Training of trainers")
    ON_THE_JOB = "on_the_job", _("On-the-job training")
    INTERNSHIP = "internship", _("Internship")
    STUDY_VISIT = "study_visit", _("Study visit")
    LANGUAGE = "language", _("Language course")


class CourseStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    NOMINATIONS = "nominations", _("Open for nominations")
    RUNNING = "running", _("Running")
    FINISHED = "finished", _("Finished")
    CANCELLED = "cancelled", _("Cancelled")


class CourseQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Staff read every course; others read the courses offered (not planned or cancelled)
        and the ones they take, train or run."""
        if getattr(user, "is_liaison_staff", False):
            return self
        offered = Q(
            status__in=[CourseStatus.NOMINATIONS, CourseStatus.RUNNING, CourseStatus.FINISHED]
        )
        if not signed_in(user):
            return self.filter(offered)
        return self.filter(
            offered
            | Q(centre__staff=user)
            | Q(pk__in=Enrolment.objects.filter(person__user=user).values("course"))
            | Q(
                pk__in=Course.trainers.through.objects.filter(trainer__person__user=user).values(
                    "course"
                )
            )
        ).distinct()

    def managed_by(self, user):
        """The courses of the centres a user runs; all for the secretariat."""
        if getattr(user, "is_secretariat", False):
            return self
        if not signed_in(user):
            return self.none()
        return self.filter(centre__staff=user)

    def for_list(self):
        return self.select_related("centre").prefetch_related("modules")


class Course(models.Model):
    """One run of one or more modules for a cohort, with its completion rule.

    A trainee completes the course when they attended at least ``min_attendance`` per cent of
    its sessions and passed what the rule asks for; a certificate follows.
    """

    centre = models.ForeignKey(
        TrainingCentre,
        verbose_name=_("training centre"),
        on_delete=models.PROTECT,
        related_name="courses",
    )
    code = models.CharField(_("code"), max_length=40, blank=True)
    title = models.CharField(_("title"), max_length=300)
    modules = models.ManyToManyField(Module, verbose_name=_("modules"), related_name="courses")
    type = models.CharField(
        _("type"), max_length=20, choices=CourseType.choices, default=CourseType.CLASSROOM
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=CourseStatus.choices,
        default=CourseStatus.PLANNED,
        db_index=True,
    )
    description = models.TextField(_("description"), blank=True)
    language = models.CharField(
        _("language"), max_length=10, choices=INSTRUCTION_LANGUAGES, default="en"
    )
    starts_on = models.DateField(_("starts on"), db_index=True)
    ends_on = models.DateField(_("ends on"))
    venue = models.CharField(_("venue"), max_length=300, blank=True)
    online_url = models.URLField(_("online link"), blank=True)
    capacity = models.PositiveIntegerField(_("places"), null=True, blank=True)
    nominations_close = models.DateField(_("nominations close"), null=True, blank=True)
    trainers = models.ManyToManyField(
        Trainer, verbose_name=_("trainers"), blank=True, related_name="courses"
    )
    project = models.ForeignKey(
        Project,
        verbose_name=_("funding project"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="courses",
    )
    plan = models.ForeignKey(
        "TrainingPlan",
        verbose_name=_("training plan"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="courses",
    )
    min_attendance = models.PositiveSmallIntegerField(
        _("minimum attendance (%)"),
        default=80,
        help_text=_("Share of the sessions a trainee must attend to complete the course."),
    )
    requires_quiz = models.BooleanField(
        _("requires a passed quiz"),
        default=True,
        help_text=_("Every graded quiz of the course's modules must be passed."),
    )
    requires_practical = models.BooleanField(
        _("requires a passed practical assessment"), default=False
    )
    requires_evaluation = models.BooleanField(_("requires the evaluation survey"), default=False)
    certificate_valid_years = models.PositiveSmallIntegerField(
        _("certificate valid for (years)"),
        null=True,
        blank=True,
        help_text=_("Leave empty when the certificate does not expire."),
    )
    created = models.DateTimeField(_("created"), auto_now_add=True)
    updated = models.DateTimeField(_("updated"), auto_now=True)

    objects = CourseQuerySet.as_manager()

    class Meta:
        verbose_name = _("course")
        verbose_name_plural = _("courses")
        ordering = ["-starts_on", "title"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("training:course", args=[self.pk])

    def clean(self):
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("The course ends on or after its first day.")})
        if self.min_attendance is not None and self.min_attendance > 100:
            raise ValidationError({"min_attendance": _("A share is at most 100%.")})

    @property
    def hours(self):
        return sum((module.duration_hours for module in self.modules.all()), 0)


class CourseSession(models.Model):
    """A class, day or online meeting of a course; attendance is taken per session."""

    course = models.ForeignKey(
        Course, verbose_name=_("course"), on_delete=models.CASCADE, related_name="sessions"
    )
    title = models.CharField(_("title"), max_length=300)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    module = models.ForeignKey(
        Module,
        verbose_name=_("module"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    trainer = models.ForeignKey(
        Trainer,
        verbose_name=_("trainer"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="sessions",
    )

    class Meta:
        verbose_name = _("course session")
        verbose_name_plural = _("course sessions")
        ordering = ["course", "starts_at"]

    def __str__(self):
        return self.title

    def clean(self):
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": _("A session ends after it starts.")})


class EnrolmentStatus(models.TextChoices):
    NOMINATED = "nominated", _("Nominated")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Not accepted")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Outcome(models.TextChoices):
    IN_PROGRESS = "in_progress", _("In progress")
    COMPLETED = "completed", _("Completed")
    NOT_COMPLETED = "not_completed", _("Not completed")


class EnrolmentQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Enrolments are personal data: the trainee's own, those of the courses a user runs or
        trains, and those of the institutions a focal point nominates for or an administrator
        administers; all for the secretariat."""
        if getattr(user, "is_secretariat", False):
            return self
        if not signed_in(user):
            return self.none()
        from .catalogue import FocalPoint

        focal = FocalPoint.objects.filter(
            person__user=user,
            centre=models.OuterRef("course__centre"),
            organisation=models.OuterRef("organisation"),
        )
        trained = Course.trainers.through.objects.filter(trainer__person__user=user)
        return self.filter(
            Q(person__user=user)
            | Q(course__centre__staff=user)
            | Q(course__in=trained.values("course"))
            | Q(models.Exists(focal))
            | Q(organisation__in=administered_organisations(user))
        ).distinct()

    def approved(self):
        return self.filter(status=EnrolmentStatus.APPROVED)

    def completed(self):
        return self.filter(status=EnrolmentStatus.APPROVED, outcome=Outcome.COMPLETED)


class Enrolment(models.Model):
    """An officer's place on a course: nominated by their institution, decided by the centre,
    and how it ended."""

    course = models.ForeignKey(
        Course, verbose_name=_("course"), on_delete=models.CASCADE, related_name="enrolments"
    )
    person = models.ForeignKey(
        Person, verbose_name=_("trainee"), on_delete=models.PROTECT, related_name="enrolments"
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("institution"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="enrolments",
        help_text=_("The trainee's institution when nominated; reports count by it."),
    )
    sex = models.CharField(
        _("sex"),
        max_length=10,
        blank=True,
        choices=Sex.choices,
        help_text=_("Asked for reporting by sex only."),
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=EnrolmentStatus.choices,
        default=EnrolmentStatus.NOMINATED,
        db_index=True,
    )
    outcome = models.CharField(
        _("outcome"),
        max_length=20,
        choices=Outcome.choices,
        default=Outcome.IN_PROGRESS,
        db_index=True,
    )
    nominated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("nominated by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    motivation = models.TextField(_("why this officer"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decision_note = models.TextField(_("decision note"), blank=True)
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    created = models.DateTimeField(_("nominated"), auto_now_add=True)

    objects = EnrolmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        ordering = ["course", "person__name"]
        constraints = [
            models.UniqueConstraint(fields=["course", "person"], name="training_enrolment_unique")
        ]

    def __str__(self):
        return f"{self.person} – {self.course}"


class SessionAttendance(models.Model):
    """Whether a trainee attended one session; recorded by a trainer or the centre."""

    session = models.ForeignKey(
        CourseSession,
        verbose_name=_("session"),
        on_delete=models.CASCADE,
        related_name="attendance",
    )
    enrolment = models.ForeignKey(
        Enrolment, verbose_name=_("enrolment"), on_delete=models.CASCADE, related_name="attendance"
    )
    present = models.BooleanField(_("present"), default=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded"), auto_now=True)

    class Meta:
        verbose_name = _("session attendance")
        verbose_name_plural = _("session attendance")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "enrolment"], name="training_session_attendance_unique"
            )
        ]

    def __str__(self):
        return f"{self.enrolment} – {self.session}"
