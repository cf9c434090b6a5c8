"""The secretariat's eligibility check of a submitted application, its clarifications, and the
applicant's answer.

Pages find the application through ``Application.objects.visible_to`` (another consortium gets
a 404); the eligibility page is the facility's staff's, so the consortium gets a 403 with the
reason there. Every change goes through ``grants.eligibility``, which asks ``permissions`` again.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from liaison.core.models import AuditEntry
from liaison.core.permissions import require

from .. import eligibility as steps
from .. import permissions
from ..models import Application, ApplicationStatus
from . import attempt

DECIDED = {
    ApplicationStatus.UNDER_REVIEW,
    ApplicationStatus.SELECTED,
    ApplicationStatus.RESERVE,
    ApplicationStatus.REJECTED,
}


class ChecklistForm(forms.Form):
    """One yes/no/not-yet choice and one reason per line of the call's checklist."""

    CHOICES = [
        ("", gettext_lazy("Not checked yet")),
        ("yes", gettext_lazy("Met")),
        ("no", gettext_lazy("Not met")),
    ]
    VALUES = {"": None, "yes": True, "no": False}

    def __init__(self, *args, rows, **kwargs):
        super().__init__(*args, **kwargs)
        self.checks = [check for check, _answer in rows]
        for check, answer in rows:
            self.fields[f"passed_{check.pk}"] = forms.ChoiceField(
                label=check.text,
                choices=self.CHOICES,
                required=False,
                widget=forms.RadioSelect,
                initial="" if answer is None else ("yes" if answer.passed else "no"),
            )
            self.fields[f"note_{check.pk}"] = forms.CharField(
                label=gettext_lazy("Reason"),
                max_length=steps.NOTE_LENGTH,
                required=False,
                initial=answer.note if answer else "",
            )

    def clean(self):
        data = super().clean()
        for check in self.checks:
            if data.get(f"passed_{check.pk}") == "no" and not data.get(f"note_{check.pk}"):
                self.add_error(f"note_{check.pk}", _("Say why it is not met."))
        return data

    def rows(self):
        return [
            (check, self[f"passed_{check.pk}"], self[f"note_{check.pk}"]) for check in self.checks
        ]

    def answers(self) -> dict:
        data = self.cleaned_data
        return {
            check.pk: (self.VALUES[data[f"passed_{check.pk}"]], data[f"note_{check.pk}"])
            for check in self.checks
        }


class IneligibleForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reasons, as the applicant will read them"),
        widget=forms.Textarea(attrs={"rows": 5}),
    )


