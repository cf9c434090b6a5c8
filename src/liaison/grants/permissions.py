"""Who may do what with calls and applications. Views and the API ask these, never roles.

Each check returns ``(allowed, reason)``. The secretariat runs calls and reads every
application; Liaison's other staff read them. An applicant (any signed-in person with a person
record) starts an application and edits all of it while it is a draft; the contact person of a
partner edits that partner's own part (its currency, co-financing and budget lines). Nobody
else reads an application: not another consortium, not the public. Whoever declared a conflict
of interest with an application never reads it again, staff and the secretariat included.
"""

from django.utils.translation import gettext as _

from liaison.directory.scopes import signed_in


def can_manage_calls(user) -> tuple[bool, str]:
    if signed_in(user) and user.is_secretariat:
        return True, ""
    return False, _("Only the secretariat creates and changes calls for proposals.")


def can_apply(user, call, now=None) -> tuple[bool, str]:
    """Start an application to ``call`` (at ``now``, the present unless the demo replays)."""
    if not signed_in(user):
        return False, _("Sign in, or create an account, to apply.")
    if not call.published:
        return False, _("This call is not published.")
    if not call.accepts_submissions(now):
        return False, _("This call is not open for applications.")
    if getattr(user, "person", None) is None:
        return False, _("Your account has no person record yet: verify your e-mail address first.")
    return True, ""


def declared_conflict(user, application) -> bool:
    """Whether ``user`` declared a conflict of interest with ``application``: it is then
    closed to them on every page and endpoint, whatever their role."""
    from .models import Assignment, ConflictStatus

    return (
        signed_in(user)
        and Assignment.objects.filter(
            application=application, reviewer=user, conflict=ConflictStatus.CONFLICT
        ).exists()
    )


def _closed_by_conflict() -> tuple[bool, str]:
    return False, _("You declared a conflict of interest: this application is closed to you.")


def can_read_application(user, application) -> tuple[bool, str]:
    from .models import Application

    if Application.objects.visible_to(user).filter(pk=application.pk).exists():
        return True, ""
    if declared_conflict(user, application):
        return _closed_by_conflict()
    return False, _("Only the consortium and the facility's staff read an application.")


def is_applicant(user, application) -> bool:
    return signed_in(user) and application.created_by_id == user.pk


def can_edit_application(user, application) -> tuple[bool, str]:
    """Change the proposal's own fields: the applicant, while it is a draft, or while an open
    clarification reopens some of them (``services.update_application`` keeps to those)."""
    if not is_applicant(user, application):
        return False, _("Only the applicant who started the application changes it.")
    if not application.is_editable and not reopened(application) - NOT_DETAILS:
        return False, _("The application has been submitted and can no longer be changed.")
    return True, ""


def can_edit_consortium(user, application) -> tuple[bool, str]:
    """Add or remove partners: the applicant, while it is a draft, or while an open
    clarification reopens the consortium ("partners")."""
    if not is_applicant(user, application):
        return False, _("Only the applicant who started the application changes it.")
    if not application.is_editable and "partners" not in reopened(application):
        return False, _("The application has been submitted and can no longer be changed.")
    return True, ""


def can_edit_work_plan(user, application) -> tuple[bool, str]:
    """Write the work plan (its activities): the applicant, while it is a draft, or while an
    open clarification reopens it ("work_plan"). A partner's contact reads it, as they read
    the rest of the proposal, and proposes changes through the applicant."""
    if not is_applicant(user, application):
        return False, _("Only the applicant who started the application changes its work plan.")
    if not application.is_editable and "work_plan" not in reopened(application):
        return False, _("The application has been submitted and can no longer be changed.")
    return True, ""


def can_edit_answers(user, application) -> tuple[bool, str]:
    """Answer the call's own questions: the applicant, while it is a draft, or while an open
    clarification reopens them ("answers")."""
    if not is_applicant(user, application):
        return False, _("Only the applicant who started the application answers its questions.")
    if not application.is_editable and "answers" not in reopened(application):
        return False, _("The application has been submitted and can no longer be changed.")
    return True, ""


def can_build_form(user, call) -> tuple[bool, str]:
    """Change a call's application form: the secretariat. A version an application was
    submitted on is never changed; ``grants.form_builder`` makes a new one."""
    return can_manage_calls(user)


