"""Demo people and access: institutions with their administrators and officers, and the
states a person's record goes through (invited, accepted, duplicated, copied).

Four institutions of the demo programmes get an administrator and two officers each, who
sign in; one officer of the Montenegrin ministry is invited and has not accepted yet; a nominee
of the Serbian commissariat accepted an invitation and has a place on a course; an officer of
the Moldovan coordination unit has a second record (made by a registration under another
spelling of his address) waiting for the secretariat to merge; and one officer has taken a
copy of their data. Names are invented. Loaded after the portfolio, events and the training
centre (``liaison demo``); running it again adds nothing.
"""

import datetime
import secrets

from django.db import transaction
from django.utils import timezone

from liaison.core.models import Role, User
from liaison.directory.models import (
    Affiliation,
    Network,
    NetworkAffiliation,
    NetworkRole,
    Organisation,
    OrganisationRole,
    Person,
)
from liaison.invitations.models import Invitation, hash_token
from liaison.portfolio.demo import DEMO_PASSWORD, ORGANISATIONS
from liaison.training.models import Course, CourseStatus, Enrolment, EnrolmentStatus

from .models import DataExport

ADMIN, OFFICER = OrganisationRole.ADMINISTRATOR, OrganisationRole.OFFICER

# (institution key in portfolio.demo.ORGANISATIONS, username, name, role)
STAFF = (
    ("me_moi", "me-admin", "Milena Radović", ADMIN),
    ("me_moi", "me-officer", "Nikola Perović", OFFICER),
    ("me_moi", "me-officer2", "Jelena Đukić", OFFICER),
    ("rs_kirs", "rs-admin", "Dragan Ilić", ADMIN),
    ("rs_kirs", "rs-officer", "Ivana Stojković", OFFICER),
    ("rs_kirs", "rs-officer2", "Marko Pavlović", OFFICER),
    ("ilecu_md", "md-admin", "Cristina Lungu", ADMIN),
    ("ilecu_md", "md-officer", "Victor Munteanu", OFFICER),
    ("ilecu_md", "md-officer2", "Elena Rotari", OFFICER),
    ("ilecu_ge", "ge-admin", "Giorgi Lomidze", ADMIN),
    ("ilecu_ge", "ge-officer", "Tamar Gelashvili", OFFICER),
    ("ilecu_ge", "ge-officer2", "Davit Kvaratskhelia", OFFICER),
)
# The coordination units' network: its secretariat is held by one unit's administrator (who
# then runs the network's events), the other units' people take part as members.
NETWORK = "ILECU Network"
NETWORK_PEOPLE = (
    ("ge-admin", NetworkRole.SECRETARIAT),
    ("md-admin", NetworkRole.MEMBER),
    ("md-officer", NetworkRole.MEMBER),
    ("ge-officer", NetworkRole.MEMBER),
)
INVITED = ("me_moi", "Ana Marković", "ana.markovic@example.org")
NOMINEE = ("rs_kirs", "rs-nominee", "Stefan Vuković")


def sign_in_help() -> str:
    lines = ["Institutions' demo accounts (same password):"]
    for key, username, _name, role in STAFF:
        if role == ADMIN:
            org = ORGANISATIONS[key]
            lines.append(f"  {username:<12} administrator of {org.acronym} ({org.country})")
    lines.append(f"  {'ge-admin':<12} also the {NETWORK} secretariat: runs the network's events")
    lines += [
        "  me-officer, rs-officer, md-officer, ge-officer (and …2): officers",
        "  rs-nominee   accepted an invitation after a nomination; has a course place",
        "The secretariat, viewer, privacy and the administrators set up an authenticator app",
        "(TOTP) at their first sign-in: they read other people's personal data.",
    ]
    return "\n".join(lines)


def _institutions() -> dict[str, Organisation]:
    found = {}
    for key in {row[0] for row in STAFF}:
        organisation = Organisation.objects.filter(name=ORGANISATIONS[key].name).first()
        if organisation is not None:
            found[key] = organisation
    return found


