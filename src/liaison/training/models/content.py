"""What a module teaches online: lessons of pages, files, videos and SCORM packages, and the
learning activity recorded as xAPI statements."""

import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .catalogue import Module


class Lesson(models.Model):
    """A step of a module's online content, made of parts shown in order."""

    module = models.ForeignKey(
        Module, verbose_name=_("module"), on_delete=models.CASCADE, related_name="lessons"
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    title = models.CharField(_("title"), max_length=300)
    summary = models.TextField(_("summary"), blank=True)

    class Meta:
        verbose_name = _("lesson")
        verbose_name_plural = _("lessons")
        ordering = ["module", "order", "pk"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("training:lesson", args=[self.pk])


class PartKind(models.TextChoices):
    PAGE = "page", _("Page")
    FILE = "file", _("File")
    VIDEO = "video", _("Video")
    SCORM = "scorm", _("SCORM package")
    QUIZ = "quiz", _("Quiz")


def lesson_file_path(part, filename):
    return f"training/lessons/{part.lesson_id}/{uuid.uuid4().hex}/{filename}"


class LessonPart(models.Model):
    """One page, file, video, SCORM package or quiz within a lesson."""

    lesson = models.ForeignKey(
        Lesson, verbose_name=_("lesson"), on_delete=models.CASCADE, related_name="parts"
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    kind = models.CharField(_("kind"), max_length=10, choices=PartKind.choices)
    title = models.CharField(_("title"), max_length=300)
    body = models.TextField(
        _("text"), blank=True, help_text=_("The page's text; paragraphs separated by blank lines.")
    )
    file = models.FileField(_("file"), upload_to=lesson_file_path, blank=True)
    scorm = models.ForeignKey(
        "ScormPackage",
        verbose_name=_("SCORM package"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="parts",
    )
    quiz = models.ForeignKey(
        "Quiz",
        verbose_name=_("quiz"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="parts",
    )

    class Meta:
        verbose_name = _("lesson part")
        verbose_name_plural = _("lesson parts")
        ordering = ["lesson", "order", "pk"]

    def __str__(self):
        return self.title


class ScormVersion(models.TextChoices):
    SCORM_12 = "1.2", _("SCORM 1.2")
    SCORM_2004 = "2004", _("SCORM 2004")


class ScormPackage(models.Model):
    """An uploaded SCORM package, unpacked on the platform and played in the browser.

    Its files are served only from the content origin, to a holder of an attempt's token (see
    ``training.player``), never straight from the media folder. A package replaced by a new
    version stays, with its files, as long as attempts were made on it: ``replaces`` links the
    versions so that the history of a lesson part reads back.
    """

    module = models.ForeignKey(
        Module, verbose_name=_("module"), on_delete=models.CASCADE, related_name="scorm_packages"
    )
    title = models.CharField(_("title"), max_length=300)
    version = models.CharField(_("SCORM version"), max_length=10, choices=ScormVersion.choices)
    edition = models.CharField(_("edition"), max_length=10, blank=True)
    identifier = models.CharField(_("manifest identifier"), max_length=300, blank=True)
    launch = models.CharField(
        _("launch file"), max_length=500, help_text=_("Path of the start page inside the package.")
    )
    folder = models.CharField(
        _("folder"),
        max_length=200,
        help_text=_("Where the unpacked files lie under the media root."),
    )
    mastery_score = models.DecimalField(
        _("mastery score"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    # The organisation's items (table of contents, launch pages, launch data), in the order a
    # learner meets them; see training.manifest.
    items = models.JSONField(_("items"), default=list, blank=True)
    # SCORM 2004: the activity tree with its sequencing, as the runtime takes it.
    sequencing = models.JSONField(_("sequencing"), default=dict, blank=True)
    problems = models.JSONField(_("problems found"), default=list, blank=True)
    size = models.PositiveBigIntegerField(_("size unpacked (bytes)"), default=0)
    file_count = models.PositiveIntegerField(_("files"), default=0)
    number = models.PositiveSmallIntegerField(_("version of the package"), default=1)
    replaces = models.ForeignKey(
        "self",
        verbose_name=_("replaces"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="replaced_by",
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    uploaded = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        verbose_name = _("SCORM package")
        verbose_name_plural = _("SCORM packages")

    def __str__(self):
        return self.title

    @property
    def scos(self) -> list:
        return [item for item in self.items if item.get("launch")]


class ScormOutcome(models.Model):
    """What a run of a package says about the learner, as SCORM words it: completion,
    success, the score with the package's own bounds, and time. An attempt holds its SCOs'
    rolled up; each SCO's tracking holds its own."""

    completion_status = models.CharField(_("completion"), max_length=20, blank=True)
    success_status = models.CharField(_("success"), max_length=20, blank=True)
    score_raw = models.DecimalField(
        _("score"), max_digits=9, decimal_places=2, null=True, blank=True
    )
    score_min = models.DecimalField(
        _("minimum score"), max_digits=9, decimal_places=2, null=True, blank=True
    )
    score_max = models.DecimalField(
        _("maximum score"), max_digits=9, decimal_places=2, null=True, blank=True
    )
    score_scaled = models.DecimalField(
        _("scaled score"), max_digits=6, decimal_places=4, null=True, blank=True
    )
    total_seconds = models.PositiveIntegerField(_("time spent (seconds)"), default=0)
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)
    updated = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True

    @property
    def done(self) -> bool:
        """Completed or passed: the lesson part counts as done."""
        return self.completion_status == "completed" or self.success_status == "passed"


class ScormAttempt(ScormOutcome):
    """One learner's attempt at a package: what the lesson part reads (completion, success,
    score and time rolled up from its SCOs), the registration its xAPI statements carry, and
    the token that lets the content origin write this attempt's data and nothing else."""

    package = models.ForeignKey(
        ScormPackage, verbose_name=_("package"), on_delete=models.CASCADE, related_name="attempts"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("learner"),
        on_delete=models.CASCADE,
        related_name="scorm_attempts",
    )
    number = models.PositiveSmallIntegerField(_("attempt"), default=1)
    registration = models.UUIDField(_("registration"), default=uuid.uuid4, unique=True)
    token_hash = models.CharField(max_length=64, blank=True, db_index=True)
    token_expires = models.DateTimeField(null=True, blank=True)
    # The SCO the learner was in, and the runtime's sequencing state (2004), to resume.
    current = models.CharField(_("current item"), max_length=300, blank=True)
    sequencing_state = models.TextField(blank=True)
    started = models.DateTimeField(_("started"), auto_now_add=True)

    class Meta:
        verbose_name = _("SCORM attempt")
        verbose_name_plural = _("SCORM attempts")
        ordering = ["package", "user", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["package", "user", "number"], name="training_scorm_attempt_unique"
            )
        ]

    def __str__(self):
        return f"{self.user} – {self.package} #{self.number}"


class ScormTracking(ScormOutcome):
    """What one SCO of an attempt left behind: its runtime data and their summary."""

    attempt = models.ForeignKey(
        ScormAttempt, verbose_name=_("attempt"), on_delete=models.CASCADE, related_name="scos"
    )
    sco = models.CharField(_("item"), max_length=300)
    cmi = models.JSONField(_("runtime data"), default=dict, blank=True)
    sessions = models.PositiveIntegerField(_("sessions"), default=0)

    class Meta:
        verbose_name = _("SCORM tracking")
        verbose_name_plural = _("SCORM tracking")
        constraints = [
            models.UniqueConstraint(
                fields=["attempt", "sco"], name="training_scorm_tracking_sco_unique"
            )
        ]

    def __str__(self):
        return f"{self.attempt} – {self.sco}"


class LessonProgress(models.Model):
    """A learner has seen a lesson part to its end."""

    part = models.ForeignKey(
        LessonPart, verbose_name=_("lesson part"), on_delete=models.CASCADE, related_name="progress"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("learner"),
        on_delete=models.CASCADE,
        related_name="lesson_progress",
    )
    completed_at = models.DateTimeField(_("completed"), auto_now_add=True)

    class Meta:
        verbose_name = _("lesson progress")
        verbose_name_plural = _("lesson progress")
        constraints = [
            models.UniqueConstraint(fields=["part", "user"], name="training_lesson_progress_unique")
        ]

    def __str__(self):
        return f"{self.user} – {self.part}"


class Statement(models.Model):
    """One xAPI statement: actor, verb, object, result, as a learning record store keeps it.

    The full statement is kept as sent so that an export reproduces it exactly; the columns
    beside it are there to filter on.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="xapi_statements",
    )
    module = models.ForeignKey(
        Module,
        verbose_name=_("module"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="statements",
    )
    course = models.ForeignKey(
        "Course",
        verbose_name=_("course"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="statements",
    )
    verb = models.CharField(_("verb"), max_length=200, db_index=True)
    object_id = models.CharField(_("activity"), max_length=500)
    timestamp = models.DateTimeField(_("timestamp"), db_index=True)
    stored = models.DateTimeField(_("stored"), auto_now_add=True)
    data = models.JSONField(_("statement"))

    class Meta:
        verbose_name = _("xAPI statement")
        verbose_name_plural = _("xAPI statements")
        ordering = ["timestamp"]

    def __str__(self):
        return f"{self.verb} {self.object_id}"
