"""The filter sets of the course lists, shared by the pages and the API.

Every set takes ``user`` so the choices it offers are the ones the visitor may see.
"""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from liaison.directory.models import Organisation

from .models import (
    Course,
    CourseStatus,
    CourseType,
    Enrolment,
    EnrolmentStatus,
    Module,
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
        label=_("Year"), field_name="starts_on", lookup_expr="year", min_value=1990
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
