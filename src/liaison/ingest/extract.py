"""The fields of one factsheet, each with the spans of text it came from.

Factsheets come in two shapes, often mixed: labelled lines ("Lead partner: ...", a heading
"Project duration" over its value) and prose ("implemented by ... in collaboration with ...").
The extractor reads labels first, because a label says what a value is, then falls back to
phrases in prose, scoring each candidate by the words around it so that a programme's envelope,
a news item's date or a partner country's address lose to the project's own figures. No rule
names one document: every cue is a phrase many factsheets use. The output follows
``docs/EXTRACTION.md`` in the shared documents (``liaison extract FILE --json``).
"""

import bisect
import datetime
import re
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

from .countries import find_countries, find_regions
from .parsers import (
    AMOUNT,
    CURRENCIES,
    DAY_MONTH_YEAR,
    DURATION,
    ISO_DATE,
    MONTH_DAY_YEAR,
    MONTH_YEAR,
    MONTHS,
    NUMERIC_DATE,
    SCALES,
    add_months,
    parse_number,
)
from .readers import DEFAULT_MAX_BYTES, read_path

FUNDING_SOURCES = [
    "AMIF",
    "ISF-Police",
    "ISF-Borders and Visa",
    "BMVI",
    "Interreg",
    "IPA",
    "NDICI",
    "EU budget (other)",
]
ROLES = ["lead", "partner", "associated", "beneficiary", "implementer", "funder", "nominating"]
ACTIVITY_TYPES = [
    "meeting",
    "workshop",
    "conference",
    "training",
    "study_visit",
    "equipment",
    "needs_assessment",
    "online_session",
    "joint_operation",
    "research",
    "e_learning",
    "exchange_of_staff",
]

Span = tuple[int, int]


@dataclass
class Line:
    start: int
    end: int
    text: str


@dataclass
class Labelled:
    """A value that a label names: ``kind`` is a field or ``role:<role>``."""

    kind: str
    label: str
    start: int
    end: int
    text: str
    lines: list[Line] = field(default_factory=list)


# Labels ----------------------------------------------------------------------------------------

# Checked in order: the first kind whose pattern matches the label wins.
LABEL_KINDS = [
    ("ignore", r"^(?:priority|specific objective|call|objectives?|summary|description|results?"
     r"|outputs?|sector|theme|topic|status|website|e-?mail|phone|tel|address|contact)"),
    ("acronym", r"acronym|short (?:name|title)|abbreviation"),
    ("countries", r"(?:beneficiary|partner|target|participating) countr"),
    ("role:nominating", r"nominating"),
    ("role:associated", r"associated"),
    ("role:implementer", r"implemented by|implementing (?:partner|organi|agency|body|institution)"
     r"|implementer|contracted by|contracting|executing|managed by"),
    ("role:funder", r"donors?\b|funded by|financed by|funding (?:body|organi[sz]ation)|^funder"),
    ("role:lead", r"^(?:the )?(?:project )?(?:lead|coordinator)\b|lead (?:partner|applicant|organi"
     r"|beneficiary|institution)|coordinat(?:or|ed by|ing (?:organi|partner|institution))"
     r"|^(?:main )?applicant|^grantee"),
    ("role:beneficiary", r"beneficiar|target (?:institutions?|organi[sz]ations?|agencies)"
     r"|^who benefits"),
    ("role:partner", r"partners?\b|co-?applicants?|consortium|partner (?:institutions?|organi)"
     r"|^in (?:close )?(?:collaboration|cooperation|partnership) with$"),
    ("title", r"title|(?:project|action)(?:'s)? name|name of (?:the )?(?:project|action)"
     r"|^project$|^action$"),
    ("reference", r"ref(?:erence)?\b|number|\bno\b|\bcode\b|\bid\b|grant agreement|contract"),
    ("budget", r"budget|cost|contribution|amount|grant\b|value|funding\b|financing"),
    ("duration", r"duration|length"),
    ("start", r"start|commence|begin|launch date|from\b"),
    ("end", r"\bend\b|end date|completion|closing date|finish|until\b|\bto\b"),
    ("period", r"period|dates?\b|time ?frame|timeline|implementation|lifetime|running"),
    ("countries", r"countr|location|geographic|regions?\b|coverage|target area|where"),
    ("funding", r"fund|programme|program\b|instrument|financial (?:source|framework)"),
]  # fmt: skip
LABEL_KINDS = [(kind, re.compile(pattern, re.I)) for kind, pattern in LABEL_KINDS]

LABEL_LINE = re.compile(
    r"^[ \t]*(?:[-*•▪●◦]\s*)?(?P<label>[^\W\d_][^:：\n]{0,48}?)[ \t]*[:：][ \t]*(?P<value>.*)$"
)
REF_INLINE = re.compile(
    r"\b(?:ref(?:erence)?\.?\s*(?:no\.?|number|code)|reference|contract\s+(?:no\.?|number)"
    r"|grant\s+agreement(?:\s+(?:no\.?|number))?|project\s+(?:no\.?|number|code|id)"
    r"|agreement\s+(?:no\.?|number))\s*[:.#]?\s*"
    r"(?P<ref>[A-Z0-9][\w./-]*\d[\w./-]*|(?-i:[A-Z]{2,8}) \d[\w./-]*)",
    re.I,
)


def _kind_of(label: str) -> str | None:
    label = label.strip().strip("*#").strip()
    if len(label.split()) > 7:
        return None
    for kind, pattern in LABEL_KINDS:
        if pattern.search(label):
            return None if kind == "ignore" else kind
    return None


def _lines(text: str) -> list[Line]:
    lines, position = [], 0
    for raw in text.split("\n"):
        lines.append(Line(position, position + len(raw), raw))
        position += len(raw) + 1
    return lines


def _is_heading_label(line: Line) -> str | None:
    """A short line that is only a label, such as ``Project duration`` above its value."""
    stripped = line.text.strip().rstrip(":：").strip().strip("*#").strip()
    if not stripped or len(stripped) > 45 or len(stripped.split()) > 5 or stripped.endswith("."):
        return None
    if any(c.isdigit() for c in stripped) or re.search(r"\bby\s+\S", stripped):
        return None  # "Implemented by ICMPD" states its value; prose patterns read it
    return _kind_of(stripped)


# Table rows that lost their column break in a PDF: "Start date 14.02.2024", "Acronym SAFE".
BARE_LABEL = re.compile(
    r"^[ \t]*(?P<label>(?:[A-Z][a-z]+\.?)(?: [a-z]+\.?){0,3})[ \t]+"
    r"(?P<value>(?:[\d€$£]|[A-Z]{2,}[\w-]*\b|[A-Z][a-z]?\w*[A-Z])\S*.*)$"
)
BARE_KINDS = {"start", "end", "duration", "period", "budget", "reference", "acronym"}


# Labels set apart by a column of spaces, a tab or dot leaders: "Project name      Safer ...",
# "Title ........ Safer ...".
COLUMN_LABEL = re.compile(
    r"^[ \t]*(?P<label>[^\W\d_][^:\n.\t]{0,40}?\.?)(?:[ \t]*\.{3,}[ \t]*|[ ]*\t[ \t]*|[ ]{3,})"
    r"(?P<value>\S.*)$"
)


def _column_label(line: str):
    match = COLUMN_LABEL.match(line)
    if match and len(match.group("label").split()) <= 5 and _kind_of(match.group("label")):
        return match
    return None


def _bare_label(line: str):
    match = BARE_LABEL.match(line)
    if match and _kind_of(match.group("label")) in BARE_KINDS:
        return match
    return None


def find_labels(text: str, lines: list[Line]) -> list[Labelled]:
    """Every labelled value, with continuation lines for lists that run on."""
    found = []
    index = 0
    while index < len(lines):
        line = lines[index]
        match = LABEL_LINE.match(line.text) or _column_label(line.text) or _bare_label(line.text)
        kind = _kind_of(match.group("label")) if match else None
        if kind and match.group("value").strip():
            value_start = line.start + match.start("value")
            collected = [Line(value_start, line.end, match.group("value"))]
            index += 1
            # Lists that run on: "Project partners: A,\nB,\nC", or indented lines below.
            while (
                index < len(lines)
                and (
                    collected[-1].text.rstrip().endswith((",", ";", " and"))
                    or _indent(lines[index].text) > _indent(line.text)
                )
                and lines[index].text.strip()
                and not LABEL_LINE.match(lines[index].text)
            ):
                collected.append(lines[index])
                index += 1
            found.append(_labelled(kind, match.group("label"), collected))
            continue
        heading_kind = kind if match and not match.group("value").strip() else None
        heading_kind = heading_kind or _is_heading_label(line)
        if heading_kind:
            collected, cursor = [], index + 1
            while cursor < min(len(lines), index + 4) and not lines[cursor].text.strip():
                cursor += 1
            while cursor < len(lines) and lines[cursor].text.strip() and len(collected) < 12:
                nxt = lines[cursor]
                if (
                    _is_heading_label(nxt)
                    or _bare_label(nxt.text)
                    or SECTION_HEADING.match(nxt.text.strip())
                    or (
                        LABEL_LINE.match(nxt.text) and _kind_of(LABEL_LINE.match(nxt.text)["label"])
                    )
                    or _list_ended(collected, nxt.text)
                ):
                    break
                collected.append(nxt)
                cursor += 1
                # A long paragraph is the value by itself; short lines are a list.
                if len(nxt.text) > 160:
                    break
            if collected:
                found.append(_labelled(heading_kind, line.text.strip(), collected))
        index += 1
    return found


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip()) if line.strip() else 0


