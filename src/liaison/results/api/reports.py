"""API of reporting periods, progress reports and risks.

Staff read them, as on the pages; every write goes through the pages' services, which ask the
same checks (the project's managers and the secretariat write; only the secretariat returns,
approves and reopens a report) and refuse what the state of things forbids, such as editing a
locked period or an approved report.
"""

import django_filters
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from liaison.core.concurrency import VersionedViewSetMixin
from liaison.directory.api import ApiPagination, StableOrderingFilter
from liaison.portfolio.models import Project

from .. import figures
from ..models import (
    ProgressReport,
    ReportingPeriod,
    ReportStatus,
    Risk,
    RiskStatus,
    team_projects,
)
from ..services import periods as period_services
from ..services import reports as report_services
from ..services import risks as risk_services
from . import ResultsErrorsMixin, id_filter


def _staff(user) -> bool:
    return getattr(user, "is_liaison_staff", False)


class ResultsViewSet(ResultsErrorsMixin, viewsets.GenericViewSet):
    pagination_class = ApiPagination
    filter_backends = [django_filters.rest_framework.DjangoFilterBackend, StableOrderingFilter]
    lookup_value_regex = r"\d+"


# Reporting periods ---------------------------------------------------------------------------


class PeriodFilter(django_filters.FilterSet):
    class Meta:
        model = ReportingPeriod
        fields = ["project", "kind"]


class ReportingPeriodSerializer(serializers.ModelSerializer):
    project = serializers.PrimaryKeyRelatedField(queryset=Project.objects.all())
    is_locked = serializers.BooleanField(read_only=True)
    report_status = serializers.SerializerMethodField()
    reason = serializers.CharField(
        write_only=True, required=False, allow_blank=True, max_length=500
    )

    class Meta:
        model = ReportingPeriod
        fields = [
            "id",
            "project",
            *period_services.PERIOD_FIELDS,
            "is_locked",
            "report_status",
            "reason",
        ]

    @extend_schema_field(serializers.ChoiceField(choices=ReportStatus.choices))
    def get_report_status(self, period) -> str:
        return report_services.report_of(period).status

    def validate_project(self, project):
        if self.instance is not None and project.pk != self.instance.project_id:
            raise serializers.ValidationError(_("A period cannot move to another project."))
        return project


class ReportingPeriodViewSet(
    VersionedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    ResultsViewSet,
):
    """Reporting periods of the projects, with the status of their report.

    Staff read them; a project's managers and the secretariat add, change and remove them.
    Periods of a project never overlap, and a period whose report was approved is locked.
    """

    serializer_class = ReportingPeriodSerializer
    filterset_class = PeriodFilter
    ordering_fields = ["starts_on", "deadline", "id"]

    def get_queryset(self):
        periods = ReportingPeriod.objects.all()
        if not _staff(self.request.user):
            periods = periods.filter(project__in=team_projects(self.request.user))
        return periods.select_related("report").order_by("starts_on", "pk")

    def _save(self, serializer, period):
        data = dict(serializer.validated_data)
        reason = data.pop("reason", "")
        fields = {k: v for k, v in data.items() if k in period_services.PERIOD_FIELDS}
        serializer.instance = period_services.save_period(self.request.user, period, fields, reason)

    def perform_create(self, serializer):
        self._save(serializer, ReportingPeriod(project=serializer.validated_data["project"]))

    def perform_update(self, serializer):
        self._save(serializer, serializer.instance)

    def perform_destroy(self, instance):
        period_services.delete_period(self.request.user, instance)


# Progress reports -----------------------------------------------------------------------------


class IndicatorRowSerializer(serializers.Serializer):
    """One indicator's line of the report's table, as the page shows it."""

    indicator = serializers.IntegerField(source="indicator.pk")
    code = serializers.CharField(source="indicator.code")
    name = serializers.CharField(source="indicator.name")
    unit = serializers.CharField(source="indicator.unit")
    accumulation = serializers.CharField(source="indicator.accumulation")
    baseline = serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True)
    target = serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True)
    actual = serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True)
    to_date = serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True)
    end_target = serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True)
    achieved = serializers.DecimalField(max_digits=8, decimal_places=0, allow_null=True)
    achieved_to_date = serializers.DecimalField(max_digits=8, decimal_places=0, allow_null=True)


class ReviewSerializer(serializers.Serializer):
    action = serializers.CharField()
    comment = serializers.CharField()
    by = serializers.CharField(source="by.username", allow_null=True, default=None)
    at = serializers.DateTimeField(read_only=True)


class ProgressReportSerializer(serializers.ModelSerializer):
    period = serializers.PrimaryKeyRelatedField(queryset=ReportingPeriod.objects.all())
    project = serializers.IntegerField(source="period.project_id", read_only=True)
    reviews = ReviewSerializer(many=True, read_only=True)
    indicators = serializers.SerializerMethodField()
    reason = serializers.CharField(
        write_only=True, required=False, allow_blank=True, max_length=500
    )

    class Meta:
        model = ProgressReport
        fields = [
            "id",
            "period",
            "project",
            "status",
            *report_services.TEXT_FIELDS,
            "submitted_at",
            "decided_at",
            "updated",
            "reviews",
            "indicators",
            "reason",
        ]
        read_only_fields = ["status", "submitted_at", "decided_at", "updated"]

    @extend_schema_field(IndicatorRowSerializer(many=True))
    def get_indicators(self, report):
        if not self.context.get("with_table"):
            return []
        rows = figures.table(report.period.project, report.period)
        return IndicatorRowSerializer(rows, many=True).data

    def validate_period(self, period):
        if self.instance is not None and period.pk != self.instance.period_id:
            raise serializers.ValidationError(_("A report stays with its period."))
        return period


