"""The grants app's records: calls and their rules (calls.py), applications and their
consortium budgets (applications.py)."""

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

__all__ = [
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
