"""Nominations: a focal point nominates officers of their own institution while the course is
open; the centre approves within the places or turns down with a reason; each decision is
audited and the nominee told by e-mail."""

import csv
import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from liaison.core.models import AuditEntry, Role
from liaison.directory.models import Organisation, Person
from liaison.training.models import CourseStatus, Enrolment, EnrolmentStatus, FocalPoint
from liaison.training.services import PermissionDenied, TrainingError
from liaison.training.services import courses as services

from ..conftest import make_user
from .conftest import person_for


@pytest.fixture
def open_course(course):
    course.status = CourseStatus.NOMINATIONS
    course.nominations_close = timezone.localdate() + datetime.timedelta(days=10)
    course.capacity = 2
    course.save()
    return course


@pytest.fixture
def police(db, countries):
    return Organisation.objects.create(name="Border Police of Georgia", country=countries["GE"])


@pytest.fixture
def police_focal_point(db, centre, police):
    """The focal point of another institution at the same centre."""
    user = make_user("focal2", Role.PUBLIC)
    FocalPoint.objects.create(
        centre=centre, organisation=police, person=person_for(user, police, "Giorgi Focal")
    )
    return user


@pytest.fixture
def police_officer(db, police):
    return Person.objects.create(
        name="Levan Officer", organisation=police, email="levan@example.org"
    )


def nominate_url(course):
    return reverse("training:nominate", args=[course.pk])


# Nominating ----------------------------------------------------------------------------------


def test_a_focal_point_nominates_an_officer_of_their_institution(
    client,
    open_course,
    focal_point,
    officer,
    organisation,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    client.force_login(focal_point)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            nominate_url(open_course),
            {
                "organisation": organisation.pk,
                "person": officer.pk,
                "sex": "male",
                "motivation": "Leads the asylum unit",
            },
        )
    assert response.status_code == 302
    enrolment = Enrolment.objects.get(course=open_course, person=officer)
    assert enrolment.status == EnrolmentStatus.NOMINATED
    assert enrolment.organisation == organisation
    assert enrolment.nominated_by == focal_point and enrolment.sex == "male"
    assert AuditEntry.objects.filter(action="enrolment.nominated").count() == 1
    assert [m.to for m in mailoutbox] == [["oskar@example.org"]]
    page = client.get(nominate_url(open_course)).content.decode()
    assert "Oskar Officer" in page and "Nominated" in page


def test_a_new_officer_is_created_in_the_nominating_institution(
    client, open_course, focal_point, organisation
):
    client.force_login(focal_point)
    response = client.post(
        nominate_url(open_course),
        {
            "organisation": organisation.pk,
            "name": "Nada Newcomer",
            "email": "nada@example.org",
            "position": "Inspector",
            "sex": "female",
        },
    )
    assert response.status_code == 302
    person = Person.objects.get(email="nada@example.org")
    assert person.organisation == organisation and person.position == "Inspector"
    assert not person.is_contact_point
    assert Enrolment.objects.get(person=person).sex == "female"


def test_the_form_needs_one_officer_and_the_sex(client, open_course, focal_point, organisation):
    people = Person.objects.count()
    client.force_login(focal_point)
    response = client.post(nominate_url(open_course), {"organisation": organisation.pk})
    assert response.status_code == 200
    form = response.context["form"]
    assert "sex" in form.errors
    assert "Choose a known officer or enter a new one." in form.non_field_errors()
    response = client.post(
        nominate_url(open_course),
        {"organisation": organisation.pk, "name": "No Mail", "sex": "male"},
    )
    assert "email" in response.context["form"].errors
    assert not Enrolment.objects.exists()
    assert Person.objects.count() == people


