"""The public API: who sees what, the shared project filters, paging, cost per page and the docs."""

import base64
import datetime
import hashlib
import re
from decimal import Decimal

import pytest
from django.contrib.staticfiles import finders
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from liaison.directory.api import ApiPagination
from liaison.directory.models import (
    Agreement,
    Membership,
    MembershipRole,
    Network,
    Organisation,
    OrganisationType,
)
from liaison.portfolio.models import Component, Facility, ParticipationRole
from tests.conftest import make_project

pytestmark = pytest.mark.django_db

ONGOING = {"start": datetime.date(2020, 1, 1), "end": datetime.date(2099, 12, 31)}


@pytest.fixture(autouse=True)
def _fresh_throttle(db):
    # The anonymous rate limit counts in the cache, which outlives a single test.
    cache.clear()
    yield
    cache.clear()


def ids(response):
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


@pytest.fixture
def portfolio(countries, organisation):
    """Projects that each match exactly one of the filters under test."""
    return {
        "serbia": make_project(
            "Police training in Serbia",
            acronym="POLTR",
            countries=[countries["RS"]],
            instrument="ISF-P",
            typologies=["operational"],
            organisations=[(organisation, ParticipationRole.LEAD)],
            **ONGOING,
        ),
        "hybrid": make_project(
            "Border dialogue in Georgia",
            acronym="BORD",
            countries=[countries["GE"]],
            instrument="BMVI",
            typologies=["operational", "capacity"],
            **ONGOING,
        ),
        "completed": make_project(
            "Finished integration work",
            acronym="DONE",
            countries=[countries["HU"]],
            instrument="AMIF",
            start=datetime.date(2015, 1, 1),
            end=datetime.date(2016, 12, 31),
            budget=Decimal("1000000"),
        ),
    }


# Visibility -----------------------------------------------------------------------------------


def test_public_sees_public_projects_but_not_drafts(client, project, draft_project):
    assert ids(client.get("/api/projects/")) == {project.pk}
    assert client.get(f"/api/projects/{project.pk}/").status_code == 200
    assert client.get(f"/api/projects/{draft_project.pk}/").status_code == 404


def test_public_account_does_not_see_drafts_either(client, public_user, project, draft_project):
    client.force_login(public_user)
    assert ids(client.get("/api/projects/")) == {project.pk}
    assert client.get(f"/api/projects/{draft_project.pk}/").status_code == 404
    assert ids(client.get("/api/projects/?q=HUSH")) == set()


def test_staff_viewer_sees_drafts(client, viewer, project, draft_project):
    client.force_login(viewer)
    assert ids(client.get("/api/projects/")) == {project.pk, draft_project.pk}
    response = client.get(f"/api/projects/{draft_project.pk}/")
    assert response.status_code == 200
    assert response.json()["visibility"] == "draft"


def test_project_list_fields(client, project):
    row = client.get("/api/projects/").json()["results"][0]
    assert row["id"] == project.pk
    assert row["title"] == "Safer Borders"
    assert row["status"] == "completed"
    assert row["visibility"] == "public"
    assert row["total_budget"] == "454415.40"
    assert row["currency"] == "EUR"
    assert sorted(row["countries"]) == ["GE", "RS"]
    assert row["typologies"] == ["operational"]
    assert row["is_hybrid"] is False
    assert row["instruments"] == ["ISF-P"]
    assert row["url"].endswith(f"/api/projects/{project.pk}/")
    assert "summary" not in row


def test_project_detail_has_partners_money_and_work(client, project, organisation):
    facility = Facility.objects.create(name="Partnership Facility", acronym="MPF")
    project.facility = facility
    project.summary = "Joint training."
    project.save()
    Component.objects.create(project=project, order=1, title="Training", expected_results="Done")

    data = client.get(f"/api/projects/{project.pk}/").json()

    assert data["summary"] == "Joint training."
    assert data["facility"] == {"id": facility.pk, "name": "Partnership Facility", "acronym": "MPF"}
    assert data["funding_lines"][0]["instrument"] == "ISF-P"
    assert data["funding_lines"][0]["total"] == "454415.40"
    assert data["participations"][0]["role"] == "lead"
    assert data["participations"][0]["organisation"]["id"] == organisation.pk
    assert data["participations"][0]["organisation"]["name"] == "Ministry of Interior"
    assert data["components"][0]["title"] == "Training"
    assert data["themes"] == [{"code": "police-cooperation", "name": "Police cooperation"}]


