"""The xAPI export: what it holds, who may take it, and that it costs the same few queries
whatever its size."""

import datetime
import uuid
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from liaison.training import xapi
from liaison.training.models import Module, Statement, TrainingCentre
from liaison.training.services import xapi as xapi_services

from . import xapi_rules as rules
from .xapi_rules import assert_valid, problems, result_problems

EXPORT = reverse("training:xapi_export")


@pytest.fixture
def other_module(db, academy):
    other_centre = TrainingCentre.objects.create(name="Coast Guard Academy", organisation=academy)
    return Module.objects.create(centre=other_centre, code="CG-02", title="Sea rescue")


def experienced(user, module, course=None, name="Signs of trafficking"):
    return experienced_in(user, module, course, name=name)


def experienced_in(user, module, course, name="Signs of trafficking", registration=None):
    return xapi.record(
        user,
        "experienced",
        object_path=f"/training/lessons/{module.pk}/",
        name=name,
        activity_type="lesson",
        module=module,
        course=course,
        registration=registration,
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
    """A person may still give dates: ``since`` from the start of that day, ``until`` to its
    end (on ``stored``, as xAPI filters)."""
    ten_days_ago = timezone.now() - datetime.timedelta(days=10)
    Statement.objects.filter(pk=statements[1].pk).update(stored=ten_days_ago)
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


# Every statement and every export keeps the rules a learning record store checks -----------


def test_a_recorded_statement_and_the_export_keep_the_xapi_rules(
    client, centre_staff, module, statements
):
    for statement in statements:
        assert_valid(statement.data)
    client.force_login(centre_staff)
    response = client.get(EXPORT, {"module": module.pk})
    body = response.json()
    assert result_problems(body) == []
    assert all("stored" in s for s in body["statements"])
    assert response["X-Experience-API-Consistent-Through"]


def test_the_rules_catch_what_a_store_refuses(trainee, module):
    """The validator itself, so that a silent pass means something."""
    good = experienced(trainee, module).data
    assert problems(good) == []
    broken = {
        **good,
        "id": "not-a-uuid",
        "actor": {**good["actor"], "mbox": "mailto:someone@example.org"},
        "verb": {"id": "experienced", "display": {"en_US": "experienced"}},
        "timestamp": "2024-05-01T10:00:00",
        "version": "2.0.0",
        "result": {"score": {"raw": 12, "min": 0, "max": 10, "scaled": 1.2}, "duration": "2h"},
        "context": {"registration": "attempt-1"},
        "favourite": True,
    }
    found = "\n".join(problems(broken))
    for expected in (
        "id: 'not-a-uuid' is not a UUID",
        "actor: needs exactly one inverse functional identifier",
        "verb.id: 'experienced' is not an absolute IRI",
        "'en_US' is not an RFC 5646 language tag",
        "timestamp: '2024-05-01T10:00:00' is not an ISO 8601 date-time with a zone",
        "version: '2.0.0' is not 1.0.x",
        "result.score.scaled: 1.2 is outside [-1, 1]",
        "result.score.raw: 12 is above max 10",
        "result.duration: '2h' is not an ISO 8601 duration",
        "context.registration: 'attempt-1' is not a UUID",
        "unknown property 'favourite'",
    ):
        assert expected in found
    assert "not an absolute IRI" in "\n".join(problems({**good, "object": {"id": "/training/"}}))


# Scores within xAPI's bounds --------------------------------------------------------------


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ({"raw": 75, "min": 0, "max": 100}, {"raw": 75, "min": 0, "max": 100, "scaled": 0.75}),
        # A package's own bounds, not an assumed 0.
        ({"raw": 15, "min": 10, "max": 20}, {"raw": 15, "min": 10, "max": 20, "scaled": 0.5}),
        ({"raw": -5, "min": -10, "max": 10}, {"raw": -5, "min": -10, "max": 10, "scaled": -0.5}),
        # What a SCORM runtime sends: strings, some empty.
        ({"raw": "85", "min": "", "max": "100"}, {"raw": 85, "max": 100, "scaled": 0.85}),
        ({"raw": Decimal("3"), "max": Decimal("4")}, {"raw": 3, "max": 4, "scaled": 0.75}),
        # A scaled score given is kept; one out of range is dropped and computed again.
        ({"raw": 5, "max": 10, "scaled": 0.9}, {"raw": 5, "max": 10, "scaled": 0.9}),
        ({"raw": 5, "max": 10, "scaled": 1.5}, {"raw": 5, "max": 10, "scaled": 0.5}),
        ({"scaled": -0.25}, {"scaled": -0.25}),
        # Bounds that cannot hold: min not below max, or the raw score outside one of them.
        ({"raw": 5, "min": 10, "max": 10}, {"raw": 5}),
        ({"raw": 120, "min": 0, "max": 100}, {"raw": 120, "min": 0}),
        ({"raw": -3, "min": 0, "max": 10}, {"raw": -3, "max": 10}),
        # Nothing meaningful to scale by.
        ({"raw": 7}, {"raw": 7}),
        ({"raw": -7, "max": 10}, {"raw": -7, "max": 10}),
        # Nothing left.
        ({"scaled": 2}, None),
        ({"raw": "abc", "max": "NaN"}, None),
        ({"raw": True}, None),
        ({"raw": float("inf"), "min": 0, "max": 1}, None),
        ({"raw": 10**400, "max": "1e400"}, None),
        ({}, None),
    ],
)
def test_score_keeps_the_rules_from_whatever_it_is_given(given, expected):
    assert xapi.score(**given) == expected


