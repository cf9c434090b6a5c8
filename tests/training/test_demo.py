"""``liaison demo`` builds the training centre: ten modules in every accreditation state, the
demo SCORM package, and courses with nominated, attending and certified trainees."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from liaison.training.models import (
    Accreditation,
    Certificate,
    Course,
    CourseStatus,
    EnrolmentStatus,
    Module,
    ScormPackage,
    SessionAttendance,
    TrainingCentre,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def run() -> str:
    out = StringIO()
    call_command("demo", "--projects", "0", stdout=out)
    return out.getvalue()


def test_the_demo_holds_the_curriculum_and_its_courses():
    output = run()
    assert "Training modules: 10 new" in output
    assert "trainee" in output and "focal" in output
    centre = TrainingCentre.objects.get()
    assert centre.modules.count() == 10
    states = set(Module.objects.values_list("accreditation", flat=True))
    assert states == {Accreditation.DRAFT, Accreditation.SUBMITTED, Accreditation.ACCREDITED}
    today = timezone.localdate()
    expired = [m.code for m in Module.objects.all() if m.accreditation_on(today) == "expired"]
    assert expired == ["MIG-09"]
    package = ScormPackage.objects.get()
    assert package.version == "1.2" and package.launch
    finished = Course.objects.get(status=CourseStatus.FINISHED)
    assert Certificate.objects.filter(enrolment__course=finished).count() >= 5
    assert SessionAttendance.objects.filter(session__course=finished, present=False).exists()
    assert finished.enrolments.filter(outcome="not_completed").exists()
    open_course = Course.objects.get(status=CourseStatus.NOMINATIONS)
    assert open_course.enrolments.filter(status=EnrolmentStatus.NOMINATED).exists()
    trainee = Certificate.objects.get(enrolment__person__user__username="trainee")
    assert trainee.holder_name == "Jovan Trainee"


def test_a_second_run_adds_nothing():
    run()
    counts = (Module.objects.count(), Certificate.objects.count(), Course.objects.count())
    assert "Training modules: 0 new" in run()
    assert (Module.objects.count(), Certificate.objects.count(), Course.objects.count()) == counts