# Personal data --------------------------------------------------------------------------------


def test_people_refused_to_anonymous_visitors(client, contact):
    response = client.get("/api/people/")
    assert response.status_code in {401, 403}
    assert b"ana.contact@example.org" not in response.content
    assert client.get(f"/api/people/{contact.pk}/").status_code in {401, 403}


def test_people_refused_to_public_accounts(client, public_user, contact):
    client.force_login(public_user)
    response = client.get("/api/people/")
    assert response.status_code == 403
    assert b"ana.contact@example.org" not in response.content


def test_people_served_to_staff_with_contact_details(client, viewer, contact):
    client.force_login(viewer)
    response = client.get("/api/people/")
    assert response.status_code == 200
    row = response.json()["results"][0]
    assert row["email"] == "ana.contact@example.org"
    assert row["phone"] == "+381 11 000 0000"
    assert row["organisation"]["name"] == "Ministry of Interior"


def test_people_filtered_by_country_and_organisation(client, viewer, contact, countries):
    elsewhere = Organisation.objects.create(name="Border Police", country=countries["GE"])
    other = elsewhere.people.create(name="Giorgi Other", email="giorgi@example.org")
    client.force_login(viewer)
    assert ids(client.get("/api/people/?country=RS")) == {contact.pk}
    assert ids(client.get(f"/api/people/?organisation={elsewhere.pk}")) == {other.pk}
    assert client.get("/api/people/?country=ZZ").status_code == 400


@pytest.mark.parametrize("signed_in", [False, True])
def test_organisation_detail_hides_contacts_from_the_public(
    client, public_user, organisation, contact, signed_in
):
    if signed_in:
        client.force_login(public_user)
    response = client.get(f"/api/organisations/{organisation.pk}/")
    assert response.status_code == 200
    assert "contacts" not in response.json()
    assert b"ana.contact@example.org" not in response.content
    assert b"+381" not in response.content


def test_organisation_detail_shows_contacts_to_staff(client, viewer, organisation, contact):
    client.force_login(viewer)
    data = client.get(f"/api/organisations/{organisation.pk}/").json()
    assert data["contacts"][0]["email"] == "ana.contact@example.org"


# Directory ------------------------------------------------------------------------------------


def test_countries_are_public_and_looked_up_by_code(client):
    data = client.get("/api/countries/RS/").json()
    assert data["name"] == "Serbia"
    assert data["region"] == "western_balkans"
    assert ids_of_codes(client.get("/api/countries/?region=western_balkans")) >= {"RS", "XK"}


def ids_of_codes(response):
    assert response.status_code == 200
    return {row["code"] for row in response.json()["results"]}


def test_organisations_filter(client, organisation, countries):
    police = Organisation.objects.create(
        name="Border Police", acronym="BP", type=OrganisationType.POLICE, country=countries["GE"]
    )
    assert ids(client.get("/api/organisations/?country=RS")) == {organisation.pk}
    assert ids(client.get("/api/organisations/?country=RS&country=GE")) == {
        organisation.pk,
        police.pk,
    }
    assert ids(client.get("/api/organisations/?type=police")) == {police.pk}
    assert ids(client.get("/api/organisations/?q=moi")) == {organisation.pk}
    assert ids(client.get("/api/organisations/?q=border")) == {police.pk}
    names = [r["name"] for r in client.get("/api/organisations/?ordering=-name").json()["results"]]
    assert names == ["Ministry of Interior", "Border Police"]
    assert client.get("/api/organisations/?country=ZZ").status_code == 400
    assert client.get("/api/organisations/?type=spies").status_code == 400