def _list_ended(collected: list[Line], line: str) -> bool:
    """A bulleted list ends at its first line without a bullet, unless that line only carries
    on the item above it."""
    if not collected or not BULLET.match(collected[0].text) or BULLET.match(line):
        return False
    stripped = line.strip()
    return not (stripped[:1].islower() or CANNOT_END.search(collected[-1].text))


def _labelled(kind: str, label: str, lines: list[Line]) -> Labelled:
    start, end = lines[0].start, lines[-1].end
    text = "\n".join(line.text for line in lines)
    leading = len(text) - len(text.lstrip())
    return Labelled(kind, label.strip(), start + leading, end, text.strip(), lines)


# Noise -----------------------------------------------------------------------------------------

CONTACT_LINE = re.compile(
    r"@|\b(?:e-?mail|phone|tel\.?|fax|mob\.?)\s*[:.]|https?://|www\.|\+\d[\d ()-]{6,}"
    r"|\b(?!(?:19|20)\d\d\b)\d{4,5}\s+(?-i:[A-Z][a-z]+)"  # a postcode and town, not a year
    r"|(?-i:[A-Z]\w+ (?:Street|Road|Avenue|Square|Boulevard))|\b(?:str\.|blvd\.?|P\.?O\.? Box)"
    r"|\w(?:strasse|straße|cesta|ulica|utca|caddesi|sokak)\b|\b(?:rue|via|calle|ul\.) (?-i:[A-Z])",
    re.I,
)
NOISE_HEADING = re.compile(
    r"^\W*(?:related (?:projects?|news|content|actions?)|other projects|see also|latest news"
    r"|news(?: and events)?|previous phase|read more|you may also(?: \w+){0,3}"
    r"|more (?:projects|stories|news|articles)|contact(?: us| "
    r"details| information| person)?|disclaimer|cookies?|follow us|share(?: this)?)\W*$",
    re.I,
)
BACKGROUND = re.compile(
    r"\b(?:war|aggression|invasion|conflict|crisis in|previous(?:ly)?|earlier|predecessor"
    r"|first phase|phase I\b|inspired by|builds? on|following the success|sole responsibility"
    r"|disclaimer|views expressed|cookie|transit|countr(?:y|ies) of origin|set out from|fled"
    r"|fleeing|arrivals? from|came from|coming from)",
    re.I,
)
VENUE = re.compile(
    r"\b(?:held|hosted|organi[sz]ed|took place|taking place|venue|located|based|headquartered"
    r"|gathered|convened|met|meeting|workshop|conference|event|seminar|travel\w*|visits?"
    r"|trips?)\b[^.;\n]{0,40}\b(?:in|at)\s+(?:the\s+)?$"
    r"|\b(?:visits?|trips?|tours?|travel\w*) to\s+(?:the\s+)?$"
    r"|\b(?:conference|workshop|meeting|seminar)s?,\s*$"  # "Regional conference, Vienna"
    r"|\bborders?\s+with\s+(?:the\s+)?$",  # a neighbour: "the external border with Belarus"
    re.I,
)
# "courses in Russian", "translated into Georgian": a language, not a country.
LANGUAGE_BEFORE = re.compile(r"\b(?:in|into|from)\s+$")
LANGUAGE_AFTER = re.compile(
    r"^(?:\s*(?:and|or|,)\s+(?:in\s+)?(?:the\s+)?[a-z]|\s*[.;)]|[ -]language)"
)
# Sections that tell the story behind a project: the countries they name are context.
BACKGROUND_HEADING = re.compile(
    r"^\W*(?:background|context|the (?:issue|challenge|problem|situation)|rationale"
    r"|why (?:this|the) (?:project|action)|problem statement)\W*$",
    re.I,
)


def noise_spans(text: str, lines: list[Line], labels: list[Labelled]) -> list[Span]:
    """Contact lines and sections about other things (related projects, news, contacts)."""
    spans = [(line.start, line.end) for line in lines if CONTACT_LINE.search(line.text)]
    label_starts = sorted(item.start for item in labels if item.kind != "role:funder")
    for line in lines:
        if NOISE_HEADING.match(line.text.strip()) and line.text.strip():
            # Runs until the next labelled fact of the project, or a clearly new section.
            later = [s for s in label_starts if s > line.end]
            end = later[0] if later else len(text)
            blank_runs = [m.start() for m in re.finditer(r"\n\s*\n\s*\n", text[line.end : end])]
            if blank_runs and "contact" in line.text.lower():
                end = min(end, line.end + blank_runs[-1] + 1) if len(blank_runs) > 3 else end
            spans.append((line.start, end))
    return spans


def background_spans(lines: list[Line]) -> list[Span]:
    """Sections headed "Background", "The challenge" and the like, each up to the next
    heading-like line (short, capitalised, without a full stop) or label."""
    spans = []
    for index, line in enumerate(lines):
        if not BACKGROUND_HEADING.match(line.text.strip()):
            continue
        end = lines[-1].end
        for nxt in lines[index + 1 :]:
            stripped = nxt.text.strip()
            if stripped and (
                LABEL_LINE.match(nxt.text)
                or (
                    len(stripped) <= 60
                    and len(stripped.split()) <= 8
                    and stripped[:1].isupper()
                    and stripped[-1] not in ".,;:!?"
                )
            ):
                end = nxt.start
                break
        spans.append((line.end, end))
    return spans


def _inside(position: int, spans: list[Span]) -> bool:
    return any(start <= position < end for start, end in spans)


@lru_cache(maxsize=8)
def _boundaries(text: str) -> list[int]:
    """Where sentences end: full stops, semicolons, blank lines, and line ends that are not
    just the wrapping of a long line of prose."""
    ends = [m.start() + 1 for m in re.finditer(r"[.!?;](?=\s)", text)]
    for match in re.finditer(r"\n", text):
        at = match.start()
        line_start = text.rfind("\n", 0, at) + 1
        line = text[line_start:at]
        nxt = text[at + 1 : at + 2]
        wrapped = len(line) >= 55 and line[-1:].isalpha() or line[-1:] == ","
        if not wrapped or not nxt.strip() or LABEL_LINE.match(text[at + 1 : at + 60]):
            ends.append(at)
    return sorted(set(ends))


def _sentence(text: str, position: int) -> tuple[int, int]:
    """The sentence around ``position``, or its line where lines are not wrapped prose."""
    ends = _boundaries(text)
    index = bisect.bisect_right(ends, position)
    start = ends[index - 1] if index else 0
    end = ends[index] if index < len(ends) else len(text)
    return start, end


# Dates -----------------------------------------------------------------------------------------

_DATE = (
    r"(?:\d{4}-\d{2}-\d{2}|\d{1,2}[./]\d{1,2}[./](?:19|20)\d{2}|\d{1,2}/(?:19|20)\d{2}"
    r"|\d{1,2}(?:st|nd|rd|th)?\s+[A-Za-z]{3,9}\.?,?\s+(?:19|20)\d{2}"
    r"|[A-Za-z]{3,9}\.?\s+\d{1,2}(?:st|nd|rd|th)?,?\s+(?:19|20)\d{2}"
    r"|[A-Za-z]{3,9}\.?\s+(?:19|20)\d{2})"
)
RANGE = re.compile(
    rf"(?P<a>{_DATE})\s*(?:[-–—]+|to|until|till|through|thru|and)\s*(?P<b>{_DATE})", re.I
)
NUMERIC_MONTH = re.compile(r"(?P<m>\d{1,2})/(?P<y>(?:19|20)\d{2})")
STARTED = re.compile(
    rf"\b(?:began|begins|started|starts|commenced|commences|kicked off)\s+(?:on\s+|in\s+)?"
    rf"(?P<date>{_DATE})",
    re.I,
)
EXTENDED = re.compile(
    rf"\b(?:actual(?:ly)?|extension|extended)\b[^.\n]{{0,120}}?\b(?:until|to|on|till)\s+"
    rf"(?P<date>{_DATE})",
    re.I,
)
PROJECT_PERIOD_CUE = re.compile(
    r"project|action|implementation|duration|period|runs?|running|lasts?|from\b|timeframe", re.I
)
OTHER_DATE_CUE = re.compile(
    r"news|published|posted|updated|event|ceremony|launch|kick-?off|phase I\b|previous|earlier"
    r"|predecessor|first phase|conference|held on|took place|call for|deadline|registration",
    re.I,
)


