"""Demo data of the exchange: the coordination-unit network of the seeds exchanging requests.

Seven units (Ukraine, Moldova, Georgia, North Macedonia, Serbia, Hungary, Romania), an officer
and a supervisor in each, whose second factor uses one fixed demo secret (``DEMO_TOTP_SECRET``,
named in the README) so that anyone trying the demo can add it to an authenticator app. The
requests of ``fixtures/demo.json`` stand at every step (a draft, received, assigned, an urgent
one answered within its 8 hours, an overdue one, a refusal with its ground, an H2 reply whose
passing on was permitted, a withdrawn one), and a seeded year of closed requests between the
units fills the statistics. Everything goes through the services, at the times it would have
happened; a rerun adds nothing. Names and facts are invented.
"""

import datetime
import json
import random
from pathlib import Path

from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.utils import timezone

from liaison.core.models import Role, User
from liaison.directory.models import Affiliation, Network, Organisation, OrganisationRole, Person
from liaison.portfolio.demo import DEMO_PASSWORD, ORGANISATIONS

from . import services
from .models import CrimeArea, ExchangeNetwork, RequestKind, Unit, UnitRole, UnitRoleKind, Urgency

DATA = Path(__file__).parent / "fixtures" / "demo.json"
# Base32, as authenticator apps read it; every demo exchange account uses it.
DEMO_TOTP_SECRET = "LIAISONEXCHANGEDEMOSECRETAAAAAAA"  # noqa: S105 (demo only, public)
HOUR = datetime.timedelta(hours=1)


def sign_in_help() -> str:
    return "\n".join(
        [
            "Cooperation requests (/exchange/, same password; second factor: add the secret",
            f"  {DEMO_TOTP_SECRET} to an authenticator app, or see the README):",
            "  md-cu-officer, md-cu-supervisor   ILECU Moldova (also ua-, ge-, mk-, rs-, hu-, ro-)",
        ]
    )


def data() -> dict:
    return json.loads(DATA.read_text(encoding="utf-8"))


def _account(username: str, name: str, organisation: Organisation) -> User:
    user = User.objects.filter(username=username).first()
    if user is None:
        first, _sep, last = name.partition(" ")
        user = User(
            username=username,
            first_name=first,
            last_name=last,
            email=f"{username}@example.org",
            role=Role.PUBLIC,
        )
        user.set_password(DEMO_PASSWORD)
        user.save()
        person = Person.objects.create(
            name=name,
            organisation=organisation,
            email=user.email,
            user=user,
            is_contact_point=False,
        )
        Affiliation.objects.create(
            person=person, organisation=organisation, role=OrganisationRole.OFFICER
        )
    if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        TOTP.activate(user, DEMO_TOTP_SECRET)
    return user


def _units(spec: dict, exchange: ExchangeNetwork) -> dict:
    units, people = {}, {}
    for key, code, zone, officer, supervisor in spec["units"]:
        organisation = Organisation.objects.filter(name=ORGANISATIONS[key].name).first()
        if organisation is None:
            continue
        unit = Unit.objects.create(
            exchange=exchange, organisation=organisation, code=code, timezone=zone
        )
        prefix = code.split("-")[0].lower()
        for role, name in ((UnitRoleKind.OFFICER, officer), (UnitRoleKind.SUPERVISOR, supervisor)):
            user = _account(f"{prefix}-cu-{role}", name, organisation)
            UnitRole.objects.create(unit=unit, user=user, role=role)
            people[(code, role)] = user
        units[code] = unit
    return units, people


def _codes(codes) -> dict:
    handling, source, information = codes
    return {
        "handling_code": handling,
        "source_evaluation": source,
        "information_evaluation": information,
        "handling_restriction": "",
    }


