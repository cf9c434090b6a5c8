"""Who may do what in the training centre. Views and the API ask these, never roles directly.

Each check returns ``(allowed, reason)``. A centre's staff run its catalogue and courses, and
decide on nominations; trainers record what happens in their courses; a national focal point
nominates the officers of their institution; a trainee sees their own learning and results.
The secretariat may do everything.
"""

from django.db.models import Q
from django.utils.translation import gettext as _

from liaison.directory.models import Organisation
from liaison.directory.scopes import administered_organisations
from liaison.events.permissions import can_see_person

from .models import (
    Certificate,
    Enrolment,
    EnrolmentStatus,
    FocalPoint,
    Trainer,
    TrainingCentre,
    TrainingPlan,
    XapiDelivery,
)
from .models.catalogue import signed_in


def can_manage_centre(user, centre) -> tuple[bool, str]:
    if not signed_in(user):
        return False, _("Sign in to manage the training centre.")
    if user.is_secretariat or centre.staff.filter(pk=user.pk).exists():
        return True, ""
    return False, _("Only the centre's staff and the secretariat may do this.")


def can_manage_some_centre(user) -> tuple[bool, str]:
    """Whether a user runs any centre: the door to creating modules and courses, asked
    before the request's body is read so that a visitor learns nothing from validation."""
    if not signed_in(user):
        return False, _("Sign in to manage the training centre.")
    if TrainingCentre.objects.managed_by(user).exists():
        return True, ""
    return False, _("Only the centre's staff and the secretariat may do this.")


def can_edit_module(user, module) -> tuple[bool, str]:
    """A module is edited by the staff of the centre that owns it, not by centres it is
    shared with."""
    return can_manage_centre(user, module.centre)


def can_manage_course(user, course) -> tuple[bool, str]:
    return can_manage_centre(user, course.centre)


def is_trainer_of(user, course) -> bool:
    return signed_in(user) and course.trainers.filter(person__user=user).exists()


def can_train(user, course) -> tuple[bool, str]:
    """Trainers of the course, its centre's staff and the secretariat record attendance and
    practical results."""
    if is_trainer_of(user, course) or can_manage_course(user, course)[0]:
        return True, ""
    return False, _("Only the course's trainers and the centre's staff may do this.")


def focal_point_organisations(user, centre):
    """The institutions for which ``user`` nominates officers at ``centre``: those they are a
    focal point of there, and those they administer (an administrator acts for their
    institution at every centre)."""
    if not signed_in(user):
        return Organisation.objects.none()
    focal = FocalPoint.objects.filter(centre=centre, person__user=user).values("organisation")
    return Organisation.objects.filter(Q(pk__in=focal) | Q(pk__in=administered_organisations(user)))


def can_nominate(user, course, organisation=None) -> tuple[bool, str]:
    """A focal point or an administrator nominates officers of their own institution; the
    centre anyone."""
    if not signed_in(user):
        return False, _("Sign in to nominate officers.")
    if can_manage_course(user, course)[0]:
        return True, ""
    organisations = focal_point_organisations(user, course.centre)
    if organisation is None and organisations.exists():
        return True, ""
    if organisation is not None and organisations.filter(pk=organisation.pk).exists():
        return True, ""
    return False, _("Only a national focal point nominates officers, for their own institution.")


def can_decide_nomination(user, enrolment) -> tuple[bool, str]:
    return can_manage_course(user, enrolment.course)


def enrolment_of(user, course):
    """The approved enrolment of ``user`` on ``course``, or None."""
    if not signed_in(user):
        return None
    return Enrolment.objects.filter(
        course=course, person__user=user, status=EnrolmentStatus.APPROVED
    ).first()


def can_evaluate(user, course) -> tuple[bool, str]:
    """Only the course's approved trainees evaluate it: the secretariat, trainers and staff
    read the evaluations on the results page instead."""
    if enrolment_of(user, course) is None:
        return False, _("Only the course's approved trainees fill in its evaluation.")
    return True, ""


