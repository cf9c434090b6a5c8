"""Pages of events: list, event and agenda, registration, participants, check-in, outcomes,
calendar feeds and the report.

Views stay thin: they validate with forms, call ``services`` and the named permission checks,
and turn a domain refusal into a message on the form; nothing is half-saved and a forged post
gets a form error, a 400 or a 404, never a 500.
"""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from liaison.directory.models import Network, Organisation
from liaison.directory.readlog import ReadKind, record_reads
from liaison.directory.scopes import administered_organisations
from liaison.portfolio.models import Project

from . import calendars, exports, permissions, report, services
from .filters import EventFilter, KnowledgeFilter
from .forms import (
    ActionForm,
    AnswersForm,
    DecisionForm,
    EventForm,
    KnowledgeItemForm,
    NominationForm,
    NomineeFormSet,
    OutcomeTextForm,
    QuestionFormSet,
    RegisterForm,
    RegistrationSetupForm,
    SessionForm,
    SpeakerForm,
    TalkForm,
)
from .models import (
    Attendance,
    CalendarToken,
    Decision,
    Event,
    FollowUpAction,
    KnowledgeItem,
    Registration,
    RegistrationForm,
    RegistrationStatus,
    Session,
    Speaker,
    Stage,
    Talk,
)

EVENTS_PER_PAGE = 25
PARTICIPANTS_PER_PAGE = 100


def _visible_event(request, pk) -> Event:
    return get_object_or_404(
        Event.objects.visible_to(request.user).select_related("country", "network", "parent"),
        pk=pk,
    )


def _event_if(request, pk, check) -> Event:
    """The event, if the user may see it (else 404) and ``check`` allows them (else 403)."""
    event = _visible_event(request, pk)
    allowed, why = check(request.user, event)
    if not allowed:
        raise PermissionDenied(why)
    return event


def _managed_event(request, pk) -> Event:
    return _event_if(request, pk, permissions.can_manage_event)


def _posted(request):
    """The posted data, even when empty, so an empty post shows the form's errors."""
    return request.POST if request.method == "POST" else None


def _refused(form, error):
    form.add_error(None, _("Nothing was saved: %(reason)s") % {"reason": error})


# List, event page, agenda -------------------------------------------------------------------


