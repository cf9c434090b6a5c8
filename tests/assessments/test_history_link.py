"""Issue 13, item 4: an assessment's page links the secretariat to its audit log."""

from tests.core.history import assert_history_for_secretariat_only


def test_assessment_page_shows_history_to_the_secretariat_only(
    client, secretariat, assessor, assessment
):
    assert_history_for_secretariat_only(
        client, assessment.get_absolute_url(), assessment, secretariat, assessor
    )
