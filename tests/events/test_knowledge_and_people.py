"""Lessons learned and good practices across the platform; a person's one history."""

from django.urls import reverse

from liaison.core.models import AuditEntry
from liaison.directory.models import Person
from liaison.events import services
from liaison.events.models import KnowledgeItem, KnowledgeKind, Talk
from liaison.portfolio.models import Theme
from tests.events.conftest import sign_up


def knowledge(query=""):
    return reverse("events:knowledge") + (f"?{query}" if query else "")


def make_item(title, body="", *, kind=KnowledgeKind.LESSON, themes=(), **extra):
    item = KnowledgeItem.objects.create(kind=kind, title=title, body=body or title, **extra)
    item.themes.set(Theme.objects.filter(code__in=themes))
    return item


def test_knowledge_search_by_words_kind_theme_and_event(client, event, project, draft_project):
    joint = make_item(
        "Joint patrols need one radio channel",
        "Agree the frequencies before the exercise.",
        themes=["police-cooperation"],
        event=event,
        project=project,
    )
    practice = make_item(
        "Shared risk analysis template", kind=KnowledgeKind.GOOD_PRACTICE, project=project
    )
    hidden = make_item("Pipeline idea", project=draft_project)

    def titles(query):
        return {i.title for i in client.get(knowledge(query)).context["page"]}

    assert titles("") == {joint.title, practice.title}, "a draft project's items stay private"
    assert titles("q=frequencies exercise") == {joint.title}
    assert titles("q=radio template") == set()
    assert titles("kind=good_practice") == {practice.title}
    assert titles("theme=police-cooperation") == {joint.title}
    assert titles(f"event={event.pk}") == {joint.title}
    assert client.get(hidden.get_absolute_url()).status_code == 404
    response = client.get(knowledge("kind=gossip&event=abc"))
    assert response.status_code == 200 and "not valid" in response.content.decode()
    assert joint.title in client.get(event.get_absolute_url()).content.decode()


def test_manager_records_a_lesson_with_an_audit_entry(client, manager, event, public_user):
    client.force_login(public_user)
    assert client.get(reverse("events:knowledge_create")).status_code == 403
    client.force_login(manager)
    theme = Theme.objects.first()
    response = client.post(
        reverse("events:knowledge_create"),
        {
            "kind": "lesson",
            "title": "Invite the customs officers too",
            "body": "Border checks involve them.",
            "themes": [theme.pk],
            "event": event.pk,
            "published": "on",
        },
    )
    item = KnowledgeItem.objects.get()
    assert response.status_code == 302 and item.event == event and item.created_by == manager
    assert AuditEntry.objects.filter(action="knowledge.created").exists()
    bad = client.post(reverse("events:knowledge_create"), {"kind": "rumour", "event": "x"})
    assert bad.status_code == 200 and KnowledgeItem.objects.count() == 1


def test_person_page_lists_attended_sessions_and_talks(
    client, setup, event, session, speaker, participants, manager, viewer, check_in_open
):
    registration = sign_up(participants[0], event)
    services.set_attendance(manager, registration, True, session=session)
    services.set_attendance(manager, registration, True, day=event.days[1])
    person = Person.objects.get(user=participants[0])
    speaker.person = person
    speaker.save()
    Talk.objects.create(session=session, title="What we learned").speakers.add(speaker)

    client.force_login(participants[0])
    response = client.get(reverse("web:me"), follow=True)
    body = response.content.decode()
    assert response.redirect_chain[-1][0] == person.get_absolute_url()
    assert event.title in body and session.title in body and "What we learned" in body
    assert "Attended on" in body
    client.force_login(viewer)
    assert client.get(person.get_absolute_url()).status_code == 200
    client.force_login(participants[1])
    assert client.get(person.get_absolute_url()).status_code == 403
    client.logout()
    assert client.get(person.get_absolute_url()).status_code == 403


def test_participants_are_not_listed_as_contact_points(
    client, setup, event, participants, viewer, organisation, contact
):
    sign_up(participants[0], event, organisation=organisation)
    client.force_login(viewer)
    body = client.get(organisation.get_absolute_url()).content.decode()
    assert contact.name in body
    assert participants[0].username not in body
