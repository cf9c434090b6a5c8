"""Reminders before a deadline (without content), the erasure after the retention time and
the rotation of the encryption key, as the commands run them."""

import datetime

import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command
from django.db import connection

from liaison.exchange import crypto, reminders, search, services
from liaison.exchange.models import Case, Request

pytestmark = pytest.mark.django_db


def test_a_reminder_goes_once_before_the_deadline_without_content(sent, people, mailoutbox):
    case = sent.cases.get()
    services.assign(people["ge_supervisor"], case, [people["ge_officer"]])
    mailoutbox.clear()
    assert reminders.send_reminders(case.deadline - datetime.timedelta(hours=3)) == 0
    assert reminders.send_reminders(case.deadline - datetime.timedelta(hours=1)) == 1
    assert reminders.send_reminders(case.deadline - datetime.timedelta(minutes=30)) == 0
    (mail,) = mailoutbox
    assert mail.to == ["ge-officer@example.org"]
    assert sent.reference in mail.subject and "(Asia/Tbilisi)" in mail.body
    assert "Smuggling" not in mail.body and "lorry" not in mail.body
    # An answered case is not reminded.
    Case.objects.update(reminded_at=None)
    services.reply(people["ge_officer"], case, "Done.", {})
    assert reminders.send_reminders(case.deadline - datetime.timedelta(hours=1)) == 0


def test_the_key_rotates_and_the_old_key_can_then_go(sent, people, settings):
    old = settings.EXCHANGE_KEYS[0]
    new = Fernet.generate_key().decode()
    settings.EXCHANGE_KEYS = [new, old]
    call_command("exchange_rotate_key", stdout=open("/dev/null", "w"))  # noqa: SIM115
    settings.EXCHANGE_KEYS = [new]
    assert Request.objects.get().subject == "Smuggling route through the port"
    assert list(search.search(people["ge_officer"], "AB1234567")) == [sent]
    with connection.cursor() as cursor:
        cursor.execute("SELECT subject FROM exchange_request")
        (stored,) = cursor.fetchone()
    assert stored.startswith(crypto.PREFIX) and "Smuggling" not in stored
    settings.EXCHANGE_KEYS = [old]  # the old key alone no longer reads it
    with pytest.raises(Exception, match="cannot be decrypted"):
        Request.objects.get().subject  # noqa: B018


def test_the_erase_command_runs(db):
    call_command("exchange_erase_expired", stdout=open("/dev/null", "w"))  # noqa: SIM115
