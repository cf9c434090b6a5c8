"""Every page and API endpoint, tried as an institution's administrator, one of its officers,
another institution's administrator, a national focal point and a visitor, over the demo data.

Two rules hold everywhere, whatever the view:

- A page never shows the e-mail address of a person or a registration that the one reading it
  may not see (``Person.objects.visible_to`` and ``Registration.objects.visible_to`` are the
  rule); a page never answers with a server error.
- A POST to a page about somebody else's record, by an officer or by another institution's
  administrator, changes nothing: no row added or removed, no audit entry, no version moved.

The URL patterns are read from the URL configuration, so a view added later is tried too; it
needs a sample below only when its path takes an id.
"""

import re
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import transaction
from django.db.models import Max
from django.test import override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from liaison.core.models import AuditEntry, User
from liaison.core.tokens import TokenScope, create_token
from liaison.directory.models import Person
from liaison.events.models import Registration

READERS = ["me-admin", "me-officer", "md-admin", "focal", None]
WRITERS = ["me-officer", "md-admin"]
OWN_ACCOUNT = ("account_", "mfa_", "usersessions", "end_other_sessions", "set_language", "my:")


def _patterns(resolver=None, namespace=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = entry.namespace or ""
            name = f"{namespace}:{inner}" if namespace and inner else (inner or namespace)
            yield from _patterns(entry, name)
        elif isinstance(entry, URLPattern) and entry.name:
            yield (f"{namespace}:{entry.name}" if namespace else entry.name), entry


def _route_names() -> list[str]:
    names = []
    for name, entry in _patterns():
        if name.startswith("admin:") or "format" in str(entry.pattern):
            continue
        if name not in names:
            names.append(name)
    return names


# The model each id in a path names. String parts (kinds, actions, steps) take the value shown.
MODELS = {
    "directory:organisation_reviewed": "directory.Organisation",
    "directory:person_merge": {"first": "directory.Person", "second": "directory.Person"},
    "directory:organisation_role": "directory.Organisation",
    "directory:affiliation_end": "directory.Affiliation",
    "directory:network": "directory.Network",
    "invitations:invite": {"person_pk": "directory.Person"},
    "invitations:resend": "invitations.Invitation",
    "invitations:withdraw": "invitations.Invitation",
    "ingest:batch": "ingest.ImportBatch",
    "ingest:review": "ingest.Factsheet",
    "ingest:discard": "ingest.Factsheet",
    "events:network_calendar": "directory.Network",
    "events:project_calendar": "portfolio.Project",
    "events:knowledge_item": "events.KnowledgeItem",
    "events:knowledge_edit": "events.KnowledgeItem",
    "events:part_create": {"pk": "events.Event", "kind": "sessions"},
    "events:part_edit": {"pk": "events.Event", "kind": "sessions", "part_pk": "events.Session"},
    "events:part_delete": {"pk": "events.Event", "kind": "talks", "part_pk": "events.Talk"},
    "events:participant_action": {
        "pk": "events.Event",
        "registration_pk": "events.Registration",
        "action": "approve",
    },
    "events:check_in_toggle": {"pk": "events.Event", "registration_pk": "events.Registration"},
    "training:translation_edit": {
        "pk": "training.Module",
        "translation_pk": "training.ModuleTranslation",
    },
    "training:centre": "training.TrainingCentre",
    "training:centres": None,
    "training:trainer_pool": "training.TrainingCentre",
    "training:trainer_active": "training.Trainer",
    "training:trainer": "training.Trainer",
    "training:trainee": "directory.Person",
    "training:lessons": "training.Module",
    "training:lesson_add": {"module_pk": "training.Module"},
    "training:part_add": {"lesson_pk": "training.Lesson", "kind": "text"},
    # The content origin's pages: the attempt's token is the only credential.
    "play:player": {"token": "forged-secret"},
    "play:file": {"token": "forged-secret", "path": "index.html"},
    "play:commit": {"token": "forged-secret"},
    "training:quiz_list": "training.Module",
    "training:quiz_new": "training.Module",
    "training:question_new": "training.Quiz",
    "training:question_edit": "training.Question",
    "training:question_delete": "training.Question",
    "training:attempt": "training.QuizAttempt",
    "training:quiz_attempts": {"course_pk": "training.Course", "pk": "training.Quiz"},
    "training:practical": "training.PracticalAssessment",
    "training:practical_edit": "training.PracticalAssessment",
    "training:session_edit": "training.CourseSession",
    "training:session_delete": "training.CourseSession",
    "training:attendance": "training.CourseSession",
    "training:enrolment_withdraw": "training.Enrolment",
    "training:enrolment_decide": {"pk": "training.Enrolment", "action": "approve"},
    "training:issue_certificate": "training.Enrolment",
    "training:claim_certificate": "training.Enrolment",
    "training:xapi_delivery_retry": "training.XapiDelivery",
    "training:plan_part_create": {"pk": "training.TrainingPlan", "kind": "needs"},
    "training:plan_part_edit": {
        "pk": "training.TrainingPlan",
        "kind": "needs",
        "part_pk": "training.TrainingNeed",
    },
    "training:plan_part_delete": {
        "pk": "training.TrainingPlan",
        "kind": "targets",
        "part_pk": "training.PlanTarget",
    },
    "assessments:answer": {"pk": "assessments.Assessment", "area_pk": "assessments.Area"},
    "assessments:area_result": {"pk": "assessments.Assessment", "area_pk": "assessments.Area"},
    "assessments:area_edit": {"pk": "assessments.Template", "area_pk": "assessments.Area"},
    "assessments:area_create": "assessments.Template",
    "assessments:question_create": {"pk": "assessments.Template", "area_pk": "assessments.Area"},
    "assessments:question_edit": {
        "pk": "assessments.Template",
        "area_pk": "assessments.Area",
        "question_pk": "assessments.Question",
    },
    "assessments:part_move": {
        "pk": "assessments.Template",
        "kind": "areas",
        "part_pk": "assessments.Area",
    },
    "assessments:part_delete": {
        "pk": "assessments.Template",
        "kind": "questions",
        "part_pk": "assessments.Question",
    },
    "equipment:action": {"pk": "equipment.Item", "action": "approve"},
    "results:result_edit": "results.Result",
    "results:result_delete": "results.Result",
    "results:indicator_create": "results.Result",
    "results:indicator": "results.Indicator",
    "results:indicator_edit": "results.Indicator",
    "results:indicator_delete": "results.Indicator",
    "results:targets": "results.Indicator",
    "results:values": {"pk": "results.Indicator", "period_pk": "results.ReportingPeriod"},
    "results:period_edit": "results.ReportingPeriod",
    "results:period_delete": "results.ReportingPeriod",
    "results:report": "results.ReportingPeriod",
    "results:report_step": {"pk": "results.ReportingPeriod", "step": "submit"},
    "results:report_pdf": "results.ReportingPeriod",
    "results:report_xlsx": "results.ReportingPeriod",
    "results:risk_edit": "results.Risk",
    "results:risk_delete": "results.Risk",
    "privacy:erasure": "privacy.ErasureRequest",
    "my:token_revoke": "core.PersonalAccessToken",
    "web:organisation": "directory.Organisation",
    "web:person": "directory.Person",
    "web:country": {"code": "ME"},
    "training:verify": {"code": "training.Certificate.code"},
    "events:registration": {"token": "events.Registration.token"},
    "events:registration_cancel": {"token": "events.Registration.token"},
    "events:follow_up": {"token": "events.Registration.token"},
    "events:registration_answers": {"token": "events.Registration.token"},
    "events:my_calendar": {"token": "not-a-token"},
    "invitations:accept": {"token": "forged-invitation-token"},
    "account_confirm_email": {"key": "forged-key"},
    "account_reset_password_from_key": {"uidb36": "1", "key": "forged-key"},
    "api:not-found": {"path": "nothing/here"},
    "api:assessment-answers": {"pk": "assessments.Assessment", "area_id": "assessments.Area"},
    "api:country-detail": {"code": "ME"},
    "grants:ranking": {"reference": "grants.Call.reference", "number": "1"},
    "grants:decide": {"reference": "grants.Call.reference", "number": "1"},
    "grants:call_document": {"reference": "grants.Call.reference", "pk": "grants.CallDocument"},
    "grants:call_question_answer": {
        "reference": "grants.Call.reference",
        "pk": "grants.CallQuestion",
    },
    "grants:call_question_unpublish": {
        "reference": "grants.Call.reference",
        "pk": "grants.CallQuestion",
    },
    "grants:form_question_add": "grants.FormSection",
    "api:grant-application-answer-file": {
        "pk": "grants.Application",
        "key": "grants.FormQuestion.key",
    },
    "grants:form_section_move": {"pk": "grants.FormSection", "direction": "up"},
    "grants:form_question_move": {"pk": "grants.FormQuestion", "direction": "up"},
}

# By the first part of the name, the model a bare ``pk`` names.
PREFIXES = {
    "portfolio:project": "portfolio.Project",
    "results:logframe": "portfolio.Project",
    "results:recount": "portfolio.Project",
    "results:result_create": "portfolio.Project",
    "results:periods": "portfolio.Project",
    "results:period_create": "portfolio.Project",
    "results:risk": "portfolio.Project",
    "events:": "events.Event",
    "api:event-": "events.Event",
    "training:translation": "training.Module",
    "training:module": "training.Module",
    "training:lesson": "training.Lesson",
    "training:part": "training.LessonPart",
    "training:scorm": "training.LessonPart",
    "training:quiz": "training.Quiz",
    "training:course": "training.Course",
    "training:session_create": "training.Course",
    "training:nominate": "training.Course",
    "training:enrolments": "training.Course",
    "training:practical_new": "training.Course",
    "training:evaluation": "training.Course",
    "training:close_course": "training.Course",
    "training:certificate": "training.Certificate",
    "training:revoke_certificate": "training.Certificate",
    "training:plan": "training.TrainingPlan",
    "assessments:template": "assessments.Template",
    "assessments:": "assessments.Assessment",
    "equipment:": "equipment.Item",
    "grants:form_builder": "grants.Call.reference",
    "grants:form_section": "grants.FormSection",
    "grants:form_question": "grants.FormQuestion",
    "grants:answer_file": "grants.Answer",
    "exchange:assign": "exchange.Case",
    "exchange:restrict_case": "exchange.Case",
    "exchange:reply": "exchange.Case",
    "exchange:refuse": "exchange.Case",
    "exchange:case_follow_up": "exchange.Case",
    "exchange:grant": "exchange.Message",
    "exchange:pass_on": "exchange.Message",
    "exchange:attachment": "exchange.Attachment",
    "exchange:": "exchange.Request",
    "api:exchange-request": "exchange.Request",
    "grants:call": "grants.Call.reference",
    "grants:apply": "grants.Call.reference",
    "grants:overview": "grants.Call.reference",
    "grants:partner_": "grants.Partner",
    "grants:reviewers": "grants.Call.reference",
    "grants:review": "grants.Assignment",
    "grants:unassign": "grants.Assignment",
    "grants:": "grants.Application",
}


def _model_for(name: str, entry) -> str | None:
    if name in MODELS and isinstance(MODELS[name], str):
        return MODELS[name]
    for prefix, label in PREFIXES.items():
        if name.startswith(prefix):
            return label
    if name.startswith("api:"):
        view = getattr(entry.callback, "cls", None)
        queryset = getattr(view, "queryset", None)
        if queryset is not None:
            return queryset.model._meta.label
        serializer = getattr(view, "serializer_class", None)
        if serializer is not None:
            return serializer.Meta.model._meta.label
    return None


# Where a record's state decides what a POST may do, the sample is one an action still applies
# to, so that a missing permission check shows as a change rather than as "already done".
ACTIONABLE = {
    "training.Enrolment": {"status": "nominated"},
    "events.Registration": {"status": "pending"},
    "equipment.Item": {"status": "requested"},
    "invitations.Invitation": {"accepted_at__isnull": True, "withdrawn_at__isnull": True},
    "assessments.Assessment": {"status": "in_progress"},
    "grants.Application": {"status": "draft"},
    "grants.Partner": {"application__status": "draft"},
    "grants.Assignment": {"conflict": "undeclared"},
    "exchange.Request": {"status": "sent"},
    "exchange.Case": {"status": "received"},
}


def _sample(label: str, avoid: set[int]):
    """The first record of ``label`` not belonging to the readers themselves; a missing one
    gives an id that names nothing (the page must then say "not found")."""
    *model_label, field = label.split(".") if label.count(".") == 2 else (*label.split("."), "pk")
    model = apps.get_model(".".join(model_label))
    rows = model.objects.order_by("pk")
    fields = {field.name for field in model._meta.get_fields()}
    owners = [
        o for o in ("user", "person__user", "enrolment__person__user") if o.split("__")[0] in fields
    ]
    if owners:
        rows = rows.exclude(**{f"{owners[0]}__in": avoid})
    row = rows.filter(**ACTIONABLE.get(model._meta.label, {})).first() or rows.first()
    if row is None:
        return 999_999 if field == "pk" else "missing"
    return getattr(row, field)


def _url(name: str, entry, avoid: set[int], forge_secrets=False) -> str:
    params = re.findall(r"<(?:\w+:)?(\w+)>|\(\?P<(\w+)>", str(entry.pattern))
    keys = [a or b for a, b in params]
    if not keys:
        return reverse(name)
    given = MODELS.get(name)
    given = given if isinstance(given, dict) else {}
    kwargs = {}
    for key in keys:
        value = given.get(key)
        if forge_secrets and key in ("token", "key"):
            value = "forged-secret"  # holding the real link is the right to use it
        elif value is None:
            label = _model_for(name, entry)
            assert label, f"{name}: say which model its <{key}> names in MODELS"
            value = _sample(label, avoid)
        elif "." in value and value[0].islower() and value.split(".")[0] in _APP_LABELS:
            value = _sample(value, avoid)
        kwargs[key] = value
    return reverse(name, kwargs=kwargs)


_APP_LABELS = {
    "directory",
    "events",
    "training",
    "assessments",
    "equipment",
    "results",
    "portfolio",
    "ingest",
    "invitations",
    "privacy",
    "core",
    "grants",
    "exchange",
}

ROUTES = [(name, entry) for name, entry in _patterns() if not name.startswith("admin:")]
ROUTES = [(n, e) for n, e in ROUTES if "format" not in str(e.pattern)]
ROUTES = list({n: (n, e) for n, e in ROUTES}.values())


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo, loaded once for the module inside a transaction that is rolled back after."""
    media = tmp_path_factory.mktemp("media")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media):
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            call_command("demo", "--projects", "1", "--seed", "1", stdout=StringIO())
            users = {u.username: u for u in User.objects.filter(username__in=READERS)}
            yield users
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def _hidden_emails(user) -> set[str]:
    from django.contrib.auth.models import AnonymousUser

    user = user or AnonymousUser()
    people = Person.objects.exclude(pk__in=Person.objects.visible_to(user).values("pk"))
    registrations = Registration.objects.exclude(
        pk__in=Registration.objects.visible_to(user).values("pk")
    )
    emails = set(people.exclude(email="").values_list("email", flat=True))
    emails |= set(registrations.exclude(email="").values_list("email", flat=True))
    mine = {user.email.lower()} if getattr(user, "email", "") else set()
    return {e for e in emails if e.lower() not in mine}


def _shows(text: str, email: str) -> bool:
    """Whether ``email`` stands in ``text`` as a whole address (not inside jelena@...)."""
    return re.search(rf"(?<![\w.+-]){re.escape(email.lower())}(?![\w-])", text) is not None


def _fingerprint() -> dict:
    """Row counts of every table, the newest audit entry and every record version."""
    prints = {}
    for model in apps.get_models():
        if model._meta.label in IGNORED:
            continue
        prints[model._meta.label] = model.objects.count()
        if any(f.name == "version" for f in model._meta.fields):
            prints[model._meta.label + ".version"] = model.objects.aggregate(v=Max("version"))["v"]
    prints["audit"] = AuditEntry.objects.aggregate(last=Max("pk"))["last"]
    return prints


# Reading a page is recorded (sessions, the read log, the cache): not a change to a record.
IGNORED = {
    "sessions.Session",
    "usersessions.UserSession",
    "accounts.SignIn",
    "directory.PersonalDataRead",
    "core.PersonalAccessToken",
    "core.AuditEntry",
}


def _write_token(user) -> str:
    _token, secret = create_token(user, "every page", TokenScope.WRITE, 30)
    return secret


def _client_for(client, users, username):
    if username:
        client.force_login(users[username])
    return client


@pytest.mark.parametrize("name,entry", ROUTES, ids=[n for n, _ in ROUTES])
def test_no_page_shows_what_its_reader_may_not_see(db, client, world, name, entry):
    avoid = {u.pk for u in world.values()}
    url = _url(name, entry, avoid)
    for username in READERS:
        client.logout()
        _client_for(client, world, username)
        response = client.get(url)
        assert response.status_code < 500, f"{url} as {username}: {response.status_code}"
        if response.get("Content-Type", "").startswith(("text/", "application/json")):
            body = b"".join(response) if response.streaming else response.content
            text = body.decode(errors="replace").lower()
            leaked = [e for e in _hidden_emails(world.get(username)) if _shows(text, e)]
            assert not leaked, f"{url} shows {leaked[:3]} to {username}"


WRITE_ROUTES = [(n, e) for n, e in ROUTES if "<" in str(e.pattern) or "(?P" in str(e.pattern)]
WRITE_ROUTES = [(n, e) for n, e in WRITE_ROUTES if not n.startswith(OWN_ACCOUNT)]


@pytest.mark.parametrize("name,entry", WRITE_ROUTES, ids=[n for n, _ in WRITE_ROUTES])
def test_nobody_changes_another_institutions_records(db, client, world, name, entry):
    avoid = {u.pk for u in world.values()}
    url = _url(name, entry, avoid, forge_secrets=True)
    for username in WRITERS:
        client.logout()
        headers = {}
        if name.startswith("api:"):
            # The API refuses a session's POST without its CSRF token before any permission
            # check; a read-write personal token reaches the check itself.
            headers["Authorization"] = f"Bearer {_write_token(world[username])}"
        else:
            _client_for(client, world, username)
        before = _fingerprint()
        response = client.post(url, {"reason": "forged", "note": "forged"}, headers=headers)
        assert response.status_code < 500, f"POST {url} as {username}: {response.status_code}"
        if name.startswith("api:"):
            forged = {"status": "approved", "title": "Forged", "name": "Forged"}
            for send in (client.patch, client.put, client.delete):
                response = send(url, forged, content_type="application/json", headers=headers)
                assert response.status_code < 500, f"{url} as {username}: {response.status_code}"
        after = _fingerprint()
        changed = {k: (before[k], after[k]) for k in before if before[k] != after[k]}
        assert not changed, f"POST {url} as {username} changed {changed}"
