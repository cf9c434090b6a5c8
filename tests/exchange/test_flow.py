"""A request from draft to closure, need to know at every step, the clocks across time zones and
summer time, passing on under the handling codes, the read log's chain, search within what one
may open, and the content encrypted at rest and erased after the retention time."""

import datetime
import json
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from liaison.core.models import AuditEntry
from liaison.exchange import crypto, deadlines, permissions, readlog, search, services
from liaison.exchange.models import (
    Attachment,
    CaseStatus,
    ExchangeNetwork,
    HandlingCode,
    ReadEntry,
    Request,
    RequestStatus,
    Urgency,
)

from .conftest import PERSON, urgent_request

pytestmark = pytest.mark.django_db

UTC = datetime.UTC


# Who may open a request -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "opens"),
    [
        ("md_officer", True),  # the sending unit
        ("md_supervisor", True),
        ("ge_officer", True),  # the receiving unit
        ("ge_supervisor", True),
        ("rs_officer", False),  # a third unit of the same network
        ("ua_officer", False),  # a unit of another network
        ("secretariat", False),  # the network's secretariat sees counts, never content
    ],
)
def test_only_the_two_units_open_the_request(sent, people, who, opens):
    assert permissions.can_open(people[who], sent)[0] is opens
    assert permissions.visible_requests(people[who]).filter(pk=sent.pk).exists() is opens


def test_liaison_staff_and_anonymous_read_no_content(sent, secretariat):
    from django.contrib.auth.models import AnonymousUser

    assert not permissions.can_open(secretariat, sent)[0]
    assert not permissions.can_open(AnonymousUser(), sent)[0]
    assert permissions.can_see_statistics(secretariat)[0]


def test_a_receiving_unit_reads_only_its_own_thread(units, people):
    request = services.draft(
        people["md_officer"],
        units["MD"],
        {"subject": "Two units", "kind": "information", "crime_area": "drugs", "narrative": "?"},
        [units["GE"], units["RS"]],
    )
    request = services.send(people["md_officer"], request)
    ge_case = request.cases.get(unit=units["GE"])
    rs_case = request.cases.get(unit=units["RS"])
    services.reply(people["ge_officer"], ge_case, "Georgia's answer", {})
    services.reply(people["rs_officer"], rs_case, "Serbia's answer", {})
    bodies = lambda user: {m.body for m in permissions.visible_messages(user, request)}  # noqa: E731
    assert bodies(people["ge_officer"]) == {"?", "Georgia's answer"}
    assert bodies(people["rs_officer"]) == {"?", "Serbia's answer"}
    assert bodies(people["md_officer"]) == {"?", "Georgia's answer", "Serbia's answer"}
    with pytest.raises(PermissionDenied):
        services.reply(people["rs_officer"], ge_case, "Not mine", {})


def test_a_draft_is_the_sending_units_alone(units, people):
    request = services.draft(
        people["md_officer"],
        units["MD"],
        {"subject": "Draft", "kind": "information", "crime_area": "drugs"},
        [units["GE"]],
    )
    assert not permissions.can_open(people["ge_officer"], request)[0]
    assert permissions.can_open(people["md_supervisor"], request)[0]


def test_a_supervisor_restricts_a_case_to_the_assigned_officers(sent, units, people):
    from tests.exchange.conftest import holder

    other = holder("ge-officer-2", units["GE"])
    case = sent.cases.get()
    services.assign(people["ge_supervisor"], case, [people["ge_officer"]])
    services.restrict_case(people["ge_supervisor"], case, True)
    assert permissions.can_open(people["ge_officer"], sent)[0]
    assert permissions.can_open(people["ge_supervisor"], sent)[0]
    assert not permissions.can_open(other, sent)[0]
    with pytest.raises(PermissionDenied):
        services.restrict_case(people["ge_officer"], case, False)


# The flow -----------------------------------------------------------------------------------------


