"""Lost updates (issue 13, item 7): a save over someone else's newer change is refused, nothing
of it is saved, and the second person sees what changed, by whom, and may save again on purpose."""

import pytest
from django.test import Client
from django.urls import reverse

from liaison.core.models import AuditEntry


def _project_form_data(response, **changes):
    """What a browser would post back from the project edit page, with ``changes`` typed in."""
    form = response.context["form"]
    project = form.instance
    data = {
        k: v
        for k, v in form.initial.items()
        if v is not None and k not in {"countries", "themes", "typologies"}
    }
    data.update(
        {
            "countries": [c.pk for c in project.countries.all()],
            "typologies": [t.pk for t in project.typologies.all()],
            "themes": [t.pk for t in project.themes.all()],
            "facility": data.get("facility") or "",
            "funding-TOTAL_FORMS": "1",
            "funding-INITIAL_FORMS": "1",
        }
    )
    line = project.funding_lines.get()
    data.update(
        {
            "funding-0-id": line.pk,
            "funding-0-instrument": line.instrument_id,
            "funding-0-eu_contribution": str(line.eu_contribution),
            "funding-0-co_financing": str(line.co_financing),
        }
    )
    data.update(changes)
    return data


@pytest.fixture
def two_editors(manager, secretariat):
    first, second = Client(), Client()
    first.force_login(manager)
    second.force_login(secretariat)
    return first, second


def test_second_save_of_a_project_opened_before_the_first_is_refused(two_editors, project):
    first, second = two_editors
    url = reverse("portfolio:project_edit", args=[project.pk])
    opened_first, opened_second = first.get(url), second.get(url)
    original_end = project.end

    saved = first.post(url, _project_form_data(opened_first, title="Safer Borders II"))
    assert saved.status_code == 302

    refused = second.post(
        url, _project_form_data(opened_second, title="Borders (typo)", end="2030-01-01")
    )
    assert refused.status_code == 200
    project.refresh_from_db()
    assert project.title == "Safer Borders II", "the first person's change stays"
    assert project.end == original_end, "nothing of the second person's save was stored"
    assert AuditEntry.objects.filter(object_id=str(project.pk)).count() == 1

    body = refused.content.decode()
    assert "Changed by someone else while you were editing" in body
    assert "Safer Borders II" in body, "the other person's value is shown"
    assert "Petra Manager" in body, "the panel names who changed it"
    panel = body[body.index("conflict-title") : body.index("</section>")]
    assert "Title" in panel and "End" not in panel, "only the fields changed meanwhile"
    assert 'value="Borders (typo)"' in body, "the second person's input is kept"


def test_saving_again_after_seeing_the_conflict_replaces_on_purpose(two_editors, project):
    first, second = two_editors
    url = reverse("portfolio:project_edit", args=[project.pk])
    opened_first, opened_second = first.get(url), second.get(url)
    first.post(url, _project_form_data(opened_first, title="Safer Borders II"))
    refused = second.post(url, _project_form_data(opened_second, title="Borders, agreed"))

    again = refused.context["form"].data.copy()
    assert again["record_version"] != opened_second.context["form"].initial["record_version"]
    assert second.post(url, again).status_code == 302
    project.refresh_from_db()
    assert project.title == "Borders, agreed"


def test_a_change_of_funding_lines_alone_is_a_change_of_the_project(two_editors, project):
    first, second = two_editors
    url = reverse("portfolio:project_edit", args=[project.pk])
    opened_first, opened_second = first.get(url), second.get(url)
    first.post(url, _project_form_data(opened_first, **{"funding-0-eu_contribution": "1"}))

    refused = second.post(url, _project_form_data(opened_second, title="Other"))
    assert refused.status_code == 200
    project.refresh_from_db()
    assert project.funding_lines.get().eu_contribution == 1
    assert project.title != "Other"


def test_a_form_posted_without_a_version_is_not_checked(two_editors, project):
    """Scripts and old clients that send no version keep working (documented in decisions.md)."""
    first, _second = two_editors
    url = reverse("portfolio:project_edit", args=[project.pk])
    data = _project_form_data(first.get(url), title="No version")
    data.pop("record_version")
    assert first.post(url, data).status_code == 302


