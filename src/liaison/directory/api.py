"""Read-only API for the directory: countries, organisations, people and networks.

Everything here is public except people, whose e-mail and phone are personal data: they are
served to signed-in staff only, both on their own endpoint and inside an organisation.
"""

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import permissions, serializers, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.filters import OrderingFilter
from rest_framework.pagination import PageNumberPagination

from liaison.core.concurrency import ETagMixin

from .filters import CountryFilter, NetworkFilter, OrganisationFilter, PersonFilter
from .models import Agreement, Country, Membership, Network, Organisation, Person
from .permissions import can_manage_people, can_see_some_contacts
from .readlog import ReadKind, ReadsLogged, record_reads


class ApiPagination(PageNumberPagination):
    """Pages of 50 by default; clients that sync everything may ask for up to 200 at once.

    A ``page_size`` that is not a positive whole number is a 400, as the schema says it is an
    integer: DRF would quietly serve 50 rows, and a client asking for ``page_size=all`` would
    believe it had everything. A size above 200 is still served as 200, as documented.
    """

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param)
        if raw is not None and not (raw.isascii() and raw.isdigit() and int(raw) > 0):
            raise ValidationError(
                {self.page_size_query_param: [_("Enter a whole number of at least 1.")]}
            )
        return super().get_page_size(request)


class StableOrderingFilter(OrderingFilter):
    """Always end the ordering on the primary key.

    Without a unique last key, rows that tie (two organisations of the same name) may move
    between pages from one request to the next, so a client walking the pages skips or repeats
    them.
    """

    def get_ordering(self, request, queryset, view):
        ordering = super().get_ordering(request, queryset, view)
        if not ordering:
            return ordering
        ordering = list(ordering)
        if not {"pk", "-pk", "id", "-id"} & set(ordering):
            ordering.append("-pk" if str(ordering[-1]).startswith("-") else "pk")
        return ordering


FILTER_BACKENDS = [DjangoFilterBackend, StableOrderingFilter]


class IsLiaisonStaff(permissions.BasePermission):
    message = _("Contact details are shown to signed-in staff only.")

    def has_permission(self, request, view):
        return bool(getattr(request.user, "is_liaison_staff", False))


class MaySeeContacts(permissions.BasePermission):
    """Staff, and the administrators of an institution (who then list its people only)."""

    message = _("Contact details are shown to signed-in staff only.")

    def has_permission(self, request, view):
        return can_see_some_contacts(request.user)[0]


def is_staff_request(context) -> bool:
    request = context.get("request")
    return bool(request and getattr(request.user, "is_liaison_staff", False))


# Serializers ---------------------------------------------------------------------------------


class CountrySerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:country-detail", lookup_field="code")

    class Meta:
        model = Country
        fields = ["code", "url", "name", "alpha3", "numeric", "region"]


class OrganisationBriefSerializer(serializers.ModelSerializer):
    """What another record needs to name an organisation and link to it."""

    url = serializers.HyperlinkedIdentityField(view_name="api:organisation-detail")
    country = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Organisation
        fields = ["id", "url", "name", "acronym", "country"]


class OrganisationSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:organisation-detail")
    country = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Organisation
        fields = ["id", "url", "name", "acronym", "type", "country", "parent", "website"]


class ContactSerializer(serializers.ModelSerializer):
    class Meta:
        model = Person
        fields = ["id", "name", "position", "email", "phone", "is_contact_point"]


class OrganisationDetailSerializer(OrganisationSerializer):
    # Not read_only: the schema would then list the field as always present, which it is not.
    # Nothing writes through this serializer.
    contacts = ContactSerializer(
        source="people",
        many=True,
        required=False,
        help_text=_("Contact points; only present for signed-in staff."),
    )

    class Meta(OrganisationSerializer.Meta):
        fields = [*OrganisationSerializer.Meta.fields, "description", "contacts"]

    def to_representation(self, instance):
        # Dropped here rather than in get_fields() so the published schema does not depend on
        # who asked for it.
        data = super().to_representation(instance)
        request = self.context.get("request")
        user = getattr(request, "user", None)
        if not (is_staff_request(self.context) or can_manage_people(user, instance)[0]):
            data.pop("contacts", None)
        return data


class PersonSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:person-detail")
    organisation = OrganisationBriefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = Person
        fields = [
            "id",
            "url",
            "name",
            "position",
            "organisation",
            "email",
            "phone",
            "is_contact_point",
        ]