def _one_date(text: str, month_end: bool = False) -> datetime.date | None:
    text = text.strip()
    for pattern in (ISO_DATE, NUMERIC_DATE, DAY_MONTH_YEAR, MONTH_DAY_YEAR):
        match = pattern.fullmatch(text)
        if match:
            month = match.group("m") if "m" in pattern.groupindex else None
            month = month or MONTHS[match.group("month").lower()]
            try:
                return datetime.date(int(match.group("y")), int(month), int(match.group("d")))
            except ValueError:
                return None
    match = MONTH_YEAR.fullmatch(text) or NUMERIC_MONTH.fullmatch(text)
    if match:
        year = int(match.group("y"))
        month = int(match.group("m")) if "m" in match.groupdict() else None
        month = month or MONTHS[match.group("month").lower()]
        if not 1 <= month <= 12:
            return None
        if month_end:
            return add_months(datetime.date(year, month, 1), 1)
        return datetime.date(year, month, 1)
    return None


def _dates_in(text: str) -> list[tuple[int, int, str]]:
    found = []
    for match in re.finditer(_DATE, text, re.I):
        if _one_date(match.group(0)):
            found.append((match.start(), match.end(), match.group(0)))
    return found


@dataclass
class Period:
    start: datetime.date | None = None
    end: datetime.date | None = None
    duration: int | None = None
    start_spans: list[Span] = field(default_factory=list)
    end_spans: list[Span] = field(default_factory=list)
    duration_spans: list[Span] = field(default_factory=list)


def find_period(text: str, labels: list[Labelled], noise: list[Span]) -> Period:
    period = Period()
    for item in labels:
        value = item.text
        if item.kind in {"start", "end"}:
            dates = _dates_in(value)
            if dates:
                s, e, raw = dates[0]
                day = _one_date(raw, month_end=item.kind == "end")
                if item.kind == "start" and not period.start:
                    period.start, period.start_spans = day, [(item.start + s, item.start + e)]
                elif item.kind == "end" and not period.end:
                    period.end, period.end_spans = day, [(item.start + s, item.start + e)]
        if item.kind in {"period", "duration", "start"}:
            rng = RANGE.search(value)
            if rng and not (period.start and period.end):
                _take_range(period, rng, item.start)
            dates = _dates_in(value)
            if item.kind == "period" and not rng and len(dates) == 1 and not period.start:
                # "Timeframe: from March 2021 for 30 months"
                s, e, raw = dates[0]
                period.start, period.start_spans = (
                    _one_date(raw),
                    [(item.start + s, item.start + e)],
                )
        if item.kind in {"duration", "period"} and period.duration is None:
            dur = DURATION.search(value)
            if dur:
                period.duration = _months(dur)
                period.duration_spans = [(item.start + dur.start(), item.start + dur.end())]
    if not (period.start and period.end):
        best = None
        for rng in RANGE.finditer(text):
            if _inside(rng.start(), noise):
                continue
            s, e = _sentence(text, rng.start())
            context = text[s:e]
            near = text[max(s, rng.start() - 60) : min(e, rng.end() + 40)]
            score = 0
            if OTHER_DATE_CUE.search(near):
                score -= 5
            if PROJECT_PERIOD_CUE.search(context):
                score += 2
            if len(context.strip()) <= len(rng.group(0)) + 25:
                score += 3  # a line that holds only the period, as factsheet headers do
            if best is None or score > best[0]:
                best = (score, rng)
        if best and best[0] >= 0 and not period.start:
            _take_range(period, best[1], 0)
    if not period.start:
        for match in STARTED.finditer(text):
            day = _one_date(match.group("date"))
            if day and not _inside(match.start(), noise):
                period.start = day
                period.start_spans = [(match.start("date"), match.end("date"))]
                break
    for match in EXTENDED.finditer(text):
        day = _one_date(match.group("date"), month_end=True)
        if day and period.start and day > period.start and not _inside(match.start(), noise):
            period.end, period.end_spans = day, [(match.start("date"), match.end("date"))]
            period.duration = None
            break
    if period.duration is None and not (period.start and period.end):
        for match in DURATION.finditer(text):
            s, e = _sentence(text, match.start())
            context = text[s:e]
            near = text[max(s, match.start() - 60) : min(e, match.end() + 40)]
            if _inside(match.start(), noise) or OTHER_DATE_CUE.search(near):
                continue
            if re.search(r"duration|project|action|period|last|run|implement", context, re.I):
                period.duration = _months(match)
                period.duration_spans = [(match.start(), match.end())]
                break
    if period.start and not period.end and period.duration:
        period.end = add_months(period.start, period.duration)
        period.end_spans = period.start_spans + period.duration_spans
    if period.start and period.end and period.end < period.start:
        period.end, period.end_spans = None, []
    if period.duration is None and period.start and period.end:
        period.duration = months_between(period.start, period.end)
        period.duration_spans = period.start_spans + period.end_spans
    return period


def _months(match) -> int:
    n = int(match.group("n"))
    return n * 12 if match.group("unit").lower().startswith("year") else n


def _take_range(period: Period, match, offset: int) -> None:
    start = _one_date(match.group("a"))
    end = _one_date(match.group("b"), month_end=True)
    if start and end and start <= end:
        period.start, period.end = start, end
        period.start_spans = [(offset + match.start("a"), offset + match.end("a"))]
        period.end_spans = [(offset + match.start("b"), offset + match.end("b"))]


def months_between(start: datetime.date, end: datetime.date) -> int:
    """Whole months from ``start`` to the day after ``end`` (Jan 2022 - Dec 2023 is 24)."""
    after = end + datetime.timedelta(days=1)
    months = (after.year - start.year) * 12 + after.month - start.month
    if after.day != start.day:
        months = round((after - start).days / 30.4375)
    return max(months, 0)


# Money -----------------------------------------------------------------------------------------

BUDGET_TOTAL = re.compile(
    r"total (?:eligible )?(?:budget|cost|value|amount)|eligible costs?|estimated (?:cost|budget)"
    r"|overall (?:budget|cost)|project (?:total )?budget|budget of|total of|budget\b|worth",
    re.I,
)
BUDGET_PART = re.compile(
    r"EU (?:contribution|grant|funding)|contribution|grant|co-?financ|co-?fund|funded with"
    r"|funding of|financed|awarded|allocated",
    re.I,
)
BUDGET_NOISE = re.compile(
    r"envelope|call for|calls for|the call|programme(?:'s)? (?:budget|total|allocation)"
    r"|total allocation|available|facility has|another|other projects?|previous|phase I\b"
    r"|earlier|per (?:participant|person|day)|salary|fee",
    re.I,
)


def find_budget(text: str, labels: list[Labelled], noise: list[Span]):
    candidates = []
    for item in labels:
        if item.kind != "budget":
            continue
        for match in AMOUNT.finditer(item.text):
            amount = _amount(match)
            if amount:
                label = item.label.lower()
                score = 20 if BUDGET_TOTAL.search(label) or "total" in label else 12
                if BUDGET_PART.search(label) and "total" not in label:
                    score = 10
                if BUDGET_NOISE.search(label):
                    score = -10
                span = (item.start + match.start(), item.start + match.end())
                candidates.append((score, -span[0], amount, span))
    for match in AMOUNT.finditer(text):
        amount = _amount(match)
        if not amount or _inside(match.start(), noise):
            continue
        s, e = _sentence(text, match.start())
        before = text[max(s, match.start() - 90) : match.start()]
        context = text[s:e]
        if BUDGET_NOISE.search(before) or BUDGET_NOISE.search(context[: match.start() - s]):
            continue
        score = 0
        if BUDGET_TOTAL.search(before):
            score = 9
        elif BUDGET_PART.search(before) or BUDGET_PART.search(context):
            score = 6
        elif BUDGET_TOTAL.search(context):
            score = 8
        if len(context.strip()) <= len(match.group(0)) + 40:
            score = max(score, 7)  # a header line that holds only the amount and its fund
        if score:
            span = (match.start(), match.end())
            candidates.append((score, -span[0], amount, span))
    if not candidates:
        return None, []
    candidates.sort(reverse=True)
    _score, _pos, (value, currency), span = candidates[0]
    return {"amount": f"{value:.2f}", "currency": currency}, [span]


# The EU's share of a budget: "EU contribution (90%)", "of which EU contribution (IPA III)",
# "EU co-financing (75 %)", "Interreg co-financing".
EU_SHARE = re.compile(
    r"\b(?:EU|European Union|Union|ERDF|Interreg|IPA)\b[^:\n\d]{0,30}?"
    r"(?:contribution|grant|co-?financ|co-?fund|funding|share)|of which (?:the )?EU\b",
    re.I,
)


def find_eu_contribution(text: str, labels: list[Labelled], noise: list[Span]):
    """The EU's part of the project's budget, labelled or in a sentence, with its span."""
    for item in labels:
        if item.kind != "budget" or not EU_SHARE.search(item.label):
            continue
        if BUDGET_NOISE.search(item.label):
            continue
        for match in AMOUNT.finditer(item.text):
            amount = _amount(match)
            if amount:
                return amount, (item.start + match.start(), item.start + match.end())
    for match in AMOUNT.finditer(text):
        amount = _amount(match)
        if not amount or _inside(match.start(), noise):
            continue
        s, _e = _sentence(text, match.start())
        before = text[max(s, match.start() - 60) : match.start()]
        if EU_SHARE.search(before) and not BUDGET_NOISE.search(text[s : match.start()]):
            return amount, (match.start(), match.end())
    return None, None


