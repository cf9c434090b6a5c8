"""Passing a message on in a new request, and attachments on a new request and a follow-up.

What another unit sent may be carried on to a third unit in a new request: H0 and H1 freely,
H2 and H3 only to a unit their sender permitted in the thread. The page is open to whoever
reads the message (the receiving officer, the sending unit), a 404 to anyone else. A refusal,
of the code or of a file, saves nothing and says why on the form."""

import pytest
from allauth.mfa.models import Authenticator
from django.core.files.uploadedfile import SimpleUploadedFile

from liaison.exchange import services
from liaison.exchange.models import (
    Attachment,
    Entity,
    HandlingCode,
    Message,
    MessageKind,
    ReadEntry,
    ReadWhat,
    Request,
    RequestStatus,
    UnitRole,
)

from .conftest import urgent_request
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


# The link and who opens the page ---------------------------------------------------------------


def test_the_link_is_on_what_another_unit_sent(sent, people):
    message = received(sent)
    link = f'href="{pass_on_url(message)}"'
    assert link in content(client_of(people, "ge_officer").get(sent.get_absolute_url()))
    # The sending unit's own message is not "another unit's".
    assert link not in content(client_of(people, "md_officer").get(sent.get_absolute_url()))


def test_the_sending_unit_gets_the_link_on_a_reply(sent, people):
    case = sent.cases.get()
    reply = services.reply(people["ge_officer"], case, "Known to us.", {"handling_code": "H0"})
    page = content(client_of(people, "md_officer").get(sent.get_absolute_url()))
    assert f'href="{pass_on_url(reply)}"' in page and "Pass on in a new request" in page


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("ge_officer", 200),
        ("ge_supervisor", 200),
        ("md_officer", 200),
        ("rs_officer", 404),
        ("ua_officer", 404),
        ("secretariat", 404),
        ("anonymous", 302),
    ],
)
def test_who_opens_the_pass_on_page(sent, people, who, status):
    response = client_of(people, who).get(pass_on_url(received(sent)))
    assert response.status_code == status
    if who == "anonymous":
        assert response["Location"].startswith("/accounts/login/")
    if status == 404:
        assert sent.reference not in content(response)


def test_a_third_unit_cannot_post_either(sent, people, units):
    before = counts()
    response = client_of(people, "rs_officer").post(
        pass_on_url(received(sent)), pass_on_data(units, sender="RS", to="GE", handling_code="H0")
    )
    assert response.status_code == 404 and counts() == before


def test_a_message_of_another_receiving_units_thread_is_a_404(units, people):
    both = services.draft(
        people["md_officer"],
        units["MD"],
        {"subject": "Two units", "kind": "information", "crime_area": "drugs"},
        [units["GE"], units["RS"]],
    )
    services.send(people["md_officer"], both)
    answer = services.reply(
        people["ge_officer"], both.cases.get(unit=units["GE"]), "Ours.", {"handling_code": "H0"}
    )
    assert client_of(people, "rs_officer").get(pass_on_url(answer)).status_code == 404
    assert client_of(people, "md_officer").get(pass_on_url(answer)).status_code == 200


def test_the_page_shows_the_code_and_who_may_receive_it(sent, people, units):
    message = received(sent)
    client = client_of(people, "ge_officer")
    page = content(client.get(pass_on_url(message)))
    assert "H2 – not to be passed on" in page and sent.reference in page
    assert "No unit yet" in page and "MD-CU has not allowed" in page
    assert "A group moves people by lorry" in page  # the narrative starts as the message's
    entry = ReadEntry.objects.get(what=ReadWhat.REQUEST, detail=f"pass on {message.pk}")
    assert entry.user == people["ge_officer"] and entry.unit == units["GE"]
    services.grant_forwarding(people["md_officer"], message, units["RS"])
    page = content(client.get(pass_on_url(message)))
    assert "Only the units MD-CU allowed" in page and "Coordination unit of Serbia" in page


def test_an_h0_message_may_go_to_any_unit(units, people):
    original = urgent_request(units, people, handling_code=HandlingCode.H0)
    page = content(client_of(people, "ge_officer").get(pass_on_url(received(original))))
    assert "Any unit of the network" in page


# Passing on -----------------------------------------------------------------------------------


def test_h2_is_refused_without_permission_and_nothing_is_saved(sent, people, units):
    before = counts()
    data = pass_on_data(units, attachment=pdf())
    response = client_of(people, "ge_officer").post(pass_on_url(received(sent)), data)
    assert response.status_code == 200
    page = content(response)
    assert "H2: MD-CU has not allowed this to be passed on to RS-CU; ask in the thread." in page
    assert 'role="alert"' in page
    assert counts() == before


def test_h2_goes_after_the_sender_permits_that_unit(sent, people, units):
    message = received(sent)
    services.grant_forwarding(people["md_officer"], message, units["RS"])
    client = client_of(people, "ge_officer")
    data = pass_on_data(units, **{"person-0-names": "Ion Popescu", "person-0-documents": "AB1"})
    response = client.post(pass_on_url(message), data)
    new = Request.objects.get(forwarded_from=message)
    assert response.status_code == 302 and response["Location"] == new.get_absolute_url()
    assert new.status == RequestStatus.DRAFT and new.sender == units["GE"]
    assert [case.unit for case in new.cases.all()] == [units["RS"]]
    assert new.messages.get().handling_code == "H2" and new.entities.count() == 1
    page = content(client.get(new.get_absolute_url()))
    assert "Passed on from" in page
    assert f'href="{sent.get_absolute_url()}#message-{message.pk}">{sent.reference}</a>' in page


def test_the_permission_is_for_that_unit_only(sent, people, units):
    message = received(sent)
    services.grant_forwarding(people["md_officer"], message, units["RS"])
    before = counts()
    data = pass_on_data(units, recipients=[units["RS"].pk, units["MD"].pk])
    response = client_of(people, "ge_officer").post(pass_on_url(message), data)
    assert "has not allowed this to be passed on to MD-CU" in content(response)
    assert counts() == before


def test_an_h0_reply_is_passed_on_by_the_sending_unit(sent, people, units):
    case = sent.cases.get()
    reply = services.reply(people["ge_officer"], case, "Known to us.", {"handling_code": "H0"})
    client = client_of(people, "md_officer")
    data = pass_on_data(units, sender="MD", to="RS", handling_code="H0")
    response = client.post(pass_on_url(reply), data)
    new = Request.objects.get(forwarded_from=reply)
    assert response["Location"] == new.get_absolute_url()
    assert content(client.get(new.get_absolute_url())).count(sent.reference) == 1


def test_the_receiving_unit_of_the_new_request_sees_the_reference_without_a_link(
    sent, people, units
):
    message = received(sent)
    services.grant_forwarding(people["md_officer"], message, units["RS"])
    client_of(people, "ge_officer").post(pass_on_url(message), pass_on_data(units))
    new = Request.objects.get(forwarded_from=message)
    services.send(people["ge_officer"], new)
    page = content(client_of(people, "rs_officer").get(new.get_absolute_url()))
    assert "Passed on from" in page and sent.reference in page
    assert f'href="{sent.get_absolute_url()}' not in page


def test_bad_input_on_the_pass_on_form_says_why(sent, people, units):
    before = counts()
    data = pass_on_data(units, handling_code="H0", subject="")
    response = client_of(people, "ge_officer").post(pass_on_url(received(sent)), data)
    assert response.status_code == 200 and "This field is required." in content(response)
    assert counts() == before


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
