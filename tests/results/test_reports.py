"""Progress reports: the review workflow, who may take each step, the page and the downloads."""

import datetime
import io

import openpyxl
import pypdf
import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from liaison.core.models import AuditEntry
from liaison.events.models import Event
from liaison.results.models import ReportReview, ReportStatus, ReviewAction, Risk
from liaison.results.services import ResultsError
from liaison.results.services import periods as period_services
from liaison.results.services import reports as services
from liaison.training.models import Course, CourseStatus, TrainingCentre

from .factories_reports import D, make_indicator, make_period, set_target, set_value


@pytest.fixture
def year_one(project):
    return make_period(project, "Year 1", D(2022, 1, 1), D(2022, 12, 31), kind="annual")


@pytest.fixture
def year_two(project, year_one):
    return make_period(project, "Year 2", D(2023, 1, 1), D(2023, 12, 31), kind="annual")


@pytest.fixture
def indicators(project, year_one, year_two):
    trained = make_indicator(project, "1.1", "Officials trained", end_target=100)
    set_target(trained, year_one, 40)
    set_value(trained, year_one, 30, sex="female")
    set_value(trained, year_one, 12, sex="male")
    rate = make_indicator(
        project, "1.2", "Cases closed on time", accumulation="latest", baseline=50, end_target=90
    )
    set_value(rate, year_one, 70)
    return trained, rate


def written(manager, period, text="The centre ran four courses."):
    return services.save_report(manager, period, {"narrative": text})


def status_of(period):
    period.refresh_from_db()
    return services.report_of(period).status


# The workflow -----------------------------------------------------------------------------------


def test_the_whole_review_leaves_a_history_and_an_audit_trail(manager, secretariat, year_one):
    written(manager, year_one)
    services.submit(manager, year_one, "Ready for review.")
    assert status_of(year_one) == ReportStatus.SUBMITTED

    with pytest.raises(ResultsError, match="needs a comment"):
        services.return_report(secretariat, year_one, "   ")
    assert status_of(year_one) == ReportStatus.SUBMITTED

    services.return_report(secretariat, year_one, "Add the trainees by institution.")
    assert status_of(year_one) == ReportStatus.RETURNED
    written(manager, year_one, "The centre ran four courses for 42 officials.")
    services.submit(manager, year_one)
    services.approve(secretariat, year_one, "Approved.")
    year_one.refresh_from_db()
    assert year_one.is_locked

    report = year_one.report
    assert report.decided_by == secretariat and report.submitted_by == manager
    assert list(report.reviews.values_list("action", "comment")) == [
        (ReviewAction.SUBMITTED, "Ready for review."),
        (ReviewAction.RETURNED, "Add the trainees by institution."),
        (ReviewAction.SUBMITTED, ""),
        (ReviewAction.APPROVED, "Approved."),
    ]
    entries = AuditEntry.objects.filter(
        object_type="results.progressreport", object_id=str(report.pk)
    ).order_by("pk")
    assert [e.action for e in entries] == [
        "progress_report.updated",
        "progress_report.submitted",
        "progress_report.returned",
        "progress_report.updated",
        "progress_report.submitted",
        "progress_report.approved",
    ]
    returned = entries[2]
    assert returned.actor == secretariat
    assert returned.changes == {"status": ["submitted", "returned"]}
    assert returned.reason == "Add the trainees by institution."
    assert entries[3].changes["narrative"] == [
        "The centre ran four courses.",
        "The centre ran four courses for 42 officials.",
    ]


def test_an_approved_report_and_its_period_are_locked(manager, secretariat, year_one):
    written(manager, year_one)
    services.submit(manager, year_one)
    services.approve(secretariat, year_one)
    with pytest.raises(ResultsError, match="approved"):
        services.save_report(manager, year_one, {"narrative": "Changed afterwards"})
    with pytest.raises(ResultsError, match="approved"):
        services.save_report(secretariat, year_one, {"narrative": "Changed afterwards"})
    with pytest.raises(ResultsError, match="locked"):
        period_services.save_period(manager, year_one, {"title": "Renamed"})
    with pytest.raises(ResultsError, match="locked"):
        period_services.delete_period(secretariat, year_one)
    year_one.refresh_from_db()
    assert year_one.title == "Year 1"
    assert year_one.report.narrative == "The centre ran four courses."