def _amount(match):
    currency = match.group("cur") or match.group("cur2")
    if not currency:
        return None
    number = parse_number(match.group("num") or match.group("num2"))
    if number is None:
        return None
    scale = (match.group("scale") or match.group("scale2") or "").lower()
    value = (number * SCALES.get(scale, 1)).quantize(Decimal("0.01"))
    if value < 1000:
        return None  # a fee or a rate, not a project's budget
    return value, CURRENCIES[currency.upper()]


# Funding sources -------------------------------------------------------------------------------

FUND_PATTERNS = [
    ("Interreg", r"\bInterreg\b|cross-border cooperation programme|\bIPA[- ]CBC\b"),
    ("AMIF", r"\bAMIF\b|Asylum,? Migration and Integration Fund"),
    (
        "ISF-Police",
        r"\bISF[\s-]*P(?:olice)?\b|Internal Security Fund\s*(?:[-–—(,:]|for)?\s*Police",
    ),
    (
        "ISF-Borders and Visa",
        r"\bISF[\s-]*(?:B(?:orders?)?(?:\s*(?:and|&)\s*V(?:isas?)?)?|BV)\b"
        r"|Internal Security Fund\s*(?:[-–—(,:]|for)?\s*Borders",
    ),
    ("BMVI", r"\bBMVI\b|Border Management and Visa (?:Policy )?Instrument"),
    ("NDICI", r"\bNDICI\b|Neighbourhood,? Development and International Cooperation Instrument"),
    ("IPA", r"\bIPA(?:\s*(?:I{1,3}|2|3))?\b|Instrument for Pre-?accession Assistance"),
]
FUND_PATTERNS = [(name, re.compile(pattern, re.I)) for name, pattern in FUND_PATTERNS]
EU_FUNDED = re.compile(
    r"(?:co-?)?funded by the European Union|EU-funded|financ(?:ed|ial assistance|ial support)"
    r"(?: \w+){0,2} (?:of|by|from) the European Union|European Union funding|funded by the EU\b",
    re.I,
)
FUND_NOISE = re.compile(r"call for proposals|calls for proposals|open call|envelope", re.I)


def find_funding(text: str, noise: list[Span]):
    sources, spans = [], []
    interreg_spans = []
    for name, pattern in FUND_PATTERNS:
        for match in pattern.finditer(text):
            if _inside(match.start(), noise):
                continue
            s, e = _sentence(text, match.start())
            if FUND_NOISE.search(text[s:e]):
                continue
            if name == "IPA" and any(a <= match.start() <= b + 40 for a, b in interreg_spans):
                continue  # "Interreg IPA CBC Bulgaria-Türkiye" is Interreg money
            if name == "Interreg":
                interreg_spans.append((match.start(), match.end()))
            if name not in sources:
                sources.append(name)
            spans.append((match.start(), match.end()))
    if not sources:
        for match in EU_FUNDED.finditer(text):
            if not _inside(match.start(), noise) or "funded" in match.group(0).lower():
                sources.append("EU budget (other)")
                spans.append((match.start(), match.end()))
                break
    return sorted(sources, key=FUNDING_SOURCES.index), spans


# Countries -------------------------------------------------------------------------------------


def find_project_countries(text: str, noise: list[Span], background: list[Span]):
    strong, weak = {}, {}
    for code, start, end in find_countries(text):
        if _inside(start, noise):
            continue
        if _inside(start, background) or (
            LANGUAGE_BEFORE.search(text[max(0, start - 8) : start])
            and LANGUAGE_AFTER.match(text[end : end + 30])
        ):
            weak.setdefault(code, []).append((start, end))
            continue
        s, e = _sentence(text, start)
        sentence = text[s:e]
        if BACKGROUND.search(sentence) and not re.search(
            r"partner|beneficiar|lead|implement|member states?", sentence, re.I
        ):
            weak.setdefault(code, []).append((start, end))
            continue
        if VENUE.search(text[max(s, start - 70) : start]):
            # "a workshop held in Vienna", "in Minsk, Belarus": a place, not a participant.
            weak.setdefault(code, []).append((start, end))
            continue
        strong.setdefault(code, []).append((start, end))
    named = set(strong)
    for codes, start, end in find_regions(text):
        if _inside(start, noise) or _inside(start, background) or named & set(codes):
            continue
        s, e = _sentence(text, start)
        if BACKGROUND.search(text[s:e]):
            continue
        for code in codes:
            strong.setdefault(code, []).append((start, end))
    spans = sorted(span for code in strong for span in strong[code])
    return sorted(strong), spans


# Organisations ---------------------------------------------------------------------------------

_CONNECTOR = (
    r"(?:of|for|and|the|on|at|under|in\s+charge\s+of|de|du|des|la|le|del|di|contre|für|und|&|-|–)"
)
_WORD = r"(?:[A-Z][\w'’.&/-]*|\([A-Z][\w&-]*\)|[A-Z]{2,}[\w-]*)"
ORG = re.compile(rf"{_WORD}(?:\s+(?:{_CONNECTOR}\s+)*{_WORD})*")
ORG_HEAD = re.compile(
    r"^(?:the\s+)?(?:Ministry|Ministries|Directorate|Agency|Office|Police|Department|Commissariat"
    r"|Governorship|Governor|Centre|Center|Institute|University|National|State|General|Regional"
    r"|Federal|International|European|Border|Service|Bureau|Academy|College|Council|Authority"
    r"|Municipality|Prosecutor|Court|Guard|Gendarmerie|Customs|Secretariat|Association"
    r"|Foundation|Organi[sz]ation|Red Cross|Unit|Head|Chief|Republic|Royal|Public)",
)
ORG_WORDS = re.compile(
    r"Ministry|Directorate|Agency|Office|Police|Department|Commissariat|Governorship|Centre"
    r"|Center|Institute|University|Service|Bureau|Academy|Council|Authority|Guard|Gendarmerie"
    r"|Customs|Secretariat|Association|Foundation|Organi[sz]ation|Union|Commission|Facility"
    r"|Unit|Board|Inspectorate|Prosecution|Court|Coalition|Network|Red Cross|ICMPD|IOM|UNHCR"
    r"|UNODC|Frontex|Europol|Interpol|CEPOL|EUAA|Government|Municipality|Headquarters",
)
# The last word of a complete name: "Slovenian Police | and Hungarian Police" may be split there.
ORG_END = re.compile(
    r"(?:Ministry|Directorate|Agency|Office|Police|Department|Service|Bureau|Academy|Guard"
    r"|Board|Inspectorate|Gendarmerie|Customs|Centre|Center|Institute|Authority|Unit"
    r"|Headquarters|Commission|Council|Secretariat|Court|Prosecution|Foundation|Organi[sz]ation"
    r"|\))$"
)
PROSE_ROLES = [
    ("implementer", r"\bimplemented (?:jointly )?by (?:the )?"),
    ("implementer", r"\bcontracted by (?:the )?"),
    ("implementer", r"\bon behalf of (?:the )?nominating (?:EU )?Member States? by (?:the )?"),
    ("lead", r"\b(?:led|coordinated) by (?:the )?"),
    ("lead", r"\blead (?:partner|applicant|organi[sz]ation)(?: is| was)? (?:the )?"),
    ("partner", r"\bin (?:close )?(?:collaboration|cooperation|partnership) with "
     r"(?:(?:the|its|their) )?(?:partners? )?(?:the )?"),
    ("partner", r"(?<!lead\s)(?<!associated\s)\b(?:project )?partners? (?:is|are|was|were"
     r"|include[sd]?) (?:the )?"),
    ("partner", r"\bco-?applicants? (?:is|are|was|were)?\s*(?:the )?"),
    ("associated", r"\bassociated partners? (?:are|include|is|were|was) (?:the )?"),
    ("beneficiary", r"\b(?:main |direct )?beneficiar(?:y|ies) (?:is|are|include|were|was) "
     r"(?:the )?"),
    ("nominating", r"\bon behalf of (?:the )?nominating (?:EU )?Member States? "
     r"?(?:authorit(?:y|ies))?,?\s*(?:namely )?(?:the )?"),
    ("funder", r"\b(?:co-?)?funded by (?:the )?"),
    ("funder", r"\bfinancial (?:assistance|support) of (?:the )?"),
    ("funder", r"\b(?:co-?)?financed by (?:the )?"),
]  # fmt: skip
# Written with plain spaces for reading; a factsheet may break the line or pad the space anywhere.
PROSE_ROLES = [
    (role, re.compile(pattern.replace(" ", r"\s+"), re.I)) for role, pattern in PROSE_ROLES
]
# A sentence that ends in a list: "... carried out with two partners:" and the items below.
PROSE_ROLES += [
    (role, re.compile(rf"\b(?:with|its|the following|these|two|three|four|five|six)[ \t]+"
                      rf"(?:project[ \t]+)?{noun}:\s*", re.I))
    for role, noun in [("partner", "partners?"), ("beneficiary", r"beneficiar(?:y|ies)")]
]  # fmt: skip
# Phrases that follow the names they are about: "X is the lead partner", "X and Y are its
# beneficiaries", "X takes part as an associated partner", "The European Union finances ...".
ROLE_AFTER = (
    r"(?:(?:is|are|was|were) (?:(?:the|its|their|an?) )?(?:project(?:'s)? )?"
    r"|(?:joins?|joined|takes? part|took part|participates?|participated|acts?|acted|serves?"
    r"|served) as (?:the |an? )?(?:project )?|as (?:the |an? )?(?:project )?)"
    r"(?P<noun>lead partner|lead applicant|coordinator|associated partners?|partners?"
    r"|beneficiar(?:y|ies))\b"
    r"|(?P<funds>(?:co-?)?(?:finances|financed|funds|funded|pays for|paid for)) (?!by\b)"
    r"|(?P<leads>coordinated|coordinates|leads|led) (?:the|a|this) (?:project|action|programme)"
)
ROLE_AFTER = re.compile(ROLE_AFTER.replace(" ", r"\s+"), re.I)
ROLE_NOUNS = {"lead": "lead", "coordinator": "lead", "associated": "associated",
              "partner": "partner", "beneficiar": "beneficiary"}  # fmt: skip
