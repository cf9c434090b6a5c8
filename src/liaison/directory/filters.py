"""Filter sets for the directory, shared by the API and any page that lists the same things.

Countries are always named by their ISO code, as on the project filters, so one link such as
``?country=RS&country=MD`` means the same everywhere; an unknown code is a validation error.
"""

import datetime

import django_filters
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field

from liaison.core.filters import AuditFilterForm, BoundedDateFilter, _start_of

from .models import (
    Country,
    Membership,
    Network,
    NetworkKind,
    Organisation,
    OrganisationType,
    Person,
    Region,
)
from .readlog import PersonalDataRead, ReadKind

# What the OpenAPI generator cannot work out from a filter that goes through a relation by code.
COUNTRY_CODE = {"type": "string", "pattern": "^[A-Z]{2}$", "example": "RS"}


class CountryFilter(django_filters.FilterSet):
    region = django_filters.MultipleChoiceFilter(label=_("Region"), choices=Region.choices)
    q = django_filters.CharFilter(label=_("Search"), method="filter_text")

    class Meta:
        model = Country
        fields = ["region"]

    def filter_text(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(name__icontains=value) | Q(code__iexact=value))


class OrganisationFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search in name or acronym"), method="filter_text")
    country = extend_schema_field({**COUNTRY_CODE, "description": "ISO country code"})(
        django_filters.ModelMultipleChoiceFilter(
            label=_("Country"),
            # With to_field_name, django-filter compares field_name to the code, not to the row.
            field_name="country__code",
            queryset=Country.objects.all(),
            to_field_name="code",
        )
    )
    type = django_filters.MultipleChoiceFilter(label=_("Type"), choices=OrganisationType.choices)

    class Meta:
        model = Organisation
        fields = ["q", "country", "type", "parent"]

    def filter_text(self, queryset, name, value):
        return queryset.search(value.strip())


class PersonFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search in name or position"), method="filter_text")
    organisation = django_filters.ModelMultipleChoiceFilter(
        label=_("Organisation"), field_name="organisation", queryset=Organisation.objects.all()
    )
    country = extend_schema_field({**COUNTRY_CODE, "description": "ISO code of its country"})(
        django_filters.ModelMultipleChoiceFilter(
            label=_("Country of the organisation"),
            field_name="organisation__country__code",
            queryset=Country.objects.all(),
            to_field_name="code",
        )
    )

    class Meta:
        model = Person
        fields = ["q", "organisation", "country", "is_contact_point"]

    def filter_text(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(name__icontains=value) | Q(position__icontains=value))


class NetworkFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search in name or acronym"), method="filter_text")
    kind = django_filters.MultipleChoiceFilter(label=_("Kind"), choices=NetworkKind.choices)
    # Exists() rather than a join: a network with several members in one country is listed once.
    country = django_filters.ModelMultipleChoiceFilter(
        label=_("Country of a member"),
        queryset=Country.objects.all(),
        to_field_name="code",
        method="filter_country",
    )
    organisation = django_filters.ModelMultipleChoiceFilter(
        label=_("Member organisation"),
        queryset=Organisation.objects.all(),
        method="filter_organisation",
    )

    class Meta:
        model = Network
        fields = ["q", "kind", "country", "organisation"]

    def filter_text(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(name__icontains=value) | Q(acronym__icontains=value))

    # The OpenAPI generator cannot see through a filter method; tell it what the values are.
    @extend_schema_field({**COUNTRY_CODE, "description": "ISO code of a member's country"})
    def filter_country(self, queryset, name, value):
        if not value:
            return queryset
        members = Membership.objects.filter(network=OuterRef("pk"), organisation__country__in=value)
        return queryset.filter(Exists(members))

    @extend_schema_field({"type": "integer", "description": "Id of a member organisation"})
    def filter_organisation(self, queryset, name, value):
        if not value:
            return queryset
        members = Membership.objects.filter(network=OuterRef("pk"), organisation__in=value)
        return queryset.filter(Exists(members))


class PersonalDataReadFilter(django_filters.FilterSet):
    """The log of reads of personal data: by reader, by person, by kind and by period."""

    reader = django_filters.CharFilter(label=_("Reader"), method="filter_reader")
    person = django_filters.CharFilter(label=_("Person"), method="filter_person")
    kind = django_filters.ChoiceFilter(
        label=_("What"), choices=ReadKind.choices, empty_label=_("Anything")
    )
    since = BoundedDateFilter(label=_("From"), method="filter_since")
    until = BoundedDateFilter(label=_("Until"), method="filter_until")

    class Meta:
        model = PersonalDataRead
        fields = []
        form = AuditFilterForm

    def filter_reader(self, queryset, name, value):
        words = Q(reader__username__icontains=value) | Q(reader__last_name__icontains=value)
        words |= Q(reader__first_name__icontains=value)
        return queryset.filter(words)

    def filter_person(self, queryset, name, value):
        return queryset.filter(person__name__icontains=value)

    def filter_since(self, queryset, name, value):
        return queryset.filter(at__gte=_start_of(value))

    def filter_until(self, queryset, name, value):
        return queryset.filter(at__lt=_start_of(value + datetime.timedelta(days=1)))
