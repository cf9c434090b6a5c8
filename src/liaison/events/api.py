"""API for events, their sessions, registrations and knowledge items.

The endpoints ask exactly what the pages ask: the querysets' ``visible_to`` decide what may be
read, the checks in ``permissions`` what may be done, and every write goes through ``services``
(which asks the same checks again, in its transaction, and writes the audit entry). A domain
refusal becomes a 400 or a 403 with the service's message, never a 500.

Times are read and written as ISO 8601. A time sent without an offset is read as the venue's
clock, as the forms read it; times come back with the venue's offset.
"""

import zoneinfo

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Prefetch
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import exceptions, mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.fields import get_error_detail
from rest_framework.response import Response
from rest_framework.settings import api_settings

from liaison.core.concurrency import VersionedViewSetMixin
from liaison.core.models import Role, User
from liaison.directory.api import ApiPagination, StableOrderingFilter
from liaison.directory.models import Country, Network, Organisation, OrganisationType
from liaison.directory.readlog import ReadKind, ReadsLogged
from liaison.portfolio.models import Project, Theme

from . import permissions as rules
from . import services
from .filters import EventFilter, KnowledgeFilter, RegistrationFilter, SessionFilter
from .models import (
    Event,
    KnowledgeItem,
    Question,
    Registration,
    RegistrationForm,
    Session,
    Sex,
    Speaker,
    Stage,
    Talk,
)

# The filters whose values the OpenAPI generator cannot read from a method say what they take.
_FILTER_SCHEMAS = {
    EventFilter: {
        "q": {"type": "string", "description": "Words in the title, city or venue"},
        "project": {"type": "integer", "description": "Project id"},
        "country": {"type": "string", "pattern": "^[A-Z]{2}$", "description": "ISO country code"},
        "when": {"type": "string", "enum": ["upcoming", "past"]},
        "start_from": {"type": "string", "format": "date", "description": "Still running then"},
        "start_to": {"type": "string", "format": "date", "description": "Starting by then"},
    },
    KnowledgeFilter: {
        "q": {"type": "string", "description": "Words in the title or text"},
        "theme": {"type": "string", "description": "Theme code, e.g. border-management"},
    },
}
for _filterset, _schemas in _FILTER_SCHEMAS.items():
    for _name, _schema in _schemas.items():
        extend_schema_field(_schema)(_filterset.base_filters[_name])


# Shared pieces ------------------------------------------------------------------------------


class UserFilterBackend(DjangoFilterBackend):
    """Gives the filter set the user, so its choices are only what that user may see."""

    def get_filterset_kwargs(self, request, queryset, view):
        kwargs = super().get_filterset_kwargs(request, queryset, view)
        kwargs["user"] = request.user
        return kwargs


FILTER_BACKENDS = [UserFilterBackend, StableOrderingFilter]


class DomainErrorsMixin:
    """Turn the services' refusals into the HTTP answers a client can act on.

    Other apps' viewsets name their own domain error in ``refusals``."""

    refusals: tuple[type[Exception], ...] = (services.RegistrationRefused,)

    def handle_exception(self, exc):
        if isinstance(exc, services.PermissionDenied):
            exc = exceptions.PermissionDenied(str(exc))
        elif isinstance(exc, self.refusals):
            exc = exceptions.ValidationError({"detail": str(exc)})
        elif isinstance(exc, DjangoValidationError):
            if hasattr(exc, "error_dict"):
                detail = {
                    api_settings.NON_FIELD_ERRORS_KEY if key == "__all__" else key: value
                    for key, value in get_error_detail(exc).items()
                }
            else:
                detail = {"detail": " ".join(exc.messages)}
            exc = exceptions.ValidationError(detail)
        return super().handle_exception(exc)


def _require(check: tuple[bool, str]):
    allowed, why = check
    if not allowed:
        raise exceptions.PermissionDenied(why)


def _user(serializer):
    request = serializer.context.get("request")
    return getattr(request, "user", None)


def _absolute(serializer, path: str) -> str:
    request = serializer.context.get("request")
    return request.build_absolute_uri(path) if request else path


