"""API of grants: calls and their lots, applications, reviews, decisions and awards.

Each endpoint reads through the same querysets and checks as the pages: calls through
``Call.objects.visible_to``, applications through ``Application.objects.visible_to`` (the
consortium its own, reviewers those they may open, staff all but those they declared a conflict
of interest with), reviews are the reader's own assignments (the secretariat's all, but for those
same applications), decisions are the staff's, awards are public. Budgets are computed by
``budget.compute`` as on the page, never stored. Submitting goes through ``services.submit``,
so the deadline and the call's rules hold whatever the door.
"""

from django.db.models import Prefetch, Q
from django.http import Http404
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from liaison.directory.api import ApiPagination
from liaison.events.api import DomainErrorsMixin

from . import budget as budgets
from . import documents, services
from .models import (
    Activity,
    Answer,
    Application,
    ApplicationStatus,
    Assignment,
    Call,
    Decision,
    ExchangeRate,
    Lot,
    Outcome,
    Partner,
    Score,
)

# Calls ----------------------------------------------------------------------------------------


class GrantLotSerializer(serializers.ModelSerializer):
    instruments = serializers.SlugRelatedField(many=True, read_only=True, slug_field="code")

    class Meta:
        model = Lot
        fields = [
            "id",
            "number",
            "title",
            "instruments",
            "envelope",
            "min_grant",
            "max_grant",
            "max_duration_months",
            "min_co_financing_rate",
            "max_co_financing_rate",
        ]


class GrantRateSerializer(serializers.ModelSerializer):
    class Meta:
        model = ExchangeRate
        fields = ["currency", "rate"]


class GrantCallSerializer(serializers.ModelSerializer):
    facility = serializers.StringRelatedField()
    status = serializers.SerializerMethodField()
    lots = GrantLotSerializer(many=True, read_only=True)
    rates = GrantRateSerializer(many=True, read_only=True)

    class Meta:
        model = Call
        fields = [
            "id",
            "reference",
            "title",
            "facility",
            "description",
            "status",
            "opens_at",
            "closes_at",
            "timezone",
            "currency",
            "rates_fixed_on",
            "rates",
            "indirect_rate",
            "lead_regions",
            "lead_types",
            "partner_regions",
            "partner_types",
            "min_member_state_partners",
            "min_partner_country_partners",
            "lots",
        ]

    def get_status(self, call) -> str:
        return call.status()


class CallViewSet(viewsets.ReadOnlyModelViewSet):
    """Calls for proposals with their lots, rules and exchange rates (published ones; the
    staff also read drafts)."""

    serializer_class = GrantCallSerializer
    pagination_class = ApiPagination
    lookup_field = "reference"

    def get_queryset(self):
        return (
            Call.objects.visible_to(self.request.user)
            .select_related("facility")
            .prefetch_related("lots__instruments", "rates")
            .order_by("-closes_at", "pk")
        )


# Applications -----------------------------------------------------------------------------------


class GrantPartnerSerializer(serializers.ModelSerializer):
    organisation = serializers.PrimaryKeyRelatedField(read_only=True)
    organisation_name = serializers.CharField(source="organisation.name", read_only=True)

    class Meta:
        model = Partner
        fields = ["id", "organisation", "organisation_name", "role", "currency", "co_financing"]


class GrantActivitySerializer(serializers.ModelSerializer):
    """One activity of the work plan, with the organisation of the partner that leads it."""

    led_by = serializers.IntegerField(
        source="partner.organisation_id", read_only=True, allow_null=True, default=None
    )
    led_by_name = serializers.CharField(
        source="partner.organisation.name", read_only=True, allow_null=True, default=None
    )

    class Meta:
        model = Activity
        fields = [
            "number",
            "title",
            "description",
            "led_by",
            "led_by_name",
            "start_month",
            "end_month",
        ]
        read_only_fields = fields


