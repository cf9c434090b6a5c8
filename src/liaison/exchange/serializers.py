"""The exchange's API serializers (``api.py``): what a request, its cases, messages, entities and
attachments look like to a program, what it sends to draft, reply or refuse, and the
statistics. Only the viewsets decide what a reader gets; these only shape it."""

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from . import deadlines, permissions, services
from .models import (
    Attachment,
    Case,
    CrimeArea,
    Entity,
    EntityKind,
    HandlingCode,
    InformationEvaluation,
    Message,
    RefusalGround,
    Request,
    RequestKind,
    SourceEvaluation,
    Urgency,
)

CLOCK_STATES = [
    deadlines.Clock.OK,
    deadlines.Clock.NEAR,
    deadlines.Clock.MISSED,
    deadlines.Clock.DONE,
]


class ExchangeAttachmentSerializer(serializers.ModelSerializer):
    """An attachment by name, size and fingerprint, with the link that downloads it."""

    download = serializers.SerializerMethodField()

    class Meta:
        model = Attachment
        fields = ["id", "name", "kind", "size", "sha256", "download"]
        read_only_fields = fields

    def get_download(self, attachment) -> str:
        url = reverse(
            "api:exchange-request-attachment",
            kwargs={"pk": attachment.message.request_id, "attachment": attachment.pk},
        )
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request else url


class ExchangeMessageSerializer(serializers.ModelSerializer):
    case = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)
    from_unit = serializers.SlugRelatedField(read_only=True, slug_field="code")
    author = serializers.SlugRelatedField(read_only=True, slug_field="username", allow_null=True)
    evaluation = serializers.CharField(read_only=True)
    attachments = ExchangeAttachmentSerializer(many=True, read_only=True)

    class Meta:
        model = Message
        fields = [
            "id",
            "case",
            "from_unit",
            "author",
            "kind",
            "body",
            "handling_code",
            "handling_restriction",
            "source_evaluation",
            "information_evaluation",
            "evaluation",
            "created",
            "attachments",
        ]
        read_only_fields = fields


class ExchangeCaseSerializer(serializers.ModelSerializer):
    """The request at one receiving unit: its status and its clock, due on the unit's wall
    clock (``timezone``)."""

    unit = serializers.SlugRelatedField(read_only=True, slug_field="code")
    timezone = serializers.CharField(source="unit.timezone", read_only=True)
    clock = serializers.SerializerMethodField()

    class Meta:
        model = Case
        fields = [
            "id",
            "unit",
            "timezone",
            "status",
            "received_at",
            "deadline",
            "clock",
            "answered_at",
            "refused_at",
            "refusal_ground",
            "closed_at",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.ChoiceField(choices=CLOCK_STATES))
    def get_clock(self, case) -> str:
        return deadlines.Clock(case).state


class ExchangeEntitySerializer(serializers.ModelSerializer):
    details = serializers.SerializerMethodField()

    class Meta:
        model = Entity
        fields = ["id", "kind", "details"]
        read_only_fields = fields

    def get_details(self, entity) -> dict:
        return services.entity_details(entity)


class ExchangeRequestSerializer(serializers.ModelSerializer):
    """A request as listed: its reference, subject, codes and dates."""

    sender = serializers.SlugRelatedField(read_only=True, slug_field="code")
    reference = serializers.CharField(read_only=True)

    class Meta:
        model = Request
        fields = [
            "id",
            "reference",
            "sender",
            "subject",
            "kind",
            "crime_area",
            "language",
            "urgency",
            "status",
            "restricted",
            "sent_at",
            "closed_at",
        ]
        read_only_fields = fields


class ExchangeRequestDetailSerializer(ExchangeRequestSerializer):
    """A request opened: the messages, the cases (with their clocks) and the entities the
    reader may read."""

    messages = serializers.SerializerMethodField()
    cases = serializers.SerializerMethodField()
    entities = ExchangeEntitySerializer(many=True, read_only=True)

    class Meta(ExchangeRequestSerializer.Meta):
        fields = [*ExchangeRequestSerializer.Meta.fields, "messages", "cases", "entities"]
        read_only_fields = fields

    def _user(self):
        return self.context["request"].user

    @extend_schema_field(ExchangeMessageSerializer(many=True))
    def get_messages(self, request) -> list:
        rows = (
            permissions.visible_messages(self._user(), request)
            .select_related("from_unit", "author", "request")
            .prefetch_related("attachments__message")
            .order_by("created", "pk")
        )
        return ExchangeMessageSerializer(rows, many=True, context=self.context).data

    @extend_schema_field(ExchangeCaseSerializer(many=True))
    def get_cases(self, request) -> list:
        rows = permissions.visible_cases(self._user(), request).select_related("unit")
        return ExchangeCaseSerializer(rows, many=True, context=self.context).data


# What a program sends -----------------------------------------------------------------------