def test_sent_assigned_answered_closed(
    sent, people, mailoutbox, django_capture_on_commit_callbacks
):
    case = sent.cases.get()
    assert case.status == CaseStatus.RECEIVED and case.received_at == sent.sent_at
    assert case.deadline == sent.sent_at + datetime.timedelta(hours=8)
    with pytest.raises(PermissionDenied):
        services.assign(people["ge_officer"], case, [people["ge_officer"]])
    with pytest.raises(ValidationError):
        services.assign(people["ge_supervisor"], case, [people["rs_officer"]])
    with django_capture_on_commit_callbacks(execute=True):
        services.assign(people["ge_supervisor"], case, [people["ge_officer"]])
    assert mailoutbox[-1].to == ["ge-officer@example.org"]
    assert "Smuggling" not in mailoutbox[-1].body and "lorry" not in mailoutbox[-1].body
    message = services.reply(
        people["ge_officer"],
        case,
        "The driver is known; records attached.",
        {"handling_code": HandlingCode.H2, "source_evaluation": "A", "information_evaluation": "1"},
    )
    case.refresh_from_db()
    assert case.status == CaseStatus.ANSWERED and case.answered_in_time
    assert message.evaluation == "A1"
    services.close(people["md_officer"], sent)
    sent.refresh_from_db()
    case.refresh_from_db()
    assert sent.status == RequestStatus.CLOSED and case.status == CaseStatus.CLOSED
    actions = set(
        AuditEntry.objects.filter(action__startswith="exchange.").values_list("action", flat=True)
    )
    assert {"exchange.request_sent", "exchange.case_assigned", "exchange.case_answered"} <= actions
    # The audit trail names codes and statuses, never content.
    dumped = json.dumps(list(AuditEntry.objects.values_list("changes", flat=True)))
    assert "lorry" not in dumped and "driver" not in dumped


def test_a_refusal_states_its_ground(sent, people):
    case = sent.cases.get()
    with pytest.raises(ValidationError):
        services.refuse(people["ge_officer"], case, "not_a_ground", "No.")
    with pytest.raises(ValidationError):
        services.refuse(people["ge_officer"], case, "investigation", " ")
    services.refuse(people["ge_officer"], case, "investigation", "An operation is running.")
    case.refresh_from_db()
    assert case.status == CaseStatus.REFUSED and case.refusal_ground == "investigation"


def test_h3_needs_its_restrictions_in_words(units, people):
    with pytest.raises(ValidationError):
        services.draft(
            people["md_officer"],
            units["MD"],
            {"subject": "x", "kind": "information", "crime_area": "drugs", "handling_code": "H3"},
            [units["GE"]],
        )
    assert not Request.objects.exists()


def test_only_units_of_the_network_receive(units, people):
    with pytest.raises(ValidationError):
        services.draft(
            people["md_officer"],
            units["MD"],
            {"subject": "x", "kind": "information", "crime_area": "drugs"},
            [units["UA"]],
        )
    with pytest.raises(PermissionDenied):
        services.draft(
            people["rs_officer"],
            units["MD"],
            {"subject": "x", "kind": "information", "crime_area": "drugs"},
            [units["GE"]],
        )
    assert not Request.objects.exists()


def test_the_requester_withdraws(sent, people):
    with pytest.raises(PermissionDenied):
        services.withdraw(people["ge_officer"], sent)
    services.withdraw(people["md_officer"], sent)
    sent.refresh_from_db()
    assert sent.status == RequestStatus.WITHDRAWN
    with pytest.raises(PermissionDenied):
        services.reply(people["ge_officer"], sent.cases.get(), "Too late", {})


# Passing on ---------------------------------------------------------------------------------------


def test_h2_is_passed_on_only_with_the_senders_permission(sent, units, people):
    case = sent.cases.get()
    answer = services.reply(
        people["ge_officer"], case, "Records of the driver.", {"handling_code": HandlingCode.H2}
    )
    values = {"subject": "Passed on", "kind": "information", "crime_area": "smuggling"}
    with pytest.raises(ValidationError) as refused:
        services.forward(people["md_officer"], answer, units["MD"], [units["RS"]], values)
    assert "GE-CU has not allowed" in " ".join(refused.value.messages)
    with pytest.raises(PermissionDenied):
        services.grant_forwarding(people["md_officer"], answer, units["RS"])
    services.grant_forwarding(people["ge_officer"], answer, units["RS"], "For the joint case.")
    passed = services.forward(people["md_officer"], answer, units["MD"], [units["RS"]], values)
    assert passed.forwarded_from == answer
    # Still not to a unit the permission does not name.
    from tests.exchange.conftest import make_unit

    hu = make_unit(
        sent.exchange,
        "HU-CU",
        "Unit of Hungary",
        units["MD"].organisation.country,
        "Europe/Budapest",
    )
    with pytest.raises(ValidationError):
        services.forward(people["md_officer"], answer, units["MD"], [hu], values)


