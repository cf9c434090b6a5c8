"""Read-only API for the project portfolio.

It filters with the very ``ProjectFilter`` the project list page uses, so a query string copied
from the page (``?country=RS&instrument=ISF-P&sort=-budget``) returns the same projects here.
"""

from django.db.models import Prefetch
from django.urls import NoReverseMatch
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers, viewsets

from liaison.core.concurrency import ETagMixin
from liaison.directory.api import FILTER_BACKENDS, ApiPagination, OrganisationBriefSerializer

from .filters import ProjectFilter
from .models import (
    Component,
    Facility,
    FundingLine,
    Participation,
    Project,
    Status,
    Theme,
)

# ProjectFilter's multi-value filters work through methods, which the OpenAPI generator cannot
# see through (it warns and guesses). Their value types are stated here, next to the schema they
# serve; this only sets an attribute drf-spectacular reads and leaves the filtering untouched.
_FILTER_SCHEMAS = {
    "country": {"type": "string", "pattern": "^[A-Z]{2}$", "description": "ISO country code"},
    "instrument": {"type": "string", "description": "Funding instrument code, e.g. ISF-P"},
    "typology": {
        "type": "string",
        "description": "Partnership typology code; `hybrid` means more than one approach",
    },
    "theme": {"type": "string", "description": "Theme code, e.g. border-management"},
    "year": {"type": "integer", "description": "Active at some point in that year"},
}
for _name, _schema in _FILTER_SCHEMAS.items():
    extend_schema_field(_schema)(ProjectFilter.base_filters[_name])


class FacilityBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Facility
        fields = ["id", "name", "acronym"]


class ThemeSerializer(serializers.ModelSerializer):
    class Meta:
        model = Theme
        fields = ["code", "name"]


class FundingLineSerializer(serializers.ModelSerializer):
    instrument = serializers.SlugRelatedField(slug_field="code", read_only=True)
    instrument_name = serializers.CharField(source="instrument.name", read_only=True)
    total = serializers.DecimalField(max_digits=15, decimal_places=2, read_only=True)

    class Meta:
        model = FundingLine
        fields = ["instrument", "instrument_name", "eu_contribution", "co_financing", "total"]


class ParticipationSerializer(serializers.ModelSerializer):
    organisation = OrganisationBriefSerializer(read_only=True)

    class Meta:
        model = Participation
        fields = ["organisation", "role"]


class ComponentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Component
        fields = ["order", "title", "description", "expected_results"]


class ProjectListSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:project-detail")
    html_url = serializers.SerializerMethodField()
    status = serializers.ChoiceField(choices=Status.choices, read_only=True)
    countries = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    typologies = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    is_hybrid = serializers.BooleanField(read_only=True)
    instruments = serializers.SerializerMethodField()

    class Meta:
        model = Project
        fields = [
            "id",
            "url",
            "html_url",
            "title",
            "acronym",
            "reference",
            "status",
            "visibility",
            "start",
            "end",
            "total_budget",
            "currency",
            "countries",
            "typologies",
            "is_hybrid",
            "instruments",
        ]

    @extend_schema_field(OpenApiTypes.URI)
    def get_html_url(self, project) -> str | None:
        """The public page, for clients that link people to the project rather than to JSON."""
        try:
            path = project.get_absolute_url()
        except NoReverseMatch:  # the page is not installed in this deployment
            return None
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path

    def get_instruments(self, project) -> list[str]:
        # Read from the prefetched lines: a .values_list() here would cost a query per row.
        return [line.instrument.code for line in project.funding_lines.all()]


class ProjectDetailSerializer(ProjectListSerializer):
    facility = FacilityBriefSerializer(read_only=True, allow_null=True)
    funding_lines = FundingLineSerializer(many=True, read_only=True)
    participations = ParticipationSerializer(many=True, read_only=True)
    components = ComponentSerializer(many=True, read_only=True)
    themes = ThemeSerializer(many=True, read_only=True)
    duration_months = serializers.IntegerField(read_only=True, allow_null=True)

    class Meta(ProjectListSerializer.Meta):
        fields = [
            *ProjectListSerializer.Meta.fields,
            "duration_months",
            "summary",
            "objective",
            "facility",
            "funding_lines",
            "participations",
            "components",
            "themes",
            "updated",
        ]


class ProjectViewSet(ETagMixin, viewsets.ReadOnlyModelViewSet):
    """Funded projects: period, money, countries, partners and partnership approach.

    Anonymous callers and public accounts see published projects only; signed-in staff also
    see drafts. The filters are those of the project list page; `sort` orders like the page
    does (the default is newest first), `ordering` is also accepted.
    """

    serializer_class = ProjectListSerializer
    pagination_class = ApiPagination
    filter_backends = FILTER_BACKENDS
    filterset_class = ProjectFilter
    version_related = ("funding_lines",)
    # No default `ordering`: without one, ProjectFilter's own default sort stays in force.
    ordering_fields = ["title", "start", "end", "total_budget", "reference", "id"]
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        queryset = Project.objects.visible_to(self.request.user).for_list()
        if self.action == "retrieve":
            queryset = queryset.prefetch_related(
                "themes",
                "components",
                Prefetch(
                    "participations",
                    queryset=Participation.objects.of_visible_organisations(
                        self.request.user
                    ).select_related("organisation__country"),
                ),
            )
        return queryset

    def get_serializer_class(self):
        if self.action == "retrieve":
            return ProjectDetailSerializer
        return ProjectListSerializer
