"""Packages as authoring tools write them play to the end in Chromium, from the content origin:
inline scripts and handlers run, the last commit sent from an unload handler lands, several SCOs
are gone through from the table of contents, SCORM 2004 sequencing moves on by itself; and a
package's script cannot act as the learner on Liaison."""

import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from playwright.sync_api import expect

from liaison.training.models import LessonProgress, PartKind, ScormAttempt, ScormTracking
from liaison.training.services import content as services
from tests.browser.test_journeys import sign_in
from tests.browser.test_training_content import lesson_with_package  # noqa: F401
from tests.training import packages

pytestmark = pytest.mark.browser


@pytest.fixture(autouse=True)
def _quiet(page):
    """Leave the player and let its last commit land before the database is emptied: a
    commit still running when PostgreSQL truncates the tables deadlocks the two."""
    yield
    page.goto("about:blank")
    time.sleep(1.5)


def add_package(lesson, data, title):
    staff = lesson.module.centre.staff.order_by("pk").first()
    return services.save_part(
        staff,
        lesson,
        None,
        {"kind": PartKind.SCORM, "title": title},
        package_upload=SimpleUploadedFile(f"{title}.zip", data),
    )


def settled(page, lesson, part, words):
    """The learner's attempt once the lesson page shows ``words`` as its status: the last
    commit travels by beacon after the package's page is gone. Asked through the server, so
    that the test never reads the database while the server writes it."""
    deadline = time.time() + 15
    status = page.locator(f"#part-{part.pk}").get_by_test_id("scorm-status")
    while True:
        page.goto(lesson.get_absolute_url())
        if (status.count() and words in status.inner_text()) or time.time() > deadline:
            break
        time.sleep(0.5)
    return ScormAttempt.objects.get(package=part.scorm)


def open_part(page, live_server, trainee, part):
    sign_in(page, trainee.username)
    page.goto(f"{live_server.url}/training/parts/{part.pk}/scorm/")
    player = page.frame_locator("#scorm-player")
    return player, player.frame_locator("#scorm-frame")


def test_inline_scripts_play_and_the_commit_from_unload_lands(
    page,
    live_server,
    lesson_with_package,  # noqa: F811
):
    trainee, lesson, _part = lesson_with_package
    part = add_package(lesson, packages.inline_12(), "Checkpoint briefing")
    player, content = open_part(page, live_server, trainee, part)
    expect(content.locator("#credit")).to_have_text("credit")
    expect(content.locator("#launch")).to_have_text("lane=3")
    expect(content.locator("#mastery")).to_have_text("70")
    expect(player.locator("#scorm-state")).not_to_have_attribute("data-state", "loading")
    time.sleep(1.2)  # a measurable session
    content.get_by_role("button", name="Answer the question").click()
    expect(content.locator("#said")).to_have_text("Answer recorded")
    # The learner leaves; the package finishes from its own unload handler.
    attempt = settled(page, lesson, part, "passed")
    assert attempt.success_status == "passed"
    assert attempt.score_raw == 80 and attempt.score_max == 100
    assert attempt.total_seconds >= 1
    tracking = ScormTracking.objects.get(attempt=attempt)
    assert tracking.cmi["suspend_data"] == "slide=12"
    assert tracking.sessions == 1
    assert LessonProgress.objects.filter(user=trainee, part=part).exists()
    page.reload()
    done = page.locator(f"#part-{part.pk}")
    expect(done.get_by_test_id("scorm-score")).to_have_text("80 / 100")