def test_reopening_needs_a_reason_and_unlocks_the_period(manager, secretariat, year_one):
    written(manager, year_one)
    services.submit(manager, year_one)
    services.approve(secretariat, year_one)
    with pytest.raises(ResultsError, match="reason"):
        services.reopen(secretariat, year_one, "")
    assert status_of(year_one) == ReportStatus.APPROVED
    with pytest.raises(PermissionDenied):
        services.reopen(manager, year_one, "I want to change it")

    services.reopen(secretariat, year_one, "The trainee figures were corrected.")
    year_one.refresh_from_db()
    assert not year_one.is_locked
    written(manager, year_one, "Corrected figures.")
    entry = AuditEntry.objects.get(action="progress_report.reopened")
    assert entry.reason == "The trainee figures were corrected."
    assert entry.changes == {"status": ["approved", "returned"]}
    assert year_one.report.reviews.last().action == ReviewAction.REOPENED


def test_steps_out_of_order_are_refused(manager, secretariat, year_one):
    with pytest.raises(ResultsError, match="Describe the progress"):
        services.submit(manager, year_one)
    written(manager, year_one)
    with pytest.raises(ResultsError, match="submitted report"):
        services.approve(secretariat, year_one)
    with pytest.raises(ResultsError, match="submitted report"):
        services.return_report(secretariat, year_one, "Too early")
    services.submit(manager, year_one)
    with pytest.raises(ResultsError, match="with the secretariat"):
        services.save_report(manager, year_one, {"narrative": "Sneaky edit"})
    with pytest.raises(ResultsError):
        services.submit(manager, year_one)
    assert ReportReview.objects.count() == 1


def test_who_may_take_each_step(manager, other_manager, viewer, secretariat, year_one):
    for outsider in (other_manager, viewer):
        with pytest.raises(PermissionDenied):
            written(outsider, year_one)
    written(manager, year_one)
    for outsider in (other_manager, viewer):
        with pytest.raises(PermissionDenied):
            services.submit(outsider, year_one)
    services.submit(manager, year_one)
    # A manager never returns or approves, not even their own project's report.
    for person in (manager, other_manager, viewer):
        with pytest.raises(PermissionDenied):
            services.approve(person, year_one)
        with pytest.raises(PermissionDenied):
            services.return_report(person, year_one, "No")
    assert status_of(year_one) == ReportStatus.SUBMITTED
    assert not AuditEntry.objects.filter(actor__in=[other_manager, viewer]).exists()


# The page ---------------------------------------------------------------------------------------


def url(period, step=""):
    base = f"/results/periods/{period.pk}/report/"
    return base + (f"{step}/" if step else "")


