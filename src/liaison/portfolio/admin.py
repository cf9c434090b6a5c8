from django.contrib import admin

from liaison.core.admin import AuditedAdmin

from .models import (
    Component,
    Facility,
    FundingLine,
    Instrument,
    Participation,
    Project,
    Theme,
    Typology,
)


@admin.register(Facility)
class FacilityAdmin(AuditedAdmin):
    list_display = ("name", "acronym", "managed_by")
    search_fields = ("name", "acronym")
    autocomplete_fields = ("managed_by",)


@admin.register(Instrument)
class InstrumentAdmin(AuditedAdmin):
    list_display = ("code", "name", "order")


@admin.register(Theme, Typology)
class CodeListAdmin(AuditedAdmin):
    list_display = ("code", "name")


class FundingLineInline(admin.TabularInline):
    model = FundingLine
    extra = 0


class ParticipationInline(admin.TabularInline):
    model = Participation
    extra = 0
    autocomplete_fields = ("organisation",)


class ComponentInline(admin.StackedInline):
    model = Component
    extra = 0


@admin.register(Project)
class ProjectAdmin(AuditedAdmin):
    list_display = ("title", "acronym", "reference", "start", "end", "visibility", "total_budget")
    list_filter = ("visibility", "facility", "typologies", "themes")
    search_fields = ("title", "acronym", "reference")
    autocomplete_fields = ("countries", "managers", "team", "facility")
    filter_horizontal = ("themes", "typologies")
    list_select_related = ("facility",)
    date_hierarchy = "start"
    inlines = [FundingLineInline, ParticipationInline, ComponentInline]


@admin.register(Participation)
class ParticipationAdmin(AuditedAdmin):
    list_display = ("project", "organisation", "role")
    list_filter = ("role",)
    autocomplete_fields = ("project", "organisation")
    list_select_related = ("project", "organisation")


@admin.register(FundingLine)
class FundingLineAdmin(AuditedAdmin):
    list_display = ("project", "instrument", "eu_contribution", "co_financing")
    list_filter = ("instrument",)
    autocomplete_fields = ("project",)
    list_select_related = ("project", "instrument")


@admin.register(Component)
class ComponentAdmin(AuditedAdmin):
    list_display = ("project", "order", "title")
    autocomplete_fields = ("project",)
    list_select_related = ("project",)
