"""A project's risk register: its writes, and the heat map of likelihood against impact."""

from django.db import transaction
from django.db.models import Count, F
from django.utils.translation import gettext as _

from liaison.core import audit

from .. import permissions
from ..models import Risk, RiskStatus
from . import PermissionDenied, require

RISK_FIELDS = ["title", "description", "likelihood", "impact", "mitigation", "owner", "status"]
SCALE = range(1, 6)


def ranked(risks):
    """Highest score first; between equal scores the more severe impact."""
    return risks.annotate(rank=F("likelihood") * F("impact")).order_by(
        "-rank", "-impact", "title", "pk"
    )


def open_risks(project):
    return ranked(Risk.objects.filter(project=project, status=RiskStatus.OPEN))


def _snapshot(risk: Risk) -> dict:
    return {name: getattr(risk, name) for name in RISK_FIELDS}


@transaction.atomic
def save_risk(actor, risk: Risk, fields: dict, reason: str = "") -> Risk:
    """Create (``risk.pk`` is None, its ``project`` set) or change a risk."""
    require(permissions.can_edit_results(actor, risk.project))
    created = risk.pk is None
    if not created:
        stored = Risk.objects.select_for_update().get(pk=risk.pk)
        if stored.project_id != risk.project_id:
            raise PermissionDenied(_("That risk belongs to another project."))
    before = {} if created else _snapshot(stored)
    for name, value in fields.items():
        if name in RISK_FIELDS:
            setattr(risk, name, value)
    risk.full_clean()
    risk.save()
    changes = audit.diff(before, _snapshot(risk))
    if changes:
        audit.record(actor, "risk.created" if created else "risk.updated", risk, changes, reason)
    return risk


@transaction.atomic
def delete_risk(actor, risk: Risk, reason: str = ""):
    require(permissions.can_edit_results(actor, risk.project))
    audit.record(
        actor, "risk.deleted", risk, audit.diff(_snapshot(risk), dict.fromkeys(RISK_FIELDS)), reason
    )
    risk.delete()


def level(score: int) -> str:
    """The band a score falls in, named for the heat map's colour classes."""
    if score >= 15:
        return "severe"
    if score >= 10:
        return "high"
    if score >= 5:
        return "medium"
    return "low"


def heat_map(risks) -> list[dict]:
    """Counts of ``risks`` per likelihood and impact, one aggregate query: rows from the most
    likely down, cells from the least impact up, as the register is usually drawn."""
    counts = {
        (row["likelihood"], row["impact"]): row["n"]
        for row in risks.order_by().values("likelihood", "impact").annotate(n=Count("pk"))
    }
    return [
        {
            "likelihood": likelihood,
            "cells": [
                {
                    "likelihood": likelihood,
                    "impact": impact,
                    "count": counts.get((likelihood, impact), 0),
                    "level": level(likelihood * impact),
                }
                for impact in SCALE
            ],
        }
        for likelihood in reversed(SCALE)
    ]
