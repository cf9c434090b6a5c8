"""API of the logframe: results, indicators with their targets and totals, and values.

The endpoints ask what the pages ask: staff read (``visible_to``), the project's managers and
the secretariat write (``can_edit_results``), and every write goes through the pages'
services, so the API refuses what a page refuses: a value of a derived indicator, of an
approved period, of another project's period, a changed value without a reason.
"""

import django_filters
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from liaison.core.concurrency import VersionedViewSetMixin
from liaison.directory.api import ApiPagination, StableOrderingFilter
from liaison.directory.models import Country, OrganisationType
from liaison.events.models import Event, Sex
from liaison.portfolio.models import Component, Project
from liaison.training.models import Course

from .. import figures
from ..models import Dimension, Indicator, ReportingPeriod, Result, Target, Value
from ..permissions import can_edit_results
from ..services import ResultsError, require
from ..services import logframe as services
from ..services import values as value_services
from . import ResultsErrorsMixin, id_filter


class ReadWriteViewSet(
    ResultsErrorsMixin,
    VersionedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """List, read, create and change; removing is done on the pages."""

    pagination_class = ApiPagination
    lookup_value_regex = r"\d+"
    filter_backends = [django_filters.rest_framework.DjangoFilterBackend, StableOrderingFilter]


def _reason(request) -> str:
    reason = request.data.get("reason", "") if hasattr(request.data, "get") else ""
    return str(reason)[:500]


LINKS = ("events", "courses", "components")

# Results ------------------------------------------------------------------------------------


class LogframeResultSerializer(serializers.ModelSerializer):
    project = serializers.PrimaryKeyRelatedField(queryset=Project.objects.all())
    parent = serializers.PrimaryKeyRelatedField(
        queryset=Result.objects.all(), allow_null=True, required=False
    )
    events = serializers.PrimaryKeyRelatedField(
        many=True, queryset=Event.objects.all(), required=False
    )
    courses = serializers.PrimaryKeyRelatedField(
        many=True, queryset=Course.objects.all(), required=False
    )
    components = serializers.PrimaryKeyRelatedField(
        many=True, queryset=Component.objects.all(), required=False
    )
    indicators = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = Result
        fields = [
            "id",
            "project",
            "parent",
            "level",
            "code",
            "title",
            "description",
            "assumptions",
            "order",
            "events",
            "courses",
            "components",
            "indicators",
        ]
        # The services say which codes clash, in words a person reads.
        validators = []


class ResultFilter(django_filters.FilterSet):
    project = id_filter("project")
    level = django_filters.CharFilter(field_name="level")

    class Meta:
        model = Result
        fields = ["project", "level"]


@extend_schema(tags=["results"])
class LogframeResultViewSet(ReadWriteViewSet):
    """The boxes of projects' logframes: impact, outcomes and outputs with their assumptions and
    linked activities. Staff read them; a project's managers and the secretariat create and
    change them with the rules of the logframe page (levels, codes unique per project). Send
    `reason` with a change to have it kept in the audit trail."""

    serializer_class = LogframeResultSerializer
    filterset_class = ResultFilter
    ordering_fields = ["code", "id"]

    def get_queryset(self):
        return (
            Result.objects.visible_to(self.request.user)
            .prefetch_related("events", "courses", "components", "indicators")
            .order_by("project", "code", "id")
        )

    def _save(self, serializer, result):
        data = dict(serializer.validated_data)
        data.pop("project", None)
        links = {name: data.pop(name) for name in LINKS if name in data}
        serializer.instance = services.save_result(
            self.request.user, result, data, **links, reason=_reason(self.request)
        )

    def perform_create(self, serializer):
        project = serializer.validated_data["project"]
        require(can_edit_results(self.request.user, project))
        self._save(serializer, Result(project=project))

    def perform_update(self, serializer):
        result = serializer.instance
        require(can_edit_results(self.request.user, result.project))
        if serializer.validated_data.get("project", result.project) != result.project:
            raise ResultsError(_("A result stays with its project."))
        self._save(serializer, result)


# Indicators ---------------------------------------------------------------------------------


class IndicatorPeriodSerializer(serializers.Serializer):
    period = serializers.IntegerField()
    target = serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True)
    in_period = serializers.DecimalField(max_digits=16, decimal_places=2, allow_null=True)
    to_date = serializers.DecimalField(max_digits=16, decimal_places=2, allow_null=True)


