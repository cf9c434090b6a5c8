"""A network of coordination units (Moldova, Georgia, Serbia) exchanging requests, a unit of
another network (Ukraine), and the people of each side: the sending unit's officer and
supervisor (Chișinău), the receiving unit's (Tbilisi), an officer of a third unit of the same
network (Belgrade), an officer outside the network, and the network's secretariat."""

import pytest

from liaison.core.models import Role
from liaison.directory.models import (
    Network,
    NetworkAffiliation,
    NetworkKind,
    NetworkRole,
    OrganisationRole,
    OrganisationType,
    Person,
)
from liaison.exchange import services
from liaison.exchange.models import (
    ExchangeNetwork,
    HandlingCode,
    Unit,
    UnitRole,
    UnitRoleKind,
    Urgency,
)
from tests.conftest import make_affiliated, make_organisation, make_user


def make_unit(exchange, code, name, country, zone):
    organisation = make_organisation(name, code, OrganisationType.POLICE, country)
    return Unit.objects.create(
        exchange=exchange, organisation=organisation, code=code, timezone=zone
    )


def holder(username, unit, role=UnitRoleKind.OFFICER):
    user = make_affiliated(username, unit.organisation, OrganisationRole.OFFICER)
    user.email = f"{username}@example.org"
    user.save(update_fields=["email"])
    UnitRole.objects.create(unit=unit, user=user, role=role)
    return user


@pytest.fixture
def exchange(db, countries):
    network = Network.objects.create(
        name="Coordination units network", acronym="CUN", kind=NetworkKind.COORDINATION_UNITS
    )
    return ExchangeNetwork.objects.create(network=network)


@pytest.fixture
def units(exchange, countries):
    from liaison.directory.models import Country

    other = ExchangeNetwork.objects.create(
        network=Network.objects.create(name="Another network", acronym="AN")
    )
    ua = Country.objects.get(code="UA")
    return {
        "MD": make_unit(
            exchange, "MD-CU", "Coordination unit of Moldova", countries["MD"], "Europe/Chisinau"
        ),
        "GE": make_unit(
            exchange, "GE-CU", "Coordination unit of Georgia", countries["GE"], "Asia/Tbilisi"
        ),
        "RS": make_unit(
            exchange, "RS-CU", "Coordination unit of Serbia", countries["RS"], "Europe/Belgrade"
        ),
        "UA": make_unit(other, "UA-CU", "Coordination unit of Ukraine", ua, "Europe/Kyiv"),
    }


@pytest.fixture
def people(units):
    secretariat = make_user("cun-sec", Role.PUBLIC)
    person = Person.objects.create(name="Net Secretariat", user=secretariat)
    NetworkAffiliation.objects.create(
        person=person, network=units["MD"].exchange.network, role=NetworkRole.SECRETARIAT
    )
    return {
        "md_officer": holder("md-officer", units["MD"]),
        "md_supervisor": holder("md-supervisor", units["MD"], UnitRoleKind.SUPERVISOR),
        "ge_officer": holder("ge-officer", units["GE"]),
        "ge_supervisor": holder("ge-supervisor", units["GE"], UnitRoleKind.SUPERVISOR),
        "rs_officer": holder("rs-officer", units["RS"]),
        "ua_officer": holder("ua-officer", units["UA"]),
        "secretariat": secretariat,
    }


PERSON = {
    "kind": "person",
    "names": "Ion Popescu",
    "born": "1985-04-12",
    "nationalities": ["MD"],
    "documents": "AB1234567",
}


def urgent_request(units, people, **values):
    """A sent urgent request from Chișinău to Tbilisi about a person with a passport, H2 B2."""
    fields = {
        "subject": "Smuggling route through the port",
        "kind": "information",
        "crime_area": "smuggling",
        "urgency": Urgency.URGENT_DIRECT,
        "narrative": "A group moves people by lorry; we ask for records of the driver.",
        "handling_code": HandlingCode.H2,
        "source_evaluation": "B",
        "information_evaluation": "2",
        **values,
    }
    request = services.draft(people["md_officer"], units["MD"], fields, [units["GE"]], [PERSON])
    return services.send(people["md_officer"], request)


@pytest.fixture
def sent(units, people):
    return urgent_request(units, people)