class MembershipSerializer(serializers.ModelSerializer):
    organisation = OrganisationBriefSerializer(read_only=True)
    is_current = serializers.BooleanField(read_only=True)

    class Meta:
        model = Membership
        fields = ["organisation", "role", "start", "end", "is_current"]


class AgreementSerializer(serializers.ModelSerializer):
    class Meta:
        model = Agreement
        fields = ["id", "kind", "title", "signed_on", "signatories", "is_founding"]


class NetworkSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:network-detail")
    memberships = MembershipSerializer(many=True, read_only=True)
    agreements = AgreementSerializer(many=True, read_only=True)

    class Meta:
        model = Network
        fields = [
            "id",
            "url",
            "name",
            "acronym",
            "kind",
            "purpose",
            "website",
            "memberships",
            "agreements",
        ]


# Views ---------------------------------------------------------------------------------------


class CountryViewSet(viewsets.ReadOnlyModelViewSet):
    """ISO 3166-1 countries (and Kosovo as `XK`), looked up by their alpha-2 code.

    The codes are the values the `country` filters of the other endpoints accept.
    """

    queryset = Country.objects.all()
    serializer_class = CountrySerializer
    pagination_class = ApiPagination
    filter_backends = FILTER_BACKENDS
    filterset_class = CountryFilter
    ordering_fields = ["name", "code", "region"]
    ordering = ["name", "pk"]
    lookup_field = "code"
    lookup_value_regex = "[A-Z]{2}"


class OrganisationViewSet(ETagMixin, viewsets.ReadOnlyModelViewSet):
    """Institutions taking part in projects and networks.

    The detail adds, for signed-in staff only, the contact points with e-mail and phone. The
    networks an organisation belongs to are at `/api/networks/?organisation=<id>`.
    """

    serializer_class = OrganisationSerializer
    pagination_class = ApiPagination
    filter_backends = FILTER_BACKENDS
    filterset_class = OrganisationFilter
    ordering_fields = ["name", "acronym", "type", "id"]
    ordering = ["name", "pk"]

    def get_queryset(self):
        queryset = Organisation.objects.visible_to(self.request.user).select_related("country")
        if self.action == "retrieve" and getattr(self.request.user, "is_liaison_staff", False):
            queryset = queryset.prefetch_related("people")
        return queryset

    def get_object(self):
        organisation = super().get_object()
        if self.request.method == "GET" and getattr(self.request.user, "is_liaison_staff", False):
            # The detail's contact points (see OrganisationDetailSerializer) are personal data.
            contacts = [p for p in organisation.people.all() if p.is_contact_point]
            record_reads(
                self.request.user, contacts, ReadKind.CONTACT, path=self.request.get_full_path()
            )
        return organisation

    def get_serializer_class(self):
        if self.action == "retrieve":
            return OrganisationDetailSerializer
        return OrganisationSerializer


class PersonViewSet(ReadsLogged, ETagMixin, viewsets.ReadOnlyModelViewSet):
    """Contact points in organisations, with e-mail and phone.

    Personal data: signed-in staff read every person; an institution's administrator the
    people of their institution (another institution's are not found); anyone else, signed in
    or not, gets 403.
    """

    serializer_class = PersonSerializer
    permission_classes = [MaySeeContacts]
    read_kind = ReadKind.CONTACT
    pagination_class = ApiPagination
    filter_backends = FILTER_BACKENDS
    filterset_class = PersonFilter
    ordering_fields = ["name", "id"]
    ordering = ["name", "pk"]

    def get_queryset(self):
        return Person.objects.visible_to(self.request.user).select_related("organisation__country")


class NetworkViewSet(viewsets.ReadOnlyModelViewSet):
    """Networks of institutions, with their members over time and the agreements they rest on."""

    queryset = Network.objects.prefetch_related(
        Prefetch(
            "memberships",
            queryset=Membership.objects.select_related("organisation__country").order_by(
                "organisation__name", "pk"
            ),
        ),
        "agreements",
    )
    serializer_class = NetworkSerializer
    pagination_class = ApiPagination
    filter_backends = FILTER_BACKENDS
    filterset_class = NetworkFilter
    ordering_fields = ["name", "acronym", "kind", "id"]
    ordering = ["name", "pk"]
