"""Current level, gap and priority per area; before/after comparison and gap closure."""

import datetime
from decimal import Decimal

import pytest

from liaison.assessments import gaps
from liaison.assessments.models import AreaResult, Priority
from liaison.assessments.services import assessments as services
from liaison.assessments.services import templates as template_services

from .conftest import answer_levels, questions, start


def by_code(rows):
    return {row.area.code: row for row in rows}


def test_nothing_answered_has_no_level_and_no_gap(assessment):
    rows = by_code(gaps.area_rows(assessment))
    assert rows["exchange"].current is None
    assert rows["exchange"].gap is None
    assert rows["exchange"].target == Decimal(3)
    assert rows["exchange"].priority == ""
    assert (rows["exchange"].answered, rows["exchange"].total) == (0, 3)


def test_current_level_is_the_mean_of_answered_scale_questions(assessment, assessor):
    answer_levels(assessor, assessment, "exchange", [1, 2])
    answer_levels(assessor, assessment, "analysis", [4])
    rows = by_code(gaps.area_rows(assessment))
    assert rows["exchange"].current == Decimal("1.5")
    assert rows["exchange"].gap == Decimal("1.5")
    assert rows["exchange"].priority == Priority.MEDIUM
    assert rows["analysis"].current == Decimal("4.0")
    assert rows["analysis"].gap == Decimal("0")
    assert rows["analysis"].priority == Priority.LOW


def test_unanswered_and_non_scale_questions_do_not_move_the_level(assessment, assessor):
    first, _second, desk = questions(assessment.template, "exchange")
    area = first.area
    services.save_answers(
        assessor, assessment, area, {first.pk: {"level": 1}, desk.pk: {"yes": True}}
    )
    _level, analysts, tools = questions(assessment.template, "analysis")
    services.save_answers(
        assessor,
        assessment,
        analysts.area,
        {analysts.pk: {"number": "12"}, tools.pk: {"text": "A case database"}},
    )
    rows = by_code(gaps.area_rows(assessment))
    # One scale answer of 1: the unanswered one is not a zero, the yes/no does not count.
    assert rows["exchange"].current == Decimal("1.0")
    assert rows["exchange"].answered == 2
    assert rows["exchange"].scale_answered == 1
    assert rows["analysis"].current is None
    assert rows["analysis"].answered == 2


def test_mean_is_rounded_to_one_decimal(assessment, assessor, template):
    area = template.areas.get(code="exchange")
    third = area.questions.create(text="Third", kind="scale", levels=["a"] * 5, order=9)
    scale = [q for q in questions(template, "exchange") if q.kind == "scale"]
    services.save_answers(
        assessor,
        assessment,
        area,
        {q.pk: {"level": v} for q, v in zip(scale, [1, 1, 2], strict=True)},
    )
    assert third in scale
    assert by_code(gaps.area_rows(assessment))["exchange"].current == Decimal("1.3")


def test_team_target_and_priority_replace_the_defaults(assessment, assessor):
    answer_levels(assessor, assessment, "exchange", [1, 1])
    result = AreaResult.objects.get(assessment=assessment, area__code="exchange")
    services.set_area_result(
        assessor, assessment, result, {"target_level": Decimal("2.5"), "priority": "low"}
    )
    row = by_code(gaps.area_rows(assessment))["exchange"]
    assert row.target == Decimal("2.5")
    assert row.gap == Decimal("1.5")
    assert row.priority == Priority.LOW
    assert row.suggested_priority == Priority.MEDIUM


def test_gap_is_never_negative(assessment, assessor):
    result = AreaResult.objects.get(assessment=assessment, area__code="exchange")
    services.set_area_result(assessor, assessment, result, {"target_level": Decimal(1)})
    answer_levels(assessor, assessment, "exchange", [3, 4])
    assert by_code(gaps.area_rows(assessment))["exchange"].gap == Decimal(0)