def test_the_page_combines_the_table_the_activities_and_the_risks(
    client, viewer, project, organisation, year_one, year_two, indicators
):
    inside = Event.objects.create(
        title="Regional workshop on asylum",
        start=timezone.make_aware(datetime.datetime(2022, 5, 10, 9)),
        end=timezone.make_aware(datetime.datetime(2022, 5, 11, 17)),
        mode="online",
    )
    outside = Event.objects.create(
        title="Closing conference",
        start=timezone.make_aware(datetime.datetime(2023, 11, 10, 9)),
        end=timezone.make_aware(datetime.datetime(2023, 11, 10, 17)),
        mode="online",
    )
    inside.projects.add(project)
    outside.projects.add(project)
    centre = TrainingCentre.objects.create(name="Training centre", organisation=organisation)
    Course.objects.create(
        centre=centre,
        title="Return counselling",
        starts_on=D(2022, 9, 1),
        ends_on=D(2022, 9, 5),
        project=project,
        status=CourseStatus.FINISHED,
    )
    Risk.objects.create(project=project, title="Low nominations", likelihood=4, impact=3)
    Risk.objects.create(
        project=project, title="Old closed risk", likelihood=5, impact=5, status="closed"
    )
    client.force_login(viewer)
    response = client.get(url(year_one))
    assert response.status_code == 200
    body = response.content.decode()
    trained, rate = indicators
    row = body[body.index(f'data-testid="indicator-{trained.pk}"') :]
    row = row[: row.index("</tr>")]
    assert "Officials trained" in row and ">42<" in row and "105%" in row
    assert "Regional workshop on asylum" in body and "Return counselling" in body
    assert "Closing conference" not in body
    assert "Low nominations" in body and "Old closed risk" not in body
    # A staff viewer reads the report and takes no step.
    assert 'data-testid="report-form"' not in body and 'data-testid="step-' not in body


def test_a_manager_writes_and_submits_on_the_page(client, manager, year_one):
    client.force_login(manager)
    response = client.get(url(year_one))
    assert 'data-testid="report-form"' in response.content.decode()
    response = client.post(url(year_one), {"narrative": "Courses ran.", "activities": "Four"})
    assert response.status_code == 302
    response = client.post(url(year_one, "submit"), {"submit-comment": ""})
    assert response.status_code == 302
    assert status_of(year_one) == ReportStatus.SUBMITTED
    body = client.get(url(year_one)).content.decode()
    assert 'data-testid="report-form"' not in body and "Courses ran." in body
    # The manager cannot approve by posting the secretariat's form.
    assert client.post(url(year_one, "approve"), {}).status_code == 403
    assert status_of(year_one) == ReportStatus.SUBMITTED


def test_returning_without_a_comment_says_so(client, manager, secretariat, year_one):
    written(manager, year_one)
    services.submit(manager, year_one)
    client.force_login(secretariat)
    response = client.post(url(year_one, "return"), {"return-comment": ""})
    assert response.status_code == 200
    assert "This field is required" in response.content.decode()
    assert status_of(year_one) == ReportStatus.SUBMITTED
    client.post(url(year_one, "return"), {"return-comment": "Add the figures."})
    assert status_of(year_one) == ReportStatus.RETURNED
    client.force_login(manager)
    body = client.get(url(year_one)).content.decode()
    assert 'data-testid="returned-comment"' in body and "Add the figures." in body


def test_outsiders_cannot_write_on_the_page(client, other_manager, viewer, public_user, year_one):
    for person in (other_manager, viewer):
        client.force_login(person)
        assert client.post(url(year_one), {"narrative": "Mine now"}).status_code == 403
        assert client.post(url(year_one, "submit"), {}).status_code == 403
    client.force_login(public_user)
    assert client.get(url(year_one)).status_code == 403
    client.logout()
    assert client.get(url(year_one)).status_code == 302
    assert services.report_of(year_one).pk is None


def test_the_approved_report_page_has_no_form(client, manager, secretariat, year_one):
    written(manager, year_one)
    services.submit(manager, year_one)
    services.approve(secretariat, year_one)
    client.force_login(manager)
    body = client.get(url(year_one)).content.decode()
    assert 'data-testid="report-form"' not in body and 'data-testid="step-' not in body
    response = client.post(url(year_one), {"narrative": "Changed"}, follow=True)
    assert "can no longer be changed" in response.content.decode()
    assert services.report_of(year_one).narrative == "The centre ran four courses."
    client.force_login(secretariat)
    assert 'data-testid="step-reopen"' in client.get(url(year_one)).content.decode()