class VenueDateTimeField(serializers.DateTimeField):
    """An ISO 8601 time; one without an offset stays naive until the venue's zone is known."""

    def enforce_timezone(self, value):
        return value


def _place_in_zone(attrs: dict, zone_name: str, names=("start", "end")):
    zone = zoneinfo.ZoneInfo(zone_name)
    for name in names:
        value = attrs.get(name)
        if value is not None and timezone.is_naive(value):
            attrs[name] = value.replace(tzinfo=zone)


def _local_times(data: dict, instance, zone, names=("start", "end")):
    for name in names:
        value = getattr(instance, name, None)
        if name in data and value is not None:
            data[name] = value.astimezone(zone).isoformat()


class LinkAccess:
    """Whether the user sees an event's online link, answered for a whole page in one query."""

    def __init__(self, user):
        self.user = user
        self._ids = None

    def __contains__(self, event_id) -> bool:
        if self._ids is None:
            self._ids = set(rules.online_link_events(self.user).values_list("pk", flat=True))
        return event_id in self._ids


# Events -------------------------------------------------------------------------------------


class SpeakerSerializer(serializers.ModelSerializer):
    """Someone on the agenda; shown publicly with the event."""

    country = serializers.SlugRelatedField(slug_field="code", read_only=True)
    affiliation = serializers.CharField(source="affiliation_label", read_only=True)

    class Meta:
        model = Speaker
        fields = ["id", "name", "position", "organisation", "affiliation", "country", "bio"]


class QuestionSerializer(serializers.ModelSerializer):
    key = serializers.CharField(read_only=True, help_text="The key of the answer in `answers`.")
    choices = serializers.ListField(source="choice_list", child=serializers.CharField())

    class Meta:
        model = Question
        fields = ["key", "label", "kind", "choices", "required"]


class RegistrationSetupSerializer(serializers.ModelSerializer):
    """How the event takes registrations, and the questions a registration answers."""

    open_now = serializers.SerializerMethodField()
    refusal = serializers.SerializerMethodField()
    questions = serializers.SerializerMethodField()

    class Meta:
        model = RegistrationForm
        fields = [
            "open_now",
            "refusal",
            "opens_at",
            "closes_at",
            "capacity",
            "waiting_list",
            "needs_approval",
            "consent_text",
            "publish_list",
            "questions",
        ]

    def get_open_now(self, form) -> bool:
        return not form.refusal(timezone.now())

    def get_refusal(self, form) -> str:
        """Why no one can register now; empty when registration is open."""
        return form.refusal(timezone.now())

    @extend_schema_field(QuestionSerializer(many=True))
    def get_questions(self, form):
        questions = form.questions.filter(stage=Stage.REGISTRATION)
        return QuestionSerializer(questions, many=True).data


class VisibleProjectsField(serializers.ManyRelatedField):
    """An event's projects as the caller may see them, like the event page: a draft project is
    not named to the public. The viewset prefetches them as ``visible_projects``."""

    def get_attribute(self, event):
        return event.visible_projects


class CountRowSerializer(serializers.Serializer):
    label = serializers.CharField()
    registered = serializers.IntegerField()
    attended = serializers.IntegerField()


class AttendanceCountsSerializer(serializers.Serializer):
    """``services.attendance_counts``: approved and attending participants, in three cuts."""

    registered = serializers.IntegerField()
    attended = serializers.IntegerField()
    by_country = CountRowSerializer(many=True)
    by_institution_type = CountRowSerializer(many=True)
    by_sex = CountRowSerializer(many=True)


class EventSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:event-detail")
    html_url = serializers.SerializerMethodField()
    country = serializers.SlugRelatedField(
        slug_field="code", queryset=Country.objects.all(), allow_null=True, required=False
    )
    network = serializers.PrimaryKeyRelatedField(
        queryset=Network.objects.all(), allow_null=True, required=False
    )
    parent = serializers.PrimaryKeyRelatedField(
        queryset=Event.objects.none(),
        allow_null=True,
        required=False,
        help_text="The event this one follows up; one you manage.",
    )
    projects = VisibleProjectsField(
        child_relation=serializers.PrimaryKeyRelatedField(queryset=Project.objects.none()),
        required=False,
        help_text="Project ids; a project manager links only projects they manage.",
    )
    start = VenueDateTimeField(help_text="Without an offset, read as the venue's clock.")
    end = VenueDateTimeField(help_text="Without an offset, read as the venue's clock.")
    registration_open = serializers.SerializerMethodField()

    class Meta:
        model = Event
        fields = [
            "id",
            "url",
            "html_url",
            "title",
            "type",
            "mode",
            "start",
            "end",
            "timezone",
            "venue",
            "city",
            "country",
            "network",
            "parent",
            "projects",
            "published",
            "registration_open",
        ]

    def get_fields(self):
        fields = super().get_fields()
        user = _user(self)
        if "projects" in fields and not fields["projects"].read_only:
            visible = Project.objects.visible_to(user)
            fields["projects"].child_relation.queryset = visible
        if "parent" in fields and not fields["parent"].read_only:
            parents = Event.objects.managed_by(user)
            if self.instance is not None and isinstance(self.instance, Event):
                parents = parents.exclude(pk=self.instance.pk)
            fields["parent"].queryset = parents
        return fields

    @extend_schema_field(OpenApiTypes.URI)
    def get_html_url(self, event) -> str | None:
        try:
            return _absolute(self, event.get_absolute_url())
        except NoReverseMatch:
            return None

    def get_registration_open(self, event) -> bool:
        form = event.registration_form
        return form is not None and not form.refusal(timezone.now())

    def to_representation(self, event):
        data = super().to_representation(event)
        _local_times(data, event, event.zone)
        return data

    def validate(self, attrs):
        zone = attrs.get("timezone") or (
            self.instance.timezone if self.instance else Event._meta.get_field("timezone").default
        )
        _place_in_zone(attrs, zone)
        return attrs


class EventDetailSerializer(EventSerializer):
    """An event with its agenda's people, its registration form and what it left behind.

    ``online_url`` is shown to approved participants and those who manage the event, ``minutes``
    to those who manage it; for anyone else the fields are absent.
    """

    organisers = serializers.PrimaryKeyRelatedField(
        many=True,
        queryset=User.objects.filter(
            is_active=True, role__in=[Role.SECRETARIAT, Role.PROJECT_MANAGER]
        ),
        required=False,
        write_only=True,
        help_text="User ids of the organisers (secretariat or project managers).",
    )
    follow_ups = serializers.SerializerMethodField()
    speakers = SpeakerSerializer(many=True, read_only=True)
    registration_form = RegistrationSetupSerializer(read_only=True, allow_null=True)
    sessions = serializers.SerializerMethodField()
    reason = serializers.CharField(
        write_only=True, required=False, allow_blank=True, max_length=500
    )

    class Meta(EventSerializer.Meta):
        fields = [
            *EventSerializer.Meta.fields,
            "description",
            "online_url",
            "synopsis",
            "minutes",
            "organisers",
            "follow_ups",
            "speakers",
            "sessions",
            "registration_form",
            "reason",
        ]
        extra_kwargs = {
            "online_url": {"help_text": "Only present for approved participants and organisers."},
            "minutes": {"help_text": "Only present for those who manage the event."},
        }

    def get_follow_ups(self, event) -> list[int]:
        visible = Event.objects.visible_to(_user(self))
        return list(visible.filter(parent=event).order_by("start").values_list("pk", flat=True))

    @extend_schema_field(OpenApiTypes.URI)
    def get_sessions(self, event) -> str:
        return _absolute(self, reverse("api:session-list") + f"?event={event.pk}")

    def to_representation(self, event):
        data = super().to_representation(event)
        user = _user(self)
        if not rules.can_see_online_link(user, event)[0]:
            data.pop("online_url", None)
        if not rules.can_manage_event(user, event)[0]:
            data.pop("minutes", None)
        return data


