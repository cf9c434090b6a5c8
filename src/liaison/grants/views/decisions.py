"""A lot's ranking and the committee's decision, the decision letter, the award that makes a
project, and the public list of awarded grants.

The ranking exists only for the facility's staff: anybody else gets a 404, so a consortium
never learns that a lot is being ranked, let alone its competitors' scores. Applications are
found through ``Application.objects.visible_to`` (404 for others); on a record they may read,
a refusal is a 403 with the reason. Every change goes through ``grants.award``, which asks
``permissions`` again.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from liaison.core.permissions import require

from .. import award as steps
from .. import exports, permissions
from ..letter import letter_pdf
from ..models import Application, ApplicationStatus, Call, Lot
from ..ranking import ranking_of

PER_PAGE = 50


class DecisionForm(forms.Form):
    reasons = forms.CharField(
        label=gettext_lazy("The committee's reasons"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=gettext_lazy(
            "Kept with the decision and in the history of every application of the lot; "
            "applicants do not read them."
        ),
    )


def _lot(request, reference, number) -> Lot:
    if not permissions.can_read_ranking(request.user)[0]:
        raise Http404(_("No such lot."))
    call = get_object_or_404(Call.objects.visible_to(request.user), reference=reference)
    return get_object_or_404(Lot.objects.select_related("call"), call=call, number=number)


def _application(request, pk) -> Application:
    return get_object_or_404(
        Application.objects.visible_to(request.user).select_related("call", "lot", "created_by"),
        pk=pk,
    )


def _ranking_page(request, lot, form=None):
    ranking = ranking_of(lot)
    can_decide = permissions.can_decide(request.user)[0] and ranking.decision is None
    return render(
        request,
        "grants/ranking.html",
        {
            "lot": lot,
            "call": lot.call,
            "ranking": ranking,
            "form": (form or DecisionForm()) if can_decide else None,
            "may_decide": can_decide and not ranking.unscored and bool(ranking.rows),
            "decided_at": ranking.decision and lot.call.local(ranking.decision.decided_at),
        },
    )


@login_required
def ranking(request, reference, number):
    """The lot's applications in the order the committee would fund them (staff)."""
    return _ranking_page(request, _lot(request, reference, number))


@login_required
@require_POST
def decide(request, reference, number):
    lot = _lot(request, reference, number)
    require(permissions.can_decide(request.user))
    form = DecisionForm(request.POST)
    if form.is_valid():
        try:
            steps.decide(request.user, lot, form.cleaned_data["reasons"])
        except ValidationError as error:
            # A rule of the lot (decided already, scores missing): said above the ranking,
            # which may no longer show the form.
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(
                request,
                _("The decision on %(lot)s is recorded; the applicants' letters are on their way.")
                % {"lot": lot},
            )
            return redirect("grants:ranking", lot.call.reference, lot.number)
    return _ranking_page(request, lot, form)


@login_required
def letter(request, pk):
    application = _application(request, pk)
    require(permissions.can_read_letter(request.user, application))
    facts = steps.letter_facts(application)
    if facts is None:
        raise Http404(_("No decision has been taken on this application yet."))
    response = HttpResponse(letter_pdf(application, facts), content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(
        False, f"{application.reference}-decision.pdf"
    )
    return response


@login_required
@require_POST
def award(request, pk):
    application = _application(request, pk)
    require(permissions.can_award(request.user))
    try:
        project = steps.award(request.user, application)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect(application)
    messages.success(
        request,
        _("%(reference)s is now a draft project; complete it once the agreement is signed.")
        % {"reference": application.reference},
    )
    return redirect(project)


def awards(request):
    """The grants awarded, public like the calls they come from."""
    page = Paginator(steps.awarded(), PER_PAGE).get_page(request.GET.get("page"))
    for outcome in page:
        outcome.partners = steps.partners_of(outcome)
    return render(request, "grants/awards.html", {"page": page})


def awards_csv(request):
    return exports.csv_response(steps.awarded(), "awarded-grants")


def awards_xlsx(request):
    return exports.xlsx_response(steps.awarded(), "awarded-grants")


def panel(request, application) -> dict:
    """What the application page shows of this step, for this reader ({} for nothing): the
    staff see the way to the lot's ranking, the outcome and, for the secretariat, the award or
    the project it made; the applicant sees the outcome, the score, the evaluation's shared
    comment and the letter once the lot is decided."""
    user = request.user
    status = application.status
    if status not in steps.DECIDED and status != ApplicationStatus.UNDER_REVIEW:
        return {}
    facts = steps.letter_facts(application) if status in steps.DECIDED else None
    if permissions.can_read_ranking(user)[0]:
        lot = application.lot
        return {
            "staff": True,
            "facts": facts,
            "ranking_url": reverse("grants:ranking", args=[application.call.reference, lot.number]),
            "can_award": permissions.can_award(user)[0]
            and status == ApplicationStatus.SELECTED
            and application.project_id is None,
            "project": application.project,
        }
    if facts is not None and permissions.can_read_letter(user, application)[0]:
        return {"applicant": True, "facts": facts}
    return {}
