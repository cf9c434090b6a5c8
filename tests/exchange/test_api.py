"""The exchange's API, role by role: the sending unit's officer, the receiving unit's, a third
unit's of the same network, a unit of another network, the network's secretariat and a visitor.
Need to know holds at every endpoint, reads are logged, writes go through the services, and a
list costs the same queries for 3 requests or 30."""

import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from rest_framework.test import APIClient

from liaison.exchange import services
from liaison.exchange.models import ReadEntry, ReadWhat, Request, RequestStatus

from . import year
from .conftest import PERSON, urgent_request

pytestmark = pytest.mark.django_db

LIST = "api:exchange-request-list"
STATS = "api:exchange-statistics-list"
OUTSIDERS = ["rs_officer", "ua_officer", "secretariat", None]
PDF = b"%PDF-1.4\nRecords\n%%EOF\n"


def api(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def detail(request):
    return reverse("api:exchange-request-detail", args=[request.pk])


def case_url(request, case, verb):
    return reverse(f"api:exchange-request-{verb}", kwargs={"pk": request.pk, "case": case.pk})


@pytest.mark.parametrize(
    ("who", "sees"),
    [("md_officer", True), ("ge_officer", True)] + [(who, False) for who in OUTSIDERS],
)
def test_who_lists_and_opens_a_request(sent, people, who, sees):
    user = people[who] if who else None
    listed = api(user).get(reverse(LIST))
    assert listed.status_code == 200
    assert [r["reference"] for r in listed.json()["results"]] == ([sent.reference] if sees else [])
    opened = api(user).get(detail(sent))
    assert opened.status_code == (200 if sees else 404)
    reads = ReadEntry.objects.filter(request=sent, what=ReadWhat.API)
    assert reads.count() == (1 if sees else 0)
    assert not ReadEntry.objects.filter(request=sent).exclude(what=ReadWhat.API).exists()


def test_the_detail_has_messages_cases_with_clocks_and_entities(sent, people):
    body = api(people["ge_officer"]).get(detail(sent)).json()
    assert body["subject"] == "Smuggling route through the port"
    assert [m["kind"] for m in body["messages"]] == ["request"]
    assert body["messages"][0]["handling_code"] == "H2"
    assert body["messages"][0]["evaluation"] == "B2"
    (case,) = body["cases"]
    assert case["unit"] == "GE-CU" and case["deadline"] and case["clock"] == "ok"
    assert case["timezone"] == "Asia/Tbilisi"
    assert body["entities"][0]["details"]["documents"] == PERSON["documents"]
    read = ReadEntry.objects.get(request=sent)
    assert (read.user, read.unit.code) == (people["ge_officer"], "GE-CU")


def test_a_receiving_unit_reads_only_its_own_thread(units, people):
    two = services.draft(
        people["md_officer"],
        units["MD"],
        {"subject": "Two units", "kind": "information", "crime_area": "drugs"},
        [units["GE"], units["RS"]],
    )
    services.send(people["md_officer"], two)
    services.reply(people["rs_officer"], two.cases.get(unit=units["RS"]), "Serbian answer", {})
    seen = api(people["ge_officer"]).get(detail(two)).json()
    assert [c["unit"] for c in seen["cases"]] == ["GE-CU"]
    assert "Serbian answer" not in str(seen)
    assert "Serbian answer" in str(api(people["md_officer"]).get(detail(two)).json())


def test_the_sending_officer_drafts_and_sends(units, people):
    client = api(people["md_officer"])
    body = {
        "sender": "MD-CU",
        "to": ["GE-CU"],
        "subject": "Cars stolen in Chișinău",
        "kind": "information",
        "crime_area": "property",
        "urgency": "urgent",
        "narrative": "Three cars crossed at Sadarak.",
        "handling_code": "H1",
        "entities": [{"kind": "vehicle", "plate": "C AB 123"}],
    }
    made = client.post(reverse(LIST), body, format="json")
    assert made.status_code == 201, made.json()
    assert made.json()["status"] == "draft" and made.json()["cases"][0]["deadline"] is None
    request = Request.objects.get(pk=made.json()["id"])
    assert request.created_by == people["md_officer"]
    assert api(people["ge_officer"]).get(detail(request)).status_code == 404  # a draft
    sent = client.post(reverse("api:exchange-request-send", args=[request.pk]))
    assert sent.status_code == 200
    assert sent.json()["status"] == "sent" and sent.json()["cases"][0]["deadline"]
    assert api(people["ge_officer"]).get(detail(request)).status_code == 200


@pytest.mark.parametrize(
    ("who", "change", "status"),
    [
        ("md_officer", {"to": ["UA-CU"]}, 400),  # a unit of another network
        ("md_officer", {"to": ["XX-CU"]}, 400),
        ("md_officer", {"handling_code": "H3"}, 400),  # H3 without its restrictions
        ("rs_officer", {}, 400),  # not a unit of theirs
        ("secretariat", {}, 403),  # no exchange role
        (None, {}, 403),
    ],
)
def test_a_draft_refused(units, people, who, change, status):
    body = {"sender": "MD-CU", "to": ["GE-CU"], "subject": "S", "kind": "information"}
    body = {**body, "crime_area": "drugs", **change}
    user = people[who] if who else None
    assert api(user).post(reverse(LIST), body, format="json").status_code == status
    assert not Request.objects.exists()


def test_the_receiving_officer_replies_or_refuses(sent, people, units):
    case = sent.cases.get()
    assert (
        api(people["md_officer"])
        .post(case_url(sent, case, "reply"), {"body": "Mine"}, format="json")
        .status_code
        == 403
    )
    for who in ("rs_officer", "ua_officer", "secretariat"):
        answer = api(people[who]).post(case_url(sent, case, "reply"), {"body": "x"}, format="json")
        assert answer.status_code == 404
    answer = api(people["ge_officer"]).post(
        case_url(sent, case, "reply"),
        {"body": "Known to us.", "handling_code": "H1", "source_evaluation": "A"},
        format="json",
    )
    assert answer.status_code == 201
    assert (answer.json()["from_unit"], answer.json()["evaluation"]) == ("GE-CU", "A4")
    bad = api(people["ge_officer"]).post(
        case_url(sent, case, "refuse"), {"ground": "whim", "reason": "No"}, format="json"
    )
    assert bad.status_code == 400
    refused = api(people["ge_officer"]).post(
        case_url(sent, case, "refuse"), {"ground": "investigation", "reason": "A raid runs."}
    )
    assert refused.status_code == 201
    case.refresh_from_db()
    assert (case.status, case.refusal_ground) == ("refused", "investigation")
    assert sent.status == RequestStatus.SENT


def test_attachments_for_who_reads_the_message(sent, people, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    answer = services.reply(people["ge_officer"], sent.cases.get(), "See the file.", {})
    item = services.attach(people["ge_officer"], answer, SimpleUploadedFile("records.pdf", PDF))
    body = api(people["md_officer"]).get(detail(sent)).json()
    (listed,) = body["messages"][1]["attachments"]
    assert listed["sha256"] == hashlib.sha256(PDF).hexdigest() and listed["size"] == len(PDF)
    got = api(people["md_officer"]).get(listed["download"])
    assert got.status_code == 200 and got.content == PDF
    assert ReadEntry.objects.filter(request=sent, what=ReadWhat.ATTACHMENT).count() == 1
    url = reverse("api:exchange-request-attachment", kwargs={"pk": sent.pk, "attachment": item.pk})
    for who in ("rs_officer", "ua_officer", "secretariat"):
        assert api(people[who]).get(url).status_code == 404
    assert ReadEntry.objects.filter(request=sent, what=ReadWhat.ATTACHMENT).count() == 1


def test_the_list_costs_the_same_for_more_requests(units, people, django_assert_max_num_queries):
    for _ in range(3):
        urgent_request(units, people)
    client = api(people["ge_officer"])
    with django_assert_max_num_queries(10) as few:
        assert len(client.get(reverse(LIST)).json()["results"]) == 3
    for _ in range(27):
        urgent_request(units, people)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(client.get(reverse(LIST)).json()["results"]) == 30


def test_statistics_by_role(units, people, exchange):
    year.build(units, people)
    figures = api(people["secretariat"]).get(reverse(STATS), {"year": 2025})
    assert figures.status_code == 200
    body = figures.json()
    assert (body["requests_sent"], body["cases"], body["refused"]) == (3, 4, 1)
    assert year.SUBJECT not in str(body)
    unit = api(people["ge_supervisor"]).get(reverse(STATS), {"year": 2025}).json()
    assert (unit["unit"], unit["cases"]) == ("GE-CU", 3)
    forged = api(people["ge_supervisor"]).get(reverse(STATS), {"year": 2025, "unit": "RS-CU"})
    assert forged.status_code == 400
    for who in ("ge_officer", "ua_officer", None):
        user = people[who] if who else None
        assert api(user).get(reverse(STATS)).status_code == 403
