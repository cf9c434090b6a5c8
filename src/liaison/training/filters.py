"""The filter sets of the training centre's lists, shared by the pages and the API."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .models import (
    INSTRUCTION_LANGUAGES,
    Accreditation,
    CompetencyArea,
    DeliveryMode,
    Module,
    TrainingCentre,
)


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
