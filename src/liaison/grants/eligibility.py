"""Eligibility, admissibility and clarifications: what the secretariat does with a submitted
application before any reviewer reads it.

The automatic checks are the call's own rules (``rules.review``), re-run on the application as
it was submitted, and the deadline, read from ``submitted_at``; the checklist is the call's
``EligibilityCheck`` lines, answered by hand. An application is declared eligible only when
every automatic check passes and every line of the checklist is answered and passed, so that
nobody reads a proposal the call's rules exclude. It may be declared ineligible whatever the
checks say, with reasons the applicant receives by e-mail.

A clarification pauses a submitted application and reopens only the parts it names (read by
``permissions.reopened``). Answering it puts the application back to SUBMITTED with its
content and hash stamped again, and keeps ``submitted_at``: the call's deadline does not apply
to an answer, because the application was submitted in time and the question came from the
secretariat afterwards; refusing the answer after the deadline would penalise the applicant
for having been asked. The receipt of the new content still says when it was first submitted.
"""

import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from liaison.core import audit
from liaison.core.permissions import require

from . import permissions, services
from .models import Application, ApplicationStatus, Clarification, EligibilityAnswer
from .rules import review
from .services import GrantsError

logger = logging.getLogger(__name__)

# What a clarification may reopen: the proposal's own fields, every partner's budget and
# co-financing ("budget"), the consortium itself ("partners"), the work plan ("work_plan") and
# the answers to the call's own questions ("answers").
PARTS = [
    *services.DETAIL_FIELDS,
    *services.DETAIL_RELATIONS,
    "budget",
    "partners",
    "work_plan",
    "answers",
]
NOTE_LENGTH = EligibilityAnswer._meta.get_field("note").max_length
# Statuses in which the checklist may still be answered: the eligibility is not decided yet.
PENDING = {ApplicationStatus.SUBMITTED, ApplicationStatus.CLARIFICATION}


def part_label(name: str) -> str:
    if name == "budget":
        return _("the budget (every partner's budget and co-financing)")
    if name == "partners":
        return _("the consortium (its partners and their contacts)")
    if name == "work_plan":
        return _("the work plan (its activities and months)")
    if name == "answers":
        return _("the answers to the call's own questions")
    return str(Application._meta.get_field(name).verbose_name)


def part_choices() -> list[tuple[str, str]]:
    return [(name, part_label(name)) for name in PARTS]


@dataclass(frozen=True)
class Automatic:
    """One automatic check: what was checked, whether it passed, and why not."""

    label: str
    passed: bool
    reason: str = ""


# The part of the form each problem of ``rules`` is about, as the check names it.
AREAS = {
    "details": gettext_lazy("The proposal"),
    "partners": gettext_lazy("The consortium"),
    "budget": gettext_lazy("The budget"),
    "work_plan": gettext_lazy("The work plan"),
    "answers": gettext_lazy("The call's own questions"),
}


def automatic_checks(application: Application) -> list[Automatic]:
    """The deadline, then every rule of the call and the lot the application breaks and every
    part it lacks (one failed check each, with its reason), or one passed check if none."""
    call = application.call
    submitted = application.submitted_at
    if submitted is None:
        checks = [Automatic(_("Submitted before the deadline"), False, _("Not submitted."))]
    else:
        values = {
            "when": call.local(submitted).strftime("%Y-%m-%d %H:%M:%S"),
            "deadline": call.local(call.closes_at).strftime("%Y-%m-%d %H:%M:%S"),
            "zone": call.timezone,
        }
        on_time = submitted <= call.closes_at
        reason = (
            _("Submitted at %(when)s, before the deadline of %(deadline)s (%(zone)s).")
            if on_time
            else _("Submitted at %(when)s, after the deadline of %(deadline)s (%(zone)s).")
        )
        checks = [Automatic(_("Submitted before the deadline"), on_time, reason % values)]
    _budget, problems = review(application)
    for problem in problems:
        checks.append(Automatic(str(AREAS.get(problem.part, "")), False, problem.message))
    if not problems:
        checks.append(
            Automatic(_("The call's and the lot's rules are met and nothing is missing"), True)
        )
    return checks


def checklist(application: Application) -> list[tuple]:
    """Each line of the call's checklist with this application's answer (None if not yet)."""
    answers = {a.item_id: a for a in application.eligibility_answers.select_related("by")}
    return [(check, answers.get(check.pk)) for check in application.call.checks.all()]


def blockers(application: Application, checks=None, rows=None) -> list[str]:
    """Why the application cannot be declared eligible yet, one sentence each."""
    checks = automatic_checks(application) if checks is None else checks
    rows = checklist(application) if rows is None else rows
    found = [f"{c.label}: {c.reason}" for c in checks if not c.passed]
    for check, answer in rows:
        if answer is None:
            found.append(_("Not yet checked: %(check)s") % {"check": check.text})
        elif not answer.passed:
            found.append(_("%(check)s: %(note)s") % {"check": check.text, "note": answer.note})
    return found