NAMES_BEFORE = re.compile(rf"(?P<names>{ORG.pattern})(?:\s+in\s+[A-Z][\w-]+)?\s*,?\s*$")
LEAD_AFTER = re.compile(
    r"^,?\s*(?:as|is|acts as)\s+(?:the\s+|a\s+)?lead (?:partner|applicant)", re.I
)
NOT_ORGS = {
    "eu", "the eu", "member states", "eu member states", "partner countries", "project",
    "the project", "action", "the action", "partners", "partner", "beneficiaries", "it", "they",
}  # fmt: skip


def find_organisations(text: str, labels: list[Labelled], noise: list[Span]):
    acronyms = _acronym_map(text)
    found: dict[tuple[str, str], tuple[str, list[Span]]] = {}

    def add(name: str, role: str, start: int):
        if role == "funder":
            # "the European Union's Internal Security Fund", "the European Union under IPA II"
            name = re.split(r"['’]s\b|\s(?:under|through|from|via)\s", name)[0]
            if any(pattern.fullmatch(_clean_org(name)) for _fund, pattern in FUND_PATTERNS):
                return  # a fund, which funding_sources reports, not an organisation
        name = _clean_org(name)
        if not name or name.lower() in NOT_ORGS or not re.search(r"[A-Z]", name):
            return
        if len(name) <= 12 and name.upper() == name and name in acronyms:
            name = acronyms[name]
        key = (_org_key(name), role)
        if key not in found:
            found[key] = (name, [])
        found[key][1].append((start, start + len(name)))

    for item in labels:
        if not item.kind.startswith("role:"):
            continue
        role = item.kind.split(":", 1)[1]
        # "Lead partner: Estonian Police and Border Guard Board" names one organisation.
        single = role == "lead" and not item.label.rstrip(" :").endswith("s")
        for name, start in _org_list(item.text, item.start, role == "nominating", single):
            add(name, role, start)
    for role, pattern in PROSE_ROLES:
        for match in pattern.finditer(text):
            if role != "funder" and _inside(match.start(), noise):
                continue  # a funder is often named only in the footer
            s, e = _sentence(text, match.start())
            if role != "funder" and BACKGROUND.search(text[s : match.start()]):
                continue
            tail_end = min(e, match.end() + 400)
            if match.group(0).rstrip().endswith(":"):
                # "... with two partners:" and a list below: the list runs to its blank line.
                paragraph = re.search(r"\S\n\s*\n", text[match.end() : match.end() + 600])
                tail_end = match.end() + (paragraph.start() + 1 if paragraph else 600)
            tail = text[match.end() : tail_end]
            for name, start in _org_run(tail, match.end(), role == "nominating", first_any=True):
                add(name, role, start)
                after = text[start + len(name) : start + len(name) + 60]
                if role == "implementer" and LEAD_AFTER.match(after.replace("\n", " ")):
                    add(name, "lead", start)
    for match in ROLE_AFTER.finditer(text):
        role = _role_after(match)
        if role != "funder" and _inside(match.start(), noise):
            continue
        s, _e = _sentence(text, match.start())
        if role != "funder" and BACKGROUND.search(text[s : match.start()]):
            continue
        before = NAMES_BEFORE.search(text, s, match.start())
        if before:
            for name, start in _org_run(before["names"], before.start("names"), False):
                add(name, role, start)
    organisations = [{"name": name, "role": role} for (_key, role), (name, _s) in found.items()]
    spans = sorted(span for _name, spans in found.values() for span in spans)
    return organisations, spans


def _role_after(match) -> str:
    if match["funds"]:
        return "funder"
    if match["leads"]:
        return "lead"
    noun = match["noun"].lower()
    if noun.startswith(("lead", "coordinator")):
        return "lead"
    return next(role for stem, role in ROLE_NOUNS.items() if stem in noun)


def _acronym_map(text: str) -> dict[str, str]:
    """``ACR -> Full Name`` from ``Full Name (ACR)`` where the initials agree."""
    mapping = {}
    for match in re.finditer(r"((?:[A-Z][\w'’-]*\s+(?:(?:of|for|and|the|on|in)\s+)*){2,12})"
                             r"\(([A-Z][A-Za-z&-]{1,10})\)", text):  # fmt: skip
        words, acronym = match.group(1).split(), match.group(2)
        initials = [w[0] for w in words if w[0].isupper()]
        needed = [c for c in acronym if c.isupper()]
        for size in range(len(needed), len(initials) + 1):
            if initials[-size:][: len(needed)] == needed[:size] or (
                "".join(initials[-size:]).startswith("".join(needed))
            ):
                tail = words
                while tail and tail[0][0].upper() != needed[0]:
                    tail = tail[1:]
                mapping.setdefault(acronym, _clean_org(" ".join(tail)))
                break
    return mapping


NAME_CONNECTORS = {
    "of", "for", "and", "the", "on", "de", "du", "des", "la", "le", "del", "di", "at", "under",
    "in", "to", "charge", "against", "with", "&", "und", "für", "za", "i", "a", "w", "–", "-",
}  # fmt: skip


POSSESSIVE = re.compile(r"^(?:the\s+)?[A-Z][\w-]*['’]s\s+(?=[A-Z])")


def _clean_org(name: str) -> str:
    name = re.sub(r"\s+", " ", name).strip(" \t\n,.;:–—-*•\"“”'")
    name = re.sub(r"^(?:and|the|its|their|a|as well as|with)\s+", "", name, flags=re.I)
    name = POSSESSIVE.sub("", name)  # "Austria's Federal Criminal Police Office"
    # "Federal Office (BAMF) of Germany": the name is what stands before its acronym.
    name = re.sub(r"\s*\([A-Z][A-Za-z&-]{1,11}\)\s+(?:of|in)\s.*$", "", name)
    # "Full Name (ACR)" and "Name (name in its own language)": the full name as written.
    name = re.sub(r"\s*\([^()]*\)", "", name)
    name = re.sub(r"\s+(?:and|of|for|the|in|on|to|at|&)$", "", name, flags=re.I)
    return name.strip(" ,.;:*")


def _org_key(name: str) -> str:
    return re.sub(r"[^\w]+", " ", name.casefold()).strip()


BULLET = re.compile(r"^\s*(?:[-*•▪●◦–]|\d{1,2}[.)]|[a-z][.)])\s+")
# A line of a PDF table cell that stops mid-name: "State Border Guard Service at the".
CANNOT_END = re.compile(
    r"\b(?:of|the|at|and|for|in|on|to|under|de|du|des|la|le|National|State|Federal|General"
    r"|Regional|Central|International|European|Joint|Chief|Special)\s*$"
)


def _org_list(value: str, offset: int, countries_ok: bool, single: bool = False):
    """Names in a labelled value: one per line in a list, or separated by commas, semicolons
    and 'and' on one line."""
    lines = [line for line in value.split("\n") if line.strip()]
    if len(lines) > 1 and not any(line.rstrip().endswith((",", ";")) for line in lines[:-1]):
        for text, at in _list_items(value):
            name = _clean_org(text)
            if _is_name_line(name, countries_ok):
                yield name, offset + at + text.find(name[:8])
            else:
                yield from _org_run(text, offset + at, countries_ok)
        return
    for part, start in _split(value, offset, split_and=not single):
        loose = [w for w in re.sub(r"\([^)]*\)", " ", part).split() if w[:1].islower()]
        if len(part.split()) > 16 or any(w not in NAME_CONNECTORS for w in loose):
            yield from _org_run(part, start, countries_ok)
            continue
        name = _clean_org(part)
        if name and (_looks_like_org(name, countries_ok) or _one_word_name(name)):
            yield part, start


