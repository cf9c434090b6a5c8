"""Questions about a call: asked by anybody signed in while the call is open, answered and
published by the secretariat for every applicant alike, never with the asker's name."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from liaison.core.models import AuditEntry
from liaison.grants import questions
from liaison.grants.models import CallDocument, CallQuestion
from liaison.grants.services import GrantsError

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


def ask_url(call):
    return reverse("grants:call_ask", args=[call.reference])


def answer_url(question):
    return reverse("grants:call_question_answer", args=[question.call.reference, question.pk])


def part(html: str, testid: str) -> str:
    start = html.index(f'data-testid="{testid}"')
    return html[start : html.index("</section>", start)]


@pytest.fixture
def asked(call, applicant):
    return questions.ask(applicant, call, "Can the ministry of Hanna Applicant lead a lot?")


# Asking ----------------------------------------------------------------------------------------


def test_a_signed_in_person_asks_on_the_call_page(client, call, applicant):
    client.force_login(applicant)
    html = client.get(call.get_absolute_url()).content.decode()
    assert f'action="{ask_url(call)}"' in html
    response = client.post(ask_url(call), {"question": "  May a ministry lead?  "})
    assert response.status_code == 302
    assert response["Location"] == call.get_absolute_url() + "#questions"
    (question,) = CallQuestion.objects.all()
    assert question.question == "May a ministry lead?"
    assert question.asked_by == applicant
    assert not question.published


def test_a_visitor_is_asked_to_sign_in_and_cannot_post(client, call):
    html = client.get(call.get_absolute_url()).content.decode()
    assert f'action="{ask_url(call)}"' not in html
    assert "Sign in to ask a question" in html
    response = client.post(ask_url(call), {"question": "Anonymous question"})
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]
    assert not CallQuestion.objects.exists()


def test_no_question_after_the_deadline(client, call, applicant):
    call.opens_at = call.opens_at - 3000 * DAY
    call.closes_at = datetime.datetime.now(datetime.UTC) - DAY
    call.save()
    client.force_login(applicant)
    html = client.get(call.get_absolute_url()).content.decode()
    assert f'action="{ask_url(call)}"' not in html
    assert client.post(ask_url(call), {"question": "Too late?"}).status_code == 403
    with pytest.raises(PermissionDenied):
        questions.ask(applicant, call, "Too late?")
    assert not CallQuestion.objects.exists()


def test_an_empty_or_too_long_question_is_refused(client, call, applicant):
    client.force_login(applicant)
    client.post(ask_url(call), {"question": "   "})
    client.post(ask_url(call), {"question": "x" * 2001})
    assert not CallQuestion.objects.exists()
    with pytest.raises(GrantsError):
        questions.ask(applicant, call, "x" * 2001)
    assert questions.ask(applicant, call, "x" * 2000).question == "x" * 2000


def test_nobody_asks_about_an_unpublished_call(client, call, applicant):
    call.published = False
    call.save(update_fields=["published"])
    client.force_login(applicant)
    assert client.post(ask_url(call), {"question": "Hidden?"}).status_code == 404
    assert not CallQuestion.objects.exists()


# Answering -------------------------------------------------------------------------------------


def test_the_secretariat_sees_unanswered_questions(client, call, asked, secretariat):
    client.force_login(secretariat)
    html = client.get(reverse("grants:call_questions", args=[call.reference])).content.decode()
    assert asked.question in part(html, "waiting")
    assert f'href="{answer_url(asked)}"' in html


@pytest.mark.parametrize("who", ["applicant", "outsider", "staff_viewer"])
def test_only_the_secretariat_answers(client, request, call, asked, who):
    user = request.getfixturevalue(who)
    client.force_login(user)
    assert client.get(reverse("grants:call_questions", args=[call.reference])).status_code == 403
    assert client.get(answer_url(asked)).status_code == 403
    response = client.post(answer_url(asked), {"question": "Edited", "answer": "Yes."})
    assert response.status_code == 403
    with pytest.raises(PermissionDenied):
        questions.answer_and_publish(user, asked, "Yes.")
    unpublish = reverse("grants:call_question_unpublish", args=[call.reference, asked.pk])
    assert client.post(unpublish).status_code == 403
    asked.refresh_from_db()
    assert (asked.answer, asked.answered_at, asked.published) == ("", None, False)
    assert not AuditEntry.objects.filter(action__startswith="grants.question").exists()


def test_the_answer_is_published_reworded_and_the_asker_is_emailed(
    client, call, asked, secretariat, django_capture_on_commit_callbacks
):
    client.force_login(secretariat)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            answer_url(asked),
            {"question": "Can a ministry lead a lot?", "answer": "Yes, if it is from the EU."},
        )
    assert response.status_code == 302
    asked.refresh_from_db()
    assert asked.published and asked.answered_at is not None
    assert asked.question == "Can a ministry lead a lot?"
    entry = AuditEntry.objects.get(action="grants.question_answered")
    assert entry.actor == secretariat
    assert entry.changes["published"] == [False, True]
    (message,) = mail.outbox
    assert message.to == ["applicant@example.org"]
    assert call.reference in message.subject
    assert "Yes, if it is from the EU." in message.body
    assert call.get_absolute_url() in message.body

    # Changing the answer later e-mails nobody again.
    with django_capture_on_commit_callbacks(execute=True):
        questions.answer_and_publish(secretariat, asked, "Yes, when from a Member State.")
    assert len(mail.outbox) == 1


def test_published_answers_show_on_the_call_page_without_the_asker(
    client, call, asked, applicant, secretariat
):
    questions.ask(applicant, call, "Still waiting for an answer")
    questions.answer_and_publish(
        secretariat, asked, "Yes, from an EU Member State.", "Can a ministry lead a lot?"
    )
    for reader in (None, applicant):
        client.logout()
        if reader:
            client.force_login(reader)
        html = client.get(call.get_absolute_url()).content.decode()
        answers = part(html, "questions")
        assert "Can a ministry lead a lot?" in answers
        assert "Yes, from an EU Member State." in answers
        assert "Still waiting for an answer" not in html
        assert "Hanna Applicant" not in html
        assert "applicant@example.org" not in html


def test_an_unpublished_answer_leaves_the_call_page(client, call, asked, secretariat):
    questions.answer_and_publish(secretariat, asked, "Yes.", "Can a ministry lead?")
    client.force_login(secretariat)
    url = reverse("grants:call_question_unpublish", args=[call.reference, asked.pk])
    assert client.post(url).status_code == 302
    asked.refresh_from_db()
    assert not asked.published
    assert AuditEntry.objects.filter(action="grants.question_unpublished").exists()
    client.logout()
    assert "Can a ministry lead?" not in client.get(call.get_absolute_url()).content.decode()


def test_an_empty_answer_is_refused(client, call, asked, secretariat):
    client.force_login(secretariat)
    response = client.post(answer_url(asked), {"question": asked.question, "answer": " "})
    assert response.status_code == 200
    asked.refresh_from_db()
    assert not asked.published


# The call page's queries -----------------------------------------------------------------------


def test_call_page_query_count_stays_flat_with_questions_and_documents(
    client, call, lot, applicant, secretariat, django_assert_max_num_queries, settings, tmp_path
):
    from django.core.files.base import ContentFile

    settings.MEDIA_ROOT = tmp_path

    def more(first, last):
        for i in range(first, last + 1):
            question = questions.ask(applicant, call, f"Question {i}?")
            questions.answer_and_publish(secretariat, question, f"Answer {i}.")
            document = CallDocument(call=call, title=f"Document {i}")
            document.file.save(f"d{i}.txt", ContentFile(b"text"), save=True)

    more(1, 1)
    client.force_login(applicant)
    with django_assert_max_num_queries(25) as few:
        client.get(call.get_absolute_url())
    more(2, 10)
    with django_assert_max_num_queries(len(few.captured_queries)):
        html = client.get(call.get_absolute_url()).content.decode()
    assert "Answer 10." in html and "Document 10" in html
