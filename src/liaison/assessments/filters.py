"""The filter set of the assessment list, shared by the page and the API."""

import django_filters
from django.utils.translation import gettext_lazy as _

from liaison.directory.models import Country, Organisation

from .models import Assessment, AssessmentStatus, Template


class AssessmentFilter(django_filters.FilterSet):
    institution = django_filters.ModelChoiceFilter(
        label=_("Institution"), queryset=Organisation.objects.none()
    )
    country = django_filters.ModelChoiceFilter(
        label=_("Country"), queryset=Country.objects.none(), field_name="institution__country"
    )
    template = django_filters.ModelChoiceFilter(
        label=_("Template"), queryset=Template.objects.all()
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=AssessmentStatus.choices, empty_label=_("Any status")
    )
    year = django_filters.NumberFilter(
        label=_("Year"),
        field_name="assessed_on",
        lookup_expr="year",
        min_value=1990,
        max_value=2100,
    )

    class Meta:
        model = Assessment
        fields = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Only the institutions and countries of the assessments the visitor may see are offered.
        seen = self.queryset.values("institution") if self.queryset is not None else []
        institutions = Organisation.objects.filter(pk__in=seen)
        self.filters["institution"].queryset = institutions.order_by("name")
        self.filters["country"].queryset = Country.objects.filter(
            pk__in=institutions.values("country")
        ).order_by("name")
