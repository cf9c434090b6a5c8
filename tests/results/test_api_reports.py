"""The API of reporting periods, progress reports and risks asks what the pages ask."""

import pytest

from liaison.core.models import AuditEntry
from liaison.results.models import ReportingPeriod, ReportStatus, Risk

from .factories_reports import D, make_indicator, make_period, set_value


@pytest.fixture
def period(project):
    return make_period(project, "Year 1", D(2022, 1, 1), D(2022, 12, 31))


PERIOD = {
    "kind": "annual",
    "title": "Year 2",
    "starts_on": "2023-01-01",
    "ends_on": "2023-12-31",
    "deadline": "2024-02-28",
}


def test_staff_read_periods_and_others_see_none(client, viewer, public_user, period):
    client.force_login(viewer)
    rows = client.get("/api/reporting-periods/", {"project": period.project_id}).json()["results"]
    assert [(r["title"], r["report_status"], r["is_locked"]) for r in rows] == [
        ("Year 1", "draft", False)
    ]
    client.force_login(public_user)
    assert client.get("/api/reporting-periods/").json()["results"] == []
    assert client.get(f"/api/reporting-periods/{period.pk}/").status_code == 404


def test_managers_write_periods_through_the_same_rules(
    client, manager, other_manager, viewer, project, period
):
    body = {**PERIOD, "project": project.pk}
    for outsider in (other_manager, viewer):
        client.force_login(outsider)
        assert client.post("/api/reporting-periods/", body).status_code == 403
        assert client.delete(f"/api/reporting-periods/{period.pk}/").status_code == 403
    client.force_login(manager)
    overlap = client.post("/api/reporting-periods/", {**body, "starts_on": "2022-12-01"})
    assert overlap.status_code == 400 and "overlap" in overlap.json()["detail"]
    backwards = client.post("/api/reporting-periods/", {**body, "ends_on": "2022-12-31"})
    assert backwards.status_code == 400 and "ends_on" in backwards.json()
    created = client.post("/api/reporting-periods/", {**body, "reason": "Contract"})
    assert created.status_code == 201, created.json()
    assert created.json()["report_status"] == "draft"
    changed = client.patch(
        f"/api/reporting-periods/{period.pk}/",
        {"title": "First year"},
        content_type="application/json",
    )
    assert changed.status_code == 200 and changed.json()["title"] == "First year"
    assert AuditEntry.objects.filter(action="reporting_period.updated").count() == 1
    assert ReportingPeriod.objects.filter(project=project).count() == 2


def test_the_report_moves_through_review_by_the_api(client, manager, secretariat, period):
    make_indicator(period.project, "1", "Officials trained")
    set_value(period.project.indicators.get(), period, 12)
    client.force_login(manager)
    created = client.post(
        "/api/progress-reports/", {"period": period.pk, "narrative": "Courses ran."}
    )
    assert created.status_code == 201, created.json()
    report = created.json()
    assert report["indicators"][0]["name"] == "Officials trained"
    assert report["indicators"][0]["actual"] == "12.00"
    base = f"/api/progress-reports/{report['id']}/"
    assert client.post(base + "approve/").status_code == 403
    assert client.post(base + "submit/").json()["status"] == ReportStatus.SUBMITTED
    edit = client.patch(base, {"narrative": "Late edit"}, content_type="application/json")
    assert edit.status_code == 400

    client.force_login(secretariat)
    refused = client.post(base + "return/", {"comment": ""})
    assert refused.status_code == 400 and "comment" in refused.json()["detail"]
    returned = client.post(base + "return/", {"comment": "Add figures."})
    assert returned.json()["status"] == ReportStatus.RETURNED
    assert returned.json()["reviews"][-1]["comment"] == "Add figures."

    client.force_login(manager)
    client.patch(base, {"narrative": "Courses ran for 12."}, content_type="application/json")
    client.post(base + "submit/")
    client.force_login(secretariat)
    assert client.post(base + "approve/").json()["status"] == ReportStatus.APPROVED
    period.refresh_from_db()
    assert period.is_locked
    client.force_login(manager)
    locked = client.patch(base, {"narrative": "Changed"}, content_type="application/json")
    assert locked.status_code == 400 and "approved" in locked.json()["detail"]
    assert client.delete(f"/api/reporting-periods/{period.pk}/").status_code == 400
    client.force_login(secretariat)
    assert client.post(base + "reopen/", {}).status_code == 400
    assert client.post(base + "reopen/", {"comment": "Fix a typo"}).status_code == 200
    period.refresh_from_db()
    assert not period.is_locked


def test_outsiders_cannot_touch_a_report(client, other_manager, viewer, manager, period):
    client.force_login(manager)
    report = client.post("/api/progress-reports/", {"period": period.pk, "narrative": "Mine"})
    report_id = report.json()["id"]
    for outsider in (other_manager, viewer):
        client.force_login(outsider)
        assert client.get(f"/api/progress-reports/{report_id}/").status_code == 200
        patch = client.patch(
            f"/api/progress-reports/{report_id}/",
            {"narrative": "Theirs"},
            content_type="application/json",
        )
        assert patch.status_code == 403
        assert client.post(f"/api/progress-reports/{report_id}/submit/").status_code == 403
    assert client.get("/api/progress-reports/").json()["results"][0]["narrative"] == "Mine"


def test_risks_crud_for_editors(client, manager, other_manager, viewer, project):
    body = {"project": project.pk, "title": "Low turnout", "likelihood": 4, "impact": 3}
    client.force_login(other_manager)
    assert client.post("/api/risks/", body).status_code == 403
    client.force_login(manager)
    assert client.post("/api/risks/", {**body, "impact": 7}).status_code == 400
    created = client.post("/api/risks/", body)
    assert created.status_code == 201 and created.json()["score"] == 12
    url = f"/api/risks/{created.json()['id']}/"
    for outsider in (other_manager, viewer):
        client.force_login(outsider)
        assert client.get(url).status_code == 200
        assert (
            client.patch(url, {"status": "closed"}, content_type="application/json").status_code
            == 403
        )
        assert client.delete(url).status_code == 403
    client.force_login(manager)
    changed = client.patch(url, {"status": "mitigated"}, content_type="application/json")
    assert changed.json()["status"] == "mitigated"
    assert client.delete(url).status_code == 204
    assert not Risk.objects.exists()
    assert [e.action for e in AuditEntry.objects.order_by("pk")] == [
        "risk.created",
        "risk.updated",
        "risk.deleted",
    ]


def test_the_schema_describes_the_endpoints(client, db):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    for path in (
        "/api/reporting-periods/",
        "/api/progress-reports/{id}/return/",
        "/api/progress-reports/{id}/reopen/",
        "/api/risks/{id}/",
    ):
        assert path in schema["paths"]


def test_the_schema_has_no_warnings(capsys):
    from drf_spectacular.drainage import GENERATOR_STATS
    from drf_spectacular.generators import SchemaGenerator

    GENERATOR_STATS.reset()
    SchemaGenerator().get_schema(request=None, public=True)
    assert not GENERATOR_STATS, capsys.readouterr().err
