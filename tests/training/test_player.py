"""The SCORM player's server side: the content origin kept apart from Liaison, the attempt's
token as the only credential, commits per SCO with their rollup, the manifest's items and
sequencing, and a package replaced without losing attempts."""

import json
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from liaison.training import manifest as manifests
from liaison.training.models import (
    LessonProgress,
    PartKind,
    ScormAttempt,
    ScormPackage,
    Statement,
)
from liaison.training.services import content as services
from liaison.training.services import player
from tests.training import packages

CONTENT = "content.testserver"


@pytest.fixture(autouse=True)
def origin(settings, media):
    settings.TRAINING_CONTENT_ORIGIN = f"http://{CONTENT}"
    settings.SITE_URL = "http://testserver"
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, CONTENT]


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def add(lesson, staff, data, title="Course"):
    return services.save_part(
        staff,
        lesson,
        None,
        {"kind": PartKind.SCORM, "title": title},
        package_upload=SimpleUploadedFile("p.zip", data),
    )


@pytest.fixture
def lesson(module, centre_staff):
    return services.save_lesson(centre_staff, module, None, {"title": "Lesson"})


@pytest.fixture
def multi(lesson, centre_staff):
    return add(lesson, centre_staff, packages.multi_12(), "Document checks")


def content_client():
    """The browser on the content origin: no Liaison cookie there."""
    return Client(HTTP_HOST=CONTENT)


def post(token, body):
    data = body if isinstance(body, bytes) else json.dumps(body).encode()
    return content_client().post(f"/play/{token}/commit/", data, content_type="text/plain")


def test_the_lesson_frames_the_player_from_the_content_origin(client, multi, trainee, enrolment):
    client.force_login(trainee)
    response = client.get(reverse("training:scorm_launch", args=[multi.pk]))
    assert response.status_code == 200
    frame = response.context["player_url"]
    assert frame.startswith(f"http://{CONTENT}/play/")
    assert f"frame-src http://{CONTENT}" in response["Content-Security-Policy"]
    token = frame.rsplit("/play/", 1)[1].strip("/")
    page = content_client().get(f"/play/{token}/")
    assert page.status_code == 200
    assert "frame-ancestors http://testserver" in page["Content-Security-Policy"]
    config = page.context["config"]
    assert [item["title"] for item in config["items"]] == [
        "Basics",
        "Topic 1",
        "Topic 2",
        "Topic 3",
    ]
    assert config["start"]["topic-1"]["core"]["credit"] == "credit"
    assert config["start"]["topic-1"]["core"]["student_id"] == str(trainee.pk)
    file = content_client().get(f"/play/{token}/files/topic1/index.html")
    assert file.status_code == 200
    policy = file["Content-Security-Policy"]
    assert "'unsafe-inline'" in policy and "connect-src 'self'" in policy


def test_a_commit_needs_only_the_token_and_rolls_up_the_scos(multi, trainee, enrolment):
    attempt, token = player.launch(trainee, multi)
    for n in (1, 2):
        cmi = {
            "core": {
                "lesson_status": "completed",
                "score": {"raw": "80"},
                "session_time": "00:00:05",
            }
        }
        assert (
            post(token, {"sco": f"topic-{n}", "cmi": cmi, "final": True}).json()["result"] == "true"
        )
    attempt.refresh_from_db()
    assert attempt.completion_status == "incomplete"  # topic 3 is still to do
    assert attempt.total_seconds == 10
    post(
        token,
        {"sco": "topic-3", "cmi": {"core": {"lesson_status": "passed", "score": {"raw": "50"}}}},
    )
    attempt.refresh_from_db()
    assert (attempt.completion_status, attempt.success_status) == ("completed", "unknown")
    assert attempt.completed_at is not None
    assert LessonProgress.objects.filter(part=multi, user=trainee).exists()
    completed = Statement.objects.get(verb__endswith="/completed")
    assert completed.data["context"]["registration"] == str(attempt.registration)
    assert completed.data["result"]["score"]["scaled"] == pytest.approx(0.7)


@pytest.mark.parametrize(
    "body",
    [
        b"{not json",
        b'"a string"',
        {"cmi": 3},
        b"\xff\xfe",
        b"[]",
        {"sco": ["x"], "cmi": {}},
        {"sco": "nowhere", "cmi": {}},
    ],
)
def test_a_bad_commit_gets_a_400_with_a_message_and_nothing_saved(multi, trainee, enrolment, body):
    attempt, token = player.launch(trainee, multi)
    response = post(token, body)
    assert response.status_code == 400
    assert response.json()["error"]
    assert not attempt.scos.exists()


def test_a_token_opens_its_own_attempt_only_and_expires(multi, trainee, enrolment):
    _attempt, token = player.launch(trainee, multi)
    assert post("forged-token", {"sco": "topic-1", "cmi": {}}).status_code == 403
    assert content_client().get("/play/forged-token/").status_code == 404
    # A new launch replaces the token: an old tab's player can no longer write.
    _same, newer = player.launch(trainee, multi)
    assert post(token, {"sco": "topic-1", "cmi": {}}).status_code == 403
    assert post(newer, {"sco": "topic-1", "cmi": {}}).status_code == 200
    ScormAttempt.objects.update(token_expires="2000-01-01T00:00:00Z")
    assert content_client().get(f"/play/{newer}/").status_code == 404


