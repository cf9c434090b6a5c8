"""Who may invite whom. Each check returns ``(allowed, reason)``.

The secretariat invites anyone. An institution's administrator (``directory.scopes``) and a
national focal point (``training.FocalPoint``) invite the people of their institution. The
focal-point model is looked up by name, not imported: the training centre sits above this app
and invites its approved nominees through it.
"""

from django.apps import apps
from django.utils.translation import gettext as _

from liaison.directory.scopes import administered_organisations


def _focal_point_organisations(user) -> set[int]:
    person = getattr(user, "person", None)
    if person is None:
        return set()
    focal_point = apps.get_model("training", "FocalPoint")
    return set(focal_point.objects.filter(person=person).values_list("organisation", flat=True))


def organisations_managed(user) -> set[int] | None:
    """The institutions whose invitations ``user`` manages; None means every one."""
    if getattr(user, "is_secretariat", False):
        return None
    if not getattr(user, "is_authenticated", False):
        return set()
    administered = set(administered_organisations(user).values_list("pk", flat=True))
    return _focal_point_organisations(user) | administered


def can_invite(user, person) -> tuple[bool, str]:
    managed = organisations_managed(user)
    if managed is not None and person.organisation_id not in managed:
        return False, _(
            "Only the secretariat, or an administrator or focal point of the person's "
            "institution, invites them."
        )
    if person.user_id:
        return False, _("%(name)s already has an account.") % {"name": person.name}
    if not person.email:
        return False, _("%(name)s has no e-mail address to send the invitation to.") % {
            "name": person.name
        }
    return True, ""


def can_manage_invitation(user, invitation) -> tuple[bool, str]:
    managed = organisations_managed(user)
    if managed is None or invitation.person.organisation_id in managed:
        return True, ""
    return False, _("This invitation is not one of your institution's.")
