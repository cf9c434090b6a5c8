"""Fixtures that build on each other: reference data, people with each role, and projects.

Every permission test has an owner (the manager of a project), a member of staff who may only
read, and an outsider (a public visitor or a manager of another project). For rights scoped to
an institution: ``institution_admin`` (owner), ``institution_member`` (member) of
``institution``, and ``other_admin`` / ``other_member`` of ``other_institution`` (outsiders).
"""

import datetime
import time
from decimal import Decimal

import pytest

from liaison.core.models import Role, User
from liaison.directory.countries import load_countries
from liaison.directory.models import (
    Affiliation,
    Country,
    Organisation,
    OrganisationRole,
    OrganisationType,
    Person,
)
from liaison.portfolio.models import (
    FundingLine,
    Instrument,
    Participation,
    ParticipationRole,
    Project,
    Theme,
    Typology,
    Visibility,
)
from liaison.portfolio.reference import load_reference

PASSWORD = "correct-horse-battery-staple"


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _second_factor_optional(settings):
    """Tests sign staff in directly; those of the second factor (tests/accounts) require it."""
    settings.MFA_REQUIRED_ROLES = []


def authenticator_code(secret: str, step: int = 0) -> str:
    """What a person's authenticator app shows now (``step=1``: in the next 30-second period,
    for a second sign-in within the same period, since a code is accepted only once)."""
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    return format_hotp_value(hotp_value(secret, int(time.time()) // 30 + step))


def make_user(username: str, role: str, **extra) -> User:
    return User.objects.create_user(username=username, password=PASSWORD, role=role, **extra)


@pytest.fixture
def secretariat(db):
    return make_user("sec", Role.SECRETARIAT, first_name="Sam", last_name="Secretariat")


@pytest.fixture
def manager(db):
    return make_user("pm", Role.PROJECT_MANAGER, first_name="Petra", last_name="Manager")


@pytest.fixture
def other_manager(db):
    return make_user("pm2", Role.PROJECT_MANAGER)


@pytest.fixture
def viewer(db):
    return make_user("viewer", Role.STAFF_VIEWER)


@pytest.fixture
def public_user(db):
    return make_user("public", Role.PUBLIC)


@pytest.fixture
def countries(db):
    # A transactional test (the browser tests) empties every table when it ends, the reference
    # data the migrations load included; the next test in that process loads it again.
    if not Country.objects.exists():
        load_countries(Country)
    if not Instrument.objects.exists():
        load_reference(Instrument, Theme, Typology)
    return {
        c.code: c for c in Country.objects.filter(code__in=["RS", "GE", "HU", "TR", "BG", "MD"])
    }


def make_organisation(name: str, acronym: str, type: str, country) -> Organisation:
    return Organisation.objects.create(name=name, acronym=acronym, type=type, country=country)


@pytest.fixture
def organisation(db, countries):
    return make_organisation(
        "Ministry of Interior", "MOI", OrganisationType.MINISTRY, countries["RS"]
    )


@pytest.fixture
def contact(db, organisation):
    return Person.objects.create(
        name="Ana Contact",
        position="Head of unit",
        organisation=organisation,
        email="ana.contact@example.org",
        phone="+381 11 000 0000",
    )


def make_project(
    title="Safer Borders",
    *,
    acronym="SAFE",
    visibility=Visibility.PUBLIC,
    start=datetime.date(2022, 1, 1),
    end=datetime.date(2023, 12, 31),
    budget=Decimal("454415.40"),
    countries=(),
    instrument="ISF-P",
    typologies=(),
    themes=(),
    organisations=(),
    managers=(),
    **extra,
) -> Project:
    project = Project.objects.create(
        title=title,
        acronym=acronym,
        visibility=visibility,
        start=start,
        end=end,
        total_budget=budget,
        **extra,
    )
    project.countries.set(countries)
    project.typologies.set(Typology.objects.filter(code__in=typologies))
    project.themes.set(Theme.objects.filter(code__in=themes))
    project.managers.set(managers)
    if instrument:
        FundingLine.objects.create(
            project=project,
            instrument=Instrument.objects.get(code=instrument),
            eu_contribution=budget or 0,
        )
    for organisation, role in organisations:
        Participation.objects.create(project=project, organisation=organisation, role=role)
    return project


@pytest.fixture
def project(db, countries, organisation, manager):
    return make_project(
        countries=[countries["RS"], countries["GE"]],
        typologies=["operational"],
        themes=["police-cooperation"],
        organisations=[(organisation, ParticipationRole.LEAD)],
        managers=[manager],
    )


@pytest.fixture
def draft_project(db, countries):
    return make_project(
        "Confidential pipeline idea",
        acronym="HUSH",
        visibility=Visibility.DRAFT,
        countries=[countries["TR"]],
        instrument="BMVI",
    )


# Scoped to an institution: two institutions, each with an administrator and a member. ---------


def make_affiliated(username: str, organisation, role: str, name: str = "") -> User:
    """A signed-in person of ``organisation`` holding ``role`` there (no platform-wide role)."""
    user = make_user(username, Role.PUBLIC)
    person = Person.objects.create(
        name=name or username.replace("-", " ").title(),
        organisation=organisation,
        email=f"{username}@example.org",
        phone="+000 000",
        user=user,
    )
    Affiliation.objects.create(person=person, organisation=organisation, role=role)
    return user


@pytest.fixture
def institution(db, countries):
    return make_organisation(
        "Border Police of Serbia", "BP-RS", OrganisationType.BORDER_GUARD, countries["RS"]
    )


@pytest.fixture
def other_institution(db, countries):
    return make_organisation(
        "Migration Service of Moldova",
        "MS-MD",
        OrganisationType.MIGRATION_AUTHORITY,
        countries["MD"],
    )


@pytest.fixture
def institution_admin(db, institution):
    return make_affiliated("inst-admin", institution, OrganisationRole.ADMINISTRATOR)


@pytest.fixture
def institution_member(db, institution):
    return make_affiliated("inst-member", institution, OrganisationRole.MEMBER)


@pytest.fixture
def other_admin(db, other_institution):
    return make_affiliated("other-admin", other_institution, OrganisationRole.ADMINISTRATOR)


@pytest.fixture
def other_member(db, other_institution):
    return make_affiliated("other-member", other_institution, OrganisationRole.MEMBER)