def test_networks_nest_members_and_agreements(client, organisation, countries):
    network = Network.objects.create(name="Training Network", acronym="TN", kind="other")
    Membership.objects.create(
        network=network, organisation=organisation, role=MembershipRole.SECRETARIAT
    )
    Agreement.objects.create(network=network, title="Founding MoU", signatories=7)
    Network.objects.create(name="Empty Network")

    data = client.get("/api/networks/?country=RS").json()

    assert data["count"] == 1
    row = data["results"][0]
    assert row["memberships"][0]["organisation"]["country"] == "RS"
    assert row["memberships"][0]["role"] == "secretariat"
    assert row["agreements"][0]["title"] == "Founding MoU"
    assert ids(client.get(f"/api/networks/?organisation={organisation.pk}")) == {network.pk}


def test_network_list_query_count_does_not_grow(client, countries):
    def add_networks(n):
        for i in range(n):
            network = Network.objects.create(name=f"Network {i}")
            organisation = Organisation.objects.create(name=f"Org {i}", country=countries["BG"])
            Membership.objects.create(network=network, organisation=organisation)
            Agreement.objects.create(network=network)

    add_networks(2)
    with CaptureQueriesContext(connection) as few:
        assert client.get("/api/networks/").status_code == 200
    add_networks(20)
    with CaptureQueriesContext(connection) as many:
        assert client.get("/api/networks/").status_code == 200
    assert len(many) == len(few)


# Filters, shared with the project list page ---------------------------------------------------


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("country=RS", {"serbia"}),
        ("country=RS&country=GE", {"serbia", "hybrid"}),
        ("instrument=ISF-P", {"serbia"}),
        ("typology=hybrid", {"hybrid"}),
        ("status=completed", {"completed"}),
        ("status=ongoing", {"serbia", "hybrid"}),
        ("q=dialogue", {"hybrid"}),
        ("q=POLTR", {"serbia"}),
        ("budget_min=500000", {"completed"}),
        ("country=RS&instrument=BMVI", set()),
    ],
)
def test_project_filters(client, portfolio, query, expected):
    assert ids(client.get(f"/api/projects/?{query}")) == {portfolio[k].pk for k in expected}


def test_project_sort_is_the_page_sort(client, portfolio):
    response = client.get("/api/projects/?sort=-budget")
    titles = [row["title"] for row in response.json()["results"]]
    assert titles[0] == "Finished integration work"
    response = client.get("/api/projects/?ordering=title")
    titles = [row["title"] for row in response.json()["results"]]
    assert titles == sorted(titles)


def test_unknown_country_is_a_clear_400(client, portfolio):
    response = client.get("/api/projects/?country=ZZ")
    assert response.status_code == 400
    assert "country" in response.json()
    assert "ZZ" in response.json()["country"][0]


@pytest.mark.parametrize(
    "query", ["budget_min=abc", "status=finished", "instrument=NOPE", "sort=sideways"]
)
def test_bad_filter_values_are_400_not_500(client, portfolio, query):
    response = client.get(f"/api/projects/?{query}")
    assert response.status_code == 400
    name = query.split("=")[0]
    assert name in response.json()


# Paging and cost ------------------------------------------------------------------------------


def test_pagination(client, countries):
    for i in range(5):
        make_project(f"Project {i}", acronym=f"P{i}", start=datetime.date(2020, 1, i + 1))

    first = client.get("/api/projects/?page_size=2").json()
    assert first["count"] == 5
    assert len(first["results"]) == 2
    assert "page=2" in first["next"]
    assert first["previous"] is None

    last = client.get("/api/projects/?page_size=2&page=3").json()
    assert len(last["results"]) == 1
    assert last["next"] is None

    everyone = set()
    for page in (1, 2, 3):
        everyone |= ids(client.get(f"/api/projects/?page_size=2&page={page}"))
    assert len(everyone) == 5

    assert client.get("/api/projects/?page=99").status_code == 404


def test_page_size_is_capped(client, countries, monkeypatch):
    monkeypatch.setattr(ApiPagination, "max_page_size", 3)
    for i in range(5):
        make_project(f"Project {i}", acronym=f"P{i}")
    assert len(client.get("/api/projects/?page_size=1000").json()["results"]) == 3


