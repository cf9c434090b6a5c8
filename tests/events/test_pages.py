"""Event pages as visitors, participants and organisers meet them."""

import csv
import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from liaison.events import services
from liaison.events.models import (
    Attendance,
    Event,
    Question,
    Registration,
    RegistrationForm,
    RegistrationStatus,
    Stage,
    Talk,
)
from tests.conftest import make_project
from tests.events.conftest import make_event, sign_up


def url(name, *args, query=""):
    return reverse(f"events:{name}", args=args) + (f"?{query}" if query else "")


# Public page, agenda, privacy ----------------------------------------------------------------


def test_public_page_shows_agenda_and_speakers_but_no_participant_or_link(
    client, setup, event, session, speaker, participants
):
    Talk.objects.create(session=session, title="Risk indicators at the border").speakers.add(
        speaker
    )
    sign_up(participants[0], event, publish_consent=False)
    body = client.get(event.get_absolute_url()).content.decode()
    assert "Opening" in body and "Risk indicators at the border" in body
    assert "Dr Lena Speaker" in body
    assert participants[0].username not in body
    assert "secret-room" not in body
    assert "sent to approved participants" in body


def test_published_list_shows_only_those_who_consented(client, setup, event, participants):
    setup.publish_list = True
    setup.save()
    sign_up(participants[0], event, publish_consent=True)
    sign_up(participants[1], event, publish_consent=False)
    body = client.get(event.get_absolute_url()).content.decode()
    assert participants[0].username in body
    assert participants[1].username not in body


def test_online_link_for_approved_participants_and_managers(
    client, setup, event, participants, manager
):
    for user in participants[:3]:
        sign_up(user, event)
    client.force_login(participants[0])
    assert "secret-room" in client.get(event.get_absolute_url()).content.decode()
    client.force_login(participants[2])  # on the waiting list
    assert "secret-room" not in client.get(event.get_absolute_url()).content.decode()
    client.force_login(manager)
    assert "secret-room" in client.get(event.get_absolute_url()).content.decode()


def test_draft_event_is_hidden_from_the_public(client, event, public_user, viewer):
    event.published = False
    event.save()
    assert client.get(event.get_absolute_url()).status_code == 404
    client.force_login(public_user)
    assert client.get(url("agenda", event.pk)).status_code == 404
    client.force_login(viewer)
    assert client.get(event.get_absolute_url()).status_code == 200


def test_agenda_shows_venue_times(client, event, session):
    body = client.get(url("agenda", event.pk)).content.decode()
    assert "09:30" in body and "Europe/Belgrade" in body


# Participant list: who may see it ------------------------------------------------------------


@pytest.mark.parametrize("who", ["manager", "secretariat", "organiser"])
def test_participant_list_for_organisers_managers_and_secretariat(
    client, request, setup, event, participants, who, other_manager
):
    sign_up(participants[0], event)
    if who == "organiser":
        event.organisers.add(other_manager)
        user = other_manager
    else:
        user = request.getfixturevalue(who)
    client.force_login(user)
    response = client.get(url("participants", event.pk))
    assert response.status_code == 200
    assert participants[0].email in response.content.decode()


@pytest.mark.parametrize("who", ["other_manager", "viewer", "public_user", None])
def test_participant_list_refused_outside_the_event(
    client, request, setup, event, participants, who
):
    sign_up(participants[0], event)
    if who:
        client.force_login(request.getfixturevalue(who))
    for name in ("participants", "counts", "check_in"):
        response = client.get(url(name, event.pk))
        assert response.status_code == 403, name
        assert participants[0].email not in response.content.decode()
    response = client.get(url("participants", event.pk, query="export=csv"))
    assert response.status_code == 403