def can_edit_partner(user, partner) -> tuple[bool, str]:
    """Change one partner's part: the applicant, or that partner's contact person, while it is
    a draft or while an open clarification reopens the budget."""
    application = partner.application
    if not application.is_editable and "budget" not in reopened(application):
        return False, _("The application has been submitted and can no longer be changed.")
    if is_applicant(user, application):
        return True, ""
    contact = partner.contact
    if signed_in(user) and contact is not None and contact.user_id == user.pk:
        return True, ""
    return False, _("Only the applicant and this partner's contact person change its budget.")


def can_submit(user, application) -> tuple[bool, str]:
    allowed, why = can_edit_application(user, application)
    if not allowed:
        return False, why
    if not application.is_editable:
        # A reopened application is not submitted again: answering the clarification
        # restamps its content and keeps the date it was submitted on.
        return False, _("Answer the clarification: the application is already submitted.")
    return True, ""


# --- overview ---


def can_see_overview(user) -> tuple[bool, str]:
    """The figures of a call (money asked, reviewers' progress) are the facility's staff's."""
    if signed_in(user) and user.is_liaison_staff:
        return True, ""
    return False, _("The overview of a call is for the facility's staff.")


# --- eligibility and clarifications ---

# The parts of a clarification that are not the proposal's own fields.
NOT_DETAILS = frozenset({"budget", "partners", "work_plan", "answers"})


def reopened(application) -> frozenset[str]:
    """The parts an open clarification reopens: none unless the application awaits one."""
    from .models import ApplicationStatus, Clarification

    if application.status != ApplicationStatus.CLARIFICATION:
        return frozenset()
    fields = (
        Clarification.objects.filter(application=application, answered_at__isnull=True)
        .values_list("fields", flat=True)
        .first()
    )
    return frozenset(fields or ())


def can_read_eligibility(user) -> tuple[bool, str]:
    """The checklist and its notes are the facility's assessment, not the consortium's."""
    if signed_in(user) and user.is_liaison_staff:
        return True, ""
    return False, _("The eligibility check is for the facility's staff.")


def can_check_eligibility(user) -> tuple[bool, str]:
    """Tick the checklist and declare an application eligible or not: the secretariat."""
    if signed_in(user) and user.is_secretariat:
        return True, ""
    return False, _("Only the secretariat checks eligibility and declares it.")


def can_request_clarification(user) -> tuple[bool, str]:
    if signed_in(user) and user.is_secretariat:
        return True, ""
    return False, _("Only the secretariat asks an applicant for a clarification.")


def can_answer_clarification(user, application) -> tuple[bool, str]:
    """The applicant answers for the consortium, as they submitted for it."""
    if is_applicant(user, application):
        return True, ""
    return False, _("Only the applicant answers a clarification.")


# --- evaluation ---


def can_assign_reviewers(user, call=None) -> tuple[bool, str]:
    """Choose who reviews what: the secretariat, who keeps the pool and sees the conflicts."""
    if signed_in(user) and user.is_secretariat:
        return True, ""
    return False, _("Only the secretariat assigns reviewers.")


def can_follow_reviews(user) -> tuple[bool, str]:
    """Who reviews an application, how far they are and the consolidated score: the facility's
    staff. Never the consortium, which must not learn its reviewers' names or scores."""
    if signed_in(user) and user.is_liaison_staff:
        return True, ""
    return False, _("The reviews of an application are for the facility's staff.")


def _under_review(assignment) -> tuple[bool, str]:
    from .models import ApplicationStatus

    if assignment.application.status != ApplicationStatus.UNDER_REVIEW:
        return False, _("The application is no longer under review.")
    return True, ""


def _own(user, assignment) -> bool:
    return signed_in(user) and assignment.reviewer_id == user.pk


def can_declare(user, assignment) -> tuple[bool, str]:
    """Declare whether one has a conflict of interest: the reviewer, once, before reading."""
    from .models import ConflictStatus

    if not _own(user, assignment):
        return False, _("Only the reviewer assigned declares their conflicts of interest.")
    if assignment.conflict != ConflictStatus.UNDECLARED:
        return False, _("You have already declared; ask the secretariat to change it.")
    return _under_review(assignment)


def can_open_for_review(user, assignment) -> tuple[bool, str]:
    """Read the application under review: its reviewer, after declaring no conflict. A declared
    conflict closes it for good, whatever happens to the assignment afterwards."""
    from .models import ConflictStatus

    if not _own(user, assignment):
        return False, _("This review is assigned to somebody else.")
    if assignment.conflict == ConflictStatus.UNDECLARED:
        return False, _("Declare first whether you have a conflict of interest with it.")
    if assignment.conflict == ConflictStatus.CONFLICT:
        return _closed_by_conflict()
    return True, ""