class IndicatorSerializer(serializers.ModelSerializer):
    result = serializers.PrimaryKeyRelatedField(queryset=Result.objects.all())
    disaggregations = serializers.ListField(
        child=serializers.ChoiceField(choices=Dimension.choices), required=False
    )
    periods = serializers.SerializerMethodField()
    to_date = serializers.SerializerMethodField()

    class Meta:
        model = Indicator
        fields = ["id", "project", *services.INDICATOR_FIELDS, "periods", "to_date"]
        read_only_fields = ["project"]
        validators = []

    def _figures(self, indicator):
        return (
            self.context.get("figures", {}).get(indicator.pk) or _figures([indicator])[indicator.pk]
        )

    @extend_schema_field(IndicatorPeriodSerializer(many=True))
    def get_periods(self, indicator) -> list[dict]:
        """Per reporting period: the target, the actual in the period and the value to date."""
        return IndicatorPeriodSerializer(self._figures(indicator)["periods"], many=True).data

    def get_to_date(self, indicator) -> str | None:
        """The value to date as the periods' values add up by accumulation (a rate for a
        percentage)."""
        value = self._figures(indicator)["to_date"]
        return None if value is None else f"{value:.2f}"


def _figures(indicators) -> dict:
    """Targets and totals by period of many indicators, in three queries."""
    indicators = list(indicators)
    periods = list(
        ReportingPeriod.objects.filter(project__in={i.project_id for i in indicators}).order_by(
            "starts_on", "id"
        )
    )
    totals = figures.period_totals(indicators, periods)
    targets = {}
    for indicator_id, period_id, value in Target.objects.filter(
        indicator__in=indicators
    ).values_list("indicator", "period", "value"):
        targets[(indicator_id, period_id)] = value
    found = {}
    for indicator in indicators:
        own = [p for p in periods if p.project_id == indicator.project_id]
        amounts = {p.pk: totals.get((indicator.pk, p.pk), figures.Amount()) for p in own}
        series = figures.series(
            indicator, own, amounts, {p.pk: targets.get((indicator.pk, p.pk)) for p in own}
        )
        found[indicator.pk] = {
            "periods": [
                {
                    "period": s["period"].pk,
                    "target": s["target"],
                    "in_period": s["in_period"],
                    "to_date": s["to_date"],
                }
                for s in series
            ],
            "to_date": figures.to_date(indicator.accumulation, list(amounts.values())).shown(
                indicator.unit
            ),
        }
    return found


class IndicatorFilter(django_filters.FilterSet):
    project = id_filter("project")
    result = id_filter("result")
    core = django_filters.CharFilter(field_name="core__code")

    class Meta:
        model = Indicator
        fields = ["project", "result", "core"]


@extend_schema(tags=["results"])
class IndicatorViewSet(ReadWriteViewSet):
    """Indicators of projects' results, with their targets and values by period and to date
    (computed from the cells, never stored). Staff read them; a project's managers and the
    secretariat create and change them: unit, accumulation, source and disaggregations are
    locked once values exist, and a changed end target needs a `reason`."""

    serializer_class = IndicatorSerializer
    filterset_class = IndicatorFilter
    ordering_fields = ["code", "id"]

    def get_queryset(self):
        return Indicator.objects.visible_to(self.request.user).order_by("project", "code", "id")

    def get_serializer_context(self):
        context = super().get_serializer_context()
        context["figures"] = getattr(self, "_page_figures", {})
        return context

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        if page is not None:
            self._page_figures = _figures(page)
        return page

    def _save(self, serializer, indicator):
        serializer.instance = services.save_indicator(
            self.request.user,
            indicator,
            dict(serializer.validated_data),
            reason=_reason(self.request),
        )

    def perform_create(self, serializer):
        result = serializer.validated_data["result"]
        require(can_edit_results(self.request.user, result.project))
        self._save(serializer, Indicator())

    def perform_update(self, serializer):
        indicator = serializer.instance
        require(can_edit_results(self.request.user, indicator.project))
        self._save(serializer, indicator)


# Values -------------------------------------------------------------------------------------


class IndicatorValueSerializer(serializers.ModelSerializer):
    country = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Value
        fields = [
            "id",
            "indicator",
            "period",
            "sex",
            "country",
            "institution_type",
            "value",
            "denominator",
            "derived",
            "updated",
        ]


