"""Totals by institution, country, category and project: each figure is the sum of the items
it stands for, the page costs a fixed number of queries, and the XLSX holds the same figures."""

import io
from collections import defaultdict
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from liaison.directory.models import Organisation
from liaison.equipment import services, totals
from liaison.equipment.models import HANDED_OVER, Category, Item, ItemStatus
from liaison.portfolio.models import Participation

from .conftest import advance, request

pytestmark = pytest.mark.django_db


@pytest.fixture
def portfolio(secretariat, manager, project, unit, organisation, other_project, countries):
    """Items at every step in two projects, three institutions, two countries, two categories
    and two currencies; one rejected, which the totals leave out."""
    moldova = Organisation.objects.create(name="Unit of Moldova", country=countries["MD"])
    Participation.objects.create(project=other_project, organisation=moldova)
    specs = [
        (manager, project, unit, Category.IT, 2, "6400", ItemStatus.IN_USE, "6100"),
        (manager, project, unit, Category.IT, 1, "9800", ItemStatus.DELIVERED, "9450.50"),
        (
            manager,
            project,
            organisation,
            Category.VEHICLES,
            1,
            "30000",
            ItemStatus.PROCURED,
            "29000",
        ),
        (manager, project, organisation, Category.IT, 4, "5200", ItemStatus.APPROVED, ""),
        (secretariat, other_project, moldova, Category.IT, 3, "1500", ItemStatus.DELIVERED, "1400"),
        (
            secretariat,
            other_project,
            moldova,
            Category.VEHICLES,
            1,
            "700",
            ItemStatus.REQUESTED,
            "",
        ),
    ]
    for actor, proj, institution, category, quantity, estimate, status, actual in specs:
        item = request(
            actor,
            proj,
            institution,
            category=category,
            quantity=quantity,
            estimated_cost=Decimal(estimate),
        )
        if status != ItemStatus.REQUESTED:
            advance(secretariat, item, status, actual=actual or "0")
    dollars = request(manager, project, unit, estimated_cost=Decimal("999"), currency="USD")
    advance(secretariat, dollars, ItemStatus.DELIVERED, actual="990")
    rejected = request(manager, project, unit, estimated_cost=Decimal("123456"))
    services.reject(secretariat, rejected, "No")
    return Item.objects.exclude(status=ItemStatus.REJECTED)


def expected(items, key):
    """The figures of ``key`` worked out item by item in Python."""
    label = {
        "institution": lambda i: i.institution.name,
        "country": lambda i: i.institution.country.name,
        "category": lambda i: str(Category(i.category).label),
        "project": lambda i: i.project.acronym,
    }[key]
    sums = defaultdict(lambda: defaultdict(Decimal))
    for item in items:
        row = sums[(label(item), item.currency)]
        row["items"] += 1
        row["quantity"] += item.quantity
        row["estimated"] += item.estimated_cost
        row["actual"] += item.actual_cost or 0
        row["delivered"] += item.status in HANDED_OVER
        row["delivered_value"] += item.cost if item.status in HANDED_OVER else 0
    return {k: dict(v) for k, v in sums.items()}


def as_dict(breakdown):
    return {
        (row.label, row.currency): {
            name: getattr(row, name)
            for name in ["items", "quantity", "estimated", "actual", "delivered", "delivered_value"]
        }
        for row in breakdown.rows
    }


@pytest.mark.parametrize("key", ["institution", "country", "category", "project"])
def test_each_breakdown_is_the_sum_of_its_items(portfolio, key):
    figures = totals.build()
    part = next(b for b in figures.breakdowns if b.key == key)
    assert as_dict(part) == expected(portfolio, key)


def test_the_overall_totals_are_per_currency_and_leave_out_rejections(portfolio):
    overall = {row.currency: row for row in totals.build().overall}
    assert set(overall) == {"EUR", "USD"}
    eur = overall["EUR"]
    assert eur.items == 6 and eur.quantity == 12 and eur.delivered == 3
    assert eur.estimated == Decimal("53600")
    assert eur.actual == Decimal("6100") + Decimal("9450.50") + Decimal("29000") + Decimal("1400")
    assert eur.delivered_value == Decimal("6100") + Decimal("9450.50") + Decimal("1400")
    assert overall["USD"].delivered_value == Decimal("990")


def test_filters_narrow_every_figure(portfolio, project, countries):
    figures = totals.build(project=project, country=countries["GE"], category=Category.IT)
    eur = next(row for row in figures.overall if row.currency == "EUR")
    assert (eur.items, eur.estimated) == (2, Decimal("16200"))
    assert totals.build(year=1999).overall == []


def test_the_totals_page_costs_a_fixed_number_of_queries(
    client, viewer, portfolio, secretariat, manager, project, unit, django_assert_max_num_queries
):
    client.force_login(viewer)
    query = {"project": project.pk, "country": "GE", "category": "it", "year": ""}
    with django_assert_max_num_queries(16) as few:
        response = client.get(reverse("equipment:totals"), query)
    assert response.status_code == 200
    for _n in range(10):
        advance(secretariat, request(manager, project, unit), ItemStatus.DELIVERED)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("equipment:totals"), query)
    page = response.content.decode()
    assert 'data-testid="totals-country"' in page and "Georgia" in page


def test_the_xlsx_opens_and_holds_the_figures(client, viewer, portfolio):
    client.force_login(viewer)
    response = client.get(reverse("equipment:totals"), {"format": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="equipment-totals.xlsx"'
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Totals", "Institution", "Country", "Category", "Funding project"]
    rows = list(book["Country"].iter_rows(values_only=True))
    assert rows[0] == (
        "Country",
        "Currency",
        "Items",
        "Quantity",
        "Delivered",
        "Estimated cost",
        "Actual cost",
        "Delivered value",
    )
    georgia = {r[1]: r for r in rows[1:] if r[0] == "Georgia"}
    assert georgia["EUR"][2:] == (2, 3, 2, 16200, 15550.5, 15550.5)
    summary = {r[0]: r for r in book["Totals"].iter_rows(min_row=2, values_only=True)}
    assert summary["EUR"][1] == 6 and summary["USD"][6] == 990


def test_spreadsheet_cells_cannot_carry_formulas(client, viewer, manager, project, countries):
    rogue = Organisation.objects.create(name='=HYPERLINK("http://x")', country=countries["GE"])
    Participation.objects.create(project=project, organisation=rogue)
    request(manager, project, rogue)
    client.force_login(viewer)
    response = client.get(reverse("equipment:totals"), {"format": "xlsx"})
    book = load_workbook(io.BytesIO(response.content))
    labels = [r[0] for r in book["Institution"].iter_rows(min_row=2)]
    # The name exactly as written, in a text cell: never a formula, no apostrophe shown.
    assert [(cell.value, cell.data_type) for cell in labels] == [('=HYPERLINK("http://x")', "s")]


def test_a_bad_filter_shows_an_error(client, viewer):
    client.force_login(viewer)
    response = client.get(reverse("equipment:totals"), {"year": "soon"})
    assert response.status_code == 200 and response.context["totals"] is None
