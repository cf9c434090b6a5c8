"""A request's case file as a PDF: the reference, the thread as the reader reads it, the
attachments listed by fingerprint, the handling code on every page, a read in the log, and a
404 for anyone outside the exchange."""

import hashlib
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf import PdfReader

from liaison.exchange import services
from liaison.exchange.models import ReadEntry, ReadWhat

from .clients import signed_in

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\nPassport AB1234567\n%%EOF\n"


def _url(request):
    return f"/exchange/requests/{request.pk}/case-file.pdf"


def _pages(content: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(content)).pages]


@pytest.fixture
def long_thread(sent, units, people, settings, tmp_path):
    """The urgent H2 request from Chișinău to Tbilisi, answered at length, with an attachment;
    and Serbia, asked too, answers something Georgia must not read."""
    settings.MEDIA_ROOT = tmp_path
    case = sent.cases.get()
    answer = services.reply(people["ge_officer"], case, "Records of the driver follow.", {})
    services.attach(people["ge_officer"], answer, SimpleUploadedFile("records.pdf", PDF))
    for n in range(12):
        services.follow_up(
            people["md_officer"],
            sent,
            f"Question {n}: " + "what else is known about the lorry and its route? " * 12,
            {"handling_code": "H1"},
        )
    return sent


def test_the_case_file_carries_the_thread_and_its_code_on_every_page(long_thread, people):
    client = signed_in(people["ge_officer"])
    response = client.get(_url(long_thread))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    pages = _pages(response.content)
    assert len(pages) >= 2
    for text in pages:
        assert "H2 – not to be passed on without the sender's permission" in text
    whole = "\n".join(pages)
    assert long_thread.reference in whole
    assert "Smuggling route through the port" in whole
    assert "Records of the driver follow." in whole
    assert "records.pdf" in whole and hashlib.sha256(PDF).hexdigest() in whole
    assert "Passport AB1234567" not in whole  # the attachment's content is not printed
    assert "Ion Popescu" in whole  # the entity
    read = ReadEntry.objects.filter(request=long_thread).last()
    assert (read.user, read.what, read.unit.code) == (people["ge_officer"], "case_file", "GE-CU")
    assert "Case file exported" in whole  # the read log, this export included


def test_a_receiving_unit_reads_only_its_own_thread(units, people):
    from .conftest import urgent_request

    request = urgent_request(units, people)
    rs = services.draft(
        people["md_officer"],
        units["MD"],
        {"subject": "Two units", "kind": "information", "crime_area": "drugs"},
        [units["GE"], units["RS"]],
    )
    services.send(people["md_officer"], rs)
    services.reply(people["rs_officer"], rs.cases.get(unit=units["RS"]), "Serbian answer", {})
    text = "\n".join(_pages(signed_in(people["ge_officer"]).get(_url(rs)).content))
    assert "Serbian answer" not in text and "RS-CU" not in text
    assert "Serbian answer" in "\n".join(
        _pages(signed_in(people["md_officer"]).get(_url(rs)).content)
    )
    assert request.pk != rs.pk


@pytest.mark.parametrize("who", ["rs_officer", "ua_officer", "secretariat"])
def test_outsiders_get_a_404_and_leave_no_read(sent, people, who):
    assert signed_in(people[who]).get(_url(sent)).status_code == 404
    assert not ReadEntry.objects.filter(request=sent, what=ReadWhat.CASE_FILE).exists()


def test_a_visitor_is_sent_to_sign_in(sent):
    assert signed_in(None).get(_url(sent)).status_code == 302
