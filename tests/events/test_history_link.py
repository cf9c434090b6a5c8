"""Issue 13, item 4: the event page links the secretariat to the event's audit log."""

from tests.core.history import assert_history_for_secretariat_only


def test_event_page_shows_history_to_the_secretariat_only(client, secretariat, viewer, event):
    assert_history_for_secretariat_only(
        client, event.get_absolute_url(), event, secretariat, viewer
    )
