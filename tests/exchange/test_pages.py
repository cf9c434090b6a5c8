"""The exchange's pages for each side of a request: the sending unit (Chișinău), the receiving
unit (Tbilisi), a third unit of the same network (Belgrade), a unit outside it (Kyiv), the
network's secretariat and an anonymous visitor. Who may not open a request gets a 404 that
says nothing of it; listing is not reading; opening and downloading are logged."""

import json

import pytest
from allauth.mfa.models import Authenticator
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from liaison.exchange import readlog
from liaison.exchange.models import (
    CaseStatus,
    Entity,
    MessageKind,
    ReadEntry,
    ReadWhat,
    Request,
    RequestStatus,
    UnitRole,
)

from .conftest import urgent_request

pytestmark = pytest.mark.django_db

SUBJECT = "Smuggling route through the port"
OUTSIDERS = ["rs_officer", "ua_officer", "secretariat"]
NO_PERSON = {f"person-0-{name}": "" for name in ("names", "born", "nationalities", "documents")}


@pytest.fixture(autouse=True)
def second_factor(people):
    """Exchange roles require an authenticator; the tests sign in as if it was used."""
    for role in UnitRole.objects.all():
        Authenticator.objects.create(user=role.user, type=Authenticator.Type.TOTP, data={})


def client_of(people, who) -> Client:
    client = Client()
    if who != "anonymous":
        client.force_login(people[who])
    return client


def content(response) -> str:
    return response.content.decode()


# The navigation and the inbox -----------------------------------------------------------------


def test_the_requests_link_is_shown_only_to_exchange_roles(people):
    assert 'href="/exchange/"' in content(client_of(people, "ge_officer").get("/"))
    assert 'href="/exchange/"' not in content(client_of(people, "secretariat").get("/"))


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("md_officer", 200),
        ("ge_officer", 200),
        ("rs_officer", 200),
        ("ua_officer", 200),
        ("secretariat", 403),
        ("anonymous", 302),
    ],
)
def test_who_opens_the_inbox(sent, people, who, status):
    response = client_of(people, who).get("/exchange/")
    assert response.status_code == status
    if who == "anonymous":
        assert response["Location"].startswith("/accounts/login/")


def test_the_inbox_lists_received_and_sent_without_logging_a_read(sent, people):
    received = content(client_of(people, "ge_officer").get("/exchange/"))
    assert sent.reference in received and "MD-CU" in received
    assert "Asia/Tbilisi" in received and "Europe/Chisinau" in received
    assert "status-done" in received  # the clock is on time, in green
    outbox = content(client_of(people, "md_officer").get("/exchange/"))
    assert sent.reference in outbox
    assert sent.reference not in content(client_of(people, "rs_officer").get("/exchange/"))
    assert not ReadEntry.objects.exists()


def test_the_inbox_costs_the_same_for_3_or_30_requests(
    units, people, django_assert_max_num_queries
):
    client = client_of(people, "ge_officer")
    for _ in range(3):
        urgent_request(units, people)
    with django_assert_max_num_queries(30) as few:
        client.get("/exchange/")
    for _ in range(27):
        urgent_request(units, people)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get("/exchange/")
    assert content(response).count("MD-CU/") >= 25


# A new request --------------------------------------------------------------------------------


