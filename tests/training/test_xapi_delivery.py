"""Statements sent to an external learning record store (``LIAISON_LRS_URL``): queued with the
statement, sent by the worker (or ``liaison xapi_deliver``) without the learner waiting, retried
with back-off, given up with the last error, and followed by the centre on a page.

The store is a stand-in on the loopback interface (``http.server`` in a thread) that answers what
each test tells it to and records what it received; nothing leaves the machine.
"""

import base64
import datetime
import json
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django_tasks import default_task_backend

from liaison.core.models import AuditEntry, Role
from liaison.training import xapi
from liaison.training.models import (
    DeliveryState,
    Module,
    Statement,
    TrainingCentre,
    XapiDelivery,
)
from liaison.training.services import xapi as services
from liaison.training.tasks import send_statement

from ..conftest import make_user
from ..web.test_production_guards import STRONG_KEY, start
from .xapi_rules import problems

DELIVERIES = reverse("training:xapi_deliveries")
DUMMY = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


class StandIn:
    """A learning record store that answers from a list of (status, headers, body), the last
    one again once the list is used up, and keeps every request."""

    def __init__(self):
        self.answers = [(204, {}, "")]
        self.received = []
        stand_in = self

        class Handler(BaseHTTPRequestHandler):
            def do_PUT(self):
                length = int(self.headers.get("Content-Length", 0))
                url = urllib.parse.urlsplit(self.path)
                stand_in.received.append(
                    {
                        "method": "PUT",
                        "path": url.path,
                        "query": urllib.parse.parse_qs(url.query),
                        "headers": {k.lower(): v for k, v in self.headers.items()},
                        "body": json.loads(self.rfile.read(length)),
                    }
                )
                answers = stand_in.answers
                status, headers, body = answers.pop(0) if len(answers) > 1 else answers[0]
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                data = body.encode()
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/xapi"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def lrs(settings):
    stand_in = StandIn()
    settings.LRS_URL = stand_in.url
    settings.LRS_USERNAME = "liaison"
    settings.LRS_PASSWORD = "s3cret:word"
    settings.LRS_MAX_TRIES = 3
    settings.LRS_TIMEOUT = 5
    settings.TASKS = DUMMY
    yield stand_in
    stand_in.close()


def experienced(user, module, course=None):
    return xapi.record(
        user,
        "experienced",
        object_path=f"/training/lessons/{module.pk}/",
        name="Signs of trafficking",
        activity_type="lesson",
        module=module,
        course=course,
    )


def delivered(delivery, now=None):
    return services.deliver(delivery.pk, max_tries=3, now=now)


@pytest.fixture
def other_module(db, academy):
    other_centre = TrainingCentre.objects.create(name="Coast Guard Academy", organisation=academy)
    return Module.objects.create(centre=other_centre, code="CG-02", title="Sea rescue")


@pytest.fixture
def other_centre_staff(db, other_module):
    user = make_user("coast", Role.PUBLIC)
    other_module.centre.staff.add(user)
    return user


# Queued with the statement ------------------------------------------------------------------


def test_without_a_store_nothing_is_queued(trainee, module, settings):
    settings.LRS_URL = ""
    experienced(trainee, module)
    assert not XapiDelivery.objects.exists()


def test_a_delivery_is_written_in_the_statements_transaction(lrs, trainee, module):
    with pytest.raises(RuntimeError), transaction.atomic():
        experienced(trainee, module)
        assert XapiDelivery.objects.filter(state=DeliveryState.WAITING).count() == 1
        raise RuntimeError("the learner's request failed after the statement")
    assert not Statement.objects.exists() and not XapiDelivery.objects.exists()
    assert lrs.received == []


