"""API of the exchange: cooperation requests, their cases, messages and attachments, and the
statistics.

Every endpoint asks the same questions as the pages: requests come from
``permissions.visible_requests`` (a request one may not open is a 404), a request's messages
and cases from ``visible_messages`` and ``visible_cases`` (a receiving unit reads its own
thread only), and each write goes through ``services`` (draft, send, reply, refuse), so the
need to know, the codes and the clocks hold whatever the door. Opening a request's detail and
downloading an attachment are reads, logged as such (``readlog``); a list is not. The
statistics follow ``stats.scopes``: counts and timings, never content.
"""

from django.http import Http404, HttpResponse
from django.utils.http import content_disposition_header
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from liaison.core import uploads
from liaison.core.permissions import require
from liaison.directory.api import ApiPagination
from liaison.events.api import DomainErrorsMixin

from . import permissions, readlog, services, stats
from .filters import StatisticsForm
from .models import Attachment, Case, ReadWhat, Request, Unit
from .serializers import (
    ExchangeDraftSerializer,
    ExchangeMessageSerializer,
    ExchangeRefusalSerializer,
    ExchangeReplySerializer,
    ExchangeRequestDetailSerializer,
    ExchangeRequestSerializer,
    ExchangeStatisticsSerializer,
)

CASE = OpenApiParameter("case", int, OpenApiParameter.PATH, description="The case's id.")
ATTACHMENT = OpenApiParameter(
    "attachment", int, OpenApiParameter.PATH, description="The attachment's id."
)
REQUEST_FIELDS = ["subject", "kind", "crime_area", "language", "urgency", "narrative"]
CODE_FIELDS = services.CODE_FIELDS


def acting_unit(user, request: Request):
    """The unit ``user`` reads ``request`` for: the sender, or their own receiving unit."""
    mine = permissions.units_of(user)
    if mine.filter(pk=request.sender_id).exists():
        return request.sender
    return mine.filter(cases__request=request).first()


