"""The grants app's records: calls and their rules (calls.py), applications and their
consortium budgets (applications.py), and what follows submission: eligibility,
clarifications, reviews, consolidation and the decision (review.py)."""

from .applications import (
    EDITABLE,
    Application,
    ApplicationStatus,
    BudgetLine,
    CostCategory,
    Partner,
    PartnerRole,
    validate_currency,
)
from .calls import MAX_AMOUNT, Call, CallStatus, ExchangeRate, Lot, region_label
from .review import (
    Assignment,
    Clarification,
    ConflictStatus,
    Consolidation,
    Criterion,
    Decision,
    EligibilityAnswer,
    EligibilityCheck,
    Outcome,
    Score,
)

__all__ = [
    "Assignment",
    "Clarification",
    "ConflictStatus",
    "Consolidation",
    "Criterion",
    "Decision",
    "EligibilityAnswer",
    "EligibilityCheck",
    "Outcome",
    "Score",
    "EDITABLE",
    "MAX_AMOUNT",
    "Application",
    "ApplicationStatus",
    "BudgetLine",
    "Call",
    "CallStatus",
    "CostCategory",
    "ExchangeRate",
    "Lot",
    "Partner",
    "PartnerRole",
    "region_label",
    "validate_currency",
]
