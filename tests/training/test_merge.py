"""One person, one record: finding likely duplicates and merging them (issue 14, item 3).

Here beside the training centre's fixtures because a merge moves enrolments and certificates as
well as event registrations and contact roles.
"""

import datetime

import pytest

from liaison.core.models import AuditEntry
from liaison.directory import duplicates, services
from liaison.directory.models import Person, PersonMerge
from liaison.directory.readlog import PersonalDataRead
from liaison.events.models import Registration
from liaison.training.models import Certificate, Enrolment, EnrolmentStatus, FocalPoint

from ..events.conftest import make_event

DUPLICATES = "/directory/people/duplicates/"


def merge_url(first, second):
    return f"/directory/people/merge/{first.pk}/{second.pk}/"


@pytest.fixture
def twin(db, trainee, organisation):
    """The trainee's second record: another letter case of the same e-mail, no account."""
    return Person.objects.create(
        name="TARA  Trainee",
        organisation=organisation,
        email=trainee.person.email.upper(),
        phone="+381 11 123 4567",
    )


@pytest.fixture
def twin_history(twin, centre, organisation, project, course):
    """What the twin record holds: an event registration, a focal-point role, an enrolment on
    another course with a certificate, and an audit entry about the record."""
    event = make_event(projects=[project])
    registration = Registration.objects.create(
        event=event, person=twin, sex="female", status="approved"
    )
    FocalPoint.objects.create(centre=centre, organisation=organisation, person=twin)
    other_course = type(course).objects.create(
        centre=centre,
        code="RMT-01/2026-2",
        title="Autumn cohort",
        type=course.type,
        status=course.status,
        starts_on=datetime.date(2026, 9, 1),
        ends_on=datetime.date(2026, 9, 3),
        capacity=20,
    )
    enrolment = Enrolment.objects.create(
        course=other_course,
        person=twin,
        organisation=organisation,
        sex="female",
        status=EnrolmentStatus.APPROVED,
    )
    certificate = Certificate.objects.create(
        enrolment=enrolment,
        holder_name="Tara Trainee",
        course_title=other_course.title,
        issued_on=datetime.date(2026, 9, 3),
    )
    AuditEntry.objects.create(
        action="person.changed", object_type="directory.person", object_id=str(twin.pk)
    )
    return {"registration": registration, "enrolment": enrolment, "certificate": certificate}


def test_records_sharing_an_address_or_a_name_in_one_organisation_are_paired(
    trainee, twin, other_trainee, organisation
):
    pairs = duplicates.likely_duplicates()
    assert [(p.first, p.second) for p in pairs] == [(trainee.person, twin)]
    assert set(pairs[0].reasons) == {"same e-mail address", "same name in the same organisation"}
    Person.objects.create(name="Theo Other", organisation=None, email="")
    assert len(duplicates.likely_duplicates()) == 1  # no organisation, no pairing by name


def test_names_compare_without_case_accents_or_spacing():
    assert duplicates.normalised_name("  Jelena  PETROVIĆ ") == "jelena petrovic"
    assert duplicates.normalised_name("Đorđe Yılmaz") == "dorde yilmaz"


def test_a_merge_moves_every_record_and_explains_itself(secretariat, trainee, twin, twin_history):
    kept = trainee.person
    merge = services.merge_people(secretariat, kept, twin)

    assert not Person.objects.filter(pk=twin.pk).exists()
    twin_history["registration"].refresh_from_db()
    twin_history["enrolment"].refresh_from_db()
    assert twin_history["registration"].person == kept
    assert twin_history["enrolment"].person == kept
    assert Certificate.objects.get(pk=twin_history["certificate"].pk).enrolment.person == kept
    assert FocalPoint.objects.get().person == kept
    assert AuditEntry.objects.filter(
        action="person.changed", object_type="directory.person", object_id=str(kept.pk)
    ).exists()
    kept.refresh_from_db()
    assert kept.phone == "+381 11 123 4567"  # filled from the merged record
    assert kept.user == trainee  # the account stays

    assert merge.merged_id == twin.pk and merge.by == secretariat
    assert merge.moved["registrations"] == 1 and merge.moved["enrolments"] == 1
    entry = AuditEntry.objects.get(action="person.merged")
    assert entry.actor == secretariat and entry.object_id == str(kept.pk)
    assert entry.changes["merged"] == f"#{twin.pk} TARA  Trainee"


def test_the_merged_records_account_joins_the_kept_one(secretariat, trainee, organisation):
    listed = Person.objects.create(name="Tara Trainee", organisation=organisation)
    services.merge_people(secretariat, listed, trainee.person)
    listed.refresh_from_db()
    assert listed.user == trainee


