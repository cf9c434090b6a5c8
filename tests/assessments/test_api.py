"""The assessments API asks what the pages ask, with clear 4xx answers and nothing
half-saved."""

import pytest

from liaison.assessments.models import Answer, Assessment

from .conftest import answer_levels, questions

ASSESSMENTS = "/api/assessments/"
TEMPLATES = "/api/assessment-templates/"


def answers_url(assessment, area):
    return f"{ASSESSMENTS}{assessment.pk}/areas/{area.pk}/answers/"


def test_team_reads_the_area_results(client, assessment, assessor):
    answer_levels(assessor, assessment, "exchange", [1, 2])
    client.force_login(assessor)
    body = client.get(ASSESSMENTS).json()
    assert body["count"] == 1
    areas = {a["code"]: a for a in body["results"][0]["areas"]}
    assert areas["exchange"]["current"] == "1.5"
    assert areas["exchange"]["target"] == "3.0"
    assert areas["exchange"]["gap"] == "1.5"
    assert areas["exchange"]["priority"] == "medium"
    assert areas["analysis"]["current"] is None


def test_outsider_and_anonymous_read_nothing(client, assessment, outsider):
    assert client.get(ASSESSMENTS).status_code == 403
    client.force_login(outsider)
    assert client.get(ASSESSMENTS).json()["count"] == 0
    assert client.get(f"{ASSESSMENTS}{assessment.pk}/").status_code == 404
    area = assessment.template.areas.first()
    first = questions(assessment.template, "exchange")[0]
    response = client.post(
        answers_url(assessment, area),
        {"answers": [{"question": first.pk, "level": 2}]},
        content_type="application/json",
    )
    assert response.status_code == 404
    assert client.get(TEMPLATES).json()["count"] == 0
    assert not Answer.objects.exists()


def test_team_member_saves_answers_of_an_area(client, assessment, member):
    area = assessment.template.areas.first()
    first, _second, desk = questions(assessment.template, "exchange")
    client.force_login(member)
    response = client.post(
        answers_url(assessment, area),
        {
            "answers": [
                {"question": first.pk, "level": 3, "comment": "Seen"},
                {"question": desk.pk, "yes": True},
            ]
        },
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    assert {a["question"]: a["level"] for a in response.json()} == {first.pk: 3, desk.pk: None}
    assert Answer.objects.get(question=first).comment == "Seen"


def test_staff_reader_may_read_but_not_answer(client, assessment, viewer):
    area = assessment.template.areas.first()
    first = questions(assessment.template, "exchange")[0]
    client.force_login(viewer)
    assert client.get(answers_url(assessment, area)).status_code == 200
    response = client.post(
        answers_url(assessment, area),
        {"answers": [{"question": first.pk, "level": 3}]},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert not Answer.objects.exists()


@pytest.mark.parametrize("bad", [{"level": 7}, {"level": 1, "question": 999999}])
def test_bad_answers_are_refused_with_nothing_saved(client, assessment, assessor, bad):
    area = assessment.template.areas.first()
    first, second, _desk = questions(assessment.template, "exchange")
    client.force_login(assessor)
    response = client.post(
        answers_url(assessment, area),
        {"answers": [{"question": first.pk, "level": 2}, {"question": second.pk, **bad}]},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "detail" in response.json()
    assert not Answer.objects.exists()


def test_secretariat_creates_an_assessment(client, secretariat, template, unit, assessor, member):
    client.force_login(secretariat)
    response = client.post(
        ASSESSMENTS,
        {
            "institution": unit.pk,
            "template": template.pk,
            "assessed_on": "2025-05-01",
            "lead": assessor.pk,
            "team": [member.pk],
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    assert [a["target"] for a in response.json()["areas"]] == ["3.0", "4.0"]
    assert list(Assessment.objects.get().team.all()) == [member]


def test_a_manager_of_another_project_may_not_create_one(
    client, other_manager, project, template, unit, assessor
):
    client.force_login(other_manager)
    response = client.post(
        ASSESSMENTS,
        {
            "institution": unit.pk,
            "template": template.pk,
            "assessed_on": "2025-05-01",
            "lead": assessor.pk,
            "project": project.pk,
        },
        content_type="application/json",
    )
    assert response.status_code == 403
    assert not Assessment.objects.exists()


def test_a_draft_template_is_refused(client, secretariat, template, unit, assessor):
    template.status = "draft"
    template.save()
    client.force_login(secretariat)
    response = client.post(
        ASSESSMENTS,
        {
            "institution": unit.pk,
            "template": template.pk,
            "assessed_on": "2025-05-01",
            "lead": assessor.pk,
        },
        content_type="application/json",
    )
    assert response.status_code == 400 and "published" in response.json()["detail"]


def test_templates_with_questions_and_levels(client, viewer, template):
    client.force_login(viewer)
    body = client.get(f"{TEMPLATES}{template.pk}/").json()
    assert [a["code"] for a in body["areas"]] == ["exchange", "analysis"]
    assert body["areas"][0]["questions"][0]["levels"][2] == "Defined"


def test_list_takes_a_fixed_number_of_queries(
    client, secretariat, template, unit, assessor, django_assert_max_num_queries
):
    from .conftest import start

    for day in range(1, 8):
        start(secretariat, template, unit, assessor, on=f"2024-01-0{day}")
    client.force_login(secretariat)
    with django_assert_max_num_queries(10):
        assert client.get(ASSESSMENTS).json()["count"] == 7
