"""Issue 13, item 4: an equipment item's page links the secretariat to its audit log."""

from tests.core.history import assert_history_for_secretariat_only


def test_item_page_shows_history_to_the_secretariat_only(client, secretariat, manager, item):
    assert_history_for_secretariat_only(client, item.get_absolute_url(), item, secretariat, manager)
