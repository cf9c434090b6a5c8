"""API of needs assessments: assessments with their result per area, templates, and the answers
of an area.

The endpoints ask what the pages ask: ``visible_to`` decides what may be read, the checks in
``permissions`` what may be done, and writes go through the same ``services`` as the pages, so
the API cannot accept what a page would refuse. Register ``AssessmentViewSet`` under
``assessments`` and ``TemplateViewSet`` under ``assessment-templates``.
"""

from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from liaison.core.concurrency import ETagMixin
from liaison.core.models import User
from liaison.directory.api import ApiPagination, StableOrderingFilter
from liaison.directory.models import Organisation
from liaison.events.api import DomainErrorsMixin
from liaison.portfolio.models import Project

from . import gaps, permissions
from .filters import AssessmentFilter
from .models import Answer, Area, Assessment, Question, Template
from .services import AssessmentError
from .services import assessments as services

# Templates ----------------------------------------------------------------------------------


class AssessmentQuestionSerializer(serializers.ModelSerializer):
    kind = serializers.CharField(help_text="scale, yes_no, number or text")

    class Meta:
        model = Question
        fields = ["id", "text", "help", "kind", "levels", "order"]


class AssessmentTemplateAreaSerializer(serializers.ModelSerializer):
    questions = AssessmentQuestionSerializer(many=True, read_only=True)

    class Meta:
        model = Area
        fields = [
            "id",
            "code",
            "title",
            "description",
            "order",
            "default_target",
            "competency_area",
            "questions",
        ]


class AssessmentTemplateSerializer(serializers.ModelSerializer):
    status = serializers.CharField(help_text="draft, published or retired")
    areas = AssessmentTemplateAreaSerializer(many=True, read_only=True)

    class Meta:
        model = Template
        fields = [
            "id",
            "family",
            "version",
            "title",
            "description",
            "scale_max",
            "status",
            "changes",
            "areas",
        ]


class TemplateViewSet(viewsets.ReadOnlyModelViewSet):
    """Assessment templates with their areas, questions and level definitions. Staff read
    every template; a team member the templates of the assessments they are on."""

    serializer_class = AssessmentTemplateSerializer
    permission_classes = [IsAuthenticated]
    pagination_class = ApiPagination
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        return (
            permissions.visible_templates(self.request.user)
            .prefetch_related("areas__questions")
            .order_by("family", "-version", "pk")
        )


# Assessments --------------------------------------------------------------------------------


class AssessmentAreaSerializer(serializers.Serializer):
    """One area of an assessment: the current level (mean of the scale answers), the target,
    the gap between them and the priority (the team's, or the one the gap suggests)."""

    area = serializers.IntegerField(source="area.pk")
    code = serializers.CharField(source="area.code")
    title = serializers.CharField(source="area.title")
    current = serializers.DecimalField(max_digits=4, decimal_places=1, allow_null=True)
    target = serializers.DecimalField(max_digits=4, decimal_places=1)
    gap = serializers.DecimalField(max_digits=4, decimal_places=1, allow_null=True)
    priority = serializers.CharField(help_text="high, medium, low, or empty while unknown")
    answered = serializers.IntegerField()
    total = serializers.IntegerField()


class AssessmentSerializer(serializers.ModelSerializer):
    institution = serializers.PrimaryKeyRelatedField(queryset=Organisation.objects.all())
    template = serializers.PrimaryKeyRelatedField(queryset=Template.objects.all())
    project = serializers.PrimaryKeyRelatedField(
        queryset=Project.objects.all(), allow_null=True, required=False
    )
    lead = serializers.PrimaryKeyRelatedField(queryset=User.objects.filter(is_active=True))
    team = serializers.PrimaryKeyRelatedField(
        many=True, queryset=User.objects.filter(is_active=True), required=False
    )
    status = serializers.CharField(read_only=True, help_text="in_progress or completed")
    areas = serializers.SerializerMethodField()

    class Meta:
        model = Assessment
        fields = [
            "id",
            "institution",
            "template",
            "project",
            "assessed_on",
            "lead",
            "team",
            "status",
            "summary",
            "completed_on",
            "areas",
        ]
        read_only_fields = ["summary", "completed_on"]

    @extend_schema_field(AssessmentAreaSerializer(many=True))
    def get_areas(self, assessment):
        rows = self.context.get("rows", {}).get(assessment.pk)
        if rows is None:
            rows = gaps.area_rows(assessment)
        return AssessmentAreaSerializer(rows, many=True).data


