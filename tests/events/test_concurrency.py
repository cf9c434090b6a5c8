"""Lost updates through the events API (issue 13, item 7): a PATCH with a stale If-Match is
refused with 412 and saves nothing; the answer names the changed fields and who changed them."""

import json

from django.test import Client

from liaison.events.models import Event, Session


def _patch(client, url, data, etag):
    return client.patch(
        url, json.dumps(data), content_type="application/json", headers={"If-Match": etag}
    )


def _two(manager, secretariat):
    first, second = Client(), Client()
    first.force_login(secretariat)
    second.force_login(manager)
    return first, second


def test_a_stale_if_match_on_an_event_gets_412_and_nothing_is_saved(event, manager, secretariat):
    first, second = _two(manager, secretariat)
    url = f"/api/events/{event.pk}/"
    etag_first, etag_second = first.get(url)["ETag"], second.get(url)["ETag"]
    assert etag_first == etag_second

    saved = _patch(first, url, {"title": "Workshop on risk analysis, day one"}, etag_first)
    assert saved.status_code == 200, saved.content
    assert saved["ETag"] != etag_first

    refused = _patch(second, url, {"title": "Mine", "venue": "Belgrade"}, etag_second)
    assert refused.status_code == 412
    body = refused.json()
    assert [(c["field"], c["value"]) for c in body["changed"]] == [
        ("title", "Workshop on risk analysis, day one")
    ]
    assert body["changed"][0]["changed_by"] == "Sam Secretariat"
    assert body["version"] == saved["ETag"].strip('"')
    event.refresh_from_db()
    assert event.title == "Workshop on risk analysis, day one"
    assert event.venue != "Belgrade"

    fresh = _patch(second, url, {"venue": "Belgrade"}, saved["ETag"])
    assert fresh.status_code == 200, fresh.content
    assert Event.objects.get(pk=event.pk).venue == "Belgrade"


def test_the_right_to_change_is_checked_before_the_version(event, viewer, secretariat):
    """Someone who may not change the event learns nothing about others' changes."""
    first = Client()
    first.force_login(secretariat)
    url = f"/api/events/{event.pk}/"
    stale = first.get(url)["ETag"]
    _patch(first, url, {"title": "Renamed"}, stale)
    outsider = Client()
    outsider.force_login(viewer)
    assert _patch(outsider, url, {"title": "x"}, stale).status_code == 403


def test_a_stale_if_match_on_a_session_gets_412(session, manager, secretariat):
    first, second = _two(manager, secretariat)
    url = f"/api/sessions/{session.pk}/"
    etag = first.get(url)["ETag"]
    assert _patch(first, url, {"title": "Opening, revised"}, etag).status_code == 200
    refused = _patch(second, url, {"title": "Opening by me"}, etag)
    assert refused.status_code == 412
    assert Session.objects.get(pk=session.pk).title == "Opening, revised"
