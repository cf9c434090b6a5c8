"""Lost updates in the training API and pages (issue 13, item 7)."""

import json

from django.test import Client
from django.urls import reverse

from liaison.training.models import Course, Module

COURSES = "/api/training/courses/"
MODULES = "/api/training/modules/"


def _patch(client, url, data, etag):
    return client.patch(
        url, json.dumps(data), content_type="application/json", headers={"If-Match": etag}
    )


def _two(centre_staff, secretariat):
    first, second = Client(), Client()
    first.force_login(secretariat)
    second.force_login(centre_staff)
    return first, second


def test_a_stale_if_match_on_a_course_gets_412_and_nothing_is_saved(
    course, centre_staff, secretariat
):
    first, second = _two(centre_staff, secretariat)
    url = f"{COURSES}{course.pk}/"
    etag = first.get(url)["ETag"]
    assert second.get(url)["ETag"] == etag

    saved = _patch(first, url, {"venue": "Novi Sad"}, etag)
    assert saved.status_code == 200, saved.content

    refused = _patch(second, url, {"venue": "Niš", "capacity": 12}, etag)
    assert refused.status_code == 412
    changed = {c["field"]: c for c in refused.json()["changed"]}
    assert changed["venue"]["value"] == "Novi Sad"
    assert changed["venue"]["changed_by"] == "Sam Secretariat"
    course.refresh_from_db()
    assert (course.venue, course.capacity) == ("Novi Sad", 20)

    assert _patch(second, url, {"capacity": 12}, saved["ETag"]).status_code == 200
    assert Course.objects.get(pk=course.pk).capacity == 12


def test_a_stale_if_match_on_a_module_gets_412(module, centre_staff, secretariat):
    first, second = _two(centre_staff, secretariat)
    url = f"{MODULES}{module.pk}/"
    etag = first.get(url)["ETag"]
    assert _patch(first, url, {"title": "Migration law, revised"}, etag).status_code == 200
    assert _patch(second, url, {"title": "Mine"}, etag).status_code == 412
    assert Module.objects.get(pk=module.pk).title == "Migration law, revised"


def test_the_course_page_refuses_a_save_over_a_newer_change(course, centre_staff, secretariat):
    first, second = _two(centre_staff, secretariat)
    url = reverse("training:course_edit", args=[course.pk])
    opened = second.get(url)
    assert (
        first.patch(
            f"{COURSES}{course.pk}/", {"venue": "Novi Sad"}, content_type="application/json"
        ).status_code
        == 200
    )

    form = opened.context["form"]
    data = {}
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        if hasattr(value, "all"):
            value = [obj.pk for obj in value.all()]
        elif isinstance(value, list):
            value = [getattr(v, "pk", v) for v in value]
        if value is not None:
            data[name] = value
    data["capacity"] = 25
    refused = second.post(url, data)
    assert refused.status_code == 200
    body = refused.content.decode()
    assert "Changed by someone else while you were editing" in body
    assert "Novi Sad" in body and "Sam Secretariat" in body
    course.refresh_from_db()
    assert (course.venue, course.capacity) == ("Novi Sad", 20)


def test_who_may_not_change_a_module_gets_403_not_the_others_changes(module, trainee, centre_staff):
    """The module viewset checks the right to change inside the save; a stale If-Match must not
    tell a trainee who changed what."""
    staff = Client()
    staff.force_login(centre_staff)
    url = f"{MODULES}{module.pk}/"
    stale = staff.get(url)["ETag"]
    assert _patch(staff, url, {"title": "Migration law, revised"}, stale).status_code == 200
    reader = Client()
    reader.force_login(trainee)
    refused = _patch(reader, url, {"title": "Mine"}, stale)
    assert refused.status_code == 403
    assert "changed" not in refused.json()
    assert Module.objects.get(pk=module.pk).title == "Migration law, revised"
