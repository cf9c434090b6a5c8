"""Training plans: one institution or one network, needs and targets, and progress against
target counted from the plan's courses."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from liaison.core.models import AuditEntry
from liaison.directory.models import Membership, Network, Organisation, Person
from liaison.training.forms.plans import PlanForm
from liaison.training.models import (
    CourseStatus,
    Enrolment,
    EnrolmentStatus,
    Module,
    Outcome,
    PlanTarget,
    TrainingCentre,
    TrainingNeed,
    TrainingPlan,
)
from liaison.training.services import PermissionDenied, TrainingError
from liaison.training.services import plans as services
from tests.training.test_courses import make_course


@pytest.fixture
def plan(db, centre, organisation):
    return TrainingPlan.objects.create(
        centre=centre,
        title="Ministry training plan 2026–2027",
        organisation=organisation,
        starts_on=datetime.date(2026, 1, 1),
        ends_on=datetime.date(2027, 12, 31),
    )


@pytest.fixture
def police(db, countries):
    return Organisation.objects.create(name="Border Police of Georgia", country=countries["GE"])


def enrol(course, name, organisation, status=EnrolmentStatus.APPROVED, outcome=Outcome.IN_PROGRESS):
    person = Person.objects.create(name=name, organisation=organisation)
    return Enrolment.objects.create(
        course=course, person=person, organisation=organisation, status=status, outcome=outcome
    )


def test_a_plan_is_for_one_institution_or_one_network(centre, organisation):
    network = Network.objects.create(name="Academies of the region")
    both = TrainingPlan(
        centre=centre,
        title="Both",
        organisation=organisation,
        network=network,
        starts_on=datetime.date(2026, 1, 1),
        ends_on=datetime.date(2026, 12, 31),
    )
    with pytest.raises(ValidationError, match="one institution or for one network"):
        both.full_clean()
    form = PlanForm(
        {"title": "Neither", "starts_on": "2026-01-01", "ends_on": "2026-12-31"}, centre=centre
    )
    assert not form.is_valid()
    assert "one institution or for one network" in str(form.non_field_errors())
    form = PlanForm(
        {
            "title": "Backwards",
            "organisation": organisation.pk,
            "starts_on": "2026-12-01",
            "ends_on": "2026-01-01",
        },
        centre=centre,
    )
    assert not form.is_valid() and "ends_on" in form.errors


def test_staff_create_a_plan_and_add_needs_and_targets(
    client, centre, centre_staff, organisation, module
):
    client.force_login(centre_staff)
    response = client.post(
        reverse("training:plan_create") + f"?centre={centre.pk}",
        {
            "title": "Ministry plan",
            "organisation": organisation.pk,
            "starts_on": "2026-01-01",
            "ends_on": "2026-12-31",
        },
    )
    plan = TrainingPlan.objects.get(title="Ministry plan")
    assert response.status_code == 302 and response.url == plan.get_absolute_url()
    assert plan.centre == centre
    client.post(
        reverse("training:plan_part_create", args=[plan.pk, "needs"]),
        {"description": "Interviewing vulnerable persons", "priority": "high", "source": "Survey"},
    )
    client.post(
        reverse("training:plan_part_create", args=[plan.pk, "targets"]),
        {"module": module.pk, "organisation": organisation.pk, "trainees": "10"},
    )
    need = TrainingNeed.objects.get(plan=plan)
    target = PlanTarget.objects.get(plan=plan)
    assert need.priority == "high" and target.trainees == 10
    client.post(
        reverse("training:plan_part_edit", args=[plan.pk, "targets", target.pk]),
        {"module": module.pk, "organisation": organisation.pk, "trainees": "12"},
    )
    target.refresh_from_db()
    assert target.trainees == 12
    client.post(reverse("training:plan_part_delete", args=[plan.pk, "needs", need.pk]))
    assert not TrainingNeed.objects.exists()
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {
        "plan.created",
        "trainingneed.created",
        "plantarget.updated",
        "trainingneed.deleted",
    } <= actions


def test_a_target_is_for_the_plans_institution_and_a_module_the_centre_runs(
    plan, centre_staff, module, police, countries
):
    with pytest.raises(TrainingError, match="for that institution"):
        services.save_part(
            centre_staff, plan, PlanTarget(module=module, organisation=police, trainees=3)
        )
    other = Module.objects.create(
        centre=TrainingCentre.objects.create(name="Elsewhere", organisation=police),
        code="EL-1",
        title="Elsewhere",
    )
    with pytest.raises(TrainingError, match="may run"):
        services.save_part(
            centre_staff, plan, PlanTarget(module=other, organisation=plan.organisation, trainees=3)
        )
    assert not PlanTarget.objects.exists()


def test_a_network_plan_targets_its_members(centre, centre_staff, module, organisation, police):
    network = Network.objects.create(name="Ministries of the region")
    Membership.objects.create(network=network, organisation=organisation)
    plan = TrainingPlan.objects.create(
        centre=centre,
        title="Network plan",
        network=network,
        starts_on=datetime.date(2026, 1, 1),
        ends_on=datetime.date(2026, 12, 31),
    )
    services.save_part(
        centre_staff, plan, PlanTarget(module=module, organisation=organisation, trainees=5)
    )
    with pytest.raises(TrainingError, match="members of the network"):
        services.save_part(
            centre_staff, plan, PlanTarget(module=module, organisation=police, trainees=5)
        )


def test_progress_counts_completed_trainees_against_the_target(
    plan, centre, module, organisation, police, django_assert_num_queries
):
    second = Module.objects.create(centre=centre, code="RMT-02", title="Interviewing")
    target = PlanTarget.objects.create(
        plan=plan, module=module, organisation=organisation, trainees=4
    )
    empty = PlanTarget.objects.create(
        plan=plan, module=second, organisation=organisation, trainees=5
    )
    spring = make_course(centre, module, "Spring", status=CourseStatus.FINISHED, plan=plan)
    autumn = make_course(centre, module, "Autumn", status=CourseStatus.RUNNING, plan=plan)
    outside = make_course(centre, module, "Not in the plan", status=CourseStatus.FINISHED)
    completed = Outcome.COMPLETED
    enrol(spring, "Ana", organisation, outcome=completed)
    enrol(spring, "Boris", organisation, outcome=completed)
    enrol(spring, "Cveta", organisation, outcome=Outcome.NOT_COMPLETED)
    enrol(spring, "Dato", police, outcome=completed)  # another institution
    enrol(autumn, "Ema", organisation)  # approved, in progress
    enrol(autumn, "Filip", organisation, status=EnrolmentStatus.NOMINATED)  # not approved
    enrol(outside, "Goran", organisation, outcome=completed)  # course outside the plan
    with django_assert_num_queries(2):
        rows = services.progress(plan)
    by_target = {row["target"].pk: row for row in rows}
    row = by_target[target.pk]
    assert (row["completed"], row["in_progress"], row["approved"]) == (2, 1, 4)
    assert row["percent"] == 50
    assert (by_target[empty.pk]["completed"], by_target[empty.pk]["percent"]) == (0, 0)


def test_the_plan_page_shows_progress(client, plan, centre, module, organisation, centre_staff):
    target = PlanTarget.objects.create(
        plan=plan, module=module, organisation=organisation, trainees=4
    )
    course = make_course(centre, module, "Spring", status=CourseStatus.FINISHED, plan=plan)
    enrol(course, "Ana", organisation, outcome=Outcome.COMPLETED)
    client.force_login(centre_staff)
    text = client.get(plan.get_absolute_url()).content.decode()
    assert f'data-testid="target-{target.pk}"' in text
    assert '<progress max="100" value="25"' in text
    assert "Spring" in text


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("viewer", 200),
        ("centre_staff", 200),
        ("focal_point", 200),
        ("outsider", 404),
        ("trainee", 404),
    ],
)
def test_plans_are_seen_by_staff_the_centre_and_the_institutions_focal_point(
    client, plan, viewer, centre_staff, focal_point, outsider, trainee, who, status
):
    users = {
        "viewer": viewer,
        "centre_staff": centre_staff,
        "focal_point": focal_point,
        "outsider": outsider,
        "trainee": trainee,
    }
    client.force_login(users[who])
    assert client.get(plan.get_absolute_url()).status_code == status
    listed = [p.pk for p in client.get(reverse("training:plan_list")).context["page"]]
    assert (plan.pk in listed) is (status == 200)


def test_plans_are_not_public(client, plan):
    response = client.get(plan.get_absolute_url())
    assert response.status_code == 302 and "/accounts/login/" in response.url


def test_only_the_centre_edits_a_plan(client, plan, focal_point, viewer, module, organisation):
    for user in (focal_point, viewer):
        client.force_login(user)
        assert client.get(reverse("training:plan_edit", args=[plan.pk])).status_code == 403
        url = reverse("training:plan_part_create", args=[plan.pk, "targets"])
        response = client.post(
            url, {"module": module.pk, "organisation": organisation.pk, "trainees": 3}
        )
        assert response.status_code == 403
        with pytest.raises(PermissionDenied):
            services.save_plan(user, plan, {"title": "Hijacked"})
    plan.refresh_from_db()
    assert plan.title.startswith("Ministry") and not plan.targets.exists()


def test_the_plan_pages_open_for_staff(client, plan, centre, centre_staff, module, organisation):
    target = PlanTarget.objects.create(
        plan=plan, module=module, organisation=organisation, trainees=4
    )
    need = TrainingNeed.objects.create(plan=plan, description="Screening at airports")
    client.force_login(centre_staff)
    for url in (
        reverse("training:plan_list"),
        reverse("training:plan_create") + f"?centre={centre.pk}",
        reverse("training:plan_edit", args=[plan.pk]),
        reverse("training:plan_part_create", args=[plan.pk, "needs"]),
        reverse("training:plan_part_edit", args=[plan.pk, "needs", need.pk]),
        reverse("training:plan_part_edit", args=[plan.pk, "targets", target.pk]),
    ):
        assert client.get(url).status_code == 200, url
    assert (
        client.get(reverse("training:plan_part_create", args=[plan.pk, "other"])).status_code == 404
    )
