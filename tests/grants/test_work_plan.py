"""The work plan: the applicant writes its activities, each led by a partner of the consortium
within the project's months; the receipt covers it, submission needs it, a clarification may
reopen it, and the award starts the project's logframe from the proposal."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from liaison.core.models import AuditEntry
from liaison.grants import eligibility, services
from liaison.grants.models import Activity, ApplicationStatus, Partner
from liaison.grants.rules import review
from liaison.results.models import Level, Result

from .conftest import complete
from .test_award import (
    decide,
    reviewer,  # noqa: F401  (fixture)
    selected,  # noqa: F401  (fixture)
)

pytestmark = pytest.mark.django_db


def _post(rows, prefix="activities"):
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(rows)),
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "100",
    }
    for i, row in enumerate(rows):
        for name, value in row.items():
            data[f"{prefix}-{i}-{name}"] = value
    return data


@pytest.fixture
def drafted(application, applicant, partner_org, partner_contact, countries):
    return complete(application, applicant, partner_org, partner_contact, countries)


def _row(partner, number="1", start="1", end="6", title="Training of trainers"):
    return {
        "number": number,
        "title": title,
        "description": "Two sessions a year.",
        "partner": str(partner.pk),
        "start_month": start,
        "end_month": end,
    }


def test_the_applicant_writes_the_work_plan_on_its_page(client, drafted, applicant):
    partner = Partner.objects.get(application=drafted, role="partner")
    url = reverse("grants:work_plan", args=[drafted.pk])
    client.force_login(applicant)
    page = client.get(url)
    assert page.status_code == 200
    assert "Training" in page.content.decode()  # the rows saved so far
    response = client.post(
        url, _post([_row(partner, end="8"), _row(partner, "2", "9", "24", "Patrols"), {}])
    )
    assert response.status_code == 302
    plan = list(drafted.activities.values_list("number", "title", "partner", "start_month"))
    assert plan == [(1, "Training of trainers", partner.pk, 1), (2, "Patrols", partner.pk, 9)]
    entry = AuditEntry.objects.filter(action="grants.work_plan_updated").latest("pk")
    before, after = entry.changes["work plan"]
    assert before[0].startswith("1. Training (M1–M12")
    assert after[1] == "2. Patrols (M9–M24, Ministry of Interior of Serbia)"
    detail = client.get(drafted.get_absolute_url()).content.decode()
    assert 'data-testid="activities"' in detail
    assert "Months 9 to 24" in detail  # the months in words, not only in the bar
    assert 'class="gantt" aria-hidden="true"' in detail


def test_a_partner_contact_and_an_outsider_cannot_change_it(
    client, drafted, partner_contact, outsider
):
    partner = Partner.objects.get(application=drafted, role="partner")
    url = reverse("grants:work_plan", args=[drafted.pk])
    before = list(drafted.activities.values_list("pk", "title"))
    client.force_login(partner_contact)
    assert client.get(url).status_code == 403
    assert client.post(url, _post([_row(partner)])).status_code == 403
    with pytest.raises(PermissionDenied):
        services.set_work_plan(partner_contact, drafted, [])
    client.force_login(outsider)
    assert client.get(url).status_code == 404
    assert client.post(url, _post([_row(partner)])).status_code == 404
    assert list(drafted.activities.values_list("pk", "title")) == before


def test_months_beyond_the_duration_are_refused_and_nothing_is_saved(client, drafted, applicant):
    partner = Partner.objects.get(application=drafted, role="partner")
    before = list(drafted.activities.values_list("pk", flat=True))
    with pytest.raises(ValidationError) as refused:
        services.set_work_plan(
            applicant,
            drafted,
            [
                {
                    "number": 1,
                    "title": "Fine",
                    "partner": partner,
                    "start_month": 1,
                    "end_month": 3,
                },
                {
                    "number": 2,
                    "title": "Late",
                    "partner": partner,
                    "start_month": 20,
                    "end_month": 30,
                },
                {
                    "number": 3,
                    "title": "Back",
                    "partner": partner,
                    "start_month": 5,
                    "end_month": 4,
                },
            ],
        )
    messages = " ".join(refused.value.messages)
    assert "Activity 2: months run from 1 to 24" in messages
    assert "Activity 3 ends (month 4) before it starts (month 5)" in messages
    assert list(drafted.activities.values_list("pk", flat=True)) == before
    client.force_login(applicant)
    page = client.post(
        reverse("grants:work_plan", args=[drafted.pk]), _post([_row(partner, start="2", end="25")])
    )
    assert page.status_code == 200
    assert "months run from 1 to 24" in page.content.decode()
    assert list(drafted.activities.values_list("pk", flat=True)) == before


def test_a_partner_of_another_application_is_refused(
    client, drafted, applicant, call, lot, lead_org
):
    other = services.start_application(applicant, call, lot, lead_org, "Another proposal")
    forged = Partner.objects.get(application=other)
    before = list(drafted.activities.values_list("pk", flat=True))
    with pytest.raises(ValidationError, match="choose the partner of this consortium"):
        services.set_work_plan(
            applicant,
            drafted,
            [{"number": 1, "title": "X", "partner": forged.pk, "start_month": 1, "end_month": 2}],
        )
    client.force_login(applicant)
    page = client.post(reverse("grants:work_plan", args=[drafted.pk]), _post([_row(forged)]))
    assert page.status_code == 200
    assert list(drafted.activities.values_list("pk", flat=True)) == before


def test_a_missing_work_plan_is_listed_and_a_late_activity_breaks_the_rules(drafted, applicant):
    _budget, problems = review(drafted)
    assert problems == []
    services.set_work_plan(applicant, drafted, [])
    _budget, problems = review(drafted)
    assert [(p.part, p.message) for p in problems] == [
        ("work_plan", "Add at least one activity to the work plan.")
    ]
    lead = Partner.objects.get(application=drafted, role="lead")
    services.set_work_plan(
        applicant,
        drafted,
        [{"number": 1, "title": "X", "partner": lead, "start_month": 1, "end_month": 24}],
    )
    shorter = services.update_application(applicant, drafted, {"duration_months": 18})
    _budget, problems = review(shorter)
    assert "Activity 1 runs to month 24, after the project's 18 months." in [
        p.message for p in problems
    ]


def test_the_receipt_covers_the_work_plan(drafted, applicant):
    submitted = services.submit(applicant, drafted)
    assert submitted.submitted_content["work_plan"] == [
        {
            "number": 1,
            "title": "Training",
            "description": "",
            "led_by": "Border Police of Hungary",
            "led_by_id": submitted.lead_id,
            "start_month": 1,
            "end_month": 12,
        },
        {
            "number": 2,
            "title": "Patrols",
            "description": "",
            "led_by": "Ministry of Interior of Serbia",
            "led_by_id": Partner.objects.get(application=drafted, role="partner").organisation_id,
            "start_month": 6,
            "end_month": 24,
        },
    ]
    # Once submitted, the work plan is closed, unless a clarification reopens it.
    with pytest.raises(PermissionDenied):
        services.set_work_plan(applicant, submitted, [])


def test_a_clarification_reopens_the_work_plan(drafted, applicant, secretariat):
    submitted = services.submit(applicant, drafted)
    eligibility.request_clarification(secretariat, submitted, ["work_plan"], "Longer patrols?")
    submitted.refresh_from_db()
    assert submitted.status == ApplicationStatus.CLARIFICATION
    lead = Partner.objects.get(application=drafted, role="lead")
    services.set_work_plan(
        applicant,
        submitted,
        [{"number": 1, "title": "Patrols", "partner": lead, "start_month": 1, "end_month": 24}],
    )
    assert Activity.objects.filter(application=submitted).count() == 1
    # The proposal's own fields stay closed.
    with pytest.raises(PermissionDenied):
        services.update_application(applicant, submitted, {"title": "Changed"})


def test_the_award_starts_the_logframe_from_the_proposal(
    selected,  # noqa: F811
    secretariat,
    lot,
    django_capture_on_commit_callbacks,
):
    from liaison.grants import award

    decide(secretariat, lot, django_capture_on_commit_callbacks)
    project = award.award(secretariat, selected)
    results = list(Result.objects.filter(project=project).order_by("code"))
    assert [(r.code, r.level, r.title, r.parent_id) for r in results] == [
        ("1", Level.IMPACT, "Safer borders.", None),
        ("1.1", Level.OUTCOME, "Trained officers", results[0].pk),
        ("1.2", Level.OUTCOME, "Joint patrols", results[0].pk),
    ]
    components = {c.title: c for c in project.components.all()}
    assert list(results[1].components.all()) == [components["Trained officers"]]
    assert list(results[2].components.all()) == [components["Joint patrols"]]
    assert AuditEntry.objects.filter(action="results.result.created").count() == 3