def test_exports_open_with_a_header(client, setup, event, participants, manager):
    question = Question.objects.create(form=setup, label="Dietary needs")
    registration = sign_up(participants[0], event, answers={question.key: "=HYPERLINK()"})
    # 12:05:09.25 UTC is 14:05:09 in Brussels in July: the installation's zone, to the second.
    registered = datetime.datetime(2030, 7, 1, 12, 5, 9, 250000, tzinfo=datetime.UTC)
    Registration.objects.filter(pk=registration.pk).update(created=registered)
    client.force_login(manager)
    response = client.get(url("participants", event.pk, query="export=csv"))
    assert response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:3] == ["Name", "E-mail", "Position"]
    assert rows[0][-1] == "Dietary needs"
    assert rows[1][1] == participants[0].email
    assert rows[1][-1] == "'=HYPERLINK()", "formulas must not reach a spreadsheet"
    when = rows[0].index("Registered (Europe/Brussels)")
    assert rows[1][when] == "2030-07-01 14:05:09"
    response = client.get(url("participants", event.pk, query="export=xlsx&status=approved"))
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.values)
    assert rows[0][0] == "Name" and rows[1][0] == participants[0].username
    assert rows[0][when] == "Registered (Europe/Brussels)"
    assert rows[1][when] == datetime.datetime(2030, 7, 1, 14, 5, 9)
    answer = sheet.cell(row=2, column=len(rows[0]))
    assert answer.value == "=HYPERLINK()" and answer.data_type == "s", "text, not a formula"


def test_organiser_approves_and_promotes_from_the_list(client, setup, event, participants, manager):
    setup.needs_approval = True
    setup.save()
    pending = sign_up(participants[0], event)
    sign_up(participants[1], event)
    waiting = sign_up(participants[2], event)
    client.force_login(manager)
    client.post(url("participant_action", event.pk, pending.pk, "approve"))
    # Both places are taken: a place beyond the capacity is given with a reason.
    client.post(
        url("participant_action", event.pk, waiting.pk, "promote"), {"reason": "Interpreter"}
    )
    pending.refresh_from_db()
    waiting.refresh_from_db()
    assert pending.status == waiting.status == RegistrationStatus.APPROVED
    # Approving again is a message, not an error.
    response = client.post(url("participant_action", event.pk, pending.pk, "approve"), follow=True)
    assert response.status_code == 200 and "cannot be changed" in response.content.decode()


# Registering through the page ---------------------------------------------------------------


def register_post(countries, **extra):
    data = {
        "name": "Mira Officer",
        "email": "mira@example.org",
        "organisation_name": "Border Police Directorate",
        "country": countries["RS"].pk,
        "institution_type": "border_guard",
        "sex": "female",
        "consent": "on",
    }
    data.update(extra)
    return {k: v for k, v in data.items() if v is not None}


def test_register_page_registers_and_confirms_by_e_mail(
    client, setup, event, participants, countries, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(participants[0])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("register", event.pk), register_post(countries))
    registration = Registration.objects.get()
    assert response.status_code == 302 and response["Location"] == registration.get_absolute_url()
    assert registration.status == RegistrationStatus.APPROVED
    assert registration.user == participants[0] and registration.country == countries["RS"]
    # One registers oneself under one's account's address, whatever the form was sent.
    assert len(mailoutbox) == 1 and mailoutbox[0].to == ["p0@example.org"]
    page = client.get(registration.get_absolute_url()).content.decode()
    assert "Approved" in page and "secret-room" in page


def test_register_page_asks_anonymous_visitors_to_sign_in(client, setup, event):
    response = client.get(url("register", event.pk))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize(
    "change",
    [
        {"consent": None},
        {"name": ""},
        {"email": "not-an-address"},
        {"country": "999999"},
        {"country": "RS'--"},
        {"sex": "unknown"},
        {"institution_type": "pirates"},
        {"organisation": "abc"},
        {"organisation_name": "", "organisation": None},
    ],
)
def test_malformed_registration_posts_save_nothing(
    client, setup, event, participants, countries, change
):
    # An account without an address types one (an account with one cannot change it here).
    participants[0].email = ""
    participants[0].save()
    client.force_login(participants[0])
    response = client.post(url("register", event.pk), register_post(countries, **change))
    assert response.status_code == 200
    assert response.context["form"].errors
    assert not Registration.objects.exists()


