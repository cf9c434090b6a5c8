"""Factsheet uploads, their reading in the background, and the review that imports a draft.

Only the secretariat and project managers import; a batch and its files are seen by the person
who uploaded them and by the secretariat (404 for anyone else, as for a draft project).
"""

from collections import Counter
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST

from liaison.portfolio.permissions import can_edit_project

from . import services
from .forms import DraftForm, OrganisationFormSet, UploadForm, organisations_of
from .highlight import highlight
from .known import find_known
from .models import Factsheet, FactsheetStatus, ImportBatch

# The extracted fields a reviewer sees marked in the text, in the order of the form.
HIGHLIGHTED = {
    "title": gettext_lazy("Title"),
    "acronym": gettext_lazy("Acronym"),
    "reference": gettext_lazy("Reference"),
    "start_date": gettext_lazy("Start date"),
    "end_date": gettext_lazy("End date"),
    "budget": gettext_lazy("Total budget"),
    "funding_sources": gettext_lazy("Funding sources"),
    "countries": gettext_lazy("Countries"),
    "organisations": gettext_lazy("Organisations"),
    "activity_types": gettext_lazy("Activity types"),
}
BATCHES_PER_PAGE = 20


def importers_only(view):
    """Sign-in first; then only those who may upload factsheets, others get 403."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not services.can_upload(request.user):
            raise PermissionDenied(
                _("Only the secretariat and project managers import factsheets.")
            )
        return view(request, *args, **kwargs)

    return wrapper


def _reason(error: services.ImportRefused | str) -> str:
    return capfirst(str(error).rstrip("."))


# What a multipart upload adds around its files: boundaries, part headers, the CSRF token.
UPLOAD_FRAMING = 1024 * 1024


@csrf_exempt
@importers_only
def imports(request):
    """The upload form and the batches uploaded so far, newest first.

    An upload whose declared length is over the batch limit is refused here, before Django reads
    the body and spools its files to disk; the CSRF check (which reads the body) comes after,
    and a refusal that changes nothing needs no token. The form checks the exact total again.
    """
    if request.method == "POST":
        try:
            declared = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            declared = 0
        refusal = services.batch_too_large(max(declared - UPLOAD_FRAMING, 0))
        if refusal:
            form = UploadForm()
            return _imports_page(request, form, status=413, refusal=_reason(refusal))
    return _upload(request)


@csrf_protect
def _upload(request):
    posted = request.method == "POST"
    form = UploadForm(request.POST, request.FILES) if posted else UploadForm()
    if posted and form.is_valid():
        try:
            batch = services.upload_factsheets(request.user, form.contents())
        except services.ImportRefused as error:
            form.add_error(None, _reason(error))
        else:
            count = len(form.cleaned_data["files"])
            messages.success(
                request,
                ngettext(
                    "%(count)d file was uploaded and is being read.",
                    "%(count)d files were uploaded and are being read.",
                    count,
                )
                % {"count": count},
            )
            return redirect(batch)
    return _imports_page(request, form)


def _imports_page(request, form, status=200, refusal=""):
    per_status = {
        f"count_{status}": Count("factsheets", filter=Q(factsheets__status=status))
        for status in FactsheetStatus.values
    }
    batches = (
        ImportBatch.objects.visible_to(request.user)
        .select_related("uploaded_by")
        .annotate(count_total=Count("factsheets"), **per_status)
        .order_by("-created", "-pk")
    )
    return render(
        request,
        "ingest/imports.html",
        {
            "form": form,
            "page": Paginator(batches, BATCHES_PER_PAGE).get_page(request.GET.get("page")),
            "query": "",
            "statuses": FactsheetStatus,
            "refusal": refusal,
        },
        status=status,
    )


@importers_only
def batch(request, pk):
    """The files of one upload; while some are still being read, htmx refreshes the table."""
    batch = get_object_or_404(
        ImportBatch.objects.visible_to(request.user).select_related("uploaded_by"), pk=pk
    )
    factsheets = list(batch.factsheets.select_related("project").defer("content", "text"))
    counts = Counter(factsheet.status for factsheet in factsheets)
    total = len(factsheets)
    context = {
        "batch": batch,
        "factsheets": factsheets,
        "counts": {status: counts[status] for status in FactsheetStatus.values},
        "total": total,
        "read": total - counts[FactsheetStatus.QUEUED],
        "polling": counts[FactsheetStatus.QUEUED] > 0,
    }
    template = "ingest/_batch_status.html" if request.htmx else "ingest/batch.html"
    response = render(request, template, context)
    # The same URL answers with a fragment or a whole page; caches must keep them apart.
    patch_vary_headers(response, ["HX-Request"])
    return response


def _factsheet(request, pk) -> Factsheet:
    visible = ImportBatch.objects.visible_to(request.user)
    return get_object_or_404(
        Factsheet.objects.filter(batch__in=visible)
        .select_related("batch__uploaded_by", "project", "reviewed_by")
        .defer("content"),
        pk=pk,
    )


@importers_only
def review(request, pk):
    """The document's text beside its draft; confirming puts the corrected draft into the portfolio.

    Nothing reaches the portfolio before this POST, and a refusal saves nothing.
    """
    factsheet = _factsheet(request, pk)
    if factsheet.status != FactsheetStatus.READY:
        if request.method == "POST":
            messages.error(
                request,
                _("This factsheet is no longer waiting for review; nothing was changed."),
            )
            return redirect(factsheet)
        return render(request, "ingest/review.html", _document(factsheet))

    extracted = factsheet.extracted or {}
    data = request.POST if request.method == "POST" else None
    form = DraftForm(data, initial=DraftForm.initial_from(extracted))
    organisations = OrganisationFormSet(
        data,
        initial=[
            {"name": row.get("name", ""), "role": row.get("role", "")}
            for row in extracted.get("organisations") or []
            if isinstance(row, dict)
        ],
        prefix="organisations",
    )
    draft = None
    if data is not None and form.is_valid() and organisations.is_valid():
        draft = services.Draft.from_extracted(form.contract(organisations_of(organisations)))
        try:
            outcome = services.confirm_factsheet(request.user, factsheet, draft)
        except services.ImportRefused as error:
            form.add_error(None, _("Nothing was saved: %(reason)s.") % {"reason": error})
        else:
            _report(request, outcome)
            return redirect(outcome.project)
    context = _document(factsheet)
    context.update(
        {
            "form": form,
            "organisations": organisations,
            **_preview(request.user, draft or services.Draft.from_extracted(extracted)),
            "organisation_rows": _organisation_rows(organisations),
        }
    )
    return render(request, "ingest/review.html", context)


def _document(factsheet: Factsheet) -> dict:
    """The text with its highlights; a long document shows its beginning only, and says so.

    Escaping and marking a whole book would make a page of tens of megabytes; the fields are in
    the draft form whatever the length, and those found further on are simply not marked.
    """
    limit = settings.INGEST_REVIEW_CHARS
    shown = factsheet.text[:limit]
    text, first = highlight(shown, (factsheet.extracted or {}).get("provenance"), HIGHLIGHTED)
    return {
        "factsheet": factsheet,
        "highlighted": text,
        "found": first,
        "legend": [(key, label) for key, label in HIGHLIGHTED.items() if key in first],
        "shown_chars": len(shown),
        "total_chars": len(factsheet.text),
    }


def _preview(user, draft: services.Draft) -> dict:
    """What confirming would do to the portfolio, as it stands now."""
    project, how = services.find_existing_project(draft)
    allowed, why = can_edit_project(user, project) if project else (True, "")
    return {"existing": project, "matched_by": how, "may_update": allowed, "why_not": why}


def _organisation_rows(formset) -> list:
    """Each row of the organisations formset with the directory entry its name matches."""
    directory = services.Directory()
    names = {pk: name for pk, name, _acronym in directory.rows}
    rows = []
    for form in formset:
        name = (form["name"].value() or "").strip()
        pk = directory.match(name) if name else None
        match = {"name": names[pk], "url": reverse("web:organisation", args=[pk])} if pk else None
        known = find_known(name) if name and not pk else None
        if known is not None:
            match = {"name": known.name, "url": None}
        rows.append((form, name, match))
    return rows


def _report(request, outcome: services.Outcome) -> None:
    if outcome.created:
        message = _("“%(project)s” was added to the portfolio as a draft project.")
    else:
        message = _("“%(project)s” was updated (%(how)s).")
    messages.success(request, message % {"project": outcome.project, "how": outcome.matched_by})
    if outcome.new_organisations:
        messages.info(
            request,
            _("New in the directory and flagged for review: %(names)s.")
            % {"names": ", ".join(outcome.new_organisations)},
        )
    for note in outcome.notes:
        messages.warning(request, note)


@require_POST
@importers_only
def discard(request, pk):
    factsheet = _factsheet(request, pk)
    try:
        services.discard_factsheet(request.user, factsheet)
    except services.ImportRefused as error:
        messages.error(request, _("Not discarded: %(reason)s.") % {"reason": error})
        return redirect(factsheet)
    messages.success(
        request,
        _("“%(name)s” was discarded; nothing from it reached the portfolio.")
        % {"name": factsheet.name},
    )
    return redirect(factsheet.batch)