def test_page_size_limit_is_200():
    assert ApiPagination.max_page_size == 200
    assert ApiPagination.page_size_query_param == "page_size"


def add_rich_projects(n, countries, organisation):
    for i in range(n):
        project = make_project(
            f"Project {i}",
            acronym=f"R{i}",
            countries=[countries["RS"], countries["MD"]],
            typologies=["operational", "capacity"],
            themes=["border-management"],
            organisations=[(organisation, ParticipationRole.PARTNER)],
            **ONGOING,
        )
        Component.objects.create(project=project, title="Work")


@pytest.mark.parametrize("as_staff", [False, True])
def test_project_list_query_count_does_not_grow_with_rows(
    client, viewer, countries, organisation, as_staff
):
    if as_staff:
        client.force_login(viewer)
    add_rich_projects(3, countries, organisation)
    with CaptureQueriesContext(connection) as few:
        response = client.get("/api/projects/?page_size=100")
    assert len(response.json()["results"]) == 3

    add_rich_projects(27, countries, organisation)
    with CaptureQueriesContext(connection) as many:
        response = client.get("/api/projects/?page_size=100")
    assert len(response.json()["results"]) == 30

    assert len(many) == len(few), [q["sql"] for q in many.captured_queries]


def test_filtered_project_list_query_count_does_not_grow(client, countries, organisation):
    query = "/api/projects/?country=RS&instrument=ISF-P&status=ongoing&typology=hybrid"
    add_rich_projects(3, countries, organisation)
    with CaptureQueriesContext(connection) as few:
        assert len(ids(client.get(query))) == 3
    add_rich_projects(27, countries, organisation)
    with CaptureQueriesContext(connection) as many:
        assert len(ids(client.get(query))) == 30
    assert len(many) == len(few)


def test_project_detail_query_count_does_not_grow_with_partners(client, countries, organisation):
    project = make_project(countries=[countries["RS"]])
    with CaptureQueriesContext(connection) as few:
        assert client.get(f"/api/projects/{project.pk}/").status_code == 200
    for i in range(10):
        partner = Organisation.objects.create(name=f"Partner {i}", country=countries["BG"])
        project.participations.create(organisation=partner, role=ParticipationRole.PARTNER)
        Component.objects.create(project=project, order=i, title=f"Work {i}")
    project.countries.set(countries.values())
    with CaptureQueriesContext(connection) as many:
        assert client.get(f"/api/projects/{project.pk}/").status_code == 200
    assert len(many) == len(few)


def test_api_is_read_only(client, secretariat, project):
    client.force_login(secretariat)
    assert client.post("/api/projects/", {"title": "New"}).status_code == 405
    assert client.delete(f"/api/projects/{project.pk}/").status_code == 405


# Schema and docs ------------------------------------------------------------------------------


def test_schema_describes_the_endpoints(client):
    response = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    for path in ("/api/projects/", "/api/projects/{id}/", "/api/people/", "/api/networks/"):
        assert path in schema["paths"]
    parameters = {p["name"] for p in schema["paths"]["/api/projects/"]["get"]["parameters"]}
    assert {"country", "instrument", "typology", "status", "q", "page_size"} <= parameters


ASSET = re.compile(r"""<(?:script|link|img)\b[^>]*?\b(?:src|href)=["']([^"']+)["']""", re.I)