class ClarificationForm(forms.Form):
    message = forms.CharField(
        label=gettext_lazy("Question to the applicant"), widget=forms.Textarea(attrs={"rows": 5})
    )
    fields = forms.MultipleChoiceField(
        label=gettext_lazy("Parts the applicant may change until they answer"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("Leave them all unticked for a question answered in words."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["fields"].choices = steps.part_choices()


class AnswerForm(forms.Form):
    answer = forms.CharField(
        label=gettext_lazy("Your answer"), widget=forms.Textarea(attrs={"rows": 5})
    )


def _application(request, pk) -> Application:
    return get_object_or_404(
        Application.objects.visible_to(request.user).select_related("call", "lot", "created_by"),
        pk=pk,
    )


def _page(request, application, checklist_form=None, ineligible_form=None):
    """The eligibility page: automatic checks, the checklist, the decision, the questions."""
    user = request.user
    require(permissions.can_read_eligibility(user))
    automatic = steps.automatic_checks(application)
    rows = steps.checklist(application)
    can_check = permissions.can_check_eligibility(user)[0]
    pending = application.status in steps.PENDING
    if checklist_form is None and can_check and pending:
        checklist_form = ChecklistForm(rows=rows)
    submitted = application.status == ApplicationStatus.SUBMITTED
    if ineligible_form is None and can_check and submitted:
        ineligible_form = IneligibleForm(
            initial={"reason": steps.failure_reasons(application, automatic, rows)}
        )
    decided = (
        AuditEntry.objects.filter(
            object_type=application._meta.label_lower,
            object_id=str(application.pk),
            action__in=["grants.declared_eligible", "grants.declared_ineligible"],
        )
        .select_related("actor")
        .first()
    )
    clarifications = [
        (c, [steps.part_label(name) for name in c.fields])
        for c in application.clarifications.select_related("requested_by")
    ]
    return render(
        request,
        "grants/eligibility.html",
        {
            "application": application,
            "call": application.call,
            "automatic": automatic,
            "rows": rows,
            "checklist_form": checklist_form if can_check and pending else None,
            "ineligible_form": ineligible_form if can_check and submitted else None,
            "blockers": steps.blockers(application, automatic, rows) if submitted else [],
            "can_check": can_check,
            "submitted": submitted,
            "decided": decided,
            "eligible": application.status in DECIDED,
            "clarifications": clarifications,
            "can_request": permissions.can_request_clarification(user)[0] and submitted,
            "submitted_at": application.submitted_at
            and application.call.local(application.submitted_at),
            "deadline": application.call.local(application.call.closes_at),
        },
    )


@login_required
def eligibility(request, pk):
    """Read the checks (staff) and answer the checklist (secretariat, by POST)."""
    application = _application(request, pk)
    if request.method != "POST":
        return _page(request, application)
    require(permissions.can_check_eligibility(request.user))
    form = ChecklistForm(request.POST, rows=steps.checklist(application))
    if form.is_valid():
        try:
            steps.record_answers(request.user, application, form.answers())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The checklist is saved."))
            return redirect("grants:eligibility", application.pk)
    return _page(request, application, checklist_form=form)


@login_required
@require_POST
def declare_eligible(request, pk):
    application = _application(request, pk)
    require(permissions.can_check_eligibility(request.user))
    attempt(
        request,
        steps.declare_eligible,
        request.user,
        application,
        done=_("%(reference)s is eligible and goes on to review.")
        % {"reference": application.reference},
    )
    return redirect("grants:eligibility", application.pk)


@login_required
@require_POST
def declare_ineligible(request, pk):
    application = _application(request, pk)
    require(permissions.can_check_eligibility(request.user))
    form = IneligibleForm(request.POST)
    if form.is_valid():
        try:
            steps.declare_ineligible(request.user, application, form.cleaned_data["reason"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("%(reference)s is declared ineligible; the applicant is notified.")
                % {"reference": application.reference},
            )
            return redirect("grants:eligibility", application.pk)
    return _page(request, application, ineligible_form=form)


@login_required
def clarification_request(request, pk):
    application = _application(request, pk)
    require(permissions.can_request_clarification(request.user))
    form = ClarificationForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            steps.request_clarification(request.user, application, data["fields"], data["message"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, _("The question is sent to the applicant; the parts named are reopened.")
            )
            return redirect("grants:eligibility", application.pk)
    return render(
        request,
        "grants/clarification_form.html",
        {
            "application": application,
            "form": form,
            "may_ask": application.status == ApplicationStatus.SUBMITTED,
        },
    )


@login_required
@require_POST
def clarification_answer(request, pk):
    application = _application(request, pk)
    require(permissions.can_answer_clarification(request.user, application))
    form = AnswerForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Write your answer to the question."))
        return redirect(application)
    attempt(
        request,
        steps.answer_clarification,
        request.user,
        application,
        form.cleaned_data["answer"],
        done=_("Your answer is sent and the application submitted again; a new receipt follows."),
    )
    return redirect(application)


def panel(request, application) -> dict:
    """What the application page shows of this step, for this reader ({} for nothing): the
    staff see where the check stands; the applicant sees an open question (with what it
    reopens and the answer form) or the ineligibility notice; a partner's contact sees only an
    open question."""
    user = request.user
    status = application.status
    if status in (ApplicationStatus.DRAFT, ApplicationStatus.WITHDRAWN):
        return {}
    question = (
        steps.open_clarification(application) if status == ApplicationStatus.CLARIFICATION else None
    )
    if permissions.can_read_eligibility(user)[0]:
        answers = application.eligibility_answers.all()
        return {
            "staff": True,
            "status": status,
            "checks": application.call.checks.count(),
            "answered": answers.count(),
            "failed": answers.filter(passed=False).count(),
            "question": question,
            "eligible": status in DECIDED,
            "can_request": permissions.can_request_clarification(user)[0]
            and status == ApplicationStatus.SUBMITTED,
        }
    if permissions.is_applicant(user, application):
        if question is None and status != ApplicationStatus.INELIGIBLE:
            return {}
        return {
            "applicant": True,
            "question": question,
            "parts": [steps.part_label(name) for name in question.fields] if question else [],
            "form": AnswerForm(),
            "reason": application.ineligibility_reason
            if status == ApplicationStatus.INELIGIBLE
            else "",
        }
    consortium = Application.objects.of_consortium(user).filter(pk=application.pk)
    if question is not None and consortium.exists():
        return {"question": question}  # a partner's contact: the question, nothing more
    return {}