@pytest.mark.parametrize("path", ["../../../etc/passwd", "..%2F..%2Fsecret", "missing.html"])
def test_a_crafted_path_does_not_leave_the_package(multi, trainee, enrolment, path):
    _attempt, token = player.launch(trainee, multi)
    assert content_client().get(f"/play/{token}/files/{path}").status_code == 404


def test_the_content_origin_serves_content_only_and_liaison_never_serves_it(
    client, multi, trainee, enrolment
):
    _attempt, token = player.launch(trainee, multi)
    assert content_client().get("/training/").status_code == 404
    assert content_client().get("/accounts/login/").status_code == 404
    assert client.get(f"/play/{token}/").status_code == 404  # on Liaison's own origin
    signed_in = content_client()
    signed_in.cookies["sessionid"] = "anything"
    assert signed_in.get(f"/play/{token}/").status_code == 403


def test_without_a_content_origin_packages_do_not_play_on_a_public_host(
    client, settings, multi, trainee, enrolment
):
    settings.TRAINING_CONTENT_ORIGIN = ""
    client.force_login(trainee)
    response = client.get(reverse("training:scorm_launch", args=[multi.pk]))
    assert response.status_code == 503
    assert "LIAISON_CONTENT_ORIGIN" in response.content.decode()
    local = client.get(
        reverse("training:scorm_launch", args=[multi.pk]), HTTP_HOST="127.0.0.1:8000"
    )
    assert local.context["player_url"].startswith("http://localhost:8000/play/")


def test_outsiders_cannot_launch(client, multi, outsider):
    client.force_login(outsider)
    assert client.get(reverse("training:scorm_launch", args=[multi.pk])).status_code == 403


def test_a_new_version_keeps_the_attempts_made_on_the_old(
    client, lesson, centre_staff, multi, trainee, enrolment
):
    attempt, _token = player.launch(trainee, multi)
    old = multi.scorm
    services.save_part(
        centre_staff,
        lesson,
        multi,
        {"kind": PartKind.SCORM, "title": multi.title},
        package_upload=SimpleUploadedFile("v2.zip", packages.multi_12()),
    )
    multi.refresh_from_db()
    assert multi.scorm.number == 2 and multi.scorm.replaces == old
    assert ScormPackage.objects.filter(pk=old.pk).exists()
    attempt.refresh_from_db()
    assert attempt.package == old


def test_the_manifest_reads_items_without_a_default_organisation():
    manifest = manifests.parse(packages.zipped_manifest(packages.multi_12()))
    assert [i["id"] for i in manifest.scos] == ["topic-1", "topic-2", "topic-3"]
    assert manifest.items[0] == {
        "id": "part-a",
        "title": "Basics",
        "parent": "",
        "depth": 0,
        "launch": "",
        "sco": False,
        "visible": True,
    }
    assert manifest.items[1]["parent"] == "part-a" and manifest.items[1]["depth"] == 1


def test_sequencing_becomes_the_runtimes_activity_tree():
    manifest = manifests.parse(packages.zipped_manifest(packages.sequenced_2004()))
    assert (manifest.version, manifest.edition) == ("2004", "4th")
    tree = manifest.activity_tree
    assert tree["sequencingControls"]["flow"] is True
    assert tree["rollupRules"]["rules"][0]["consideration"] == "all"
    quiz = tree["children"][0]
    assert quiz["attemptLimit"] == 1
    assert quiz["sequencingRules"]["preConditionRules"][0] == {
        "action": "skip",
        "conditionCombination": "all",
        "conditions": [{"condition": "satisfied", "operator": "noOp"}],
    }
    assert quiz["primaryObjective"]["minNormalizedMeasure"] == 0.6
    assert quiz["sharedDataMaps"][0]["targetID"] == "risk.notes"
    assert manifest.scos[0]["mastery_score"] == "60.0"


def test_the_upload_tells_what_is_missing(lesson, centre_staff):
    data = packages.zipped(
        {
            "imsmanifest.xml": packages.zipped_manifest(packages.multi_12()).decode(),
            "topic1/index.html": "<p>1</p>",
        }
    )
    part = add(lesson, centre_staff, data)
    problems = " ".join(part.scorm.problems)
    assert "topic2/index.html" in problems and "topic3/index.html" in problems
    assert part.scorm.size > 0 and part.scorm.file_count == 2