def _list_items(value: str) -> list[tuple[str, int]]:
    """The lines of a labelled list, without bullets, with lines a PDF wrapped joined again.

    Each item is ``(text, offset in value)``; a joined item reads its lines with one space.
    """
    items: list[tuple[str, int]] = []
    position = 0
    for raw in value.split("\n"):
        line_start = position
        position += len(raw) + 1
        bullet = BULLET.match(raw)
        body = raw[bullet.end() :] if bullet else raw.lstrip()
        at = line_start + len(raw) - len(body)
        body = body.rstrip()
        if not body:
            continue
        if items and not bullet and (CANNOT_END.search(items[-1][0]) or body[:1].islower()):
            items[-1] = (f"{items[-1][0]} {body}", items[-1][1])
        else:
            items.append((body, at))
    return items


def _is_name_line(name: str, countries_ok: bool) -> bool:
    """A list line that is one name, in any language: short, capitalised, not a sentence."""
    if not name[:1].isupper() or NOT_NAME_START.match(name) or name.endswith("."):
        return False
    if SECTION_HEADING.match(name) or len(re.findall(r"\d", name)) >= 3:
        return False
    if _is_country(name):
        return countries_ok
    words = [w for w in name.split() if w.lower() not in NAME_CONNECTORS]
    if not words or len(words) > 14 or (name.isupper() and len(words) > 2):
        return False
    return sum(w[:1].isupper() for w in words) / len(words) >= 0.4


SECTION_HEADING = re.compile(
    r"^\W*(?:(?:main |key )?(?:components?|activities|results?|outputs?|outcomes?|objectives?)"
    r"|background|overview|summary|description|context|about|timeline|documents?|publications?"
    r"|related \w+|news|budget|funding|contacts?)\W*$",
    re.I,
)


def _one_word_name(name: str) -> bool:
    """``Civipol``, ``Enabel``: a one-word name, capitalised, not a country or a common word."""
    return (
        bool(re.fullmatch(r"[A-Z][a-z]{3,}", name))
        and not _is_country(name)
        and not NOT_NAME_START.match(name)
    )


def _org_run(tail: str, offset: int, countries_ok: bool, first_any: bool = False):
    """Organisation names at the start of a phrase, as a list joined by commas and 'and'.

    With ``first_any``, the first name may be a plain one-word name ("implemented by Enabel"),
    since the phrase before it already says it is an organisation.
    """
    position = 0
    while True:
        segment = tail[position:]
        lead = re.match(r"\s*(?:,|and|as well as|;)?\s*(?:[-*•]\s+)?(?:with\s+)?(?:the\s+)?",
                        segment)  # fmt: skip
        segment_start = position + lead.end()
        match = ORG.match(tail, segment_start)
        if not match:
            return
        name = match.group(0)
        pieces = _split_and(name, countries_ok=True)
        cursor = segment_start
        for piece in pieces:
            at = tail.find(piece, cursor)
            if (
                ORG_WORDS.search(piece)
                or (countries_ok and _is_country(piece))
                or (piece.isupper() and 2 <= len(piece) <= 10)
                or (
                    first_any
                    and position == 0
                    and at == segment_start
                    and (_one_word_name(piece) or _is_name_line(_clean_org(piece), countries_ok))
                )
            ):
                yield piece, offset + at
            cursor = at + len(piece)
        position = match.end()
        nxt = re.match(
            r"(?:\s+in\s+[A-Z][\w-]+)?"  # "... Policing in Hungary, and ...": where, not who
            r"\s*(?:,\s*(?:and\s+)?|\s+and\s+(?:with\s+)?|\s+as well as(?: with)?\s+)",
            tail[position:],
        )
        if not nxt:
            return
        position += nxt.end()


NOT_NAME_START = re.compile(
    r"^(?:throughout|during|in|on|with|for|through|this|these|all|each|both|if|when|where|while"
    r"|our|its|their|key|project|action|more|further|see|read|contact|following|several|many"
    r"|some|other|various)\b",
    re.I,
)


def _looks_like_org(name: str, countries_ok: bool) -> bool:
    """A name, not a sentence or a section heading: named like an organisation or an acronym."""
    name = re.sub(r"^the\s+", "", name.strip())
    if not name[:1].isupper() or NOT_NAME_START.match(name):
        return False
    if name.isupper() and len(name.split()) > 2:
        return False  # a heading in capitals such as "KEY PROJECT INFORMATION"
    if _is_country(name):
        return countries_ok  # "FYROM" in a list of beneficiary countries
    if ORG_WORDS.search(name) or (name.isupper() and len(name) <= 12):
        return True
    words = [w for w in name.split() if w.lower() not in {"of", "for", "and", "the", "on", "&"}]
    return 2 <= len(words) <= 10 and all(w[:1].isupper() for w in words)


def _split_and(name: str, countries_ok: bool) -> list[str]:
    """Split a run of names joined by 'and' where one name ends and another begins.

    "A and the B" splits when both sides name organisations; "A and B" splits only when A ends
    like a complete name (a head noun such as Police, or a country) and B starts like one, so
    "Bosnia and Herzegovina", "Directorate of Migration and Border Surveillance" and "Ministry
    of Labour and Social Affairs" stay whole.
    """
    parts = re.split(r"(\s+(?:and|as well as|&)\s+)", name)
    pieces = [parts[0]]
    for separator, right in zip(parts[1::2], parts[2::2], strict=True):
        left = pieces[-1]
        core = POSSESSIVE.sub("", right)
        if countries_ok and _is_country(right):
            split = True
        elif right.startswith("the ") or "as well as" in separator:
            split = bool(ORG_WORDS.search(right) and ORG_WORDS.search(left))
        else:
            acronyms = left.isupper() and core.isupper() and len(core) <= 12  # "BAMF and BBU"
            split = (
                acronyms
                or bool(ORG_HEAD.match(core))
                and (bool(ORG_END.search(left)) or _ends_with_country(left) or left.isupper())
            )
        if split:
            pieces.append(right)
        else:
            pieces[-1] += separator + right
    return pieces


def _is_country(name: str) -> bool:
    mentions = find_countries(name)
    return bool(mentions) and mentions[0][1] == 0 and mentions[0][2] == len(name.strip())


def _ends_with_country(name: str) -> bool:
    mentions = find_countries(name)
    return bool(mentions) and mentions[-1][2] == len(name.rstrip())


def _split(value: str, offset: int, split_and: bool = True):
    # Commas inside brackets ("(Bundeskriminalamt, BK)") do not separate names.
    masked = re.sub(r"\([^()]*\)", lambda m: " " * len(m.group(0)), value)
    spans = [m.span() for m in re.finditer(r"[^,;\n•]+", masked)]
    # "Ministry of Labour, Social Security and Migration of ...": a comma inside one name, told
    # by the next piece having no word that names an organisation.
    merged: list[list[int]] = []
    for start, end in spans:
        piece = value[start:end].strip()
        if (
            merged
            and piece[:1].isupper()
            and not ORG_WORDS.search(piece)
            and not _is_country(piece)
            and ORG_WORDS.search(value[merged[-1][0] : merged[-1][1]])
            and value[merged[-1][1] : start].strip() == ","
        ):
            merged[-1][1] = end
        else:
            merged.append([start, end])
    for start, end in merged:
        # "... of North Macedonia the Commissariat ...": a list that lost a comma.
        for sub in _split_lost_comma(value[start:end]):
            at = value.find(sub, start)
            pieces = _split_and(sub, countries_ok=False) if split_and else [sub]
            cursor = at
            for piece in pieces:
                where = value.find(piece, cursor)
                cleaned = piece.strip(" .\t")
                if cleaned:
                    yield cleaned, offset + where + (len(piece) - len(piece.lstrip(" .\t")))
                cursor = where + len(piece)


def _split_lost_comma(part: str) -> list[str]:
    """``Ministry of Interior of North Macedonia the Commissariat ...``: a list lost a comma."""
    for _code, _start, end in find_countries(part):
        rest = part[end:]
        if re.match(r"\s+the\s+[A-Z]", rest) and ORG_HEAD.match(rest.strip()):
            return [part[:end], *_split_lost_comma(rest.strip())]
    return [part]


# Activities ------------------------------------------------------------------------------------