class ReadWriteViewSet(
    DomainErrorsMixin,
    VersionedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """List, read, create and change; nothing here is deleted through the API."""


@extend_schema(tags=["events"])
class EventViewSet(ReadWriteViewSet):
    """Events: meetings, workshops, study visits and other activities.

    Anonymous callers and public accounts see published events; staff also see drafts. The
    filters are those of the event list page. The secretariat and project managers create
    events; those who manage an event change it. `counts` gives participants by country,
    institution type and sex to those who see the participants.
    """

    pagination_class = ApiPagination
    filter_backends = FILTER_BACKENDS
    filterset_class = EventFilter
    ordering_fields = ["start", "end", "title", "id"]
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        user = self.request.user
        return (
            Event.objects.visible_to(user)
            .select_related("country", "network", "registration_setup")
            .prefetch_related(
                Prefetch(
                    "projects",
                    queryset=Project.objects.visible_to(user).order_by("pk"),
                    to_attr="visible_projects",
                )
            )
        )

    def get_serializer_class(self):
        return EventSerializer if self.action == "list" else EventDetailSerializer

    def get_object(self):
        event = super().get_object()
        if self.action == "retrieve":
            event = (
                Event.objects.filter(pk=event.pk)
                .select_related("country", "network", "registration_setup")
                .prefetch_related(
                    Prefetch(
                        "speakers",
                        queryset=Speaker.objects.select_related("organisation", "country"),
                    )
                )
                .get()
            )
            event.visible_projects = list(
                event.projects.visible_to(self.request.user).order_by("pk")
            )
        return event

    def create(self, request, *args, **kwargs):
        _require(rules.can_create_event(request.user))
        return super().create(request, *args, **kwargs)

    def update(self, request, *args, **kwargs):
        _require(rules.can_manage_event(request.user, self.get_object()))
        return super().update(request, *args, **kwargs)

    def _save(self, serializer, event):
        data = dict(serializer.validated_data)
        projects = data.pop("projects", None)
        organisers = data.pop("organisers", None)
        reason = data.pop("reason", "")
        saved = services.save_event(
            self.request.user,
            event,
            data,
            projects=projects,
            organisers=organisers,
            reason=reason,
        )
        saved.visible_projects = list(saved.projects.visible_to(self.request.user).order_by("pk"))
        serializer.instance = saved

    def perform_create(self, serializer):
        self._save(serializer, None)

    def perform_update(self, serializer):
        self._save(serializer, Event.objects.get(pk=serializer.instance.pk))

    @extend_schema(responses=AttendanceCountsSerializer)
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
    def counts(self, request, pk=None):
        """Approved and attending participants by country, institution type and sex."""
        event = self.get_object()
        _require(rules.can_see_participants(request.user, event))
        return Response(AttendanceCountsSerializer(services.attendance_counts(event)).data)


# Sessions -----------------------------------------------------------------------------------


class TalkSerializer(serializers.ModelSerializer):
    speakers = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = Talk
        fields = ["id", "order", "title", "abstract", "speakers"]


class SessionSerializer(serializers.ModelSerializer):
    """A slot of the agenda. Chair, moderator, panellists and talks' speakers are speaker ids,
    listed with the event (``/api/events/<id>/``)."""

    url = serializers.HyperlinkedIdentityField(view_name="api:session-detail")
    event = serializers.PrimaryKeyRelatedField(queryset=Event.objects.none())
    start = VenueDateTimeField(help_text="Without an offset, read as the venue's clock.")
    end = VenueDateTimeField(help_text="Without an offset, read as the venue's clock.")
    chair = serializers.PrimaryKeyRelatedField(
        queryset=Speaker.objects.all(), allow_null=True, required=False
    )
    moderator = serializers.PrimaryKeyRelatedField(
        queryset=Speaker.objects.all(), allow_null=True, required=False
    )
    panellists = serializers.PrimaryKeyRelatedField(
        many=True, queryset=Speaker.objects.all(), required=False
    )
    talks = TalkSerializer(many=True, read_only=True)

    class Meta:
        model = Session
        fields = [
            "id",
            "url",
            "event",
            "title",
            "kind",
            "description",
            "start",
            "end",
            "room",
            "online_url",
            "chair",
            "moderator",
            "panellists",
            "talks",
        ]
        extra_kwargs = {
            "online_url": {"help_text": "Only present for approved participants and organisers."}
        }

    def get_fields(self):
        fields = super().get_fields()
        fields["event"].queryset = Event.objects.visible_to(_user(self))
        return fields

    def validate(self, attrs):
        event = attrs.get("event") or self.instance.event
        if self.instance is not None and attrs.get("event", event) != self.instance.event:
            raise serializers.ValidationError({"event": _("A session stays with its event.")})
        for name in ("chair", "moderator"):
            speaker = attrs.get(name)
            if speaker is not None and speaker.event_id != event.pk:
                raise serializers.ValidationError({name: _("Choose a speaker of this event.")})
        if any(s.event_id != event.pk for s in attrs.get("panellists", [])):
            raise serializers.ValidationError({"panellists": _("Choose speakers of this event.")})
        _place_in_zone(attrs, event.timezone)
        return attrs

    def to_representation(self, session):
        data = super().to_representation(session)
        _local_times(data, session, session.event.zone)
        if session.event_id not in self.context.get("link_access", ()):
            data.pop("online_url", None)
        return data


@extend_schema(tags=["events"])
class SessionViewSet(ReadWriteViewSet):
    """The agenda: sessions of the events the caller may see, `?event=<id>` for one event.

    Those who manage the event add and change its sessions.
    """

    serializer_class = SessionSerializer
    pagination_class = ApiPagination
    filter_backends = FILTER_BACKENDS
    filterset_class = SessionFilter
    ordering_fields = ["start", "id"]
    ordering = ["start", "pk"]
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        return (
            Session.objects.filter(event__in=Event.objects.visible_to(self.request.user))
            .select_related("event")
            .prefetch_related(
                "panellists", Prefetch("talks", queryset=Talk.objects.prefetch_related("speakers"))
            )
        )

    def get_serializer_context(self):
        context = super().get_serializer_context()
        context["link_access"] = LinkAccess(self.request.user)
        return context

    def create(self, request, *args, **kwargs):
        _require(rules.can_create_event(request.user))
        return super().create(request, *args, **kwargs)

    def update(self, request, *args, **kwargs):
        _require(rules.can_manage_event(request.user, self.get_object().event))
        return super().update(request, *args, **kwargs)

    def _save(self, serializer, session):
        data = dict(serializer.validated_data)
        panellists = data.pop("panellists", None)
        for name, value in data.items():
            setattr(session, name, value)
        relations = {"panellists": panellists} if panellists is not None else {}
        serializer.instance = services.save_part(
            self.request.user, session.event, session, relations=relations
        )

    def perform_create(self, serializer):
        self._save(serializer, Session())

    def perform_update(self, serializer):
        self._save(
            serializer, Session.objects.select_related("event").get(pk=serializer.instance.pk)
        )


# Registrations ------------------------------------------------------------------------------


class RegistrationSerializer(serializers.ModelSerializer):
    """A registration, as its participant and the event's organisers see it.

    Nobody else is ever served one: the list holds only the caller's own registrations and
    those of the events they manage.
    """

    url = serializers.HyperlinkedIdentityField(view_name="api:registration-detail")
    country = serializers.SlugRelatedField(slug_field="code", read_only=True)
    organisation_label = serializers.CharField(read_only=True)
    erased = serializers.SerializerMethodField()

    class Meta:
        model = Registration
        fields = [
            "id",
            "url",
            "event",
            "status",
            "name",
            "email",
            "position",
            "organisation",
            "organisation_name",
            "organisation_label",
            "country",
            "institution_type",
            "sex",
            "publish_consent",
            "answers",
            "follow_up_answers",
            "nominated_by_organisation",
            "created",
            "decided_at",
            "cancelled_at",
            "erased",
        ]
        read_only_fields = fields

    def get_erased(self, registration) -> bool:
        return registration.erased_at is not None


class RegisterSerializer(serializers.Serializer):
    """Registering oneself. ``consent`` to the event's consent text is required."""

    event = serializers.PrimaryKeyRelatedField(queryset=Event.objects.none())
    name = serializers.CharField(max_length=200)
    email = serializers.EmailField()
    position = serializers.CharField(max_length=200, required=False, allow_blank=True)
    organisation = serializers.PrimaryKeyRelatedField(
        queryset=Organisation.objects.select_related("country"), required=False, allow_null=True
    )
    organisation_name = serializers.CharField(max_length=300, required=False, allow_blank=True)
    country = serializers.SlugRelatedField(
        slug_field="code", queryset=Country.objects.all(), required=False, allow_null=True
    )
    institution_type = serializers.ChoiceField(
        choices=OrganisationType.choices, required=False, allow_blank=True
    )
    sex = serializers.ChoiceField(choices=Sex.choices, default=Sex.NOT_STATED)
    publish_consent = serializers.BooleanField(
        default=False, help_text="The name and organisation may appear in the published list."
    )
    answers = serializers.DictField(
        child=serializers.JSONField(),
        required=False,
        help_text="Answers to the registration form's questions, keyed by the question's `key`.",
    )
    consent = serializers.BooleanField(
        default=False, help_text="Agreement to the event's `consent_text`; required."
    )

    def get_fields(self):
        fields = super().get_fields()
        fields["event"].queryset = Event.objects.visible_to(_user(self))
        return fields

    def validate(self, attrs):
        # The rules of the registration page's form.
        errors = {}
        if not attrs.get("organisation"):
            if not attrs.get("organisation_name"):
                errors["organisation_name"] = _("Choose your organisation or type its name.")
            if not attrs.get("country"):
                errors["country"] = _("Give the country of your organisation.")
            if not attrs.get("institution_type"):
                errors["institution_type"] = _("Give the type of your institution.")
        if errors:
            raise serializers.ValidationError(errors)
        return attrs


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(
        required=False, allow_blank=True, max_length=500, help_text="Kept in the audit trail."
    )


class AttendanceSerializer(serializers.Serializer):
    """Check-in to one session or one day (venue date) of the event; give one of the two."""

    session = serializers.PrimaryKeyRelatedField(
        queryset=Session.objects.all(), required=False, allow_null=True
    )
    day = serializers.DateField(required=False, allow_null=True)
    present = serializers.BooleanField(default=True)


@extend_schema(tags=["events"])
class RegistrationViewSet(
    ReadsLogged,
    DomainErrorsMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Registrations for events: one's own, all those of the events one manages, and those of
    the people of the institutions one administers.

    `POST` registers the signed-in caller (consent required). Organisers decide with `approve`,
    `reject` and `promote`; the participant or an organiser may `cancel`; organisers check
    participants in with `attendance`. Every decision is kept in the audit trail.
    """

    serializer_class = RegistrationSerializer
    permission_classes = [permissions.IsAuthenticated]
    read_kind = ReadKind.REGISTRATION
    pagination_class = ApiPagination
    filter_backends = FILTER_BACKENDS
    filterset_class = RegistrationFilter
    ordering_fields = ["created", "name", "status", "id"]
    ordering = ["created", "pk"]
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        return Registration.objects.visible_to(self.request.user).select_related("country")

    def get_serializer_class(self):
        if self.action == "create":
            return RegisterSerializer
        return RegistrationSerializer

    @extend_schema(request=RegisterSerializer, responses={201: RegistrationSerializer})
    def create(self, request, *args, **kwargs):
        serializer = RegisterSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        event = data.pop("event")
        answers = data.pop("answers", {})
        consent = data.pop("consent")
        registration = services.register(request.user, event, data, answers, consent)
        output = RegistrationSerializer(registration, context=self.get_serializer_context())
        return Response(output.data, status=status.HTTP_201_CREATED)

    def _decide(self, request, decide):
        registration = self.get_object()
        serializer = ReasonSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        decide(request.user, registration, serializer.validated_data.get("reason", ""))
        registration.refresh_from_db()
        return Response(RegistrationSerializer(registration, context={"request": request}).data)

    @extend_schema(request=ReasonSerializer, responses=RegistrationSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        """Approve a registration that waits for approval."""
        return self._decide(request, services.approve)

    @extend_schema(request=ReasonSerializer, responses=RegistrationSerializer)
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        """Turn down a registration that waits for approval or is on the waiting list."""
        return self._decide(request, services.reject)

    @extend_schema(request=ReasonSerializer, responses=RegistrationSerializer)
    @action(detail=True, methods=["post"])
    def promote(self, request, pk=None):
        """Give a place to someone on the waiting list, even beyond the capacity."""
        return self._decide(request, services.promote)

    @extend_schema(request=ReasonSerializer, responses=RegistrationSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        """Cancel; a freed place goes to the first person on the waiting list."""
        return self._decide(
            request,
            lambda user, registration, reason: services.cancel(user, registration, reason=reason),
        )

    @extend_schema(request=AttendanceSerializer, responses=AttendanceSerializer)
    @action(detail=True, methods=["post"])
    def attendance(self, request, pk=None):
        """Check an approved participant in to a session or a day, or undo it."""
        registration = self.get_object()
        serializer = AttendanceSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        present = services.set_attendance(
            request.user,
            registration,
            data["present"],
            session=data.get("session"),
            day=data.get("day"),
        )
        return Response({**AttendanceSerializer(data).data, "present": present})


# Knowledge ----------------------------------------------------------------------------------


class KnowledgeItemSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:knowledge-item-detail")
    html_url = serializers.SerializerMethodField()
    themes = serializers.SlugRelatedField(
        slug_field="code", many=True, queryset=Theme.objects.all(), required=False
    )
    event = serializers.PrimaryKeyRelatedField(
        queryset=Event.objects.none(), allow_null=True, required=False
    )
    project = serializers.PrimaryKeyRelatedField(
        queryset=Project.objects.none(), allow_null=True, required=False
    )

    class Meta:
        model = KnowledgeItem
        fields = [
            "id",
            "url",
            "html_url",
            "kind",
            "title",
            "body",
            "themes",
            "event",
            "project",
            "published",
            "created",
            "updated",
        ]
        read_only_fields = ["created", "updated"]

    def get_fields(self):
        fields = super().get_fields()
        user = _user(self)
        fields["event"].queryset = Event.objects.visible_to(user)
        fields["project"].queryset = Project.objects.visible_to(user)
        return fields

    @extend_schema_field(OpenApiTypes.URI)
    def get_html_url(self, item) -> str | None:
        try:
            return _absolute(self, item.get_absolute_url())
        except NoReverseMatch:
            return None


@extend_schema(tags=["events"])
class KnowledgeItemViewSet(ReadWriteViewSet):
    """Lessons learned and good practices from events and projects, tagged by theme.

    The secretariat and project managers record them; an item is changed by its author or the
    secretariat. The filters are those of the knowledge page.
    """

    serializer_class = KnowledgeItemSerializer
    pagination_class = ApiPagination
    filter_backends = FILTER_BACKENDS
    filterset_class = KnowledgeFilter
    ordering_fields = ["created", "title", "id"]
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        return KnowledgeItem.objects.visible_to(self.request.user).for_list()

    def create(self, request, *args, **kwargs):
        _require(rules.can_edit_knowledge(request.user))
        return super().create(request, *args, **kwargs)

    def update(self, request, *args, **kwargs):
        _require(rules.can_edit_knowledge(request.user, self.get_object()))
        return super().update(request, *args, **kwargs)

    def _save(self, serializer, item):
        data = dict(serializer.validated_data)
        themes = data.pop("themes", None)
        serializer.instance = services.save_knowledge_item(self.request.user, item, data, themes)

    def perform_create(self, serializer):
        self._save(serializer, KnowledgeItem())

    def perform_update(self, serializer):
        self._save(serializer, KnowledgeItem.objects.get(pk=serializer.instance.pk))