def form_data(units, **changes):
    data = {
        "sender": units["MD"].pk,
        "recipients": [units["GE"].pk],
        "subject": "Stolen lorry at the border",
        "kind": "information",
        "crime_area": "property",
        "language": "en",
        "urgency": "urgent_direct",
        "narrative": "A lorry stolen in Chișinău crossed to Georgia.",
        "handling_code": "H2",
        "handling_restriction": "",
        "source_evaluation": "B",
        "information_evaluation": "2",
        "person-0-names": "Ion Popescu",
        "person-0-born": "1985-04-12",
        "person-0-nationalities": "MD RO",
        "person-0-documents": "AB1234567",
        "other-0-kind": "vehicle",
        "other-0-value": "C 123 AB",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


@pytest.mark.parametrize(
    ("who", "status"),
    [("md_officer", 200), ("rs_officer", 200), ("secretariat", 403), ("anonymous", 302)],
)
def test_who_opens_the_new_request_form(people, who, status):
    assert client_of(people, who).get("/exchange/new/").status_code == status


def test_a_new_request_is_saved_as_a_draft_then_sent(units, people):
    client = client_of(people, "md_officer")
    response = client.post("/exchange/new/", form_data(units))
    draft = Request.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/exchange/requests/{draft.pk}/"
    assert draft.status == RequestStatus.DRAFT and draft.messages.get().handling_code == "H2"
    kinds = sorted(e.kind for e in Entity.objects.all())
    assert kinds == ["person", "vehicle"]
    page = content(client.get(response["Location"]))
    assert "AB1234567" in page and "MD, RO" in page and ">Send<" in page
    client.post(f"/exchange/requests/{draft.pk}/send/")
    draft.refresh_from_db()
    assert draft.status == RequestStatus.SENT and draft.cases.get().deadline


@pytest.mark.parametrize(
    ("changes", "error"),
    [
        ({"subject": ""}, "This field is required."),
        (NO_PERSON, "at least one"),
        ({"person-0-names": ""}, "Give the person&#x27;s names."),
        ({"handling_code": "H3"}, "H3: state the restrictions in words."),
        ({"recipients": []}, "This field is required."),
        ({"person-0-nationalities": "Moldova"}, "Not a two-letter country code"),
        ({"other-1-value": "+373 600 000"}, "Choose what this is."),
    ],
)
def test_bad_input_says_why_and_saves_nothing(units, people, changes, error):
    response = client_of(people, "md_officer").post("/exchange/new/", form_data(units, **changes))
    assert response.status_code == 200
    assert error in content(response)
    assert not Request.objects.exists() and not Entity.objects.exists()


def test_a_unit_outside_the_network_cannot_be_a_recipient(units, people):
    data = form_data(units, recipients=[units["UA"].pk])
    response = client_of(people, "md_officer").post("/exchange/new/", data)
    assert response.status_code == 200 and "is not one of the available choices" in content(
        response
    )
    assert not Request.objects.exists()


# A request's page -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("md_officer", 200),
        ("md_supervisor", 200),
        ("ge_officer", 200),
        ("ge_supervisor", 200),
        ("rs_officer", 404),
        ("ua_officer", 404),
        ("secretariat", 404),
        ("anonymous", 302),
    ],
)
def test_who_opens_a_request(sent, people, who, status):
    response = client_of(people, who).get(f"/exchange/requests/{sent.pk}/")
    assert response.status_code == status
    assert (SUBJECT in content(response)) is (status == 200)
    assert ReadEntry.objects.filter(request=sent, what=ReadWhat.REQUEST).count() == (
        1 if status == 200 else 0
    )


def test_a_guessed_number_never_shows_a_subject(sent, people):
    client = client_of(people, "rs_officer")
    for pk in range(sent.pk - 2, sent.pk + 3):
        response = client.get(f"/exchange/requests/{pk}/")
        assert response.status_code == 404
        assert SUBJECT not in content(response) and sent.reference not in content(response)


def test_the_page_shows_codes_entities_and_both_clocks(sent, people):
    page = content(client_of(people, "ge_officer").get(f"/exchange/requests/{sent.pk}/"))
    assert "H2 – not to be passed on" in page and ">B2<" in page
    assert "Ion Popescu" in page and "AB1234567" in page
    assert "Asia/Tbilisi" in page and "Europe/Chisinau" in page
    entry = ReadEntry.objects.get()
    assert entry.user == people["ge_officer"] and entry.unit.code == "GE-CU"


def test_each_side_sees_only_its_own_buttons(sent, people):
    def page(who):
        return content(client_of(people, who).get(f"/exchange/requests/{sent.pk}/"))

    supervisor, officer, sender = page("ge_supervisor"), page("ge_officer"), page("md_officer")
    assert "Assign" in supervisor and "Restrict to the officers assigned" in supervisor
    assert "Assign</button>" not in officer and "Send the reply" in officer
    assert "Send the reply" not in sender and "Close the request" in sender
    assert "Allow passing this on" in sender and "Allow passing this on" not in officer


# Actions ------------------------------------------------------------------------------------


def post(people, who, url, data=None, **extra):
    return client_of(people, who).post(url, data or {}, **extra)