def _account(username: str, name: str) -> User:
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
    return user


def _member(organisation, name, role, user=None, email="") -> Person:
    person = Person.objects.filter(name=name, organisation=organisation).first()
    if person is None:
        person = Person.objects.create(
            name=name,
            organisation=organisation,
            email=email or (user.email if user else ""),
            user=user,
            is_contact_point=False,
        )
    Affiliation.objects.get_or_create(
        person=person,
        organisation=organisation,
        end__isnull=True,
        defaults={"role": role, "start": datetime.date(2025, 1, 1)},
    )
    return person


@transaction.atomic
def load_demo_people() -> int:
    """Create what is not there yet; returns how many accounts were added."""
    institutions = _institutions()
    before = User.objects.count()
    people = {}
    for key, username, name, role in STAFF:
        if key in institutions:
            user = _account(username, name)
            people[username] = _member(institutions[key], name, role, user)
    if "me_moi" in institutions and "me-admin" in people:
        _pending_invitation(institutions["me_moi"], people["me-admin"].user)
    if "rs_kirs" in institutions and "rs-admin" in people:
        _accepted_invitation(institutions["rs_kirs"], people["rs-admin"].user)
    _network_people(people)
    if "md-officer" in people:
        _duplicate(people["md-officer"])
    if "me-officer" in people and not DataExport.objects.exists():
        officer = people["me-officer"]
        DataExport.objects.create(person=officer, by=officer.user, format=DataExport.Format.JSON)
    return User.objects.count() - before


def _network_people(people):
    network = Network.objects.filter(acronym=NETWORK).first()
    if network is None:
        return
    for username, role in NETWORK_PEOPLE:
        if username in people:
            NetworkAffiliation.objects.get_or_create(
                person=people[username],
                network=network,
                end__isnull=True,
                defaults={"role": role, "start": datetime.date(2025, 1, 1)},
            )


def _pending_invitation(ministry, admin):
    key, name, email = INVITED
    person = _member(ministry, name, OFFICER, email=email)
    if not person.invitations.exists():
        Invitation.objects.create(
            person=person,
            email=email,
            organisation=ministry,
            token_hash=hash_token(secrets.token_urlsafe(32)),  # the link went by e-mail
            invited_by=admin,
            sent_at=timezone.now(),
            expires_at=timezone.now() + datetime.timedelta(days=5),
        )


def _accepted_invitation(commissariat, admin):
    _key, username, name = NOMINEE
    user = _account(username, name)
    person = _member(commissariat, name, OFFICER, user)
    if not person.invitations.exists():
        Invitation.objects.create(
            person=person,
            email=user.email,
            organisation=commissariat,
            token_hash=hash_token(secrets.token_urlsafe(32)),
            invited_by=admin,
            reason="A place on a course",
            sent_at=timezone.now() - datetime.timedelta(days=3),
            expires_at=timezone.now() + datetime.timedelta(days=4),
            accepted_at=timezone.now() - datetime.timedelta(days=2),
            accepted_by=user,
        )
    course = Course.objects.filter(status=CourseStatus.RUNNING).order_by("pk").first()
    if course is not None and not Enrolment.objects.filter(course=course, person=person):
        Enrolment.objects.create(
            course=course,
            person=person,
            organisation=commissariat,
            sex="male",
            status=EnrolmentStatus.APPROVED,
            nominated_by=admin,
        )


def _duplicate(officer):
    """A second record of the same officer, as a registration under another spelling of his
    address left it: same name in the same unit, the address's name part in capitals."""
    if not Person.objects.filter(name=officer.name).exclude(pk=officer.pk).exists():
        Person.objects.create(
            name=officer.name,
            organisation=officer.organisation,
            email=officer.email.split("@")[0].upper() + "@" + officer.email.split("@")[1],
            phone="+373 22 000 000",
            is_contact_point=False,
        )
