"""The grants API reads through the pages' querysets and submits through the same service:
the owner sees and submits their application, a partner's contact reads it, an outsider
and a visitor see nothing; calls are public; the budget is computed as on the page."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from liaison.grants.models import Activity, ApplicationStatus

from .conftest import complete

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    return APIClient()


def test_calls_are_public_with_their_lots_and_rates(api, call, lot):
    body = api.get(reverse("api:grant-call-list")).json()
    (row,) = body["results"]
    assert row["reference"] == "PF-2027-1" and row["status"] == "open"
    assert row["lots"][0]["instruments"] == ["BMVI"]
    assert {r["currency"] for r in row["rates"]} == {"RSD", "GEL"}
    call.published = False
    call.save()
    assert api.get(reverse("api:grant-call-list")).json()["results"] == []
    assert api.get(reverse("api:grant-call-detail", args=[call.reference])).status_code == 404


def test_applications_are_read_by_their_consortium_only(
    api, application, applicant, partner_org, partner_contact, outsider, countries
):
    complete(application, applicant, partner_org, partner_contact, countries)
    url = reverse("api:grant-application-list")
    api.force_authenticate(applicant)
    (row,) = api.get(url).json()["results"]
    assert row["budget"]["grant"] == "247500.00"
    assert row["budget"]["co_financing_rate"] == "7.48"
    assert [p["currency"] for p in row["partners"]] == ["EUR", "RSD"]

    api.force_authenticate(partner_contact)
    assert len(api.get(url).json()["results"]) == 1
    api.force_authenticate(outsider)
    assert api.get(url).json()["results"] == []
    detail = reverse("api:grant-application-detail", args=[application.pk])
    assert api.get(detail).status_code == 404
    api.force_authenticate(None)
    assert api.get(detail).status_code in (401, 403, 404)


def test_submit_through_the_api_under_the_pages_rules(
    api, application, applicant, partner_org, partner_contact, outsider, countries
):
    submit = reverse("api:grant-application-submit", args=[application.pk])
    api.force_authenticate(applicant)
    refused = api.post(submit)
    assert refused.status_code == 400
    assert "Write the project summary." in refused.json()["detail"]

    complete(application, applicant, partner_org, partner_contact, countries)
    api.force_authenticate(partner_contact)
    assert api.post(submit).status_code == 403
    api.force_authenticate(outsider)
    assert api.post(submit).status_code == 404
    application.refresh_from_db()
    assert application.status == ApplicationStatus.DRAFT

    api.force_authenticate(applicant)
    done = api.post(submit)
    assert done.status_code == 200
    assert done.json()["status"] == "submitted" and len(done.json()["receipt_hash"]) == 64


def test_the_application_list_costs_the_same_for_more_applications(
    api, secretariat, applicant, call, lot, lead_org, django_assert_max_num_queries
):
    from liaison.grants import services

    services.start_application(applicant, call, lot, lead_org, "One")
    api.force_authenticate(secretariat)
    with django_assert_max_num_queries(20) as few:
        api.get(reverse("api:grant-application-list"))
    for i in range(20):
        services.start_application(applicant, call, lot, lead_org, f"More {i}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(api.get(reverse("api:grant-application-list")).json()["results"]) == 21


def test_reviews_and_decisions_are_not_for_the_public(api, applicant):
    api.force_authenticate(applicant)
    assert api.get(reverse("api:grant-review-list")).json()["results"] == []
    assert api.get(reverse("api:grant-decision-list")).json()["results"] == []
    api.force_authenticate(None)
    assert api.get(reverse("api:grant-award-list")).status_code == 200


# The work plan ----------------------------------------------------------------------------------


def test_the_applicant_reads_the_work_plan_of_their_application(
    api, application, applicant, partner_org, partner_contact, outsider, lead_org, countries
):
    complete(application, applicant, partner_org, partner_contact, countries)
    Activity.objects.filter(application=application, number=2).update(
        description="Joint patrols on the green border."
    )
    detail = reverse("api:grant-application-detail", args=[application.pk])
    api.force_authenticate(applicant)
    body = api.get(detail).json()
    assert body["work_plan"] == [
        {
            "number": 1,
            "title": "Training",
            "description": "",
            "led_by": lead_org.pk,
            "led_by_name": "Border Police of Hungary",
            "start_month": 1,
            "end_month": 12,
        },
        {
            "number": 2,
            "title": "Patrols",
            "description": "Joint patrols on the green border.",
            "led_by": partner_org.pk,
            "led_by_name": "Ministry of Interior of Serbia",
            "start_month": 6,
            "end_month": 24,
        },
    ]
    (row,) = api.get(reverse("api:grant-application-list")).json()["results"]
    assert row["work_plan"] == body["work_plan"]

    # An activity whose partner left the consortium is led by nobody.
    Activity.objects.filter(application=application, number=2).update(partner=None)
    second = api.get(detail).json()["work_plan"][1]
    assert second["led_by"] is None and second["led_by_name"] is None

    api.force_authenticate(outsider)
    assert api.get(detail).status_code == 404
    assert api.get(reverse("api:grant-application-list")).json()["results"] == []


def with_activities(applicant, call, lot, lead_org, title):
    """A draft application with a work plan of two activities led by its lead partner."""
    from liaison.grants import services

    application = services.start_application(applicant, call, lot, lead_org, title)
    lead = application.partners.get()
    for number in (1, 2):
        Activity.objects.create(
            application=application,
            number=number,
            title=f"Activity {number}",
            partner=lead,
            start_month=number,
            end_month=number + 6,
        )
    return application


def test_the_work_plan_costs_no_query_per_application(
    api, secretariat, applicant, call, lot, lead_org, django_assert_max_num_queries
):
    url = reverse("api:grant-application-list")
    with_activities(applicant, call, lot, lead_org, "One")
    api.force_authenticate(secretariat)
    with django_assert_max_num_queries(20) as few:
        assert len(api.get(url).json()["results"][0]["work_plan"]) == 2
    for i in range(4):
        with_activities(applicant, call, lot, lead_org, f"More {i}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        rows = api.get(url).json()["results"]
    assert [len(row["work_plan"]) for row in rows] == [2] * 5
    assert {a["led_by_name"] for row in rows for a in row["work_plan"]} == {lead_org.name}


def test_the_schema_describes_the_work_plan(client):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    components = schema["components"]["schemas"]
    work_plan = components["GrantApplication"]["properties"]["work_plan"]
    assert work_plan["readOnly"] is True and work_plan["type"] == "array"
    activity = components[work_plan["items"]["$ref"].rsplit("/", 1)[-1]]["properties"]
    assert set(activity) == {
        "number",
        "title",
        "description",
        "led_by",
        "led_by_name",
        "start_month",
        "end_month",
    }
    assert activity["led_by"]["type"] == "integer" and activity["led_by"]["nullable"] is True
    assert activity["led_by_name"]["type"] == "string"


def test_the_answers_to_the_calls_questions_are_in_the_api(
    api, secretariat, applicant, outsider, call, lot, lead_org, django_assert_max_num_queries
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from liaison.grants import answers, form_builder, services
    from liaison.grants.models import QuestionKind

    section = form_builder.add_section(secretariat, call, {"title": "Relevance"})
    need = form_builder.add_question(
        secretariat, section, {"label": "Which need?", "kind": QuestionKind.TEXT}
    )
    letter = form_builder.add_question(
        secretariat, section, {"label": "Letter", "kind": QuestionKind.FILE, "required": False}
    )

    def answered(i):
        application = services.start_application(applicant, call, lot, lead_org, f"App {i}")
        pdf = SimpleUploadedFile("letter.pdf", b"%PDF-1.4\n%%EOF\n")
        answers.save_answers(applicant, application, {need.key: f"Need {i}", letter.key: pdf})

    url = reverse("api:grant-application-list")
    answered(0)
    api.force_authenticate(secretariat)
    with django_assert_max_num_queries(25) as few:
        api.get(url)
    for i in range(1, 4):
        answered(i)
    with django_assert_max_num_queries(len(few.captured_queries)):
        rows = api.get(url).json()["results"]
    assert [row["form_version"] for row in rows] == [1, 1, 1, 1]
    first = rows[0]["answers"]
    assert [(a["question"], a["answer"]) for a in first] == [
        (need.key, "Need 0"),
        (letter.key, "letter.pdf"),
    ]
    assert first[0]["file"] is None and first[1]["file"].endswith("/file/")
    api.force_authenticate(applicant)
    assert api.get(first[1]["file"]).status_code == 200
    api.force_authenticate(outsider)
    assert api.get(url).json()["results"] == []
    assert api.get(first[1]["file"]).status_code == 404