def test_the_centre_sees_what_an_upload_holds_and_its_versions(
    client, lesson, centre_staff, trainee, enrolment
):
    client.force_login(centre_staff)
    broken = packages.zipped(
        {
            "imsmanifest.xml": packages.zipped_manifest(packages.multi_12()).decode(),
            "topic1/index.html": "<p>1</p>",
        }
    )
    response = client.post(
        reverse("training:part_add", args=[lesson.pk, PartKind.SCORM]),
        {"title": "Document checks", "package": SimpleUploadedFile("d.zip", broken)},
    )
    part = lesson.parts.get(kind=PartKind.SCORM)
    assert response["Location"] == reverse("training:scorm_package", args=[part.pk])
    page = client.get(response["Location"]).content.decode()
    assert "SCORM 1.2" in page
    assert "2 problems found" in page and "topic3/index.html" in page
    assert "topic2/index.html</code>" in page  # each item's launch page
    player.launch(trainee, part)
    client.post(
        reverse("training:part_edit", args=[part.pk]),
        {"title": "Document checks", "package": SimpleUploadedFile("d2.zip", packages.multi_12())},
    )
    page = client.get(reverse("training:scorm_package", args=[part.pk])).content.decode()
    assert "No problem found" in page
    versions = page.split('data-testid="package-versions"')[1]
    assert "2 (played now)" in versions and "<td>1</td>" in versions  # attempts kept on v1
    # Trainees and outsiders do not see it.
    client.force_login(trainee)
    assert client.get(reverse("training:scorm_package", args=[part.pk])).status_code == 403


def test_erasing_the_learner_blanks_their_name_in_the_runtime_data(
    secretariat, multi, trainee, enrolment
):
    from liaison.privacy import services as privacy

    attempt, token = player.launch(trainee, multi)
    name = trainee.get_full_name()
    cmi = {"core": {"student_name": name, "lesson_status": "completed"}}
    post(token, {"sco": "topic-1", "cmi": cmi})
    privacy.erase(secretariat, trainee.person)
    stored = json.dumps(list(attempt.scos.values_list("cmi", flat=True)))
    assert name not in stored and "completed" in stored
    statements = json.dumps(list(Statement.objects.values_list("data", flat=True)))
    assert name not in statements


def test_a_suspended_sco_resumes_where_it_left(multi, trainee, enrolment):
    attempt, token = player.launch(trainee, multi)
    cmi = {
        "core": {"lesson_status": "incomplete", "lesson_location": "page-4", "exit": "suspend"},
        "suspend_data": "answers=1,0,1",
        "interactions": {"0": {"id": "q1", "type": "choice", "result": "correct"}},
    }
    post(token, {"sco": "topic-2", "cmi": cmi, "final": True})
    attempt, _token = player.launch(trainee, multi)
    start = player.player_config(attempt)["start"]["topic-2"]
    assert start["core"]["entry"] == "resume"
    assert start["core"]["lesson_location"] == "page-4"
    assert start["suspend_data"] == "answers=1,0,1"
    assert player.player_config(attempt)["current"] == "topic-2"
    assert attempt.scos.get().cmi["interactions"]["0"]["id"] == "q1"
    fresh = player.player_config(attempt)["start"]["topic-1"]["core"]
    assert fresh["entry"] == "ab-initio" and fresh["lesson_status"] == "not attempted"


def test_a_2004_score_keeps_the_packages_own_bounds():
    summary = player.summary_of(
        "2004",
        {
            "completion_status": "completed",
            "success_status": "failed",
            "score": {"raw": "-2", "min": "-10", "max": "10"},
            "session_time": "PT1M30S",
        },
    )
    assert (summary["score_raw"], summary["score_min"], summary["score_max"]) == (-2, -10, 10)
    assert summary["score_scaled"] == Decimal("0.4000")
    assert summary["session"] == 90


def test_the_system_check_refuses_liaisons_own_origin_for_content(settings):
    from liaison.training.player import check_content_origin

    settings.TRAINING_CONTENT_ORIGIN = settings.SITE_URL
    assert [m.id for m in check_content_origin()] == ["training.E001"]
    settings.TRAINING_CONTENT_ORIGIN, settings.DEBUG = "", False
    assert [m.id for m in check_content_origin()] == ["training.W001"]
    settings.TRAINING_CONTENT_ORIGIN = "https://content.example.org"
    assert check_content_origin() == []


def test_a_learner_starts_a_new_attempt_once_the_last_is_finished(
    client, multi, trainee, enrolment
):
    client.force_login(trainee)
    url = reverse("training:scorm_launch", args=[multi.pk])
    client.post(url)  # nothing finished yet: the same attempt
    assert ScormAttempt.objects.get().number == 1
    attempt, token = player.launch(trainee, multi)
    for n in (1, 2, 3):
        post(token, {"sco": f"topic-{n}", "cmi": {"core": {"lesson_status": "completed"}}})
    assert "Start a new attempt" in client.get(url).content.decode()
    assert client.post(url).status_code == 302
    latest = ScormAttempt.objects.order_by("-number").first()
    assert latest.number == 2 and latest.completion_status == ""
    assert ScormAttempt.objects.get(number=1).completion_status == "completed"
    page = client.get(url)
    assert page.context["attempt"] == latest
    assert "attempt 2" in page.content.decode()
