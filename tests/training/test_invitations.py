"""Invitations: the secretariat or a focal point invites a person Liaison knows; approving a
nomination invites the nominee; accepting attaches the new account to that person (issue 14,
item 2). Beside the training centre's fixtures, whose nominee is the first to be invited."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import formats, timezone

from liaison.core.models import AuditEntry, User
from liaison.directory.models import Person
from liaison.directory.readlog import PersonalDataRead
from liaison.invitations import services
from liaison.invitations.models import Invitation, hash_token
from liaison.training.models import CourseStatus, EnrolmentStatus
from liaison.training.services import courses as training

PASSWORD = "a-long-and-quiet-river-42"


@pytest.fixture
def open_course(course):
    course.status = CourseStatus.NOMINATIONS
    course.nominations_close = timezone.localdate() + datetime.timedelta(days=10)
    course.save()
    return course


def token_in(message) -> str:
    return re.search(r"/invitations/accept/(\S+)/", message.body).group(1)


@pytest.fixture
def invited(secretariat, officer, django_capture_on_commit_callbacks, mailoutbox):
    with django_capture_on_commit_callbacks(execute=True):
        invitation = services.invite(secretariat, officer)
    return invitation, token_in(mailoutbox[-1])


def test_the_secretariat_invites_and_the_link_arrives(invited, mailoutbox, officer):
    invitation, token = invited
    assert mailoutbox[-1].to == ["oskar@example.org"]
    assert "Dear Oskar Officer" in mailoutbox[-1].body
    assert invitation.token_hash == hash_token(token) and token not in invitation.token_hash
    assert invitation.expires_at - timezone.now() > datetime.timedelta(days=6, hours=23)
    assert AuditEntry.objects.filter(action="invitation.sent").exists()


def test_accepting_opens_an_account_attached_to_the_known_person(client, invited, officer):
    _invitation, token = invited
    page = client.get(f"/invitations/accept/{token}/").content.decode()
    assert "Welcome, Oskar Officer" in page
    response = client.post(
        f"/invitations/accept/{token}/", {"password": PASSWORD, "password2": PASSWORD}
    )
    assert response.status_code == 302
    user = User.objects.get(email="oskar@example.org")
    officer.refresh_from_db()
    assert officer.user == user
    assert client.session["_auth_user_id"] == str(user.pk)
    assert AuditEntry.objects.filter(action="person.account_linked", object_id=officer.pk)
    assert Person.objects.count() == Person.objects.filter(pk__lte=officer.pk).count()


def test_a_link_works_once(client, invited):
    _invitation, token = invited
    client.post(f"/invitations/accept/{token}/", {"password": PASSWORD, "password2": PASSWORD})
    client.logout()
    response = client.post(
        f"/invitations/accept/{token}/", {"password": PASSWORD, "password2": PASSWORD}
    )
    assert response.status_code == 410
    assert "already been used" in response.content.decode()
    assert User.objects.filter(email="oskar@example.org").count() == 1


def test_an_expired_link_opens_nothing(client, invited):
    invitation, token = invited
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now())
    response = client.post(
        f"/invitations/accept/{token}/", {"password": PASSWORD, "password2": PASSWORD}
    )
    assert response.status_code == 410 and "expired" in response.content.decode()
    assert not User.objects.filter(email="oskar@example.org").exists()


@pytest.mark.parametrize("token", ["forged", "x" * 43, "%00"])
def test_a_forged_link_opens_nothing(client, invited, token):
    response = client.get(f"/invitations/accept/{token}/")
    assert response.status_code in (404, 410)
    assert not User.objects.filter(email="oskar@example.org").exists()


def test_resending_replaces_the_link_and_withdrawing_ends_it(
    client, invited, secretariat, mailoutbox, django_capture_on_commit_callbacks
):
    invitation, old = invited
    with django_capture_on_commit_callbacks(execute=True):
        services.resend(secretariat, invitation)
    new = token_in(mailoutbox[-1])
    assert new != old
    assert client.get(f"/invitations/accept/{old}/").status_code == 410
    assert client.get(f"/invitations/accept/{new}/").status_code == 200
    client.force_login(secretariat)
    client.post(f"/invitations/{invitation.pk}/withdraw/")
    client.logout()
    response = client.get(f"/invitations/accept/{new}/")
    assert response.status_code == 410 and "withdrawn" in response.content.decode()


def test_a_weak_or_mistyped_password_saves_nothing(client, invited):
    _invitation, token = invited
    url = f"/invitations/accept/{token}/"
    page = client.post(url, {"password": "12345678", "password2": "12345678"}).content.decode()
    assert "too common" in page or "entirely numeric" in page
    page = client.post(url, {"password": PASSWORD, "password2": PASSWORD + "x"}).content.decode()
    assert "The two passwords differ" in page
    assert not User.objects.filter(email="oskar@example.org").exists()
    assert client.get(url).status_code == 200  # the link still works


def test_a_signed_in_account_without_a_record_attaches_itself(client, invited, outsider, officer):
    _invitation, token = invited
    client.force_login(outsider)
    client.post(f"/invitations/accept/{token}/")
    officer.refresh_from_db()
    assert officer.user == outsider


def test_an_account_that_already_has_a_record_cannot_take_another(client, invited, trainee):
    _invitation, token = invited
    client.force_login(trainee)
    response = client.post(f"/invitations/accept/{token}/")
    assert response.status_code == 410 and "already belongs" in response.content.decode()


def test_a_focal_point_invites_their_institutions_people_only(
    client, focal_point, officer, academy, secretariat
):
    stranger = Person.objects.create(name="Sam Stranger", organisation=academy, email="s@x.org")
    client.force_login(focal_point)
    client.post(f"/invitations/people/{officer.pk}/")
    assert Invitation.objects.filter(person=officer).exists()
    client.post(f"/invitations/people/{stranger.pk}/")
    assert not Invitation.objects.filter(person=stranger).exists()
    listed = client.get("/invitations/").content.decode()
    assert "Oskar Officer" in listed and "Sam Stranger" not in listed
    # Managing the invitation is not reading the person's contact details.
    assert officer.email not in listed
    other = services.invite(secretariat, stranger)
    assert client.post(f"/invitations/{other.pk}/withdraw/").status_code == 403
    other.refresh_from_db()
    assert other.withdrawn_at is None


@pytest.mark.parametrize("who", ["manager", "viewer", "trainee", "outsider"])
def test_people_who_manage_no_institution_invite_nobody(client, request, who, officer):
    client.force_login(request.getfixturevalue(who))
    client.post(f"/invitations/people/{officer.pk}/")
    assert not Invitation.objects.exists()
    assert client.get("/invitations/").status_code == 403


def test_a_person_with_an_account_or_without_an_address_is_not_invited(
    secretariat, trainee, organisation
):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied, match="already has an account"):
        services.invite(secretariat, trainee.person)
    nobody = Person.objects.create(name="No Mail", organisation=organisation)
    with pytest.raises(PermissionDenied, match="no e-mail"):
        services.invite(secretariat, nobody)


def test_approving_a_nomination_invites_the_nominee_who_lands_on_the_course(
    client,
    open_course,
    focal_point,
    officer,
    centre_staff,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    nomination = training.nominate(focal_point, open_course, officer, sex="male")
    with django_capture_on_commit_callbacks(execute=True):
        training.approve(centre_staff, nomination)
    invitation = Invitation.objects.get(person=officer)
    assert invitation.next_url == open_course.get_absolute_url()
    token = token_in(mailoutbox[-1])
    response = client.post(
        f"/invitations/accept/{token}/", {"password": PASSWORD, "password2": PASSWORD}
    )
    assert response["Location"] == open_course.get_absolute_url()
    nomination.refresh_from_db()
    assert nomination.status == EnrolmentStatus.APPROVED
    assert nomination.person.user.email == "oskar@example.org"
    my_training = client.get("/training/courses/mine/").content.decode()
    assert open_course.title in my_training


def test_an_institutions_administrator_invites_its_people_not_anothers(
    client, institution, institution_admin, institution_member, other_institution
):
    ours = Person.objects.create(name="Olga Ours", organisation=institution, email="o@x.org")
    theirs = Person.objects.create(
        name="Tom Theirs", organisation=other_institution, email="t@x.org"
    )
    client.force_login(institution_admin)
    client.post(f"/invitations/people/{ours.pk}/")
    client.post(f"/invitations/people/{theirs.pk}/")
    assert list(Invitation.objects.values_list("person__name", flat=True)) == ["Olga Ours"]
    listed = client.get("/invitations/").content.decode()
    assert "Olga Ours" in listed and "o@x.org" in listed
    assert PersonalDataRead.objects.filter(person=ours, reader=institution_admin).exists()
    client.force_login(institution_member)
    client.post(f"/invitations/people/{theirs.pk}/")
    assert client.get("/invitations/").status_code == 403
    assert Invitation.objects.count() == 1


# The person's page while an invitation is pending ---------------------------------------------


def person_page(client, person) -> str:
    return client.get(reverse("web:person", args=[person.pk])).content.decode()


def test_a_pending_invitation_shows_instead_of_the_invite_button(
    client, invited, secretariat, officer, mailoutbox
):
    invitation, _token = invited
    client.force_login(secretariat)
    page = person_page(client, officer)
    assert "Invite to Liaison" not in page
    assert 'data-testid="invitation-pending"' in page
    assert f"sent on {formats.date_format(timezone.localtime(invitation.sent_at), 'j M Y')}" in page
    assert (
        f"expires on {formats.date_format(timezone.localtime(invitation.expires_at), 'j M Y')}"
        in page
    )
    assert reverse("invitations:resend", args=[invitation.pk]) in page
    assert reverse("invitations:withdraw", args=[invitation.pk]) in page
    # A page opened before the invitation went out sends nothing more.
    client.post(reverse("invitations:invite", args=[officer.pk]))
    assert Invitation.objects.get() == invitation and len(mailoutbox) == 1


def test_withdrawing_from_the_persons_page_returns_there_and_offers_the_invite_again(
    client, invited, institution_admin, institution
):
    invitation, _token = invited
    officer = invitation.person
    officer.organisation = institution  # one of the administrator's people
    officer.save()
    client.force_login(institution_admin)
    url = reverse("web:person", args=[officer.pk])
    response = client.post(reverse("invitations:withdraw", args=[invitation.pk]), {"next": url})
    assert response.url == url
    invitation.refresh_from_db()
    assert invitation.withdrawn_at is not None
    page = person_page(client, officer)
    assert "Invite to Liaison" in page and "invitation-pending" not in page


def test_staff_who_manage_no_invitation_see_it_pending_without_its_actions(
    client, invited, viewer, officer
):
    invitation, _token = invited
    client.force_login(viewer)
    page = person_page(client, officer)
    assert 'data-testid="invitation-pending"' in page
    assert reverse("invitations:resend", args=[invitation.pk]) not in page
    assert "Invite to Liaison" not in page


def test_an_expired_invitation_is_not_pending_and_the_person_may_be_invited_again(
    client, invited, secretariat, officer
):
    invitation, _token = invited
    invitation.expires_at = timezone.now() - datetime.timedelta(minutes=1)
    invitation.save()
    client.force_login(secretariat)
    page = person_page(client, officer)
    assert "Invite to Liaison" in page and "invitation-pending" not in page
