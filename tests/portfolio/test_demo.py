"""``liaison demo``: the real programmes, the demo accounts and the synthetic portfolio."""

import datetime
from collections import Counter, defaultdict
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count, F
from django.http import HttpRequest

from liaison.core.models import Role, User
from liaison.directory.models import (
    AgreementKind,
    Membership,
    Network,
    NetworkKind,
    Organisation,
    OrganisationType,
    Person,
)
from liaison.portfolio.demo import DEMO_PASSWORD
from liaison.portfolio.models import (
    Component,
    Facility,
    FundingLine,
    Participation,
    ParticipationRole,
    Project,
    Visibility,
)

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = StringIO()
    call_command("demo", *args, stdout=out)
    return out.getvalue()


def codes(project, relation) -> set[str]:
    return set(getattr(project, relation).values_list("code", flat=True))


def roles(project) -> set[tuple[str, str]]:
    return set(project.participations.values_list("organisation__name", "role"))


def table_sizes() -> dict[str, int]:
    models = (
        Project,
        Organisation,
        Participation,
        FundingLine,
        Component,
        Facility,
        Network,
        Membership,
        Person,
        User,
        Project.countries.through,
        Project.typologies.through,
        Project.managers.through,
    )
    return {model.__name__: model.objects.count() for model in models}


def synthetic_snapshot(seed: int, n: int = 50) -> list[tuple]:
    """Run the command in a savepoint that is rolled back, as if on a fresh database."""
    with transaction.atomic():
        run("--projects", str(n), "--seed", str(seed))
        rows = [
            (
                p.reference,
                p.title,
                p.acronym,
                p.total_budget,
                p.start,
                p.end,
                p.visibility,
                tuple(sorted(codes(p, "countries"))),
                tuple(sorted(roles(p))),
            )
            for p in Project.objects.filter(reference__startswith="SYN-").order_by("reference")
        ]
        transaction.set_rollback(True)
    return rows


def test_the_ilecu_project_has_its_budget_period_and_nominating_member_states():
    run()
    project = Project.objects.get(title__startswith="Further strengthening of International Law")
    assert project.total_budget == Decimal("454415.40")
    assert (project.start, project.end) == (datetime.date(2022, 1, 1), datetime.date(2023, 12, 31))
    assert codes(project, "countries") == {"GE", "HU", "MK", "MD", "RO", "RS", "UA"}
    assert codes(project, "themes") == {"police-cooperation", "border-management"}
    assert project.typology_count == 2 and project.is_hybrid
    assert list(project.funding_lines.values_list("instrument__code", flat=True)) == ["ISF-P"]
    assert {
        ("International Centre for Migration Policy Development", ParticipationRole.IMPLEMENTER),
        ("International Law Enforcement Cooperation Centre", ParticipationRole.NOMINATING),
        ("Romanian Police", ParticipationRole.NOMINATING),
    } <= roles(project)
    assert project.components.count() == 3
    assert project.facility.acronym == "MPF"
    assert project.facility.managed_by.acronym == "ICMPD"

    network = Network.objects.get(kind=NetworkKind.COORDINATION_UNITS)
    members = network.memberships.select_related("organisation")
    units = [m for m in members if m.organisation.type == OrganisationType.COORDINATION_UNIT]
    assert len(units) >= 5 and all(m.start for m in units)


def test_joining_for_safer_borders_has_its_reference_and_five_partners():
    run()
    project = Project.objects.get(reference="BGTR0100002")
    assert project.acronym == "Joining for Safer Borders"
    assert project.total_budget == Decimal("1730647.00")
    assert (project.start, project.end) == (datetime.date(2023, 11, 8), datetime.date(2025, 11, 7))
    assert project.participations.count() == 5
    lead = project.participations.get(role=ParticipationRole.LEAD).organisation
    assert lead.name == "Burgas Regional Directorate of the Ministry of Interior"
    assert lead.country.code == "BG"
    assert codes(project, "countries") == {"BG", "TR"}
    assert project.typology_count == 1
    assert project.funding_lines.get().instrument.code == "Interreg"
    assert project.facility.name.startswith("Interreg")


