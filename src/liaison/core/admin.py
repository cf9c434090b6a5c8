from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from . import audit
from .models import AuditEntry, User
from .tokens import PersonalAccessToken

# Only the secretariat (or a superuser) opens the admin; other roles use the pages.
admin.site.has_permission = lambda request: bool(
    request.user.is_active and getattr(request.user, "is_secretariat", False)
)
admin.site.site_header = _("Liaison administration")
admin.site.site_title = _("Liaison")


class AuditedAdminMixin:
    """Admin saves write the same audit entry as the services: action, old and new values.

    The admin is a second door to every record; without this, a budget or a role changed there
    would leave no trace but Django's own log, which keeps no values. The snapshot is taken
    from the database before the save and again after ``save_related`` (many-to-many fields
    and inline rows included), so one entry covers everything one admin save changed. Actions
    are named like the services' (``project.updated``) so the log reads the same whatever the
    door. ``audit_exclude`` names fields never worth recording for a model.
    """

    audit_exclude = ()
    _audit_key = "_liaison_audit_before"

    def audit_snapshot(self, obj) -> dict:
        related = [_reverse_accessor(self.model, inline) for inline in self.inlines]
        return audit.snapshot(obj, exclude=self.audit_exclude, related=[r for r in related if r])

    def audit_action(self, obj, what: str) -> str:
        return f"{obj._meta.model_name}.{what}"

    def save_model(self, request, obj, form, change):
        before = {}
        if change and obj.pk:
            before = self.audit_snapshot(type(obj)._base_manager.get(pk=obj.pk))
        setattr(request, self._audit_key, before)
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        obj = form.instance
        changes = audit.diff(getattr(request, self._audit_key, {}), self.audit_snapshot(obj))
        if changes or not change:
            action = self.audit_action(obj, "updated" if change else "created")
            audit.record(request.user, action, obj, changes)

    def delete_model(self, request, obj):
        audit.record(
            request.user,
            self.audit_action(obj, "deleted"),
            obj,
            audit.removed(self.audit_snapshot(obj)),
        )
        super().delete_model(request, obj)

    @transaction.atomic
    def delete_queryset(self, request, queryset):
        for obj in queryset:
            audit.record(
                request.user,
                self.audit_action(obj, "deleted"),
                obj,
                audit.removed(self.audit_snapshot(obj)),
            )
        super().delete_queryset(request, queryset)


class AuditedAdmin(AuditedAdminMixin, admin.ModelAdmin):
    """The ModelAdmin every app's admin of a domain model starts from."""


def _reverse_accessor(parent, inline) -> str | None:
    """The name by which ``parent`` reaches the rows of an inline (``funding_lines``)."""
    for field in inline.model._meta.fields:
        named = inline.fk_name is None or field.name == inline.fk_name
        if field.is_relation and field.related_model is parent and named:
            return field.remote_field.get_accessor_name()
    return None


@admin.register(User)
class UserAdmin(AuditedAdminMixin, BaseUserAdmin):
    fieldsets = (*BaseUserAdmin.fieldsets, (_("Liaison"), {"fields": ("role",)}))
    list_display = ("username", "email", "first_name", "last_name", "role", "is_active")
    list_filter = ("role", "is_active", "is_superuser")


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ("at", "actor", "action", "object_type", "object_repr")
    list_filter = ("action", "object_type")
    search_fields = ("object_repr", "reason")
    list_select_related = ("actor",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(PersonalAccessToken)
class PersonalAccessTokenAdmin(admin.ModelAdmin):
    """Which tokens exist and whether they are used; only their owners make or revoke them,
    and only a hash of each secret is stored, so there is nothing here to copy."""

    list_display = ("name", "owner", "prefix", "scope", "created", "expires_at", "last_used_at")
    list_filter = ("scope",)
    search_fields = ("name", "owner__username", "prefix")
    list_select_related = ("owner",)
    exclude = ("secret_hash",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