def test_consent_error_is_clear(client, setup, event, participants, countries):
    client.force_login(participants[0])
    response = client.post(url("register", event.pk), register_post(countries, consent=None))
    assert "needs your consent" in response.content.decode()


def test_registration_after_the_deadline_is_refused_on_the_page(
    client, setup, event, participants, countries
):
    import datetime

    from django.utils import timezone

    setup.closes_at = timezone.now() - datetime.timedelta(hours=1)
    setup.save()
    client.force_login(participants[0])
    response = client.post(url("register", event.pk), register_post(countries))
    assert response.status_code == 200
    assert "deadline has passed" in response.content.decode()
    assert not Registration.objects.exists()


def test_cancel_from_my_registrations_promotes_the_waiting_list(client, setup, event, participants):
    first = sign_up(participants[0], event)
    sign_up(participants[1], event)
    waiting = sign_up(participants[2], event)
    client.force_login(participants[0])
    page = client.get(url("my_registrations")).content.decode()
    assert event.title in page
    response = client.post(url("registration_cancel", first.token))
    assert response.status_code == 302
    waiting.refresh_from_db()
    assert waiting.status == RegistrationStatus.APPROVED
    # A GET cannot cancel; an unknown token is a 404.
    assert client.get(url("registration_cancel", first.token)).status_code == 405
    assert client.post(url("registration_cancel", "no-such-token")).status_code == 404


def test_follow_up_form_reaches_only_the_organisers(client, setup, event, participants, manager):
    question = Question.objects.create(
        form=setup, stage=Stage.FOLLOW_UP, label="Passport number", required=True
    )
    registration = sign_up(participants[0], event)
    assert client.get(url("follow_up", registration.token)).status_code == 404
    client.force_login(manager)
    client.post(url("participant_action", event.pk, registration.pk, "follow-up"))
    client.logout()
    response = client.post(url("follow_up", registration.token), {})
    assert response.status_code == 200 and response.context["form"].errors
    client.post(url("follow_up", registration.token), {question.key: "X7654321"})
    assert "X7654321" not in client.get(event.get_absolute_url()).content.decode()
    client.force_login(manager)
    assert "X7654321" in client.get(url("participants", event.pk)).content.decode()


def test_nomination_page_registers_officers(client, setup, event, manager, organisation, countries):
    setup.allow_nominations = True
    setup.save()
    client.force_login(manager)
    data = {
        "organisation": organisation.pk,
        "consent": "on",
        "nominees-TOTAL_FORMS": "3",
        "nominees-INITIAL_FORMS": "0",
        "nominees-MIN_NUM_FORMS": "1",
        "nominees-MAX_NUM_FORMS": "50",
        "nominees-0-name": "Officer One",
        "nominees-0-email": "one@example.org",
        "nominees-0-sex": "male",
        "nominees-1-name": "Officer Two",
        "nominees-1-email": "bad address",
        "nominees-1-sex": "female",
    }
    response = client.post(url("nominate", event.pk), data)
    assert response.status_code == 200 and not Registration.objects.exists()
    data["nominees-1-email"] = "two@example.org"
    response = client.post(url("nominate", event.pk), data)
    assert response.status_code == 302
    assert Registration.objects.filter(nominated_by_organisation=organisation).count() == 2
    # Without the management form the post is refused with a message, not an error.
    response = client.post(url("nominate", event.pk), {"organisation": organisation.pk})
    assert response.status_code == 200


# Organisers: creating and editing ------------------------------------------------------------


def event_post(project, countries, **extra):
    data = {
        "title": "Strategic planning workshop",
        "type": "workshop",
        "mode": "in_person",
        "city": "Tbilisi",
        "country": countries["GE"].pk,
        "timezone": "Asia/Tbilisi",
        "start": "2031-03-10T09:30",
        "end": "2031-03-11T17:00",
        "projects": [project.pk],
        "published": "on",
    }
    data.update(extra)
    return {k: v for k, v in data.items() if v is not None}