class CountryCodeField(serializers.SlugRelatedField):
    """A country by its two-letter code. Anything else is refused before the database is
    asked: PostgreSQL cannot even compare a text with a NUL byte (found by the contract test)."""

    def to_internal_value(self, data):
        if not (isinstance(data, str) and len(data) == 2 and data.isascii() and data.isalpha()):
            self.fail("does_not_exist", slug_name=self.slug_field, value=str(data)[:20])
        return super().to_internal_value(data)


class ValueCellSerializer(serializers.Serializer):
    sex = serializers.ChoiceField(choices=Sex.choices, required=False, allow_blank=True)
    country = CountryCodeField(
        slug_field="code", queryset=Country.objects.all(), required=False, allow_null=True
    )
    institution_type = serializers.ChoiceField(
        choices=OrganisationType.choices, required=False, allow_blank=True
    )
    value = serializers.DecimalField(max_digits=14, decimal_places=2, min_value=0)
    denominator = serializers.DecimalField(
        max_digits=14, decimal_places=2, min_value=0, required=False, allow_null=True
    )


class PeriodValuesSerializer(serializers.Serializer):
    indicator = serializers.PrimaryKeyRelatedField(queryset=Indicator.objects.all())
    period = serializers.PrimaryKeyRelatedField(queryset=ReportingPeriod.objects.all())
    cells = ValueCellSerializer(many=True)
    reason = serializers.CharField(required=False, allow_blank=True, max_length=500, default="")


class PeriodTotalSerializer(serializers.Serializer):
    changed = serializers.IntegerField()
    total = serializers.DecimalField(max_digits=16, decimal_places=2, allow_null=True)
    denominator = serializers.DecimalField(max_digits=16, decimal_places=2, allow_null=True)
    values = IndicatorValueSerializer(many=True)


class IndicatorValueFilter(django_filters.FilterSet):
    indicator = id_filter("indicator")
    period = id_filter("period")
    project = id_filter("indicator__project")
    derived = django_filters.BooleanFilter(field_name="derived")

    class Meta:
        model = Value
        fields = ["indicator", "period", "project", "derived"]


@extend_schema(tags=["results"])
class IndicatorValueViewSet(ResultsErrorsMixin, viewsets.ReadOnlyModelViewSet):
    """Actual values, one per cell (indicator, period, sex, country, institution type);
    filter by `indicator`, `period` or `project`. Totals are never stored: add up the cells
    (for percentages, the sum of numerators over the sum of denominators).

    `POST period/` replaces one period's cells of a manual indicator, with the rules of the
    value entry page: refused for an indicator counted by Liaison, an approved period, a
    period of another project or not yet begun, a cell outside the indicator's dimensions;
    changing values already entered needs a `reason`."""

    serializer_class = IndicatorValueSerializer
    pagination_class = ApiPagination
    lookup_value_regex = r"\d+"
    filter_backends = [django_filters.rest_framework.DjangoFilterBackend, StableOrderingFilter]
    filterset_class = IndicatorValueFilter
    ordering_fields = ["period", "id"]

    def get_queryset(self):
        return (
            Value.objects.filter(indicator__in=Indicator.objects.visible_to(self.request.user))
            .select_related("country")
            .order_by("indicator", "period", "id")
        )

    @extend_schema(request=PeriodValuesSerializer, responses=PeriodTotalSerializer)
    @action(detail=False, methods=["post"], url_path="period")
    def period(self, request):
        given = PeriodValuesSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        data = given.validated_data
        indicator, period = data["indicator"], data["period"]
        require(can_edit_results(request.user, indicator.project))
        cells = {}
        for cell in data["cells"]:
            country = cell.get("country")
            key = (
                cell.get("sex", ""),
                country.pk if country else None,
                cell.get("institution_type", ""),
            )
            if key in cells:
                raise ResultsError(_("Each cell may be given once."))
            cells[key] = (cell["value"], cell.get("denominator"))
        changes = value_services.save_values(request.user, indicator, period, cells, data["reason"])
        stored = list(self.get_queryset().filter(indicator=indicator, period=period))
        amount = figures.total((v.value, v.denominator) for v in stored)
        return Response(
            PeriodTotalSerializer(
                {
                    "changed": len(changes),
                    "total": amount.value,
                    "denominator": amount.denominator,
                    "values": stored,
                }
            ).data
        )
