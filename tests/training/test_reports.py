"""The training report: counts, hours, rates and gains, who may read it, and its XLSX."""

import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from liaison.directory.models import Organisation, OrganisationType, Person
from liaison.training import reports
from liaison.training.models import (
    CourseStatus,
    Enrolment,
    EnrolmentStatus,
    Outcome,
    Quiz,
    QuizAttempt,
    QuizKind,
)

from ..conftest import make_user


@pytest.fixture
def cohort(course, enrolment, other_enrolment, countries, module):
    """Three approved trainees from two countries, two completed; one nominee not counted."""
    georgian = Organisation.objects.create(
        name="Border Police of Georgia", type=OrganisationType.BORDER_GUARD, country=countries["GE"]
    )
    third = Enrolment.objects.create(
        course=course,
        person=Person.objects.create(name="Gia", organisation=georgian),
        organisation=georgian,
        sex="male",
        status=EnrolmentStatus.APPROVED,
        outcome=Outcome.COMPLETED,
    )
    Enrolment.objects.create(
        course=course,
        person=Person.objects.create(name="Nominee", organisation=georgian),
        organisation=georgian,
        status=EnrolmentStatus.NOMINATED,
    )
    enrolment.outcome = Outcome.COMPLETED
    enrolment.save()
    other_enrolment.outcome = Outcome.NOT_COMPLETED
    other_enrolment.save()
    course.status = CourseStatus.FINISHED
    course.save()
    return [enrolment, other_enrolment, third]


def attempt(quiz, user, course, percent, passed=None):
    return QuizAttempt.objects.create(
        quiz=quiz,
        user=user,
        course=course,
        submitted=timezone.now(),
        percent=Decimal(percent),
        passed=passed,
    )


def test_counts_hours_and_completion(cohort):
    report = reports.build()
    assert report.trainees == 3 and report.people == 3 and report.completed == 2
    assert report.hours == Decimal(32)  # two completed trainees × 16 hours
    assert report.completion_rate == 67
    by = {b.key: {row.label: row for row in b.rows} for b in report.breakdowns}
    assert by["country"]["Serbia"].trainees == 2
    assert by["country"]["Serbia"].completed == 1
    assert by["country"]["Georgia"].hours == Decimal(16)
    assert by["sex"]["Female"].completed == 1
    assert by["sex"]["Male"].trainees == 2
    assert by["module"]["RMT-01 Migration law basics"].trainees == 3


def test_pass_rate_and_pre_post_gain(cohort, course, module, trainee, other_trainee):
    graded = Quiz.objects.create(module=module, title="Final quiz", kind=QuizKind.QUIZ)
    pre = Quiz.objects.create(module=module, title="Pre", kind=QuizKind.PRE_TEST)
    post = Quiz.objects.create(module=module, title="Post", kind=QuizKind.POST_TEST)
    attempt(graded, trainee, course, 50, passed=False)
    attempt(graded, trainee, course, 90, passed=True)
    attempt(graded, other_trainee, course, 40, passed=False)
    attempt(pre, trainee, course, 40)
    attempt(pre, other_trainee, course, 20)
    attempt(post, trainee, course, 80)
    attempt(post, other_trainee, course, 70)
    (figures,) = reports.build().quizzes
    assert (figures.takers, figures.passed, figures.pass_rate) == (2, 1, 50)
    assert figures.pre == Decimal(30) and figures.post == Decimal(75)
    assert figures.gain == Decimal(45)


def test_filters_narrow_the_figures(cohort, countries, centre):
    assert reports.build(country=countries["GE"]).trainees == 1
    assert reports.build(year=2025).trainees == 0
    assert reports.build(course_type="language").trainees == 0
    assert reports.build(centres=[centre]).trainees == 3


def test_the_page_reads_in_a_fixed_number_of_queries(
    client, secretariat, cohort, course, django_assert_max_num_queries
):
    client.force_login(secretariat)
    with django_assert_max_num_queries(20):
        small = client.get(reverse("training:reports"))
    assert small.status_code == 200
    organisation = cohort[0].organisation
    for n in range(20):
        Enrolment.objects.create(
            course=course,
            person=Person.objects.create(name=f"P{n}", organisation=organisation),
            organisation=organisation,
            status=EnrolmentStatus.APPROVED,
        )
    with django_assert_max_num_queries(20):
        assert client.get(reverse("training:reports")).status_code == 200


def test_the_xlsx_opens_with_the_same_figures(client, centre_staff, cohort):
    client.force_login(centre_staff)
    response = client.get(reverse("training:reports"), {"format": "xlsx"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(response.content))
    summary = {row[0]: row[1] for row in book["Summary"].iter_rows(values_only=True)}
    assert summary["People trained"] == 3
    assert summary["Training hours"] == 32
    countries = {row[0]: row[1] for row in book["Country"].iter_rows(values_only=True)}
    assert countries["Georgia"] == 1


def test_trainees_and_outsiders_cannot_read_the_report(client, trainee, cohort):
    client.force_login(trainee)
    assert client.get(reverse("training:reports")).status_code == 403
    client.logout()
    assert client.get(reverse("training:reports")).status_code == 302


def test_centre_staff_see_only_their_centres(client, cohort, academy):
    from liaison.training.models import TrainingCentre

    stranger = make_user("othercentre", "public")
    TrainingCentre.objects.create(name="Elsewhere", organisation=academy).staff.add(stranger)
    client.force_login(stranger)
    response = client.get(reverse("training:reports"))
    assert response.status_code == 200
    assert response.context["report"].trainees == 0


def test_a_bad_filter_is_an_error_not_a_crash(client, secretariat):
    client.force_login(secretariat)
    response = client.get(reverse("training:reports"), {"year": "soon"})
    assert response.status_code == 200
    assert response.context["report"] is None
