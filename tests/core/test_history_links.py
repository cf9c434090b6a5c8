"""Issue 13, item 4: each record's page links the secretariat to its audit log as "History"."""

from datetime import date

import pytest
from django.urls import reverse

from liaison.results.models import ProgressReport, ReportStatus

from ..results.logframe_helpers import make_indicator, make_logframe, make_period
from .history import assert_history_for_secretariat_only, history_href


@pytest.mark.parametrize("other", ["manager", "viewer"])
def test_project_page(client, request, secretariat, project, other):
    assert_history_for_secretariat_only(
        client, project.get_absolute_url(), project, secretariat, request.getfixturevalue(other)
    )


def test_organisation_and_person_pages(client, secretariat, viewer, organisation, contact):
    for obj in (organisation, contact):
        assert_history_for_secretariat_only(
            client, obj.get_absolute_url(), obj, secretariat, viewer
        )


def test_logframe_indicator_and_progress_report_pages(client, secretariat, manager, project):
    results = make_logframe(project)
    indicator = make_indicator(results["output"])
    period = make_period(project, "2024", date(2024, 1, 1), date(2024, 12, 31))
    report = ProgressReport.objects.create(period=period, status=ReportStatus.DRAFT)
    assert_history_for_secretariat_only(
        client, indicator.get_absolute_url(), indicator, secretariat, manager
    )
    assert_history_for_secretariat_only(
        client, report.get_absolute_url(), report, secretariat, manager
    )
    logframe = reverse("results:logframe", args=[project.pk])
    for result in results.values():
        assert_history_for_secretariat_only(client, logframe, result, secretariat, manager)


def test_the_link_opens_that_records_log(client, secretariat, manager, project):
    from liaison.portfolio import services

    services.update_project(manager, project, {"total_budget": "1.00"}, {})
    client.force_login(secretariat)
    response = client.get(history_href(project))
    assert [e.object_id for e in response.context["page"]] == [str(project.pk)]