def test_the_worker_is_told_after_commit_and_sends_it_to_the_store(
    lrs, trainee, module, course, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        statement = experienced(trainee, module, course)
        assert default_task_backend.results == []  # nothing before the commit
    delivery = XapiDelivery.objects.get(statement=statement)
    (queued,) = default_task_backend.results
    assert list(queued.args) == [delivery.pk]
    assert lrs.received == []  # the learner's request sent nothing itself

    assert send_statement.call(delivery.pk) == DeliveryState.SENT
    (put,) = lrs.received
    assert put["path"] == "/xapi/statements"
    assert put["query"] == {"statementId": [str(statement.id)]}
    assert put["headers"]["x-experience-api-version"] == "1.0.3"
    assert put["headers"]["content-type"].startswith("application/json")
    credentials = base64.b64decode(put["headers"]["authorization"].removeprefix("Basic "))
    assert credentials == b"liaison:s3cret:word"
    assert put["body"] == statement.data
    assert problems(put["body"]) == []
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.SENT and delivery.tries == 1
    assert delivery.sent_at is not None and delivery.next_try is None
    # Sent once: the task running twice sends nothing more.
    assert send_statement.call(delivery.pk) == "skipped"
    assert len(lrs.received) == 1


def test_a_learner_never_waits_on_the_store(
    lrs, client, settings, trainee, enrolment, module, django_capture_on_commit_callbacks
):
    """With a task backend that runs tasks at once, the learner's request does not send: the
    ``xapi_deliver`` command does, later."""
    from liaison.training.models import Lesson, LessonPart, PartKind

    settings.TASKS = IMMEDIATE
    lesson = Lesson.objects.create(module=module, title="Signs")
    part = LessonPart.objects.create(lesson=lesson, kind=PartKind.PAGE, title="Read me")
    client.force_login(trainee)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("training:part_done", args=[part.pk]))
    assert response.status_code in (200, 204, 302)
    delivery = XapiDelivery.objects.get()
    assert delivery.state == DeliveryState.WAITING and lrs.received == []

    out = StringIO()
    call_command("xapi_deliver", stdout=out)
    assert "Sent: 1" in out.getvalue()
    assert [r["body"]["id"] for r in lrs.received] == [str(delivery.statement_id)]
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.SENT


# Retried with back-off, given up with the last error -----------------------------------------


def test_a_store_that_fails_is_tried_again_later_and_longer_each_time(lrs, trainee, module):
    lrs.answers = [
        (503, {}, "down for maintenance"),
        (429, {"Retry-After": "600"}, ""),
        (204, {}, ""),
    ]
    delivery = XapiDelivery.objects.get(statement=experienced(trainee, module))
    before = timezone.now()
    assert delivered(delivery) == DeliveryState.WAITING
    delivery.refresh_from_db()
    assert delivery.tries == 1 and "503" in delivery.last_error
    assert "down for maintenance" in delivery.last_error
    first_wait = delivery.next_try - before
    assert datetime.timedelta(seconds=50) < first_wait <= datetime.timedelta(minutes=2)

    # Not again before its time.
    assert delivered(delivery) == "skipped" and len(lrs.received) == 1

    later = delivery.next_try + datetime.timedelta(seconds=1)
    assert delivered(delivery, now=later) == DeliveryState.WAITING
    delivery.refresh_from_db()
    assert delivery.tries == 2 and "429" in delivery.last_error
    assert delivery.next_try - timezone.now() > datetime.timedelta(seconds=590)  # Retry-After

    assert delivered(delivery, now=delivery.next_try) == DeliveryState.SENT
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.SENT and delivery.tries == 3
    assert delivery.last_error == ""
    assert len({r["body"]["id"] for r in lrs.received}) == 1  # the same statement each time


def test_the_wait_doubles_up_to_six_hours():
    waits = [services.wait_after(tries) for tries in range(1, 12)]
    assert waits[:4] == [datetime.timedelta(minutes=m) for m in (1, 2, 4, 8)]
    assert waits[-1] == datetime.timedelta(hours=6)
    assert waits == sorted(waits)


def test_after_the_last_try_the_delivery_fails_with_the_last_error(lrs, trainee, module):
    lrs.answers = [(500, {}, "first"), (502, {}, "second"), (500, {}, "third and last")]
    delivery = XapiDelivery.objects.get(statement=experienced(trainee, module))
    far = timezone.now()
    for _ in range(3):
        far += datetime.timedelta(days=1)
        delivered(delivery, now=far)
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.FAILED and delivery.tries == 3
    assert "third and last" in delivery.last_error and delivery.next_try is None
    assert delivered(delivery, now=far + datetime.timedelta(days=1)) == "skipped"
    assert len(lrs.received) == 3


def test_no_answer_is_tried_again(lrs, settings, trainee, module):
    delivery = XapiDelivery.objects.get(statement=experienced(trainee, module))
    lrs.close()  # nothing listens on the port any more
    assert delivered(delivery) == DeliveryState.WAITING
    delivery.refresh_from_db()
    assert delivery.last_error.startswith("No answer from the store")


