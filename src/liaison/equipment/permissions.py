"""Who may do what with equipment. Views and the API ask these, never roles directly.

Each check returns ``(allowed, reason)``. Staff read every item. The managers of the funding
project and the secretariat request items and carry them along the path (procured, delivered,
in use, checked); only the secretariat approves or rejects a request, so that whoever asks for
money is never the one who grants it.
"""

from django.utils.translation import gettext as _

from liaison.core.models import Role
from liaison.directory.scopes import administered_organisations, administers
from liaison.portfolio.models import Project
from liaison.portfolio.permissions import can_edit_project


def can_see_equipment(user) -> tuple[bool, str]:
    """The door to the equipment pages: staff, and the administrators of an institution (who
    see their institution's items only, by ``Item.objects.visible_to``)."""
    if not getattr(user, "is_authenticated", False):
        return False, _("Sign in to see equipment.")
    if user.is_liaison_staff or administered_organisations(user).exists():
        return True, ""
    return False, _("Equipment is shown to Liaison's staff and the institutions' administrators.")


def can_request(user, project) -> tuple[bool, str]:
    """Request equipment paid by ``project``."""
    allowed, _why = can_edit_project(user, project)
    if allowed:
        return True, ""
    return False, _("Only the funding project's managers and the secretariat request equipment.")


def requestable_projects(user):
    """The projects ``user`` may request equipment for, by the rule of ``can_edit_project``."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Project.objects.none()
    if user.is_secretariat:
        return Project.objects.all()
    if user.role == Role.PROJECT_MANAGER:
        return Project.objects.filter(managers=user)
    return Project.objects.none()


def can_edit_request(user, item) -> tuple[bool, str]:
    return can_request(user, item.project)


def can_decide(user, item) -> tuple[bool, str]:
    """Approve or reject a request: the secretariat alone (separation of duties)."""
    if getattr(user, "is_authenticated", False) and user.is_secretariat:
        return True, ""
    return False, _("Only the secretariat approves or rejects a request for equipment.")


def can_follow_up(user, item) -> tuple[bool, str]:
    """Record procurement, the hand-over, use and use checks."""
    allowed, _why = can_edit_project(user, item.project)
    if allowed:
        return True, ""
    return False, _(
        "Only the funding project's managers and the secretariat record what happens to an item."
    )


def can_see_document(user, item) -> tuple[bool, str]:
    """The signed hand-over record names an officer and carries signatures: staff, and the
    administrators of the institution that received the item."""
    if getattr(user, "is_liaison_staff", False) or administers(user, item.institution_id):
        return True, ""
    return False, _("The hand-over record is shown to staff and the institution's administrators.")
