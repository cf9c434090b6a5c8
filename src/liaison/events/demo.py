"""Demo events: the MPF exchange event of September 2023 and meetings of the ILECU network.

Facts come from the public records of the real programmes: the exchange event's two sessions,
its panel, the people who spoke and the online follow-up of 30 October; the ILECU project's
cross-regional meetings, gaps and needs workshop, study visits to Europol and Interpol and the
equipment for its partner units. Every description is written for this file. Where a fact was
not published (the exchange event's venue and exact day, where and when each network meeting
met, who chaired it, who registered) the value is a plausible stand-in, and the participants
are invented people with ``example.org`` addresses.

It runs after ``liaison.portfolio.demo`` (it needs the seed projects, organisations and the
ILECU network) from the ``demo`` command in ``liaison.web``, the layer that composes the apps;
``portfolio`` never imports ``events``. Registrations and attendance are written in bulk rather
than through ``services`` so the demo stays fast and sends no e-mail; the same seed gives the
same participants. An event whose title exists already is left alone, so reruns add nothing.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from liaison.core.models import Role, User
from liaison.directory.models import Country, Network, NetworkKind, Organisation, Person
from liaison.portfolio.demo import ORGANISATIONS, SEED_PROJECTS, find_seed_project
from liaison.portfolio.models import Theme

from .models import (
    Attendance,
    Decision,
    Event,
    EventType,
    FollowUpAction,
    KnowledgeItem,
    KnowledgeKind,
    Mode,
    Question,
    QuestionKind,
    Registration,
    RegistrationForm,
    RegistrationStatus,
    Session,
    SessionKind,
    Sex,
    Speaker,
    Stage,
    Talk,
)

D = datetime.date
# Kept five years so the demo's participant lists outlive the nightly erasure for a while.
RETENTION_DAYS = 5 * 365


@dataclass(frozen=True)
class SpeakerSpec:
    name: str
    position: str = ""
    organisation: str | None = None  # a key of portfolio.demo.ORGANISATIONS
    affiliation: str = ""
    country: str | None = None


@dataclass(frozen=True)
class TalkSpec:
    title: str
    speakers: tuple[str, ...] = ()
    abstract: str = ""


@dataclass(frozen=True)
class SessionSpec:
    title: str
    day: int  # 0 for the first day of the event
    start: str  # venue clock, "HH:MM"
    end: str
    kind: str = SessionKind.SESSION
    description: str = ""
    chair: str | None = None
    moderator: str | None = None
    panellists: tuple[str, ...] = ()
    talks: tuple[TalkSpec, ...] = ()


@dataclass(frozen=True)
class EventSpec:
    key: str
    title: str
    type: str
    first_day: datetime.date
    days: int
    start: str
    end: str
    timezone: str
    city: str
    country: str | None
    description: str
    venue: str = ""
    mode: str = Mode.IN_PERSON
    online_url: str = ""
    parent: str | None = None
    projects: tuple[str, ...] = ()  # keys of portfolio.demo.SEED_PROJECTS
    network: bool = False  # the ILECU network
    synopsis: str = ""
    speakers: tuple[SpeakerSpec, ...] = ()
    sessions: tuple[SessionSpec, ...] = ()
    capacity: int | None = None
    needs_approval: bool = True
    registrations: int = 0
    # Organisation keys that send participants, with a weight each.
    senders: tuple[tuple[str, int], ...] = ()
    attendance_by_session: bool = False
    upcoming: bool = False  # dated from today, so one event always takes registrations
    decisions: tuple[tuple[str, tuple[tuple[str, str, datetime.date | None], ...]], ...] = ()
    lessons: tuple[tuple[str, str, str, tuple[str, ...]], ...] = ()


# --------------------------------------------------------------------------------------------
# The MPF exchange event and its online follow-up
# --------------------------------------------------------------------------------------------

S = SpeakerSpec
EXCHANGE_SPEAKERS = (
    S("Pawel Busiakiewicz", "Head of Unit HOME A3", "dg_home"),
    S("Ralph Genetzke", "Director, ICMPD Brussels Mission", "icmpd"),
    S("Jean-Christophe Hilaire", "Police Commander, Chief of Bureau", "fr_moi"),
    S("William Huddleston", "RAPAK Project Manager", "icmpd"),
    S("Kaspars Fismeisters", "Senior Specialist, International Cooperation Board", "lv_sbg"),
    S("Borut Erzen", "Head of the Border Management and Security Programme", "icmpd"),
    S("Erik Silfversten", "Assistant Director", affiliation="RAND Europe"),
    S(
        "Vilim Lukas",
        "Department of Public and European Law",
        affiliation="University of Finance and Administration, Prague",
        country="CZ",
    ),
    S(
        "Silvia Carta",
        "Advocacy Officer, Migration Policy",
        affiliation="Platform for International Cooperation on Undocumented Migrants (PICUM)",
        country="BE",
    ),
    S("Richard Ares Baumgartner", "EU Affairs Strategic Advisor", "frontex"),
    S("Alexandra Sa-Carvalho", "Deputy Head of Unit HOME A3", "dg_home"),
    S("Jennifer Tangney", "MPF Senior Manager", "icmpd"),
    S("Donatas Škarnulis", "Head of Criminal Investigation Board", "lt_sbgs"),
    S("Ana Couteiro", "Coop4Int Project Manager", "pt_aima"),
    S("Oussama Elbaroudi", "WAFIRA Project Officer", affiliation="WAFIRA project"),
    S(
        "Alexander Maleev",
        "Senior Project Manager, Prague Process Secretariat",
        "icmpd",
    ),
    S("Caroline Ambiaux", "Project Manager, Budapest Process Secretariat", "icmpd"),
    S("Giovanna Marconi", "INSigHT Project Manager", "it_iuav"),
    S("Michela Semprebon", "INSigHT Research Coordinator", "it_unipr"),
    S("Oleg Chirita", "Head of Global Initiatives", "icmpd"),
)
PANEL = ("Erik Silfversten", "Vilim Lukas", "Silvia Carta", "Richard Ares Baumgartner")

EXCHANGE = EventSpec(
    key="exchange",
    title="MPF Exchange Event 2023",
    type=EventType.CONFERENCE,
    first_day=D(2023, 9, 28),
    days=1,
    start="09:00",
    end="17:00",
    timezone="Europe/Brussels",
    venue="ICMPD Brussels Mission",
    city="Brussels",
    country="BE",
    description=(
        "A day for the grantees of the Migration Partnership Facility, past and present, to "
        "meet officials of EU Member States and of the European Commission. The morning looks "
        "at cooperation on borders and security with partner countries; the afternoon at the "
        "ways MPF projects build their partnerships."
    ),
    projects=("prometheus", "rapak", "gbp", "forged_docs", "coop4int", "wafira", "insight"),
    synopsis=(
        "Speakers from DG HOME and ICMPD set out why border cooperation with non-EU countries "
        "needs partners and must respect human rights. Three new border and security projects "
        "introduced themselves, the open call for proposals was explained, and a panel weighed "
        "what artificial intelligence and new border technology will change. The panel ran out "
        "of time for questions, so an online session was added. In the afternoon the MPF "
        "showed its mapping of partnership typologies and one project per typology explained "
        "its choices; the grantees concluded that projects mixing several approaches need a "
        "hybrid category of their own."
    ),
    speakers=EXCHANGE_SPEAKERS,
    sessions=(
        SessionSpec(
            "Morning session: opening remarks on borders and security cooperation",
            0,
            "09:00",
            "09:40",
            description=(
                "Why the EU works with partner countries on its external borders, and what the "
                "MPF has funded so far."
            ),
            talks=(
                TalkSpec("EU priorities for the external dimension", ("Pawel Busiakiewicz",)),
                TalkSpec("Thirty years of migration partnerships", ("Ralph Genetzke",)),
            ),
        ),
        SessionSpec(
            "Morning session: new MPF border and security projects",
            0,
            "09:40",
            "10:50",
            kind=SessionKind.TALKS,
            description="Three projects not shown at the 2022 exchange event present their work.",
            talks=(
                TalkSpec("PROMETHEUS II: Georgian capacities", ("Jean-Christophe Hilaire",)),
                TalkSpec("RAPAK: risk analysis units in Pakistan", ("William Huddleston",)),
                TalkSpec("Green and sea border surveillance in Georgia", ("Kaspars Fismeisters",)),
            ),
        ),
        SessionSpec(
            "The MPF call for proposals on borders and security",
            0,
            "11:00",
            "11:20",
            kind=SessionKind.TALKS,
            description="What the open call funds from the BMVI and ISF instruments.",
            talks=(TalkSpec("The open call, BMVI and ISF funding"),),
        ),
        SessionSpec(
            "Looking ahead: priorities for cooperation on borders and security",
            0,
            "11:20",
            "12:40",
            kind=SessionKind.PANEL,
            description=(
                "How artificial intelligence and new border technology may change cooperation "
                "with priority countries outside the EU, and what that means for people on the "
                "move."
            ),
            moderator="Borut Erzen",
            panellists=PANEL,
        ),
        SessionSpec("Lunch", 0, "12:40", "13:45", kind=SessionKind.BREAK),
        SessionSpec(
            "Afternoon session: the power of partnership approaches",
            0,
            "13:45",
            "14:30",
            description=(
                "Opening words from DG HOME and the MPF, then the MPF's mapping of its projects "
                "into five typologies of partnership."
            ),
            chair="Jennifer Tangney",
            talks=(
                TalkSpec("Partnerships and the Pact", ("Alexandra Sa-Carvalho",)),
                TalkSpec("The power of partnerships: a mapping", ("Jennifer Tangney",)),
            ),
        ),
        SessionSpec(
            "Afternoon session: partnerships in practice",
            0,
            "14:30",
            "16:30",
            kind=SessionKind.TALKS,
            description="One project for each typology explains how its partnership was shaped.",
            chair="Jennifer Tangney",
            talks=(
                TalkSpec("Operational: detecting forged documents", ("Donatas Škarnulis",)),
                TalkSpec("Capacity: Coop4Int", ("Ana Couteiro",)),
                TalkSpec("Skills and labour mobility: WAFIRA", ("Oussama Elbaroudi",)),
                TalkSpec(
                    "Policy dialogue: the Prague and Budapest Processes",
                    ("Alexander Maleev", "Caroline Ambiaux"),
                ),
                TalkSpec("Action research: INSigHT", ("Giovanna Marconi", "Michela Semprebon")),
            ),
        ),
        SessionSpec(
            "Closing of the exchange event",
            0,
            "16:30",
            "17:00",
            talks=(TalkSpec("Final words: ownership by partner countries", ("Oleg Chirita",)),),
        ),
    ),
    capacity=120,
    registrations=48,
    senders=(
        ("icmpd", 6),
        ("dg_home", 4),
        ("frontex", 2),
        ("fr_moi", 2),
        ("lv_sbg", 2),
        ("lt_sbgs", 2),
        ("ge_gbp", 2),
        ("pk_fia", 1),
        ("pt_aima", 2),
        ("cv_dgi", 1),
        ("es_missm", 2),
        ("ma_anapec", 1),
        ("it_iuav", 1),
        ("it_unipr", 1),
        ("ng_naptip", 1),
        ("at_moi", 2),
        ("gr_mma", 1),
        ("se_sma", 1),
    ),
    attendance_by_session=True,
    decisions=(
        (
            "Hold one or two more online sessions with the panel, so the audience can ask "
            "its questions.",
            (("Organise the online follow-up session", "MPF team", D(2023, 10, 30)),),
        ),
        (
            "Add a hybrid typology for projects that combine several partnership approaches.",
            (
                (
                    "Update the typology matrix in the partnership approaches report",
                    "MPF team",
                    D(2023, 12, 15),
                ),
            ),
        ),
    ),
    lessons=(
        (
            KnowledgeKind.LESSON,
            "Leave room for questions after a panel on technology",
            "The panel on artificial intelligence at the border drew more questions than its "
            "slot allowed. Plan a longer discussion, or announce a follow-up online session "
            "from the start, when the subject is new to most of the audience.",
            ("border-management",),
        ),
        (
            KnowledgeKind.GOOD_PRACTICE,
            "Let projects place themselves in the typology",
            "Asking grantees to stand next to the partnership typology that fits them best "
            "quickly showed where the classification did not work: projects that mix several "
            "approaches. A hybrid category came out of that exercise.",
            ("migration-management",),
        ),
    ),
)

FOLLOW_UP = EventSpec(
    key="follow_up",
    title="MPF Exchange Event: online follow-up on border technology",
    type=EventType.ONLINE_SESSION,
    first_day=D(2023, 10, 30),
    days=1,
    start="10:00",
    end="11:30",
    timezone="Europe/Brussels",
    city="",
    country=None,
    mode=Mode.ONLINE,
    online_url="https://meet.example.org/mpf-exchange-follow-up",
    parent="exchange",
    projects=("prometheus", "rapak", "gbp"),
    description=(
        "The panellists of the exchange event's morning panel meet online to take the "
        "questions there was no time for: artificial intelligence, smuggling networks online, "
        "the European border continuum and the rights of people on the move."
    ),
    speakers=(
        S("Borut Erzen", "Head of the Border Management and Security Programme", "icmpd"),
        *(s for s in EXCHANGE_SPEAKERS if s.name in PANEL),
    ),
    sessions=(
        SessionSpec(
            "Questions to the panel on border and security technology",
            0,
            "10:00",
            "11:30",
            kind=SessionKind.PANEL,
            moderator="Borut Erzen",
            panellists=PANEL,
        ),
    ),
    needs_approval=False,
    registrations=30,
    senders=EXCHANGE.senders,
)

# --------------------------------------------------------------------------------------------
# Meetings of the ILECU network
# --------------------------------------------------------------------------------------------

ILECU_SENDERS = (
    ("ilecu_rs", 5),
    ("ilecu_mk", 4),
    ("ilecu_md", 4),
    ("ilecu_ge", 4),
    ("ilecu_ua", 4),
    ("hu_ilecc", 3),
    ("hu_ndgap", 2),
    ("ro_police", 3),
    ("rs_moi", 1),
    ("md_mai", 1),
    ("ge_mia", 1),
    ("icmpd", 2),
)
ILECU_CHAIRS = (
    S("Zsófia Kertész", "Head of International Relations", "hu_ilecc"),
    S("Ioana Dumitrescu", "Police Commissioner, International Cooperation", "ro_police"),
    S("Nikola Petrović", "Head of ILECU Serbia", "ilecu_rs"),
    S("Elena Ceban", "Head of ILECU Moldova", "ilecu_md"),
    S("Levan Beridze", "Head of ILECU Georgia", "ilecu_ge"),
    S("Marko Stojanovski", "Senior Officer, ILECU North Macedonia", "ilecu_mk"),
    S("Olena Kovalenko", "Head of ILECU Ukraine", "ilecu_ua"),
    S("Martin Hofer", "Project Manager, ILECU project", "icmpd"),
)


def _meeting(key, title, type_, day, days, zone, city, country, venue, description, **extra):
    return EventSpec(
        key=key,
        title=title,
        type=type_,
        first_day=day,
        days=days,
        start="09:00",
        end="17:00",
        timezone=zone,
        city=city,
        country=country,
        venue=venue,
        description=description,
        projects=("ilecu",),
        network=True,
        speakers=ILECU_CHAIRS,
        senders=ILECU_SENDERS,
        **extra,
    )


NETWORK_MEETINGS = (
    _meeting(
        "ilecu_kickoff",
        "First cross-regional meeting of the ILECU network",
        EventType.MEETING,
        D(2022, 4, 26),
        2,
        "Europe/Budapest",
        "Budapest",
        "HU",
        "International Law Enforcement Cooperation Centre",
        "Heads of the coordination units and their agencies from the Western Balkans and the "
        "Eastern Partnership meet for the first time in this phase, with their Hungarian and "
        "Romanian hosts, to agree what the network should work on.",
        synopsis=(
            "The units compared how requests travel between them and where they get stuck. "
            "They listed shared problems (slow answers, missing contact points, different "
            "templates) and ideas to fix them, which became the plan for the workshops."
        ),
        sessions=(
            SessionSpec(
                "Opening and round of the units",
                0,
                "09:00",
                "10:30",
                chair="Zsófia Kertész",
                talks=(TalkSpec("Where each unit stands", ("Nikola Petrović", "Elena Ceban")),),
            ),
            SessionSpec(
                "Shared opportunities and obstacles",
                0,
                "11:00",
                "13:00",
                kind=SessionKind.PANEL,
                moderator="Martin Hofer",
                panellists=("Levan Beridze", "Marko Stojanovski", "Olena Kovalenko"),
            ),
            SessionSpec(
                "Ideas for better ILECU operations",
                1,
                "09:00",
                "12:30",
                chair="Ioana Dumitrescu",
            ),
        ),
        registrations=34,
        decisions=(
            (
                "Each unit names a contact point for the network.",
                (("Send the contact point's name to ICMPD", "Each ILECU", D(2022, 5, 31)),),
            ),
        ),
    ),
    _meeting(
        "ilecu_needs",
        "Gaps and needs assessment workshop for ILECU staff",
        EventType.WORKSHOP,
        D(2022, 9, 20),
        2,
        "Europe/Chisinau",
        "Chișinău",
        "MD",
        "Ministry of Internal Affairs of Moldova",
        "Officers of the coordination units map what they lack in skills, procedures and "
        "tools, as the basis for the training and equipment that follow.",
        synopsis=(
            "Working groups by region went through the units' daily tasks and rated their "
            "needs. Secure communication between units and common working methods came first."
        ),
        sessions=(
            SessionSpec(
                "How the units work today",
                0,
                "09:00",
                "12:30",
                chair="Elena Ceban",
            ),
            SessionSpec(
                "Working groups on skills, procedures and tools",
                0,
                "14:00",
                "17:00",
                chair="Martin Hofer",
            ),
            SessionSpec(
                "Priorities for training and equipment",
                1,
                "09:00",
                "12:00",
                chair="Martin Hofer",
            ),
        ),
        registrations=26,
        attendance_by_session=True,
    ),
    _meeting(
        "ilecu_europol",
        "Study visit of the ILECU network to Europol",
        EventType.STUDY_VISIT,
        D(2023, 3, 14),
        2,
        "Europe/Amsterdam",
        "The Hague",
        "NL",
        "Europol headquarters",
        "Staff of the coordination units see how Europol handles information exchange "
        "between police forces and meet the liaison bureaux of their countries.",
        sessions=(
            SessionSpec("Europol's information exchange", 0, "09:30", "12:30"),
            SessionSpec("Meeting the liaison bureaux", 1, "09:30", "12:30"),
        ),
        capacity=20,
        registrations=24,
    ),
    _meeting(
        "ilecu_interpol",
        "Study visit of the ILECU network to Interpol",
        EventType.STUDY_VISIT,
        D(2023, 4, 18),
        2,
        "Europe/Paris",
        "Lyon",
        "FR",
        "Interpol General Secretariat",
        "The units learn how Interpol's channels and databases serve national central "
        "bureaux and how the ILECUs can use them in joint cases.",
        sessions=(
            SessionSpec("Interpol's channels and databases", 0, "09:30", "12:30"),
            SessionSpec("Joint cases through the national bureaux", 1, "09:30", "12:30"),
        ),
        capacity=20,
        registrations=22,
    ),
    _meeting(
        "ilecu_second",
        "Second cross-regional meeting of the ILECU network",
        EventType.MEETING,
        D(2023, 6, 6),
        2,
        "Europe/Bucharest",
        "Bucharest",
        "RO",
        "General Inspectorate of the Romanian Police",
        "Higher management of the partner agencies review the first year of joint work and "
        "agree how the network keeps meeting once the project ends.",
        sessions=(
            SessionSpec(
                "A year of joint work",
                0,
                "09:00",
                "12:30",
                chair="Ioana Dumitrescu",
            ),
            SessionSpec(
                "Keeping the exchange going after the project",
                0,
                "14:00",
                "17:00",
                kind=SessionKind.PANEL,
                moderator="Martin Hofer",
                panellists=("Nikola Petrović", "Olena Kovalenko", "Zsófia Kertész"),
            ),
            SessionSpec("Conclusions", 1, "09:00", "11:00", chair="Zsófia Kertész"),
        ),
        registrations=32,
    ),
    _meeting(
        "ilecu_equipment",
        "Hand-over of communication equipment to the ILECUs",
        EventType.EQUIPMENT_HANDOVER,
        D(2023, 10, 10),
        1,
        "Europe/Belgrade",
        "Belgrade",
        "RS",
        "Ministry of Interior of Serbia",
        "The project hands over the equipment that links the units' offices, and the staff "
        "try out the secure connection together.",
        sessions=(
            SessionSpec("Hand-over", 0, "10:00", "11:00", chair="Nikola Petrović"),
            SessionSpec("Trying the connection between offices", 0, "11:30", "15:00"),
        ),
        registrations=18,
        lessons=(
            (
                KnowledgeKind.GOOD_PRACTICE,
                "Test shared equipment together on the day it arrives",
                "Handing over the communication kit at a joint session, with every unit "
                "connecting at once, found the settings that differed between offices before "
                "anyone relied on the link.",
                ("police-cooperation",),
            ),
        ),
    ),
    _meeting(
        "ilecu_next",
        "Annual meeting of the ILECU network",
        EventType.MEETING,
        D(2000, 1, 1),  # replaced by a date two months from today
        2,
        "Europe/Skopje",
        "Skopje",
        "MK",
        "Ministry of Interior of North Macedonia",
        "The units meet for their yearly review of joint cases, contact points and the shared "
        "communication link. Registration is open to staff of the member units.",
        sessions=(
            SessionSpec("Review of the year", 0, "09:30", "12:30", chair="Marko Stojanovski"),
            SessionSpec("Planning joint activities", 1, "09:30", "12:30", chair="Levan Beridze"),
        ),
        capacity=8,
        registrations=10,
        upcoming=True,
    ),
)

EVENTS: tuple[EventSpec, ...] = (EXCHANGE, FOLLOW_UP, *NETWORK_MEETINGS)

# --------------------------------------------------------------------------------------------
# Invented participants
# --------------------------------------------------------------------------------------------

FEMALE = (
    "Ana", "Elena", "Maria", "Nino", "Irina", "Jelena", "Olga", "Tamara", "Sofia", "Katarina",
    "Andreea", "Eszter", "Marta", "Laura", "Natalia", "Ivana",
)  # fmt: skip
MALE = (
    "Giorgi", "Nikola", "Andrei", "Dmytro", "Stefan", "Péter", "Marko", "Ion", "Luka", "David",
    "Tomas", "Pierre", "Jonas", "Ahmed", "Mihai", "Aleksandar",
)  # fmt: skip
SURNAMES = (
    "Popescu", "Jovanović", "Kapanadze", "Horváth", "Rusu", "Shevchenko", "Dimitrov", "Nagy",
    "Ionescu", "Petrovski", "Melnyk", "Lomidze", "Novak", "Martin", "Silva", "Berg", "Costa",
    "Ceban", "Kovač", "Weber",
)  # fmt: skip
POSITIONS = (
    "Police officer",
    "Senior inspector",
    "Head of unit",
    "Analyst",
    "Liaison officer",
    "Programme officer",
    "Legal adviser",
    "Desk officer",
)
# (status, weight) for past events and for the upcoming one; once the places are taken, the
# rest wait on the list, as the registration service would have it.
PAST_STATUSES = (
    (RegistrationStatus.APPROVED, 78),
    (RegistrationStatus.CANCELLED, 10),
    (RegistrationStatus.REJECTED, 6),
)
OPEN_STATUSES = (
    (RegistrationStatus.APPROVED, 4),
    (RegistrationStatus.PENDING, 4),
    (RegistrationStatus.CANCELLED, 1),
)
SEXES = ((Sex.FEMALE, 46), (Sex.MALE, 48), (Sex.NOT_STATED, 5), (Sex.OTHER, 1))


def _pick(rng: random.Random, weighted):
    items, weights = zip(*weighted, strict=True)
    return rng.choices(items, weights=weights)[0]


def _slug(text: str) -> str:
    table = str.maketrans("áéíóöőúüűșțăâîčćđšžđ", "aeiooouuustaaiccdszd")
    return "".join(c for c in text.lower().translate(table) if c.isalnum())


# --------------------------------------------------------------------------------------------
# Loading
# --------------------------------------------------------------------------------------------


class _Context:
    """What every event needs, looked up once."""

    def __init__(self):
        self.countries = {c.code: c for c in Country.objects.all()}
        by_name = {
            (org.name, org.country.code if org.country_id else None): org
            for org in Organisation.objects.select_related("country").filter(
                name__in=[spec.name for spec in ORGANISATIONS.values()]
            )
        }
        self.orgs = {
            key: by_name[spec.name, spec.country]
            for key, spec in ORGANISATIONS.items()
            if (spec.name, spec.country) in by_name
        }
        self.projects = {key: find_seed_project(spec) for key, spec in SEED_PROJECTS.items()}
        self.network = Network.objects.filter(kind=NetworkKind.COORDINATION_UNITS).first()
        self.people = {p.name: p for p in Person.objects.filter(user__isnull=True)}
        self.secretariat = User.objects.filter(
            username="secretariat", role=Role.SECRETARIAT
        ).first()
        self.manager = User.objects.filter(username="manager", role=Role.PROJECT_MANAGER).first()


def _moment(day: datetime.date, clock: str, zone: ZoneInfo) -> datetime.datetime:
    hour, minute = (int(part) for part in clock.split(":"))
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=zone)


def _first_day(spec: EventSpec, today: datetime.date) -> datetime.date:
    if not spec.upcoming:
        return spec.first_day
    day = today + datetime.timedelta(days=60)
    return day + datetime.timedelta(days=(1 - day.weekday()) % 7)  # a Tuesday


def _create_event(spec: EventSpec, ctx: _Context, events: dict, first_day) -> Event:
    zone = ZoneInfo(spec.timezone)
    last_day = first_day + datetime.timedelta(days=spec.days - 1)
    event = Event.objects.create(
        title=spec.title,
        type=spec.type,
        description=spec.description,
        network=ctx.network if spec.network else None,
        parent=events.get(spec.parent) if spec.parent else None,
        mode=spec.mode,
        venue=spec.venue,
        city=spec.city,
        country=ctx.countries.get(spec.country) if spec.country else None,
        timezone=spec.timezone,
        start=_moment(first_day, spec.start, zone),
        end=_moment(last_day, spec.end, zone),
        online_url=spec.online_url,
        published=True,
        synopsis=spec.synopsis,
        created_by=ctx.secretariat,
    )
    event.projects.set([ctx.projects[k] for k in spec.projects if ctx.projects.get(k)])
    organisers = [ctx.secretariat] if ctx.secretariat else []
    if spec.upcoming and ctx.manager:
        organisers.append(ctx.manager)  # so the manager account can try the approvals
    event.organisers.set(organisers)
    return event


def _create_programme(spec: EventSpec, event: Event, ctx: _Context, first_day):
    zone = event.zone
    speakers = {}
    for s in spec.speakers:
        org = ctx.orgs.get(s.organisation) if s.organisation else None
        speakers[s.name] = Speaker(
            event=event,
            name=s.name,
            position=s.position,
            organisation=org,
            affiliation=s.affiliation,
            country=ctx.countries.get(s.country) if s.country else (org.country if org else None),
            person=ctx.people.get(s.name),
        )
    Speaker.objects.bulk_create(speakers.values())
    sessions = []
    for s in spec.sessions:
        day = first_day + datetime.timedelta(days=s.day)
        session = Session.objects.create(
            event=event,
            title=s.title,
            kind=s.kind,
            description=s.description,
            start=_moment(day, s.start, zone),
            end=_moment(day, s.end, zone),
            online_url=spec.online_url,
            chair=speakers.get(s.chair) if s.chair else None,
            moderator=speakers.get(s.moderator) if s.moderator else None,
        )
        if s.panellists:
            session.panellists.set([speakers[name] for name in s.panellists])
        for order, t in enumerate(s.talks, start=1):
            talk = Talk.objects.create(
                session=session, title=t.title, abstract=t.abstract, order=order
            )
            if t.speakers:
                talk.speakers.set([speakers[name] for name in t.speakers])
        sessions.append(session)
    return sessions


def _create_form(spec: EventSpec, event: Event, now) -> RegistrationForm:
    form = RegistrationForm.objects.create(
        event=event,
        is_open=True,
        opens_at=min(event.start - datetime.timedelta(days=45), now - datetime.timedelta(days=14)),
        closes_at=event.start - datetime.timedelta(days=5),
        capacity=spec.capacity,
        waiting_list=True,
        needs_approval=spec.needs_approval,
        allow_nominations=spec.network,
        retention_days=RETENTION_DAYS,
        publish_list=True,
        follow_up_intro=(
            "Please tell us how you travel and whether you need a visa, so we can book your "
            "hotel and send an invitation letter."
            if spec.mode != Mode.ONLINE
            else ""
        ),
    )
    questions = [
        Question(form=form, label="Dietary requirements", kind=QuestionKind.TEXT, order=1),
    ]
    if spec.mode != Mode.ONLINE:
        questions += [
            Question(
                form=form,
                label="Which days will you attend?",
                kind=QuestionKind.CHOICE,
                choices="All days\nFirst day only\nSecond day only"
                if spec.days > 1
                else "The whole day\nMorning only\nAfternoon only",
                required=True,
                order=2,
            ),
            Question(
                form=form,
                stage=Stage.FOLLOW_UP,
                label="Do you need a visa invitation letter?",
                kind=QuestionKind.YES_NO,
                order=1,
            ),
        ]
    Question.objects.bulk_create(questions)
    return form


def _create_registrations(spec, event, form, sessions, ctx, rng, now) -> int:
    senders = [(ctx.orgs[k], w) for k, w in spec.senders if k in ctx.orgs]
    statuses = OPEN_STATUSES if spec.upcoming else PAST_STATUSES
    choice_question = form.questions.filter(kind=QuestionKind.CHOICE).first()
    registrations = []
    registered_at = []
    holding = 0
    used = set()
    for i in range(spec.registrations):
        sex = _pick(rng, SEXES)
        first = rng.choice(FEMALE if sex == Sex.FEMALE else MALE)
        name = f"{first} {rng.choice(SURNAMES)}"
        while name in used:
            name = f"{first} {rng.choice(SURNAMES)}"
        used.add(name)
        org = _pick(rng, senders)
        status = _pick(rng, statuses)
        full = form.capacity is not None and holding >= form.capacity
        if full and status in (RegistrationStatus.APPROVED, RegistrationStatus.PENDING):
            status = RegistrationStatus.WAITLISTED
        holding += status in (RegistrationStatus.APPROVED, RegistrationStatus.PENDING)
        window = min(form.closes_at, now) - form.opens_at
        created = form.opens_at + window * (i + rng.random()) / spec.registrations
        registered_at.append(created)
        answers = {}
        if choice_question is not None:
            answers[choice_question.key] = {
                "question": choice_question.label,
                "answer": choice_question.choice_list[0 if rng.random() < 0.8 else 1],
            }
        registrations.append(
            Registration(
                event=event,
                name=name,
                email=f"{_slug(first)}.{_slug(name.split()[-1])}.{spec.key}{i}@example.org",
                position=rng.choice(POSITIONS),
                organisation=org,
                country=org.country,
                institution_type=org.type,
                sex=sex,
                status=status,
                answers=answers,
                consent_given_at=created,
                consent_text=form.consent_text,
                publish_consent=rng.random() < 0.4,
                created=created,
                decided_at=created + datetime.timedelta(days=2)
                if status in (RegistrationStatus.APPROVED, RegistrationStatus.REJECTED)
                else None,
                cancelled_at=min(created + datetime.timedelta(days=10), event.start, now)
                if status == RegistrationStatus.CANCELLED
                else None,
                nominated_by_organisation=org if spec.network and rng.random() < 0.3 else None,
            )
        )
    Registration.objects.bulk_create(registrations)
    # auto_now_add stamped today on every row; put back the registration dates.
    for registration, created in zip(registrations, registered_at, strict=True):
        registration.created = created
    Registration.objects.bulk_update(registrations, ["created"])
    if event.end >= now:
        return len(registrations)
    attendances = []
    for registration in registrations:
        if registration.status != RegistrationStatus.APPROVED or rng.random() < 0.08:
            continue  # a few approved people did not come
        if spec.attendance_by_session:
            for session in sessions:
                if session.kind != SessionKind.BREAK and rng.random() < 0.9:
                    attendances.append(
                        Attendance(registration=registration, session=session, checked_in_by=None)
                    )
        else:
            for day in event.days:
                if day == event.days[0] or rng.random() < 0.85:
                    attendances.append(
                        Attendance(registration=registration, day=day, checked_in_by=None)
                    )
    Attendance.objects.bulk_create(attendances)
    return len(registrations)


def _create_outcomes(spec: EventSpec, event: Event, ctx: _Context):
    for order, (text, actions) in enumerate(spec.decisions, start=1):
        decision = Decision.objects.create(event=event, text=text, order=order)
        FollowUpAction.objects.bulk_create(
            FollowUpAction(
                event=event,
                decision=decision,
                title=title,
                owner=owner,
                due=due,
                status="done" if due and due < timezone.localdate() else "open",
            )
            for title, owner, due in actions
        )
    for kind, title, body, themes in spec.lessons:
        item = KnowledgeItem.objects.create(
            kind=kind,
            title=title,
            body=body,
            event=event,
            project=ctx.projects.get(spec.projects[0]) if spec.projects else None,
            created_by=ctx.secretariat,
        )
        item.themes.set(Theme.objects.filter(code__in=themes))


@transaction.atomic
def load_demo_events(seed: int = 1, *, now: datetime.datetime | None = None) -> int:
    """Create the demo events that are missing; returns how many were created.

    Call it after ``liaison.portfolio.demo.load_seed_programmes`` (and ``create_demo_users``,
    so the secretariat account organises the events).
    """
    now = now or timezone.now()
    ctx = _Context()
    rng = random.Random(f"liaison-events-{seed}")
    events = {}
    created = 0
    existing = {e.title: e for e in Event.objects.filter(title__in=[s.title for s in EVENTS])}
    for spec in EVENTS:
        # Draw every event's numbers even when it exists, so the others stay the same.
        event_rng = random.Random(rng.random())
        if spec.title in existing:
            events[spec.key] = existing[spec.title]
            continue
        first_day = _first_day(spec, now.date())
        event = _create_event(spec, ctx, events, first_day)
        sessions = _create_programme(spec, event, ctx, first_day)
        form = _create_form(spec, event, now)
        _create_registrations(spec, event, form, sessions, ctx, event_rng, now)
        _create_outcomes(spec, event, ctx)
        events[spec.key] = event
        created += 1
    return created