# Clocks -------------------------------------------------------------------------------------------


def test_calendar_days_are_counted_on_the_receiving_units_wall_clock():
    chisinau = ZoneInfo("Europe/Chisinau")
    # Sent on Friday 24 October 2025, 10:00 in Chișinău; summer time ends on Sunday the 26th.
    sent = datetime.datetime(2025, 10, 24, 10, 0, tzinfo=chisinau)
    due = deadlines.due(sent, Urgency.URGENT, chisinau)
    assert due.astimezone(chisinau) == datetime.datetime(2025, 10, 27, 10, 0, tzinfo=chisinau)
    assert due - sent == datetime.timedelta(days=3, hours=1)  # an hour longer: clocks went back
    seven = deadlines.due(sent, Urgency.NORMAL, ZoneInfo("Asia/Tbilisi"))  # no summer time
    assert seven - sent == datetime.timedelta(days=7)
    eight = deadlines.due(sent, Urgency.URGENT_DIRECT, chisinau)
    assert eight - sent == datetime.timedelta(hours=8)


def test_the_clock_turns_amber_then_red(sent):
    case = sent.cases.get()
    start = case.received_at
    assert deadlines.Clock(case, start + datetime.timedelta(hours=1)).state == "ok"
    assert deadlines.Clock(case, start + datetime.timedelta(hours=7)).state == "near"
    assert deadlines.Clock(case, start + datetime.timedelta(hours=9)).state == "missed"
    tbilisi = deadlines.Clock(case).local(case.unit)
    assert tbilisi.utcoffset() == datetime.timedelta(hours=4)


# Read log --------------------------------------------------------------------------------------


def test_the_read_log_is_a_chain_that_shows_tampering(sent, people, units):
    for who in ("ge_officer", "md_officer", "ge_supervisor"):
        readlog.record(people[who], sent, "request", "", units["GE"])
    entries = list(ReadEntry.objects.filter(request=sent).order_by("pk"))
    assert readlog.verify(entries) is None
    rows = [
        {
            "at": e.at.isoformat(),
            "user_id": e.user_id,
            "unit_id": e.unit_id,
            "request_id": e.request_id,
            "what": e.what,
            "detail": e.detail,
            "previous": e.previous,
            "hash": e.hash,
        }
        for e in entries
    ]
    assert readlog.verify(rows) is None
    rows[1]["user_id"] = people["rs_officer"].pk  # someone rewrites who read it
    assert readlog.verify(rows) == 1
    del rows[1]  # or removes the entry
    assert readlog.verify(rows) == 1


# Search -----------------------------------------------------------------------------------------


def test_search_finds_by_document_number_only_what_one_may_open(sent, people):
    assert list(search.search(people["ge_officer"], "ab1234567")) == [sent]
    assert list(search.search(people["md_officer"], "POPESCU")) == [sent]
    assert list(search.search(people["rs_officer"], "AB1234567")) == []
    assert list(search.search(people["secretariat"], "AB1234567")) == []
    assert list(search.search(people["ge_officer"], "AB7654321")) == []
    assert list(search.search(people["ge_officer"], "", crime_area="drugs")) == []


# Encryption and retention -----------------------------------------------------------------------


