"""Who may do what with needs assessments. Views and the API ask these, never roles directly.

Each check returns ``(allowed, reason)``. The secretariat writes templates; it or the manager
of a project creates an assessment for that project; the assessment team (lead and members)
answers it until it is completed, and only the secretariat reopens a completed one. Staff read
every assessment, the team reads its own: an institution's gaps are not public.
"""

from django.utils.translation import gettext as _

from liaison.core.models import Role
from liaison.directory.scopes import administers
from liaison.portfolio.permissions import can_edit_project

from .models import Assessment, AssessmentStatus, Template


def signed_in(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def can_manage_templates(user) -> tuple[bool, str]:
    if signed_in(user) and user.is_secretariat:
        return True, ""
    return False, _("Only the secretariat writes assessment templates.")


def can_see_templates(user) -> tuple[bool, str]:
    if getattr(user, "is_liaison_staff", False):
        return True, ""
    return False, _("Assessment templates are shown to staff only.")


def visible_templates(user):
    """Staff read every template; a team member the templates of the assessments they are on."""
    if getattr(user, "is_liaison_staff", False):
        return Template.objects.all()
    if not signed_in(user):
        return Template.objects.none()
    return Template.objects.filter(
        pk__in=Assessment.objects.visible_to(user).values("template")
    ).distinct()


def can_create_assessment(user, project=None, any_project=False) -> tuple[bool, str]:
    """The secretariat, or a project manager for a project they manage (with ``any_project``:
    for some project, to offer the form)."""
    if not signed_in(user):
        return False, _("Sign in to start an assessment.")
    if user.is_secretariat:
        return True, ""
    if project is not None and can_edit_project(user, project)[0]:
        return True, ""
    if any_project and user.role == Role.PROJECT_MANAGER and user.managed_projects.exists():
        return True, ""
    return False, _(
        "Only the secretariat, or the manager of the project it belongs to, starts an assessment."
    )


def is_on_team(user, assessment: Assessment) -> bool:
    if not signed_in(user):
        return False
    return assessment.lead_id == user.pk or assessment.team.filter(pk=user.pk).exists()


def can_see(user, assessment: Assessment) -> tuple[bool, str]:
    """Staff, the team, and the administrators of the assessed institution (who read, not
    answer)."""
    if getattr(user, "is_liaison_staff", False) or is_on_team(user, assessment):
        return True, ""
    if administers(user, assessment.institution_id):
        return True, ""
    return False, _(
        "An assessment is shown to staff, its assessment team and the institution's "
        "administrators only."
    )


def can_answer(user, assessment: Assessment) -> tuple[bool, str]:
    """The team (and the secretariat) answer, set targets and priorities and recommend, while
    the assessment is in progress; a completed one is read-only."""
    if not (signed_in(user) and (user.is_secretariat or is_on_team(user, assessment))):
        return False, _("Only the assessment team and the secretariat may change an assessment.")
    if assessment.status == AssessmentStatus.COMPLETED:
        return False, _(
            "This assessment is completed and read-only; the secretariat may reopen it."
        )
    return True, ""


def can_reopen(user, assessment: Assessment) -> tuple[bool, str]:
    if not (signed_in(user) and user.is_secretariat):
        return False, _("Only the secretariat reopens a completed assessment.")
    if assessment.status != AssessmentStatus.COMPLETED:
        return False, _("Only a completed assessment can be reopened.")
    return True, ""