def test_detail_endpoints_of_read_only_records_send_their_version(client, organisation, project):
    """Organisations, people and projects change through the pages and the admin only; their
    API answers carry the ETag so a client can tell whether a record changed."""
    first = client.get(f"/api/organisations/{organisation.pk}/")
    assert first.status_code == 200 and first["ETag"]
    organisation.name = "Ministry of the Interior"
    organisation.save()
    assert client.get(f"/api/organisations/{organisation.pk}/")["ETag"] != first["ETag"]
    assert client.get(f"/api/projects/{project.pk}/")["ETag"]


def test_the_api_version_of_a_project_is_the_one_its_edit_form_carries(client, manager, project):
    client.force_login(manager)
    form = client.get(reverse("portfolio:project_edit", args=[project.pk])).context["form"]
    etag = client.get(f"/api/projects/{project.pk}/")["ETag"]
    assert etag == f'"{form.initial["record_version"]}"'


def test_the_admin_refuses_a_save_over_a_newer_change_of_an_organisation(
    client, secretariat, organisation
):
    """Organisations and people are edited in the admin only; it uses the same check."""
    client.force_login(secretariat)
    url = reverse("admin:directory_organisation_change", args=[organisation.pk])
    form = client.get(url).context["adminform"].form
    data = {name: form.initial.get(name) for name in form.fields}
    data = {k: "" if v is None else v for k, v in data.items()}

    organisation.name = "Ministry of the Interior"
    organisation.save()

    refused = client.post(url, {**data, "acronym": "MUP", "_save": "Save"})
    assert refused.status_code == 200
    assert "Someone else changed this record" in refused.content.decode()
    organisation.refresh_from_db()
    assert (organisation.name, organisation.acronym) == ("Ministry of the Interior", "MOI")

    again = refused.context["adminform"].form.data.copy()
    assert client.post(url, again).status_code == 302
    organisation.refresh_from_db()
    assert organisation.acronym == "MUP"


def test_the_schema_documents_etag_if_match_and_412(client, db):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    patch = schema["paths"]["/api/events/{id}/"]["patch"]
    assert "If-Match" in [p["name"] for p in patch["parameters"]]
    assert "412" in patch["responses"] and "ETag" in patch["responses"]["200"]["headers"]
    read = schema["paths"]["/api/organisations/{id}/"]["get"]
    assert "ETag" in read["responses"]["200"]["headers"]
    assert "put" not in schema["paths"]["/api/organisations/{id}/"]


@pytest.mark.parametrize("header", ['"garbage"', '"x.99999999999999999999999"', '"a.²"', "W/x, y"])
def test_a_malformed_if_match_is_a_precondition_failure_not_an_error(
    client, secretariat, project, header
):
    from liaison.events.models import Event
    from tests.events.conftest import make_event

    event = make_event("Workshop", projects=[project])
    client.force_login(secretariat)
    response = client.patch(
        f"/api/events/{event.pk}/",
        {"title": "Renamed"},
        content_type="application/json",
        headers={"If-Match": header},
    )
    assert response.status_code == 412, response.content
    assert Event.objects.get(pk=event.pk).title == "Workshop"


@pytest.mark.django_db(transaction=True)
def test_two_saves_at_the_same_moment_cannot_both_pass_the_check(project):
    """The check reads the row with select_for_update in the save's transaction: the second save
    waits for the first to commit, then sees its change (PostgreSQL locks the row; SQLite lets
    one writer in at a time)."""
    import threading

    from django.db import connection

    from liaison.core.concurrency import Conflict, unchanged, version
    from liaison.portfolio.models import Project

    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL (LIAISON_DATABASE_URL)")
    opened = version(project, ("funding_lines",))
    inside, outcomes = threading.Event(), []

    def save(title, hold):
        try:
            with unchanged(project, opened, ("funding_lines",)):
                Project.objects.filter(pk=project.pk).update(title=title)
                if hold:
                    inside.set()
                    threading.Event().wait(0.5)
            outcomes.append(title)
        except Conflict:
            outcomes.append("conflict")
        finally:
            connection.close()

    first = threading.Thread(target=save, args=("First", True))
    first.start()
    inside.wait(5)
    second = threading.Thread(target=save, args=("Second", False))
    second.start()
    first.join(10)
    second.join(10)
    assert outcomes == ["First", "conflict"]
    assert Project.objects.get(pk=project.pk).title == "First"