@pytest.mark.parametrize("status", [400, 401, 403, 404])
def test_a_refusal_is_not_repeated(lrs, trainee, module, status):
    lrs.answers = [(status, {}, '{"message": "statement refused"}')]
    delivery = XapiDelivery.objects.get(statement=experienced(trainee, module))
    assert delivered(delivery) == DeliveryState.FAILED
    delivery.refresh_from_db()
    assert delivery.tries == 1 and str(status) in delivery.last_error
    assert "statement refused" in delivery.last_error


def test_an_unexpected_error_counts_as_a_try_and_never_repeats_without_end(
    lrs, trainee, module, monkeypatch
):
    def broken(statement):
        raise KeyError("id")

    monkeypatch.setattr("liaison.training.lrs.send", broken)
    delivery = XapiDelivery.objects.get(statement=experienced(trainee, module))
    far = timezone.now()
    for _ in range(3):
        far += datetime.timedelta(days=1)
        delivered(delivery, now=far)
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.FAILED and delivery.tries == 3
    assert delivery.last_error == "KeyError: 'id'"


def test_a_store_that_already_holds_the_statement_counts_as_sent(lrs, trainee, module):
    lrs.answers = [(409, {}, "")]
    delivery = XapiDelivery.objects.get(statement=experienced(trainee, module))
    assert delivered(delivery) == DeliveryState.SENT
    delivery.refresh_from_db()
    assert "409" in delivery.last_error


def test_the_worker_queues_the_next_try_for_its_time(lrs, trainee, module):
    lrs.answers = [(503, {}, "")]
    delivery = XapiDelivery.objects.get(statement=experienced(trainee, module))
    assert send_statement.call(delivery.pk) == DeliveryState.WAITING
    delivery.refresh_from_db()
    (again,) = default_task_backend.results
    assert list(again.args) == [delivery.pk] and again.task.run_after == delivery.next_try


def test_the_command_stops_when_the_store_does_not_answer(lrs, trainee, module):
    """The others keep their tries for the next run instead of each spending one."""
    lrs.answers = [(503, {}, "")]
    for _ in range(3):
        experienced(trainee, module)
    out = StringIO()
    call_command("xapi_deliver", stdout=out)
    assert "Sent: 0, to try again: 1, failed: 0." in out.getvalue()
    tries = sorted(XapiDelivery.objects.values_list("tries", flat=True))
    assert tries == [0, 0, 1]


# The page of deliveries ----------------------------------------------------------------------


@pytest.fixture
def deliveries(lrs, trainee, module, other_module, course):
    lrs.answers = [(204, {}, ""), (400, {}, "bad statement")]
    sent = XapiDelivery.objects.get(statement=experienced(trainee, module, course))
    failed = XapiDelivery.objects.get(statement=experienced(trainee, module))
    waiting = XapiDelivery.objects.get(statement=experienced(trainee, module))
    elsewhere = XapiDelivery.objects.get(statement=experienced(trainee, other_module))
    delivered(sent)
    delivered(failed)
    return {"sent": sent, "failed": failed, "waiting": waiting, "elsewhere": elsewhere}


def rows(response) -> list[tuple[str, str]]:
    assert response.status_code == 200
    return [(d.statement_id, d.state) for d in response.context["page"]]


def test_the_centre_follows_its_own_deliveries_and_the_secretariat_all(
    client, centre_staff, other_centre_staff, secretariat, deliveries
):
    client.force_login(centre_staff)
    page = client.get(DELIVERIES)
    shown = {pk for pk, _state in rows(page)}
    own = {deliveries[k].statement_id for k in ("sent", "failed", "waiting")}
    assert shown == own
    body = page.content.decode()
    assert "bad statement" in body and "Retry now" in body
    assert body.count("Retry now") == 1  # only the failed one
    assert "trainee" not in body.lower()  # no learner is named

    client.force_login(other_centre_staff)
    assert {pk for pk, _s in rows(client.get(DELIVERIES))} == {deliveries["elsewhere"].statement_id}
    client.force_login(secretariat)
    assert len(rows(client.get(DELIVERIES))) == 4


def test_the_list_filters_by_state_and_a_bad_state_is_a_message(client, centre_staff, deliveries):
    client.force_login(centre_staff)
    assert rows(client.get(DELIVERIES, {"state": "failed"})) == [
        (deliveries["failed"].statement_id, "failed")
    ]
    assert [s for _pk, s in rows(client.get(DELIVERIES, {"state": "waiting"}))] == ["waiting"]
    response = client.get(DELIVERIES, {"state": "lost"})
    assert len(rows(response)) == 3
    assert "Select a valid choice" in response.content.decode()


