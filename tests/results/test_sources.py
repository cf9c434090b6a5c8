"""Indicators drawn from Liaison's own records fill themselves: people trained and certified,
events held and their participants, institutions assessed, equipment delivered and its value,
and gap closure, each broken down by the indicator's dimensions and counted per period."""

import datetime
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.utils import timezone

from liaison.assessments.models import (
    Answer,
    Area,
    AreaResult,
    Assessment,
    AssessmentStatus,
    Question,
    QuestionKind,
    Template,
)
from liaison.directory.models import Organisation, OrganisationType, Person
from liaison.equipment.models import Category, Item, ItemStatus
from liaison.events.models import Attendance, Event, Registration, RegistrationStatus
from liaison.results.models import Accumulation, Dimension, Source, Unit, Value
from liaison.results.services import ResultsError
from liaison.results.services.values import save_values
from liaison.results.sources import count, refresh
from liaison.training.models import (
    Certificate,
    Course,
    Enrolment,
    EnrolmentStatus,
    Outcome,
    TrainingCentre,
)

from .logframe_helpers import approve, make_indicator, make_logframe, make_periods

D = Decimal
pytestmark = pytest.mark.django_db
DAY = datetime.date


@pytest.fixture
def periods(project):
    return make_periods(project)  # 2022 H1, 2022 H2, 2023 H1


@pytest.fixture
def output(project):
    return make_logframe(project)["output"]


@pytest.fixture
def police(countries):
    return Organisation.objects.create(
        name="Border Police", type=OrganisationType.POLICE, country=countries["GE"]
    )


@pytest.fixture
def course(project, organisation):
    centre = TrainingCentre.objects.create(name="Centre", organisation=organisation)
    return Course.objects.create(
        centre=centre,
        title="Document security",
        starts_on=DAY(2022, 3, 1),
        ends_on=DAY(2022, 3, 3),
        project=project,
    )


def enrol(course, name, organisation, sex, completed_on=None, outcome=Outcome.COMPLETED):
    return Enrolment.objects.create(
        course=course,
        person=Person.objects.create(name=name, organisation=organisation),
        organisation=organisation,
        sex=sex,
        status=EnrolmentStatus.APPROVED,
        outcome=outcome,
        completed_on=completed_on,
    )


def test_people_trained_by_sex_and_country_per_period(
    output, periods, course, organisation, police, countries
):
    rs, ge = countries["RS"].pk, countries["GE"].pk
    enrol(course, "Ana", organisation, "female", DAY(2022, 3, 3))
    enrol(course, "Bora", organisation, "male", DAY(2022, 3, 3))
    enrol(course, "Cira", police, "female", DAY(2022, 3, 3))
    enrol(course, "Dara", police, "female", DAY(2022, 8, 1))  # second period
    enrol(course, "Ema", police, "", DAY(2022, 3, 3))  # sex not given
    enrol(course, "Fil", police, "male", None, Outcome.NOT_COMPLETED)  # does not count
    other = Course.objects.create(
        centre=course.centre,
        title="Other project",
        starts_on=DAY(2022, 3, 1),
        ends_on=DAY(2022, 3, 2),
    )
    enrol(other, "Gaia", police, "female", DAY(2022, 3, 2))  # not this project's course
    trained = make_indicator(
        output,
        source=Source.PEOPLE_TRAINED,
        disaggregations=[Dimension.SEX, Dimension.COUNTRY],
    )
    assert count(trained, periods[0]) == {
        ("female", rs, ""): (D(1), None),
        ("male", rs, ""): (D(1), None),
        ("female", ge, ""): (D(1), None),
        ("not_stated", ge, ""): (D(1), None),
    }
    assert count(trained, periods[1]) == {("female", ge, ""): (D(1), None)}

    assert refresh(trained) == 5
    values = Value.objects.filter(indicator=trained)
    assert all(v.derived for v in values)
    assert sum(v.value for v in values.filter(period=periods[0])) == 4
    # Nothing changed: a second refresh writes nothing.
    assert refresh(trained) == 0