def test_manager_creates_an_event_with_times_at_the_venue(client, manager, project, countries):
    client.force_login(manager)
    response = client.post(url("event_create"), event_post(project, countries))
    event = Event.objects.get()
    assert response.status_code == 302
    assert event.local_start.hour == 9 and event.local_start.minute == 30
    assert event.start.utcoffset().total_seconds() == 0
    assert event.start.hour == 5, "09:30 in Tbilisi (UTC+4) is 05:30 UTC"
    assert manager in event.organisers.all() and project in event.projects.all()
    edit = client.get(url("event_edit", event.pk)).content.decode()
    assert "2031-03-10T09:30" in edit


@pytest.mark.parametrize(
    "change",
    [
        {"start": "yesterday"},
        {"end": "2031-03-09T09:00"},
        {"timezone": "Mars/Olympus"},
        {"type": "party"},
        {"country": "ZZ"},
        {"projects": ["999999"]},
        {"online_url": "javascript:alert(1)"},
        {"title": ""},
        {"city": "", "country": ""},
    ],
)
def test_malformed_event_posts_save_nothing(client, manager, project, countries, change):
    client.force_login(manager)
    response = client.post(url("event_create"), event_post(project, countries, **change))
    assert response.status_code == 200
    assert response.context["form"].errors
    assert not Event.objects.exists()


def test_the_venue_country_gives_the_time_zone_and_a_wrong_one_is_refused(
    client, manager, project, countries
):
    client.force_login(manager)
    # Bulgaria has one time zone: left empty, it is taken, and 09:30 is 06:30 UTC in March+DST.
    sofia = event_post(project, countries, country=countries["BG"].pk, timezone="")
    assert client.post(url("event_create"), sofia).status_code == 302
    event = Event.objects.get()
    assert event.timezone == "Europe/Sofia"
    assert event.local_start.hour == 9
    # A zone of another country would shift every time of the agenda.
    brussels = event_post(
        project, countries, country=countries["BG"].pk, timezone="Europe/Brussels"
    )
    response = client.post(url("event_create"), brussels)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "Europe/Brussels is not a time zone of" in errors["timezone"][0]
    assert "start" not in errors and "end" not in errors  # only the time zone is wrong
    # An online event may keep the organisers' zone whatever the country.
    online = event_post(
        project, countries, country=countries["BG"].pk, timezone="Europe/Brussels", mode="online"
    )
    online["online_url"] = "https://meet.example.org/x"
    assert client.post(url("event_create"), online).status_code == 302
    assert Event.objects.count() == 2


def test_manager_cannot_link_an_event_to_another_managers_project(
    client, manager, countries, draft_project
):
    client.force_login(manager)
    response = client.post(url("event_create"), event_post(draft_project, countries))
    assert response.status_code == 200 and "projects" in response.context["form"].errors
    assert not Event.objects.exists()


def test_only_managers_edit_an_event(client, event, other_manager, viewer, public_user):
    for user in (other_manager, viewer):
        client.force_login(user)
        assert client.get(url("event_edit", event.pk)).status_code == 403
        assert client.get(url("programme", event.pk)).status_code == 403
    client.force_login(public_user)
    assert client.get(url("event_create")).status_code == 403


def test_sessions_of_another_event_are_out_of_reach(
    client, event, session, manager, project, countries
):
    other = make_event("Other", projects=[make_project("Else", acronym="ELSE")])
    client.force_login(manager)
    assert client.get(url("part_edit", other.pk, "sessions", session.pk)).status_code == 403
    mine = make_event("Mine", projects=[project], country=countries["RS"])
    assert client.get(url("part_edit", mine.pk, "sessions", session.pk)).status_code == 404
    assert client.get(url("part_create", event.pk, "invoices")).status_code == 404


