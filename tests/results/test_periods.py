"""Reporting periods: the project's results hub, adding and changing periods, and their locks."""

import pytest

from liaison.core.models import AuditEntry
from liaison.results.models import ReportingPeriod, ReportStatus
from liaison.results.services import ResultsError
from liaison.results.services import periods as services
from liaison.results.services import reports as report_services

from .factories_reports import D, make_indicator, make_period, set_value


def page(project):
    return f"/results/projects/{project.pk}/periods/"


def new(project):
    return f"/results/projects/{project.pk}/periods/new/"


FORM = {
    "kind": "annual",
    "title": "Year 1",
    "starts_on": "2022-01-01",
    "ends_on": "2022-12-31",
    "deadline": "2023-02-28",
}


def test_a_manager_adds_a_period_which_gets_its_draft_report(client, manager, project):
    client.force_login(manager)
    response = client.post(new(project), {**FORM, "reason": "Agreed in the contract"})
    assert response.status_code == 302
    period = ReportingPeriod.objects.get(project=project)
    assert period.report.status == ReportStatus.DRAFT
    entry = AuditEntry.objects.get(action="reporting_period.created")
    assert entry.actor == manager and entry.reason == "Agreed in the contract"
    assert entry.changes["title"] == [None, "Year 1"]
    body = client.get(page(project)).content.decode()
    assert "Year 1" in body and "Draft" in body


def test_overlapping_periods_are_refused(client, manager, project):
    make_period(project, "Year 1", D(2022, 1, 1), D(2022, 12, 31))
    client.force_login(manager)
    response = client.post(new(project), {**FORM, "title": "Half year", "ends_on": "2022-06-30"})
    assert response.status_code == 200
    assert "overlap" in response.content.decode()
    assert ReportingPeriod.objects.count() == 1
    # Back to back is fine; another project's periods do not count.
    client.post(
        new(project),
        {
            **FORM,
            "title": "Year 2",
            "starts_on": "2023-01-01",
            "ends_on": "2023-12-31",
            "deadline": "2024-02-28",
        },
    )
    assert ReportingPeriod.objects.count() == 2


def test_bad_dates_are_refused_with_a_clear_error(client, manager, project):
    client.force_login(manager)
    response = client.post(new(project), {**FORM, "ends_on": "2021-12-31"})
    assert "cannot end before it starts" in response.content.decode()
    response = client.post(new(project), {**FORM, "deadline": "2022-06-01"})
    assert "cannot be due before the period ends" in response.content.decode()
    response = client.post(new(project), {**FORM, "kind": "weekly", "starts_on": "tomorrow"})
    assert response.status_code == 200
    assert not ReportingPeriod.objects.exists()


def test_editing_a_period_is_audited_with_old_and_new(client, manager, project):
    period = make_period(project, "Year 1", D(2022, 1, 1), D(2022, 12, 31))
    client.force_login(manager)
    client.post(
        f"/results/periods/{period.pk}/edit/", {**FORM, "kind": "interim", "title": "First year"}
    )
    period.refresh_from_db()
    assert period.title == "First year"
    entry = AuditEntry.objects.get(action="reporting_period.updated")
    assert entry.changes == {
        "title": ["Year 1", "First year"],
        "deadline": ["2023-01-30", "2023-02-28"],
    }


def test_who_may_change_periods(client, manager, other_manager, viewer, secretariat, project):
    period = make_period(project, "Year 1", D(2022, 1, 1), D(2022, 12, 31))
    for outsider in (other_manager, viewer):
        client.force_login(outsider)
        assert client.get(page(project)).status_code == 200  # staff read
        assert client.post(new(project), {**FORM, "starts_on": "2024-01-01"}).status_code == 403
        edit = client.post(f"/results/periods/{period.pk}/edit/", {**FORM, "title": "X"})
        assert edit.status_code == 403
        assert client.post(f"/results/periods/{period.pk}/delete/").status_code == 403
        assert "Add a period" not in client.get(page(project)).content.decode()
    period.refresh_from_db()
    assert period.title == "Year 1"
    client.force_login(secretariat)
    assert client.post(f"/results/periods/{period.pk}/delete/").status_code == 302
    assert not ReportingPeriod.objects.exists()


def test_the_public_and_anonymous_cannot_see_periods(client, public_user, project):
    client.force_login(public_user)
    assert client.get(page(project)).status_code == 403
    client.logout()
    assert client.get(page(project)).status_code == 302


def test_a_locked_period_is_neither_edited_nor_removed(client, manager, secretariat, project):
    period = make_period(project, "Year 1", D(2022, 1, 1), D(2022, 12, 31))
    report_services.save_report(manager, period, {"narrative": "Done."})
    report_services.submit(manager, period)
    report_services.approve(secretariat, period)
    client.force_login(secretariat)
    response = client.get(f"/results/periods/{period.pk}/edit/", follow=True)
    assert "locked" in response.content.decode()
    response = client.post(f"/results/periods/{period.pk}/delete/", follow=True)
    assert "locked" in response.content.decode()
    assert ReportingPeriod.objects.filter(pk=period.pk).exists()
    body = client.get(page(project)).content.decode()
    assert f"/results/periods/{period.pk}/edit/" not in body


def test_a_period_with_values_is_not_removed(manager, project):
    period = make_period(project, "Year 1", D(2022, 1, 1), D(2022, 12, 31))
    set_value(make_indicator(project, "1", "Officials trained"), period, 5)
    with pytest.raises(ResultsError, match="Values were entered"):
        services.delete_period(manager, period)
    assert ReportingPeriod.objects.filter(pk=period.pk).exists()


def test_overdue_reports_are_marked(client, viewer, manager, project):
    late = make_period(project, "Year 1", D(2022, 1, 1), D(2022, 12, 31))
    sent = make_period(project, "Year 2", D(2023, 1, 1), D(2023, 6, 30))
    report_services.save_report(manager, sent, {"narrative": "Sent in time."})
    report_services.submit(manager, sent)
    client.force_login(viewer)
    body = client.get(page(project)).content.decode()
    late_row = body[body.index(f'data-testid="period-{late.pk}"') :].split("</tr>")[0]
    sent_row = body[body.index(f'data-testid="period-{sent.pk}"') :].split("</tr>")[0]
    assert 'data-testid="overdue"' in late_row
    assert 'data-testid="overdue"' not in sent_row and "Submitted" in sent_row


def test_the_periods_page_queries_do_not_grow(
    client, viewer, project, django_assert_max_num_queries
):
    make_period(project, "P0", D(2020, 1, 1), D(2020, 1, 31))
    client.force_login(viewer)
    with django_assert_max_num_queries(12) as first:
        client.get(page(project))
    for n in range(1, 12):
        make_period(project, f"P{n}", D(2020, n + 1, 1), D(2020, n + 1, 28))
    with django_assert_max_num_queries(len(first.captured_queries)):
        response = client.get(page(project))
    assert "P11" in response.content.decode()