def test_a_target_above_the_scale_is_refused(assessment, assessor):
    result = AreaResult.objects.get(assessment=assessment, area__code="exchange")
    with pytest.raises(services.AssessmentError, match="between 0 and 4"):
        services.set_area_result(assessor, assessment, result, {"target_level": Decimal(5)})
    result.refresh_from_db()
    assert result.target_level == Decimal(3)


def test_results_of_many_assessments_take_a_fixed_number_of_queries(
    assessment, secretariat, template, unit, assessor, django_assert_num_queries
):
    others = [
        start(secretariat, template, unit, assessor, on=datetime.date(2024, 1, n))
        for n in range(1, 6)
    ]
    for other in others:
        answer_levels(assessor, other, "exchange", [2, 3])
    with django_assert_num_queries(4):
        rows = gaps.results_for([assessment, *others])
    assert by_code(rows[others[0].pk])["exchange"].current == Decimal("2.5")


@pytest.fixture
def before_after(secretariat, template, unit, assessor):
    """Before: exchange at 1 (target 3, gap 2), analysis at 2 (target 4, gap 2).
    After, on version 2 of the template with the areas reordered and retitled: exchange at 2
    (gap 1), analysis at 4 (gap 0), and a new area."""
    before = start(secretariat, template, unit, assessor, on=datetime.date(2024, 2, 1))
    answer_levels(assessor, before, "exchange", [1, 1])
    answer_levels(assessor, before, "analysis", [2])
    template_services.retire(secretariat, template)
    version2 = template_services.new_version(secretariat, template, "Analysis first.")
    analysis = version2.areas.get(code="analysis")
    template_services.move(secretariat, analysis, up=True)
    template_services.save_area(secretariat, analysis, {"title": "Criminal analysis"})
    extra = template_services.save_area(
        secretariat, version2.areas.model(template=version2), {"code": "new", "title": "New"}
    )
    template_services.save_question(
        secretariat,
        extra.questions.model(area=extra),
        {"text": "New?", "kind": "scale", "levels": ["a", "b", "c", "d", "e"]},
    )
    version2 = template_services.publish(secretariat, version2)
    after = start(secretariat, version2, unit, assessor, on=datetime.date(2025, 6, 1))
    answer_levels(assessor, after, "exchange", [2, 2])
    answer_levels(assessor, after, "analysis", [4])
    return before, after


def test_compare_matches_areas_by_code_across_versions(before_after):
    before, after = before_after
    areas = {a.code: a for a in gaps.compare(before, after)}
    assert list(areas) == ["analysis", "exchange", "new"]
    assert areas["analysis"].title == "Criminal analysis"
    assert (areas["analysis"].before_level, areas["analysis"].after_level) == (
        Decimal("2.0"),
        Decimal("4.0"),
    )
    assert areas["analysis"].change == Decimal("2.0")
    assert (areas["exchange"].before_gap, areas["exchange"].after_gap) == (Decimal(2), Decimal(1))
    assert areas["new"].before is None and areas["new"].change is None


def test_gap_closure_sums_over_matched_areas(before_after):
    before, after = before_after
    # Gaps before: 2 + 2 = 4; closed: (2 - 1) + (2 - 0) = 3.
    assert gaps.gap_closure(before, after) == Decimal("75.0")


def test_gap_closure_is_negative_when_gaps_widen(before_after):
    before, after = before_after
    # Taken the wrong way round, the gaps found (1 + 0) widened by 1 + 2.
    assert gaps.gap_closure(after, before) == Decimal("-300.0")


def test_gap_closure_is_none_without_a_known_gap(before_after, secretariat, unit, assessor):
    before, after = before_after
    unanswered = start(secretariat, after.template, unit, assessor, on=datetime.date(2025, 9, 1))
    assert gaps.gap_closure(before, unanswered) is None


def test_gap_closure_refuses_two_institutions(before_after, organisation):
    before, after = before_after
    after.institution = organisation
    with pytest.raises(ValueError):
        gaps.gap_closure(before, after)
