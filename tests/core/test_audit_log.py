"""Issue 13, item 4: the secretariat reads the audit trail outside the admin, filtered by
object, actor, action and date; nobody else opens it."""

import datetime

import pytest
from django.utils import timezone

from liaison.core import audit
from liaison.core.models import AuditEntry
from liaison.portfolio import services

URL = "/audit/"
BAD_NUMBER = "A record number is a whole number of up to 18 digits."


def entries_on_page(response) -> list[AuditEntry]:
    return list(response.context["page"].object_list)


@pytest.fixture
def log(secretariat, manager, project, contact, countries):
    """A budget change by the manager and an e-mail change by the secretariat."""
    services.update_project(
        manager, project, {"total_budget": "500000.00"}, {"countries": [countries["RS"]]}
    )
    audit.record(
        secretariat,
        "person.updated",
        contact,
        {"email": ["ana.contact@example.org", "ana.new@example.org"]},
    )
    return AuditEntry.objects.all()


@pytest.mark.parametrize("who", ["manager", "viewer", "public_user"])
def test_only_the_secretariat_opens_the_audit_log(client, request, who, log):
    client.force_login(request.getfixturevalue(who))
    response = client.get(URL)
    assert response.status_code == 403
    assert b"500000.00" not in response.content
    assert b'href="/audit/"' not in client.get("/").content  # no menu link either


def test_a_visitor_is_asked_to_sign_in(client, log):
    response = client.get(URL)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_the_secretariat_reads_each_change_as_field_old_new(client, secretariat, log):
    client.force_login(secretariat)
    response = client.get(URL)
    assert response.status_code == 200
    text = response.content.decode()
    assert "Total budget: 454415.40 → 500000.00" in text
    assert "E-mail: ana.contact@example.org → ana.new@example.org" in text
    assert "Countries: Georgia, Serbia → Serbia" in text
    assert 'href="/audit/"' in text  # the menu link


def test_filter_by_object(client, secretariat, log, project):
    client.force_login(secretariat)
    response = client.get(URL, {"object_type": "portfolio.project", "object_id": project.pk})
    assert [e.action for e in entries_on_page(response)] == ["project.updated"]


def test_filter_by_actor_and_action(client, secretariat, manager, log):
    client.force_login(secretariat)
    response = client.get(URL, {"actor": manager.pk})
    assert [e.actor for e in entries_on_page(response)] == [manager]
    response = client.get(URL, {"action": "person.updated"})
    assert [e.action for e in entries_on_page(response)] == ["person.updated"]


def test_filter_by_date_range(client, secretariat, log):
    old = AuditEntry.objects.get(action="person.updated")
    AuditEntry.objects.filter(pk=old.pk).update(
        at=timezone.make_aware(datetime.datetime(2024, 3, 10, 12, 0))
    )
    client.force_login(secretariat)
    response = client.get(URL, {"since": "2024-03-10", "until": "2024-03-10"})
    assert [e.pk for e in entries_on_page(response)] == [old.pk]
    response = client.get(URL, {"since": "2024-03-11"})
    assert old.pk not in [e.pk for e in entries_on_page(response)]
    assert len(entries_on_page(response)) == 1


@pytest.mark.parametrize(
    "query, message",
    [
        ({"since": "0001-01-01"}, "Choose a date from 1900 on."),
        ({"until": "2101-01-01"}, "Choose a date up to 2100."),
        ({"since": "not-a-date"}, "Enter a valid date."),
        ({"object_id": "abc"}, BAD_NUMBER),
        ({"object_id": "99999999999999999999"}, BAD_NUMBER),
        ({"actor": "99999999999999999999"}, "Select a valid choice."),
        ({"actor": "x"}, "Select a valid choice."),
        ({"object_type": "nope.nothing"}, "Select a valid choice."),
        ({"since": "2024-02-01", "until": "2024-01-01"}, "comes before its start"),
    ],
)
def test_a_bad_filter_shows_a_message_not_an_error(client, secretariat, log, query, message):
    client.force_login(secretariat)
    response = client.get(URL, query)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert entries_on_page(response) == []


def test_query_count_does_not_grow_with_rows(
    client, secretariat, manager, project, django_assert_max_num_queries
):
    client.force_login(secretariat)
    for n in range(3):
        services.update_project(manager, project, {"total_budget": f"{1000 + n}.00"}, {})
    with django_assert_max_num_queries(12) as few:
        client.get(URL)
    for n in range(40):
        services.update_project(manager, project, {"total_budget": f"{2000 + n}.00"}, {})
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(URL)
    assert len(entries_on_page(response)) == 43


def test_pages_of_fifty(client, secretariat, project):
    for n in range(60):
        audit.record(secretariat, "project.updated", project, {"total_budget": [n, n + 1]})
    client.force_login(secretariat)
    assert len(entries_on_page(client.get(URL))) == 50
    assert len(entries_on_page(client.get(URL, {"page": 2}))) == 10
