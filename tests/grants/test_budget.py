"""Budget arithmetic: indirect costs as a rate, conversion at the call's fixed rates, totals
that add up, the grant and the co-financing rate computed, and refusals of bad amounts."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from liaison.grants import budget, services
from liaison.grants.models import CostCategory, Partner
from liaison.grants.rules import review

from .conftest import complete

pytestmark = pytest.mark.django_db


def test_budget_of_two_partners_in_two_currencies(
    application, applicant, partner_org, partner_contact, countries
):
    application = complete(application, applicant, partner_org, partner_contact, countries)

    result, problems = review(application)

    assert problems == []
    lead, partner = result.partners
    assert (lead.direct, lead.indirect, lead.total) == (
        Decimal("150000"),
        Decimal("10500.00"),
        Decimal("160500.00"),
    )
    # 11,720,000 RSD of equipment + 7 % = 12,540,400 RSD, at 117.2 RSD for one euro.
    assert partner.currency == "RSD"
    assert partner.total == Decimal("12540400.00")
    assert partner.total_converted == Decimal("107000.00")
    assert result.total == Decimal("267500.00")
    assert result.co_financing == Decimal("20000.00")
    assert result.grant == Decimal("247500.00")
    assert result.co_financing_rate == Decimal("7.48")
    assert result.years == [1, 2]


def test_converted_totals_add_up_to_the_cent(application, applicant, call):
    """Each partner's total is converted once and rounded half up; the call's total is the sum
    of those, so the table's rows always add up to its total."""
    lead = Partner.objects.get(application=application)
    services.update_partner(applicant, lead, {"currency": "RSD"})
    services.set_budget_lines(
        applicant,
        lead,
        [{"category": CostCategory.OTHER, "year": 1, "amount": Decimal("1")} for _ in range(3)],
    )
    result = budget.compute(application)
    # 3 RSD + 7 % = 3.21 RSD = 0.027389... EUR → 0.03
    assert result.partners[0].total == Decimal("3.21")
    assert result.total == Decimal("0.03")
    assert sum(p.total_converted for p in result.partners) == result.total


def test_a_currency_without_a_rate_is_named(application, applicant):
    lead = Partner.objects.get(application=application)
    services.update_partner(applicant, lead, {"currency": "TRY"})
    services.set_budget_lines(
        applicant, lead, [{"category": CostCategory.STAFF, "year": 1, "amount": Decimal("10")}]
    )
    result, problems = review(application)
    assert result.missing_rates == ["TRY"]
    assert any("no exchange rate for TRY" in str(p) for p in problems)


@pytest.mark.parametrize("amount", [Decimal("-1"), Decimal("1000000000000"), Decimal("1.001")])
def test_negative_or_absurd_amounts_are_refused_and_nothing_is_saved(
    application, applicant, amount
):
    lead = Partner.objects.get(application=application)
    services.set_budget_lines(
        applicant, lead, [{"category": CostCategory.STAFF, "year": 1, "amount": Decimal("5")}]
    )
    with pytest.raises(ValidationError):
        services.set_budget_lines(
            applicant,
            lead,
            [
                {"category": CostCategory.STAFF, "year": 1, "amount": Decimal("7")},
                {"category": CostCategory.TRAVEL, "year": 1, "amount": amount},
            ],
        )
    assert [line.amount for line in lead.lines.all()] == [Decimal("5")]


def test_an_unknown_currency_is_refused(application, applicant):
    lead = Partner.objects.get(application=application)
    with pytest.raises(ValidationError, match="not a currency code"):
        services.update_partner(applicant, lead, {"currency": "XYZ"})
    lead.refresh_from_db()
    assert lead.currency == "EUR"


def test_co_financing_and_grant_outside_the_lot_are_named(
    application, applicant, partner_org, partner_contact, countries
):
    application = complete(application, applicant, partner_org, partner_contact, countries)
    lead = Partner.objects.get(application=application, role="lead")
    services.update_partner(applicant, lead, {"co_financing": Decimal("200000")})
    _budget, problems = review(application)
    messages = [str(p) for p in problems]
    assert any("Co-financing is 74.77 %" in m for m in messages), messages

    services.update_partner(applicant, lead, {"co_financing": Decimal("0")})
    services.set_budget_lines(
        applicant, lead, [{"category": CostCategory.STAFF, "year": 1, "amount": Decimal("900000")}]
    )
    _budget, problems = review(application)
    assert any("outside the lot's" in str(p) for p in problems)
