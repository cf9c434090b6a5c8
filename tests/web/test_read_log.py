"""Who looked at personal data (item 7 of issue 14): reads noted where a person's contact
details are shown, the log for the data-protection officer and the secretariat (with its
export), and "My data", where a person sees who read their own record only."""

import csv
import datetime
import io

import pytest
from django.core.cache import cache
from openpyxl import load_workbook

from liaison.core.models import Role
from liaison.directory.models import Person
from liaison.directory.readlog import PersonalDataRead, ReadKind, record_reads
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_throttle(db):
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def dpo(db):
    return make_user("dpo", Role.DATA_PROTECTION_OFFICER, first_name="Dora", last_name="Privacy")


@pytest.fixture
def own_person(public_user, organisation):
    return Person.objects.create(
        name="Paula Public", organisation=organisation, email="paula@example.org", user=public_user
    )


# Where reads are noted -----------------------------------------------------------------------


def test_the_person_page_notes_a_staff_reader_not_the_person_nor_a_visitor(
    client, viewer, public_user, own_person
):
    url = own_person.get_absolute_url()
    assert client.get(url).status_code in (302, 403)
    client.force_login(public_user)
    assert client.get(url).status_code == 200
    assert not PersonalDataRead.objects.exists()
    client.force_login(viewer)
    assert client.get(url).status_code == 200
    read = PersonalDataRead.objects.get()
    assert (read.reader, read.person, read.kind, read.path) == (
        viewer,
        own_person,
        ReadKind.PROFILE,
        url,
    )


def test_the_organisation_page_notes_its_contacts_for_staff_only(
    client, viewer, public_user, organisation, contact
):
    url = organisation.get_absolute_url()
    assert client.get(url).status_code == 200
    client.force_login(public_user)
    client.get(url)
    assert not PersonalDataRead.objects.exists()
    client.force_login(viewer)
    page = client.get(url).content.decode()
    assert contact.email in page
    assert PersonalDataRead.objects.get().person == contact
    assert PersonalDataRead.objects.get().kind == ReadKind.CONTACT


def test_the_people_api_notes_each_person_of_the_page(
    client, viewer, organisation, contact, django_assert_max_num_queries
):
    client.force_login(viewer)
    with django_assert_max_num_queries(20) as few:
        assert client.get("/api/people/").status_code == 200
    for i in range(5):
        Person.objects.create(name=f"Extra {i}", organisation=organisation, email=f"e{i}@x.org")
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get("/api/people/").status_code == 200
    assert PersonalDataRead.objects.filter(kind=ReadKind.CONTACT).count() == 1 + 6
    assert client.get(f"/api/people/{contact.pk}/").status_code == 200
    assert client.get(f"/api/organisations/{organisation.pk}/").status_code == 200
    assert PersonalDataRead.objects.filter(person=contact).count() == 4


def test_record_reads_skips_visitors_and_own_record_in_one_insert(
    public_user, own_person, contact, django_assert_num_queries
):
    from django.contrib.auth.models import AnonymousUser

    assert record_reads(AnonymousUser(), [contact], ReadKind.CONTACT) == 0
    with django_assert_num_queries(2):  # own record, then one insert
        noted = record_reads(public_user, [own_person, contact, contact], ReadKind.CONTACT)
    assert noted == 1
    assert PersonalDataRead.objects.get().person == contact


# The log page --------------------------------------------------------------------------------


@pytest.fixture
def reads(viewer, manager, own_person, contact):
    record_reads(viewer, [own_person], ReadKind.PROFILE, path="/people/1/")
    record_reads(manager, [contact], ReadKind.CONTACT, path="/api/people/")
    return PersonalDataRead.objects.all()


def test_the_dpo_and_the_secretariat_read_the_log(client, dpo, secretariat, reads):
    for reader in (dpo, secretariat):
        client.force_login(reader)
        response = client.get("/privacy/reads/")
        assert response.status_code == 200
        page = response.content.decode()
        assert "Paula Public" in page and "Ana Contact" in page
        assert "2 reads" in page
        assert 'href="/privacy/reads/"' in client.get("/").content.decode()


