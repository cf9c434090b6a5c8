"""Who may do what with a project. Views and API endpoints ask these, never roles directly."""

from django.utils.translation import gettext as _

from liaison.core.models import Role


def can_read_internal(user, project) -> tuple[bool, str]:
    """A project's internal pages (a draft, its results): staff, and the project's own managers
    and team members."""
    if getattr(user, "is_liaison_staff", False):
        return True, ""
    signed_in = getattr(user, "is_authenticated", False) and user.is_active
    if signed_in and type(project).objects.of_team(user).filter(pk=project.pk).exists():
        return True, ""
    return False, _("Only the project's team and Liaison staff read this.")


def can_edit_project(user, project) -> tuple[bool, str]:
    """The secretariat edits every project; a project manager only the projects they manage."""
    if not getattr(user, "is_authenticated", False):
        return False, _("Sign in to edit projects.")
    if user.is_secretariat:
        return True, ""
    # Being listed as a manager is not enough: the person must hold the manager role, so that
    # a staff viewer added by mistake still only reads.
    is_manager = user.is_active and user.role == Role.PROJECT_MANAGER
    if is_manager and project.managers.filter(pk=user.pk).exists():
        return True, ""
    return False, _("Only the project's managers and the secretariat may edit this project.")