def test_report_page_queries_do_not_grow(
    client, viewer, project, year_one, year_two, indicators, django_assert_max_num_queries
):
    manager = project.managers.get()
    written(manager, year_two)
    client.force_login(viewer)
    with django_assert_max_num_queries(25) as first:
        client.get(url(year_two))
    for n in range(8):
        indicator = make_indicator(project, f"2.{n}", f"Indicator {n}")
        set_value(indicator, year_one, n + 1)
        set_value(indicator, year_two, n + 2)
        set_target(indicator, year_two, 10)
        Risk.objects.create(project=project, title=f"Risk {n}", likelihood=2, impact=3)
        event = Event.objects.create(
            title=f"Meeting {n}",
            start=timezone.make_aware(datetime.datetime(2023, 3, n + 1, 9)),
            end=timezone.make_aware(datetime.datetime(2023, 3, n + 1, 17)),
            mode="online",
        )
        event.projects.add(project)
    services.submit(manager, year_two)
    with django_assert_max_num_queries(len(first.captured_queries)):
        response = client.get(url(year_two))
    assert "Indicator 7" in response.content.decode()


# Downloads --------------------------------------------------------------------------------------


def test_the_pdf_holds_the_indicator_table_and_the_narrative(
    client, manager, viewer, year_one, indicators
):
    written(manager, year_one, "Narrative with Ćirilica: Обука службеника.")
    client.force_login(viewer)
    response = client.get(f"/results/periods/{year_one.pk}/report.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = " ".join(
        page.extract_text() for page in pypdf.PdfReader(io.BytesIO(response.content)).pages
    )
    assert "Officials trained" in text and "Cases closed on time" in text
    assert "42" in text and "70" in text
    assert "Обука службеника" in text


def test_the_workbook_keeps_numbers_as_numbers_and_text_safe(
    client, manager, viewer, year_one, indicators
):
    written(manager, year_one, '=HYPERLINK("http://evil")')
    client.force_login(viewer)
    response = client.get(f"/results/periods/{year_one.pk}/report.xlsx")
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    sheet = book.worksheets[0]
    rows = {row[0].value: row for row in sheet.iter_rows(min_row=5)}
    trained = rows["1.1"]
    assert trained[1].value == "Officials trained"
    actual = trained[5]
    assert actual.data_type == "n" and actual.value == 42
    assert trained[4].value == 40  # the period target
    narrative = book.worksheets[1]["B2"]
    # Exactly as written, as text: no formula, and no apostrophe shown in front of it.
    assert narrative.value == '=HYPERLINK("http://evil")'
    assert narrative.data_type == "s"


def test_downloads_are_for_staff(client, public_user, year_one):
    client.force_login(public_user)
    assert client.get(f"/results/periods/{year_one.pk}/report.pdf").status_code == 403
    assert client.get(f"/results/periods/{year_one.pk}/report.xlsx").status_code == 403


# Demo -------------------------------------------------------------------------------------------


def test_demo_reports_walk_the_workflow_and_run_twice(db):
    from liaison.portfolio.demo import SEED_PROJECTS, create_demo_users, find_seed_project
    from liaison.results.demo_reports import load_demo_reports
    from tests.conftest import make_project

    spec = SEED_PROJECTS["mirco"]
    assert load_demo_reports() == 0  # no project yet: nothing to do
    project = make_project(spec.title, acronym=spec.acronym, reference=spec.reference)
    create_demo_users()
    assert find_seed_project(spec) == project
    today = timezone.localdate()
    for n in range(3):
        start = today - datetime.timedelta(days=365 * (2 - n) + 100)
        make_period(project, f"Period {n + 1}", start, start + datetime.timedelta(days=364))
    assert load_demo_reports() == 2
    assert load_demo_reports() == 0
    statuses = [p.report.status for p in project.reporting_periods.order_by("starts_on")]
    assert statuses == [ReportStatus.APPROVED, ReportStatus.RETURNED, ReportStatus.DRAFT]
    assert project.risks.count() == 6
    assert ReportReview.objects.filter(action=ReviewAction.RETURNED).get().comment
