"""Attendance per session: the course's trainers and the centre's staff take the register; the
summary shows each trainee's share of sessions against the course's minimum."""

import datetime

import pytest
from django.urls import reverse

from liaison.core.models import AuditEntry
from liaison.directory.models import Person
from liaison.training.models import (
    CourseStatus,
    Enrolment,
    EnrolmentStatus,
    SessionAttendance,
)
from liaison.training.services import PermissionDenied, TrainingError
from liaison.training.services import courses as services
from tests.training.test_courses import make_course


def register_url(session):
    return reverse("training:attendance", args=[session.pk])


def marks(session):
    return dict(
        SessionAttendance.objects.filter(session=session).values_list(
            "enrolment__person__name", "present"
        )
    )


@pytest.mark.parametrize("who", ["trainer", "centre_staff"])
def test_trainers_and_staff_take_the_register(
    client, course, enrolment, other_enrolment, trainer, centre_staff, who
):
    user = {"trainer": trainer, "centre_staff": centre_staff}[who]
    session = course.sessions.first()
    client.force_login(user)
    page = client.get(register_url(session))
    assert page.status_code == 200
    assert "Tara Trainee" in page.content.decode()
    response = client.post(register_url(session), {"present": [str(enrolment.pk)]})
    assert response.status_code == 302
    assert marks(session) == {"Tara Trainee": True, "Theo Other": False}
    # Issue 13, item 20: the message names the session and its day, not only a count.
    shown = [str(m) for m in client.get(response.url).context["messages"]]
    assert shown == ["Attendance recorded for Day 1 on 2 March: 1 present."]
    record = SessionAttendance.objects.get(session=session, enrolment=enrolment)
    assert record.recorded_by == user
    # Taking it again with both present changes the absent one only.
    client.post(register_url(session), {"present": [str(enrolment.pk), str(other_enrolment.pk)]})
    assert marks(session) == {"Tara Trainee": True, "Theo Other": True}
    assert AuditEntry.objects.filter(action="attendance.recorded").count() == 3


def test_a_trainee_may_not_take_the_register(
    client, course, enrolment, trainee, outsider, focal_point
):
    session = course.sessions.first()
    for user in (trainee, focal_point):
        client.force_login(user)
        assert client.get(register_url(session)).status_code == 403
        assert client.post(register_url(session), {"present": [enrolment.pk]}).status_code == 403
        summary = reverse("training:course_attendance", args=[course.pk])
        assert client.get(summary).status_code == 403
    with pytest.raises(PermissionDenied):
        services.set_attendance(trainee, session, enrolment, True)
    assert not SessionAttendance.objects.exists()


def test_attendance_only_for_approved_trainees_of_the_course(
    course, enrolment, trainer, organisation, centre, module
):
    session = course.sessions.first()
    nominee = Enrolment.objects.create(
        course=course,
        person=Person.objects.create(name="Nell Nominee", organisation=organisation),
        status=EnrolmentStatus.NOMINATED,
    )
    with pytest.raises(TrainingError, match="approved"):
        services.set_attendance(trainer, session, nominee, True)
    elsewhere = make_course(centre, module, "Another cohort")
    stranger = Enrolment.objects.create(
        course=elsewhere, person=nominee.person, status=EnrolmentStatus.APPROVED
    )
    with pytest.raises(TrainingError, match="another course"):
        services.set_attendance(trainer, session, stranger, True)
    assert not SessionAttendance.objects.exists()


def test_the_summary_counts_sessions_per_trainee(
    client, course, enrolment, other_enrolment, trainer, django_assert_num_queries
):
    first, second, third = course.sessions.order_by("starts_at")
    for session, present in ((first, True), (second, True), (third, False)):
        services.set_attendance(trainer, session, enrolment, present)
    services.set_attendance(trainer, first, other_enrolment, True)
    with django_assert_num_queries(3):
        summary = services.attendance_summary(course)
    rows = {row["enrolment"].person.name: row for row in summary["rows"]}
    assert rows["Tara Trainee"]["cells"] == [True, True, False]
    assert (rows["Tara Trainee"]["attended"], rows["Tara Trainee"]["rate"]) == (2, 67)
    assert not rows["Tara Trainee"]["meets_rule"]  # 67% < 80%
    assert rows["Theo Other"]["cells"] == [True, None, None]
    assert rows["Theo Other"]["rate"] == 33
    assert summary["per_session"] == [2, 1, 0]
    client.force_login(trainer)
    response = client.get(reverse("training:course_attendance", args=[course.pk]))
    assert f'data-testid="rate-{enrolment.pk}">67%' in response.content.decode()


def test_the_summary_page_takes_the_same_queries_for_more_trainees(
    client, course, enrolment, trainer, organisation, django_assert_max_num_queries
):
    url = reverse("training:course_attendance", args=[course.pk])
    client.force_login(trainer)
    with django_assert_max_num_queries(12) as few:
        client.get(url)
    for n in range(10):
        extra = Enrolment.objects.create(
            course=course,
            person=Person.objects.create(name=f"Trainee {n}", organisation=organisation),
            status=EnrolmentStatus.APPROVED,
        )
        for session in course.sessions.all():
            services.set_attendance(trainer, session, extra, n % 2 == 0)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert len(response.context["summary"]["rows"]) == 11


def test_a_closed_course_keeps_its_register(course, trainer, enrolment):
    session = course.sessions.first()
    course.status = CourseStatus.FINISHED
    course.save()
    with pytest.raises(TrainingError, match="closed"):
        services.set_attendance(trainer, session, enrolment, True)
    assert not session.attendance.exists()


def test_a_future_session_is_not_registered_in_advance(course, trainer, enrolment):
    session = course.sessions.first()
    day = datetime.date(2026, 3, 1)  # the day before the course's first session
    assert services.attendance_refusal(session, today=day)
    assert services.attendance_refusal(session, today=day + datetime.timedelta(days=1)) == ""
    session.starts_at = session.starts_at.replace(year=2099)
    session.ends_at = session.ends_at.replace(year=2099)
    session.save()
    with pytest.raises(TrainingError, match="day of the session"):
        services.set_attendance(trainer, session, enrolment, True)