def test_a_cumulative_source_counts_from_the_start(output, periods, course, organisation):
    enrol(course, "Ana", organisation, "female", DAY(2022, 3, 3))
    enrol(course, "Bora", organisation, "male", DAY(2022, 8, 1))
    running = make_indicator(
        output, source=Source.PEOPLE_TRAINED, accumulation=Accumulation.CUMULATIVE
    )
    assert count(running, periods[1]) == {("", None, ""): (D(2), None)}


def test_an_approved_period_keeps_what_was_approved(output, periods, course, organisation):
    trained = make_indicator(output, source=Source.PEOPLE_TRAINED)
    enrol(course, "Ana", organisation, "female", DAY(2022, 3, 3))
    refresh(trained)
    approve(periods[0])
    enrol(course, "Bora", organisation, "male", DAY(2022, 3, 3))  # recorded late
    refresh(trained)
    assert Value.objects.get(indicator=trained, period=periods[0]).value == D(1)


def test_certificates_count_unless_revoked(output, periods, course, organisation):
    for name, sex, revoked in [("Ana", "female", None), ("Bora", "male", timezone.now())]:
        enrolment = enrol(course, name, organisation, sex, DAY(2022, 3, 3))
        Certificate.objects.create(
            enrolment=enrolment,
            holder_name=name,
            course_title=course.title,
            issued_on=DAY(2022, 3, 4),
            revoked_at=revoked,
        )
    certified = make_indicator(
        output, source=Source.PEOPLE_CERTIFIED, disaggregations=[Dimension.SEX]
    )
    assert count(certified, periods[0]) == {("female", None, ""): (D(1), None)}


def test_events_held_by_country_and_participants_who_attended(
    project, output, periods, countries, police
):
    def event(title, day, country):
        start = timezone.make_aware(datetime.datetime(day.year, day.month, day.day, 9))
        made = Event.objects.create(
            title=title, start=start, end=start + datetime.timedelta(hours=8), country=country
        )
        made.projects.add(project)
        return made

    meeting = event("Meeting", DAY(2022, 2, 1), countries["RS"])
    event("Workshop", DAY(2022, 5, 1), countries["GE"])
    event("Later", DAY(2022, 9, 1), countries["GE"])
    held = make_indicator(output, "e", source=Source.EVENTS_HELD, disaggregations=["country"])
    assert count(held, periods[0]) == {
        ("", countries["RS"].pk, ""): (D(1), None),
        ("", countries["GE"].pk, ""): (D(1), None),
    }
    for sex, attended in [("female", True), ("female", True), ("male", False)]:
        registration = Registration.objects.create(
            event=meeting,
            status=RegistrationStatus.APPROVED,
            sex=sex,
            country=countries["GE"],
            institution_type=OrganisationType.POLICE,
        )
        if attended:
            Attendance.objects.create(registration=registration, day=DAY(2022, 2, 1))
    participants = make_indicator(
        output,
        "p",
        source=Source.EVENT_PARTICIPANTS,
        disaggregations=[Dimension.SEX, Dimension.INSTITUTION_TYPE],
    )
    assert count(participants, periods[0]) == {("female", None, "police"): (D(2), None)}