def failure_reasons(application: Application, checks=None, rows=None) -> str:
    """The reasons an ineligibility notice would give, from what failed (not what is merely
    unanswered), one per line: the secretariat starts the notice from them."""
    checks = automatic_checks(application) if checks is None else checks
    rows = checklist(application) if rows is None else rows
    lines = [c.reason for c in checks if not c.passed]
    lines += [f"{check.text}: {a.note}" for check, a in rows if a is not None and not a.passed]
    return "\n".join(lines)


def open_clarification(application: Application) -> Clarification | None:
    return application.clarifications.filter(answered_at__isnull=True).first()


def _refuse_unless(application: Application, statuses, what: str):
    if application.status not in statuses:
        raise GrantsError(
            _("%(what)s only while the application is submitted; it is %(status)s.")
            % {"what": what, "status": application.get_status_display().lower()}
        )


# Eligibility ----------------------------------------------------------------------------------


def _said(answer) -> dict | None:
    return None if answer is None else {"passed": answer.passed, "note": answer.note}


@transaction.atomic
def record_answers(actor, application: Application, answers: dict) -> Application:
    """Answer lines of the checklist: ``{check id: (passed, note)}``, where ``passed`` is True,
    False or None (not checked: an earlier answer is removed). A failed line needs its reason,
    which the applicant may later read in the notice; nothing is saved if any line is wrong."""
    application = services.locked(application)
    require(permissions.can_check_eligibility(actor))
    _refuse_unless(application, PENDING, _("The checklist is answered"))
    checks = {check.pk: check for check in application.call.checks.all()}
    errors, cleaned = [], {}
    for key, (passed, note) in answers.items():
        try:
            check = checks[int(key)]
        except (KeyError, TypeError, ValueError):
            errors.append(_("%(key)s is not a line of this call's checklist.") % {"key": key})
            continue
        note = (note or "").strip()
        if passed not in (True, False, None):
            errors.append(_("%(check)s: answer yes or no.") % {"check": check.text})
        elif passed is False and not note:
            errors.append(_("%(check)s: say why it is not met.") % {"check": check.text})
        elif len(note) > NOTE_LENGTH:
            errors.append(
                _("%(check)s: keep the reason under %(count)s characters.")
                % {"check": check.text, "count": NOTE_LENGTH}
            )
        else:
            cleaned[check.pk] = (passed, note)
    if errors:
        raise GrantsError(errors)
    existing = {a.item_id: a for a in application.eligibility_answers.all()}
    changes = {}
    for pk, (passed, note) in cleaned.items():
        answer = existing.get(pk)
        before = _said(answer)
        if passed is None:
            if answer is not None:
                answer.delete()
                answer = None
        elif answer is None:
            answer = EligibilityAnswer.objects.create(
                application=application, item=checks[pk], passed=passed, note=note, by=actor
            )
        elif (answer.passed, answer.note) != (passed, note):
            answer.passed, answer.note, answer.by = passed, note, actor
            answer.save()
        if before != _said(answer):
            changes[checks[pk].text] = [before, _said(answer)]
    if changes:
        audit.record(actor, "grants.eligibility_checked", application, changes)
    return application


@transaction.atomic
def declare_eligible(actor, application: Application) -> Application:
    """Send the application on to review; refused while any check fails or is unanswered."""
    application = services.locked(application)
    require(permissions.can_check_eligibility(actor))
    _refuse_unless(application, {ApplicationStatus.SUBMITTED}, _("Eligibility is declared"))
    problems = blockers(application)
    if problems:
        raise GrantsError(
            [_("It cannot be declared eligible while a check fails or is not answered:")] + problems
        )
    old = application.status
    application.status = ApplicationStatus.UNDER_REVIEW
    application.save(update_fields=["status", "updated"])
    audit.record(
        actor, "grants.declared_eligible", application, {"status": [old, application.status]}
    )
    return application


@transaction.atomic
def declare_ineligible(actor, application: Application, reason: str) -> Application:
    """Set the application aside with the reasons the applicant is told."""
    application = services.locked(application)
    require(permissions.can_check_eligibility(actor))
    _refuse_unless(application, {ApplicationStatus.SUBMITTED}, _("Eligibility is declared"))
    reason = (reason or "").strip()
    if not reason:
        raise GrantsError(_("Give the reasons: the applicant receives them in the notice."))
    old = application.status
    application.status = ApplicationStatus.INELIGIBLE
    application.ineligibility_reason = reason
    application.save(update_fields=["status", "ineligibility_reason", "updated"])
    audit.record(
        actor,
        "grants.declared_ineligible",
        application,
        {"status": [old, application.status]},
        reason,
    )
    pk = application.pk
    transaction.on_commit(lambda: send_ineligibility_notice(pk))
    return application


# Clarifications -------------------------------------------------------------------------------