def test_docs_load_only_local_assets(client):
    response = client.get("/api/docs/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    html = response.content.decode()

    assert "http://" not in html and "https://" not in html
    assets = ASSET.findall(html)
    assert len(assets) >= 4  # stylesheet, favicon, two bundles, start-up script
    scripts = [a for a in assets if not a.startswith("/static/")]
    assert len(scripts) == 1 and scripts[0].startswith("/api/docs/?") and "script" in scripts[0]
    for asset in assets:
        if asset.startswith("/static/"):
            assert finders.find(asset.removeprefix("/static/")), asset

    # No inline code: every <script> has a src, so the CSP need not allow 'unsafe-inline'.
    assert len(re.findall(r"<script\b", html)) == len(re.findall(r"<script\b[^>]*\bsrc=", html))
    policy = response["Content-Security-Policy"]
    assert "unsafe-inline" not in policy
    # The page's few lines of inline CSS are allowed by their exact hash, nothing more.
    for block in re.findall(r"<style>(.*?)</style>", html, re.DOTALL):
        digest = base64.b64encode(hashlib.sha256(block.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in policy


def test_docs_start_up_script_is_served_as_javascript(client):
    html = client.get("/api/docs/").content.decode()
    script_url = next(a for a in ASSET.findall(html) if a.startswith("/api/docs/"))
    response = client.get(script_url.replace("&amp;", "&"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/javascript")
    assert "/api/schema/" in response.content.decode()
    assert "SwaggerUIBundle" in response.content.decode()


def test_filters_still_work_after_the_schema_was_generated(client, portfolio):
    """Regression: generating the schema cached the typology and year fields with no choices,
    so ``?typology=hybrid`` was refused until the server restarted."""
    client.get("/api/schema/")
    assert ids(client.get("/api/projects/?typology=hybrid")) == {portfolio["hybrid"].pk}
    assert ids(client.get("/api/projects/?year=2015")) == {portfolio["completed"].pk}


# Issue 13, item 11: the schema matches every response --------------------------------------


def published_schema(client):
    return client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()


@pytest.mark.parametrize("value", ["abc", "1.5", "0", "-3", "", "２"])
def test_page_size_must_be_a_whole_number(client, countries, value):
    """Regression: a non-integer page_size was accepted and quietly served 50 rows."""
    response = client.get("/api/countries/", {"page_size": value})
    assert response.status_code == 400
    assert "page_size" in response.json()


def test_every_operation_documents_its_refusals(client):
    schema = published_schema(client)
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            codes = set(operation["responses"])
            assert {"401", "403", "429"} <= codes, (method, path)
            if "{" in path:
                assert "404" in codes, (method, path)
            if "requestBody" in operation:
                assert {"400", "415"} <= codes, (method, path)
    refusal = schema["paths"]["/api/events/{id}/"]["patch"]["responses"]["403"]
    assert refusal["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/Error"
    }
    assert schema["components"]["schemas"]["Error"]["required"] == ["detail"]


def test_an_unknown_api_address_answers_json(client):
    """Regression: an id that is not a number got Django's HTML 404 page."""
    for path in ("/api/events/abc/", "/api/projects/%C2%9F/", "/api/no-such-thing/"):
        response = client.get(path)
        assert response.status_code == 404
        assert response["Content-Type"] == "application/json"
        assert "detail" in response.json()
    assert client.get("/api/projects").status_code == 301


@pytest.mark.parametrize(
    "component, field",
    [
        ("Person", "organisation"),
        ("Item", "handover"),
        ("EventDetail", "registration_form"),
        ("IndicatorValue", "country"),
        ("Speaker", "country"),
        ("Organisation", "country"),
    ],
)
def test_fields_that_may_be_null_say_so(client, component, field):
    """Regression: these were served as null where the schema said they never are."""
    properties = published_schema(client)["components"]["schemas"][component]["properties"]
    assert properties[field]["nullable"] is True


def test_a_blank_url_matches_one_alternative(client, organisation):
    """Regression: a blank website matched both branches of a ``oneOf`` (URL or blank)."""
    website = published_schema(client)["components"]["schemas"]["Organisation"]["properties"][
        "website"
    ]
    assert "oneOf" not in website
    assert {"maxLength": 0, "type": "string"} in website["anyOf"]


def test_basic_credentials_with_a_nul_character_are_refused(client, secretariat):
    """Found by the contract test on PostgreSQL: a NUL in a basic-auth username reached the
    login-attempt records and answered 500."""
    token = base64.b64encode(b"sec\x00:x\x00").decode("ascii")
    response = client.get("/api/registrations/", HTTP_AUTHORIZATION=f"Basic {token}")
    assert response.status_code in (401, 403)
    assert "detail" in response.json()
