"""The grants demo loads through the services: its consortia meet their calls' rules, every
state the issue names is there, and a rerun adds nothing."""

import pytest

from liaison.grants import demo
from liaison.grants.models import Application, Assignment, Call
from liaison.portfolio import demo as portfolio_demo

pytestmark = pytest.mark.django_db


def test_the_demo_calls_and_applications(countries):
    portfolio_demo.load_seed_programmes()
    portfolio_demo.create_demo_users()
    made = demo.load_demo_grants()
    assert set(made["calls"]) == {"MPF-2026-BS", "MPF-2027-BS"}
    closed, open_call = made["calls"]["MPF-2026-BS"], made["calls"]["MPF-2027-BS"]
    assert closed.status() == "closed" and open_call.status() == "open"
    statuses = set(Application.objects.values_list("status", flat=True))
    assert statuses == {
        "draft",
        "submitted",
        "ineligible",
        "under_review",
        "selected",
        "reserve",
        "rejected",
    }
    awarded = Application.objects.filter(project__isnull=False)
    assert awarded.count() == 2
    for application in awarded:
        project = application.project
        assert project.visibility == "draft"
        assert project.participations.count() == application.partners.count()
    conflicted = Assignment.objects.get(conflict="conflict")
    assert conflicted.application.status == "under_review"
    assert demo.load_demo_grants() == {}
    assert Call.objects.count() == 2