class GrantAnswerSerializer(serializers.ModelSerializer):
    """An answer to one of the call's own questions. ``answer`` is as a program reads it: a
    country as its two-letter code, an organisation as its name, a file as its name, with the
    link to download it (for those who may read the application)."""

    question = serializers.CharField(source="question.key", read_only=True)
    question_label = serializers.CharField(source="question.label", read_only=True)
    section = serializers.CharField(source="question.section.title", read_only=True)
    kind = serializers.CharField(source="question.kind", read_only=True)
    answer = serializers.SerializerMethodField()
    file = serializers.SerializerMethodField()

    class Meta:
        model = Answer
        fields = [
            "question",
            "question_label",
            "section",
            "kind",
            "answer",
            "file",
            "file_sha256",
            "updated",
        ]
        read_only_fields = fields

    def get_answer(self, answer) -> str:
        return answer.shown()

    def get_file(self, answer) -> str | None:
        if not answer.file:
            return None
        url = reverse(
            "api:grant-application-answer-file",
            kwargs={"pk": answer.application_id, "key": answer.question.key},
        )
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request else url


class GrantBudgetSerializer(serializers.Serializer):
    currency = serializers.CharField()
    total = serializers.DecimalField(max_digits=16, decimal_places=2)
    co_financing = serializers.DecimalField(max_digits=16, decimal_places=2)
    grant = serializers.DecimalField(max_digits=16, decimal_places=2)
    co_financing_rate = serializers.DecimalField(max_digits=7, decimal_places=2, allow_null=True)
    missing_rates = serializers.ListField(child=serializers.CharField())


class GrantApplicationSerializer(serializers.ModelSerializer):
    call = serializers.SlugRelatedField(read_only=True, slug_field="reference")
    lot = serializers.IntegerField(source="lot.number", read_only=True)
    reference = serializers.CharField(read_only=True)
    partners = GrantPartnerSerializer(many=True, read_only=True)
    work_plan = GrantActivitySerializer(source="activities", many=True, read_only=True)
    form_version = serializers.IntegerField(
        source="form_version.number", read_only=True, allow_null=True, default=None
    )
    answers = GrantAnswerSerializer(many=True, read_only=True)
    budget = serializers.SerializerMethodField()

    class Meta:
        model = Application
        fields = [
            "id",
            "reference",
            "call",
            "lot",
            "status",
            "title",
            "acronym",
            "summary",
            "objective",
            "expected_results",
            "duration_months",
            "risks",
            "indirect_rate",
            "submitted_at",
            "receipt_hash",
            "partners",
            "work_plan",
            "form_version",
            "answers",
            "budget",
        ]

    @extend_schema(responses=GrantBudgetSerializer)
    def get_budget(self, application) -> dict:
        rates = budgets.rates_of(application.call)
        result = budgets.compute(application, partners=application.partners.all(), rates=rates)
        return GrantBudgetSerializer(
            {
                "currency": result.currency,
                "total": result.total,
                "co_financing": result.co_financing,
                "grant": result.grant,
                "co_financing_rate": result.co_financing_rate,
                "missing_rates": result.missing_rates,
            }
        ).data


