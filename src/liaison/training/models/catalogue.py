"""Training centres, their staff and focal points, and the catalogue of modules they own."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from liaison.directory.models import Network, Organisation, Person


def signed_in(user) -> bool:
    """An active, signed-in account: the first condition of every check in the centre."""
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


class TrainingCentreQuerySet(models.QuerySet):
    def managed_by(self, user):
        """The centres a user runs; every centre for the secretariat."""
        if getattr(user, "is_secretariat", False):
            return self
        if not signed_in(user):
            return self.none()
        return self.filter(staff=user)


class TrainingCentre(models.Model):
    """An academy or training institution that owns modules and runs courses.

    Its staff edit the catalogue and decide on nominations; the centres of its network may run
    the modules it shares.
    """

    name = models.CharField(_("name"), max_length=300)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("institution"),
        on_delete=models.PROTECT,
        related_name="training_centres",
    )
    network = models.ForeignKey(
        Network,
        verbose_name=_("network of training centres"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="training_centres",
    )
    description = models.TextField(_("description"), blank=True)
    staff = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("staff"),
        blank=True,
        related_name="training_centres",
        help_text=_("People who edit the catalogue, run courses and decide on nominations."),
    )

    objects = TrainingCentreQuerySet.as_manager()

    class Meta:
        verbose_name = _("training centre")
        verbose_name_plural = _("training centres")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("training:centre", args=[self.pk])


class FocalPoint(models.Model):
    """A person who nominates the officers of their institution to a centre's courses."""

    centre = models.ForeignKey(
        TrainingCentre,
        verbose_name=_("training centre"),
        on_delete=models.CASCADE,
        related_name="focal_points",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("institution"),
        on_delete=models.CASCADE,
        related_name="training_focal_points",
    )
    person = models.ForeignKey(
        Person,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="training_focal_points",
    )

    class Meta:
        verbose_name = _("national focal point")
        verbose_name_plural = _("national focal points")
        constraints = [
            models.UniqueConstraint(
                fields=["centre", "organisation", "person"], name="training_focal_point_unique"
            )
        ]

    def __str__(self):
        return f"{self.person} ({self.organisation})"


class CompetencyArea(models.Model):
    """A field of competence modules are filed under, e.g. fundamental rights or languages."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("competency area")
        verbose_name_plural = _("competency areas")
        ordering = ["name"]

    def __str__(self):
        return self.name


class LevelFramework(models.TextChoices):
    EQF = "eqf", _("European Qualifications Framework (EQF)")
    SQF = "sqf", _("Sectoral Qualifications Framework for Border Guarding (SQF)")


class DeliveryMode(models.TextChoices):
    CLASSROOM = "classroom", _("Classroom")
    ONLINE_SELF_PACED = "online_self_paced", _("Online, self-paced")
    ONLINE_LIVE = "online_live", _("Online, live")
    BLENDED = "blended", _("Blended")
    ON_THE_JOB = "on_the_job", _("On the job")


class AssessmentMethod(models.TextChoices):
    QUIZ = "quiz", _("Written test or quiz")
    PRACTICAL = "practical", _("Practical assessment")
    QUIZ_AND_PRACTICAL = "quiz_and_practical", _("Written test and practical assessment")
    PARTICIPATION = "participation", _("Attendance and participation")


class Accreditation(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted for accreditation")
    ACCREDITED = "accredited", _("Accredited")
    EXPIRED = "expired", _("Accreditation expired")


def validate_delivery_modes(value):
    unknown = [item for item in value or [] if item not in DeliveryMode.values]
    if unknown:
        raise ValidationError(
            _("Unknown delivery modes: %(values)s."),
            params={"values": ", ".join(map(str, unknown))},
        )


# Languages of instruction across the regions the programmes cover (ISO 639-1).
INSTRUCTION_LANGUAGES = [
    ("en", _("English")),
    ("fr", _("French")),
    ("de", _("German")),
    ("sq", _("Albanian")),
    ("bs", _("Bosnian")),
    ("hr", _("Croatian")),
    ("mk", _("Macedonian")),
    ("sr", _("Serbian")),
    ("cnr", _("Montenegrin")),
    ("bg", _("Bulgarian")),
    ("ro", _("Romanian")),
    ("tr", _("Turkish")),
    ("el", _("Greek")),
    ("ka", _("Georgian")),
    ("hy", _("Armenian")),
    ("az", _("Azerbaijani")),
    ("uk", _("Ukrainian")),
    ("ru", _("Russian")),
    ("ar", _("Arabic")),
]


def validate_languages(value):
    codes = {code for code, _name in INSTRUCTION_LANGUAGES}
    unknown = [item for item in value or [] if item not in codes]
    if unknown:
        raise ValidationError(
            _("Unknown languages: %(values)s."), params={"values": ", ".join(map(str, unknown))}
        )


class ModuleQuerySet(models.QuerySet):
    def published(self):
        return self.filter(published=True)

    def visible_to(self, user):
        """Everyone reads the published catalogue; a centre's staff read its drafts as well."""
        if getattr(user, "is_liaison_staff", False):
            return self
        if signed_in(user):
            return self.filter(Q(published=True) | Q(centre__staff=user)).distinct()
        return self.published()

    def available_to(self, centre):
        """The modules a centre may run: its own and those shared in its network."""
        condition = Q(centre=centre)
        if centre.network_id:
            condition |= Q(centre__network_id=centre.network_id, shared_with_network=True)
        return self.filter(condition)

    def for_list(self):
        return self.select_related("centre").prefetch_related("competency_areas")


