"""What every "History" link test checks: the secretariat gets a link to the log of exactly
that record; anybody else sees no link."""

from html import escape
from urllib.parse import urlencode


def history_href(obj) -> str:
    return "/audit/?" + urlencode({"object_type": obj._meta.label_lower, "object_id": obj.pk})


def history_link_shown(client, user, url: str, obj) -> bool:
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200, url
    text = response.content.decode()
    shown = f'href="{escape(history_href(obj))}"' in text
    assert shown == ('data-testid="history-link"' in text)
    return shown


def assert_history_for_secretariat_only(client, url, obj, secretariat, other):
    assert history_link_shown(client, other, url, obj) is False
    assert history_link_shown(client, secretariat, url, obj) is True
