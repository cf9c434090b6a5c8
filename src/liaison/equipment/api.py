"""API of equipment: items, their request and each step of their path.

The endpoints ask what the pages ask: ``Item.objects.visible_to`` decides what may be read
(staff), the checks in ``permissions`` what may be done, and every write goes through
``services``, so the API cannot take a step the page would refuse. The signed hand-over
document is linked through the page's download address, which checks the reader.
"""

from django.urls import reverse
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from liaison.core.concurrency import ETagMixin
from liaison.directory.api import ApiPagination
from liaison.directory.models import Organisation
from liaison.events.api import DomainErrorsMixin
from liaison.portfolio.models import Project
from liaison.training.api import FILTER_BACKENDS

from . import documents, services
from .filters import ItemFilter
from .models import HandOver, Item, UseCheck, UseFinding
from .services import PATH_FIELDS, REQUEST_FIELDS, EquipmentError

# Serializers ---------------------------------------------------------------------------------


class HandOverSerializer(serializers.ModelSerializer):
    document_url = serializers.SerializerMethodField()

    class Meta:
        model = HandOver
        fields = [
            "handed_over_on",
            "receiving_officer",
            "receiving_position",
            "notes",
            "document_url",
        ]

    def get_document_url(self, handover) -> str:
        """The signed document, downloaded by a signed-in member of staff."""
        path = reverse("equipment:document", args=[handover.item_id])
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path


class UseCheckSerializer(serializers.ModelSerializer):
    class Meta:
        model = UseCheck
        fields = ["id", "checked_on", "finding", "notes"]


class ItemSerializer(serializers.ModelSerializer):
    project = serializers.PrimaryKeyRelatedField(queryset=Project.objects.all())
    institution = serializers.PrimaryKeyRelatedField(queryset=Organisation.objects.all())
    institution_name = serializers.CharField(source="institution.name", read_only=True)
    country = serializers.SerializerMethodField()
    use_check_due = serializers.DateField(read_only=True, allow_null=True)
    handover = serializers.SerializerMethodField()
    use_checks = UseCheckSerializer(many=True, read_only=True)

    class Meta:
        model = Item
        fields = [
            "id",
            *REQUEST_FIELDS,
            "institution_name",
            "country",
            *PATH_FIELDS,
            "use_check_due",
            "handover",
            "use_checks",
        ]
        # The path moves only through its step actions, never by editing the item.
        read_only_fields = PATH_FIELDS

    def get_country(self, item) -> str | None:
        """ISO code of the institution's country."""
        country = item.institution.country
        return country.code if country else None

    @extend_schema_field(HandOverSerializer(allow_null=True))
    def get_handover(self, item):
        handover = getattr(item, "handover", None)
        if handover is None:
            return None
        return HandOverSerializer(handover, context=self.context).data


class ApproveSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)


class RejectSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=2000)


class ProcurementSerializer(serializers.Serializer):
    procured_on = serializers.DateField()
    supplier = serializers.CharField(max_length=300)
    actual_cost = serializers.DecimalField(max_digits=14, decimal_places=2, min_value=0)


class DeliverySerializer(serializers.Serializer):
    handed_over_on = serializers.DateField()
    receiving_officer = serializers.CharField(max_length=200)
    receiving_position = serializers.CharField(
        max_length=200, required=False, allow_blank=True, default=""
    )
    document = serializers.FileField(
        help_text=f"The signed hand-over record: PDF, JPEG or PNG ({documents.ACCEPT})."
    )
    notes = serializers.CharField(required=False, allow_blank=True, default="")


class UseCheckInputSerializer(serializers.Serializer):
    checked_on = serializers.DateField()
    finding = serializers.ChoiceField(choices=UseFinding.choices)
    notes = serializers.CharField(required=False, allow_blank=True, default="")


# Viewset -------------------------------------------------------------------------------------


class ItemViewSet(
    DomainErrorsMixin,
    ETagMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Equipment items, read by Liaison's staff with the filters of the list page.

    Creating an item is a request (by a manager of the funding project or the secretariat).
    `approve` and `reject` (a note is required) are for the secretariat only; `procure`,
    `deliver` (multipart, with the signed document), `in-use` and `use-check` for the funding
    project's managers and the secretariat. Each step only follows the one before it.
    """

    serializer_class = ItemSerializer
    pagination_class = ApiPagination
    filter_backends = FILTER_BACKENDS
    filterset_class = ItemFilter
    ordering_fields = ["requested_on", "delivered_on", "estimated_cost", "id"]
    lookup_value_regex = r"\d+"
    refusals = (EquipmentError,)

    def get_queryset(self):
        return (
            Item.objects.visible_to(self.request.user)
            .select_related("project", "institution__country", "handover")
            .prefetch_related("use_checks")
        )

    def perform_create(self, serializer):
        data = serializer.validated_data
        serializer.instance = services.request_item(
            self.request.user, **{name: data[name] for name in REQUEST_FIELDS if name in data}
        )

    def _step(self, request, input_class, step):
        item = self.get_object()
        data = {}
        if input_class is not None:
            body = input_class(data=request.data)
            body.is_valid(raise_exception=True)
            data = body.validated_data
        step(request.user, item, data)
        item = self.get_queryset().get(pk=item.pk)
        return Response(ItemSerializer(item, context=self.get_serializer_context()).data)

    @extend_schema(request=ApproveSerializer, responses=ItemSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        return self._step(
            request, ApproveSerializer, lambda u, i, d: services.approve(u, i, d["note"])
        )

    @extend_schema(request=RejectSerializer, responses=ItemSerializer)
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        return self._step(
            request, RejectSerializer, lambda u, i, d: services.reject(u, i, d["note"])
        )

    @extend_schema(request=ProcurementSerializer, responses=ItemSerializer)
    @action(detail=True, methods=["post"])
    def procure(self, request, pk=None):
        return self._step(
            request,
            ProcurementSerializer,
            lambda u, i, d: services.record_procurement(u, i, **d),
        )

    @extend_schema(request={"multipart/form-data": DeliverySerializer}, responses=ItemSerializer)
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser, FormParser])
    def deliver(self, request, pk=None):
        return self._step(request, DeliverySerializer, lambda u, i, d: services.deliver(u, i, **d))

    @extend_schema(request=None, responses=ItemSerializer)
    @action(detail=True, methods=["post"], url_path="in-use")
    def in_use(self, request, pk=None):
        return self._step(request, None, lambda u, i, d: services.mark_in_use(u, i))

    @extend_schema(request=UseCheckInputSerializer, responses=ItemSerializer)
    @action(detail=True, methods=["post"], url_path="use-check")
    def use_check(self, request, pk=None):
        return self._step(
            request,
            UseCheckInputSerializer,
            lambda u, i, d: services.record_use_check(u, i, **d),
        )
