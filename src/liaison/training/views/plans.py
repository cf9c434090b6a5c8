"""Pages of the training centre: training plans, their needs, targets and progress.

Plans are not public: staff, the centre's staff and the focal points of the institutions a plan
concerns read it; the centre's staff edit it.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import permissions
from ..forms.plans import NeedForm, PlanForm, TargetForm
from ..models import PlanTarget, TrainingCentre, TrainingNeed, TrainingPlan
from ..services import TrainingError
from ..services import plans as services
from . import refused

PLANS_PER_PAGE = 25

PARTS = {
    "needs": (TrainingNeed, NeedForm),
    "targets": (PlanTarget, TargetForm),
}


def _posted(request):
    return request.POST if request.method == "POST" else None


def _plans(request):
    return TrainingPlan.objects.visible_to(request.user).select_related(
        "centre", "organisation", "network"
    )


def _visible_plan(request, pk):
    return get_object_or_404(
        TrainingPlan.objects.visible_to(request.user).select_related(
            "centre", "organisation", "network"
        ),
        pk=pk,
    )


def _managed_plan(request, pk):
    plan = _visible_plan(request, pk)
    allowed, why = permissions.can_manage_plan(request.user, plan)
    if not allowed:
        raise PermissionDenied(why)
    return plan


@login_required
def plan_list(request):
    plans = (
        TrainingPlan.objects.visible_to(request.user)
        .select_related("centre", "organisation", "network")
        .order_by("-starts_on", "title")
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "training/plans/plan_list.html",
        {
            "page": Paginator(plans, PLANS_PER_PAGE).get_page(request.GET.get("page")),
            "query": query.urlencode(),
            "managed_centres": TrainingCentre.objects.managed_by(request.user),
        },
    )


@login_required
def plan_detail(request, pk):
    plan = _visible_plan(request, pk)
    return render(
        request,
        "training/plans/plan_detail.html",
        {
            "plan": plan,
            "needs": plan.needs.select_related("competency_area").order_by("priority", "pk"),
            "progress": services.progress(plan),
            "courses": plan.courses.order_by("starts_on", "pk"),
            "can_manage": permissions.can_manage_plan(request.user, plan)[0],
        },
    )


@login_required
def plan_create(request):
    centre_pk = request.GET.get("centre", "")
    if not centre_pk.isdigit():
        raise Http404
    centre = get_object_or_404(TrainingCentre, pk=centre_pk)
    allowed, why = permissions.can_manage_centre(request.user, centre)
    if not allowed:
        raise PermissionDenied(why)
    form = PlanForm(_posted(request), centre=centre)
    return _save_plan(request, form, centre, None)


@login_required
def plan_edit(request, pk):
    plan = _managed_plan(request, pk)
    form = PlanForm(_posted(request), instance=plan, centre=plan.centre)
    return _save_plan(request, form, plan.centre, plan)


def _save_plan(request, form, centre, plan):
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.save_plan(request.user, form.instance, form.cleaned_data)
        except (TrainingError, ValidationError) as error:
            refused(form, error)
        else:
            messages.success(request, _("The plan was saved."))
            return redirect(saved)
    return render(
        request, "training/plans/plan_form.html", {"form": form, "centre": centre, "plan": plan}
    )


def _part(plan, kind, part_pk):
    if kind not in PARTS:
        raise Http404
    model, form_class = PARTS[kind]
    instance = None
    if part_pk is not None:
        instance = get_object_or_404(model.objects.filter(plan=plan), pk=part_pk)
    return model, form_class, instance


@login_required
def plan_part_edit(request, pk, kind, part_pk=None):
    """Add or change a need or a target of the plan."""
    plan = _managed_plan(request, pk)
    model, form_class, instance = _part(plan, kind, part_pk)
    form = form_class(_posted(request), instance=instance, plan=plan)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_part(request.user, plan, form.instance)
        except (TrainingError, ValidationError) as error:
            refused(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect(plan)
    return render(
        request,
        "training/plans/part_form.html",
        {
            "plan": plan,
            "form": form,
            "title": model._meta.verbose_name,
            "instance": instance,
            "delete_url": reverse("training:plan_part_delete", args=[plan.pk, kind, instance.pk])
            if instance
            else "",
        },
    )


@login_required
@require_POST
def plan_part_delete(request, pk, kind, part_pk):
    plan = _managed_plan(request, pk)
    _model, _form, instance = _part(plan, kind, part_pk)
    services.delete_part(request.user, plan, instance)
    messages.success(request, _("Removed."))
    return redirect(plan)