ACTIVITY_PATTERNS = {
    "meeting": r"\bmeetings\b|\bmeeting\b(?!\s+(?:the|their|its|these|those|all|EU|new|needs))",
    "workshop": r"\bworkshops?\b",
    "conference": r"(?<!video )(?<!video-)\bconferences?\b",
    "training": r"\btrainings?\b(?!\s+(?:institutions?|centres?|centers?|academ|schools?"
    r"|facilit|needs|institute|college))|\btrain(?:ed|s)?\s+(?:the\s+)?(?:staff|officers|its|\w+ers"
    r"|participants|personnel)|\bcourses?\b|\btraining of trainers\b",
    "study_visit": r"\bstudy (?:visits?|tours?|trips?)\b",
    "equipment": r"\bequipment\b|\bequip(?:ped|ping)?\b|\bprocure(?:ment|d)?\b"
    r"|\bdonat(?:e|es|ed|ion)\b|\bvehicles\b|\bsurveillance (?:systems?|facilities|cameras)",
    "needs_assessment": r"\bneeds?[- ](?:assessments?|analys[ie]s)\b|\bgaps? (?:and needs )?"
    r"(?:assessments?|analys[ie]s)|\bbaseline assessments?\b",
    "online_session": r"\bonline (?:sessions?|meetings?|trainings?|training sessions?|events?|"
    r"workshops?|seminars?)|\bwebinars?\b|\bvirtual (?:meetings?|sessions?|workshops?)"
    r"|\bsessions? (?:held )?online\b",
    "joint_operation": r"\bjoint (?:operations?|patrols?|investigations?|investigation teams?"
    r"|action days?|operational (?:activities|actions?))",
    "research": r"\bresearch\b"
    r"|\b(?:a|the|comparative|baseline|feasibility|regional) stud(?:y|ies)\b"
    r"|\bmapping\b|\bsurveys?\b",
    "e_learning": r"\be-?learning\b|\bonline courses?\b|\blearning management system\b"
    r"|\bdigital (?:learning )?platform\b|\bmoodle\b|\bonline learning\b",
    "exchange_of_staff": r"\bexchanges? of (?:staff|experts|officers|personnel|officials)\b"
    r"|\bstaff exchanges?\b|\bsecondments?\b|\binternships?\b|\bjob[- ]shadowing\b"
    r"|\bexchange programmes?\b",
}
ACTIVITY_PATTERNS = {key: re.compile(value, re.I) for key, value in ACTIVITY_PATTERNS.items()}
NOT_AN_ACTIVITY = re.compile(
    r"launch|kick-?off|opening ceremony|closing (?:ceremony|event)|inaugurat|news|published"
    r"|previous (?:project|phase|action)|sole responsibility|cookie",
    re.I,
)


def find_activities(text: str, noise: list[Span]):
    found, spans = [], []
    for activity, pattern in ACTIVITY_PATTERNS.items():
        for match in pattern.finditer(text):
            if _inside(match.start(), noise):
                continue
            s, e = _sentence(text, match.start())
            window = text[max(s, match.start() - 35) : min(e, match.end() + 25)]
            if NOT_AN_ACTIVITY.search(window) or BACKGROUND.search(text[s:e]):
                continue
            if activity not in found:
                found.append(activity)
            spans.append((match.start(), match.end()))
    return sorted(found, key=ACTIVITY_TYPES.index), sorted(spans)


# Title, acronym, reference ---------------------------------------------------------------------

QUOTED_TITLE = re.compile(
    r"(?:(?:project|action|initiative|programme)\s*(?:entitled|titled|called|named)?"
    r"|under\s+the\s+name|known\s+as)\s*"
    r"[“\"«„‘']\s*(?P<title>[^”\"»“’\n]{15,400}?(?:\n[^”\"»“’\n]{1,200}?)?)\s*[”\"»“’']",
    re.I,
)
# A name in quotes that the text calls a project, or follows with its acronym: stronger evidence
# than a page's heading, which may be a news headline about the project.
NAMED_TITLE = re.compile(
    r"(?:(?:project|action|initiative|programme)\s+(?:entitled|titled|called|named)"
    r"|under\s+the\s+name|known\s+as)\s*[“\"«„‘']\s*(?P<title>[^”\"»“’\n]{15,400}?"
    r"(?:\n[^”\"»“’\n]{1,200}?)?)\s*[”\"»“’']"
    r"|[“\"«„‘'](?P<title2>[^”\"»“’\n]{15,400}?)[”\"»“’']\s*\((?=[A-Z][A-Za-z0-9-]*[A-Z])",
    re.I,
)
QUOTED_LINE = re.compile(r"^\s*[“\"«„](?P<title>[^”\"»\n]{25,400})[”\"»]\s*$", re.M)
ACRONYM_SUFFIX = re.compile(r"\s*[-–—:]\s*\(?(?P<acr>[A-Z][A-Za-z0-9&+-]{1,14})\)?\s*$")
ACRONYM_PARENS = re.compile(r"\s*\((?P<acr>[A-Z][A-Za-z0-9&+-]{1,14})\)\s*$")
NOT_TITLES = re.compile(
    r"table of contents|about (?:the|this) project|synopsis|key (?:project )?information|"
    r"contact|project activities|objectives?|results?|summary|overview|background|menu|home",
    re.I,
)


TITLE_NOISE = re.compile(r"[>›|·»©]|cookie|accept|privacy|newsletter|subscribe|[!?]\s*$", re.I)
CONNECTOR_END = re.compile(
    r"\b(?:and|of|the|in|for|to|on|at|with|between|against|along)\s*$|[-–:]$"
)


