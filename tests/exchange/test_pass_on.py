"""Attachments on a new request and a follow-up: stored encrypted with the message, and a
refused file (wrong kind by content, too large) saves nothing and says why."""

import pytest
from allauth.mfa.models import Authenticator
from django.core.files.uploadedfile import SimpleUploadedFile

from liaison.exchange import services
from liaison.exchange.models import (
    Attachment,
    Entity,
    Message,
    MessageKind,
    Request,
    UnitRole,
)

from .test_pages import client_of, content, form_data

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n% the driver's record\n"
NOT_A_PDF = b"MZ\x90\x00 a program renamed"


@pytest.fixture(autouse=True)
def second_factor(people):
    """Exchange roles require an authenticator; the tests sign in as if it was used."""
    for role in UnitRole.objects.all():
        Authenticator.objects.create(user=role.user, type=Authenticator.Type.TOTP, data={})


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def pdf(name="record.pdf", data=PDF):
    return SimpleUploadedFile(name, data, content_type="application/pdf")


def received(sent):
    """The request message of ``sent`` as its receiving unit (Tbilisi) reads it."""
    return sent.messages.get(kind=MessageKind.REQUEST)


def pass_on_url(message) -> str:
    return f"/exchange/messages/{message.pk}/pass-on/"


def pass_on_data(units, sender="GE", to="RS", **changes):
    data = {
        "sender": units[sender].pk,
        "recipients": [units[to].pk],
        "subject": "Driver seen in Belgrade",
        "kind": "information",
        "crime_area": "smuggling",
        "language": "en",
        "urgency": "urgent",
        "narrative": "Chișinău asks about a driver we believe crossed to Serbia.",
        "handling_code": "H2",
        "handling_restriction": "",
        "source_evaluation": "B",
        "information_evaluation": "2",
        **changes,
    }
    return {k: v for k, v in data.items() if v is not None}


def counts() -> tuple[int, ...]:
    return tuple(m.objects.count() for m in (Request, Message, Entity, Attachment))


# Attachments ----------------------------------------------------------------------------------


def test_a_new_request_keeps_its_attachment_encrypted(units, people):
    client = client_of(people, "md_officer")
    response = client.post("/exchange/new/", form_data(units, attachment=pdf()))
    draft = Request.objects.get()
    assert response["Location"] == draft.get_absolute_url()
    attachment = draft.messages.get(kind=MessageKind.REQUEST).attachments.get()
    assert services.attachment_content(attachment) == PDF
    with attachment.blob.open("rb") as handle:
        assert PDF not in handle.read()  # encrypted at rest
    assert attachment.name == "record.pdf" and attachment.kind == "pdf"
    assert f"/exchange/attachments/{attachment.pk}/" in content(
        client.get(draft.get_absolute_url())
    )


def test_the_new_request_form_takes_files(people):
    page = content(client_of(people, "md_officer").get("/exchange/new/"))
    assert 'enctype="multipart/form-data"' in page and 'type="file"' in page


@pytest.mark.parametrize(
    ("upload", "error"),
    [
        (pdf(data=NOT_A_PDF), "The file is not the PDF its name says"),
        (pdf(name="tool.exe"), "Upload the document as PDF"),
    ],
)
def test_a_wrong_file_saves_no_request(units, people, upload, error):
    upload.seek(0)
    response = client_of(people, "md_officer").post(
        "/exchange/new/", form_data(units, attachment=upload)
    )
    assert response.status_code == 200 and error in content(response)
    assert counts() == (0, 0, 0, 0)


def test_a_too_large_file_saves_no_request(units, people, settings):
    settings.EXCHANGE_ATTACHMENT_MAX_BYTES = 10
    response = client_of(people, "md_officer").post(
        "/exchange/new/", form_data(units, attachment=pdf())
    )
    assert response.status_code == 200 and "the limit is" in content(response)
    assert counts() == (0, 0, 0, 0)


def follow_data(prefix, **extra):
    return {
        f"{prefix}-body": "Please also check the passenger.",
        f"{prefix}-handling_code": "H1",
        f"{prefix}-source_evaluation": "A",
        f"{prefix}-information_evaluation": "1",
        **extra,
    }


def test_a_follow_up_keeps_its_attachment_encrypted(sent, people):
    url = f"/exchange/requests/{sent.pk}/follow-up/"
    client_of(people, "md_officer").post(url, follow_data("follow", **{"follow-attachment": pdf()}))
    message = sent.messages.get(kind=MessageKind.FOLLOW_UP)
    assert services.attachment_content(message.attachments.get()) == PDF
    page = content(client_of(people, "ge_officer").get(sent.get_absolute_url()))
    assert f"/exchange/attachments/{message.attachments.get().pk}/" in page


def test_a_case_follow_up_keeps_its_attachment(sent, people):
    case = sent.cases.get()
    prefix = f"follow-{case.pk}"
    data = follow_data(prefix, **{f"{prefix}-attachment": pdf()})
    client_of(people, "ge_officer").post(f"/exchange/cases/{case.pk}/follow-up/", data)
    message = sent.messages.get(kind=MessageKind.FOLLOW_UP)
    assert message.from_unit == case.unit
    assert services.attachment_content(message.attachments.get()) == PDF


def test_a_wrong_file_saves_no_follow_up(sent, people):
    case = sent.cases.get()
    before = counts()
    data = follow_data("follow", **{"follow-attachment": pdf(data=NOT_A_PDF)})
    response = client_of(people, "md_officer").post(
        f"/exchange/requests/{sent.pk}/follow-up/", data, follow=True
    )
    assert 'class="message error"' in content(response)
    assert "The file is not the PDF its name says" in content(response)
    prefix = f"follow-{case.pk}"
    data = follow_data(prefix, **{f"{prefix}-attachment": pdf(data=NOT_A_PDF)})
    client_of(people, "ge_officer").post(f"/exchange/cases/{case.pk}/follow-up/", data)
    assert counts() == before


def test_the_follow_up_forms_take_files(sent, people):
    for who in ("md_officer", "ge_officer"):
        page = content(client_of(people, who).get(sent.get_absolute_url()))
        assert 'follow-up/" enctype="multipart/form-data"' in page