def test_the_supervisor_assigns_and_an_officer_cannot(sent, people):
    case = sent.cases.get()
    field = f"assign-{case.pk}-officers"
    refused = post(people, "ge_officer", f"/exchange/cases/{case.pk}/assign/", {field: []})
    assert refused.status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.RECEIVED
    data = {field: [people["ge_officer"].pk]}
    assert post(people, "rs_officer", f"/exchange/cases/{case.pk}/assign/", data).status_code == 404
    assert post(people, "anonymous", f"/exchange/cases/{case.pk}/assign/", data).status_code == 302
    post(people, "ge_officer", f"/exchange/cases/{case.pk}/assign/", data)
    case.refresh_from_db()
    assert case.status == CaseStatus.RECEIVED  # the service refused the officer
    response = post(people, "ge_supervisor", f"/exchange/cases/{case.pk}/assign/", data)
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.ASSIGNED and list(case.assigned.all()) == [
        people["ge_officer"]
    ]


def reply_data(case, **extra):
    return {
        f"reply-{case.pk}-body": "The driver is known to us.",
        f"reply-{case.pk}-handling_code": "H1",
        f"reply-{case.pk}-source_evaluation": "A",
        f"reply-{case.pk}-information_evaluation": "1",
        **extra,
    }


def test_the_receiving_unit_replies_with_an_attachment_others_download(sent, people):
    case = sent.cases.get()
    upload = SimpleUploadedFile("record.txt", b"Driver record\n", content_type="text/plain")
    url = f"/exchange/cases/{case.pk}/reply/"
    assert post(people, "md_officer", url, reply_data(case)).status_code == 302
    assert not sent.messages.filter(kind=MessageKind.REPLY).exists()  # refused: not its case
    assert post(people, "rs_officer", url, reply_data(case)).status_code == 404
    post(people, "ge_officer", url, reply_data(case, **{f"reply-{case.pk}-attachment": upload}))
    message = sent.messages.get(kind=MessageKind.REPLY)
    attachment = message.attachments.get()
    link = f"/exchange/attachments/{attachment.pk}/"
    response = client_of(people, "md_officer").get(link)
    assert response.status_code == 200 and response.content == b"Driver record\n"
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert ReadEntry.objects.filter(what=ReadWhat.ATTACHMENT, user=people["md_officer"]).exists()
    for who in OUTSIDERS:
        assert client_of(people, who).get(link).status_code == 404


def test_a_bad_attachment_refuses_the_whole_reply(sent, people):
    case = sent.cases.get()
    upload = SimpleUploadedFile(
        "record.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf"
    )
    data = reply_data(case, **{f"reply-{case.pk}-attachment": upload})
    response = post(people, "ge_officer", f"/exchange/cases/{case.pk}/reply/", data, follow=True)
    assert not sent.messages.filter(kind=MessageKind.REPLY).exists()
    assert 'class="message error"' in content(response)


def test_refuse_with_a_ground_and_follow_up(sent, people):
    case = sent.cases.get()
    refuse = {f"refuse-{case.pk}-ground": "not_available", f"refuse-{case.pk}-reason": "None."}
    post(people, "ge_officer", f"/exchange/cases/{case.pk}/refuse/", refuse)
    case.refresh_from_db()
    assert case.status == CaseStatus.REFUSED and case.refusal_ground == "not_available"
    follow = {"follow-body": "Please look again.", "follow-handling_code": "H0"}
    follow |= {"follow-source_evaluation": "X", "follow-information_evaluation": "4"}
    assert (
        post(people, "rs_officer", f"/exchange/requests/{sent.pk}/follow-up/", follow).status_code
        == 404
    )
    post(people, "md_officer", f"/exchange/requests/{sent.pk}/follow-up/", follow)
    assert sent.messages.filter(kind=MessageKind.FOLLOW_UP).count() == 1


def test_grant_onward_sharing_of_an_h2_message(sent, people, units):
    message = sent.messages.get(kind=MessageKind.REQUEST)
    data = {f"grant-{message.pk}-unit": units["RS"].pk, f"grant-{message.pk}-note": "For RS."}
    post(people, "ge_officer", f"/exchange/messages/{message.pk}/grant/", data)
    assert not message.permissions.exists()  # only the unit that sent it
    post(people, "md_officer", f"/exchange/messages/{message.pk}/grant/", data)
    assert message.permissions.get().permitted_unit == units["RS"]


