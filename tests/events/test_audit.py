"""Issue 13, item 4: events in the audit trail: the History link, and admin edits audited."""

from tests.core.history import assert_history_for_secretariat_only


def test_event_page_shows_history_to_the_secretariat_only(client, secretariat, viewer, event):
    assert_history_for_secretariat_only(
        client, event.get_absolute_url(), event, secretariat, viewer
    )


def test_an_admin_edit_of_an_event_and_its_sessions_is_audited(
    client, secretariat, event, session, speaker
):
    from liaison.core.models import AuditEntry
    from tests.core.admin_forms import admin_form_data

    client.force_login(secretariat)
    url = f"/admin/events/event/{event.pk}/change/"
    data = admin_form_data(client.get(url), venue="Hotel Moskva", **{"sessions-0-room": "Hall B"})
    assert client.post(url, data).status_code == 302

    entry = AuditEntry.objects.get(object_type="events.event", object_id=str(event.pk))
    assert entry.action == "event.updated"
    assert entry.changes["venue"] == [event.venue, "Hotel Moskva"]
    old_sessions, new_sessions = entry.changes["sessions"]
    assert "Hall B" in new_sessions[0] and "Hall B" not in old_sessions[0]
    # Start and end went through the admin's split date and time boxes unchanged.
    assert "start" not in entry.changes and "end" not in entry.changes
