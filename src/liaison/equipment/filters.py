"""The filter set of the equipment list, shared by the page and the API."""

import datetime

import django_filters
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from liaison.directory.models import Country, Organisation
from liaison.portfolio.models import Project

from .forms import ProjectChoiceField
from .models import Category, Item, ItemStatus

# "Due" warns a month ahead, so the visit can be planned.
DUE_WARNING = datetime.timedelta(days=30)
USE_CHECK = [
    ("due", _("Due within 30 days or overdue")),
    ("overdue", _("Overdue")),
]


class ProjectFilter(django_filters.ModelChoiceFilter):
    field_class = ProjectChoiceField


class ItemFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), field_name="name", lookup_expr="icontains")
    project = ProjectFilter(label=_("Funding project"), queryset=Project.objects.none())
    institution = django_filters.ModelChoiceFilter(
        label=_("Institution"), queryset=Organisation.objects.none()
    )
    country = django_filters.ModelChoiceFilter(
        label=_("Country of the institution"),
        queryset=Country.objects.none(),
        to_field_name="code",
        field_name="institution__country",
    )
    category = django_filters.ChoiceFilter(
        label=_("Category"), choices=Category.choices, empty_label=_("Any category")
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=ItemStatus.choices, empty_label=_("Any status")
    )
    use_check = django_filters.ChoiceFilter(
        label=_("Use check"), choices=USE_CHECK, method="filter_use_check", empty_label=_("Any")
    )

    class Meta:
        model = Item
        fields = []

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        # Only what has equipment is offered, so every choice finds something.
        items = Item.objects.visible_to(user)
        self.filters["project"].queryset = Project.objects.filter(
            pk__in=items.values("project")
        ).order_by("acronym", "title")
        self.filters["institution"].queryset = Organisation.objects.filter(
            pk__in=items.values("institution")
        ).order_by("name")
        self.filters["country"].queryset = Country.objects.filter(
            pk__in=items.values("institution__country")
        ).order_by("name")

    def filter_use_check(self, queryset, name, value):
        today = timezone.localdate()
        if value == "overdue":
            return queryset.use_check_due(today - datetime.timedelta(days=1))
        if value == "due":
            return queryset.use_check_due(today + DUE_WARNING)
        return queryset
