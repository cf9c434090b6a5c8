from django.contrib import admin

from liaison.core.admin import AuditedAdmin
from liaison.core.concurrency import VersionedAdminForm

from .models import (
    Affiliation,
    Agreement,
    Country,
    Membership,
    Network,
    NetworkAffiliation,
    Organisation,
    Person,
)


@admin.register(Country)
class CountryAdmin(AuditedAdmin):
    list_display = ("code", "name", "region")
    list_filter = ("region",)
    search_fields = ("code", "name")


@admin.register(Organisation)
class OrganisationAdmin(AuditedAdmin):
    form = VersionedAdminForm  # refuses a save over someone else's newer change
    list_display = ("name", "acronym", "type", "country", "parent")
    list_filter = ("type", "country__region")
    search_fields = ("name", "acronym")
    autocomplete_fields = ("country", "parent")
    list_select_related = ("country", "parent")


class AffiliationInline(admin.TabularInline):
    """A person's memberships of organisations: what their scoped permissions ask."""

    model = Affiliation
    extra = 0
    autocomplete_fields = ("organisation",)


class NetworkAffiliationInline(admin.TabularInline):
    model = NetworkAffiliation
    extra = 0
    autocomplete_fields = ("network",)


@admin.register(Person)
class PersonAdmin(AuditedAdmin):
    form = VersionedAdminForm
    list_display = ("name", "position", "organisation", "email")
    search_fields = ("name", "email", "organisation__name")
    autocomplete_fields = ("organisation", "user")
    list_select_related = ("organisation",)
    inlines = [AffiliationInline, NetworkAffiliationInline]


class AgreementInline(admin.TabularInline):
    model = Agreement
    extra = 0


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ("organisation",)


@admin.register(Network)
class NetworkAdmin(AuditedAdmin):
    list_display = ("name", "acronym", "kind")
    list_filter = ("kind",)
    search_fields = ("name", "acronym")
    inlines = [AgreementInline, MembershipInline]


@admin.register(Membership)
class MembershipAdmin(AuditedAdmin):
    list_display = ("organisation", "network", "role", "start", "end")
    list_filter = ("role", "network")
    autocomplete_fields = ("organisation", "network")
    list_select_related = ("organisation", "network")


@admin.register(Agreement)
class AgreementAdmin(AuditedAdmin):
    list_display = ("network", "kind", "title", "signed_on")
    list_filter = ("kind",)