class CommentSerializer(serializers.Serializer):
    comment = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=4000,
        help_text="Required to return or reopen a report.",
    )


class ReportFilter(django_filters.FilterSet):
    project = id_filter("period__project")

    class Meta:
        model = ProgressReport
        fields = ["period", "status"]


class ProgressReportViewSet(
    VersionedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    ResultsViewSet,
):
    """Progress reports of the reporting periods.

    Staff read them; one report's page (not the list) carries its indicator table. The project's
    managers and the secretariat write the text of a draft or returned report (creating it names
    the period); `submit` hands it to the secretariat, who may `return` it (a comment is
    required) or `approve` it, which locks the period, and `reopen` an approved report (a
    reason is required).
    """

    serializer_class = ProgressReportSerializer
    filterset_class = ReportFilter
    ordering_fields = ["updated", "id"]

    def get_queryset(self):
        return (
            ProgressReport.objects.visible_to(self.request.user)
            .select_related("period__project")
            .prefetch_related("reviews__by")
            .order_by("period__starts_on", "pk")
        )

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "with_table": self.action != "list"}

    def _save(self, serializer, period):
        data = serializer.validated_data
        fields = {k: v for k, v in data.items() if k in report_services.TEXT_FIELDS}
        report_services.save_report(self.request.user, period, fields, data.get("reason", ""))
        serializer.instance = self.get_queryset().get(period=period)

    def perform_create(self, serializer):
        self._save(serializer, serializer.validated_data["period"])

    def perform_update(self, serializer):
        self._save(serializer, serializer.instance.period)

    def _step(self, request, service):
        report = self.get_object()
        step = CommentSerializer(data=request.data)
        step.is_valid(raise_exception=True)
        service(request.user, report.period, step.validated_data["comment"])
        report = self.get_queryset().get(pk=report.pk)
        return Response(self.get_serializer(report).data)

    @extend_schema(request=CommentSerializer, responses=ProgressReportSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        return self._step(request, report_services.submit)

    @extend_schema(request=CommentSerializer, responses=ProgressReportSerializer)
    @action(detail=True, methods=["post"], url_path="return", url_name="return")
    def return_report(self, request, pk=None):
        return self._step(request, report_services.return_report)

    @extend_schema(request=CommentSerializer, responses=ProgressReportSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        return self._step(request, report_services.approve)

    @extend_schema(request=CommentSerializer, responses=ProgressReportSerializer)
    @action(detail=True, methods=["post"])
    def reopen(self, request, pk=None):
        return self._step(request, report_services.reopen)


# Risks ----------------------------------------------------------------------------------------


class RiskFilter(django_filters.FilterSet):
    status = django_filters.MultipleChoiceFilter(choices=RiskStatus.choices)

    class Meta:
        model = Risk
        fields = ["project", "status", "likelihood", "impact"]


class RiskSerializer(serializers.ModelSerializer):
    project = serializers.PrimaryKeyRelatedField(queryset=Project.objects.all())
    score = serializers.IntegerField(read_only=True)
    reason = serializers.CharField(
        write_only=True, required=False, allow_blank=True, max_length=500
    )

    class Meta:
        model = Risk
        fields = ["id", "project", *risk_services.RISK_FIELDS, "score", "updated", "reason"]
        read_only_fields = ["updated"]

    def validate_project(self, project):
        if self.instance is not None and project.pk != self.instance.project_id:
            raise serializers.ValidationError(_("A risk cannot move to another project."))
        return project


class RiskViewSet(
    VersionedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    ResultsViewSet,
):
    """The projects' risk registers, highest score first.

    Staff read them; a project's managers and the secretariat add, change and remove risks.
    """

    serializer_class = RiskSerializer
    filterset_class = RiskFilter
    ordering_fields = ["likelihood", "impact", "updated", "id"]

    def get_queryset(self):
        risks = Risk.objects.all()
        if not _staff(self.request.user):
            risks = risks.filter(project__in=team_projects(self.request.user))
        return risk_services.ranked(risks)

    def _save(self, serializer, risk):
        data = dict(serializer.validated_data)
        reason = data.pop("reason", "")
        fields = {k: v for k, v in data.items() if k in risk_services.RISK_FIELDS}
        serializer.instance = risk_services.save_risk(self.request.user, risk, fields, reason)

    def perform_create(self, serializer):
        self._save(serializer, Risk(project=serializer.validated_data["project"]))

    def perform_update(self, serializer):
        self._save(serializer, serializer.instance)

    def perform_destroy(self, instance):
        risk_services.delete_risk(self.request.user, instance)