def test_the_training_institutions_project_and_network_rest_on_a_memorandum():
    run()
    project = Project.objects.get(title__contains="among EaP training institutions")
    assert project.total_budget == Decimal("116480.34")
    assert (project.start, project.end) == (datetime.date(2017, 9, 1), datetime.date(2018, 4, 30))
    assert project.funding_lines.get().instrument.code == "ISF-BV"
    assert codes(project, "countries") == {"BG", "HU", "PL", "SK", "AM", "BY", "GE", "MD"}
    assert codes(project, "typologies") == {"capacity", "policy-dialogue"}

    network = Network.objects.get(kind=NetworkKind.TRAINING_INSTITUTIONS)
    agreement = network.agreements.get()
    assert agreement.kind == AgreementKind.MOU and agreement.signatories == 10
    assert agreement.signed_on < datetime.date(2017, 1, 1)
    assert network.memberships.filter(role="member").count() == 10


def test_mirco_is_led_by_the_swedish_migration_agency():
    run()
    project = Project.objects.get(acronym="MIRCO")
    lead = project.participations.get(role=ParticipationRole.LEAD).organisation
    assert lead.name == "Swedish Migration Agency" and lead.country.code == "SE"
    assert (project.start, project.end) == (datetime.date(2024, 5, 15), datetime.date(2026, 5, 14))
    assert project.funding_lines.get().instrument.code == "AMIF"
    by_role = Counter(project.participations.values_list("role", flat=True))
    assert by_role[ParticipationRole.BENEFICIARY] == 4
    assert by_role[ParticipationRole.ASSOCIATED] == 3
    assert {"RS", "ME", "MK", "BA", "SE", "SI", "AT", "GR"} <= codes(project, "countries")
    assert Network.objects.filter(kind=NetworkKind.TRAINING_CENTRES).exists()


def test_exchange_event_projects_people_and_one_draft():
    run()
    for acronym in ("PROMETHEUS II", "RAPAK", "Coop4Int", "WAFIRA", "INSigHT"):
        assert Project.objects.filter(acronym=acronym, visibility=Visibility.PUBLIC).exists()
    assert codes(Project.objects.get(acronym="INSigHT"), "typologies") == {"action-research"}
    # Besides the grants demo's two awards, made draft projects by the award itself.
    drafts = Project.objects.filter(visibility=Visibility.DRAFT, application__isnull=True)
    assert drafts.count() == 1
    # Every demo address is invented; contact points also have a phone, trainees need none.
    assert all(p.email.endswith("@example.org") for p in Person.objects.exclude(email=""))
    people = Person.objects.filter(is_contact_point=True)
    assert people.count() >= 5
    assert all(p.email.endswith("@example.org") and p.phone for p in people)
    assert Person.objects.get(name="Jennifer Tangney").organisation.acronym == "ICMPD"


def test_every_seed_project_has_funding_adding_up_to_its_budget():
    run()
    for project in Project.objects.all():
        lines = project.funding_lines.all()
        assert sum(line.total for line in lines) == project.total_budget, project.title


def test_running_twice_creates_no_duplicates():
    run()
    first = table_sizes()
    run()
    assert table_sizes() == first