class ApplicationViewSet(DomainErrorsMixin, viewsets.ReadOnlyModelViewSet):
    """Applications the reader may open: a consortium its own, a reviewer those assigned to
    them without a conflict, the staff all but those they declared a conflict with. Changes
    are made on the pages; submitting can be done here too, under the same rules."""

    serializer_class = GrantApplicationSerializer
    pagination_class = ApiPagination
    refusals = (services.GrantsError,)

    def get_queryset(self):
        return (
            Application.objects.visible_to(self.request.user)
            .select_related("call", "lot", "form_version")
            .prefetch_related(
                Prefetch(
                    "answers",
                    queryset=Answer.objects.select_related(
                        "question__section", "organisation"
                    ).order_by("question__section__order", "question__order", "question_id"),
                ),
                "partners__organisation",
                "partners__lines",
                "call__rates",
                Prefetch(
                    "activities",
                    queryset=Activity.objects.select_related("partner__organisation"),
                ),
            )
            .order_by("call", "number")
        )

    @extend_schema(
        request=None,
        parameters=[
            OpenApiParameter(
                "key",
                str,
                OpenApiParameter.PATH,
                description="The key of the question (the same in every version of the form).",
            )
        ],
        responses={(200, "application/octet-stream"): OpenApiTypes.BINARY},
    )
    @action(
        detail=True,
        methods=["get"],
        url_path=r"answers/(?P<key>[^/.]+)/file",
        url_name="answer-file",
    )
    def answer_file(self, request, pk=None, key=None):
        """The file attached to the answer to the question ``key`` (404 when there is none)."""
        application = self.get_object()
        answer = (
            Answer.objects.filter(application=application, question__key=key)
            .exclude(file="")
            .first()
        )
        if answer is None:
            raise Http404
        return documents.download(answer.file, answer.file_name)

    @extend_schema(request=None, responses=GrantApplicationSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        """Submit the application: refused after the call's deadline, when something is
        missing or a rule of the call is broken (each reason listed)."""
        application = self.get_object()
        submitted = services.submit(request.user, application)
        return Response(self.get_serializer(self.get_queryset().get(pk=submitted.pk)).data)


# Reviews, decisions, awards ---------------------------------------------------------------------


class GrantScoreSerializer(serializers.ModelSerializer):
    criterion = serializers.StringRelatedField()

    class Meta:
        model = Score
        fields = ["criterion", "score", "comment"]


class GrantReviewSerializer(serializers.ModelSerializer):
    application = serializers.PrimaryKeyRelatedField(read_only=True)
    reference = serializers.CharField(source="application.reference", read_only=True)
    scores = GrantScoreSerializer(many=True, read_only=True)

    class Meta:
        model = Assignment
        fields = [
            "id",
            "application",
            "reference",
            "conflict",
            "declared_at",
            "comment",
            "submitted_at",
            "scores",
        ]


class ReviewViewSet(viewsets.ReadOnlyModelViewSet):
    """The reader's own reviews with their scores (the secretariat reads every review but those
    of an application they declared a conflict of interest with)."""

    serializer_class = GrantReviewSerializer
    pagination_class = ApiPagination

    def get_queryset(self):
        user = self.request.user
        rows = Assignment.objects.select_related("application__call").prefetch_related(
            "scores__criterion"
        )
        if not getattr(user, "is_secretariat", False):
            rows = rows.filter(reviewer=user) if user.is_authenticated else rows.none()
        else:
            readable = Application.objects.visible_to(user).values("pk")
            rows = rows.filter(Q(reviewer=user) | Q(application__in=readable))
        return rows.order_by("pk")


class GrantOutcomeSerializer(serializers.ModelSerializer):
    application = serializers.PrimaryKeyRelatedField(read_only=True)
    reference = serializers.CharField(source="application.reference", read_only=True)

    class Meta:
        model = Outcome
        fields = ["application", "reference", "rank", "status", "score", "grant"]


class GrantDecisionSerializer(serializers.ModelSerializer):
    call = serializers.CharField(source="lot.call.reference", read_only=True)
    lot = serializers.IntegerField(source="lot.number", read_only=True)
    outcomes = GrantOutcomeSerializer(many=True, read_only=True)

    class Meta:
        model = Decision
        fields = ["id", "call", "lot", "reasons", "decided_at", "outcomes"]


class DecisionViewSet(viewsets.ReadOnlyModelViewSet):
    """The committee's decisions per lot with every application's outcome (staff)."""

    serializer_class = GrantDecisionSerializer
    pagination_class = ApiPagination

    def get_queryset(self):
        if not getattr(self.request.user, "is_liaison_staff", False):
            return Decision.objects.none()
        return (
            Decision.objects.select_related("lot__call")
            .prefetch_related("outcomes__application__call")
            .order_by("pk")
        )


class GrantAwardSerializer(serializers.ModelSerializer):
    call = serializers.CharField(source="application.call.reference", read_only=True)
    lot = serializers.IntegerField(source="application.lot.number", read_only=True)
    reference = serializers.CharField(source="application.reference", read_only=True)
    title = serializers.CharField(source="application.title", read_only=True)
    lead = serializers.CharField(source="application.lead.name", read_only=True, default="")
    project = serializers.PrimaryKeyRelatedField(
        source="application.project", read_only=True, allow_null=True
    )

    class Meta:
        model = Outcome
        fields = ["reference", "call", "lot", "title", "lead", "grant", "project"]


class AwardViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Grants awarded by decided lots: public, as the facility publishes them."""

    serializer_class = GrantAwardSerializer
    pagination_class = ApiPagination

    def get_queryset(self):
        return (
            Outcome.objects.filter(status=ApplicationStatus.SELECTED)
            .select_related("application__call", "application__lot", "application__lead")
            .order_by("pk")
        )
