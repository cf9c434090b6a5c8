"""Pages of the training centre: the catalogue of modules and the centres that own them.

The published catalogue is public, as the training catalogues of EU agencies are; drafts are
shown to the staff of the centre that writes them.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from liaison.core.concurrency import Conflict

from .. import permissions
from ..filters import ModuleFilter
from ..forms.catalogue import ModuleForm, TranslationForm, VersionForm
from ..models import Accreditation, Course, DeliveryMode, Module, ModuleTranslation, TrainingCentre
from ..services import TrainingError, require
from ..services import catalogue as services

MODULES_PER_PAGE = 25


def module_list(request):
    """The catalogue, filtered in the database; the URL carries the filters."""
    modules = Module.objects.visible_to(request.user).for_list()
    filterset = ModuleFilter(request.GET or None, queryset=modules)
    results = filterset.qs if not filterset.is_bound or filterset.is_valid() else modules.none()
    page = Paginator(results, MODULES_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    template = (
        "training/catalogue/_module_results.html"
        if request.htmx
        else "training/catalogue/module_list.html"
    )
    response = render(
        request,
        template,
        {
            "filter": filterset,
            "page": page,
            "query": query.urlencode(),
            "today": timezone.localdate(),
            "centres": TrainingCentre.objects.managed_by(request.user),
        },
    )
    patch_vary_headers(response, ["HX-Request"])
    return response


def module_detail(request, pk):
    module = get_object_or_404(
        Module.objects.visible_to(request.user)
        .select_related("centre", "centre__network")
        .prefetch_related("competency_areas", "translations"),
        pk=pk,
    )
    language = request.GET.get("lang", "")
    text = module.translated(language) if language else module
    courses = (
        Course.objects.visible_to(request.user)
        .filter(modules=module)
        .select_related("centre")
        .order_by("-starts_on")[:20]
    )
    can_edit = permissions.can_edit_module(request.user, module)[0]
    can_learn = permissions.can_learn(request.user, module)[0]
    context = {
        "module": module,
        "text": text,
        "language": language,
        "accreditation_today": Accreditation(module.accreditation_on(timezone.localdate())),
        "courses": courses,
        "delivery_modes": [DeliveryMode(mode).label for mode in module.delivery_modes],
        "versions": module.versions.select_related("created_by"),
        "can_edit": can_edit,
        "can_learn": can_learn,
        "version_form": VersionForm(module=module) if can_edit else None,
    }
    context.update(_lessons_context(request.user, module, can_learn))
    return render(request, "training/catalogue/module_detail.html", context)


def _lessons_context(user, module, can_learn) -> dict:
    """The module's lessons with the learner's progress; the content area provides it."""
    if not can_learn:
        return {}
    try:
        from ..services.content import lessons_for
    except ImportError:
        return {}
    return {"lessons": lessons_for(user, module)}


@login_required
def module_create(request):
    centre = get_object_or_404(TrainingCentre, pk=request.GET.get("centre") or 0)
    require(permissions.can_manage_centre(request.user, centre))
    form = ModuleForm(request.POST or None, centre=centre)
    if request.method == "POST" and form.is_valid():
        module = services.save_module(request.user, form, form.cleaned_data.get("reason", ""))
        messages.success(request, _("Module saved."))
        return redirect(module)
    return render(request, "training/catalogue/module_form.html", {"form": form, "centre": centre})


@login_required
def module_edit(request, pk):
    module = get_object_or_404(Module.objects.select_related("centre"), pk=pk)
    require(permissions.can_edit_module(request.user, module))
    form = ModuleForm(request.POST or None, instance=module)
    if request.method == "POST" and form.is_valid():
        try:
            with form.unchanged():
                services.save_module(request.user, form, form.cleaned_data.get("reason", ""))
        except Conflict as conflict:
            form.add_error(None, conflict)
        else:
            messages.success(request, _("Module saved."))
            return redirect(module)
    return render(
        request,
        "training/catalogue/module_form.html",
        {"form": form, "module": module, "centre": module.centre},
    )


@login_required
@require_POST
def module_version(request, pk):
    module = get_object_or_404(Module.objects.select_related("centre"), pk=pk)
    require(permissions.can_edit_module(request.user, module))
    form = VersionForm(request.POST, module=module)
    if form.is_valid():
        try:
            services.issue_version(
                request.user, module, form.cleaned_data["version"], form.cleaned_data["changes"]
            )
        except TrainingError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Version %(version)s issued.") % form.cleaned_data)
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return redirect(module)


@login_required
def translation_edit(request, pk, translation_pk=None):
    module = get_object_or_404(Module.objects.select_related("centre"), pk=pk)
    require(permissions.can_edit_module(request.user, module))
    translation = None
    if translation_pk is not None:
        translation = get_object_or_404(ModuleTranslation, pk=translation_pk, module=module)
    form = TranslationForm(request.POST or None, instance=translation, module=module)
    if request.method == "POST" and form.is_valid():
        services.save_translation(request.user, form)
        messages.success(request, _("Translation saved."))
        return redirect(module)
    return render(
        request,
        "training/catalogue/translation_form.html",
        {"form": form, "module": module, "translation": translation},
    )


def centre_list(request):
    centres = TrainingCentre.objects.select_related("organisation", "network").annotate(
        module_count=Count("modules", filter=Q(modules__published=True), distinct=True),
        course_count=Count("courses", distinct=True),
    )
    return render(request, "training/catalogue/centre_list.html", {"centres": centres})


def centre_detail(request, pk):
    centre = get_object_or_404(
        TrainingCentre.objects.select_related("organisation", "network"), pk=pk
    )
    modules = Module.objects.visible_to(request.user).filter(centre=centre).for_list()
    shared = (
        Module.objects.visible_to(request.user)
        .available_to(centre)
        .exclude(centre=centre)
        .select_related("centre")
    )
    courses = (
        Course.objects.visible_to(request.user).filter(centre=centre).order_by("-starts_on")[:10]
    )
    return render(
        request,
        "training/catalogue/centre_detail.html",
        {
            "centre": centre,
            "modules": modules,
            "shared": shared,
            "courses": courses,
            "can_manage": permissions.can_manage_centre(request.user, centre)[0],
        },
    )
