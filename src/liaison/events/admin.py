from django.contrib import admin

from liaison.core.admin import AuditedAdmin

from .models import (
    Attendance,
    CalendarToken,
    Decision,
    Event,
    FollowUpAction,
    KnowledgeItem,
    Question,
    Registration,
    RegistrationForm,
    Session,
    Speaker,
    Talk,
)


class SessionInline(admin.TabularInline):
    model = Session
    extra = 0
    fields = ("title", "kind", "start", "end", "room")
    show_change_link = True


class SpeakerInline(admin.TabularInline):
    model = Speaker
    extra = 0
    fields = ("name", "position", "organisation", "affiliation", "person")
    autocomplete_fields = ("organisation", "person")


@admin.register(Event)
class EventAdmin(AuditedAdmin):
    list_display = ("title", "type", "start", "city", "country", "published")
    list_filter = ("type", "mode", "published", "country")
    search_fields = ("title", "city", "venue")
    autocomplete_fields = ("projects", "network", "parent", "country", "organisers")
    list_select_related = ("country",)
    date_hierarchy = "start"
    inlines = [SpeakerInline, SessionInline]


class TalkInline(admin.StackedInline):
    model = Talk
    extra = 0
    filter_horizontal = ("speakers",)


@admin.register(Session)
class SessionAdmin(AuditedAdmin):
    list_display = ("title", "event", "kind", "start", "end")
    list_filter = ("kind",)
    search_fields = ("title", "event__title")
    autocomplete_fields = ("event",)
    list_select_related = ("event",)
    inlines = [TalkInline]


@admin.register(Speaker)
class SpeakerAdmin(AuditedAdmin):
    list_display = ("name", "event", "organisation", "person")
    search_fields = ("name", "event__title")
    autocomplete_fields = ("event", "organisation", "country", "person")
    list_select_related = ("event", "organisation", "person")


class QuestionInline(admin.TabularInline):
    model = Question
    extra = 0


@admin.register(RegistrationForm)
class RegistrationFormAdmin(AuditedAdmin):
    list_display = ("event", "is_open", "closes_at", "capacity", "needs_approval")
    list_filter = ("is_open", "needs_approval")
    autocomplete_fields = ("event",)
    list_select_related = ("event",)
    inlines = [QuestionInline]


class AttendanceInline(admin.TabularInline):
    model = Attendance
    extra = 0
    autocomplete_fields = ("session",)
    readonly_fields = ("checked_in_at", "checked_in_by")


@admin.register(Registration)
class RegistrationAdmin(AuditedAdmin):
    list_display = ("name", "event", "status", "country", "institution_type", "created")
    list_filter = ("status", "sex", "institution_type")
    search_fields = ("name", "email", "event__title")
    autocomplete_fields = ("event", "person", "user", "organisation", "country")
    list_select_related = ("event", "country")
    readonly_fields = ("created", "erased_at")
    inlines = [AttendanceInline]


class ActionInline(admin.TabularInline):
    model = FollowUpAction
    extra = 0


@admin.register(Decision)
class DecisionAdmin(AuditedAdmin):
    list_display = ("__str__", "event")
    autocomplete_fields = ("event",)
    list_select_related = ("event",)
    inlines = [ActionInline]


@admin.register(FollowUpAction)
class FollowUpActionAdmin(AuditedAdmin):
    list_display = ("title", "event", "owner", "due", "status")
    list_filter = ("status",)
    search_fields = ("title", "owner")
    autocomplete_fields = ("event", "owner_organisation")
    list_select_related = ("event",)


@admin.register(KnowledgeItem)
class KnowledgeItemAdmin(AuditedAdmin):
    list_display = ("title", "kind", "event", "project", "published", "created")
    list_filter = ("kind", "published", "themes")
    search_fields = ("title", "body")
    autocomplete_fields = ("event", "project")
    filter_horizontal = ("themes",)
    list_select_related = ("event", "project")


@admin.register(CalendarToken)
class CalendarTokenAdmin(AuditedAdmin):
    """Deleting a row cuts off that person's calendar address; the token itself stays hidden."""

    list_display = ("user", "created")
    search_fields = ("user__username",)
    fields = ("user", "created")
    readonly_fields = ("user", "created")

    def has_add_permission(self, request):
        return False