@transaction.atomic
def request_clarification(actor, application: Application, fields, message: str) -> Clarification:
    """Ask the applicant ``message`` and reopen ``fields`` (names from ``PARTS``; none for a
    question answered in words only) until they answer."""
    application = services.locked(application)
    require(permissions.can_request_clarification(actor))
    asked = open_clarification(application)
    if asked is not None:
        raise GrantsError(
            _(
                "A clarification asked on %(date)s still awaits its answer; ask one question "
                "at a time."
            )
            % {"date": application.call.local(asked.requested_at).strftime("%Y-%m-%d")}
        )
    _refuse_unless(application, {ApplicationStatus.SUBMITTED}, _("A clarification is asked"))
    fields = [fields] if isinstance(fields, str) else list(fields or [])
    errors = []
    unknown = [str(name) for name in fields if name not in PARTS]
    if unknown:
        errors.append(
            _("A clarification cannot reopen %(names)s; choose among the proposal's parts.")
            % {"names": ", ".join(unknown)}
        )
    message = (message or "").strip()
    if not message:
        errors.append(_("Write the question the applicant is to answer."))
    if errors:
        raise GrantsError(errors)
    reopened = [name for name in PARTS if name in set(fields)]
    try:
        with transaction.atomic():
            clarification = Clarification.objects.create(
                application=application, fields=reopened, message=message, requested_by=actor
            )
    except IntegrityError as error:  # another request won the race for the one open question
        raise GrantsError(_("A clarification is already open; ask one at a time.")) from error
    old = application.status
    application.status = ApplicationStatus.CLARIFICATION
    application.save(update_fields=["status", "updated"])
    audit.record(
        actor,
        "grants.clarification_requested",
        application,
        {"status": [old, application.status], "fields reopened": [None, reopened]},
        message,
    )
    pk = clarification.pk
    transaction.on_commit(lambda: send_clarification_request(pk))
    return clarification


@transaction.atomic
def answer_clarification(actor, application: Application, answer: str, now=None):
    """Close the open clarification with the applicant's answer; the application is submitted
    again as it now stands, on its first date, with a new receipt (see the module's note).

    The call's rules do not refuse the answer, as they refuse a submission: a breach may lie in
    a part the question did not reopen, and the applicant could then never answer. The
    eligibility page runs the rules again on what was answered."""
    now = now or timezone.now()
    application = services.locked(application)
    require(permissions.can_answer_clarification(actor, application))
    clarification = (
        application.clarifications.select_for_update().filter(answered_at__isnull=True).first()
    )
    if clarification is None or application.status != ApplicationStatus.CLARIFICATION:
        raise GrantsError(_("No clarification awaits an answer."))
    answer = (answer or "").strip()
    if not answer:
        raise GrantsError(_("Write your answer to the question."))
    clarification.answer = answer
    clarification.answered_at = now
    clarification.save(update_fields=["answer", "answered_at"])
    budget, _problems = review(application)
    content = services.content_of(application, budget)
    old_hash = application.receipt_hash
    application.status = ApplicationStatus.SUBMITTED
    application.submitted_content = content
    application.receipt_hash = services.content_hash(content)
    application.save(update_fields=["status", "submitted_content", "receipt_hash", "updated"])
    audit.record(
        actor,
        "grants.clarification_answered",
        application,
        {
            "status": [ApplicationStatus.CLARIFICATION, application.status],
            "hash": [old_hash, application.receipt_hash],
        },
        answer,
    )
    pk = application.pk
    transaction.on_commit(lambda: services.send_receipt(pk))
    return clarification


# E-mails --------------------------------------------------------------------------------------


def _send_to_applicant(application: Application, subject: str, template: str, context: dict):
    applicant = application.created_by
    person = getattr(applicant, "person", None)
    address = applicant.email or (person.email if person else "")
    if not address:
        return
    context |= {
        "application": application,
        "link": settings.SITE_URL + application.get_absolute_url(),
    }
    message = EmailMessage(subject, render_to_string(template, context), None, [address])
    try:
        message.send()
    except (OSError, ValidationError):
        # The decision stands; the applicant reads it on the application's page too.
        logger.exception("Could not e-mail the applicant of application %s", application.pk)


def send_ineligibility_notice(application_pk: int):
    application = (
        Application.objects.select_related("call", "created_by").filter(pk=application_pk).first()
    )
    if application is None or application.status != ApplicationStatus.INELIGIBLE:
        return
    subject = _("Not eligible: %(reference)s, %(title)s") % {
        "reference": application.reference,
        "title": application.title[:120],
    }
    _send_to_applicant(application, subject, "grants/email/ineligible.txt", {})


def send_clarification_request(clarification_pk: int):
    clarification = (
        Clarification.objects.select_related("application__call", "application__created_by")
        .filter(pk=clarification_pk)
        .first()
    )
    if clarification is None:
        return
    application = clarification.application
    subject = _("Clarification requested: %(reference)s, %(title)s") % {
        "reference": application.reference,
        "title": application.title[:120],
    }
    context = {
        "clarification": clarification,
        "parts": [part_label(name) for name in clarification.fields],
    }
    _send_to_applicant(application, subject, "grants/email/clarification.txt", context)
