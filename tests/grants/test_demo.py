"""The grants demo loads through the services: its consortia meet their calls' rules, every
state the issue names is there, and a rerun adds nothing."""

import io

import pytest
from django.urls import reverse
from django.utils.html import escape
from openpyxl import load_workbook
from pypdf import PdfReader

from liaison.grants import demo, demo_documents, documents
from liaison.grants.models import Application, Assignment, Call, CallDocument, CallQuestion
from liaison.portfolio import demo as portfolio_demo

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """The demo stores its call documents; here, not in the installation's ``var/media``."""
    settings.MEDIA_ROOT = tmp_path / "media"


def test_the_demo_calls_and_applications(countries):
    portfolio_demo.load_seed_programmes()
    portfolio_demo.create_demo_users()
    made = demo.load_demo_grants()
    assert set(made["calls"]) == {"MPF-2026-BS", "MPF-2027-BS"}
    closed, open_call = made["calls"]["MPF-2026-BS"], made["calls"]["MPF-2027-BS"]
    assert closed.status() == "closed" and open_call.status() == "open"
    statuses = set(Application.objects.values_list("status", flat=True))
    assert statuses == {
        "draft",
        "submitted",
        "ineligible",
        "under_review",
        "selected",
        "reserve",
        "rejected",
    }
    awarded = Application.objects.filter(project__isnull=False)
    assert awarded.count() == 2
    for application in awarded:
        project = application.project
        assert project.visibility == "draft"
        assert project.participations.count() == application.partners.count()
    conflicted = Assignment.objects.get(conflict="conflict")
    assert conflicted.application.status == "under_review"
    assert demo.load_demo_grants() == {}
    assert Call.objects.count() == 2


@pytest.fixture
def demo_grants(countries):
    portfolio_demo.load_seed_programmes()
    portfolio_demo.create_demo_users()
    return demo.load_demo_grants()


def part(html: str, testid: str) -> str:
    start = html.index(f'data-testid="{testid}"')
    return html[start : html.index("</section>", start)]


def download(client, document) -> tuple[str, bytes]:
    url = reverse("grants:call_document", args=[document.call.reference, document.pk])
    response = client.get(url)
    assert response.status_code == 200
    return response["Content-Type"], b"".join(response.streaming_content)


def test_the_open_call_has_documents_to_download(client, demo_grants):
    call = demo_grants["calls"]["MPF-2027-BS"]
    listed = part(client.get(call.get_absolute_url()).content.decode(), "documents")
    template, guidelines = call.documents.order_by("title")
    assert [template.title, guidelines.title] == ["Budget template", "Guidelines for applicants"]
    for document in (template, guidelines):
        assert reverse("grants:call_document", args=[call.reference, document.pk]) in listed
        assert document.title in listed

    kind, body = download(client, guidelines)
    assert kind == "application/pdf" and body.startswith(b"%PDF-")
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(body)).pages)
    assert "Borders and security 2027: guidelines for applicants" in text
    assert "Integrated border management" in text and "MPF-2027-BS" in text

    kind, body = download(client, template)
    assert kind == documents.XLSX
    workbook = load_workbook(io.BytesIO(body))
    assert workbook.sheetnames == ["Budget", "Exchange rates"]
    categories = [row[0] for row in workbook["Budget"].iter_rows(min_row=6, values_only=True)]
    assert categories[:2] == ["Staff", "Travel and subsistence"]
    rates = dict(workbook["Exchange rates"].iter_rows(min_row=2, values_only=True))
    assert rates["RSD"] == 117.2
    # The closed call has none.
    assert not CallDocument.objects.filter(call=demo_grants["calls"]["MPF-2026-BS"]).exists()


def test_the_open_call_has_answered_questions(client, demo_grants):
    call = demo_grants["calls"]["MPF-2027-BS"]
    asked = list(CallQuestion.objects.filter(call=call).select_related("asked_by"))
    assert len(asked) == 3
    assert {q.asked_by.username for q in asked} == {"applicant", "gr-applicant", "ro-applicant"}
    assert all(q.published and q.answered_at and q.answer for q in asked)

    answers = part(client.get(call.get_absolute_url()).content.decode(), "answers")
    for question in asked:
        assert escape(question.question) in answers and escape(question.answer) in answers
        assert question.asked_by.get_full_name() not in answers  # never who asked

    client.force_login(demo_grants["secretariat"])
    page = client.get(reverse("grants:call_questions", args=[call.reference])).content.decode()
    assert "No question awaits an answer." in part(page, "waiting")
    published = part(page, "published")
    for question in asked:
        assert escape(question.answer) in published


def test_a_rerun_adds_no_document_nor_question(demo_grants):
    call = demo_grants["calls"]["MPF-2027-BS"]
    assert demo.load_demo_grants() == {}
    spec = next(c for c in demo.data()["calls"] if c["reference"] == call.reference)
    assert demo_documents.load(call, spec, demo_grants["secretariat"]) == (0, 0)
    assert CallDocument.objects.count() == 2
    assert CallQuestion.objects.count() == 3


def test_the_calls_have_their_own_form_and_the_applications_answer_it(client, demo_grants):
    open_call = demo_grants["calls"]["MPF-2027-BS"]
    page = client.get(open_call.get_absolute_url()).content.decode()
    assert "How many officers will take part in the training?" in part(page, "call-form")
    submitted = Application.objects.filter(call__reference="MPF-2026-BS", status="selected")
    for application in submitted:
        assert application.form_version.number == 1
        answered = application.submitted_content["answers"]
        assert len(answered) == 6
        letter = answered[-1]
        assert letter["answer"] == "letters-of-support.pdf" and len(letter["file_sha256"]) == 64
    # The closed call's unfinished draft says which answers it still lacks.
    from liaison.grants.rules import review

    draft = Application.objects.get(call__reference="MPF-2026-BS", status="draft")
    _budget, problems = review(draft)
    assert any(p.part == "answers" for p in problems)
