"""The evaluation grid's arithmetic: weighted totals, their range, reviewers' disagreement, and
where each review stands.

Nothing here is stored: the reviewers' scores are the record, and the same figures are derived
from them wherever they show (the review page, the consolidation page, the application's
panel), so no page can disagree with another. Functions take rows already fetched (scores
prefetched on their assignments), so a page costs the same queries for any number of them.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _

from .budget import cents
from .models import Assignment, ConflictStatus


class ReviewState(models.TextChoices):
    """Where one reviewer stands on one application (derived, never stored)."""

    TO_DECLARE = "to_declare", _("To declare")
    CONFLICT = "conflict", _("Conflict declared")
    SCORING = "scoring", _("Scoring")
    SUBMITTED = "submitted", _("Submitted")


def state(assignment) -> ReviewState:
    if assignment.conflict == ConflictStatus.CONFLICT:
        return ReviewState.CONFLICT
    if assignment.conflict == ConflictStatus.UNDECLARED:
        return ReviewState.TO_DECLARE
    if assignment.submitted_at is not None:
        return ReviewState.SUBMITTED
    return ReviewState.SCORING


def active(assignments) -> list:
    """The assignments that count: a reviewer with a declared conflict scores nothing."""
    return [a for a in assignments if a.conflict != ConflictStatus.CONFLICT]


def complete(assignments) -> bool:
    """Every reviewer without a conflict has submitted (and there is at least one)."""
    counted = active(assignments)
    return bool(counted) and all(a.submitted_at is not None for a in counted)


def scores_complete(application) -> bool:
    """``complete`` for one application, in one query."""
    counted = Assignment.objects.filter(application=application).exclude(
        conflict=ConflictStatus.CONFLICT
    )
    return counted.exists() and not counted.filter(submitted_at__isnull=True).exists()


def weighted_total(criteria, scores: dict) -> Decimal:
    """Σ weight × score over the criteria scored (``scores``: criterion id → score)."""
    return cents(sum((c.weight * Decimal(scores[c.pk]) for c in criteria if c.pk in scores), 0))


def span(criterion) -> Decimal:
    return Decimal(criterion.max_score - criterion.min_score)


def total_span(criteria) -> Decimal:
    """The range of the weighted total: Σ weight × (max − min)."""
    return sum((c.weight * span(c) for c in criteria), Decimal(0))


def disagree(values, width: Decimal, rate: Decimal) -> bool:
    """Whether the highest and the lowest of ``values`` lie further apart than ``rate`` % of
    ``width`` (the range they could take)."""
    values = list(values)
    if len(values) < 2:
        return False
    return max(values) - min(values) > Decimal(width) * Decimal(rate) / 100


def mean(values) -> Decimal | None:
    values = list(values)
    if not values:
        return None
    return cents(sum(values, Decimal(0)) / len(values))


@dataclass
class CriterionRow:
    criterion: object
    scores: list  # one Score (or None) per reviewer column, in the columns' order
    mean: Decimal | None = None
    flagged: bool = False


@dataclass
class Comparison:
    """Each submitted reviewer's scores side by side, criterion by criterion."""

    columns: list  # the submitted assignments compared
    rows: list = field(default_factory=list)
    totals: list = field(default_factory=list)  # weighted total per column
    total_mean: Decimal | None = None
    total_flagged: bool = False
    complete: bool = False

    @property
    def flagged(self) -> bool:
        return self.total_flagged or any(row.flagged for row in self.rows)


def compare(call, criteria, assignments) -> Comparison:
    """Compare the submitted scores of ``assignments`` (their ``scores`` prefetched). Drafts
    are a reviewer's own and never counted."""
    criteria = list(criteria)
    columns = [a for a in active(assignments) if a.submitted_at is not None]
    result = Comparison(columns=columns, complete=complete(assignments))
    by_column = [{s.criterion_id: s for s in a.scores.all()} for a in columns]
    for criterion in criteria:
        scores = [mine.get(criterion.pk) for mine in by_column]
        values = [s.score for s in scores if s is not None]
        result.rows.append(
            CriterionRow(
                criterion=criterion,
                scores=scores,
                mean=mean(values),
                flagged=disagree(values, span(criterion), call.disagreement_rate),
            )
        )
    result.totals = [
        weighted_total(criteria, {pk: s.score for pk, s in mine.items()}) for mine in by_column
    ]
    result.total_mean = mean(result.totals)
    result.total_flagged = disagree(result.totals, total_span(criteria), call.disagreement_rate)
    return result
