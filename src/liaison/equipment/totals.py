"""Equipment totals: how many items, and what they cost, by institution, country, category and
funding project.

Every figure is summed in the database, one query for the overall totals and one per
breakdown, whatever the number of items. Rejected requests are left out. Amounts are never
added across currencies: each row is one currency.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook

from liaison.core.exports import xlsx_row

from .models import HANDED_OVER, Category, Item, ItemStatus

FIGURES = {
    "items": Count("pk"),
    "quantity": Sum("quantity"),
    "delivered": Count("pk", filter=Q(status__in=HANDED_OVER)),
    "estimated": Sum("estimated_cost"),
    "actual": Sum("actual_cost"),
    # What the institutions hold: paid price, or the estimate where none was recorded.
    "delivered_value": Sum(
        Coalesce("actual_cost", "estimated_cost"), filter=Q(status__in=HANDED_OVER)
    ),
}
DIMENSIONS = {
    "institution": (
        gettext_lazy("Institution"),
        gettext_lazy("By institution"),
        ("institution", "institution__name"),
    ),
    "country": (
        gettext_lazy("Country"),
        gettext_lazy("By country"),
        ("institution__country__name",),
    ),
    "category": (gettext_lazy("Category"), gettext_lazy("By category"), ("category",)),
    "project": (
        gettext_lazy("Funding project"),
        gettext_lazy("By funding project"),
        ("project", "project__acronym", "project__title"),
    ),
}
COLUMNS = [
    ("items", gettext_lazy("Items")),
    ("quantity", gettext_lazy("Quantity")),
    ("delivered", gettext_lazy("Delivered")),
    ("estimated", gettext_lazy("Estimated cost")),
    ("actual", gettext_lazy("Actual cost")),
    ("delivered_value", gettext_lazy("Delivered value")),
]


@dataclass
class Row:
    label: str
    currency: str
    items: int = 0
    quantity: int = 0
    delivered: int = 0
    estimated: Decimal = Decimal(0)
    actual: Decimal = Decimal(0)
    delivered_value: Decimal = Decimal(0)

    @classmethod
    def from_group(cls, label: str, group: dict) -> "Row":
        return cls(
            label=label,
            currency=group["currency"],
            **{name: group[name] or 0 for name, _title in COLUMNS},
        )


@dataclass
class Breakdown:
    key: str
    title: str
    heading: str
    rows: list[Row] = field(default_factory=list)

    def chart(self) -> dict | None:
        """Estimated cost and delivered value per row, for the bar chart of ``charts.js``; none
        when the rows are in more than one currency."""
        if len({row.currency for row in self.rows}) != 1:
            return None
        return {
            "labels": [row.label for row in self.rows],
            "approved": [float(row.estimated) for row in self.rows],
            "attended": [float(row.delivered_value) for row in self.rows],
        }


@dataclass
class Totals:
    overall: list[Row]
    breakdowns: list[Breakdown]


def items(base=None, *, project=None, country=None, category=None, year=None):
    """The items the totals count: not rejected, narrowed by the page's filters."""
    queryset = (base if base is not None else Item.objects.all()).exclude(
        status=ItemStatus.REJECTED
    )
    if project:
        queryset = queryset.filter(project=project)
    if country:
        queryset = queryset.filter(institution__country=country)
    if category:
        queryset = queryset.filter(category=category)
    if year:
        queryset = queryset.filter(requested_on__year=year)
    return queryset


def _label(key: str, group: dict) -> str:
    if key == "institution":
        return group["institution__name"]
    if key == "country":
        return group["institution__country__name"] or _("Not stated")
    if key == "category":
        value = group["category"]
        return str(Category(value).label) if value in Category.values else value
    return group["project__acronym"] or group["project__title"]


def breakdown(queryset, key: str) -> Breakdown:
    title, heading, paths = DIMENSIONS[key]
    grouped = queryset.values(*paths, "currency").annotate(**FIGURES).order_by()
    rows = [Row.from_group(_label(key, group), group) for group in grouped]
    rows.sort(key=lambda row: (row.currency, -row.estimated, row.label))
    return Breakdown(key, str(title), str(heading), rows)


def build(base=None, **filters) -> Totals:
    queryset = items(base, **filters)
    overall = [
        Row.from_group(group["currency"], group)
        for group in queryset.values("currency").annotate(**FIGURES).order_by("currency")
    ]
    return Totals(overall, [breakdown(queryset, key) for key in DIMENSIONS])


def xlsx(totals: Totals, out):
    """Write the totals as a workbook, one sheet per breakdown, into the file-like ``out``."""
    workbook = Workbook(write_only=True)
    headings = [str(title) for _name, title in COLUMNS]
    summary = workbook.create_sheet(_("Totals"))
    summary.append(xlsx_row(summary, [_("Currency"), *headings]))
    for row in totals.overall:
        summary.append(xlsx_row(summary, [row.currency, *_figures(row)]))
    for part in totals.breakdowns:
        sheet = workbook.create_sheet(part.title[:31])
        sheet.append(xlsx_row(sheet, [part.title, _("Currency"), *headings]))
        for row in part.rows:
            sheet.append(xlsx_row(sheet, [row.label, row.currency, *_figures(row)]))
    workbook.save(out)


def _figures(row: Row) -> list:
    return [getattr(row, name) for name, _title in COLUMNS]
