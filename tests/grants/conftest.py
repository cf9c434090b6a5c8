"""A call of a facility with two lots and a rate for the Serbian dinar, organisations from an
EU Member State and from partner countries, and three accounts: the applicant (owner), the
contact person of a partner (member) and somebody of another consortium (outsider)."""

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from liaison.core.models import Role
from liaison.directory.models import OrganisationRole, OrganisationType, Region
from liaison.grants import services
from liaison.grants.models import Call, CostCategory, ExchangeRate, Lot
from liaison.portfolio.models import Facility, Instrument
from tests.conftest import make_affiliated, make_organisation, make_user

BELGRADE = ZoneInfo("Europe/Belgrade")


@pytest.fixture
def facility(db):
    return Facility.objects.create(name="Partnership Facility", acronym="PF")


@pytest.fixture
def call(db, countries, facility):
    call = Call.objects.create(
        facility=facility,
        reference="PF-2027-1",
        title="Borders and security",
        opens_at=datetime.datetime(2026, 1, 1, 9, 0, tzinfo=BELGRADE),
        closes_at=datetime.datetime(2030, 3, 31, 17, 0, tzinfo=BELGRADE),
        timezone="Europe/Belgrade",
        currency="EUR",
        indirect_rate=Decimal("7"),
        lead_regions=[Region.EU],
        partner_regions=[Region.EU, Region.WESTERN_BALKANS, Region.EASTERN_PARTNERSHIP],
        min_member_state_partners=1,
        min_partner_country_partners=1,
        published=True,
    )
    ExchangeRate.objects.create(call=call, currency="RSD", rate=Decimal("117.200000"))
    ExchangeRate.objects.create(call=call, currency="GEL", rate=Decimal("2.950000"))
    return call


@pytest.fixture
def lot(call):
    lot = Lot.objects.create(
        call=call,
        number=1,
        title="Border management",
        envelope=Decimal("2000000"),
        min_grant=Decimal("100000"),
        max_grant=Decimal("500000"),
        max_duration_months=24,
        min_co_financing_rate=Decimal("5"),
        max_co_financing_rate=Decimal("50"),
    )
    lot.instruments.set(Instrument.objects.filter(code="BMVI"))
    return lot


@pytest.fixture
def lead_org(countries):
    return make_organisation(
        "Border Police of Hungary", "BP-HU", OrganisationType.BORDER_GUARD, countries["HU"]
    )


@pytest.fixture
def partner_org(countries):
    return make_organisation(
        "Ministry of Interior of Serbia", "MUP-RS", OrganisationType.MINISTRY, countries["RS"]
    )


@pytest.fixture
def applicant(db, lead_org):
    return make_affiliated("applicant", lead_org, OrganisationRole.OFFICER, "Hanna Applicant")


@pytest.fixture
def partner_contact(db, partner_org):
    return make_affiliated("partner", partner_org, OrganisationRole.OFFICER, "Petar Partner")


@pytest.fixture
def outsider(db, countries):
    org = make_organisation("Police of Georgia", "POL-GE", OrganisationType.POLICE, countries["GE"])
    return make_affiliated("outsider", org, OrganisationRole.OFFICER, "Otar Outsider")


@pytest.fixture
def staff_viewer(db):
    return make_user("viewer", Role.STAFF_VIEWER)


@pytest.fixture
def application(applicant, call, lot, lead_org):
    return services.start_application(applicant, call, lot, lead_org, "Safer green border")


def complete(application, applicant, partner_org, partner_contact, countries):
    """Fill ``application`` so that it can be submitted: a two-partner consortium with a
    budget in EUR and in RSD, within the lot's limits, and a work plan of two activities."""
    from liaison.grants.models import Partner

    application = services.update_application(
        applicant,
        application,
        {
            "summary": "Joint patrols and training.",
            "objective": "Safer borders.",
            "expected_results": "Trained officers\nJoint patrols",
            "duration_months": 24,
            "risks": "Staff turnover.",
            "target_countries": [countries["RS"]],
        },
    )
    partner = services.add_partner(
        applicant, application, partner_org, contact=partner_contact.person, currency="RSD"
    )
    lead = Partner.objects.get(application=application, role="lead")
    services.set_budget_lines(
        applicant,
        lead,
        [
            {"category": CostCategory.STAFF, "year": 1, "amount": Decimal("100000")},
            {"category": CostCategory.TRAVEL, "year": 2, "amount": Decimal("50000")},
        ],
    )
    services.update_partner(applicant, lead, {"co_financing": Decimal("20000")})
    services.set_budget_lines(
        partner_contact,
        partner,
        [{"category": CostCategory.EQUIPMENT, "year": 1, "amount": Decimal("11720000")}],
    )
    services.set_work_plan(
        applicant,
        application,
        [
            {"number": 1, "title": "Training", "partner": lead, "start_month": 1, "end_month": 12},
            {
                "number": 2,
                "title": "Patrols",
                "partner": partner,
                "start_month": 6,
                "end_month": 24,
            },
        ],
    )
    return application