def _scenario(item: dict, units: dict, people: dict, now):
    sender = units.get(item["from"])
    recipients = [units[c] for c in item["to"] if c in units]
    if sender is None or not recipients:
        return None
    officer = people[(sender.code, UnitRoleKind.OFFICER)]
    at = now - item["hours_ago"] * HOUR
    values = {
        "subject": item["subject"],
        "kind": item["kind"],
        "crime_area": item["crime_area"],
        "urgency": item["urgency"],
        "narrative": item["narrative"],
        **_codes(item["codes"]),
    }
    request = services.draft(officer, sender, values, recipients, item["entities"], now=at)
    if item["outcome"] == "draft":
        return request
    services.send(officer, request, now=at)
    if item["outcome"] == "withdrawn":
        return services.withdraw(officer, request, now=at + 2 * HOUR)
    case = request.cases.select_related("unit").first()
    receiver = people[(case.unit.code, UnitRoleKind.OFFICER)]
    supervisor = people[(case.unit.code, UnitRoleKind.SUPERVISOR)]
    if item["outcome"] == "received":
        return request
    services.assign(supervisor, case, [receiver])
    if "reply" in item:
        reply = item["reply"]
        message = services.reply(
            receiver,
            case,
            reply["text"],
            _codes(reply["codes"]),
            now=at + reply["after_hours"] * HOUR,
        )
        if "grant_to" in item and item["grant_to"] in units:
            services.grant_forwarding(
                receiver, message, units[item["grant_to"]], "May go to Romania for the joint case."
            )
    if "refusal" in item:
        refusal = item["refusal"]
        services.refuse(
            receiver,
            case,
            refusal["ground"],
            refusal["text"],
            now=at + refusal["after_hours"] * HOUR,
        )
    return request


def _year(units: dict, people: dict, now, seed: int, count: int = 120) -> int:
    """Closed requests spread over the last year between random pairs of units: most answered
    in time, some late, some refused, for the statistics."""
    rng = random.Random(seed)
    codes = list(units)
    grounds = ["not_available", "investigation", "disproportionate", "competence"]
    made = 0
    for _index in range(count):
        sender_code, receiver_code = rng.sample(codes, 2)
        sender, receiver_unit = units[sender_code], units[receiver_code]
        urgency = rng.choices(
            [Urgency.URGENT_DIRECT, Urgency.URGENT, Urgency.NORMAL], weights=[1, 3, 8]
        )[0]
        at = now - datetime.timedelta(days=rng.uniform(20, 365))
        area = rng.choice(CrimeArea.values)
        officer = people[(sender_code, UnitRoleKind.OFFICER)]
        request = services.draft(
            officer,
            sender,
            {
                "subject": f"Request on {CrimeArea(area).label.lower()}",
                "kind": rng.choice(RequestKind.values),
                "crime_area": area,
                "urgency": urgency,
                "narrative": "Archived demo request.",
                **_codes(["H0", rng.choice("ABCX"), rng.choice("1234")]),
            },
            [receiver_unit],
            now=at,
        )
        services.send(officer, request, now=at)
        case = request.cases.get()
        receiver = people[(receiver_code, UnitRoleKind.OFFICER)]
        allowed = case.deadline - at
        late = rng.random() < 0.12
        after = allowed * (rng.uniform(1.05, 1.6) if late else rng.uniform(0.1, 0.9))
        if rng.random() < 0.1:
            services.refuse(
                receiver, case, rng.choice(grounds), "Archived refusal.", now=at + after
            )
        else:
            services.reply(
                receiver, case, "Archived answer.", _codes(["H0", "B", "2"]), now=at + after
            )
        services.close(officer, request, now=at + after + 2 * HOUR)
        made += 1
    return made


def load_demo_exchange(seed: int = 1) -> dict:
    """The network's exchange, its units, people and requests, once (empty on a rerun)."""
    spec = data()
    network = Network.objects.filter(acronym=spec["network"]).first()
    if network is None or ExchangeNetwork.objects.filter(network=network).exists():
        return {}
    exchange = ExchangeNetwork.objects.create(network=network)
    units, people = _units(spec, exchange)
    now = timezone.now()
    year = _year(units, people, now, seed)
    scenarios = [_scenario(item, units, people, now) for item in spec["requests"]]
    return {
        "exchange": exchange,
        "units": units,
        "people": people,
        "requests": [r for r in scenarios if r is not None],
        "archived": year,
    }
