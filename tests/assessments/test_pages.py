"""The pages: who sees what, answering in the browser without JavaScript, and query counts
that do not grow with the number of rows."""

import datetime

import pytest
from django.urls import reverse

from liaison.assessments.models import Answer, AssessmentStatus

from .conftest import answer_levels, questions, start


def url(name, *args):
    return reverse(f"assessments:{name}", args=args)


def test_anonymous_is_sent_to_sign_in(client, assessment):
    response = client.get(url("assessment", assessment.pk))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_outsider_cannot_read_or_answer(client, assessment, outsider):
    client.force_login(outsider)
    area = assessment.template.areas.first()
    assert client.get(url("assessment", assessment.pk)).status_code == 404
    assert client.get(url("answer", assessment.pk, area.pk)).status_code == 404
    first = questions(assessment.template, "exchange")[0]
    response = client.post(url("answer", assessment.pk, area.pk), {f"q{first.pk}": "2"})
    assert response.status_code == 404
    assert not Answer.objects.exists()
    assert "Coordination Unit" not in client.get(url("list")).content.decode()


def test_staff_reader_sees_but_cannot_answer(client, assessment, viewer):
    client.force_login(viewer)
    area = assessment.template.areas.first()
    page = client.get(url("answer", assessment.pk, area.pk)).content.decode()
    assert "Only the assessment team" in page and "Save and next area" not in page
    first = questions(assessment.template, "exchange")[0]
    response = client.post(url("answer", assessment.pk, area.pk), {f"q{first.pk}": "2"})
    assert response.status_code == 403
    assert not Answer.objects.exists()


def test_assessor_answers_an_area_and_moves_to_the_next(client, assessment, assessor):
    client.force_login(assessor)
    exchange, analysis = assessment.template.areas.all()
    first, second, desk = questions(assessment.template, "exchange")
    page = client.get(url("answer", assessment.pk, exchange.pk)).content.decode()
    assert "2 — Defined" in page  # the level definitions are on the radio buttons
    response = client.post(
        url("answer", assessment.pk, exchange.pk),
        {f"q{first.pk}": "2", f"q{first.pk}_comment": "Seen", f"q{desk.pk}": "yes", "next": ""},
    )
    assert response["Location"] == url("answer", assessment.pk, analysis.pk)
    assert Answer.objects.get(question=first).level == 2
    assert Answer.objects.get(question=desk).yes is True
    assert not Answer.objects.filter(question=second).exists()
    overview = client.get(url("assessment", assessment.pk)).content.decode()
    assert "2 of 6 questions answered" in overview


def test_an_out_of_range_level_posted_is_refused(client, assessment, assessor):
    client.force_login(assessor)
    exchange = assessment.template.areas.first()
    first, second, _desk = questions(assessment.template, "exchange")
    response = client.post(
        url("answer", assessment.pk, exchange.pk), {f"q{first.pk}": "2", f"q{second.pk}": "9"}
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not Answer.objects.exists()


def test_completion_refused_on_the_page_with_the_missing_list(client, assessment, assessor):
    client.force_login(assessor)
    response = client.post(url("complete", assessment.pk), {"summary": ""}, follow=True)
    assert "Still missing" in response.content.decode()
    answer_levels(assessor, assessment, "exchange", [1, 2])
    answer_levels(assessor, assessment, "analysis", [3])
    client.post(url("complete", assessment.pk), {"summary": "Done"})
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.COMPLETED


def test_secretariat_reopens_with_a_reason(client, assessment, assessor, secretariat):
    answer_levels(assessor, assessment, "exchange", [1, 2])
    answer_levels(assessor, assessment, "analysis", [3])
    client.force_login(assessor)
    client.post(url("complete", assessment.pk))
    assert client.get(url("reopen", assessment.pk)).status_code == 403
    client.force_login(secretariat)
    response = client.post(url("reopen", assessment.pk), {"reason": ""})
    assert response.status_code == 200
    client.post(url("reopen", assessment.pk), {"reason": "Misread question"})
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.IN_PROGRESS


def test_the_assessment_page_shows_the_gap_table_and_chart_data(client, assessment, assessor):
    answer_levels(assessor, assessment, "exchange", [1, 2])
    client.force_login(assessor)
    page = client.get(url("assessment", assessment.pk)).content.decode()
    assert 'id="gap-chart"' in page and 'id="gap-data"' in page
    assert '<td class="num" data-testid="current">1.5</td>' in page
    assert '<td class="num" data-testid="gap">1.5</td>' in page


def test_list_filters_by_year_and_status(client, assessment, secretariat, template, unit, assessor):
    start(secretariat, template, unit, assessor, on=datetime.date(2023, 5, 1))
    client.force_login(secretariat)
    page = client.get(url("list"), {"year": 2023}).content.decode()
    assert "1 assessment" in page and "1 May 2023" in page
    page = client.get(url("list"), {"status": "completed"}).content.decode()
    assert "0 assessments" in page


def test_project_manager_starts_an_assessment_on_the_page(
    client, manager, project, template, unit, assessor
):
    client.force_login(manager)
    response = client.post(
        url("create"),
        {
            "institution": unit.pk,
            "template": template.pk,
            "assessed_on": "2025-04-01",
            "project": project.pk,
            "lead": assessor.pk,
        },
    )
    assert response.status_code == 302
    assert unit.assessments.get().lead == assessor


def test_public_user_cannot_open_the_new_assessment_form(client, public_user):
    client.force_login(public_user)
    assert client.get(url("create")).status_code == 403


def test_compare_page(client, secretariat, template, unit, assessor):
    before = start(secretariat, template, unit, assessor, on=datetime.date(2024, 1, 1))
    after = start(secretariat, template, unit, assessor, on=datetime.date(2025, 1, 1))
    answer_levels(assessor, before, "exchange", [1, 1])
    answer_levels(assessor, after, "exchange", [2, 2])
    client.force_login(secretariat)
    page = client.get(url("compare", after.pk), {"other": before.pk}).content.decode()
    assert 'data-testid="compare-exchange"' in page and "+1.0" in page
    assert "50.0%" in page  # gap 2 → 1 on the only area with a known gap on both sides


@pytest.mark.parametrize("rows", [1, 8])
def test_list_and_assessment_pages_do_not_grow_with_rows(
    client, secretariat, template, unit, assessor, django_assert_max_num_queries, rows
):
    assessments = [
        start(secretariat, template, unit, assessor, on=datetime.date(2024, 1, n + 1))
        for n in range(rows)
    ]
    for assessment in assessments:
        answer_levels(assessor, assessment, "exchange", [1, 2])
    client.force_login(secretariat)
    with django_assert_max_num_queries(12):
        assert client.get(url("list")).status_code == 200
    with django_assert_max_num_queries(16):
        assert client.get(url("assessment", assessments[0].pk)).status_code == 200
    area = template.areas.first()
    with django_assert_max_num_queries(10):
        assert client.get(url("answer", assessments[0].pk, area.pk)).status_code == 200


@pytest.mark.parametrize("year", ["10000", "99999999999999999999"])
def test_a_year_out_of_range_is_explained_not_a_server_error(client, secretariat, year):
    client.force_login(secretariat)
    response = client.get(reverse("assessments:list"), {"year": year})
    assert response.status_code == 200
    assert "less than or equal to 2100" in response.content.decode()