def can_score(user, assignment) -> tuple[bool, str]:
    """Score and comment: the reviewer who declared no conflict, until they submit."""
    allowed, why = can_open_for_review(user, assignment)
    if not allowed:
        return False, why
    if assignment.submitted_at is not None:
        return False, _("Your scores are submitted and can no longer be changed.")
    return _under_review(assignment)


def can_see_all_scores(user, application) -> tuple[bool, str]:
    """Every reviewer's scores and comments. The secretariat sees them as they are submitted;
    a reviewer only once every reviewer without a conflict has submitted, so that nobody
    scores with another's opinion in view."""
    from .grid import scores_complete
    from .models import Assignment, ConflictStatus

    if declared_conflict(user, application):
        return _closed_by_conflict()
    if signed_in(user) and user.is_secretariat:
        return True, ""
    reviewing = Assignment.objects.filter(
        application=application, reviewer_id=getattr(user, "pk", None)
    ).exclude(conflict=ConflictStatus.CONFLICT)
    if not (signed_in(user) and reviewing.exists()):
        return False, _("Only the application's reviewers and the secretariat read its scores.")
    if not scores_complete(application):
        return False, _("The other reviewers' scores show once every reviewer has submitted.")
    return True, ""


def can_consolidate(user) -> tuple[bool, str]:
    """Set the score the evaluation agrees on: the secretariat."""
    if signed_in(user) and user.is_secretariat:
        return True, ""
    return False, _("Only the secretariat consolidates the reviewers' scores.")


# --- ranking, decision and award ---


def can_read_ranking(user) -> tuple[bool, str]:
    """A lot's ranking and the committee's decision: the facility's staff. Nobody else learns
    another consortium's score, so the page does not exist for them (404)."""
    if signed_in(user) and user.is_liaison_staff:
        return True, ""
    return False, _("The ranking of a lot is for the facility's staff.")


def can_decide(user) -> tuple[bool, str]:
    """Record the evaluation committee's decision on a lot: the secretariat, its secretary."""
    if signed_in(user) and user.is_secretariat:
        return True, ""
    return False, _("Only the secretariat records the committee's decision.")


def can_award(user) -> tuple[bool, str]:
    """Turn a selected application into a project of the portfolio: the secretariat."""
    if signed_in(user) and user.is_secretariat:
        return True, ""
    return False, _("Only the secretariat turns a selected application into a project.")


def can_read_letter(user, application) -> tuple[bool, str]:
    """The decision letter is addressed to the applicant; the staff keep a copy. A partner's
    contact reads the outcome from the lead, as the call's rules make the lead answerable.
    A member of staff who declared a conflict of interest with the application does not."""
    if declared_conflict(user, application):
        return _closed_by_conflict()
    if is_applicant(user, application) or (signed_in(user) and user.is_liaison_staff):
        return True, ""
    return False, _("The decision letter is the applicant's and the staff's.")


# --- receipts ---


def can_read_receipt(user, application) -> tuple[bool, str]:
    """The receipt proves what the applicant sent: theirs and the facility's staff's (but for
    one who declared a conflict of interest with the application)."""
    if declared_conflict(user, application):
        return _closed_by_conflict()
    if is_applicant(user, application) or (signed_in(user) and user.is_liaison_staff):
        return True, ""
    return False, _("The receipt is the applicant's and the staff's.")


# --- documents and questions ---


def can_download_call_document(user, document) -> tuple[bool, str]:
    """A call's document is read by whoever reads the call: everybody once it is published,
    only the facility's staff before."""
    from .models import Call

    if Call.objects.visible_to(user).filter(pk=document.call_id).exists():
        return True, ""
    return False, _("This call is not published.")


def can_ask_question(user, call, now=None) -> tuple[bool, str]:
    """Ask the secretariat about a call: any signed-in person, while the call is open."""
    if not signed_in(user):
        return False, _("Sign in, or create an account, to ask a question.")
    if not call.published:
        return False, _("This call is not published.")
    if not call.accepts_submissions(now):
        return False, _("Questions are asked while the call is open.")
    return True, ""


def can_answer_questions(user) -> tuple[bool, str]:
    """Answer, publish and withdraw the questions about a call: the secretariat, so that every
    applicant gets the same answer at the same time."""
    if signed_in(user) and user.is_secretariat:
        return True, ""
    return False, _("Only the secretariat answers questions about a call.")
