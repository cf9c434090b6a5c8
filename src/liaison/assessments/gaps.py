"""Where an institution stands, area by area, computed from the answers in a fixed number of
queries whatever the number of areas, questions or assessments.

The current level of an area is the mean of its answered scale questions, rounded to one
decimal; yes/no, number and text questions inform the team but do not move the level, and an
unanswered question does not count as zero. The gap is the target minus the current level.
"""

from collections import defaultdict
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext as _

from .models import Answer, Area, AreaResult, Assessment, Priority, Question, QuestionKind, gap

ONE_PLACE = Decimal("0.1")

# What makes an answer an answer: a comment alone does not.
ANSWERED = Q(level__isnull=False) | Q(yes__isnull=False) | Q(number__isnull=False) | ~Q(text="")


def one_decimal(value: Decimal) -> Decimal:
    return Decimal(value).quantize(ONE_PLACE, rounding=ROUND_HALF_UP)


def suggest_priority(gap_size: Decimal | None) -> str:
    """A starting point the team may overrule: two levels or more short is high."""
    if gap_size is None:
        return ""
    if gap_size >= 2:
        return Priority.HIGH
    if gap_size >= 1:
        return Priority.MEDIUM
    return Priority.LOW


@dataclass
class AreaRow:
    area: Area
    result: AreaResult | None
    current: Decimal | None
    target: Decimal
    answered: int
    total: int
    scale_answered: int
    scale_total: int

    @property
    def gap(self) -> Decimal | None:
        return gap(self.target, self.current)

    @property
    def suggested_priority(self) -> str:
        return suggest_priority(self.gap)

    @property
    def priority(self) -> str:
        """The team's priority, or the suggested one while they have not set it."""
        chosen = self.result.priority if self.result else ""
        return chosen or self.suggested_priority

    @property
    def priority_label(self) -> str:
        return Priority(self.priority).label if self.priority else ""

    @property
    def complete(self) -> bool:
        return self.scale_answered == self.scale_total


def results_for(assessments) -> dict[int, list[AreaRow]]:
    """The rows of each assessment, by assessment id, in the template's order. Four queries."""
    assessments = list(assessments)
    if not assessments:
        return {}
    ids = [a.pk for a in assessments]
    templates = {a.template_id for a in assessments}
    areas = defaultdict(list)
    for area in Area.objects.filter(template__in=templates).order_by("template", "order", "pk"):
        areas[area.template_id].append(area)
    results = {
        (r.assessment_id, r.area_id): r for r in AreaResult.objects.filter(assessment__in=ids)
    }
    counts = {
        row["area"]: row
        for row in Question.objects.filter(area__template__in=templates)
        .values("area")
        .annotate(total=Count("pk"), scale=Count("pk", filter=Q(kind=QuestionKind.SCALE)))
        .order_by()
    }
    scale = Q(question__kind=QuestionKind.SCALE, level__isnull=False)
    answers = {
        (row["assessment"], row["question__area"]): row
        for row in Answer.objects.filter(assessment__in=ids)
        .values("assessment", "question__area")
        .annotate(
            answered=Count("pk", filter=ANSWERED),
            scale_answered=Count("pk", filter=scale),
            level_sum=Sum("level", filter=scale),
        )
        .order_by()
    }
    rows = {}
    for assessment in assessments:
        rows[assessment.pk] = []
        for area in areas[assessment.template_id]:
            result = results.get((assessment.pk, area.pk))
            found = answers.get((assessment.pk, area.pk), {})
            scale_answered = found.get("scale_answered", 0)
            current = (
                one_decimal(Decimal(found["level_sum"]) / scale_answered)
                if scale_answered
                else None
            )
            rows[assessment.pk].append(
                AreaRow(
                    area=area,
                    result=result,
                    current=current,
                    target=result.target_level if result else Decimal(area.default_target),
                    answered=found.get("answered", 0),
                    total=counts.get(area.pk, {}).get("total", 0),
                    scale_answered=scale_answered,
                    scale_total=counts.get(area.pk, {}).get("scale", 0),
                )
            )
    return rows


def area_rows(assessment: Assessment) -> list[AreaRow]:
    return results_for([assessment])[assessment.pk]


def _number(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def gap_chart(rows: list[AreaRow]) -> dict:
    """Current and target level per area, for the bar chart next to the same figures' table."""
    return {
        "labels": [row.area.title for row in rows],
        "datasets": [
            {"label": _("Current level"), "data": [_number(row.current) for row in rows]},
            {"label": _("Target level"), "data": [_number(row.target) for row in rows]},
        ],
    }


@dataclass
class ComparedArea:
    code: str
    title: str
    before: AreaRow | None
    after: AreaRow | None

    @property
    def before_level(self):
        return self.before.current if self.before else None

    @property
    def after_level(self):
        return self.after.current if self.after else None

    @property
    def change(self) -> Decimal | None:
        if self.before_level is None or self.after_level is None:
            return None
        return self.after_level - self.before_level

    @property
    def before_gap(self):
        return self.before.gap if self.before else None

    @property
    def after_gap(self):
        return self.after.gap if self.after else None


def compare(before: Assessment, after: Assessment) -> list[ComparedArea]:
    """Areas of two assessments side by side, matched by area code so that assessments made on
    different versions of a template compare; an area found in one only has an empty side."""
    rows = results_for([before, after])
    return matched(rows[before.pk], rows[after.pk])


def matched(before_rows: list[AreaRow], after_rows: list[AreaRow]) -> list[ComparedArea]:
    """Two assessments' rows paired by area code, for callers that computed many at once."""
    old = {row.area.code: row for row in before_rows}
    new = {row.area.code: row for row in after_rows}
    codes = list(new) + [code for code in old if code not in new]
    return [
        ComparedArea(
            code=code,
            title=(new.get(code) or old[code]).area.title,
            before=old.get(code),
            after=new.get(code),
        )
        for code in codes
    ]


def compare_chart(areas: list[ComparedArea], before_label: str, after_label: str) -> dict:
    return {
        "labels": [a.title for a in areas],
        "datasets": [
            {"label": before_label, "data": [_number(a.before_level) for a in areas]},
            {"label": after_label, "data": [_number(a.after_level) for a in areas]},
        ],
    }


def gap_closure(before: Assessment, after: Assessment) -> Decimal | None:
    """The share of the gap found by ``before`` that was closed by the time of ``after``, in
    percent with one decimal: 100 × Σ(before gap − after gap) / Σ before gap.

    Both are assessments of the same institution (``ValueError`` otherwise), ``before`` the
    earlier. Areas are matched by code, so the two may use different versions of a template;
    only areas present in both with a known gap on both sides count. The result is ``None``
    when no such area had a gap before, and negative when the gaps widened. Four queries.
    """
    if before.institution_id != after.institution_id:
        raise ValueError("gap_closure compares two assessments of the same institution.")
    closed, found = closure_parts(compare(before, after))
    if not found:
        return None
    return one_decimal(100 * closed / found)


def closure_parts(areas: list[ComparedArea]) -> tuple[Decimal, Decimal]:
    """``(gap closed, gap found before)`` summed over the areas known on both sides: the
    numerator and denominator of ``gap_closure``, which results indicators add up across
    institutions."""
    found = closed = Decimal(0)
    for area in areas:
        if area.before_gap is None or area.after_gap is None:
            continue
        found += area.before_gap
        closed += area.before_gap - area.after_gap
    return closed, found
