"""One filter set for the project list page, its exports and the API."""

import django_filters
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from liaison.directory.models import Country, Region

from .models import HYBRID, Instrument, Project, Status, Theme, Typology

SORTS = {
    "title": ("title", "pk"),
    "-title": ("-title", "-pk"),
    "start": (F("start").asc(nulls_last=True), "pk"),
    "-start": (F("start").desc(nulls_last=True), "-pk"),
    "end": (F("end").asc(nulls_last=True), "pk"),
    "-end": (F("end").desc(nulls_last=True), "-pk"),
    "budget": (F("total_budget").asc(nulls_last=True), "pk"),
    "-budget": (F("total_budget").desc(nulls_last=True), "-pk"),
}
SORT_LABELS = [
    ("-start", _("Newest first")),
    ("start", _("Oldest first")),
    ("title", _("Title A–Z")),
    ("-title", _("Title Z–A")),
    ("-budget", _("Largest budget")),
    ("budget", _("Smallest budget")),
    ("-end", _("Ending last")),
    ("end", _("Ending first")),
]


def year_choices():
    this_year = timezone.localdate().year
    return [(y, str(y)) for y in range(this_year + 5, 2009, -1)]


def typology_choices():
    return [(t.code, t.name) for t in Typology.objects.all()] + [(HYBRID, _("Hybrid"))]


class ProjectFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_text")
    country = django_filters.ModelMultipleChoiceFilter(
        label=_("Country"),
        queryset=Country.objects.all(),
        to_field_name="code",
        method="filter_country",
    )
    region = django_filters.MultipleChoiceFilter(
        label=_("Region"), choices=Region.choices, method="filter_region"
    )
    instrument = django_filters.ModelMultipleChoiceFilter(
        label=_("Funding instrument"),
        queryset=Instrument.objects.all(),
        to_field_name="code",
        method="filter_instrument",
    )
    typology = django_filters.MultipleChoiceFilter(
        label=_("Typology"), choices=[], method="filter_typology"
    )
    theme = django_filters.ModelMultipleChoiceFilter(
        label=_("Theme"), queryset=Theme.objects.all(), to_field_name="code", method="filter_theme"
    )
    status = django_filters.MultipleChoiceFilter(
        label=_("Status"), choices=Status.choices, method="filter_status"
    )
    year = django_filters.MultipleChoiceFilter(
        label=_("Active in year"), choices=[], method="filter_year"
    )
    budget_min = django_filters.NumberFilter(
        label=_("Budget from (EUR)"), field_name="total_budget", lookup_expr="gte"
    )
    budget_max = django_filters.NumberFilter(
        label=_("Budget up to (EUR)"), field_name="total_budget", lookup_expr="lte"
    )
    sort = django_filters.ChoiceFilter(
        label=_("Sort by"), choices=SORT_LABELS, method="sort_by", empty_label=None
    )

    class Meta:
        model = Project
        fields = ["facility"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Choices that depend on the database or the date are read per request.
        for name, choices in (("typology", typology_choices()), ("year", year_choices())):
            self.filters[name].extra["choices"] = choices
            # The OpenAPI generator builds the class's form fields, which the copies inherit;
            # without this, choices read before the first /api/schema/ stayed for good.
            self.filters[name].__dict__.pop("_field", None)

    def filter_text(self, queryset, name, value):
        return queryset.search(value)

    def filter_country(self, queryset, name, value):
        return queryset.in_countries(value) if value else queryset

    def filter_region(self, queryset, name, value):
        return queryset.in_regions(value) if value else queryset

    def filter_instrument(self, queryset, name, value):
        return queryset.with_instruments(value) if value else queryset

    def filter_typology(self, queryset, name, value):
        return queryset.with_typologies(value) if value else queryset

    def filter_theme(self, queryset, name, value):
        return queryset.with_themes(value) if value else queryset

    def filter_status(self, queryset, name, value):
        return queryset.with_status(*value) if value else queryset

    def filter_year(self, queryset, name, value):
        return queryset.active_in_year(*(int(y) for y in value)) if value else queryset

    def sort_by(self, queryset, name, value):
        return queryset.order_by(*SORTS.get(value, SORTS["-start"]))

    @property
    def qs(self):
        queryset = super().qs
        if not getattr(self.form, "cleaned_data", {}).get("sort"):
            queryset = queryset.order_by(*SORTS["-start"])
        return queryset
