import datetime

import pytest
from django.core.exceptions import ValidationError

from liaison.training.models import Accreditation, Module


def test_an_accredited_module_past_its_end_date_reads_as_expired(module):
    module.accreditation_expires_on = datetime.date(2026, 3, 1)
    assert module.accreditation_on(datetime.date(2026, 2, 28)) == Accreditation.ACCREDITED
    assert module.accreditation_on(datetime.date(2026, 3, 2)) == Accreditation.EXPIRED


def test_an_accredited_module_must_name_its_body_and_date(centre):
    module = Module(centre=centre, code="X-1", title="X", accreditation=Accreditation.ACCREDITED)
    with pytest.raises(ValidationError):
        module.full_clean()


def test_unknown_languages_and_delivery_modes_are_refused(module):
    module.languages = ["en", "klingon"]
    module.delivery_modes = ["telepathy"]
    with pytest.raises(ValidationError) as error:
        module.full_clean()
    assert set(error.value.message_dict) == {"languages", "delivery_modes"}


def test_the_course_fixture_has_three_sessions_and_a_trainer(course, enrolment):
    assert course.sessions.count() == 3
    assert course.trainers.get().person.user.username == "trainer"
    assert course.hours == 16
