"""Who may do what with a project. Views and API endpoints ask these, never roles directly."""

from django.utils.translation import gettext as _


def can_edit_project(user, project) -> tuple[bool, str]:
    """The secretariat edits every project; a project manager only the projects they manage."""
    if not getattr(user, "is_authenticated", False):
        return False, _("Sign in to edit projects.")
    if user.is_secretariat:
        return True, ""
    if user.is_liaison_staff and project.managers.filter(pk=user.pk).exists():
        return True, ""
    return False, _("Only the project's managers and the secretariat may edit this project.")