def test_equipment_delivered_and_its_value(
    project, output, periods, police, organisation, countries
):
    def item(institution, status, delivered_on, estimated, actual=None, quantity=1):
        return Item.objects.create(
            project=project,
            institution=institution,
            category=Category.IT,
            name="Laptops",
            quantity=quantity,
            estimated_cost=D(estimated),
            actual_cost=None if actual is None else D(actual),
            status=status,
            delivered_on=delivered_on,
        )

    item(police, ItemStatus.DELIVERED, DAY(2022, 4, 1), "1000", "900", quantity=3)
    item(police, ItemStatus.IN_USE, DAY(2022, 5, 1), "500")
    item(organisation, ItemStatus.DELIVERED, DAY(2022, 6, 1), "200", "250")
    item(organisation, ItemStatus.PROCURED, None, "9999")  # not delivered yet
    delivered = make_indicator(
        output, "d", source=Source.EQUIPMENT_DELIVERED, disaggregations=["country"]
    )
    value = make_indicator(
        output, "v", source=Source.EQUIPMENT_VALUE, disaggregations=["institution_type"]
    )
    assert count(delivered, periods[0]) == {
        ("", countries["GE"].pk, ""): (D(4), None),
        ("", countries["RS"].pk, ""): (D(1), None),
    }
    assert count(value, periods[0]) == {
        ("", None, "police"): (D(1400), None),  # actual 900 + estimated 500
        ("", None, "ministry"): (D(250), None),
    }


def test_institutions_equipped_fill_the_dashboard_card(
    client, project, output, periods, police, organisation, countries, secretariat
):
    """Regression (issue 13, item 20): "Institutions equipped" on the dashboard showed "–"
    although items were delivered, since no source counted institutions."""
    from liaison.results.demo import load_core_indicators

    for institution, quantity in ((police, 3), (police, 1), (organisation, 2)):
        Item.objects.create(
            project=project,
            institution=institution,
            category=Category.IT,
            name="Laptops",
            quantity=quantity,
            estimated_cost=D(100),
            status=ItemStatus.DELIVERED,
            delivered_on=DAY(2022, 4, 1),
        )
    core = load_core_indicators()["institutions-equipped"]
    equipped = make_indicator(
        output, "e", source=Source.INSTITUTIONS_EQUIPPED, disaggregations=["country"]
    )
    equipped.core = core
    equipped.save()
    assert count(equipped, periods[0]) == {
        ("", countries["GE"].pk, ""): (D(1), None),  # the police, once for its two items
        ("", countries["RS"].pk, ""): (D(1), None),
    }
    refresh(equipped)
    client.force_login(secretariat)
    response = client.get("/")
    totals = {total.core.code: total for total in response.context["core_totals"]}
    assert totals["institutions-equipped"].value == 2
    page = response.content.decode()
    assert '<span class="figure">2</span><span class="label">Institutions equipped' in page
    # A card no indicator feeds says so instead of a bare "–".
    assert "No indicator of these projects counts this yet." in page


def test_institutions_assessed_and_gap_closure(project, output, periods, police, countries):
    template = Template.objects.create(family="capacity", title="Capacity")
    areas = [
        Area.objects.create(template=template, code=f"a{i}", title=f"Area {i}") for i in (1, 2)
    ]
    questions = [
        Question.objects.create(area=a, text="Level?", kind=QuestionKind.SCALE) for a in areas
    ]

    def assess(on, levels):
        assessment = Assessment.objects.create(
            template=template,
            institution=police,
            project=project,
            assessed_on=on,
            status=AssessmentStatus.COMPLETED,
            completed_on=on,
        )
        for area, question, level in zip(areas, questions, levels, strict=True):
            AreaResult.objects.create(assessment=assessment, area=area, target_level=4)
            Answer.objects.create(assessment=assessment, question=question, level=level)
        return assessment

    assess(DAY(2022, 2, 1), [1, 2])  # gap 3 + 2 = 5
    assess(DAY(2022, 9, 1), [3, 3])  # gap 1 + 1 = 2: 3 of 5 closed
    assessed = make_indicator(
        output, "n", source=Source.INSTITUTIONS_ASSESSED, disaggregations=["country"]
    )
    assert count(assessed, periods[0]) == {("", countries["GE"].pk, ""): (D(1), None)}
    closure = make_indicator(
        output,
        "g",
        unit=Unit.PERCENTAGE,
        accumulation=Accumulation.LATEST,
        source=Source.GAP_CLOSURE,
        disaggregations=["institution_type"],
    )
    assert count(closure, periods[0]) == {}  # one assessment so far: nothing to compare
    assert count(closure, periods[1]) == {("", None, "police"): (D(3), D(5))}