def test_restrict_close_and_withdraw(sent, people, units):
    case = sent.cases.get()
    post(people, "ge_officer", f"/exchange/cases/{case.pk}/restrict/", {"restricted": "1"})
    case.refresh_from_db()
    assert not case.restricted
    post(people, "ge_supervisor", f"/exchange/cases/{case.pk}/restrict/", {"restricted": "1"})
    case.refresh_from_db()
    assert case.restricted
    assert client_of(people, "ge_officer").get(f"/exchange/requests/{sent.pk}/").status_code == 404
    assert post(people, "ge_supervisor", f"/exchange/requests/{sent.pk}/close/").status_code == 302
    sent.refresh_from_db()
    assert sent.status == RequestStatus.SENT  # only the sender closes
    post(people, "md_officer", f"/exchange/requests/{sent.pk}/close/")
    sent.refresh_from_db()
    assert sent.status == RequestStatus.CLOSED
    other = urgent_request(units, people)
    assert post(people, "rs_officer", f"/exchange/requests/{other.pk}/withdraw/").status_code == 404
    post(people, "md_officer", f"/exchange/requests/{other.pk}/withdraw/")
    other.refresh_from_db()
    assert other.status == RequestStatus.WITHDRAWN


def test_a_receiving_unit_cannot_see_or_send_a_draft(units, people):
    data = form_data(units)
    client_of(people, "md_officer").post("/exchange/new/", data)
    draft = Request.objects.get()
    assert client_of(people, "ge_officer").get(draft.get_absolute_url()).status_code == 404
    assert post(people, "ge_officer", f"/exchange/requests/{draft.pk}/send/").status_code == 404


# Search ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "finds"),
    [("md_officer", True), ("ge_officer", True), ("rs_officer", False), ("ua_officer", False)],
)
def test_search_finds_only_what_one_may_open_and_logs_it(sent, people, who, finds):
    response = client_of(people, who).get("/exchange/search/", {"q": "ab1234567"})
    assert response.status_code == 200
    assert (sent.reference in content(response)) is finds
    assert ReadEntry.objects.filter(what=ReadWhat.SEARCH).exists() is finds


def test_search_filters_and_refusals(sent, people):
    client = client_of(people, "ge_officer")
    assert sent.reference not in content(client.get("/exchange/search/", {"crime_area": "drugs"}))
    dated = {"crime_area": "smuggling", "from": "2000-01-01", "to": "2100-01-01"}
    assert sent.reference in content(client.get("/exchange/search/", dated))
    assert ReadEntry.objects.filter(what=ReadWhat.SEARCH).exists()
    assert client_of(people, "secretariat").get("/exchange/search/").status_code == 403
    assert client_of(people, "anonymous").get("/exchange/search/").status_code == 302


# The read log -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("md_officer", 200),
        ("ge_officer", 200),
        ("rs_officer", 404),
        ("ua_officer", 404),
        ("secretariat", 404),
        ("anonymous", 302),
    ],
)
def test_who_reads_the_log(sent, people, who, status):
    assert client_of(people, who).get(f"/exchange/requests/{sent.pk}/log/").status_code == status
    # The whole chain (which verifies only whole) is the sending unit's to export.
    exported = 404 if who == "ge_officer" else status
    answer = client_of(people, who).get(f"/exchange/requests/{sent.pk}/log.json")
    assert answer.status_code == exported


def test_the_log_shows_reads_and_its_json_verifies(sent, people):
    client_of(people, "ge_officer").get(f"/exchange/requests/{sent.pk}/")
    client_of(people, "md_officer").get(f"/exchange/requests/{sent.pk}/")
    page = content(client_of(people, "md_officer").get(f"/exchange/requests/{sent.pk}/log/"))
    assert "ge-officer" in page and "GE-CU" in page and "Request opened" in page
    response = client_of(people, "md_officer").get(f"/exchange/requests/{sent.pk}/log.json")
    assert response["Content-Disposition"].startswith("attachment")
    rows = json.loads(response.content)["entries"]
    assert len(rows) == 2 and readlog.verify(rows) is None
    rows[0]["user_id"] = people["md_supervisor"].pk
    assert readlog.verify(rows) == 0
    rows = json.loads(response.content)["entries"]
    del rows[0]
    assert readlog.verify(rows) == 0
