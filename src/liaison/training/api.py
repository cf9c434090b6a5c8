"""API of the training centre: modules, courses, enrolments, results and certificates.

The endpoints ask what the pages ask: the querysets' ``visible_to`` decide what may be read,
the checks in ``permissions`` what may be done, and writes go through the pages' own forms and
``services``, so the API cannot accept what a page would refuse. Certificate verification is
public and says no more than the public verification page.
"""

from django.db.models import Q
from django.http import QueryDict
from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import SAFE_METHODS, AllowAny, BasePermission
from rest_framework.response import Response

from liaison.core.concurrency import VersionedViewSetMixin
from liaison.directory.api import ApiPagination, StableOrderingFilter
from liaison.directory.readlog import ReadKind, ReadsLogged
from liaison.events.api import DomainErrorsMixin

from . import permissions as rules
from .filters import CourseFilter, EnrolmentFilter, ModuleFilter, ResultFilter
from .forms.catalogue import ModuleForm
from .forms.courses import CourseForm
from .models import (
    Certificate,
    Course,
    Enrolment,
    Module,
    QuizAttempt,
    TrainingCentre,
)
from .services import TrainingError, require
from .services import catalogue as catalogue_services
from .services import certificates as certificate_services
from .services import courses as course_services
from .services.catalogue import MODULE_FIELDS
from .services.courses import COURSE_FIELDS
from .throttle import verification_throttled


def _form_errors(form):
    raise exceptions.ValidationError(
        {("non_field_errors" if k == "__all__" else k): v for k, v in form.errors.items()}
    )


class TrainingErrorsMixin(DomainErrorsMixin):
    refusals = (TrainingError,)


# Modules ------------------------------------------------------------------------------------


class ModuleSerializer(serializers.ModelSerializer):
    centre = serializers.PrimaryKeyRelatedField(queryset=TrainingCentre.objects.all())
    competency_areas = serializers.SlugRelatedField(many=True, read_only=True, slug_field="name")
    translations = serializers.SerializerMethodField()
    url = serializers.HyperlinkedIdentityField(view_name="api:training-module-detail")
    # Lists of choices, not free JSON: a form-encoded body sends them as repeated keys, and
    # the schema names the values the module form accepts.
    languages = serializers.ListField(
        child=serializers.ChoiceField(choices=ModuleForm.base_fields["languages"].choices),
        required=False,
    )
    delivery_modes = serializers.ListField(
        child=serializers.ChoiceField(choices=ModuleForm.base_fields["delivery_modes"].choices),
        required=False,
    )

    class Meta:
        model = Module
        # The fields the catalogue's service audits, with the API's own around them.
        fields = ["id", "url", "centre", *MODULE_FIELDS, "competency_areas", "translations"]
        read_only_fields = ["version"]

    def get_translations(self, module) -> dict[str, dict[str, str]]:
        return {
            t.language: {
                "title": t.title,
                "summary": t.summary,
                "learning_outcomes": t.learning_outcomes,
            }
            for t in module.translations.all()
        }


