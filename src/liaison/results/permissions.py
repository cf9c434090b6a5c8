"""Who may do what with a project's results. Views, services and API endpoints ask these.

Whether an action fits the state of things (a locked period, a derived indicator) is a rule of
the services; these checks only answer who."""

from django.utils.translation import gettext as _

from liaison.portfolio.permissions import can_edit_project, can_read_internal


def can_read_results(user, project) -> tuple[bool, str]:
    """Staff read every project's results, as they read its staff pages; the project's own
    managers and team read theirs."""
    if can_read_internal(user, project)[0]:
        return True, ""
    return False, _("Only the project's team and Liaison staff read project results.")


def can_edit_results(user, project) -> tuple[bool, str]:
    """The logframe, values, risks and reports are the project's: its managers and the
    secretariat write them."""
    return can_edit_project(user, project)


def can_review_reports(user) -> tuple[bool, str]:
    """The secretariat returns and approves progress reports; a manager never approves their own."""
    if getattr(user, "is_secretariat", False):
        return True, ""
    return False, _("Only the secretariat reviews progress reports.")