def test_the_log_filters_by_reader_person_kind_and_date(client, dpo, reads, viewer):
    client.force_login(dpo)
    page = client.get("/privacy/reads/", {"reader": viewer.username}).content.decode()
    assert "Paula Public" in page and "Ana Contact" not in page
    page = client.get("/privacy/reads/", {"person": "ana"}).content.decode()
    assert "Ana Contact" in page and "Paula Public" not in page
    page = client.get("/privacy/reads/", {"kind": "contact"}).content.decode()
    assert "1 read" in page and "Ana Contact" in page
    page = client.get("/privacy/reads/", {"since": "2099-01-01"}).content.decode()
    assert "0 reads" in page
    response = client.get("/privacy/reads/", {"since": "2030-01-02", "until": "2030-01-01"})
    assert response.status_code == 200
    assert "before its start" in response.content.decode()
    assert "0 reads" in response.content.decode()


def test_the_dpo_exports_the_filtered_log(client, dpo, reads, viewer):
    # 23:30:15.5 UTC on 31 December is 00:30:15 on 1 January in Brussels.
    at = datetime.datetime(2029, 12, 31, 23, 30, 15, 500000, tzinfo=datetime.UTC)
    reads.filter(kind=ReadKind.PROFILE).update(at=at)
    client.force_login(dpo)
    response = client.get("/privacy/reads/", {"export": "csv", "kind": "profile"})
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == 1
    assert rows[0]["Person"] == "Paula Public"
    assert rows[0]["Reader's role"] == "Staff viewer"
    assert rows[0]["What"] == "Profile and history"
    assert rows[0]["Page"] == "/people/1/"
    assert rows[0]["When (Europe/Brussels)"] == "2030-01-01 00:30:15"

    response = client.get("/privacy/reads/", {"export": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = list(sheet.values)
    assert values[0][:4] == ("When (Europe/Brussels)", "Reader", "Reader's role", "Person")
    assert {row[3] for row in values[1:]} == {"Paula Public", "Ana Contact"}
    (profile,) = [row for row in values[1:] if row[3] == "Paula Public"]
    assert profile[0] == datetime.datetime(2030, 1, 1, 0, 30, 15)


def test_the_header_and_the_log_name_no_public_role(client, dpo, public_user, viewer, contact):
    """Regression: "(Public)" followed the name of every public account, in the header and in
    the log of reads; only a role worth naming is shown beside a name."""
    record_reads(viewer, [contact], ReadKind.CONTACT)
    record_reads(public_user, [contact], ReadKind.CONTACT)  # an institution's administrator
    client.force_login(dpo)
    page = client.get("/privacy/reads/").content.decode()
    assert "(Staff viewer)" in page and "(Data protection officer)" in page
    assert "(Public)" not in page
    client.force_login(public_user)
    page = client.get("/").content.decode()
    assert 'class="who">public</span>' in page


@pytest.mark.parametrize("who", ["manager", "viewer", "public_user"])
def test_everyone_else_is_refused_the_log(client, reads, who, request):
    client.force_login(request.getfixturevalue(who))
    assert client.get("/privacy/reads/").status_code == 403
    assert client.get("/privacy/reads/", {"export": "csv"}).status_code == 403
    assert 'href="/privacy/reads/"' not in client.get("/").content.decode()


def test_a_visitor_is_sent_to_sign_in(client):
    assert client.get("/privacy/reads/").status_code == 302
    assert client.get("/privacy/my-data/").status_code == 302


# My data -------------------------------------------------------------------------------------


def test_a_person_sees_who_read_their_own_record_only(client, public_user, reads, viewer):
    client.force_login(public_user)
    response = client.get("/privacy/my-data/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Who viewed your data" in page
    assert (viewer.get_full_name() or viewer.username) in page
    assert "Profile and history" in page
    assert "Contact details" not in page  # the read of Ana's record is not Paula's business
    assert 'href="/privacy/my-data/"' in page


def test_my_data_without_a_person_record(client, outsider_user):
    client.force_login(outsider_user)
    page = client.get("/privacy/my-data/").content.decode()
    assert "holds no record about you" in page


@pytest.fixture
def outsider_user(db):
    return make_user("nobody", Role.PUBLIC)
