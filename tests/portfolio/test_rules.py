"""The portfolio's own rules: derived status, hybrid typology, filters in the database."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from liaison.portfolio.models import Project, Status, status_for
from tests.conftest import make_project

TODAY = datetime.date(2026, 11, 21)


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (datetime.date(2027, 1, 1), datetime.date(2028, 1, 1), Status.PIPELINE),
        (datetime.date(2025, 1, 1), datetime.date(2027, 1, 1), Status.ONGOING),
        (datetime.date(2025, 1, 1), TODAY, Status.ONGOING),
        (TODAY, datetime.date(2027, 1, 1), Status.ONGOING),
        (datetime.date(2020, 1, 1), datetime.date(2021, 1, 1), Status.COMPLETED),
        (datetime.date(2020, 1, 1), None, Status.ONGOING),
        (None, None, Status.PIPELINE),
    ],
)
def test_status_follows_the_dates(start, end, expected):
    assert status_for(start, end, today=TODAY) == expected


@pytest.mark.parametrize(
    ("start", "end"),
    [
        (datetime.date(2027, 1, 1), datetime.date(2028, 1, 1)),
        (datetime.date(2025, 1, 1), datetime.date(2027, 1, 1)),
        (datetime.date(2020, 1, 1), datetime.date(2021, 1, 1)),
        (datetime.date(2020, 1, 1), None),
        (None, None),
        (None, datetime.date(2021, 1, 1)),
    ],
)
def test_database_status_filter_agrees_with_the_python_rule(db, start, end):
    project = make_project(start=start, end=end)
    expected = status_for(start, end)
    for status in Status.values:
        found = Project.objects.with_status(status).filter(pk=project.pk).exists()
        assert found == (status == expected), (status, expected)


def test_status_set_by_hand_wins_over_the_dates(db):
    project = make_project(
        start=datetime.date(2020, 1, 1),
        end=datetime.date(2021, 1, 1),
        status_override=Status.ONGOING,
    )
    assert project.status == Status.ONGOING
    assert list(Project.objects.with_status(Status.ONGOING)) == [project]
    assert not Project.objects.with_status(Status.COMPLETED).exists()


def test_one_approach_shows_as_itself_and_two_as_hybrid(db):
    single = make_project(typologies=["capacity"])
    double = make_project("Two ways", acronym="TWO", typologies=["capacity", "operational"])
    none = make_project("No approach", acronym="NONE", typologies=[])
    assert single.typology_label == "Capacity"
    assert not single.is_hybrid
    assert Project.objects.get(pk=double.pk).typology_label == "Hybrid"
    assert none.typology_label == ""
    assert set(Project.objects.with_typologies(["hybrid"])) == {double}
    assert set(Project.objects.with_typologies(["capacity"])) == {single, double}


def test_typology_count_follows_removals(db):
    project = make_project(typologies=["capacity", "operational"])
    project.typologies.remove(*project.typologies.filter(code="operational"))
    assert Project.objects.get(pk=project.pk).typology_count == 1
    project.typologies.clear()
    assert Project.objects.get(pk=project.pk).typology_count == 0


def test_end_before_start_is_refused(db):
    project = Project(
        title="Backwards", start=datetime.date(2024, 1, 1), end=datetime.date(2023, 1, 1)
    )
    with pytest.raises(ValidationError):
        project.full_clean()


def test_year_filter_keeps_projects_active_that_year(db):
    early = make_project(
        "Early", acronym="E", start=datetime.date(2017, 9, 1), end=datetime.date(2018, 4, 30)
    )
    late = make_project(
        "Late", acronym="L", start=datetime.date(2024, 5, 15), end=datetime.date(2026, 5, 14)
    )
    assert set(Project.objects.active_in_year(2018)) == {early}
    assert set(Project.objects.active_in_year(2025)) == {late}
    assert set(Project.objects.active_in_year(2018, 2025)) == {early, late}
    assert not Project.objects.active_in_year(2020).exists()


def test_text_search_matches_every_word_across_fields(db):
    make_project("Safer borders together", acronym="JSB", reference="BGTR0100002")
    make_project("Training centre", acronym="MIRCO", reference="MPF-1")
    assert Project.objects.search("bgtr0100002").get().acronym == "JSB"
    assert Project.objects.search("safer JSB").get().acronym == "JSB"
    assert not Project.objects.search("safer MIRCO").exists()


@pytest.mark.parametrize(
    ("start", "end", "months"),
    [
        (datetime.date(2024, 5, 15), datetime.date(2026, 5, 14), 24),
        (datetime.date(2022, 1, 1), datetime.date(2023, 12, 31), 24),
        (datetime.date(2024, 1, 15), datetime.date(2024, 2, 14), 1),
        (datetime.date(2024, 1, 15), datetime.date(2025, 1, 14), 12),
        (datetime.date(2017, 9, 1), datetime.date(2018, 4, 30), 8),
    ],
)
def test_duration_in_whole_months_counts_the_end_day(start, end, months):
    assert Project(start=start, end=end).duration_months == months


def test_deleting_or_clearing_a_typology_recounts_its_projects(db):
    from liaison.portfolio.models import Typology

    project = make_project(typologies=["capacity", "operational", "action-research"])
    Typology.objects.get(code="action-research").delete()
    assert Project.objects.get(pk=project.pk).typology_count == 2
    Typology.objects.get(code="operational").projects.clear()
    assert Project.objects.get(pk=project.pk).typology_count == 1
    assert not Project.objects.with_typologies(["hybrid"]).exists()