def event_list(request):
    """Events the visitor may see, filtered in the database; the URL carries the filters."""
    events = Event.objects.visible_to(request.user).for_list()
    filterset = EventFilter(request.GET or None, queryset=events, user=request.user)
    if filterset.is_bound and not filterset.is_valid():
        results = events.none()
    else:
        results = filterset.qs
    page = Paginator(results, EVENTS_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    template = "events/_event_results.html" if request.htmx else "events/event_list.html"
    response = render(
        request,
        template,
        {
            "filter": filterset,
            "page": page,
            "query": query.urlencode(),
            "can_create": permissions.can_create_event(request.user)[0],
            "feeds": _calendar_feeds(filterset),
        },
    )
    patch_vary_headers(response, ["HX-Request"])
    return response


def _calendar_feeds(filterset) -> list[tuple[str, str]]:
    """The calendar feeds of the network or the one public project the list is filtered by."""
    if not filterset.is_bound or not filterset.is_valid():
        return []
    feeds = []
    network = filterset.form.cleaned_data.get("network")
    if network:
        feeds.append((str(network), reverse("events:network_calendar", args=[network.pk])))
    projects = filterset.form.cleaned_data.get("project") or []
    if len(projects) == 1 and projects[0].is_public:
        project = projects[0]
        feed = reverse("events:project_calendar", args=[project.pk])
        feeds.append((project.acronym or project.title, feed))
    return feeds


def _my_registration(user, event):
    if not getattr(user, "is_authenticated", False):
        return None
    return Registration.objects.filter(event=event, user=user).order_by("-created").first()


def event_detail(request, pk):
    """The public page shows the agenda and speakers; managers see what they can do."""
    event = _visible_event(request, pk)
    can_manage, _why = permissions.can_manage_event(request.user, event)
    form = event.registration_form
    now = timezone.now()
    projects = list(event.projects.visible_to(request.user))
    context = {
        "event": event,
        "agenda": event.agenda_by_day(),
        "speakers": event.speakers.select_related("organisation", "country"),
        "projects": projects,
        "calendar_feeds": _event_calendar_feeds(event, projects),
        "follow_ups": event.follow_ups.visible_to(request.user).order_by("start"),
        "can_manage": can_manage,
        "show_link": permissions.can_see_online_link(request.user, event)[0],
        "registration_form": form,
        "registration_refusal": form.refusal(now) if form else _("No registration."),
        "my_registration": _my_registration(request.user, event),
        "can_see_report": permissions.can_see_report(request.user, event)[0],
        "knowledge": event.knowledge_items.visible_to(request.user).prefetch_related("themes"),
        "decisions": event.decisions.all()
        if getattr(request.user, "is_liaison_staff", False)
        else [],
    }
    if form and form.publish_list:
        context["published_participants"] = (
            Registration.objects.filter(event=event).published().for_list().order_by("name")
        )
    if can_manage:
        context["status_counts"] = dict(
            Registration.objects.filter(event=event)
            .values_list("status")
            .annotate(n=Count("pk"))
            .order_by()
        )
    return render(request, "events/event_detail.html", context)


def _event_calendar_feeds(event, projects) -> list[tuple[str, str]]:
    """The feeds of the event's network and public projects, to subscribe to."""
    feeds = []
    if event.network:
        feed = reverse("events:network_calendar", args=[event.network.pk])
        feeds.append((str(event.network), feed))
    for project in projects:
        if project.is_public:
            feed = reverse("events:project_calendar", args=[project.pk])
            feeds.append((project.acronym or project.title, feed))
    return feeds


def agenda(request, pk):
    """The agenda alone: one column on a phone, clean on paper."""
    event = _visible_event(request, pk)
    return render(
        request,
        "events/agenda.html",
        {
            "event": event,
            "agenda": event.agenda_by_day(),
            "show_link": permissions.can_see_online_link(request.user, event)[0],
        },
    )


# Creating and editing ------------------------------------------------------------------------


@login_required
def event_create(request):
    allowed, why = permissions.can_create_event(request.user)
    if not allowed:
        raise PermissionDenied(why)
    # No time zone assumed: the venue country's own is taken when it has one (EventForm).
    initial = {}
    parent_pk = request.GET.get("parent", "")
    if parent_pk.isdigit():
        parent = Event.objects.managed_by(request.user).filter(pk=parent_pk).first()
        if parent:
            initial.update(
                {
                    "parent": parent,
                    "title": _("Follow-up: %(title)s") % {"title": parent.title},
                    "projects": list(parent.projects.all()),
                    "network": parent.network,
                    "timezone": parent.timezone,
                }
            )
    form = EventForm(_posted(request), user=request.user, initial=initial)
    return _save_event(request, form, None)


@login_required
def event_edit(request, pk):
    event = _managed_event(request, pk)
    form = EventForm(_posted(request), instance=event, user=request.user)
    return _save_event(request, form, event)


def _save_event(request, form, event):
    if request.method == "POST" and form.is_valid():
        try:
            with form.unchanged():
                saved = services.save_event(
                    request.user,
                    event,
                    form.event_fields(),
                    projects=form.cleaned_data["projects"],
                    organisers=form.cleaned_data["organisers"],
                    reason=form.cleaned_data.get("reason", ""),
                )
        except services.PermissionDenied as error:
            _refused(form, error)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The event was saved."))
            return redirect(saved)
    return render(request, "events/event_form.html", {"form": form, "event": event})


# Parts of an event: sessions, talks, speakers, decisions, follow-up actions ------------------

PARTS = {
    "sessions": (Session, SessionForm, "event", "events:programme"),
    "talks": (Talk, TalkForm, "session__event", "events:programme"),
    "speakers": (Speaker, SpeakerForm, "event", "events:programme"),
    "decisions": (Decision, DecisionForm, "event", "events:outcomes"),
    "actions": (FollowUpAction, ActionForm, "event", "events:outcomes"),
}


def _part(event, kind, part_pk):
    if kind not in PARTS:
        raise Http404
    model, form_class, path, back = PARTS[kind]
    instance = None
    if part_pk is not None:
        instance = get_object_or_404(model.objects.filter(**{path: event}), pk=part_pk)
    return model, form_class, instance, back


@login_required
def programme(request, pk):
    """Where organisers build the agenda: sessions, talks, panels and speakers."""
    event = _managed_event(request, pk)
    return render(
        request,
        "events/programme.html",
        {
            "event": event,
            "agenda": event.agenda_by_day(),
            "speakers": event.speakers.select_related("organisation"),
        },
    )


@login_required
def part_edit(request, pk, kind, part_pk=None):
    event = _managed_event(request, pk)
    model, form_class, instance, back = _part(event, kind, part_pk)
    initial = {}
    if kind == "talks" and request.GET.get("session", "").isdigit():
        initial["session"] = request.GET["session"]
    form = form_class(_posted(request), instance=instance, event=event, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            with form.unchanged():
                services.save_part(request.user, event, form.instance, relations=form.relations())
        except services.PermissionDenied as error:
            raise PermissionDenied(str(error)) from error
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Saved."))
            return redirect(back, pk=event.pk)
    return render(
        request,
        "events/part_form.html",
        {
            "event": event,
            "form": form,
            "title": model._meta.verbose_name,
            "instance": instance,
            "back": reverse(back, args=[event.pk]),
            "delete_url": reverse("events:part_delete", args=[event.pk, kind, instance.pk])
            if instance
            else "",
        },
    )


@login_required
@require_POST
def part_delete(request, pk, kind, part_pk):
    event = _managed_event(request, pk)
    _model, _form, instance, back = _part(event, kind, part_pk)
    services.delete_part(request.user, event, instance)
    messages.success(request, _("Removed."))
    return redirect(back, pk=event.pk)


# Registration form, registering, nominating --------------------------------------------------


@login_required
def registration_setup(request, pk):
    event = _managed_event(request, pk)
    setup = RegistrationForm.objects.filter(event=event).first() or RegistrationForm(event=event)
    data = request.POST if request.method == "POST" else None
    form = RegistrationSetupForm(data, instance=setup, event=event)
    questions = QuestionFormSet(data, instance=setup, prefix="questions")
    if data is not None and form.is_valid() and questions.is_valid():
        rows = []
        for question_form in questions.forms:
            if not question_form.has_changed() and not question_form.instance.pk:
                continue
            row = {
                name: question_form.cleaned_data.get(name)
                for name in ("stage", "label", "kind", "choices", "required", "order")
            }
            row["instance"] = question_form.instance if question_form.instance.pk else None
            row["delete"] = bool(question_form.cleaned_data.get("DELETE"))
            rows.append(row)
        fields = {name: form.cleaned_data.get(name) for name in services.FORM_FIELDS}
        try:
            services.configure_registration(request.user, event, fields, rows)
        except services.PermissionDenied as error:
            _refused(form, error)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The registration form was saved."))
            return redirect("events:registration_setup", pk=event.pk)
    return render(
        request,
        "events/registration_setup.html",
        {"event": event, "form": form, "questions": questions},
    )


def _questions(event, stage):
    form = event.registration_form
    return list(form.questions.filter(stage=stage)) if form else []


@login_required
def register(request, pk):
    """A signed-in person registers themselves; the rules are the service's."""
    event = _visible_event(request, pk)
    setup = event.registration_form
    refusal = (
        setup.refusal(timezone.now()) if setup else _("Registration for this event is not open.")
    )
    mine = _my_registration(request.user, event)
    if mine is not None:
        messages.info(request, _("You are already registered for this event."))
        return redirect(mine)
    person = getattr(request.user, "person", None)
    initial = {
        "name": request.user.get_full_name() or request.user.get_username(),
        "email": request.user.email,
    }
    if person is not None:
        initial.update(
            {
                "name": person.name,
                "email": person.email or request.user.email,
                "position": person.position,
                "organisation": person.organisation_id,
            }
        )
    form = RegisterForm(
        _posted(request),
        initial=initial,
        questions=_questions(event, Stage.REGISTRATION),
        consent_text=setup.consent_text if setup else "",
        own_email=initial["email"],
    )
    if request.method == "POST" and not refusal and form.is_valid():
        try:
            registration = services.register(
                request.user,
                event,
                form.person(),
                form.answers(),
                form.cleaned_data["consent"],
            )
        except (services.RegistrationRefused, services.PermissionDenied) as error:
            _refused(form, error)
        else:
            messages.success(request, _status_message(registration))
            return redirect(registration)
    elif request.method == "POST" and refusal:
        form.add_error(None, refusal)
    return render(
        request,
        "events/register.html",
        {"event": event, "form": form, "refusal": refusal, "setup": setup},
    )


def _status_message(registration):
    return {
        RegistrationStatus.APPROVED: _("You are registered. A confirmation is on its way."),
        RegistrationStatus.PENDING: _("Your registration waits for the organisers' approval."),
        RegistrationStatus.WAITLISTED: _(
            "The event is full: you are on the waiting list and will hear when a place frees up."
        ),
    }.get(registration.status, registration.get_status_display())


def _nominating_organisations(user, event):
    if permissions.can_manage_event(user, event)[0]:
        return Organisation.objects.select_related("country")
    return permissions.nominating_organisations(user)


@login_required
def nominate(request, pk):
    """An institution nominates its officers; all are registered or none."""
    event = _visible_event(request, pk)
    setup = event.registration_form
    if setup is None or not setup.allow_nominations:
        raise Http404
    organisations = _nominating_organisations(request.user, event)
    if not organisations.exists():
        raise PermissionDenied(_("You may nominate officers of your own institution only."))
    data = request.POST if request.method == "POST" else None
    form = NominationForm(data, organisations=organisations)
    nominees = NomineeFormSet(data, prefix="nominees")
    if data is not None and form.is_valid() and nominees.is_valid():
        people = [row for row in nominees.cleaned_data if row]
        try:
            registrations = services.nominate(
                request.user,
                event,
                form.cleaned_data["organisation"],
                people,
                form.cleaned_data["consent"],
            )
        except (services.RegistrationRefused, services.PermissionDenied) as error:
            _refused(form, error)
        else:
            messages.success(
                request,
                _("%(count)d officers were nominated; each receives an e-mail.")
                % {"count": len(registrations)},
            )
            return redirect(event)
    return render(
        request,
        "events/nominate.html",
        {"event": event, "form": form, "nominees": nominees, "setup": setup},
    )


def _answers_editable(user, registration, token="", now=None) -> bool:
    """Whether to offer "Update your answers": the registrant, while ``answers_refusal`` is
    empty (an active registration of an event that has not started and asks questions)."""
    allowed, _why = permissions.can_update_answers(user, registration, token)
    return allowed and not services.answers_refusal(registration, now)


@login_required
def my_registrations(request):
    registrations = list(
        Registration.objects.filter(user=request.user)
        .select_related("event__country", "event__registration_setup")
        .prefetch_related("event__registration_setup__questions")
        .order_by("-event__start")
    )
    now = timezone.now()
    for registration in registrations:
        registration.answers_editable = _answers_editable(request.user, registration, now=now)
    token = CalendarToken.for_user(request.user).token
    institution = (
        Registration.objects.visible_to(request.user)
        .of_administered_institutions(request.user)
        .exclude(user=request.user)
        .select_related("event", "organisation", "nominated_by_organisation")
        .order_by("-event__start", "name")
    )
    institution = list(institution[:200])
    record_reads(request.user, institution, ReadKind.REGISTRATION, path=request.get_full_path())
    return render(
        request,
        "events/my_registrations.html",
        {
            "registrations": registrations,
            "institution_registrations": institution,
            "administers": administered_organisations(request.user).exists(),
            "calendar_url": request.build_absolute_uri(reverse("events:my_calendar", args=[token])),
        },
    )


def _by_token(token) -> Registration:
    return get_object_or_404(Registration.objects.select_related("event"), token=token)


def registration_detail(request, token):
    """The participant's own page, reached from the e-mail link or from their registrations."""
    registration = _by_token(token)
    return render(
        request,
        "events/registration_detail.html",
        {
            "registration": registration,
            "event": registration.event,
            "follow_up_waiting": registration.status == RegistrationStatus.APPROVED
            and registration.follow_up_requested_at is not None,
            "answers_editable": _answers_editable(request.user, registration, token),
        },
    )


@require_POST
def registration_cancel(request, token):
    registration = _by_token(token)
    try:
        services.cancel(request.user, registration, token=token)
    except services.RegistrationRefused as error:
        messages.error(request, str(error))
    except services.PermissionDenied as error:
        raise PermissionDenied(str(error)) from error
    else:
        messages.success(request, _("The registration was cancelled."))
    return redirect(registration)


def registration_answers(request, token):
    """The registrant corrects their answers to the registration questions until the event
    starts; the link in their e-mail is the key, as for cancelling."""
    registration = _by_token(token)
    event = registration.event
    questions = services.registration_questions(event)
    if not questions:
        raise Http404
    allowed, why = permissions.can_update_answers(request.user, registration, token)
    if not allowed:
        raise PermissionDenied(why)
    refusal = services.answers_refusal(registration)
    if refusal:
        messages.error(request, refusal)
        return redirect(registration)
    initial = {key: row.get("answer") for key, row in registration.answers.items()}
    form = AnswersForm(_posted(request), initial=initial, questions=questions)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_answers(request.user, registration, form.answers(), token=token)
        except services.RegistrationRefused as error:
            _refused(form, error)
        except services.PermissionDenied as error:
            raise PermissionDenied(str(error)) from error
        else:
            messages.success(request, _("Your answers were saved."))
            return redirect(registration)
    return render(
        request,
        "events/registration_answers.html",
        {"registration": registration, "event": event, "form": form},
    )


def follow_up(request, token):
    """After approval: the details the organisers asked for (travel, visa); only they see them."""
    registration = _by_token(token)
    if (
        registration.status != RegistrationStatus.APPROVED
        or not registration.follow_up_requested_at
    ):
        raise Http404
    event = registration.event
    initial = {key: row.get("answer") for key, row in registration.follow_up_answers.items()}
    form = AnswersForm(
        _posted(request), initial=initial, questions=_questions(event, Stage.FOLLOW_UP)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.submit_follow_up(request.user, registration, form.answers(), token=token)
        except (services.RegistrationRefused, services.PermissionDenied) as error:
            _refused(form, error)
        else:
            messages.success(request, _("Thank you: the organisers have your details."))
            return redirect(registration)
    return render(
        request,
        "events/follow_up.html",
        {"registration": registration, "event": event, "form": form},
    )


# Participants (organisers only) --------------------------------------------------------------


def _participants_event(request, pk) -> Event:
    return _event_if(request, pk, permissions.can_see_participants)


def participants(request, pk):
    """The participant list with its decisions, and its export as CSV or XLSX."""
    event = _participants_event(request, pk)
    registrations = Registration.objects.filter(event=event).for_list()
    status = request.GET.get("status", "")
    if status in RegistrationStatus.values:
        registrations = registrations.filter(status=status)
    export = request.GET.get("export")
    if export in ("csv", "xlsx"):
        questions = [q for s in (Stage.REGISTRATION, Stage.FOLLOW_UP) for q in _questions(event, s)]
        respond = exports.csv_response if export == "csv" else exports.xlsx_response
        record_reads(
            request.user, registrations, ReadKind.REGISTRATION, path=request.get_full_path()
        )
        return respond(registrations, questions, f"participants-{event.pk}")
    counts = dict(
        Registration.objects.filter(event=event)
        .values_list("status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    query = request.GET.copy()
    query.pop("page", None)
    page = Paginator(registrations, PARTICIPANTS_PER_PAGE).get_page(request.GET.get("page"))
    record_reads(request.user, page, ReadKind.REGISTRATION, path=request.get_full_path())
    return render(
        request,
        "events/participants.html",
        {
            "event": event,
            "page": page,
            "query": query.urlencode(),
            "status": status,
            "statuses": [(v, label, counts.get(v, 0)) for v, label in RegistrationStatus.choices],
            "setup": event.registration_form,
            "full": event.registration_form.full_refusal() if event.registration_form else "",
        },
    )


DECISIONS = {
    "approve": services.approve,
    "reject": services.reject,
    "promote": services.promote,
}


@require_POST
def participant_action(request, pk, registration_pk, action):
    event = _participants_event(request, pk)
    registration = get_object_or_404(Registration, event=event, pk=registration_pk)
    reason = request.POST.get("reason", "")[:500]
    try:
        if action in DECISIONS:
            registration = DECISIONS[action](request.user, registration, reason)
        elif action == "cancel":
            services.cancel(request.user, registration, reason=reason)
        elif action == "follow-up":
            services.request_follow_up(request.user, registration)
        else:
            raise Http404
    except services.RegistrationRefused as error:
        messages.error(request, str(error))
    except services.PermissionDenied as error:
        raise PermissionDenied(str(error)) from error
    else:
        messages.success(request, _decision_message(action, registration))
    return redirect(reverse("events:participants", args=[event.pk]) + _next_query(request))


def _decision_message(action: str, registration: Registration) -> str:
    """What happened to whom, e.g. "Vera Viewer has a place at Regional workshop"."""
    names = {"name": registration.name or _("(erased)"), "event": registration.event.title}
    if action == "promote" and registration.over_capacity_reason:
        return _("%(name)s has a place at %(event)s, beyond the capacity: %(reason)s.") % {
            **names,
            "reason": registration.over_capacity_reason,
        }
    messages_by_action = {
        "approve": _("%(name)s's registration for %(event)s is approved."),
        "reject": _("%(name)s's registration for %(event)s is turned down."),
        "promote": _("%(name)s has a place at %(event)s."),
        "cancel": _("%(name)s's registration for %(event)s is cancelled."),
        "follow-up": _("%(name)s is asked for the follow-up form of %(event)s."),
    }
    return messages_by_action[action] % names


def _next_query(request) -> str:
    query = request.POST.get("query", "")
    return f"?{query}" if query and "\n" not in query else ""


# Check-in and counts -------------------------------------------------------------------------


def _check_in_target(request, event):
    """The session or day the list is for: ``?session=<id>`` or ``?day=YYYY-MM-DD``."""
    source = request.POST if request.method == "POST" else request.GET
    session_pk, day = source.get("session", ""), source.get("day", "")
    if session_pk:
        if not session_pk.isdigit():
            return None, None
        return get_object_or_404(event.sessions.all(), pk=session_pk), None
    if day:
        try:
            parsed = datetime.date.fromisoformat(day)
        except ValueError:
            return None, None
        return None, parsed if parsed in event.days else None
    return None, event.days[0]


def check_in(request, pk):
    """A list for a tablet at the door: one big button per approved participant."""
    event = _event_if(request, pk, permissions.can_check_in)
    session, day = _check_in_target(request, event)
    if session is None and day is None:
        return HttpResponseBadRequest(_("Choose a session of this event or one of its days."))
    where = {"session": session} if session else {"day": day}
    present = set(
        Attendance.objects.filter(registration__event=event, **where).values_list(
            "registration", flat=True
        )
    )
    registrations = list(
        Registration.objects.filter(event=event, status=RegistrationStatus.APPROVED)
        .select_related("country", "organisation")
        .order_by("name", "pk")
    )
    for registration in registrations:
        registration.present = registration.pk in present
    q = request.GET.get("q", "").strip().lower()
    if q:
        registrations = [r for r in registrations if q in r.name.lower()]
    record_reads(request.user, registrations, ReadKind.REGISTRATION, path=request.get_full_path())
    return render(
        request,
        "events/check_in.html",
        {
            "event": event,
            "session": session,
            "day": day,
            "registrations": registrations,
            "present_count": len(present),
            "sessions": event.sessions.all(),
            "q": q,
            "closed": event.check_in_refusal(timezone.now()),
        },
    )


@require_POST
def check_in_toggle(request, pk, registration_pk):
    event = _event_if(request, pk, permissions.can_check_in)
    registration = get_object_or_404(Registration, event=event, pk=registration_pk)
    session, day = _check_in_target(request, event)
    if session is None and day is None:
        return HttpResponseBadRequest(_("Choose a session of this event or one of its days."))
    present = request.POST.get("present") == "1"
    try:
        services.set_attendance(request.user, registration, present, session=session, day=day)
    except services.RegistrationRefused as error:
        return HttpResponseBadRequest(str(error))
    if request.htmx:
        registration.present = present
        where = {"session": session} if session else {"day": day}
        present_count = Attendance.objects.filter(registration__event=event, **where).count()
        # The row, and the count above the list swapped out of band.
        return render(
            request,
            "events/_check_in_row.html",
            {
                "event": event,
                "registration": registration,
                "session": session,
                "day": day,
                "present_count": present_count,
                "oob": True,
            },
        )
    target = f"session={session.pk}" if session else f"day={day.isoformat()}"
    return redirect(reverse("events:check_in", args=[event.pk]) + f"?{target}")


def counts(request, pk):
    event = _participants_event(request, pk)
    return render(
        request,
        "events/counts.html",
        {"event": event, "counts": services.attendance_counts(event)},
    )


# Outcomes ------------------------------------------------------------------------------------


@login_required
def outcomes(request, pk):
    """Minutes and synopsis, decisions, follow-up actions and events, lessons learned."""
    event = _managed_event(request, pk)
    form = OutcomeTextForm(_posted(request), instance=event)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_event(request.user, event, form.cleaned_data)
        except (services.PermissionDenied, ValidationError) as error:
            _refused(form, error)
        else:
            messages.success(request, _("The outcomes were saved."))
            return redirect("events:outcomes", pk=event.pk)
    return render(
        request,
        "events/outcomes.html",
        {
            "event": event,
            "form": form,
            "decisions": event.decisions.all(),
            "actions": event.actions.select_related("decision", "owner_organisation"),
            "follow_ups": event.follow_ups.order_by("start"),
            "knowledge": event.knowledge_items.prefetch_related("themes"),
            "open_actions": event.actions.filter(~Q(status__in=["done", "dropped"])).count(),
        },
    )


# Report -------------------------------------------------------------------------------------


def _report_event(request, pk) -> Event:
    return _event_if(request, pk, permissions.can_see_report)


def event_report(request, pk):
    """The synopsis report: agenda, participation in figures (no names), what followed."""
    event = _report_event(request, pk)
    context = report.gather(event, request.user)
    context["can_manage"] = permissions.can_manage_event(request.user, event)[0]
    return render(request, "events/report.html", context)


def event_report_pdf(request, pk):
    event = _report_event(request, pk)
    response = HttpResponse(report.pdf(report.gather(event, request.user)), "application/pdf")
    response["Content-Disposition"] = f'inline; filename="event-{event.pk}-report.pdf"'
    return response


# Calendar feeds: published events for everyone, a person's own by a secret address -----------


def event_calendar(request, pk):
    event = get_object_or_404(calendars.public_events(Event.objects.filter(pk=pk)))
    body = calendars.build([event], event.title, calendars.Site.of(request))
    return calendars.response(body, f"event-{event.pk}")


def network_calendar(request, pk):
    network = get_object_or_404(Network, pk=pk)
    events = calendars.public_events(Event.objects.filter(network=network))
    body = calendars.build(events, str(network), calendars.Site.of(request))
    return calendars.response(body, f"network-{network.pk}")


def project_calendar(request, pk):
    project = get_object_or_404(Project.objects.public(), pk=pk)
    events = calendars.public_events(Event.objects.for_projects([project]))
    body = calendars.build(events, project.acronym or project.title, calendars.Site.of(request))
    return calendars.response(body, f"project-{project.pk}")


def my_calendar(request, token):
    """A person's approved registrations, online links included; the token is the key."""
    owner = get_object_or_404(
        CalendarToken.objects.select_related("user"), token=token, user__is_active=True
    ).user
    body = calendars.build(
        calendars.approved_events(owner),
        _("My events"),
        calendars.Site.of(request),
        with_links=True,
    )
    return calendars.response(body, "my-events", private=True)


@login_required
@require_POST
def calendar_reset(request):
    """A new secret address; calendars subscribed to the old one stop receiving events."""
    CalendarToken.for_user(request.user).reset()
    messages.success(
        request, _("Your calendar has a new address; subscribe to it again in your calendar.")
    )
    return redirect("events:my_registrations")


# Knowledge: lessons learned and good practices -----------------------------------------------


def knowledge_list(request):
    """Lessons and good practices from every event and project, searched in the database."""
    items = KnowledgeItem.objects.visible_to(request.user).for_list()
    filterset = KnowledgeFilter(request.GET or None, queryset=items, user=request.user)
    results = items.none() if filterset.is_bound and not filterset.is_valid() else filterset.qs
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "events/knowledge_list.html",
        {
            "filter": filterset,
            "page": Paginator(results, 25).get_page(request.GET.get("page")),
            "query": query.urlencode(),
            "can_add": permissions.can_edit_knowledge(request.user)[0],
        },
    )


def knowledge_detail(request, pk):
    item = get_object_or_404(KnowledgeItem.objects.visible_to(request.user).for_list(), pk=pk)
    return render(
        request,
        "events/knowledge_detail.html",
        {"item": item, "can_edit": permissions.can_edit_knowledge(request.user, item)[0]},
    )


@login_required
def knowledge_edit(request, pk=None):
    item = KnowledgeItem()
    if pk is not None:
        item = get_object_or_404(KnowledgeItem.objects.visible_to(request.user), pk=pk)
    allowed, why = permissions.can_edit_knowledge(request.user, item)
    if not allowed:
        raise PermissionDenied(why)
    initial = {}
    event_pk = request.GET.get("event", "")
    if pk is None and event_pk.isdigit():
        event = Event.objects.visible_to(request.user).filter(pk=event_pk).first()
        if event:
            initial = {"event": event, "project": event.projects.first()}
    form = KnowledgeItemForm(_posted(request), instance=item, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        fields = {k: v for k, v in form.cleaned_data.items() if k != "themes"}
        try:
            item = services.save_knowledge_item(
                request.user, item, fields, form.cleaned_data["themes"]
            )
        except (services.PermissionDenied, ValidationError) as error:
            _refused(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect(item)
    return render(
        request,
        "events/part_form.html",
        {
            "form": form,
            "title": KnowledgeItem._meta.verbose_name,
            "instance": item if item.pk else None,
            "back": item.get_absolute_url() if item.pk else reverse("events:knowledge"),
        },
    )
