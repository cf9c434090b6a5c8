"""Lessons and their parts: editing by the centre, learning by trainees, files served only to
those who may learn, SCORM launch and commit."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from liaison.core.models import AuditEntry
from liaison.training.demo_scorm import build_demo_package
from liaison.training.models import (
    Lesson,
    LessonPart,
    LessonProgress,
    PartKind,
    ScormPackage,
    Statement,
)
from liaison.training.services import PermissionDenied
from liaison.training.services import content as services
from liaison.training.xapi import VERBS


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def lesson(module, centre_staff):
    return services.save_lesson(
        centre_staff, module, None, {"title": "Who is vulnerable?", "summary": "Signs to notice"}
    )


@pytest.fixture
def page(lesson, centre_staff):
    return services.save_part(
        centre_staff,
        lesson,
        None,
        {"kind": PartKind.PAGE, "title": "Signs", "body": "First paragraph.\n\nSecond one."},
    )


@pytest.fixture
def handout(lesson, centre_staff):
    upload = SimpleUploadedFile("handout.pdf", b"%PDF-1.4 handout", content_type="application/pdf")
    return services.save_part(
        centre_staff, lesson, None, {"kind": PartKind.FILE, "title": "Handout"}, upload=upload
    )


@pytest.fixture
def video(lesson, centre_staff):
    upload = SimpleUploadedFile("talk.mp4", b"0123456789" * 10, content_type="video/mp4")
    return services.save_part(
        centre_staff, lesson, None, {"kind": PartKind.VIDEO, "title": "Talk"}, upload=upload
    )


@pytest.fixture
def scorm_part(lesson, centre_staff):
    package = SimpleUploadedFile("check.zip", build_demo_package())
    return services.save_part(
        centre_staff,
        lesson,
        None,
        {"kind": PartKind.SCORM, "title": "Self-check"},
        package_upload=package,
    )


# Editing -----------------------------------------------------------------------------------


def test_the_centre_adds_lessons_in_order_and_moves_them(client, module, centre_staff):
    client.force_login(centre_staff)
    for title in ("Arrival", "Interview", "Referral"):
        response = client.post(
            reverse("training:lesson_add", args=[module.pk]), {"title": title, "summary": ""}
        )
        assert response.status_code == 302
    assert list(module.lessons.values_list("title", flat=True)) == [
        "Arrival",
        "Interview",
        "Referral",
    ]
    last = module.lessons.get(title="Referral")
    client.post(reverse("training:lesson_move", args=[last.pk]), {"direction": "up"})
    assert list(module.lessons.values_list("title", flat=True)) == [
        "Arrival",
        "Referral",
        "Interview",
    ]
    assert AuditEntry.objects.filter(action="lesson.created").count() == 3


def test_the_centre_adds_a_page_and_it_reads_as_paragraphs(client, lesson, centre_staff):
    client.force_login(centre_staff)
    response = client.post(
        reverse("training:part_add", args=[lesson.pk, "page"]),
        {"title": "Signs", "body": "Look at the child.\n\nAsk who travels with them.\nListen."},
    )
    assert response.status_code == 302
    page = client.get(lesson.get_absolute_url()).content.decode()
    assert "<p>Look at the child.</p>" in page
    assert "<p>Ask who travels with them.<br>Listen.</p>" in page


def test_parts_are_reordered(client, lesson, centre_staff, page, handout):
    client.force_login(centre_staff)
    client.post(reverse("training:part_move", args=[handout.pk]), {"direction": "up"})
    assert list(lesson.parts.values_list("title", flat=True)) == ["Handout", "Signs"]
    response = client.post(reverse("training:part_move", args=[handout.pk]), {"direction": "x"})
    assert response.status_code == 400


def test_trainees_and_outsiders_cannot_edit(client, module, lesson, page, trainee, enrolment):
    client.force_login(trainee)
    assert client.get(reverse("training:lesson_add", args=[module.pk])).status_code == 403
    assert client.post(reverse("training:lesson_edit", args=[lesson.pk]), {}).status_code == 403
    assert client.post(reverse("training:part_delete", args=[page.pk])).status_code == 403
    with pytest.raises(PermissionDenied):
        services.save_lesson(trainee, module, None, {"title": "Mine"})
    assert module.lessons.count() == 1


def test_an_empty_page_is_refused_with_a_message(client, lesson, centre_staff):
    client.force_login(centre_staff)
    response = client.post(reverse("training:part_add", args=[lesson.pk, "page"]), {"title": "x"})
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert not lesson.parts.exists()


def test_a_video_of_the_wrong_kind_or_too_big_is_refused(client, lesson, centre_staff, settings):
    client.force_login(centre_staff)
    url = reverse("training:part_add", args=[lesson.pk, "video"])
    response = client.post(
        url, {"title": "Talk", "upload": SimpleUploadedFile("talk.avi", b"x" * 10)}
    )
    assert "Files of type .avi are not accepted here; use .mp4, .webm." in response.content.decode()
    settings.TRAINING_VIDEO_MAX_BYTES = 5
    response = client.post(
        url, {"title": "Talk", "upload": SimpleUploadedFile("talk.mp4", b"x" * 10)}
    )
    assert "The file is 10\xa0bytes; the limit is 5\xa0bytes." in response.content.decode()
    response = client.post(url, {"title": "Talk"})
    assert "Choose the file to upload." in response.content.decode()
    assert not lesson.parts.exists()


def test_a_bad_scorm_package_gives_a_form_error(client, lesson, centre_staff, media):
    client.force_login(centre_staff)
    url = reverse("training:part_add", args=[lesson.pk, "scorm"])
    response = client.post(
        url, {"title": "Pkg", "package": SimpleUploadedFile("pkg.zip", b"not a zip")}
    )
    assert "The file is not a zip archive." in response.content.decode()
    response = client.post(url, {"title": "Pkg", "package": SimpleUploadedFile("pkg.rar", b"x")})
    assert "Files of type .rar are not accepted here" in response.content.decode()
    assert not lesson.parts.exists()
    assert not ScormPackage.objects.exists()


def test_the_centre_uploads_a_scorm_part_through_the_form(client, lesson, centre_staff, media):
    client.force_login(centre_staff)
    response = client.post(
        reverse("training:part_add", args=[lesson.pk, "scorm"]),
        {"title": "Self-check", "package": SimpleUploadedFile("c.zip", build_demo_package())},
    )
    assert response.status_code == 302
    part = lesson.parts.get()
    assert part.scorm.launch == "index.html"
    assert (media / part.scorm.folder / "index.html").exists()


def test_removing_a_scorm_part_removes_its_package_and_files(
    django_capture_on_commit_callbacks, lesson, centre_staff, scorm_part, media
):
    folder = media / scorm_part.scorm.folder
    assert folder.exists()
    with django_capture_on_commit_callbacks(execute=True):
        services.delete_part(centre_staff, scorm_part)
    assert not ScormPackage.objects.exists()
    assert not folder.exists()


def test_a_quiz_part_links_to_the_quiz_when_that_page_exists(client, lesson, centre_staff, module):
    from liaison.training.models import Quiz

    quiz = Quiz.objects.create(module=module, title="Final check")
    services.save_part(centre_staff, lesson, None, {"kind": "quiz", "title": "Quiz", "quiz": quiz})
    client.force_login(centre_staff)
    response = client.get(lesson.get_absolute_url())
    assert response.status_code == 200
    assert "Final check" in response.content.decode()


# Learning ----------------------------------------------------------------------------------


def test_a_non_learner_is_refused_the_lesson_and_its_files(
    client, lesson, page, handout, video, scorm_part, outsider, other_trainee
):
    for user in (outsider, other_trainee):  # other_trainee has no enrolment here
        client.force_login(user)
        assert client.get(lesson.get_absolute_url()).status_code == 403
        assert client.get(reverse("training:part_file", args=[handout.pk])).status_code == 403
        assert client.get(reverse("training:part_file", args=[video.pk])).status_code == 403
        assert client.post(reverse("training:part_done", args=[page.pk])).status_code == 403
        assert client.get(reverse("training:scorm_launch", args=[scorm_part.pk])).status_code == 403
    assert not LessonProgress.objects.exists()
    client.logout()
    assert client.get(lesson.get_absolute_url()).status_code == 302


def test_a_trainee_marks_a_page_done_once(client, lesson, page, trainee, enrolment, course):
    client.force_login(trainee)
    response = client.get(lesson.get_absolute_url())
    assert "Mark as done" in response.content.decode()
    client.post(reverse("training:part_done", args=[page.pk]))
    client.post(reverse("training:part_done", args=[page.pk]))
    assert LessonProgress.objects.filter(part=page, user=trainee).count() == 1
    statement = Statement.objects.get()
    assert statement.verb == VERBS["experienced"]
    assert statement.course == course and statement.module == lesson.module
    response = client.get(lesson.get_absolute_url())
    assert "Mark as done" not in response.content.decode()
    assert "1 of 1 part done" in response.content.decode()


def test_a_file_is_downloaded_through_the_view_and_counts_as_done(
    client, lesson, handout, trainee, enrolment
):
    client.force_login(trainee)
    response = client.get(reverse("training:part_file", args=[handout.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 handout"
    assert response["Content-Disposition"] == 'attachment; filename="handout.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert LessonProgress.objects.filter(part=handout, user=trainee).exists()
    assert Statement.objects.filter(verb=VERBS["experienced"]).count() == 1


def test_a_video_plays_inline_and_seeks(client, lesson, video, trainee, enrolment):
    client.force_login(trainee)
    page = client.get(lesson.get_absolute_url()).content.decode()
    url = reverse("training:part_file", args=[video.pk])
    assert f'<video class="lesson-video" controls preload="metadata" src="{url}"' in page
    response = client.get(url)
    assert response["Content-Type"] == "video/mp4"
    assert response["Content-Disposition"].startswith("inline")
    response = client.get(url, HTTP_RANGE="bytes=10-19")
    assert response.status_code == 206
    assert response["Content-Range"] == "bytes 10-19/100"
    assert response.content == b"0123456789"
    assert client.get(url, HTTP_RANGE="bytes=500-").status_code == 416
    assert not LessonProgress.objects.exists()


def test_lessons_for_counts_progress_in_two_queries(
    django_assert_max_num_queries, module, lesson, page, handout, trainee, centre_staff
):
    services.save_lesson(centre_staff, module, None, {"title": "Second"})
    services.save_lesson(centre_staff, module, None, {"title": "Third"})
    LessonProgress.objects.create(part=page, user=trainee)
    with django_assert_max_num_queries(2):
        lessons = services.lessons_for(trainee, module)
        counts = [(item.title, item.done_count, item.part_count) for item in lessons]
        [list(item.parts.all()) for item in lessons]
    assert counts == [("Who is vulnerable?", 1, 2), ("Second", 0, 0), ("Third", 0, 0)]


def test_the_module_lessons_page_shows_the_learners_progress(
    client, module, lesson, page, handout, trainee, enrolment
):
    LessonProgress.objects.create(part=page, user=trainee)
    client.force_login(trainee)
    response = client.get(reverse("training:lessons", args=[module.pk]))
    assert "1 of 2 parts done" in response.content.decode()
    assert "Add a lesson" not in response.content.decode()


# SCORM -------------------------------------------------------------------------------------


def test_deleting_a_lesson_removes_its_parts(lesson, page, centre_staff):
    services.delete_lesson(centre_staff, lesson)
    assert not Lesson.objects.exists() and not LessonPart.objects.exists()


def test_every_editing_form_opens_for_the_centre(
    client, module, lesson, page, handout, centre_staff
):
    client.force_login(centre_staff)
    urls = [
        reverse("training:lesson_add", args=[module.pk]),
        reverse("training:lesson_edit", args=[lesson.pk]),
        reverse("training:part_edit", args=[page.pk]),
        reverse("training:part_edit", args=[handout.pk]),
        reverse("training:lessons", args=[module.pk]),
        *(reverse("training:part_add", args=[lesson.pk, kind]) for kind in PartKind.values),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
    assert client.get(reverse("training:part_add", args=[lesson.pk, "slides"])).status_code == 404
    form = client.get(reverse("training:part_add", args=[lesson.pk, "video"])).content.decode()
    assert 'enctype="multipart/form-data"' in form
    assert 'accept=".mp4,.webm,video/mp4,video/webm"' in form


def test_a_new_package_replaces_the_old_one_and_its_files(
    django_capture_on_commit_callbacks, client, scorm_part, centre_staff, media
):
    old = scorm_part.scorm
    old_folder = media / old.folder
    client.force_login(centre_staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("training:part_edit", args=[scorm_part.pk]),
            {
                "title": "Self-check, new",
                "package": SimpleUploadedFile("n.zip", build_demo_package()),
            },
        )
    assert response.status_code == 302
    scorm_part.refresh_from_db()
    assert scorm_part.scorm_id != old.pk
    assert not ScormPackage.objects.filter(pk=old.pk).exists()
    assert not old_folder.exists()
    assert (media / scorm_part.scorm.folder / "index.html").exists()
    # Saving the title alone keeps the package.
    client.post(reverse("training:part_edit", args=[scorm_part.pk]), {"title": "Renamed"})
    scorm_part.refresh_from_db()
    assert scorm_part.title == "Renamed" and scorm_part.scorm.folder


def test_removing_a_file_part_removes_the_file(
    django_capture_on_commit_callbacks, handout, centre_staff, media
):
    path = media / handout.file.name
    assert path.exists()
    with django_capture_on_commit_callbacks(execute=True):
        services.delete_part(centre_staff, handout)
    assert not path.exists()
