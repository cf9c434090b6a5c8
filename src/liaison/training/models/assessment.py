"""How learning is checked: quizzes and tests, practical assessments and the course evaluation."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from .catalogue import Module
from .courses import Course, Enrolment


class QuizKind(models.TextChoices):
    QUIZ = "quiz", _("Graded quiz")
    PRE_TEST = "pre_test", _("Pre-test")
    POST_TEST = "post_test", _("Post-test")


class Quiz(models.Model):
    """A set of questions on a module. A graded quiz counts for completion; a pre-test and a
    post-test with the same questions show what was learnt and never block anyone."""

    module = models.ForeignKey(
        Module, verbose_name=_("module"), on_delete=models.CASCADE, related_name="quizzes"
    )
    title = models.CharField(_("title"), max_length=300)
    kind = models.CharField(
        _("kind"), max_length=20, choices=QuizKind.choices, default=QuizKind.QUIZ
    )
    instructions = models.TextField(_("instructions"), blank=True)
    pass_mark = models.PositiveSmallIntegerField(
        _("pass mark (%)"),
        default=70,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    max_attempts = models.PositiveSmallIntegerField(
        _("attempts allowed"), null=True, blank=True, help_text=_("Leave empty for no limit.")
    )
    randomise = models.BooleanField(
        _("shuffle questions and choices"), default=True, help_text=_("A new order per attempt.")
    )

    class Meta:
        verbose_name = _("quiz")
        verbose_name_plural = _("quizzes")
        ordering = ["module", "kind", "title"]

    def __str__(self):
        return self.title


class QuestionKind(models.TextChoices):
    SINGLE = "single", _("Single choice")
    MULTIPLE = "multiple", _("Multiple choice")
    TRUE_FALSE = "true_false", _("True or false")
    SHORT = "short", _("Short answer")


class Question(models.Model):
    quiz = models.ForeignKey(
        Quiz, verbose_name=_("quiz"), on_delete=models.CASCADE, related_name="questions"
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    kind = models.CharField(_("kind"), max_length=20, choices=QuestionKind.choices)
    text = models.TextField(_("question"))
    points = models.PositiveSmallIntegerField(_("points"), default=1)
    accepted_answers = models.JSONField(
        _("accepted answers"),
        default=list,
        blank=True,
        help_text=_("For a short answer: the answers counted right, compared without case."),
    )
    explanation = models.TextField(_("explanation shown after the attempt"), blank=True)

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["quiz", "order", "pk"]

    def __str__(self):
        return self.text[:80]


class Choice(models.Model):
    question = models.ForeignKey(
        Question, verbose_name=_("question"), on_delete=models.CASCADE, related_name="choices"
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    text = models.CharField(_("text"), max_length=500)
    is_correct = models.BooleanField(_("correct"), default=False)

    class Meta:
        verbose_name = _("choice")
        verbose_name_plural = _("choices")
        ordering = ["question", "order", "pk"]

    def __str__(self):
        return self.text


class QuizAttempt(models.Model):
    """One try at a quiz: the order it was shown in, the answers and the score."""

    quiz = models.ForeignKey(
        Quiz, verbose_name=_("quiz"), on_delete=models.CASCADE, related_name="attempts"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("learner"),
        on_delete=models.CASCADE,
        related_name="quiz_attempts",
    )
    course = models.ForeignKey(
        Course,
        verbose_name=_("course"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="quiz_attempts",
    )
    started = models.DateTimeField(_("started"), auto_now_add=True)
    submitted = models.DateTimeField(_("submitted"), null=True, blank=True)
    layout = models.JSONField(
        _("order shown"), default=list, help_text=_("Question ids, each with its choice ids.")
    )
    answers = models.JSONField(_("answers"), default=dict, blank=True)
    score = models.DecimalField(_("score"), max_digits=7, decimal_places=2, null=True, blank=True)
    max_score = models.DecimalField(
        _("maximum score"), max_digits=7, decimal_places=2, null=True, blank=True
    )
    percent = models.DecimalField(
        _("result (%)"), max_digits=5, decimal_places=1, null=True, blank=True
    )
    passed = models.BooleanField(_("passed"), null=True)

    class Meta:
        verbose_name = _("quiz attempt")
        verbose_name_plural = _("quiz attempts")
        ordering = ["quiz", "user", "started"]
        indexes = [models.Index(fields=["quiz", "user"], name="training_attempt_quiz_user")]

    def __str__(self):
        return f"{self.user} – {self.quiz}"


class PracticalAssessment(models.Model):
    """A task a trainer watches and scores, such as a document check or a crisis exercise."""

    course = models.ForeignKey(
        Course, verbose_name=_("course"), on_delete=models.CASCADE, related_name="practicals"
    )
    title = models.CharField(_("title"), max_length=300)
    criteria = models.TextField(_("criteria"), blank=True)
    max_score = models.PositiveSmallIntegerField(_("maximum score"), default=100)
    pass_score = models.PositiveSmallIntegerField(_("pass score"), default=60)

    class Meta:
        verbose_name = _("practical assessment")
        verbose_name_plural = _("practical assessments")

    def __str__(self):
        return self.title


class PracticalResult(models.Model):
    assessment = models.ForeignKey(
        PracticalAssessment,
        verbose_name=_("assessment"),
        on_delete=models.CASCADE,
        related_name="results",
    )
    enrolment = models.ForeignKey(
        Enrolment,
        verbose_name=_("enrolment"),
        on_delete=models.CASCADE,
        related_name="practical_results",
    )
    score = models.PositiveSmallIntegerField(_("score"))
    passed = models.BooleanField(_("passed"))
    comment = models.TextField(_("comment"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded"), auto_now=True)

    class Meta:
        verbose_name = _("practical result")
        verbose_name_plural = _("practical results")
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "enrolment"], name="training_practical_result_unique"
            )
        ]

    def __str__(self):
        return f"{self.enrolment} – {self.assessment}: {self.score}"


RATING = [MinValueValidator(1), MaxValueValidator(5)]


class Evaluation(models.Model):
    """A trainee's end-of-course evaluation. Reports show only totals, never who said what."""

    enrolment = models.OneToOneField(
        Enrolment, verbose_name=_("enrolment"), on_delete=models.CASCADE, related_name="evaluation"
    )
    relevance = models.PositiveSmallIntegerField(_("relevance to my work"), validators=RATING)
    trainers = models.PositiveSmallIntegerField(_("the trainers"), validators=RATING)
    materials = models.PositiveSmallIntegerField(_("materials"), validators=RATING)
    organisation = models.PositiveSmallIntegerField(_("organisation"), validators=RATING)
    overall = models.PositiveSmallIntegerField(_("overall"), validators=RATING)
    comment = models.TextField(_("what should change"), blank=True)
    submitted = models.DateTimeField(_("submitted"), auto_now_add=True)

    class Meta:
        verbose_name = _("course evaluation")
        verbose_name_plural = _("course evaluations")

    def __str__(self):
        return str(self.enrolment)