def test_a_source_refuses_dimensions_its_records_lack(manager, output):
    from liaison.results.models import Indicator
    from liaison.results.services.logframe import save_indicator

    with pytest.raises(ResultsError, match="cannot be broken down by Sex"):
        save_indicator(
            manager,
            Indicator(),
            {
                "result": output,
                "code": "x",
                "name": "Events",
                "source": Source.EVENTS_HELD,
                "disaggregations": ["sex"],
            },
        )


def test_derived_indicators_refuse_typed_values(manager, output, periods):
    trained = make_indicator(output, source=Source.PEOPLE_TRAINED)
    with pytest.raises(ResultsError, match="not typed"):
        save_values(manager, trained, periods[0], {("", None, ""): (1, None)})


def test_the_command_refreshes_every_derived_indicator(output, periods, course, organisation):
    trained = make_indicator(output, source=Source.PEOPLE_TRAINED)
    enrol(course, "Ana", organisation, "female", DAY(2022, 3, 3))
    call_command("results_refresh")
    assert Value.objects.get(indicator=trained).value == D(1)


def test_refresh_takes_a_fixed_number_of_queries_per_period(
    output, periods, course, organisation, police, django_assert_max_num_queries
):
    trained = make_indicator(
        output, source=Source.PEOPLE_TRAINED, disaggregations=[Dimension.SEX, Dimension.COUNTRY]
    )
    for n in range(12):
        enrol(
            course,
            f"P{n}",
            [organisation, police][n % 2],
            ["female", "male"][n % 3 % 2],
            DAY(2022, 3, 3),
        )
    # Per period: count, stored cells, writes, audit; plus the periods and the grid.
    with django_assert_max_num_queries(3 + 6 * len(periods)):
        refresh(trained)


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_the_demo_logframe_counts_officials_trained_from_the_training_centre(media):
    from io import StringIO

    from liaison.portfolio.demo import SEED_PROJECTS, find_seed_project
    from liaison.results.demo import load_demo_results
    from liaison.results.models import CoreIndicator, Indicator, Result

    call_command("demo", "--projects", "0", stdout=StringIO())  # loads the logframe too
    assert load_demo_results() == 0  # and a second run adds nothing
    project = find_seed_project(SEED_PROJECTS["mirco"])
    assert Result.objects.filter(project=project, level="outcome").count() == 2
    assert {"officials-trained", "institutions-equipped", "cooperation-events"} <= set(
        CoreIndicator.objects.values_list("code", flat=True)
    )
    trained = Indicator.objects.get(project=project, source=Source.PEOPLE_TRAINED)
    assert trained.dimensions == ["sex", "country"]
    completed = Enrolment.objects.completed().filter(course__project=project)
    values = Value.objects.filter(indicator=trained)
    assert values and all(v.derived for v in values)
    assert sum(v.value for v in values) == completed.count() > 0
    women = completed.filter(sex="female").count()
    assert sum(v.value for v in values.filter(sex="female")) == women
    # Every course of the project falls in a period, and a second run adds nothing.
    periods = list(project.reporting_periods.order_by("starts_on"))
    for course in Course.objects.filter(project=project):
        assert periods[0].starts_on <= course.starts_on <= periods[-1].ends_on
    assert load_demo_results() == 0
    assert Result.objects.filter(project=project).count() == 6
    # The ILECU network's coordination units received equipment: the core indicator counts them.
    ilecu = find_seed_project(SEED_PROJECTS["ilecu"])
    equipped = Indicator.objects.get(project=ilecu, core__code="institutions-equipped")
    assert equipped.source == Source.INSTITUTIONS_EQUIPPED
    assert sum(v.value for v in Value.objects.filter(indicator=equipped)) > 0