class ExchangeRequestViewSet(
    DomainErrorsMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Cooperation requests the reader may open: their own units' (sent, or received and not
    restricted away from them). Opening one here is logged in its read log."""

    pagination_class = ApiPagination
    refusals = (services.ExchangeError,)

    def get_queryset(self):
        return (
            permissions.visible_requests(self.request.user)
            .select_related("sender")
            .order_by("-sent_at", "-pk")
        )

    def get_serializer_class(self):
        if self.action == "list":
            return ExchangeRequestSerializer
        if self.action == "create":
            return ExchangeDraftSerializer
        return ExchangeRequestDetailSerializer

    def _detail(self, found: Request, code=status.HTTP_200_OK):
        found = self.get_queryset().prefetch_related("entities").get(pk=found.pk)
        context = self.get_serializer_context()
        return Response(ExchangeRequestDetailSerializer(found, context=context).data, status=code)

    def retrieve(self, request, *args, **kwargs):
        found = self.get_object()
        readlog.record(request.user, found, ReadWhat.API, "", acting_unit(request.user, found))
        return self._detail(found)

    @extend_schema(
        request=ExchangeDraftSerializer, responses={201: ExchangeRequestDetailSerializer}
    )
    def create(self, request, *args, **kwargs):
        """A draft from one of the reader's units (``sender``) to other units of its network
        (``to``), with its narrative, codes and entities; send it with ``send``."""
        user = request.user
        require(permissions.can_draft(user))
        data = self._valid(ExchangeDraftSerializer, request)
        sender = permissions.units_of(user).filter(code=data["sender"]).first()
        if sender is None:
            raise exceptions.ValidationError({"sender": [self._no_unit(data["sender"])]})
        codes = set(data["to"])
        recipients = list(Unit.objects.filter(code__in=codes))
        unknown = codes - {u.code for u in recipients}
        if unknown:
            raise exceptions.ValidationError({"to": [self._no_unit(", ".join(sorted(unknown)))]})
        values = {name: data[name] for name in [*REQUEST_FIELDS, *CODE_FIELDS] if name in data}
        draft = services.draft(user, sender, values, recipients, data.get("entities", []))
        return self._detail(draft, status.HTTP_201_CREATED)

    @staticmethod
    def _no_unit(code: str) -> str:
        return f"No unit of yours or of the network is called {code}."

    def _valid(self, serializer_class, request) -> dict:
        serializer = serializer_class(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    @extend_schema(request=None, responses=ExchangeRequestDetailSerializer)
    @action(detail=True, methods=["post"])
    def send(self, request, pk=None):
        """Send the draft: each receiving unit's clock starts."""
        sent = services.send(request.user, self.get_object())
        return self._detail(sent)

    def _case(self, found: Request, case_pk) -> Case:
        case = permissions.visible_cases(self.request.user, found).filter(pk=case_pk).first()
        if case is None:
            raise Http404
        return case

    @extend_schema(
        request=ExchangeReplySerializer,
        responses={201: ExchangeMessageSerializer},
        parameters=[CASE],
    )
    @action(detail=True, methods=["post"], url_path=r"cases/(?P<case>[0-9]+)/reply")
    def reply(self, request, pk=None, case=None):
        """Answer the request for your unit (its case), with the answer's codes."""
        found = self.get_object()
        data = self._valid(ExchangeReplySerializer, request)
        values = {name: data[name] for name in CODE_FIELDS if name in data}
        message = services.reply(request.user, self._case(found, case), data["body"], values)
        return self._message(message)

    @extend_schema(
        request=ExchangeRefusalSerializer,
        responses={201: ExchangeMessageSerializer},
        parameters=[CASE],
    )
    @action(detail=True, methods=["post"], url_path=r"cases/(?P<case>[0-9]+)/refuse")
    def refuse(self, request, pk=None, case=None):
        """Refuse the request for your unit, on a ground and with the reason in words."""
        found = self.get_object()
        data = self._valid(ExchangeRefusalSerializer, request)
        message = services.refuse(
            request.user, self._case(found, case), data["ground"], data["reason"]
        )
        return self._message(message)

    def _message(self, message):
        context = self.get_serializer_context()
        return Response(
            ExchangeMessageSerializer(message, context=context).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(
        request=None,
        responses={(200, "application/octet-stream"): OpenApiTypes.BINARY},
        parameters=[ATTACHMENT],
    )
    @action(detail=True, methods=["get"], url_path=r"attachments/(?P<attachment>[0-9]+)")
    def attachment(self, request, pk=None, attachment=None):
        """An attachment of a message the reader reads, decrypted; each download is logged."""
        found = self.get_object()
        readable = permissions.visible_messages(request.user, found).values("pk")
        item = Attachment.objects.filter(pk=attachment, message__in=readable).first()
        if item is None:
            raise Http404
        unit = acting_unit(request.user, found)
        readlog.record(request.user, found, ReadWhat.ATTACHMENT, str(item.pk), unit)
        response = HttpResponse(
            services.attachment_content(item), content_type=uploads.content_type(item.name)
        )
        response["Content-Disposition"] = content_disposition_header(True, item.name)
        response["X-Content-Type-Options"] = "nosniff"
        return response


class ExchangeStatisticsViewSet(viewsets.GenericViewSet):
    """Counts and timings of the exchange, never content: for Liaison's staff and a network's
    secretariat (the network, or one of its units), and a unit's supervisor (that unit)."""

    serializer_class = ExchangeStatisticsSerializer
    pagination_class = None
    queryset = Request.objects.none()  # only for the schema generator: figures are computed

    @extend_schema(
        parameters=[
            OpenApiParameter("year", int, description="Year the requests were sent in."),
            OpenApiParameter("quarter", int, enum=list(stats.QUARTERS)),
            OpenApiParameter("network", int, description="An exchange network's id."),
            OpenApiParameter("unit", str, description="A unit's code."),
        ],
        responses=ExchangeStatisticsSerializer,
    )
    def list(self, request):
        require(permissions.can_see_statistics(request.user))
        form = StatisticsForm(request.query_params or None, user=request.user)
        if form.is_bound and not form.is_valid():
            raise exceptions.ValidationError(form.errors)
        scope = form.scope()
        if "exchange" not in scope and "unit" not in scope:
            raise Http404
        return Response(self.get_serializer(stats.compute(**scope).as_dict()).data)