numbers = st.one_of(
    st.none(),
    st.integers(min_value=-(10**6), max_value=10**6),
    st.floats(allow_nan=True, allow_infinity=True),
    st.decimals(allow_nan=False, allow_infinity=False, places=2, max_value=10**6),
    st.sampled_from(["", "85", "-1", "1e3", "abc", " 12.5 ", "NaN"]),
)


@hypothesis_settings(max_examples=300, deadline=None)
@given(raw=numbers, low=numbers, high=numbers, scaled=numbers)
def test_score_never_gives_what_a_store_refuses(raw, low, high, scaled):
    score = xapi.score(raw=raw, min=low, max=high, scaled=scaled)
    if score is not None:
        check = rules._Check()
        check.score("score", score)
        assert check.found == []
        assert "raw" in score or "scaled" in score


def test_record_brings_a_result_score_within_the_bounds_and_leaves_the_callers_dict(
    trainee, module
):
    result = {"score": {"raw": 12, "min": 0, "max": 10, "scaled": 1.2}, "completion": True}
    statement = xapi.record(
        trainee,
        "passed",
        object_path="/training/quizzes/1/",
        name="Final test",
        activity_type="assessment",
        module=module,
        result=result,
    )
    assert statement.data["result"] == {"score": {"raw": 12, "min": 0}, "completion": True}
    assert result["score"]["max"] == 10  # the caller's dict, reused for the next verb
    unusable = xapi.record(
        trainee,
        "failed",
        object_path="/training/quizzes/1/",
        name="Final test",
        activity_type="assessment",
        module=module,
        result={"score": {"scaled": 7}, "success": False},
    )
    assert unusable.data["result"] == {"success": False}


# The registration of an attempt -------------------------------------------------------------


def test_record_carries_the_attempts_registration(trainee, module, course):
    registration = uuid.uuid4()
    as_uuid = experienced_in(trainee, module, course, registration=registration)
    as_text = experienced_in(trainee, module, course, registration=str(registration).upper())
    for statement in (as_uuid, as_text):
        assert statement.data["context"]["registration"] == str(registration)
        assert len(statement.data["context"]["contextActivities"]["parent"]) == 2
    assert "context" not in experienced_in(trainee, module, None).data or (
        "registration" not in experienced_in(trainee, module, None).data["context"]
    )


def test_a_registration_that_is_not_a_uuid_is_refused_and_nothing_is_stored(trainee, module):
    with pytest.raises(ValueError):
        experienced_in(trainee, module, None, registration="attempt-1")
    assert not Statement.objects.exists()


# since and until as xAPI reads them ---------------------------------------------------------


@pytest.fixture
def stored_at(statements):
    """The three statements stored at 08:00, 09:00 and 10:00 UTC on 1 May 2024."""
    moments = [datetime.datetime(2024, 5, 1, hour, tzinfo=datetime.UTC) for hour in (8, 9, 10)]
    for statement, moment in zip(statements, moments, strict=True):
        Statement.objects.filter(pk=statement.pk).update(stored=moment)
    return [str(s.id) for s in statements]


