"""Issue 13, item 4: module and course pages link the secretariat to their audit log."""

from django.urls import reverse

from tests.core.history import assert_history_for_secretariat_only


def test_module_and_course_pages_show_history_to_the_secretariat_only(
    client, secretariat, centre_staff, module, course
):
    assert_history_for_secretariat_only(
        client, module.get_absolute_url(), module, secretariat, centre_staff
    )
    assert_history_for_secretariat_only(
        client, reverse("training:course", args=[course.pk]), course, secretariat, centre_staff
    )
