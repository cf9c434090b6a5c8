"""The grants app's records: calls and their rules (calls.py), applications and their
consortium budgets (applications.py), a call's own versioned form and its answers (form.py),
and what follows submission: eligibility, clarifications, reviews, consolidation and the
decision (review.py)."""

from .applications import (
    EDITABLE,
    Activity,
    Application,
    ApplicationStatus,
    BudgetLine,
    CostCategory,
    Partner,
    PartnerRole,
    validate_currency,
)
from .calls import (
    MAX_AMOUNT,
    Call,
    CallDocument,
    CallQuestion,
    CallStatus,
    ExchangeRate,
    Lot,
    region_label,
)
from .form import Answer, FormQuestion, FormSection, FormVersion, QuestionKind
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
    "Answer",
    "FormQuestion",
    "FormSection",
    "FormVersion",
    "QuestionKind",
    "Activity",
    "CallDocument",
    "CallQuestion",
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