def test_a_package_script_cannot_act_as_the_learner(
    page,
    live_server,
    lesson_with_package,  # noqa: F811
):
    trainee, lesson, _part = lesson_with_package
    reading = lesson.parts.get(kind=PartKind.PAGE)
    data = packages.inline_12(target=live_server.url, part=reading.pk)
    part = add_package(lesson, data, "Hostile")
    _player, content = open_part(page, live_server, trainee, part)
    probe = content.locator("#probe")
    expect(probe).to_have_attribute("data-top", "blocked")
    expect(probe).to_have_attribute("data-parentapi", "blocked")
    expect(probe).to_have_attribute("data-read", "blocked")
    expect(probe).to_have_attribute("data-api", "blocked")
    expect(probe).to_have_attribute("data-form", "sent")
    time.sleep(1)
    # The form reached Liaison without the learner's session: nothing was marked done.
    assert not LessonProgress.objects.filter(user=trainee, part=reading).exists()
    page.errors.clear()  # the browser's refusals of the probe's requests, as they should be


def test_three_scos_are_gone_through_from_the_contents(
    page,
    live_server,
    lesson_with_package,  # noqa: F811
):
    trainee, lesson, _part = lesson_with_package
    part = add_package(lesson, packages.multi_12(), "Document checks")
    assert [item["title"] for item in part.scorm.items] == [
        "Basics",
        "Topic 1",
        "Topic 2",
        "Topic 3",
    ]
    player, content = open_part(page, live_server, trainee, part)
    contents = player.get_by_role("navigation", name="Contents of the package")
    expect(contents.get_by_role("button")).to_have_count(3)
    for n in (1, 2, 3):
        expect(content.get_by_role("heading", level=1)).to_have_text(f"Topic {n}")
        expect(content.locator("#who")).to_have_text("Tara Trainee")
        content.get_by_role("button", name=f"I have read topic {n}").click()
        expect(content.locator("#done")).to_have_text(f"Topic {n} done")
        if n < 3:
            player.get_by_role("button", name="Next").click()
    # Back to the first from the contents: it resumes as completed.
    contents.get_by_role("button", name="Topic 1").click()
    expect(content.get_by_role("heading", level=1)).to_have_text("Topic 1")
    expect(player.locator('[data-item="topic-3"]')).to_have_attribute("data-status", "completed")
    attempt = settled(page, lesson, part, "completed")
    assert attempt.completion_status == "completed"
    assert set(attempt.scos.values_list("sco", flat=True)) == {"topic-1", "topic-2", "topic-3"}
    assert attempt.total_seconds >= 6
    assert LessonProgress.objects.filter(user=trainee, part=part).exists()


def test_a_sequenced_2004_course_moves_on_by_its_rules(
    page,
    live_server,
    lesson_with_package,  # noqa: F811
):
    trainee, lesson, _part = lesson_with_package
    part = add_package(lesson, packages.sequenced_2004(), "Risk analysis")
    player, content = open_part(page, live_server, trainee, part)
    expect(content.get_by_role("heading", level=1)).to_have_text("Quiz")
    expect(content.locator("#credit")).to_have_text("credit")
    expect(content.locator("#data")).to_have_text("1/0")
    content.get_by_role("button", name="Submit the quiz").click()
    # The SCO asked for the next activity; sequencing delivers the summary.
    expect(content.get_by_role("heading", level=1)).to_have_text("Summary")
    content.get_by_role("button", name="Finish the course").click()
    expect(player.locator("#scorm-state")).to_have_attribute("data-state", "ended")
    attempt = settled(page, lesson, part, "passed")
    assert attempt.completion_status == "completed"
    assert attempt.success_status == "passed"
    assert attempt.total_seconds >= 5
    quiz = ScormTracking.objects.get(attempt=attempt, sco="quiz")
    assert (quiz.score_raw, quiz.score_min, quiz.score_max) == (9, 0, 10)
    assert attempt.sequencing_state
    # Back in the course later: its state comes back, and the quiz, passed, is skipped by its
    # pre-condition rule, so the course starts at the summary.
    page.goto(f"/training/parts/{part.pk}/scorm/")
    content = page.frame_locator("#scorm-player").frame_locator("#scorm-frame")
    expect(content.get_by_role("heading", level=1)).to_have_text("Summary")