class Module(models.Model):
    """A unit of the curriculum: what is taught, to whom, at what level, and its accreditation.

    The catalogue shows the current version; each new version keeps a snapshot in
    ``ModuleVersion`` so a certificate can name what the trainee actually took.
    """

    centre = models.ForeignKey(
        TrainingCentre,
        verbose_name=_("training centre"),
        on_delete=models.PROTECT,
        related_name="modules",
    )
    code = models.CharField(_("code"), max_length=30)
    title = models.CharField(_("title"), max_length=300)
    summary = models.TextField(_("description"), blank=True)
    version = models.CharField(_("version"), max_length=20, default="1.0")
    languages = models.JSONField(
        _("languages"),
        default=list,
        blank=True,
        validators=[validate_languages],
        help_text=_("Languages the module is taught in."),
    )
    level_framework = models.CharField(
        _("level framework"),
        max_length=10,
        choices=LevelFramework.choices,
        default=LevelFramework.EQF,
    )
    level = models.PositiveSmallIntegerField(
        _("level"),
        null=True,
        blank=True,
        choices=[(n, str(n)) for n in range(1, 9)],
    )
    entry_requirements = models.TextField(_("entry requirements"), blank=True)
    learning_outcomes = models.TextField(
        _("learning outcomes"), blank=True, help_text=_("One outcome per line.")
    )
    competency_areas = models.ManyToManyField(
        CompetencyArea, verbose_name=_("competency areas"), blank=True, related_name="modules"
    )
    duration_hours = models.DecimalField(
        _("duration (hours)"), max_digits=6, decimal_places=1, default=0
    )
    delivery_modes = models.JSONField(
        _("delivery modes"),
        default=list,
        blank=True,
        validators=[validate_delivery_modes],
    )
    assessment_method = models.CharField(
        _("assessment method"),
        max_length=30,
        choices=AssessmentMethod.choices,
        default=AssessmentMethod.QUIZ,
    )
    accreditation = models.CharField(
        _("accreditation"),
        max_length=20,
        choices=Accreditation.choices,
        default=Accreditation.DRAFT,
        db_index=True,
    )
    accrediting_body = models.CharField(_("accrediting body"), max_length=300, blank=True)
    submitted_on = models.DateField(_("submitted on"), null=True, blank=True)
    accredited_on = models.DateField(_("accredited on"), null=True, blank=True)
    accreditation_expires_on = models.DateField(
        _("accreditation expires on"), null=True, blank=True
    )
    shared_with_network = models.BooleanField(
        _("shared with the network"),
        default=False,
        help_text=_("The other centres of the network may run this module."),
    )
    published = models.BooleanField(_("published in the catalogue"), default=False)
    created = models.DateTimeField(_("created"), auto_now_add=True)
    updated = models.DateTimeField(_("updated"), auto_now=True)

    objects = ModuleQuerySet.as_manager()

    class Meta:
        verbose_name = _("training module")
        verbose_name_plural = _("training modules")
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(fields=["centre", "code"], name="training_module_code_unique")
        ]

    def __str__(self):
        return f"{self.code} {self.title}"

    def get_absolute_url(self):
        return reverse("training:module", args=[self.pk])

    def clean(self):
        if self.accreditation == Accreditation.ACCREDITED and not (
            self.accrediting_body and self.accredited_on
        ):
            raise ValidationError(
                _("An accredited module names its accrediting body and the date.")
            )
        if (
            self.accredited_on
            and self.accreditation_expires_on
            and self.accreditation_expires_on <= self.accredited_on
        ):
            raise ValidationError(
                {"accreditation_expires_on": _("The accreditation ends after it was granted.")}
            )

    def accreditation_on(self, day: datetime.date) -> str:
        """The accreditation status on ``day``: an accredited module past its date has expired."""
        if (
            self.accreditation == Accreditation.ACCREDITED
            and self.accreditation_expires_on
            and day > self.accreditation_expires_on
        ):
            return Accreditation.EXPIRED
        return self.accreditation

    @property
    def outcomes(self) -> list[str]:
        return [line.strip() for line in self.learning_outcomes.splitlines() if line.strip()]

    def translated(self, language: str):
        """The module's texts in ``language`` when they are held, else the module itself."""
        for translation in self.translations.all():
            if translation.language == language:
                return translation
        return self


class ModuleTranslation(models.Model):
    """A module's title, description and outcomes in one more language."""

    module = models.ForeignKey(
        Module, verbose_name=_("module"), on_delete=models.CASCADE, related_name="translations"
    )
    language = models.CharField(_("language"), max_length=10, choices=INSTRUCTION_LANGUAGES)
    title = models.CharField(_("title"), max_length=300)
    summary = models.TextField(_("description"), blank=True)
    learning_outcomes = models.TextField(_("learning outcomes"), blank=True)

    class Meta:
        verbose_name = _("module translation")
        verbose_name_plural = _("module translations")
        constraints = [
            models.UniqueConstraint(
                fields=["module", "language"], name="training_module_translation_unique"
            )
        ]

    def __str__(self):
        return f"{self.module.code} [{self.language}]"

    @property
    def outcomes(self) -> list[str]:
        return [line.strip() for line in self.learning_outcomes.splitlines() if line.strip()]


class ModuleVersion(models.Model):
    """A frozen copy of a module as it was when a new version was issued."""

    module = models.ForeignKey(
        Module, verbose_name=_("module"), on_delete=models.CASCADE, related_name="versions"
    )
    version = models.CharField(_("version"), max_length=20)
    changes = models.TextField(_("what changed"), blank=True)
    snapshot = models.JSONField(_("snapshot"), default=dict)
    created = models.DateTimeField(_("issued"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("issued by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("module version")
        verbose_name_plural = _("module versions")
        ordering = ["module", "-created"]
        constraints = [
            models.UniqueConstraint(
                fields=["module", "version"], name="training_module_version_unique"
            )
        ]

    def __str__(self):
        return f"{self.module.code} v{self.version}"