class CodesMixin(serializers.Serializer):
    handling_code = serializers.ChoiceField(choices=HandlingCode.choices, default="H0")
    handling_restriction = serializers.CharField(required=False, allow_blank=True, default="")
    source_evaluation = serializers.ChoiceField(choices=SourceEvaluation.choices, default="X")
    information_evaluation = serializers.ChoiceField(
        choices=InformationEvaluation.choices, default="4"
    )


class ExchangeEntityInputSerializer(serializers.Serializer):
    """An entity the request is about: its kind and the fields of that kind (a person's
    ``names``, ``born``, ``nationalities``, ``documents``; a vehicle's ``plate`` and ``vin``; a
    telephone ``number``; an organisation's or place's ``name``; a ``note``)."""

    kind = serializers.ChoiceField(choices=EntityKind.choices)
    names = serializers.CharField(required=False, max_length=500)
    born = serializers.DateField(required=False)
    nationalities = serializers.ListField(
        child=serializers.CharField(max_length=2), required=False, max_length=10
    )
    documents = serializers.CharField(required=False, max_length=500)
    plate = serializers.CharField(required=False, max_length=30)
    vin = serializers.CharField(required=False, max_length=30)
    number = serializers.CharField(required=False, max_length=40)
    name = serializers.CharField(required=False, max_length=300)
    note = serializers.CharField(required=False, max_length=2000)

    def to_internal_value(self, data):
        value = super().to_internal_value(data)
        if value.get("born"):
            value["born"] = value["born"].isoformat()
        return value


class ExchangeDraftSerializer(CodesMixin):
    """A new draft from one of the reader's units to other units of its network."""

    sender = serializers.SlugField(help_text="The code of the sending unit (one of yours).")
    to = serializers.ListField(
        child=serializers.SlugField(), min_length=1, max_length=30, help_text="Units' codes."
    )
    subject = serializers.CharField(max_length=500)
    kind = serializers.ChoiceField(choices=RequestKind.choices)
    crime_area = serializers.ChoiceField(choices=CrimeArea.choices)
    language = serializers.CharField(max_length=10, default="en")
    urgency = serializers.ChoiceField(choices=Urgency.choices, default=Urgency.NORMAL)
    narrative = serializers.CharField(allow_blank=True, default="", max_length=100_000)
    entities = ExchangeEntityInputSerializer(many=True, required=False, max_length=50)


class ExchangeReplySerializer(CodesMixin):
    body = serializers.CharField(max_length=100_000)


class ExchangeRefusalSerializer(serializers.Serializer):
    ground = serializers.ChoiceField(choices=RefusalGround.choices)
    reason = serializers.CharField(max_length=10_000)


# Statistics ---------------------------------------------------------------------------------


class PairSerializer(serializers.Serializer):
    sender = serializers.CharField()
    receiver = serializers.CharField()
    cases = serializers.IntegerField()
    urgent = serializers.IntegerField()
    answered = serializers.IntegerField()
    refused = serializers.IntegerField()
    on_time = serializers.IntegerField()
    late = serializers.IntegerField()
    open = serializers.IntegerField()
    overdue = serializers.IntegerField()
    on_time_rate = serializers.FloatField(allow_null=True)


class UnitFiguresSerializer(serializers.Serializer):
    unit = serializers.CharField()
    sent = serializers.IntegerField()
    received = serializers.IntegerField()


class UrgencyFiguresSerializer(serializers.Serializer):
    urgency = serializers.ChoiceField(choices=Urgency.choices)
    label = serializers.CharField()
    cases = serializers.IntegerField()
    on_time = serializers.IntegerField()
    late = serializers.IntegerField()
    on_time_rate = serializers.FloatField(allow_null=True)


class GroundFiguresSerializer(serializers.Serializer):
    ground = serializers.ChoiceField(choices=RefusalGround.choices)
    label = serializers.CharField()
    refused = serializers.IntegerField()


class ExchangeStatisticsSerializer(serializers.Serializer):
    """Counts and timings of a network or a unit for a year or a quarter (``stats``)."""

    year = serializers.IntegerField()
    quarter = serializers.IntegerField(allow_null=True)
    network = serializers.CharField()
    unit = serializers.CharField(help_text="Empty for a whole network.")
    start = serializers.DateTimeField(read_only=True)
    end = serializers.DateTimeField(read_only=True)
    requests_sent = serializers.IntegerField()
    cases = serializers.IntegerField()
    urgent = serializers.IntegerField()
    not_urgent = serializers.IntegerField()
    answered = serializers.IntegerField()
    refused = serializers.IntegerField()
    on_time = serializers.IntegerField()
    late = serializers.IntegerField()
    on_time_rate = serializers.FloatField(allow_null=True)
    open = serializers.IntegerField()
    overdue = serializers.IntegerField()
    median_hours = serializers.FloatField(allow_null=True)
    pairs = PairSerializer(many=True)
    units = UnitFiguresSerializer(many=True)
    by_urgency = UrgencyFiguresSerializer(many=True)
    by_ground = GroundFiguresSerializer(many=True)