def test_the_database_holds_no_request_text_in_clear(sent, people, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    case = sent.cases.get()
    answer = services.reply(people["ge_officer"], case, "Driver Ion Popescu is known.", {})
    pdf = b"%PDF-1.4\nPassport AB1234567 of Ion Popescu\n%%EOF\n"
    attachment = services.attach(
        people["ge_officer"], answer, SimpleUploadedFile("records.pdf", pdf)
    )
    secrets = ["Smuggling route", "lorry", "Popescu", "AB1234567", "records.pdf"]
    with connection.cursor() as cursor:
        for table in [
            "exchange_request",
            "exchange_message",
            "exchange_entity",
            "exchange_attachment",
            "exchange_searchtoken",
            "exchange_readentry",
            "core_auditentry",
        ]:
            cursor.execute(f"SELECT * FROM {table}")  # noqa: S608 (names above)
            dumped = repr(cursor.fetchall())
            for secret in secrets:
                assert secret not in dumped, (table, secret)
    stored = (tmp_path / attachment.blob.name).read_bytes()
    assert b"Popescu" not in stored and b"%PDF" not in stored
    assert services.attachment_content(Attachment.objects.get()) == pdf
    # Read through the models, the text is there for whoever may open it.
    assert Request.objects.get().subject == "Smuggling route through the port"
    assert crypto.unseal(crypto.seal("Grüße")) == "Grüße"


def test_an_attachment_is_checked_by_its_content(sent, people, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    answer = services.reply(people["ge_officer"], sent.cases.get(), "See the file.", {})
    with pytest.raises(ValidationError):
        services.attach(
            people["ge_officer"], answer, SimpleUploadedFile("records.pdf", b"<script>")
        )
    with pytest.raises(ValidationError):
        services.attach(people["md_officer"], answer, SimpleUploadedFile("r.pdf", b"%PDF-1.4"))
    assert not Attachment.objects.exists()


def test_content_is_erased_after_the_retention_time(units, people):
    request = urgent_request(units, people)
    services.reply(people["ge_officer"], request.cases.get(), "Answer.", {})
    services.close(people["md_officer"], request)
    ExchangeNetwork.objects.update(retention_days=30)
    request.refresh_from_db()
    assert services.erase_expired(request.closed_at + datetime.timedelta(days=29)) == 0
    assert services.erase_expired(request.closed_at + datetime.timedelta(days=31)) == 1
    request = Request.objects.get()
    assert request.subject == "" and request.content_erased_at
    assert {m.body for m in request.messages.all()} == {""}
    assert not request.entities.exists() and not request.tokens.exists()
    case = request.cases.get()
    assert case.answered_at and case.status == CaseStatus.CLOSED  # the statistics keep these


def test_a_person_entity_keeps_its_fields(sent):
    entity = sent.entities.get()
    assert services.entity_details(entity)["documents"] == PERSON["documents"]


def test_text_that_looks_sealed_is_sealed_all_the_same(units, people):
    """Regression: a subject typed as "enc:…" was stored in clear, then read as a sealed value
    that no key opens (an error on every page showing it)."""
    request = services.draft(
        people["md_officer"],
        units["MD"],
        {"subject": "enc:gAAAA looks sealed", "kind": "information", "crime_area": "drugs"},
        [units["GE"]],
    )
    assert Request.objects.get(pk=request.pk).subject == "enc:gAAAA looks sealed"
    with connection.cursor() as cursor:
        cursor.execute("SELECT subject FROM exchange_request")
        (stored,) = cursor.fetchone()
    assert "looks sealed" not in stored


def test_a_receiving_unit_never_sees_who_else_was_asked_in_the_read_log(units, people, client):
    """Regression: the read log (page, JSON, case file) showed a receiving unit the reads of
    another receiving unit of the same request."""
    from liaison.exchange.models import ReadWhat

    request = services.draft(
        people["md_officer"],
        units["MD"],
        {"subject": "Two units", "kind": "information", "crime_area": "drugs", "narrative": "?"},
        [units["GE"], units["RS"]],
    )
    request = services.send(people["md_officer"], request)
    readlog.record(people["rs_officer"], request, ReadWhat.REQUEST, "", units["RS"])
    readlog.record(people["ge_officer"], request, ReadWhat.REQUEST, "", units["GE"])
    readlog.record(people["md_officer"], request, ReadWhat.REQUEST, "", units["MD"])
    seen = lambda who: set(  # noqa: E731
        permissions.visible_reads(people[who], request).values_list("unit__code", flat=True)
    )
    assert seen("md_officer") == {"MD-CU", "GE-CU", "RS-CU"}
    assert seen("ge_officer") == {"MD-CU", "GE-CU"}
    assert seen("rs_officer") == {"MD-CU", "RS-CU"}
    client.force_login(people["ge_officer"])
    from allauth.mfa.models import Authenticator

    Authenticator.objects.create(user=people["ge_officer"], type="totp", data={})
    page = client.get(f"/exchange/requests/{request.pk}/log/").content.decode()
    assert "rs-officer" not in page and "RS-CU" not in page
    assert client.get(f"/exchange/requests/{request.pk}/log.json").status_code == 404
    pdf = client.get(f"/exchange/requests/{request.pk}/case-file.pdf").content
    from io import BytesIO

    from pypdf import PdfReader

    text = "".join(p.extract_text() for p in PdfReader(BytesIO(pdf)).pages)
    assert "rs-officer" not in text and "RS-CU" not in text
