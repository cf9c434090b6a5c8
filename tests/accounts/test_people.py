"""Issue 14, items 1 and 3: an account finds its directory person only once its address is
verified; before that, typing someone's address at sign-up reaches nothing of theirs."""

from liaison.core.models import AuditEntry
from liaison.directory.models import Person
from tests.accounts.conftest import link_in


def test_the_person_with_the_address_is_linked_only_after_verification(
    client, db, organisation, mailoutbox
):
    person = Person.objects.create(
        name="Ana Officer",
        email="Ana@Example.org",
        phone="+381 11 555 0101",
        organisation=organisation,
    )
    response = client.post(
        "/accounts/signup/",
        {
            "name": "Ana Officer",
            "email": "ana@example.org",
            "username": "ana",
            "password1": "a-long-passphrase-for-tests",
            "password2": "a-long-passphrase-for-tests",
        },
        follow=True,
    )
    person.refresh_from_db()
    assert person.user is None
    assert "+381 11 555 0101" not in response.content.decode()
    assert client.get("/people/me/").status_code == 302  # not signed in: no page of theirs either

    client.post(link_in(mailoutbox[0], "/confirm-email/"))

    person.refresh_from_db()
    assert person.user is not None and person.user.username == "ana"
    entry = AuditEntry.objects.get(action="person.account_linked")
    assert entry.object_id == str(person.pk) and entry.actor == person.user
    assert Person.objects.count() == 1


def test_a_verified_address_without_a_person_gets_a_new_one(client, db, mailoutbox):
    taken = Person.objects.create(name="Someone Else", email="other@example.org")
    client.post(
        "/accounts/signup/",
        {
            "name": "Nova Newcomer",
            "email": "new@example.org",
            "password1": "a-long-passphrase-for-tests",
            "password2": "a-long-passphrase-for-tests",
        },
    )
    client.post(link_in(mailoutbox[0], "/confirm-email/"))
    person = Person.objects.get(email="new@example.org")
    assert person.user is not None and not person.is_contact_point
    assert person.name == "Nova Newcomer"  # the name given at sign-up, not the username
    taken.refresh_from_db()
    assert taken.user is None