def test_session_form_places_times_in_the_venue_zone_and_rejects_bad_input(
    client, event, manager, speaker
):
    client.force_login(manager)
    good = {
        "title": "Panel on returns",
        "kind": "panel",
        "start": event.local_start.strftime("%Y-%m-%dT14:00"),
        "end": event.local_start.strftime("%Y-%m-%dT15:30"),
        "moderator": speaker.pk,
        "panellists": [speaker.pk],
    }
    bad = {**good, "moderator": "999999", "end": "soon"}
    response = client.post(url("part_create", event.pk, "sessions"), bad)
    assert response.status_code == 200 and not event.sessions.exists()
    response = client.post(url("part_create", event.pk, "sessions"), good)
    assert response.status_code == 302
    panel = event.sessions.get()
    assert panel.local_start.hour == 14 and list(panel.panellists.all()) == [speaker]


def test_registration_setup_saves_questions_and_refuses_a_broken_formset(client, event, manager):
    client.force_login(manager)
    base = {
        "is_open": "on",
        "capacity": "30",
        "waiting_list": "on",
        "retention_days": "365",
        "closes_at": "2031-01-01T12:00",
    }
    response = client.post(url("registration_setup", event.pk), base)
    assert response.status_code == 200 and not RegistrationForm.objects.exists()
    data = {
        **base,
        "questions-TOTAL_FORMS": "2",
        "questions-INITIAL_FORMS": "0",
        "questions-0-label": "Do you need a visa?",
        "questions-0-kind": "yes_no",
        "questions-0-stage": "follow_up",
        "questions-0-order": "1",
        "questions-1-label": "Role",
        "questions-1-kind": "choice",
        "questions-1-stage": "registration",
        "questions-1-order": "2",
    }
    response = client.post(url("registration_setup", event.pk), data)
    assert response.status_code == 200, "a choice question without choices is refused"
    assert not RegistrationForm.objects.exists()
    data["questions-1-choices"] = "Analyst\nInvestigator"
    response = client.post(url("registration_setup", event.pk), data)
    assert response.status_code == 302
    setup = RegistrationForm.objects.get()
    assert setup.capacity == 30 and setup.questions.count() == 2
    assert setup.consent_text, "a default consent text is filled in"
    assert setup.closes_at.astimezone(event.zone).hour == 12


# Check-in, counts, outcomes ------------------------------------------------------------------