def find_title(
    text: str, lines: list[Line], labels: list[Labelled], noise: list[Span], heading=None
):
    for item in labels:
        if item.kind == "title":
            first = item.lines[0]
            value = item.text.split("\n")[0] if len(item.lines) > 1 else item.text
            if all(_indent(line.text) for line in item.lines[1:]):
                value = item.text  # a title that runs on in indented lines
            start = item.start
            if len(item.lines) > 1 and not first.text.strip():
                start = item.lines[1].start
            return _strip_quotes(value, start)
    for match in NAMED_TITLE.finditer(text):
        group = "title" if match.group("title") else "title2"
        if not _inside(match.start(), noise) and len(match.group(group).split()) >= 4:
            return _strip_quotes(match.group(group), match.start(group))
    if heading and len(heading.split()) >= 4 and not TITLE_NOISE.search(heading):
        at = text.find(heading)
        if at >= 0:
            return _strip_quotes(heading, at)
    for match in QUOTED_TITLE.finditer(text):
        if not _inside(match.start(), noise) and len(match.group("title").split()) >= 4:
            return _strip_quotes(match.group("title"), match.start("title"))
    for match in QUOTED_LINE.finditer(text):
        if len(match.group("title").split()) >= 4:
            return _strip_quotes(match.group("title"), match.start("title"))
    limit = max(len(text) // 2, 600)
    for index, line in enumerate(lines):
        if line.start > limit:
            break
        candidate = line.text.strip().strip("*#").strip()
        words = candidate.split()
        if not 3 <= len(words) <= 45 or not 20 <= len(candidate) <= 320:
            continue
        if (
            _inside(line.start, noise)
            or candidate.endswith((".", ",", ";"))
            or NOT_TITLES.search(candidate[:40])
            or TITLE_NOISE.search(candidate)
            or LABEL_LINE.match(candidate)
            and _kind_of(LABEL_LINE.match(candidate)["label"])
            or "\t" in line.text
            or not candidate[0].isupper()
            or sum(c.isdigit() for c in candidate) > 6
            or RANGE.search(candidate)
            or AMOUNT.search(candidate)
            and any(c.isdigit() for c in candidate)
        ):
            continue
        offset = line.start + line.text.index(candidate[:10])
        end = offset + len(candidate)
        # A title wrapped over two or three lines, as PDFs and narrow layouts break it.
        for nxt in lines[index + 1 : index + 3]:
            following = nxt.text.strip()
            if not following or len(text[offset : nxt.end]) > 320 or TITLE_NOISE.search(following):
                break
            if not (
                following[0].islower()
                or CONNECTOR_END.search(text[offset:end])
                or _title_tail(following)
            ):
                break
            end = nxt.start + len(nxt.text.rstrip())
        return _strip_quotes(re.sub(r"\s+", " ", text[offset:end]), offset)
    return None, []


def _title_tail(line: str) -> bool:
    """``Border Crossing`` below a title that a PDF wrapped: a few capitalised words, not a
    label, a heading in capitals or a line of its own."""
    words = line.split()
    return (
        len(words) <= 4
        and all(w[:1].isupper() or w in NAME_CONNECTORS for w in words)
        and not line.isupper()
        and line[-1:].isalpha()
        and not _bare_label(line)
        and not NOT_TITLES.search(line)
        and not ACRONYM_TOKEN.fullmatch(line)
    )


def _strip_quotes(value: str, start: int):
    value = re.sub(r"\s+", " ", value)
    stripped = value.strip()
    start += value.index(stripped[:1]) if stripped else 0
    inner = stripped.strip("“”\"«»„'‘’")
    start += stripped.index(inner[:1]) if inner else 0
    inner = inner.rstrip(".").strip()
    return inner or None, [(start, start + len(inner))] if inner else []


ACRONYM_TOKEN = re.compile(r"[A-Z][A-Za-z0-9]*(?:[-–+&][A-Za-z0-9]+)*(?: [IVX]{1,3})?")
STOP_ACRONYMS = {
    "EU", "EC", "MPF", "ICMPD", "IOM", "UNHCR", "UNODC", "DG", "HOME", "ISF", "AMIF", "BMVI",
    "IPA", "NDICI", "IBM", "EAP", "WB", "SEE", "CBC", "MS", "NGO", "UN", "OSCE", "EUR",
}  # fmt: skip


# "(BorderSec WB II)" just after the title.
ACRONYM_AFTER = re.compile(
    r"[”\"'’»]?\s*\((?P<acr>[A-Z][A-Za-z0-9&+-]{1,14}(?: [A-Z0-9][A-Za-z0-9&+-]{0,8}){0,2})\)"
)
NAMED_ACRONYM = re.compile(
    r"\b(?:known (?:by its acronym|by the acronym|as)|(?:its|the) acronym(?: is)?"
    r"|abbreviated(?: as)?)\s+[“\"']?"
    r"(?P<acr>[A-Z][A-Za-z0-9]*[A-Z][A-Za-z0-9]*(?:[-–+&][A-Za-z0-9]+)*)\b"
)


SUBJECT_ACRONYM = re.compile(
    r"(?:^|[.!?]\s+)(?P<acr>[A-Z][A-Z0-9]{3,}(?:-[A-Z0-9]+)*)\s+[a-z]", re.M
)


def _acronym_beside(text: str, title_spans: list[Span]):
    """``AIRSEA-GE`` on a line of its own just above or below the title."""
    if not title_spans:
        return None
    start, end = title_spans[0][0], title_spans[-1][1]
    line_end = text.find("\n", end)
    below = text[line_end:].lstrip("\n") if line_end >= 0 else ""
    underline = re.match(r"[=\-]{3,}\n+", below)  # a Markdown title's underline
    below = below[underline.end() :] if underline else below
    above = text[: text.rfind("\n", 0, start) + 1].rstrip("\n")
    candidates = [
        (below.split("\n", 1)[0], len(text) - len(below)),
        (above.rsplit("\n", 1)[-1], len(above) - len(above.rsplit("\n", 1)[-1])),
    ]
    for line, at in candidates:
        # "*ASYL-QUAL* — Funded by ...", "NCC-SC — national coordination centres"
        token = re.split(r"\s+[·|•–—:]\s+", line.strip())[0].strip("*#_“”\"' ")
        if (
            ACRONYM_TOKEN.fullmatch(token)
            and token.upper() not in STOP_ACRONYMS
            and sum(c.isupper() for c in token) >= max(2, len(token) // 2)
        ):
            at += line.index(token)
            return token, [(at, at + len(token))]
    return None


def find_acronym(text, labels, title, title_spans):
    """``(acronym, spans, title)``: the title loses an acronym written at its end."""
    acronym, spans, shorter = _find_acronym(text, labels, title, title_spans)
    return acronym, spans, shorter or title


def _find_acronym(text, labels, title, title_spans):
    for item in labels:
        if item.kind == "acronym":
            value = item.text.split("\n")[0].strip().strip("“”\"'")
            return value, [(item.start, item.start + len(value))], None
    if title:
        for pattern in (ACRONYM_SUFFIX, ACRONYM_PARENS):
            match = pattern.search(title)
            if match and match.group("acr").upper() not in STOP_ACRONYMS:
                acr = match.group("acr")
                if sum(c.isupper() for c in acr) >= 2 or acr.isupper():
                    start = title_spans[0][0] + match.start("acr")
                    return acr, [(start, start + len(acr))], title[: match.start()].strip()
        end = title_spans[0][1] if title_spans else 0
        after = ACRONYM_AFTER.match(text[end : end + 40])
        acr = after.group("acr") if after else ""
        if acr and acr.upper() not in STOP_ACRONYMS and sum(c.isupper() for c in acr) >= 2:
            start = end + after.start("acr")
            return acr, [(start, start + len(acr))], None
        beside = _acronym_beside(text, title_spans)
        if beside:
            return (*beside, None)
    named = NAMED_ACRONYM.search(text)
    if named and named.group("acr").upper() not in STOP_ACRONYMS:
        return named.group("acr"), [named.span("acr")], None
    for line in text.split("\n")[:80]:
        token = re.split(r"\s+[·|•–—:]\s+|\s{2,}", line.strip().strip("*#").strip())[0]
        if (
            ACRONYM_TOKEN.fullmatch(token)
            and token.upper() not in STOP_ACRONYMS
            and sum(c.isupper() for c in token) >= 2
            and len(re.findall(rf"(?<![\w-]){re.escape(token)}(?![\w-])", text)) >= 2
        ):
            start = text.find(token)
            return token, [(start, start + len(token))], None
    defined = {m.group(1) for m in re.finditer(r"\(([A-Z][A-Za-z]{1,10})\)", text)}
    counts = {}
    for match in re.finditer(
        r"\b(?:the\s+)?(?P<acr>[A-Z][A-Za-z0-9-]*[A-Z0-9][A-Za-z0-9-]*)\s+(?:project|action)\b",
        text,
    ):
        acr = match.group("acr")
        upper = sum(c.isupper() for c in acr)
        if acr.upper() in STOP_ACRONYMS or acr in defined or upper < max(2, len(acr) * 0.6):
            continue
        counts.setdefault(acr, []).append((match.start("acr"), match.end("acr")))
    if counts:
        acr, spans = max(counts.items(), key=lambda kv: len(kv[1]))
        return acr, spans, None
    # "CAMDATA helps the authorities ...": a coined name in capitals that opens a sentence as
    # its subject, used more than once, and not an organisation's acronym spelt out in brackets.
    for match in SUBJECT_ACRONYM.finditer(text):
        acr = match.group("acr")
        if (
            acr not in STOP_ACRONYMS
            and acr not in defined
            and not find_countries(acr)
            and len(re.findall(rf"(?<![\w-]){re.escape(acr)}(?![\w-])", text)) >= 2
        ):
            return acr, [match.span("acr")], None
    return None, [], None


def find_reference(text: str, labels: list[Labelled], noise: list[Span]):
    ranked = []
    for item in labels:
        if item.kind != "reference":
            continue
        label = item.label.lower()
        rank = 0 if re.search(r"ref|project (?:no|number|code|id)|\bcode\b|\bid\b", label) else 1
        if re.search(r"contract|agreement", label) and rank:
            rank = 2
        value = item.text.split("\n")[0].strip()
        match = re.match(r"[^\s,;()]*\d[^\s,;()]*(?:\s+[^\s,;()]*\d[^\s,;()]*)*", value)
        match = match or re.search(r"[A-Z0-9][\w./-]*\d[\w./-]*", value)
        if match:
            ref = match.group(0).rstrip(".")
            ranked.append((rank, item.start + value.index(ref), ref))
    for match in REF_INLINE.finditer(text):
        if not _inside(match.start(), noise):
            ranked.append((1, match.start("ref"), match.group("ref").rstrip(".")))
    if not ranked:
        return None, []
    rank, start, ref = min(ranked)
    return ref, [(start, start + len(ref))]


# Putting it together ---------------------------------------------------------------------------


def extract_text(text: str, heading: str | None = None) -> dict:
    """The contract's fields for a factsheet's plain text.

    ``heading`` is the main heading where the file's format marks one (see ``readers``).
    """
    lines = _lines(text)
    labels = find_labels(text, lines)
    noise = noise_spans(text, lines, labels)
    provenance: dict[str, list[Span]] = {}

    title, spans = find_title(text, lines, labels, noise, heading)
    provenance["title"] = spans
    acronym, acronym_spans, shorter = find_acronym(text, labels, title, spans)
    if shorter != title:
        title = shorter
        provenance["title"] = [(spans[0][0], spans[0][0] + len(title))]
    provenance["acronym"] = acronym_spans
    reference, provenance["reference"] = find_reference(text, labels, noise)
    period = find_period(text, labels, noise)
    provenance["start_date"] = period.start_spans
    provenance["end_date"] = period.end_spans
    provenance["duration_months"] = period.duration_spans
    budget, provenance["budget"] = find_budget(text, labels, noise)
    eu, eu_span = find_eu_contribution(text, labels, noise)
    if budget and eu and eu[1] == budget["currency"] and eu[0] <= Decimal(budget["amount"]):
        budget["eu_contribution"] = f"{eu[0]:.2f}"
        if eu_span not in provenance["budget"]:
            provenance["budget"].append(eu_span)
    funding, provenance["funding_sources"] = find_funding(text, noise)
    background = background_spans(lines)
    countries, provenance["countries"] = find_project_countries(text, noise, background)
    organisations, provenance["organisations"] = find_organisations(text, labels, noise)
    activities, provenance["activity_types"] = find_activities(text, noise)
    result = {
        "title": title,
        "acronym": acronym,
        "reference": reference,
        "start_date": period.start.isoformat() if period.start else None,
        "end_date": period.end.isoformat() if period.end else None,
        "duration_months": period.duration,
        "budget": budget,
        "funding_sources": funding,
        "countries": countries,
        "organisations": organisations,
        "activity_types": activities,
    }
    result["provenance"] = {
        key: [list(span) for span in spans]
        for key, spans in provenance.items()
        if spans and result.get(key) not in (None, [])
    }
    return result


def extract_file(path: str | Path, max_bytes: int = DEFAULT_MAX_BYTES) -> dict:
    """Read and extract one factsheet; raises ``UnreadableFile`` with the reason."""
    document = read_path(path, max_bytes=max_bytes)
    return extract_text(document.text, document.heading)
