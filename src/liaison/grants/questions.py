"""Questions about a call and the secretariat's answers, published for every applicant alike.

Anybody signed in asks while the call is open; the secretariat answers, may reword the
question so that it no longer says who asked, and publishes both. The call's page lists the
published answers and never the one who asked; the asker is e-mailed once their question is
answered, after the answer is saved.
"""

import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from liaison.core import audit
from liaison.core.permissions import require

from . import permissions
from .models import Call, CallQuestion
from .services import GrantsError

logger = logging.getLogger(__name__)

MAX_LENGTH = 2000


def _text(value: str, what: str) -> str:
    value = (value or "").strip()
    if not value:
        raise GrantsError(_("Write the %(what)s.") % {"what": what})
    if len(value) > MAX_LENGTH:
        raise GrantsError(
            _("The %(what)s is %(length)d characters long; keep it to %(limit)d.")
            % {"what": what, "length": len(value), "limit": MAX_LENGTH}
        )
    return value


@transaction.atomic
def ask(actor, call: Call, question: str, now=None) -> CallQuestion:
    """Record ``actor``'s question about ``call``; the secretariat answers it."""
    call = Call.objects.select_for_update().get(pk=call.pk)
    require(permissions.can_ask_question(actor, call, now))
    question = _text(question, _("question"))
    return CallQuestion.objects.create(call=call, question=question, asked_by=actor)


def _locked(question: CallQuestion) -> CallQuestion:
    return CallQuestion.objects.select_for_update().select_related("call").get(pk=question.pk)


@transaction.atomic
def answer_and_publish(actor, question: CallQuestion, answer: str, wording: str | None = None):
    """Answer ``question`` (reworded to ``wording`` when given) and publish both on the call's
    page. The asker is e-mailed the first time their question is answered."""
    require(permissions.can_answer_questions(actor))
    question = _locked(question)
    before = {
        "question": question.question,
        "answer": question.answer,
        "published": question.published,
    }
    first = question.answered_at is None
    if wording is not None:
        question.question = _text(wording, _("question"))
    question.answer = _text(answer, _("answer"))
    question.answered_at = timezone.now()
    question.published = True
    question.save(update_fields=["question", "answer", "answered_at", "published"])
    changes = audit.diff(
        before,
        {"question": question.question, "answer": question.answer, "published": True},
    )
    audit.record(actor, "grants.question_answered", question, changes)
    if first:
        pk = question.pk
        transaction.on_commit(lambda: send_answer(pk))
    return question


@transaction.atomic
def unpublish(actor, question: CallQuestion) -> CallQuestion:
    """Take an answer off the call's page (to correct it); it stays answered."""
    require(permissions.can_answer_questions(actor))
    question = _locked(question)
    if not question.published:
        raise GrantsError(_("This question is not published."))
    question.published = False
    question.save(update_fields=["published"])
    audit.record(actor, "grants.question_unpublished", question, {"published": [True, False]})
    return question


def send_answer(question_pk: int):
    question = (
        CallQuestion.objects.select_related("call", "asked_by__person")
        .filter(pk=question_pk, published=True)
        .first()
    )
    if question is None or question.asked_by is None:
        return
    asker = question.asked_by
    person = getattr(asker, "person", None)
    address = asker.email or (person.email if person else "")
    if not address:
        return
    call = question.call
    subject = _("Your question about %(reference)s is answered") % {"reference": call.reference}
    body = render_to_string(
        "grants/email/question_answered.txt",
        {
            "question": question,
            "call": call,
            "link": settings.SITE_URL + call.get_absolute_url() + "#questions",
        },
    )
    try:
        EmailMessage(subject, body, None, [address]).send()
    except (OSError, ValidationError):
        # The answer stands; it is on the call's page for everyone.
        logger.exception("Could not e-mail the answer to question %s", question.pk)
