"""The xAPI export: what it holds, who may take it, and that it costs the same few queries
whatever its size."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from liaison.training import xapi
from liaison.training.models import Module, Statement, TrainingCentre

EXPORT = reverse("training:xapi_export")


@pytest.fixture
def other_module(db, academy):
    other_centre = TrainingCentre.objects.create(name="Coast Guard Academy", organisation=academy)
    return Module.objects.create(centre=other_centre, code="CG-02", title="Sea rescue")


def experienced(user, module, course=None, name="Signs of trafficking"):
    return xapi.record(
        user,
        "experienced",
        object_path=f"/training/lessons/{module.pk}/",
        name=name,
        activity_type="lesson",
        module=module,
        course=course,
    )


@pytest.fixture
def statements(module, course, other_module, trainee, other_trainee, enrolment):
    return [
        experienced(trainee, module, course),
        experienced(other_trainee, module, course, name="Interviews"),
        experienced(trainee, other_module, name="Rescue at sea"),
    ]


def test_the_centre_exports_its_modules_statements_as_a_statement_result(
    client, centre_staff, module, statements
):
    client.force_login(centre_staff)
    response = client.get(EXPORT, {"module": module.pk})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"].startswith('attachment; filename="xapi-statements-')
    assert response["X-Experience-API-Version"] == "1.0.3"
    body = response.json()
    assert body["more"] == ""
    assert [s["id"] for s in body["statements"]] == [str(statements[0].id), str(statements[1].id)]
    first = body["statements"][0]
    assert first["verb"]["id"] == "http://adlnet.gov/expapi/verbs/experienced"
    assert first["actor"]["account"]["name"] == str(statements[0].user_id)
    assert "mbox" not in first["actor"]
    assert first["object"]["definition"]["name"] == {"en-US": "Signs of trafficking"}
    parents = first["context"]["contextActivities"]["parent"]
    assert parents[1]["id"].endswith(reverse("training:module", args=[module.pk]))


def test_without_a_filter_the_centre_gets_its_own_centres_statements_only(
    client, centre_staff, statements
):
    client.force_login(centre_staff)
    ids = [s["id"] for s in client.get(EXPORT).json()["statements"]]
    assert ids == [str(statements[0].id), str(statements[1].id)]


def test_the_export_filters_by_course_and_date(client, centre_staff, course, statements):
    Statement.objects.filter(pk=statements[1].pk).update(
        timestamp=timezone.now() - datetime.timedelta(days=10)
    )
    client.force_login(centre_staff)
    by_course = client.get(EXPORT, {"course": course.pk}).json()["statements"]
    assert {s["id"] for s in by_course} == {str(statements[0].id), str(statements[1].id)}
    since = (timezone.localdate() - datetime.timedelta(days=2)).isoformat()
    recent = client.get(EXPORT, {"course": course.pk, "since": since}).json()["statements"]
    assert [s["id"] for s in recent] == [str(statements[0].id)]
    until = (timezone.localdate() - datetime.timedelta(days=5)).isoformat()
    older = client.get(EXPORT, {"until": until}).json()["statements"]
    assert [s["id"] for s in older] == [str(statements[1].id)]


def test_the_secretariat_exports_everything(client, secretariat, statements):
    client.force_login(secretariat)
    assert len(client.get(EXPORT).json()["statements"]) == 3


def test_others_are_refused_and_a_learner_exports_only_their_own(
    client, module, course, other_module, trainee, outsider, trainer, statements
):
    for user in (trainee, outsider, trainer):
        client.force_login(user)
        assert client.get(EXPORT, {"module": module.pk}).status_code == 403
        assert client.get(EXPORT, {"course": course.pk}).status_code == 403
        assert client.get(EXPORT).status_code == 403
    client.force_login(trainee)
    mine = client.get(EXPORT, {"mine": "1"}).json()["statements"]
    assert {s["id"] for s in mine} == {str(statements[0].id), str(statements[2].id)}
    mine_here = client.get(EXPORT, {"mine": "1", "module": module.pk}).json()["statements"]
    assert [s["id"] for s in mine_here] == [str(statements[0].id)]


def test_the_centre_cannot_export_another_centres_module(client, centre_staff, other_module):
    client.force_login(centre_staff)
    assert client.get(EXPORT, {"module": other_module.pk}).status_code == 403


def test_bad_filters_are_a_400_and_unknown_ones_a_404(client, centre_staff, statements):
    client.force_login(centre_staff)
    assert client.get(EXPORT, {"since": "yesterday"}).status_code == 400
    assert client.get(EXPORT, {"module": "x"}).status_code == 400
    assert client.get(EXPORT, {"module": 99999}).status_code == 404


def test_a_visitor_is_sent_to_sign_in(client, statements):
    response = client.get(EXPORT)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_the_query_count_does_not_grow_with_the_statements(
    client, django_assert_max_num_queries, centre_staff, module, course, trainee, statements
):
    client.force_login(centre_staff)
    queries = {}
    for label, params in (("all", {}), ("module", {"module": module.pk})):
        with django_assert_max_num_queries(8) as few:
            assert len(client.get(EXPORT, params).json()["statements"]) == 2
        queries[label] = len(few.captured_queries)
    for _ in range(30):
        experienced(trainee, module, course)
    with django_assert_max_num_queries(queries["all"]):
        assert len(client.get(EXPORT).json()["statements"]) == 32
    with django_assert_max_num_queries(queries["module"]):
        assert len(client.get(EXPORT, {"module": module.pk}).json()["statements"]) == 32
