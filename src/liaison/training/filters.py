"""The filter sets of the training centre's lists (modules, courses, enrolments), shared by the
pages and the API.

The course and enrolment sets take ``user`` so the choices they offer are the ones the visitor
may see; the catalogue is public, so the module set needs none.
"""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field

from liaison.directory.models import Organisation

from .models import (
    INSTRUCTION_LANGUAGES,
    Accreditation,
    CompetencyArea,
    Course,
    CourseStatus,
    CourseType,
    DeliveryMode,
    Enrolment,
    EnrolmentStatus,
    Module,
    Quiz,
    QuizAttempt,
    TrainingCentre,
)


class CourseFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_text")
    centre = django_filters.ModelChoiceFilter(
        label=_("Training centre"), queryset=TrainingCentre.objects.all()
    )
    type = django_filters.ChoiceFilter(
        label=_("Type"), choices=CourseType.choices, empty_label=_("Any type")
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=CourseStatus.choices, empty_label=_("Any status")
    )
    module = django_filters.ModelChoiceFilter(
        label=_("Module"), queryset=Module.objects.none(), method="filter_module"
    )
    year = django_filters.NumberFilter(
        label=_("Year"), field_name="starts_on", lookup_expr="year", min_value=1990, max_value=2100
    )

    class Meta:
        model = Course
        fields = []

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        # Only the modules and centres of the courses the visitor may see are offered.
        courses = self.queryset.values("pk") if self.queryset is not None else []
        self.filters["module"].queryset = Module.objects.filter(
            pk__in=Course.modules.through.objects.filter(course__in=courses).values("module")
        ).order_by("code")
        self.filters["centre"].queryset = TrainingCentre.objects.filter(
            pk__in=Course.objects.filter(pk__in=courses).values("centre")
        )

    def filter_text(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(title__icontains=value)
            | Q(code__icontains=value)
            | Q(description__icontains=value)
            | Q(venue__icontains=value)
        )

    def filter_module(self, queryset, name, value):
        if not value:
            return queryset
        courses = Course.modules.through.objects.filter(module=value).values("course")
        return queryset.filter(pk__in=courses)


def _visible_courses(request):
    """The courses a request may name in a filter; an unseen one is refused like a missing one."""
    return Course.objects.visible_to(getattr(request, "user", None))


class EnrolmentFilter(django_filters.FilterSet):
    """Enrolments of one course, in some statuses, of one institution:
    ``?course=<id>&status=nominated&organisation=<id>``. The caller restricts the queryset to
    the enrolments the user may see (the centre's, or a focal point's institution's)."""

    course = django_filters.ModelChoiceFilter(label=_("Course"), queryset=_visible_courses)
    status = django_filters.MultipleChoiceFilter(label=_("Status"), choices=EnrolmentStatus.choices)
    organisation = django_filters.ModelChoiceFilter(
        label=_("Institution"), queryset=Organisation.objects.all()
    )

    class Meta:
        model = Enrolment
        fields = []

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)


class ModuleFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_text")
    centre = django_filters.ModelChoiceFilter(
        label=_("Training centre"), queryset=TrainingCentre.objects.all()
    )
    competency_area = django_filters.ModelChoiceFilter(
        label=_("Competency area"),
        queryset=CompetencyArea.objects.all(),
        field_name="competency_areas",
    )
    level = django_filters.NumberFilter(label=_("Level"))
    language = django_filters.ChoiceFilter(
        label=_("Language"), choices=INSTRUCTION_LANGUAGES, method="filter_language"
    )
    delivery_mode = django_filters.ChoiceFilter(
        label=_("Delivery mode"), choices=DeliveryMode.choices, method="filter_delivery_mode"
    )
    accreditation = django_filters.ChoiceFilter(
        label=_("Accreditation"), choices=Accreditation.choices
    )

    class Meta:
        model = Module
        fields = []

    def filter_text(self, queryset, name, value):
        condition = Q()
        for word in value.split()[:8]:
            condition &= (
                Q(code__icontains=word)
                | Q(title__icontains=word)
                | Q(summary__icontains=word)
                | Q(translations__title__icontains=word)
            )
        return queryset.filter(pk__in=Module.objects.filter(condition).values("pk"))

    # JSON lists are matched as text so that SQLite and PostgreSQL filter alike in the
    # database: each item is stored quoted, so '"en"' cannot match inside '"eng"'.
    def filter_language(self, queryset, name, value):
        return queryset.filter(languages__icontains=f'"{value}"')

    def filter_delivery_mode(self, queryset, name, value):
        return queryset.filter(delivery_modes__icontains=f'"{value}"')


# The filters whose values the OpenAPI generator cannot read from a method say what they take.
extend_schema_field({"type": "integer", "description": "Module id"})(
    CourseFilter.base_filters["module"]
)


class ResultFilter(django_filters.FilterSet):
    """Submitted results of one course or one quiz: ``?course=<id>&quiz=<id>``. Ids go through
    the filter set, like every other list's, so an unknown or out-of-range id is a 400 with a
    message instead of a query the database cannot run."""

    course = django_filters.ModelChoiceFilter(label=_("Course"), queryset=_visible_courses)
    quiz = django_filters.ModelChoiceFilter(label=_("Quiz"), queryset=Quiz.objects.all())

    class Meta:
        model = QuizAttempt
        fields = []

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