def ids_of(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [s["id"] for s in response.json()["statements"]]


def test_since_is_exclusive_and_until_inclusive_on_full_date_times(client, secretariat, stored_at):
    client.force_login(secretariat)
    first, second, third = stored_at
    assert ids_of(client.get(EXPORT, {"since": "2024-05-01T08:00:00Z"})) == [second, third]
    assert ids_of(client.get(EXPORT, {"until": "2024-05-01T09:00:00Z"})) == [first, second]
    assert ids_of(
        client.get(EXPORT, {"since": "2024-05-01T07:59:59.999999Z", "until": "2024-05-01T08:00Z"})
    ) == [first]
    # The same moments in another zone, and a "+" a client forgot to encode.
    assert ids_of(client.get(EXPORT, {"since": "2024-05-01T10:00:00+02:00"})) == [second, third]
    assert ids_of(client.get(f"{EXPORT}?until=2024-05-01T11:00:00+02:00")) == [first, second]
    # A date alone is a person's whole day, in the site's zone.
    assert ids_of(client.get(EXPORT, {"since": "2024-05-01", "until": "2024-05-01"})) == stored_at
    assert ids_of(client.get(EXPORT, {"since": "2024-05-02"})) == []


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"since": "yesterday"}, "since"),
        ({"since": "2024-13-01"}, "since"),
        ({"until": "2024-05-01T25:00:00Z"}, "until"),
        ({"until": "2024-05-01T10:00:00+25:00"}, "until"),
        ({"since": "9999-12-31"}, "since"),
        ({"until": "9999-12-31T23:59:59Z"}, "until"),
        ({"since": "0001-01-01T00:00:00+14:00"}, "since"),
        ({"since": "2024-05-01T10:00:00Z" * 10}, "since"),
        ({"limit": "-1"}, "limit"),
        ({"limit": "ten"}, "limit"),
        ({"limit": "9" * 30}, "limit"),
        ({"cursor": "not-a-cursor"}, "cursor"),
        ({"cursor": "MjAyNC0wNS0wMVQwODowMDowMHxub3Rhbmlk"}, "cursor"),
    ],
)
def test_a_bad_parameter_is_a_clear_400_never_a_500(client, secretariat, stored_at, params, field):
    client.force_login(secretariat)
    response = client.get(EXPORT, params)
    assert response.status_code == 400
    message = response.content.decode()
    assert message.startswith("Check the parameters:") and f"{field}:" in message


# Pages ----------------------------------------------------------------------------------------


def test_the_export_is_paged_and_more_fetches_the_next_page(
    client, secretariat, trainee, module, course, statements
):
    for _ in range(2):
        experienced(trainee, module, course)
    # Two statements stored at the same instant are still ordered, by id.
    same = Statement.objects.order_by("stored", "id")[1].stored
    Statement.objects.filter(pk=Statement.objects.order_by("stored", "id")[2].pk).update(
        stored=same
    )
    expected = [
        str(pk) for pk in Statement.objects.order_by("stored", "id").values_list("pk", flat=True)
    ]
    client.force_login(secretariat)
    response = client.get(EXPORT, {"limit": 2})
    pages, seen = [], []
    while True:
        body = response.json()
        assert result_problems(body) == []
        pages.append(len(body["statements"]))
        seen += [s["id"] for s in body["statements"]]
        if not body["more"]:
            break
        assert body["more"].startswith(EXPORT + "?") and "limit=2" in body["more"]
        if len(pages) == 1:
            # A statement stored meanwhile neither shifts a page nor repeats one: it comes last.
            late = experienced(trainee, module, course)
            expected.append(str(late.id))
        response = client.get(body["more"])
        assert response.status_code == 200
    assert seen == expected
    assert pages == [2, 2, 2]


def test_the_limit_has_a_default_and_a_maximum(client, secretariat, statements, monkeypatch):
    monkeypatch.setattr(xapi_services, "DEFAULT_LIMIT", 2)
    monkeypatch.setattr(xapi_services, "MAX_LIMIT", 1)
    client.force_login(secretariat)
    assert len(client.get(EXPORT).json()["statements"]) == 2
    for limit in (0, 1, 5000):
        body = client.get(EXPORT, {"limit": limit}).json()
        assert len(body["statements"]) == 1 and body["more"]


def test_a_page_after_the_cursor_costs_the_same_queries(
    client, django_assert_max_num_queries, centre_staff, module, course, trainee, statements
):
    client.force_login(centre_staff)
    with django_assert_max_num_queries(8) as first:
        more = client.get(EXPORT, {"limit": 1}).json()["more"]
    for _ in range(30):
        experienced(trainee, module, course)
    with django_assert_max_num_queries(len(first.captured_queries)):
        body = client.get(more).json()
    assert len(body["statements"]) == 1 and body["more"]
