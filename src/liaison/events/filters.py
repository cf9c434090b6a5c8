"""The filter sets of the event and knowledge lists, shared by the pages and the API.

The API also filters sessions and registrations by event; it passes ``user`` to every set.
"""

import datetime

import django_filters
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from liaison.directory.models import Country, Network
from liaison.portfolio.models import Project, Theme

from .models import (
    Event,
    EventType,
    KnowledgeItem,
    KnowledgeKind,
    Registration,
    RegistrationStatus,
    Session,
)

WHEN = [("upcoming", _("Upcoming")), ("past", _("Past"))]


class DateInput(forms.DateInput):
    input_type = "date"


class EventFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_text")
    type = django_filters.MultipleChoiceFilter(label=_("Type"), choices=EventType.choices)
    project = django_filters.ModelMultipleChoiceFilter(
        label=_("Project"), queryset=Project.objects.none(), method="filter_project"
    )
    network = django_filters.ModelChoiceFilter(label=_("Network"), queryset=Network.objects.all())
    country = django_filters.ModelMultipleChoiceFilter(
        label=_("Country"),
        queryset=Country.objects.all(),
        to_field_name="code",
        method="filter_country",
    )
    when = django_filters.ChoiceFilter(
        label=_("When"), choices=WHEN, method="filter_when", empty_label=_("Any time")
    )
    start_from = django_filters.DateFilter(label=_("From"), method="filter_from", widget=DateInput)
    start_to = django_filters.DateFilter(label=_("Until"), method="filter_to", widget=DateInput)

    class Meta:
        model = Event
        fields = []

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        # Only projects the visitor may see and that have events are offered.
        with_events = Event.projects.through.objects.values("project")
        self.filters["project"].queryset = (
            Project.objects.visible_to(user).filter(pk__in=with_events).order_by("acronym", "title")
        )
        self.filters["network"].queryset = Network.objects.filter(events__isnull=False).distinct()
        self.filters["country"].queryset = Country.objects.filter(events__isnull=False).distinct()

    def filter_text(self, queryset, name, value):
        return queryset.search(value)

    def filter_project(self, queryset, name, value):
        return queryset.for_projects(value) if value else queryset

    def filter_country(self, queryset, name, value):
        return queryset.filter(country__in=value) if value else queryset

    def filter_when(self, queryset, name, value):
        now = timezone.now()
        if value == "upcoming":
            return queryset.upcoming(now).order_by("start", "pk")
        if value == "past":
            return queryset.past(now)
        return queryset

    # Days are read in the site's time zone: an event still running on the first day counts.
    def filter_from(self, queryset, name, value):
        start = timezone.make_aware(datetime.datetime.combine(value, datetime.time.min))
        return queryset.filter(end__gte=start)

    def filter_to(self, queryset, name, value):
        after = value + datetime.timedelta(days=1)
        end = timezone.make_aware(datetime.datetime.combine(after, datetime.time.min))
        return queryset.filter(start__lt=end)


class KnowledgeFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_text")
    kind = django_filters.ChoiceFilter(
        label=_("Kind"), choices=KnowledgeKind.choices, empty_label=_("Lessons and practices")
    )
    theme = django_filters.ModelMultipleChoiceFilter(
        label=_("Theme"),
        queryset=Theme.objects.all(),
        to_field_name="code",
        method="filter_theme",
    )
    project = django_filters.ModelChoiceFilter(label=_("Project"), queryset=Project.objects.none())
    event = django_filters.ModelChoiceFilter(label=_("Event"), queryset=Event.objects.none())

    class Meta:
        model = KnowledgeItem
        fields = []

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        linked = KnowledgeItem.objects.visible_to(user)
        self.filters["project"].queryset = Project.objects.visible_to(user).filter(
            pk__in=linked.filter(project__isnull=False).values("project")
        )
        self.filters["event"].queryset = Event.objects.visible_to(user).filter(
            pk__in=linked.filter(event__isnull=False).values("event")
        )

    def filter_text(self, queryset, name, value):
        return queryset.search(value)

    def filter_theme(self, queryset, name, value):
        return queryset.with_themes(value) if value else queryset


def _visible_events(request):
    """The events a request may name in a filter; an unseen one is refused like a missing one."""
    return Event.objects.visible_to(getattr(request, "user", None))


class SessionFilter(django_filters.FilterSet):
    """The agenda of one event: ``?event=<id>``."""

    event = django_filters.ModelChoiceFilter(label=_("Event"), queryset=_visible_events)

    class Meta:
        model = Session
        fields = []

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)


class RegistrationFilter(django_filters.FilterSet):
    """Registrations of one event, or in some statuses: ``?event=<id>&status=pending``."""

    event = django_filters.ModelChoiceFilter(label=_("Event"), queryset=_visible_events)
    status = django_filters.MultipleChoiceFilter(
        label=_("Status"), choices=RegistrationStatus.choices
    )

    class Meta:
        model = Registration
        fields = []

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
