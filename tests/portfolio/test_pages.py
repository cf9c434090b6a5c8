"""The project list, page, exports and edit form as users meet them."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from liaison.core.models import AuditEntry
from liaison.portfolio.models import Project, Visibility
from tests.conftest import make_project


def projects_url(query=""):
    return reverse("portfolio:projects") + (f"?{query}" if query else "")


def test_public_list_shows_public_projects_and_hides_drafts(client, project, draft_project):
    page = client.get(projects_url()).content.decode()
    assert project.title in page
    assert draft_project.title not in page


def test_staff_see_drafts_marked_as_such(client, viewer, project, draft_project):
    client.force_login(viewer)
    page = client.get(projects_url()).content.decode()
    assert draft_project.title in page
    assert "Draft" in page


def test_public_visitor_gets_404_for_a_draft(client, draft_project, public_user):
    assert client.get(draft_project.get_absolute_url()).status_code == 404
    client.force_login(public_user)
    assert client.get(draft_project.get_absolute_url()).status_code == 404


def test_filters_by_country_instrument_and_region(client, countries):
    rs = make_project("Serbian", acronym="RSP", countries=[countries["RS"]], instrument="AMIF")
    ge = make_project("Georgian", acronym="GEP", countries=[countries["GE"]], instrument="BMVI")
    tr = make_project("Turkish", acronym="TRP", countries=[countries["TR"]], instrument="BMVI")

    def titles(query):
        return {p.title for p in client.get(projects_url(query)).context["page"]}

    assert titles("country=RS") == {rs.title}
    assert titles("country=RS&country=GE") == {rs.title, ge.title}
    assert titles("instrument=BMVI") == {ge.title, tr.title}
    assert titles("instrument=BMVI&country=GE") == {ge.title}
    assert titles("region=eastern_partnership") == {ge.title}
    assert titles("region=turkiye&region=western_balkans") == {rs.title, tr.title}


def test_budget_range_and_sort(client, db):
    small = make_project("Small", acronym="S", budget=100_000)
    large = make_project("Large", acronym="L", budget=5_000_000)
    make_project("Middle", acronym="M", budget=900_000)
    page = client.get(projects_url("budget_min=500000&sort=-budget")).context["page"]
    assert [p.title for p in page] == ["Large", "Middle"]
    page = client.get(projects_url("budget_max=500000")).context["page"]
    assert [p.title for p in page] == [small.title]
    assert large.title not in [p.title for p in page]


def test_bad_filter_values_give_a_message_not_an_error(client, project):
    response = client.get(projects_url("country=ZZ&budget_min=lots&status=forever"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Some filters are not valid" in body
    assert response.context["page"].paginator.count == 0


def test_pagination_keeps_the_filters(client, countries):
    for i in range(30):
        make_project(f"Project {i:02}", acronym=f"P{i}", countries=[countries["RS"]])
    response = client.get(projects_url("country=RS&sort=title"))
    page = response.context["page"]
    assert page.paginator.count == 30
    assert len(page.object_list) == 25
    assert "country=RS&amp;sort=title&amp;page=2" in response.content.decode()
    second = client.get(projects_url("country=RS&sort=title&page=2")).context["page"]
    assert [p.title for p in second] == [f"Project {i:02}" for i in range(25, 30)]


def test_list_query_count_does_not_grow_with_rows(client, countries, django_assert_max_num_queries):
    make_project(countries=[countries["RS"]], typologies=["capacity"])
    with django_assert_max_num_queries(15) as few:
        client.get(projects_url())
    for i in range(40):
        make_project(
            f"More {i}",
            acronym=f"M{i}",
            countries=[countries["RS"], countries["GE"]],
            typologies=["capacity", "operational"],
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(projects_url())
    assert response.context["page"].paginator.count == 41


def test_csv_export_of_the_filtered_list(client, countries):
    make_project("In Serbia", acronym="RS1", countries=[countries["RS"]], reference="=cmd()")
    make_project("In Georgia", acronym="GE1", countries=[countries["GE"]])
    response = client.get(projects_url("country=RS&export=csv"))
    assert response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:3] == ["Reference", "Acronym", "Title"]
    assert [r[2] for r in rows[1:]] == ["In Serbia"]
    assert rows[1][0] == "'=cmd()", "formulas must not reach a spreadsheet"


def test_xlsx_export_opens_as_a_workbook(client, project, draft_project):
    response = client.get(projects_url("export=xlsx"))
    workbook = load_workbook(io.BytesIO(response.content))
    rows = list(workbook.active.values)
    assert rows[0][2] == "Title"
    titles = [r[2] for r in rows[1:]]
    assert project.title in titles
    assert draft_project.title not in titles, "exports follow the same visibility rules"


def test_xlsx_export_keeps_text_that_looks_like_a_formula_exactly(client, db):
    """Regression: such text was written with an apostrophe in front, which spreadsheet
    programs then showed as part of it; it is a text cell now, never a formula."""
    make_project("-5 % of crossings: @risk", acronym="+NET", reference="=cmd()")
    response = client.get(projects_url("export=xlsx"))
    sheet = load_workbook(io.BytesIO(response.content)).active
    reference, acronym, title = sheet[2][:3]
    assert (reference.value, acronym.value, title.value) == (
        "=cmd()",
        "+NET",
        "-5 % of crossings: @risk",
    )
    assert reference.data_type == acronym.data_type == title.data_type == "s"
    assert reference.quotePrefix  # kept text when someone edits the cell


def test_project_page_shows_partners_budget_and_status(client, project, organisation):
    body = client.get(project.get_absolute_url()).content.decode()
    assert project.title in body
    assert "Lead" in body and organisation.name in body
    assert "454,415.40" in body
    assert "Completed" in body
    assert "Edit project" not in body


def test_manager_edits_a_project_they_manage_with_an_audit_entry(client, manager, project):
    client.force_login(manager)
    url = reverse("portfolio:project_edit", args=[project.pk])
    form = client.get(url).context["form"]
    data = {
        k: v
        for k, v in form.initial.items()
        if v is not None and k not in {"countries", "themes", "typologies"}
    }
    data.update(
        {
            "title": "Safer Borders, second phase",
            "start": "2022-01-01",
            "end": "2024-06-30",
            "countries": [c.pk for c in project.countries.all()],
            "typologies": [t.pk for t in project.typologies.all()],
            "themes": [t.pk for t in project.themes.all()],
            "facility": "",
            "reason": "Extension agreed by the donor",
            "funding-TOTAL_FORMS": "1",
            "funding-INITIAL_FORMS": "1",
            "funding-0-id": project.funding_lines.get().pk,
            "funding-0-instrument": project.funding_lines.get().instrument_id,
            "funding-0-eu_contribution": "400000",
            "funding-0-co_financing": "54415.40",
        }
    )
    response = client.post(url, data)
    assert response.status_code == 302, response.context["form"].errors if response.context else ""
    project.refresh_from_db()
    assert project.title == "Safer Borders, second phase"
    assert str(project.end) == "2024-06-30"
    entry = AuditEntry.objects.get(object_id=str(project.pk))
    assert entry.actor == manager
    assert entry.reason == "Extension agreed by the donor"
    assert entry.changes["end"] == ["2023-12-31", "2024-06-30"]
    assert "funding" in entry.changes


def test_invalid_edit_saves_nothing(client, manager, project):
    client.force_login(manager)
    url = reverse("portfolio:project_edit", args=[project.pk])
    response = client.post(
        url,
        {
            "title": "",
            "start": "2024-01-01",
            "end": "2023-01-01",
            "visibility": "public",
            "currency": "EURO",
            "funding-TOTAL_FORMS": "0",
            "funding-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert {"title", "end", "currency"} <= set(errors)
    project.refresh_from_db()
    assert project.title == "Safer Borders"
    assert project.funding_lines.count() == 1
    assert not AuditEntry.objects.exists()


@pytest.mark.parametrize("who", ["other_manager", "viewer", "public_user"])
def test_others_may_not_edit(client, request, project, who):
    client.force_login(request.getfixturevalue(who))
    url = reverse("portfolio:project_edit", args=[project.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, {"title": "Hijacked"}).status_code == 403
    project.refresh_from_db()
    assert project.title == "Safer Borders"


def test_anonymous_edit_goes_to_sign_in(client, project):
    response = client.get(reverse("portfolio:project_edit", args=[project.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_secretariat_edits_any_project(client, secretariat, draft_project):
    client.force_login(secretariat)
    assert client.get(reverse("portfolio:project_edit", args=[draft_project.pk])).status_code == 200


def test_forged_post_without_csrf_token_is_refused(project, manager):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(manager)
    response = client.post(reverse("portfolio:project_edit", args=[project.pk]), {"title": "x"})
    assert response.status_code == 403
    assert Project.objects.get(pk=project.pk).title == "Safer Borders"


def test_drafts_stay_out_of_public_dashboard_figures(client, project, draft_project):
    figures = client.get("/").context["figures"]
    assert figures["projects"] == 1
    assert draft_project.visibility == Visibility.DRAFT


def test_a_staff_viewer_listed_as_manager_still_only_reads(client, viewer, project):
    project.managers.add(viewer)
    client.force_login(viewer)
    assert client.get(reverse("portfolio:project_edit", args=[project.pk])).status_code == 403


def test_list_fragment_and_page_are_kept_apart_by_caches(client, project):
    response = client.get(projects_url(), headers={"HX-Request": "true"})
    assert "HX-Request" in response["Vary"]
    assert "<html" not in response.content.decode()