def test_check_in_toggles_with_htmx(
    client, setup, event, session, participants, manager, check_in_open
):
    registration = sign_up(participants[0], event)
    client.force_login(manager)
    page = client.get(url("check_in", event.pk, query=f"session={session.pk}"))
    assert page.status_code == 200 and participants[0].username in page.content.decode()
    response = client.post(
        url("check_in_toggle", event.pk, registration.pk),
        {"session": session.pk, "present": "1"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200 and "is-present" in response.content.decode()
    assert Attendance.objects.filter(registration=registration, session=session).exists()
    day = event.days[0].isoformat()
    response = client.post(
        url("check_in_toggle", event.pk, registration.pk), {"day": day, "present": "1"}
    )
    assert response.status_code == 302
    assert Attendance.objects.count() == 2


@pytest.mark.parametrize("data", [{"session": "abc"}, {"day": "2024-99-99"}, {"day": "1999-01-01"}])
def test_malformed_check_in_posts_are_400(client, setup, event, participants, manager, data):
    registration = sign_up(participants[0], event)
    client.force_login(manager)
    response = client.post(url("check_in_toggle", event.pk, registration.pk), data)
    assert response.status_code == 400
    assert client.get(url("check_in", event.pk), data).status_code == 400
    assert not Attendance.objects.exists()


def test_counts_page(
    client, setup, event, session, participants, manager, countries, check_in_open
):
    registration = sign_up(participants[0], event, country=countries["RS"])
    services.set_attendance(manager, registration, True, session=session)
    client.force_login(manager)
    response = client.get(url("counts", event.pk))
    assert response.context["counts"]["attended"] == 1
    assert "Serbia" in response.content.decode()


def test_outcomes_decisions_actions_and_follow_up_event(client, event, manager):
    client.force_login(manager)
    client.post(url("outcomes", event.pk), {"synopsis": "Agreed a common plan.", "minutes": "x"})
    client.post(
        url("part_create", event.pk, "decisions"), {"text": "Meet again online", "order": 1}
    )
    decision = event.decisions.get()
    response = client.post(
        url("part_create", event.pk, "actions"),
        {
            "title": "Send the draft plan",
            "owner": "Secretariat",
            "due": "2031-13-45",
            "status": "open",
        },
    )
    assert response.status_code == 200 and not event.actions.exists()
    client.post(
        url("part_create", event.pk, "actions"),
        {
            "title": "Send the draft plan",
            "owner": "Secretariat",
            "due": "2031-05-01",
            "status": "open",
            "decision": decision.pk,
        },
    )
    assert event.actions.get().decision == decision
    form = client.get(url("event_create", query=f"parent={event.pk}")).context["form"]
    assert form.initial["parent"] == event
    event.refresh_from_db()
    assert event.synopsis == "Agreed a common plan."
    assert "Agreed a common plan." in client.get(event.get_absolute_url()).content.decode()


# The list ------------------------------------------------------------------------------------


def test_event_list_filters(client, project, countries):
    workshop = make_event("Workshop in Serbia", projects=[project], country=countries["RS"])
    visit = make_event(
        "Study visit to Georgia",
        type="study_visit",
        country=countries["GE"],
        timezone="Asia/Tbilisi",
    )
    make_event("Draft meeting", published=False, country=countries["RS"])

    def titles(query):
        return {e.title for e in client.get(url("events", query=query)).context["page"]}

    assert titles("") == {workshop.title, visit.title}
    assert titles("type=study_visit") == {visit.title}
    assert titles(f"project={project.pk}") == {workshop.title}
    assert titles("country=GE") == {visit.title}
    assert titles("q=georgia") == {visit.title}
    assert titles("when=past") == set()
    response = client.get(url("events", query="start_from=not-a-date&type=party"))
    assert response.status_code == 200 and "Some filters are not valid" in response.content.decode()


def test_event_list_query_count_does_not_grow_with_rows(
    client, project, countries, django_assert_max_num_queries
):
    make_event("First", projects=[project], country=countries["RS"])
    with django_assert_max_num_queries(20) as few:
        client.get(url("events"))
    for i in range(30):
        make_event(f"Event {i}", projects=[project], country=countries["GE"])
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url("events"))
    assert response.context["page"].paginator.count == 31


def test_events_nav_link(client, db):
    assert f'href="{url("events")}"' in client.get("/").content.decode()


def test_every_organiser_page_opens(client, setup, event, session, speaker, participants, manager):
    setup.allow_nominations = True
    setup.save()
    registration = sign_up(participants[0], event)
    talk = Talk.objects.create(session=session, title="Talk")
    client.force_login(manager)
    pages = [
        url("programme", event.pk),
        url("registration_setup", event.pk),
        url("nominate", event.pk),
        url("check_in", event.pk),
        url("outcomes", event.pk),
        url("counts", event.pk),
        url("event_create"),
        url("part_create", event.pk, "sessions"),
        url("part_create", event.pk, "talks", query=f"session={session.pk}"),
        url("part_create", event.pk, "speakers"),
        url("part_create", event.pk, "decisions"),
        url("part_create", event.pk, "actions"),
        url("part_edit", event.pk, "talks", talk.pk),
        url("part_edit", event.pk, "speakers", speaker.pk),
        url("knowledge_create", query=f"event={event.pk}"),
        registration.get_absolute_url(),
        url("my_registrations"),
    ]
    for page in pages:
        assert client.get(page).status_code == 200, page
    response = client.post(url("part_delete", event.pk, "talks", talk.pk))
    assert response.status_code == 302 and not Talk.objects.exists()
    assert client.get(url("part_delete", event.pk, "sessions", session.pk)).status_code == 405
