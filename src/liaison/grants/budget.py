"""An application's budget, computed from its lines: never typed, never stored.

Each partner budgets in its own currency. Its direct costs are the sum of its lines; its
indirect costs are the application's flat rate of them; its total is both. Totals are converted
to the call's currency at the call's fixed rate, partner by partner, and rounded to the cent
once (half up), so every table adds up: the call-currency total is the sum of the partners'
converted totals. The grant requested is what the co-financing does not cover.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

from .models import Application, CostCategory

CENT = Decimal("0.01")
ZERO = Decimal("0.00")


def cents(value) -> Decimal:
    """Round once, to the cent, half up: the one rounding rule of budgets and scores."""
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


class MissingRate(ValueError):
    """A partner budgets in a currency for which the call fixes no rate."""


@dataclass
class PartnerBudget:
    partner: object
    currency: str
    rate: Decimal | None  # units of the partner's currency for one of the call's
    by_category: dict = field(default_factory=dict)  # category → amount (partner currency)
    by_year: dict = field(default_factory=dict)  # year → direct amount (partner currency)
    direct: Decimal = ZERO
    indirect: Decimal = ZERO
    total: Decimal = ZERO
    co_financing: Decimal = ZERO
    # The same in the call's currency (None when no rate is known).
    total_converted: Decimal | None = None
    co_financing_converted: Decimal | None = None

    @property
    def grant_converted(self) -> Decimal | None:
        if self.total_converted is None:
            return None
        return self.total_converted - self.co_financing_converted


@dataclass
class Budget:
    currency: str
    partners: list
    years: list
    missing_rates: list  # currencies without a rate
    total: Decimal = ZERO
    co_financing: Decimal = ZERO

    @property
    def grant(self) -> Decimal:
        return self.total - self.co_financing

    @property
    def co_financing_rate(self) -> Decimal | None:
        """The co-financing as a percentage of the total, to two decimals."""
        if not self.total:
            return None
        return cents(self.co_financing * 100 / self.total)

    @property
    def complete(self) -> bool:
        return not self.missing_rates

    def category_totals(self) -> list[tuple[str, Decimal]]:
        """Direct costs per category in the call's currency, then the indirect costs."""
        sums = defaultdict(lambda: ZERO)
        indirect = ZERO
        for pb in self.partners:
            if pb.rate is None:
                continue
            for category, amount in pb.by_category.items():
                sums[category] += convert(amount, pb.rate)
            indirect += convert(pb.indirect, pb.rate)
        rows = [(CostCategory(c).label, sums[c]) for c in CostCategory.values if sums[c]]
        if indirect:
            rows.append((_("Indirect costs"), indirect))
        return rows


def convert(amount: Decimal, rate: Decimal) -> Decimal:
    """``amount`` of a partner's currency in the call's currency, to the cent."""
    return cents(amount / rate)


def rates_of(call) -> dict[str, Decimal]:
    rates = {rate.currency: rate.rate for rate in call.rates.all()}
    rates[call.currency] = Decimal(1)
    return rates


def compute(application: Application, partners=None, rates=None) -> Budget:
    """The whole budget of ``application``. ``partners`` (with their lines prefetched) and
    ``rates`` may be passed in by a list that already read them."""
    call = application.call
    rates = rates if rates is not None else rates_of(call)
    if partners is None:
        partners = application.partners.select_related("organisation").prefetch_related("lines")
    rate_pct = application.indirect_rate or ZERO
    result = Budget(currency=call.currency, partners=[], years=[], missing_rates=[])
    years = set()
    for partner in partners:
        pb = PartnerBudget(
            partner=partner, currency=partner.currency, rate=rates.get(partner.currency)
        )
        for line in partner.lines.all():
            pb.by_category[line.category] = pb.by_category.get(line.category, ZERO) + line.amount
            pb.by_year[line.year] = pb.by_year.get(line.year, ZERO) + line.amount
            pb.direct += line.amount
            years.add(line.year)
        pb.indirect = cents(pb.direct * rate_pct / 100)
        pb.total = pb.direct + pb.indirect
        pb.co_financing = partner.co_financing or ZERO
        if pb.rate is None:
            if partner.currency not in result.missing_rates:
                result.missing_rates.append(partner.currency)
        else:
            pb.total_converted = convert(pb.total, pb.rate)
            pb.co_financing_converted = convert(pb.co_financing, pb.rate)
            result.total += pb.total_converted
            result.co_financing += pb.co_financing_converted
        result.partners.append(pb)
    result.years = sorted(years)
    return result