def test_colliding_records_are_refused_and_nothing_moves(
    secretariat, trainee, twin, course, enrolment, organisation
):
    Enrolment.objects.create(
        course=course, person=twin, organisation=organisation, sex="female", status="approved"
    )
    with pytest.raises(services.MergeRefused) as refused:
        services.merge_people(secretariat, trainee.person, twin)
    assert "enrolment" in refused.value.problems[0]
    assert Person.objects.filter(pk=twin.pk).exists()
    assert Enrolment.objects.filter(person=twin).count() == 1
    assert not PersonMerge.objects.exists()


def test_two_accounts_are_refused(secretariat, trainee, other_trainee):
    with pytest.raises(services.MergeRefused):
        services.merge_people(secretariat, trainee.person, other_trainee.person)
    assert Person.objects.filter(pk=other_trainee.person.pk).exists()


@pytest.mark.parametrize("who", ["manager", "viewer", "trainee", "centre_staff"])
def test_only_the_secretariat_finds_and_merges(client, request, who, trainee, twin):
    client.force_login(request.getfixturevalue(who))
    assert client.get(DUPLICATES).status_code == 403
    assert client.get(merge_url(trainee.person, twin)).status_code == 403
    response = client.post(merge_url(trainee.person, twin), {"keep": trainee.person.pk})
    assert response.status_code == 403
    assert Person.objects.filter(pk=twin.pk).exists()
    with pytest.raises(Exception, match="secretariat"):
        services.merge_people(request.getfixturevalue(who), trainee.person, twin)


def test_the_secretariat_compares_and_merges_from_the_pages(
    client, secretariat, trainee, twin, twin_history
):
    client.force_login(secretariat)
    page = client.get(DUPLICATES).content.decode()
    assert "same e-mail address" in page and merge_url(trainee.person, twin) in page

    compare = client.get(merge_url(trainee.person, twin)).content.decode()
    assert "Registrations: 1" in compare and "Enrolments: 1" in compare
    assert "+381 11 123 4567" in compare
    compared = PersonalDataRead.objects.filter(reader=secretariat, path__contains="/merge/")
    assert {read.person_id for read in compared} == {trainee.person.pk, twin.pk}

    response = client.post(merge_url(trainee.person, twin), {"keep": str(trainee.person.pk)})
    assert response.status_code == 302
    person_page = client.get(response["Location"]).content.decode()
    assert f"Merged from #{twin.pk}" in person_page
    assert "Autumn cohort" in person_page  # the merged record's course is in the history
    assert "No likely duplicates" in client.get(DUPLICATES).content.decode()


def test_a_refused_merge_shows_why_on_the_page(
    client, secretariat, trainee, twin, course, enrolment, organisation
):
    Enrolment.objects.create(
        course=course, person=twin, organisation=organisation, sex="female", status="approved"
    )
    client.force_login(secretariat)
    page = client.get(merge_url(trainee.person, twin)).content.decode()
    assert "cannot be merged yet" in page
    response = client.post(merge_url(trainee.person, twin), {"keep": str(twin.pk)})
    assert response.status_code == 200
    assert Person.objects.filter(pk=twin.pk).exists()


@pytest.mark.parametrize("keep", ["", "abc", "999999"])
def test_a_forged_choice_is_refused(client, secretariat, trainee, twin, keep):
    client.force_login(secretariat)
    response = client.post(merge_url(trainee.person, twin), {"keep": keep})
    assert response.status_code == 200
    assert "Choose the record to keep" in response.content.decode()
    assert Person.objects.filter(pk=twin.pk).exists()


def test_an_unknown_pair_is_not_found(client, secretariat, trainee):
    client.force_login(secretariat)
    assert client.get(f"/directory/people/merge/{trainee.person.pk}/999999/").status_code == 404
    same = f"/directory/people/merge/{trainee.person.pk}/{trainee.person.pk}/"
    assert client.get(same).status_code == 404


def test_the_duplicates_page_reads_in_a_few_queries(
    client, secretariat, organisation, django_assert_max_num_queries
):
    for i in range(30):
        Person.objects.create(name=f"Person {i}", email=f"p{i}@example.org")
        Person.objects.create(name=f"Person {i}", email=f"P{i}@example.org")
    client.force_login(secretariat)
    with django_assert_max_num_queries(12):
        page = client.get(DUPLICATES).content.decode()
    assert page.count("same e-mail address") == 30


def test_two_active_registrations_for_one_event_collide_but_a_withdrawn_one_moves(
    secretariat, trainee, twin, project
):
    event = make_event(projects=[project])
    Registration.objects.create(event=event, person=trainee.person, status="approved")
    theirs = Registration.objects.create(event=event, person=twin, status="approved")
    with pytest.raises(services.MergeRefused) as refused:
        services.merge_people(secretariat, trainee.person, twin)
    assert "registration" in refused.value.problems[0].lower()
    theirs.status = "cancelled"
    theirs.save()
    services.merge_people(secretariat, trainee.person, twin)
    assert Registration.objects.filter(person=trainee.person).count() == 2
