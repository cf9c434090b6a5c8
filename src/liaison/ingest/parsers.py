"""Amounts and dates as factsheets write them, turned into values.

Factsheets mix European and English number formats (``1.730.647,00``, ``454,415.40``,
``5 822 529.75``), scale words (``€2.1 million``) and several date styles (``08.11.2023``,
``15 May 2024``, ``January 2022``). These parsers read one phrase each; finding the phrase in a
document is the extractor's job.
"""

import calendar
import datetime
import re
from decimal import Decimal, InvalidOperation

CURRENCIES = {
    "€": "EUR",
    "EUR": "EUR",
    "EURO": "EUR",
    "EUROS": "EUR",
    "$": "USD",
    "USD": "USD",
    "CHF": "CHF",
    "GBP": "GBP",
    "£": "GBP",
    "BGN": "BGN",
    "RSD": "RSD",
    "TRY": "TRY",
}
SCALES = {
    "thousand": 1_000,
    "k": 1_000,
    "million": 1_000_000,
    "m": 1_000_000,
    "mio": 1_000_000,
    "mln": 1_000_000,
    "billion": 1_000_000_000,
    "bn": 1_000_000_000,
}

_CURRENCY = r"(?P<cur>€|\$|£|\b(?:EUR|EURO|EUROS|USD|CHF|GBP|BGN|RSD|TRY)\b)"
_NUMBER = r"(?P<num>\d{1,3}(?:[ \u00a0.,']\d{3})+(?:[.,]\d{1,2})?|\d+(?:[.,]\d+)?)"
_SCALE = r"(?:[ \t\u00a0]*(?P<scale>thousand|million|billion|mio|mln|bn|k|m)\b\.?)?"
_CURRENCY_AFTER = r"(?:[ \t\u00a0]*(?P<cur2>€|\b(?:EUR|EURO|EUROS|USD|CHF|GBP|BGN|RSD|TRY)\b))?"
AMOUNT = re.compile(
    rf"(?:{_CURRENCY}[ \t\u00a0]*{_NUMBER}{_SCALE})|(?:{_NUMBER.replace('num', 'num2')}"
    rf"{_SCALE.replace('scale', 'scale2')}{_CURRENCY_AFTER})",
    re.IGNORECASE,
)


def parse_number(text: str) -> Decimal | None:
    """A number written with any of the usual thousands and decimal separators."""
    digits = text.strip().replace("\u00a0", " ").replace("'", " ")
    if not digits or not re.fullmatch(r"[\d ,.]+", digits) or not digits[0].isdigit():
        return None
    digits = digits.replace(" ", "")
    last_dot, last_comma = digits.rfind("."), digits.rfind(",")
    decimal_mark = None
    if last_dot >= 0 and last_comma >= 0:
        decimal_mark = "." if last_dot > last_comma else ","
    elif last_dot >= 0 or last_comma >= 0:
        mark = "." if last_dot >= 0 else ","
        tail = digits.rsplit(mark, 1)[1]
        # One mark followed by exactly three digits, used once or more, groups thousands.
        groups = digits.split(mark)
        if not (len(tail) == 3 and all(len(g) == 3 for g in groups[1:]) and len(groups[0]) <= 3):
            decimal_mark = mark
    if decimal_mark:
        whole, _sep, fraction = digits.rpartition(decimal_mark)
        whole = whole.replace(".", "").replace(",", "")
        digits = f"{whole}.{fraction}"
    else:
        digits = digits.replace(".", "").replace(",", "")
    try:
        return Decimal(digits)
    except InvalidOperation:
        return None


def parse_amount(text: str) -> tuple[Decimal, str] | None:
    """The first amount with a currency in ``text``, as ``(Decimal with two places, ISO code)``."""
    for match in AMOUNT.finditer(text):
        currency = match.group("cur") or match.group("cur2")
        if not currency:
            continue
        number = parse_number(match.group("num") or match.group("num2"))
        if number is None:
            continue
        scale = (match.group("scale") or match.group("scale2") or "").lower()
        value = number * SCALES.get(scale, 1)
        return value.quantize(Decimal("0.01")), CURRENCIES[currency.upper()]
    return None


MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
MONTHS |= {name.lower(): i for i, name in enumerate(calendar.month_abbr) if name}
MONTHS["sept"] = 9
_MONTH = r"(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"

NUMERIC_DATE = re.compile(r"\b(?P<d>\d{1,2})[./](?P<m>\d{1,2})[./](?P<y>(?:19|20)\d{2})\b")
ISO_DATE = re.compile(r"\b(?P<y>(?:19|20)\d{2})-(?P<m>\d{2})-(?P<d>\d{2})\b")
DAY_MONTH_YEAR = re.compile(
    rf"\b(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s+{_MONTH}\s*,?\s*(?P<y>(?:19|20)\d{{2}})\b", re.I
)
MONTH_DAY_YEAR = re.compile(
    rf"\b{_MONTH}\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y>(?:19|20)\d{{2}})\b", re.I
)
MONTH_YEAR = re.compile(rf"\b{_MONTH}\s+(?P<y>(?:19|20)\d{{2}})\b", re.I)


def _build(year, month, day):
    try:
        return datetime.date(int(year), int(month), int(day))
    except ValueError:
        return None


def parse_date(text: str, *, month_end: bool = False) -> datetime.date | None:
    """The first full or month-only date in ``text``.

    A month-only date means the month's first day, or its last with ``month_end`` (the end of a
    period written ``January 2022 - December 2023`` is 31 December 2023).
    """
    found = []
    for pattern in (ISO_DATE, NUMERIC_DATE, DAY_MONTH_YEAR, MONTH_DAY_YEAR):
        for match in pattern.finditer(text):
            month = match.group("m") if "m" in pattern.groupindex else None
            month = month or MONTHS[match.group("month").lower()]
            value = _build(match.group("y"), month, match.group("d"))
            if value:
                found.append((match.start(), value))
    for match in MONTH_YEAR.finditer(text):
        if any(start <= match.start() <= start + 12 for start, _v in found):
            continue
        year, month = int(match.group("y")), MONTHS[match.group("month").lower()]
        day = calendar.monthrange(year, month)[1] if month_end else 1
        found.append((match.start(), datetime.date(year, month, day)))
    return min(found)[1] if found else None


DURATION = re.compile(r"\b(?P<n>\d{1,3})\s*(?:-\s*)?(?P<unit>months?|years?)\b", re.I)


def parse_duration_months(text: str) -> int | None:
    """A stated duration such as ``24 months`` or ``2 years``, in months."""
    match = DURATION.search(text)
    if not match:
        return None
    n = int(match.group("n"))
    return n * 12 if match.group("unit").lower().startswith("year") else n


def add_months(start: datetime.date, months: int) -> datetime.date:
    """The last day of a period of ``months`` months that begins on ``start``."""
    month_index = start.month - 1 + months
    year, month = start.year + month_index // 12, month_index % 12 + 1
    day = min(start.day, calendar.monthrange(year, month)[1])
    return datetime.date(year, month, day) - datetime.timedelta(days=1)