def test_others_do_not_see_the_deliveries(client, trainee, trainer, outsider, deliveries):
    for user in (trainee, trainer, outsider):
        client.force_login(user)
        assert client.get(DELIVERIES).status_code == 403
    client.logout()
    assert client.get(DELIVERIES).status_code == 302


def test_a_failed_delivery_is_sent_again_now(
    client, centre_staff, deliveries, lrs, django_capture_on_commit_callbacks
):
    failed = deliveries["failed"]
    client.force_login(centre_staff)
    url = reverse("training:xapi_delivery_retry", args=[failed.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"next": f"{DELIVERIES}?state=failed"})
    assert response.status_code == 302 and response["Location"] == f"{DELIVERIES}?state=failed"
    failed.refresh_from_db()
    assert failed.state == DeliveryState.WAITING and failed.tries == 0
    assert failed.next_try <= timezone.now()
    assert "bad statement" in failed.last_error  # kept until the next try
    assert list(default_task_backend.results[-1].args) == [failed.pk]
    entry = AuditEntry.objects.get(action="retry")
    assert entry.actor == centre_staff and entry.changes["state"] == ["failed", "waiting"]

    lrs.answers = [(204, {}, "")]
    assert send_statement.call(failed.pk) == DeliveryState.SENT


def test_only_a_failed_delivery_is_retried_and_only_by_its_centre(
    client, centre_staff, other_centre_staff, trainee, deliveries
):
    client.force_login(centre_staff)
    sent = deliveries["sent"]
    response = client.post(reverse("training:xapi_delivery_retry", args=[sent.pk]), follow=True)
    assert "Only a failed delivery is sent again." in response.content.decode()
    sent.refresh_from_db()
    assert sent.state == DeliveryState.SENT
    assert client.get(reverse("training:xapi_delivery_retry", args=[sent.pk])).status_code == 405

    failed = deliveries["failed"]
    for user in (other_centre_staff, trainee):
        client.force_login(user)
        url = reverse("training:xapi_delivery_retry", args=[failed.pk])
        assert client.post(url).status_code == 404
    failed.refresh_from_db()
    assert failed.state == DeliveryState.FAILED
    assert not AuditEntry.objects.filter(action="retry").exists()


def test_a_forged_next_address_is_not_followed(client, centre_staff, deliveries):
    client.force_login(centre_staff)
    url = reverse("training:xapi_delivery_retry", args=[deliveries["failed"].pk])
    response = client.post(url, {"next": "https://evil.example.org/"})
    assert response["Location"] == DELIVERIES


def test_the_page_costs_the_same_queries_for_more_deliveries(
    client, centre_staff, trainee, module, deliveries, django_assert_max_num_queries
):
    client.force_login(centre_staff)
    with django_assert_max_num_queries(12) as few:
        client.get(DELIVERIES)
    for _ in range(20):
        experienced(trainee, module)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(rows(client.get(DELIVERIES))) == 23


def test_the_report_links_to_the_page_for_those_who_follow_it(
    client, centre, centre_staff, secretariat, viewer
):
    for user, shown in ((centre_staff, True), (secretariat, True), (viewer, False)):
        client.force_login(user)
        body = client.get(reverse("training:reports")).content.decode()
        assert (DELIVERIES in body) is shown


# Configuration -------------------------------------------------------------------------------


def test_production_refuses_a_store_address_without_https(tmp_path):
    common = {
        "LIAISON_DEBUG": "0",
        "LIAISON_SECRET_KEY": STRONG_KEY,
        "LIAISON_EXCHANGE_KEY": "Zm9yLXRlc3RzLW9ubHktYS1mZXJuZXQta2V5LTMyYnk=",
    }
    result = start(tmp_path, LIAISON_LRS_URL="http://lrs.example.org/xapi", **common)
    assert result.returncode != 0 and "LIAISON_LRS_URL must use https://" in result.stderr
    result = start(tmp_path, LIAISON_LRS_URL="ftp://lrs.example.org/xapi")
    assert result.returncode != 0 and "LIAISON_LRS_URL must be an https://" in result.stderr
    assert start(tmp_path, LIAISON_LRS_URL="https://lrs.example.org/xapi", **common).returncode == 0