class ReadWriteViewSet(
    TrainingErrorsMixin,
    VersionedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """List, read, create and change; nothing is deleted through the API."""

    pagination_class = ApiPagination
    lookup_value_regex = r"\d+"


class UserFilterBackend(DjangoFilterBackend):
    """Gives the filter set the user, so its choices are only what that user may see."""

    def get_filterset_kwargs(self, request, queryset, view):
        kwargs = super().get_filterset_kwargs(request, queryset, view)
        if view.filterset_class is not ModuleFilter:
            kwargs["user"] = request.user
        return kwargs


FILTER_BACKENDS = [UserFilterBackend, StableOrderingFilter]


class CentreStaffWrites(BasePermission):
    """Reading is the queryset's business; writing is for a centre's staff, and is checked
    before the body is parsed or validated.

    Without this, DRF validates the serializer first and the centre is checked in
    ``perform_create``: a visitor's malformed body was answered with field errors (or worse)
    instead of 403. ``view.edit_check`` names the check for an existing record.
    """

    def has_permission(self, request, view):
        if request.method in SAFE_METHODS:
            return True
        allowed, self.message = rules.can_manage_some_centre(request.user)
        return allowed

    def has_object_permission(self, request, view, obj):
        if request.method in SAFE_METHODS:
            return True
        allowed, self.message = view.edit_check(request.user, obj)
        return allowed


def _plain(data, form_class) -> dict:
    """The request's data as the plain dict a JSON body gives.

    A form-encoded or multipart body arrives as a ``QueryDict``; merging it with ``{**a, **b}``
    keeps lists for every key (and a form then reads ``['Title']`` as the title). Fields the
    form reads as several values keep their list; the others take the value sent.
    """
    if not isinstance(data, QueryDict):
        return data
    several = {
        name
        for name, field in form_class.base_fields.items()
        if getattr(field.widget, "allow_multiple_selected", False)
    }
    return {key: data.getlist(key) if key in several else data.get(key) for key in data}


def _merged(instance, serializer_class, context, data, form_class) -> dict:
    """The changed fields over the current ones, so a PATCH goes through the full form."""
    data = _plain(data, form_class)
    if instance is None:
        return dict(data)
    current = serializer_class(instance, context=context).data
    return {**current, **data}


class ModuleViewSet(ReadWriteViewSet):
    """Training modules of the catalogue.

    Everyone reads published modules; a centre's staff also read its drafts, create modules
    for their centre and change them. The rules are those of the module form.
    """

    serializer_class = ModuleSerializer
    filter_backends = FILTER_BACKENDS
    filterset_class = ModuleFilter
    permission_classes = [CentreStaffWrites]
    edit_check = staticmethod(rules.can_edit_module)
    ordering_fields = ["code", "title", "id"]

    def get_queryset(self):
        return (
            Module.objects.visible_to(self.request.user).for_list().prefetch_related("translations")
        )

    def _save(self, serializer, instance=None, centre=None):
        data = _merged(
            instance,
            ModuleSerializer,
            self.get_serializer_context(),
            serializer.initial_data,
            ModuleForm,
        )
        if instance is not None and "competency_areas" not in serializer.initial_data:
            data["competency_areas"] = list(instance.competency_areas.values_list("pk", flat=True))
        form = ModuleForm(data, instance=instance, centre=centre)
        if not form.is_valid():
            _form_errors(form)
        module = catalogue_services.save_module(self.request.user, form, data.get("reason", ""))
        serializer.instance = module

    def perform_create(self, serializer):
        centre = serializer.validated_data["centre"]
        require(rules.can_manage_centre(self.request.user, centre))
        self._save(serializer, centre=centre)

    def perform_update(self, serializer):
        module = serializer.instance
        require(rules.can_edit_module(self.request.user, module))
        self._save(serializer, instance=module)


# Courses ------------------------------------------------------------------------------------


class CourseSerializer(serializers.ModelSerializer):
    centre = serializers.PrimaryKeyRelatedField(queryset=TrainingCentre.objects.all())
    modules = serializers.PrimaryKeyRelatedField(many=True, queryset=Module.objects.all())
    trainers = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    online_url = serializers.SerializerMethodField()
    url = serializers.HyperlinkedIdentityField(view_name="api:training-course-detail")

    class Meta:
        model = Course
        fields = ["id", "url", "centre", "status", "modules", "trainers", *COURSE_FIELDS]
        read_only_fields = ["status", "project", "plan"]

    def get_online_url(self, course) -> str:
        """The link is for the course's approved trainees, its trainers and the centre only."""
        request = self.context.get("request")
        user = getattr(request, "user", None)
        if rules.can_train(user, course)[0] or rules.enrolment_of(user, course) is not None:
            return course.online_url
        return ""


class CourseViewSet(ReadWriteViewSet):
    """Courses of the training centres.

    Offered courses (open for nominations, running, finished) are public; a centre's staff
    also read its planned and cancelled ones, create courses and change them with the rules of
    the course form. Trainers come from the centre's pool and are set on the page.
    """

    serializer_class = CourseSerializer
    filter_backends = FILTER_BACKENDS
    filterset_class = CourseFilter
    permission_classes = [CentreStaffWrites]
    edit_check = staticmethod(rules.can_manage_course)
    ordering_fields = ["starts_on", "title", "id"]

    def get_queryset(self):
        return Course.objects.visible_to(self.request.user).for_list().prefetch_related("trainers")

    def _save(self, serializer, centre, instance=None):
        user = self.request.user
        data = _merged(
            instance,
            CourseSerializer,
            self.get_serializer_context(),
            serializer.initial_data,
            CourseForm,
        )
        if instance is not None:
            data.setdefault("trainers", [t.pk for t in instance.trainers.all()])
            data["online_url"] = serializer.initial_data.get("online_url", instance.online_url)
        form = CourseForm(data, instance=instance, centre=centre, user=user)
        if not form.is_valid():
            _form_errors(form)
        serializer.instance = course_services.save_course(
            user,
            form.instance,
            form.course_fields(),
            modules=form.cleaned_data["modules"],
            trainers=form.cleaned_data["trainers"],
            reason=data.get("reason", ""),
        )

    def perform_create(self, serializer):
        centre = serializer.validated_data["centre"]
        require(rules.can_manage_centre(self.request.user, centre))
        self._save(serializer, centre)

    def perform_update(self, serializer):
        course = serializer.instance
        require(rules.can_manage_course(self.request.user, course))
        self._save(serializer, course.centre, instance=course)


# Enrolments -----------------------------------------------------------------------------------


class EnrolmentSerializer(serializers.ModelSerializer):
    trainee = serializers.CharField(source="person.name", read_only=True)
    person = serializers.PrimaryKeyRelatedField(
        queryset=Enrolment._meta.get_field("person").related_model.objects.all(), write_only=True
    )
    course = serializers.PrimaryKeyRelatedField(queryset=Course.objects.all())
    organisation = serializers.StringRelatedField()

    class Meta:
        model = Enrolment
        fields = [
            "id",
            "course",
            "person",
            "trainee",
            "organisation",
            "sex",
            "status",
            "outcome",
            "motivation",
            "decision_note",
            "completed_on",
            "created",
        ]
        read_only_fields = ["status", "outcome", "decision_note", "completed_on", "created"]


class DecisionSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="")


