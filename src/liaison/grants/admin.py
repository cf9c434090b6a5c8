"""The admin: calls with their lots and exchange rates; applications to look at.

Applications change only through their pages (services check the deadline and the rules); the
admin shows them read-only so the secretariat can look something up.
"""

from django import forms
from django.contrib import admin
from django.core.files.uploadedfile import UploadedFile

from liaison.core.admin import AuditedAdmin

from . import documents
from .models import (
    Application,
    Call,
    CallDocument,
    Criterion,
    EligibilityCheck,
    ExchangeRate,
    Lot,
    Partner,
)


class LotInline(admin.StackedInline):
    model = Lot
    extra = 0
    filter_horizontal = ["instruments"]


class ExchangeRateInline(admin.TabularInline):
    model = ExchangeRate
    extra = 0


class EligibilityCheckInline(admin.TabularInline):
    """The call's admissibility checklist, answered per application on its eligibility page."""

    model = EligibilityCheck
    extra = 0
    fields = ["order", "text"]


class CriterionInline(admin.TabularInline):
    """The call's evaluation grid: each criterion's weight, score range and minimum to pass."""

    model = Criterion
    extra = 0
    fields = ["order", "title", "guidance", "weight", "min_score", "max_score", "threshold"]


class CallDocumentForm(forms.ModelForm):
    """A call document is checked by its content and size before it is stored (documents.py)."""

    class Meta:
        model = CallDocument
        fields = ["title", "file"]
        widgets = {"file": forms.ClearableFileInput(attrs={"accept": documents.ACCEPT})}

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if isinstance(upload, UploadedFile):
            kind = documents.kind_of(upload)
            upload.name = documents.stored_name(upload, kind, self.cleaned_data.get("title", ""))
        return upload


class CallDocumentInline(admin.TabularInline):
    """Guidelines and templates, served to the call's readers by grants:call_document only."""

    model = CallDocument
    form = CallDocumentForm
    extra = 0
    fields = ["title", "file", "uploaded_at"]
    readonly_fields = ["uploaded_at"]


@admin.register(Call)
class CallAdmin(AuditedAdmin):
    list_display = ["reference", "title", "facility", "opens_at", "closes_at", "published"]
    list_filter = ["published", "facility"]
    search_fields = ["reference", "title"]
    filter_horizontal = ["lead_countries", "partner_countries", "reviewers"]
    inlines = [
        LotInline,
        ExchangeRateInline,
        EligibilityCheckInline,
        CriterionInline,
        CallDocumentInline,
    ]


class PartnerInline(admin.TabularInline):
    model = Partner
    extra = 0
    fields = ["organisation", "role", "contact", "currency", "co_financing"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Application)
class ApplicationAdmin(AuditedAdmin):
    list_display = ["__str__", "call", "lot", "lead", "status", "submitted_at"]
    list_filter = ["status", "call"]
    search_fields = ["title", "acronym", "lead__name"]
    list_select_related = ["call", "lot", "lead"]
    inlines = [PartnerInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