def test_a_mistyped_e_mail_is_reported_once(client, open_course, focal_point, organisation):
    """Regression (issue 13, item 20): a mistyped address showed two errors on the field."""
    client.force_login(focal_point)
    response = client.post(
        nominate_url(open_course),
        {"organisation": organisation.pk, "name": "Nina New", "email": "nina@", "sex": "female"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["email"] == ["Enter a valid email address."]
    assert response.content.decode().count('class="error"') == 1
    assert not Enrolment.objects.exists()


def test_a_focal_point_may_not_nominate_for_another_institution(
    client, open_course, focal_point, police, police_officer
):
    client.force_login(focal_point)
    response = client.post(
        nominate_url(open_course),
        {
            "organisation": police.pk,
            "name": "Forged Officer",
            "email": "f@example.org",
            "sex": "male",
        },
    )
    assert response.status_code == 403
    with pytest.raises(PermissionDenied):
        services.nominate(focal_point, open_course, police_officer, sex="male")
    assert not Enrolment.objects.exists()
    assert not Person.objects.filter(name="Forged Officer").exists()


def test_another_institutions_focal_point_does_not_nominate_ours(
    open_course, police_focal_point, officer
):
    with pytest.raises(PermissionDenied):
        services.nominate(police_focal_point, open_course, officer, sex="male")
    assert not Enrolment.objects.exists()


def test_outsiders_may_not_nominate(client, open_course, outsider, trainee, officer):
    for user in (outsider, trainee):
        client.force_login(user)
        assert client.get(nominate_url(open_course)).status_code == 403
    client.logout()
    assert client.get(nominate_url(open_course)).status_code == 302  # to sign in
    with pytest.raises(PermissionDenied):
        services.nominate(outsider, open_course, officer)


def test_nominations_only_while_the_course_is_open(
    client, open_course, focal_point, officer, organisation
):
    open_course.status = CourseStatus.RUNNING
    open_course.save()
    with pytest.raises(TrainingError, match="not open for nominations"):
        services.nominate(focal_point, open_course, officer, sex="male")
    client.force_login(focal_point)
    response = client.post(
        nominate_url(open_course),
        {"organisation": organisation.pk, "person": officer.pk, "sex": "male"},
    )
    assert response.status_code == 200
    assert "not open for nominations" in response.content.decode()
    assert not Enrolment.objects.exists()


def test_nominations_close_after_the_deadline(open_course, focal_point, officer):
    deadline = open_course.nominations_close
    with pytest.raises(TrainingError, match="closed on"):
        services.nominate(
            focal_point, open_course, officer, sex="male", today=deadline + datetime.timedelta(1)
        )
    enrolment = services.nominate(focal_point, open_course, officer, sex="male", today=deadline)
    assert enrolment.status == EnrolmentStatus.NOMINATED


def test_the_same_officer_is_not_nominated_twice(
    client, open_course, focal_point, officer, organisation
):
    services.nominate(focal_point, open_course, officer, sex="male")
    client.force_login(focal_point)
    response = client.post(
        nominate_url(open_course),
        {"organisation": organisation.pk, "person": officer.pk, "sex": "male"},
    )
    assert response.status_code == 200
    assert "Oskar Officer is already nominated for this course" in response.content.decode()
    assert Enrolment.objects.filter(person=officer).count() == 1


def test_nominations_may_exceed_the_places(open_course, focal_point, organisation):
    for n in range(4):
        person = Person.objects.create(name=f"Officer {n}", organisation=organisation)
        services.nominate(focal_point, open_course, person, sex="not_stated")
    assert Enrolment.objects.filter(course=open_course).count() == 4


# Deciding ------------------------------------------------------------------------------------


@pytest.fixture
def nomination(open_course, focal_point, officer):
    return services.nominate(focal_point, open_course, officer, sex="male")


def test_the_centre_approves_and_the_nominee_is_told_after_commit(
    client, nomination, centre_staff, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(centre_staff)
    url = reverse("training:enrolment_decide", args=[nomination.pk, "approve"])
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(url, {"note": "Welcome"}, follow=True)
        assert mailoutbox == []  # nothing leaves before the transaction commits
    # Issue 13, item 20: the message says what happened to whom, not "Oskar Officer: approved."
    assert [str(m) for m in response.context["messages"]] == [
        f"{nomination.person} has a place on {nomination.course.title}."
    ]
    for callback in callbacks:
        callback()
    nomination.refresh_from_db()
    assert nomination.status == EnrolmentStatus.APPROVED
    assert nomination.decided_by == centre_staff and nomination.decision_note == "Welcome"
    entry = AuditEntry.objects.get(action="enrolment.approved")
    assert entry.actor == centre_staff and entry.changes == {"status": ["nominated", "approved"]}
    # The nominee has no account yet: the second message invites them (issue 14, item 2).
    assert len(mailoutbox) == 2
    assert "You have a place" in mailoutbox[0].body
    assert nomination.course.get_absolute_url() in mailoutbox[0].body
    assert mailoutbox[1].subject == "Your invitation to Liaison"
    assert "/invitations/accept/" in mailoutbox[1].body


def test_turning_down_needs_a_reason(client, nomination, centre_staff, mailoutbox):
    with pytest.raises(TrainingError, match="Say why"):
        services.reject(centre_staff, nomination, "  ")
    client.force_login(centre_staff)
    client.post(reverse("training:enrolment_decide", args=[nomination.pk, "reject"]), {"note": ""})
    nomination.refresh_from_db()
    assert nomination.status == EnrolmentStatus.NOMINATED
    services.reject(centre_staff, nomination, "Profile does not match the entry requirements")
    nomination.refresh_from_db()
    assert nomination.status == EnrolmentStatus.REJECTED
    entry = AuditEntry.objects.get(action="enrolment.rejected")
    assert entry.reason == "Profile does not match the entry requirements"


def test_a_full_course_refuses_approval(
    client, open_course, focal_point, organisation, centre_staff
):
    nominations = [
        services.nominate(
            focal_point,
            open_course,
            Person.objects.create(name=f"Officer {n}", organisation=organisation),
            sex="female",
        )
        for n in range(3)
    ]
    services.approve(centre_staff, nominations[0])
    services.approve(centre_staff, nominations[1])
    with pytest.raises(TrainingError, match="full: all 2 places"):
        services.approve(centre_staff, nominations[2])
    client.force_login(centre_staff)
    response = client.post(
        reverse("training:enrolment_decide", args=[nominations[2].pk, "approve"]), follow=True
    )
    assert "The course is full" in response.content.decode()
    nominations[2].refresh_from_db()
    assert nominations[2].status == EnrolmentStatus.NOMINATED
    # A withdrawal frees a place.
    services.withdraw(focal_point, nominations[0])
    services.approve(centre_staff, nominations[2])
    assert Enrolment.objects.approved().count() == 2


def test_only_the_centre_decides(client, nomination, focal_point, trainer, outsider):
    for user in (focal_point, trainer, outsider):
        client.force_login(user)
        url = reverse("training:enrolment_decide", args=[nomination.pk, "approve"])
        assert client.post(url).status_code == 403
        assert (
            client.get(reverse("training:enrolments", args=[nomination.course_id])).status_code
            == 403
        )
        with pytest.raises(PermissionDenied):
            services.approve(user, nomination)
    nomination.refresh_from_db()
    assert nomination.status == EnrolmentStatus.NOMINATED


def test_withdrawal_by_the_focal_point_or_the_trainee_only(
    client, nomination, open_course, focal_point, police_focal_point, trainee, organisation
):
    with pytest.raises(PermissionDenied):
        services.withdraw(police_focal_point, nomination)
    client.force_login(focal_point)
    response = client.post(
        reverse("training:enrolment_withdraw", args=[nomination.pk]),
        {"next": nominate_url(open_course)},
    )
    assert response.status_code == 302 and response.url == nominate_url(open_course)
    nomination.refresh_from_db()
    assert nomination.status == EnrolmentStatus.WITHDRAWN
    assert AuditEntry.objects.filter(action="enrolment.withdrawn", actor=focal_point).exists()
    own = services.nominate(focal_point, open_course, trainee.person, sex="female")
    assert services.withdraw(trainee, own).status == EnrolmentStatus.WITHDRAWN


def test_the_centre_sees_nominations_by_status_and_exports_them(
    client, nomination, open_course, centre_staff, enrolment, django_assert_max_num_queries
):
    client.force_login(centre_staff)
    url = reverse("training:enrolments", args=[open_course.pk])
    with django_assert_max_num_queries(10):
        response = client.get(url)
    groups = {
        value: [e.person.name for e in rows] for value, _label, rows in response.context["groups"]
    }
    assert groups["nominated"] == ["Oskar Officer"]
    assert groups["approved"] == ["Tara Trainee"]
    assert response.context["places_left"] == 1
    # 08:00:00.75 UTC in January is 09:00:00 in Brussels: the installation's zone, to the second.
    nominated = datetime.datetime(2030, 1, 15, 8, 0, 0, 750000, tzinfo=datetime.UTC)
    Enrolment.objects.filter(pk=nomination.pk).update(created=nominated)
    response = client.get(url, {"export": "csv"})
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    assert body.splitlines()[0].startswith("Name,E-mail,Position,Institution")
    assert "Oskar Officer,oskar@example.org" in body
    rows = {row[0]: row for row in csv.reader(io.StringIO(body))}
    when = rows["Name"].index("Nominated (Europe/Brussels)")
    assert rows["Oskar Officer"][when] == "2030-01-15 09:00:00"
    xlsx = client.get(url, {"export": "xlsx"})
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    rows = {row[0]: row for row in sheet.values}
    assert rows["Name"][when] == "Nominated (Europe/Brussels)"
    assert rows["Oskar Officer"][when] == datetime.datetime(2030, 1, 15, 9, 0, 0)


def test_an_approved_trainee_with_an_account_sees_the_course_in_my_training(
    client, nomination, trainee, open_course, focal_point, centre_staff
):
    mine = services.nominate(focal_point, open_course, trainee.person, sex="female")
    services.approve(centre_staff, mine)
    client.force_login(trainee)
    response = client.get(reverse("training:my_courses"))
    rows = list(response.context["enrolments"])
    assert [(e.course, e.status) for e in rows] == [(open_course, EnrolmentStatus.APPROVED)]
    assert "Approved" in response.content.decode()