class EnrolmentViewSet(ReadsLogged, ReadWriteViewSet):
    """Places on courses: nominations and the centre's decisions.

    An enrolment is personal data: it is shown to the trainee, the course's trainers and
    centre, and the focal point of the trainee's institution. Creating one is a nomination (by
    a focal point for their own institution's officers, or by the centre); `approve`,
    `reject` (a note is required) and `withdraw` are the page's buttons.
    """

    serializer_class = EnrolmentSerializer
    read_kind = ReadKind.ENROLMENT
    filter_backends = FILTER_BACKENDS
    filterset_class = EnrolmentFilter
    ordering_fields = ["created", "id"]
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self):
        return Enrolment.objects.visible_to(self.request.user).select_related(
            "person", "organisation", "course"
        )

    def perform_create(self, serializer):
        data = serializer.validated_data
        course, person = data["course"], data["person"]
        require(rules.can_nominate(self.request.user, course, person.organisation))
        serializer.instance = course_services.nominate(
            self.request.user,
            course,
            person,
            sex=data.get("sex", ""),
            motivation=data.get("motivation", ""),
        )

    def _decide(self, request, decide):
        enrolment = self.get_object()
        decision = DecisionSerializer(data=request.data)
        decision.is_valid(raise_exception=True)
        decide(request.user, enrolment, decision.validated_data["note"])
        enrolment.refresh_from_db()
        return Response(EnrolmentSerializer(enrolment, context=self.get_serializer_context()).data)

    @extend_schema(request=DecisionSerializer, responses=EnrolmentSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        return self._decide(request, course_services.approve)

    @extend_schema(request=DecisionSerializer, responses=EnrolmentSerializer)
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        return self._decide(request, course_services.reject)

    @extend_schema(request=DecisionSerializer, responses=EnrolmentSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        return self._decide(request, course_services.withdraw)


# Results --------------------------------------------------------------------------------------


class ResultSerializer(serializers.ModelSerializer):
    quiz = serializers.CharField(source="quiz.title")
    kind = serializers.CharField(source="quiz.kind")
    module = serializers.CharField(source="quiz.module.code")
    learner = serializers.SerializerMethodField()

    class Meta:
        model = QuizAttempt
        fields = [
            "id",
            "quiz",
            "kind",
            "module",
            "course",
            "learner",
            "submitted",
            "score",
            "max_score",
            "percent",
            "passed",
        ]

    def get_learner(self, attempt) -> str:
        return attempt.user.get_full_name() or attempt.user.get_username()


class ResultViewSet(ReadsLogged, TrainingErrorsMixin, viewsets.ReadOnlyModelViewSet):
    """Submitted quiz and test results: a learner's own, and those of the courses a user trains
    or runs. Filter with `course` and `quiz`."""

    serializer_class = ResultSerializer
    read_kind = ReadKind.RESULT
    read_person = "user__person"
    pagination_class = ApiPagination
    lookup_value_regex = r"\d+"
    filter_backends = [UserFilterBackend]
    filterset_class = ResultFilter

    def get_queryset(self):
        user = self.request.user
        attempts = QuizAttempt.objects.filter(submitted__isnull=False).select_related(
            "quiz__module", "user"
        )
        if not user.is_authenticated:
            return attempts.none()
        if not user.is_secretariat:
            trained = Course.trainers.through.objects.filter(trainer__person__user=user)
            attempts = attempts.filter(
                Q(user=user)
                | Q(course__centre__staff=user)
                | Q(course__in=trained.values("course"))
            ).distinct()
        return attempts.order_by("-submitted", "pk")

    @extend_schema(
        parameters=[
            OpenApiParameter("course", int, description="Course id"),
            OpenApiParameter("quiz", int, description="Quiz id"),
        ]
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)


# Certificates ---------------------------------------------------------------------------------


class CertificateSerializer(serializers.ModelSerializer):
    verification_url = serializers.CharField()
    status = serializers.SerializerMethodField()

    class Meta:
        model = Certificate
        fields = [
            "id",
            "code",
            "holder_name",
            "course_title",
            "modules",
            "hours",
            "issued_on",
            "valid_until",
            "revoked_at",
            "status",
            "verification_url",
        ]

    def get_status(self, certificate) -> str:
        return certificate_services.certificate_status(certificate)


class VerificationSerializer(serializers.Serializer):
    code = serializers.CharField()
    holder = serializers.CharField()
    course = serializers.CharField()
    issued_on = serializers.DateField()
    valid_until = serializers.DateField(allow_null=True)
    status = serializers.ChoiceField(choices=["valid", "expired", "revoked"])


class RevocationSerializer(serializers.Serializer):
    reason = serializers.CharField()


def verification(certificate) -> dict:
    """What anyone may learn from a certificate's code, and nothing more."""
    return {
        "code": certificate.code,
        "holder": certificate.holder_name,
        "course": certificate.course_title,
        "issued_on": certificate.issued_on,
        "valid_until": certificate.valid_until,
        "status": certificate_services.certificate_status(certificate),
    }


class CertificateViewSet(TrainingErrorsMixin, viewsets.ReadOnlyModelViewSet):
    """Certificates: the holder's own and those of the centres a user runs. `revoke` (centre
    staff, a reason required) and the public `verify` are the pages' actions."""

    serializer_class = CertificateSerializer
    pagination_class = ApiPagination
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        user = self.request.user
        certificates = Certificate.objects.select_related("enrolment__course__centre")
        if not user.is_authenticated:
            return certificates.none()
        if user.is_secretariat:
            return certificates
        return certificates.filter(
            Q(enrolment__person__user=user) | Q(enrolment__course__centre__staff=user)
        ).distinct()

    @extend_schema(request=RevocationSerializer, responses=CertificateSerializer)
    @action(detail=True, methods=["post"])
    def revoke(self, request, pk=None):
        certificate = self.get_object()
        body = RevocationSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        certificate_services.revoke_certificate(
            request.user, certificate, body.validated_data["reason"]
        )
        certificate.refresh_from_db()
        return Response(CertificateSerializer(certificate).data)

    @extend_schema(
        parameters=[
            OpenApiParameter("code", str, required=True, description="e.g. K7QM-2XVD-9HTA")
        ],
        responses=VerificationSerializer,
    )
    @action(detail=False, methods=["get"], permission_classes=[AllowAny])
    def verify(self, request):
        if verification_throttled(request):
            raise exceptions.Throttled()
        certificate = certificate_services.find_certificate(request.query_params.get("code", ""))
        if certificate is None:
            raise exceptions.NotFound(_("No certificate has this code."))
        return Response(VerificationSerializer(verification(certificate)).data)