class AssessmentAnswerSerializer(serializers.ModelSerializer):
    """One answer: the field of the question's kind (``level``, ``yes``, ``number`` or
    ``text``) and an optional ``comment``. An answer sent with no value removes it."""

    question = serializers.IntegerField(source="question_id")
    level = serializers.IntegerField(required=False, allow_null=True)
    yes = serializers.BooleanField(required=False, allow_null=True)
    number = serializers.DecimalField(
        max_digits=14, decimal_places=2, required=False, allow_null=True
    )
    text = serializers.CharField(required=False, allow_blank=True)
    comment = serializers.CharField(required=False, allow_blank=True)

    class Meta:
        model = Answer
        fields = ["question", "level", "yes", "number", "text", "comment"]


class AssessmentAreaAnswersSerializer(serializers.Serializer):
    answers = AssessmentAnswerSerializer(many=True)


class AssessmentErrorsMixin(DomainErrorsMixin):
    refusals = (AssessmentError,)


AREA_ID = OpenApiParameter("area_id", OpenApiTypes.INT, OpenApiParameter.PATH)


class AssessmentViewSet(
    AssessmentErrorsMixin,
    ETagMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Needs assessments with the result of each area.

    Staff read every assessment, the assessment team its own. The secretariat, or the manager
    of the project it belongs to, starts one; the team answers it area by area while it is in
    progress.
    """

    serializer_class = AssessmentSerializer
    permission_classes = [IsAuthenticated]
    pagination_class = ApiPagination
    filter_backends = [*viewsets.GenericViewSet.filter_backends, StableOrderingFilter]
    filterset_class = AssessmentFilter
    ordering_fields = ["assessed_on", "id"]
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        return Assessment.objects.visible_to(self.request.user).for_list().prefetch_related("team")

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "rows": getattr(self, "_rows", {})}

    def paginate_queryset(self, queryset):
        # The area results of a whole page are computed at once, in a fixed number of queries.
        page = super().paginate_queryset(queryset)
        self._rows = gaps.results_for(page if page is not None else queryset)
        return page

    def perform_create(self, serializer):
        data = serializer.validated_data
        serializer.instance = services.create_assessment(
            self.request.user,
            {name: data[name] for name in services.ASSESSMENT_FIELDS if name in data},
            team=data.get("team", []),
        )

    def _area(self, assessment, area_id) -> Area:
        return get_object_or_404(Area, pk=area_id, template=assessment.template_id)

    @extend_schema(parameters=[AREA_ID], responses=AssessmentAnswerSerializer(many=True))
    @action(detail=True, methods=["get"], url_path=r"areas/(?P<area_id>\d+)/answers")
    def answers(self, request, pk=None, area_id=None):
        """The answers given in one area."""
        assessment = self.get_object()
        area = self._area(assessment, area_id)
        answers = Answer.objects.filter(assessment=assessment, question__area=area).order_by(
            "question__order", "question_id"
        )
        return Response(AssessmentAnswerSerializer(answers, many=True).data)

    @extend_schema(
        parameters=[AREA_ID],
        request=AssessmentAreaAnswersSerializer,
        responses=AssessmentAnswerSerializer(many=True),
    )
    @answers.mapping.post
    def save_answers(self, request, pk=None, area_id=None):
        """Save answers of one area, as the area's page does: the questions sent are
        changed, the others kept; everything is refused if one answer is wrong."""
        assessment = self.get_object()
        area = self._area(assessment, area_id)
        payload = AssessmentAreaAnswersSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        values = {}
        for item in payload.validated_data["answers"]:
            item = dict(item)
            values[item.pop("question_id")] = item
        services.save_answers(request.user, assessment, area, values)
        return self.answers(request, pk=pk, area_id=area_id)