def test_demo_users_can_sign_in_with_their_roles(client):
    output = run()
    for username in ("secretariat", "manager", "viewer", DEMO_PASSWORD):
        assert username in output
    users = {u.username: u for u in User.objects.filter(username__in=["secretariat", "manager"])}
    assert users["secretariat"].role == Role.SECRETARIAT and users["secretariat"].is_staff
    assert User.objects.get(username="viewer").role == Role.STAFF_VIEWER
    managed = set(users["manager"].managed_projects.values_list("acronym", flat=True))
    assert managed == {"MIRCO", "Joining for Safer Borders"}
    for username in ("secretariat", "manager", "viewer"):
        assert client.login(request=HttpRequest(), username=username, password="liaison-demo")
    assert not client.login(request=HttpRequest(), username="manager", password="wrong")
    # Their addresses count as verified, so the sign-in page lets them in too.
    client.logout()
    response = client.post("/accounts/login/", {"login": "manager", "password": DEMO_PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/"


def test_an_existing_account_keeps_its_password():
    User.objects.create_user(username="viewer", password="a-real-password", role=Role.PUBLIC)
    run()
    viewer = User.objects.get(username="viewer")
    assert viewer.check_password("a-real-password") and viewer.role == Role.PUBLIC


def test_if_empty_does_nothing_once_projects_exist():
    run()
    before = table_sizes()
    output = run("--if-empty", "--projects", "5")
    assert "already" in output
    assert "How to sign in" in output, "make run tells how to sign in every time"
    assert table_sizes() == before


def test_a_negative_count_is_refused():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        run("--projects", "-3")
    assert not Project.objects.exists()


def test_if_empty_loads_into_an_empty_database():
    assert not Project.objects.exists()
    run("--if-empty")
    assert Project.objects.filter(reference="BGTR0100002").exists()


def test_the_same_seed_gives_the_same_portfolio_and_another_seed_a_different_one():
    first = synthetic_snapshot(7)
    assert len(first) == 50
    assert synthetic_snapshot(7) == first
    other = synthetic_snapshot(8)
    assert len(other) == 50
    assert [row[1:] for row in other] != [row[1:] for row in first]


def test_a_larger_count_extends_the_same_seed_and_reruns_skip_existing_references():
    small = synthetic_snapshot(7, n=10)
    run("--projects", "10", "--seed", "7")
    run("--projects", "25", "--seed", "7")
    synthetic = Project.objects.filter(reference__startswith="SYN-7-").order_by("reference")
    assert synthetic.count() == 25
    assert [(p.reference, p.title) for p in synthetic[:10]] == [(r[0], r[1]) for r in small]


def test_synthetic_projects_are_consistent():
    run("--projects", "120", "--seed", "11")
    synthetic = Project.objects.filter(reference__startswith="SYN-11-")
    assert synthetic.count() == 120

    totals = defaultdict(Decimal)
    eu = defaultdict(Decimal)
    for project_id, eu_part, co_part in FundingLine.objects.filter(
        project__in=synthetic
    ).values_list("project_id", "eu_contribution", "co_financing"):
        totals[project_id] += eu_part + co_part
        eu[project_id] += eu_part
    counts = synthetic.annotate(
        n_countries=Count("countries", distinct=True),
        n_themes=Count("themes", distinct=True),
        n_typologies=Count("typologies", distinct=True),
        n_lines=Count("funding_lines", distinct=True),
        n_components=Count("components", distinct=True),
    )
    for p in counts:
        assert totals[p.pk] == p.total_budget
        assert Decimal("0.79") < eu[p.pk] / p.total_budget < Decimal("0.91")
        assert Decimal("80000") <= p.total_budget <= Decimal("6000000")
        assert datetime.date(2015, 1, 1) <= p.start and p.end <= datetime.date(2029, 12, 31)
        assert 12 <= p.duration_months <= 48
        assert 1 <= p.n_countries <= 6
        assert 1 <= p.n_themes <= 3
        assert 1 <= p.n_typologies <= 2
        assert 1 <= p.n_lines <= 4
        assert 1 <= p.n_components <= 3
        leads = p.participations.filter(role=ParticipationRole.LEAD).count()
        others = p.participations.exclude(role=ParticipationRole.LEAD).count()
        assert leads == 1 and 1 <= others <= 5

    assert not synthetic.annotate(n=Count("typologies")).exclude(n=F("typology_count")).exists()
    assert synthetic.filter(typology_count=2).exists()
    assert synthetic.filter(visibility=Visibility.DRAFT).exists()
    assert synthetic.filter(visibility=Visibility.PUBLIC).count() > 90
