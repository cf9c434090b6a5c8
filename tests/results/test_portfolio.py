"""Portfolio results: core indicators summed across projects, their breakdowns and filters."""

from decimal import Decimal

import pytest

from liaison.portfolio.models import Project
from liaison.results.models import Accumulation, CoreIndicator
from liaison.results.portfolio import core_totals
from tests.conftest import make_project

from .factories_reports import D, make_indicator, make_period, set_value


@pytest.fixture
def cores(db):
    return {
        "trained": CoreIndicator.objects.create(code="officials-trained", name="Officials trained"),
        "equipped": CoreIndicator.objects.create(
            code="institutions-equipped", name="Institutions equipped", order=2
        ),
    }


@pytest.fixture
def two_projects(countries, cores, manager):
    """Serbia's project counts trainees per period by sex and country, Georgia's reports the
    latest headcount without a breakdown."""
    serbia = make_project(
        "Serbian academy", acronym="SRB", countries=[countries["RS"]], typologies=["operational"]
    )
    georgia = make_project(
        "Georgian school",
        acronym="GEO",
        countries=[countries["GE"]],
        instrument="BMVI",
        typologies=["capacity"],
    )
    rs = countries["RS"]
    s1 = make_period(serbia, "S1", D(2022, 1, 1), D(2022, 6, 30))
    s2 = make_period(serbia, "S2", D(2022, 7, 1), D(2022, 12, 31))
    trained = make_indicator(
        serbia, "1", "Trained", core=cores["trained"], dimensions=["sex", "country"]
    )
    set_value(trained, s1, 10, sex="female", country=rs)
    set_value(trained, s1, 5, sex="male", country=rs)
    set_value(trained, s2, 3, sex="female", country=rs)
    equipped = make_indicator(
        serbia, "2", "Equipped", core=cores["equipped"], accumulation=Accumulation.CUMULATIVE
    )
    set_value(equipped, s1, 4)
    set_value(equipped, s2, 6)

    g1 = make_period(georgia, "G1", D(2022, 1, 1), D(2022, 12, 31))
    g2 = make_period(georgia, "G2", D(2023, 1, 1), D(2023, 12, 31))
    headcount = make_indicator(
        georgia, "1", "Headcount", core=cores["trained"], accumulation=Accumulation.LATEST
    )
    set_value(headcount, g1, 7)
    set_value(headcount, g2, 9)
    kits = make_indicator(georgia, "2", "Kits", core=cores["equipped"])
    set_value(kits, g1, 2)
    set_value(kits, g2, 1)
    make_indicator(georgia, "3", "Not a core indicator")
    return serbia, georgia


def by_code(totals):
    return {t.core.code: t for t in totals}


def test_core_indicators_add_up_by_each_projects_rules(two_projects):
    totals = by_code(core_totals(Project.objects.all()))
    trained = totals["officials-trained"]
    # Serbia adds its periods (10 + 5 + 3); Georgia counts its latest headcount (9).
    assert trained.value == Decimal(27)
    assert {c.project.acronym: c.value for c in trained.contributions} == {"SRB": 18, "GEO": 9}
    assert dict(trained.rows("sex")) == {"Female": 13, "Male": 5, "Not broken down": 9}
    assert dict(trained.rows("country")) == {"Serbia": 18, "Not broken down": 9}
    # Cumulative: Serbia's latest running total (6); incremental: Georgia's sum (2 + 1).
    assert totals["institutions-equipped"].value == Decimal(9)
    assert totals["institutions-equipped"].projects == 2


@pytest.mark.parametrize(
    ("query", "trained", "equipped"),
    [
        ({"country": "RS"}, 18, 6),
        ({"country": "GE"}, 9, 3),
        ({"instrument": "BMVI"}, 9, 3),
        ({"typology": "operational"}, 18, 6),
        ({"country": "HU"}, None, None),
    ],
)
def test_the_page_filters_by_country_instrument_and_typology(
    client, viewer, two_projects, query, trained, equipped
):
    client.force_login(viewer)
    response = client.get("/results/", query)
    assert response.status_code == 200
    totals = by_code(response.context["totals"])
    assert totals["officials-trained"].value == trained
    assert totals["institutions-equipped"].value == equipped


def test_the_page_shows_each_core_indicator_with_its_projects(client, viewer, two_projects):
    serbia, _georgia = two_projects
    client.force_login(viewer)
    body = client.get("/results/").content.decode()
    section = body.split('data-testid="core-officials-trained"')[1].split("</section>")[0]
    assert '<p class="core-total" data-testid="total">27</p>' in section
    assert f'href="/results/projects/{serbia.pk}/periods/"' in section
    assert "Not broken down" in section


def test_portfolio_results_are_for_staff(client, public_user, two_projects):
    client.force_login(public_user)
    assert client.get("/results/").status_code == 403
    client.logout()
    assert client.get("/results/").status_code == 302


def test_invalid_filters_count_nothing(client, viewer, two_projects):
    client.force_login(viewer)
    response = client.get("/results/", {"country": "XX"})
    assert response.status_code == 200
    assert by_code(response.context["totals"])["officials-trained"].value is None


def test_the_dashboard_shows_core_totals_to_staff_only(client, viewer, two_projects):
    client.force_login(viewer)
    body = client.get("/").content.decode()
    panel = body.split('data-testid="core-results"')[1].split("</section>")[0]
    assert "Officials trained" in panel and ">27<" in panel and 'href="/results/' in panel
    client.logout()
    assert 'data-testid="core-results"' not in client.get("/").content.decode()


def test_portfolio_queries_do_not_grow_with_projects(
    client, viewer, two_projects, cores, countries, django_assert_max_num_queries
):
    client.force_login(viewer)
    with django_assert_max_num_queries(20) as first:
        client.get("/results/")
    for n in range(10):
        project = make_project(f"P{n}", acronym=f"P{n}", countries=[countries["MD"]])
        period = make_period(project, "Year", D(2022, 1, 1), D(2022, 12, 31))
        indicator = make_indicator(
            project, "1", "Trained", core=cores["trained"], dimensions=["sex"]
        )
        set_value(indicator, period, n + 1, sex="female")
    with django_assert_max_num_queries(len(first.captured_queries)):
        response = client.get("/results/")
    assert by_code(response.context["totals"])["officials-trained"].value == 27 + 55