def can_learn(user, module) -> tuple[bool, str]:
    """A module's lessons are open to trainees approved on a course that runs it, to its
    trainers, and to the staff of the centre that owns it."""
    if not signed_in(user):
        return False, _("Sign in to open the lessons.")
    if user.is_secretariat or can_edit_module(user, module)[0]:
        return True, ""
    if module.trainers.filter(person__user=user).exists():
        return True, ""
    if Enrolment.objects.filter(
        course__modules=module, person__user=user, status=EnrolmentStatus.APPROVED
    ).exists():
        return True, ""
    return False, _("The lessons are open to the trainees of a course that runs this module.")


def can_see_results(user, enrolment) -> tuple[bool, str]:
    """A trainee's results are personal: the trainee, the course's trainers and the centre."""
    if not signed_in(user):
        return False, _("Sign in to see results.")
    if enrolment.person.user_id == user.pk:
        return True, ""
    if can_train(user, enrolment.course)[0]:
        return True, ""
    return False, _("Results are shown to the trainee, the trainers and the centre only.")


def can_withdraw(user, enrolment: Enrolment) -> tuple[bool, str]:
    """The trainee, a focal point or administrator of their institution, or the centre."""
    if not signed_in(user):
        return False, _("Sign in to withdraw.")
    if enrolment.person.user_id == user.pk:
        return True, ""
    if can_manage_course(user, enrolment.course)[0]:
        return True, ""
    organisations = focal_point_organisations(user, enrolment.course.centre)
    if organisations.filter(pk=enrolment.organisation_id).exists():
        return True, ""
    return False, _("Only the trainee, their focal point or the centre may withdraw them.")


def can_see_certificate(user, certificate: Certificate) -> tuple[bool, str]:
    """A certificate's page and PDF are for its holder, the centre's staff and the secretariat;
    anyone else checks it on the public verification page."""
    if signed_in(user):
        if certificate.enrolment.person.user_id == user.pk:
            return True, ""
        if can_manage_course(user, certificate.enrolment.course)[0]:
            return True, ""
    return False, _("A certificate is shown to its holder and the training centre only.")


def can_manage_plan(user, plan: TrainingPlan) -> tuple[bool, str]:
    return can_manage_centre(user, plan.centre)


def can_see_transcript(user, person) -> tuple[bool, str]:
    """The person, Liaison's staff, and the staff of a centre the person enrolled at."""
    if can_see_person(user, person)[0]:
        return True, ""
    if signed_in(user) and (
        user.is_secretariat
        or TrainingCentre.objects.filter(staff=user, courses__enrolments__person=person).exists()
    ):
        return True, ""
    return False, _("A trainee's transcript is shown to the trainee and their training centre.")


def can_see_trainees(user, trainer: Trainer) -> bool:
    """Trainees' names are shown to the trainer, the centre's staff and the secretariat; the
    public reads counts only."""
    if not signed_in(user):
        return False
    return (
        trainer.person.user_id == user.pk
        or user.is_secretariat
        or trainer.centre.staff.filter(pk=user.pk).exists()
    )


def can_follow_deliveries(user) -> tuple[bool, str]:
    """The statements sent to the external learning record store are followed by the
    secretariat and by the centres' staff (each the statements about its own centre)."""
    if not signed_in(user):
        return False, _("Sign in to follow the learning record store.")
    if user.is_secretariat or TrainingCentre.objects.managed_by(user).exists():
        return True, ""
    return False, _(
        "Only the centres' staff and the secretariat follow what is sent to the learning "
        "record store."
    )


def can_retry_delivery(user, delivery: XapiDelivery) -> tuple[bool, str]:
    """A delivery is sent again by the secretariat or by the staff of the centre whose module or
    course the statement is about."""
    if not signed_in(user):
        return False, _("Sign in to follow the learning record store.")
    if XapiDelivery.objects.visible_to(user).filter(pk=delivery.pk).exists():
        return True, ""
    return False, _("Only the centre's staff and the secretariat send a statement again.")
