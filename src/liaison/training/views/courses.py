"""Pages of the training centre: courses, their sessions and trainer pool, nominations,
attendance, and a trainee's own courses.

Views stay thin: forms validate, ``services.courses`` decides and the named checks of
``permissions`` guard every object. A refused user gets 403 (404 when they may not see the
course at all); a rule that refuses an action comes back as a form error or a message.
"""

import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from liaison.core.exports import Echo, csv_cell, local, with_bom, xlsx_row, zoned
from liaison.directory.models import Organisation
from liaison.directory.readlog import ReadKind, record_reads

from .. import permissions
from ..filters import CourseFilter
from ..forms.courses import CourseForm, NominationForm, SessionForm, StatusForm, TrainerForm
from ..models import (
    Course,
    CourseSession,
    CourseStatus,
    Enrolment,
    EnrolmentStatus,
    SessionAttendance,
    Trainer,
    TrainingCentre,
)
from ..services import TrainingError
from ..services import courses as services
from . import refused

COURSES_PER_PAGE = 25


def _visible_course(request, pk) -> Course:
    return get_object_or_404(
        Course.objects.visible_to(request.user).select_related("centre", "plan", "project"),
        pk=pk,
    )


def _course_if(request, pk, check) -> Course:
    """The course, if the user may see it (else 404) and ``check`` allows them (else 403)."""
    course = _visible_course(request, pk)
    allowed, why = check(request.user, course)
    if not allowed:
        raise PermissionDenied(why)
    return course


def _posted(request):
    return request.POST if request.method == "POST" else None


def _learning_context(request, course) -> dict:
    """The trainee's quizzes and completion, and the centre's close button, from the
    assessment and certificate areas."""
    from ..services.assessment import quiz_rows
    from ..services.certificates import completion_context

    context = completion_context(request.user, course)
    context["quiz_rows"] = quiz_rows(request.user, course)
    context["can_evaluate"] = permissions.can_evaluate(request.user, course)[0]
    return context


# List and course page ------------------------------------------------------------------------


def course_list(request):
    """Courses the visitor may see, filtered in the database; the URL carries the filters."""
    courses = Course.objects.visible_to(request.user).for_list()
    filterset = CourseFilter(request.GET or None, queryset=courses, user=request.user)
    results = courses.none() if filterset.is_bound and not filterset.is_valid() else filterset.qs
    page = Paginator(results, COURSES_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "training/courses/course_list.html",
        {
            "filter": filterset,
            "page": page,
            "query": query.urlencode(),
            "managed_centres": TrainingCentre.objects.managed_by(request.user),
        },
    )


def course_detail(request, pk):
    course = _visible_course(request, pk)
    user = request.user
    can_manage = permissions.can_manage_course(user, course)[0]
    can_train = can_manage or permissions.can_train(user, course)[0]
    counts = services.status_counts(course)
    approved = counts.get(EnrolmentStatus.APPROVED, 0)
    mine = None
    if user.is_authenticated:
        mine = Enrolment.objects.filter(course=course, person__user=user).first()
    refusal = services.nominations_refusal(course)
    context = {
        "course": course,
        "modules": course.modules.select_related("centre"),
        "trainers": course.trainers.select_related("person__organisation", "trained_in"),
        "sessions": course.sessions.select_related("module", "trainer__person"),
        "approved": approved,
        "places_left": services.places_left(course, approved),
        "status_counts": [
            (value, label, counts.get(value, 0)) for value, label in EnrolmentStatus.choices
        ],
        "can_manage": can_manage,
        "can_train": can_train,
        "my_enrolment": mine,
        "show_link": can_train or (mine is not None and mine.status == EnrolmentStatus.APPROVED),
        "nominations_refusal": refusal,
        "can_nominate": not refusal and permissions.can_nominate(user, course)[0],
        "status_form": _status_form(course) if can_manage else None,
        "can_withdraw": mine is not None and mine.status in services.ACTIVE,
    }
    context.update(_learning_context(request, course))
    return render(request, "training/courses/course_detail.html", context)


def _status_form(course):
    form = StatusForm()
    allowed = services.TRANSITIONS[course.status]
    form.fields["status"].choices = [
        (value, label) for value, label in CourseStatus.choices if value in allowed
    ]
    return form if allowed else None


# Creating and editing ------------------------------------------------------------------------


def _managed_centre(request, pk) -> TrainingCentre:
    centre = get_object_or_404(TrainingCentre, pk=pk)
    allowed, why = permissions.can_manage_centre(request.user, centre)
    if not allowed:
        raise PermissionDenied(why)
    return centre


@login_required
def course_create(request):
    centre_pk = request.GET.get("centre", "")
    if not centre_pk.isdigit():
        raise Http404
    centre = _managed_centre(request, centre_pk)
    initial = {}
    plan_pk = request.GET.get("plan", "")
    if plan_pk.isdigit() and centre.plans.filter(pk=plan_pk).exists():
        initial["plan"] = plan_pk
    form = CourseForm(_posted(request), centre=centre, user=request.user, initial=initial)
    return _save_course(request, form, centre, None)


@login_required
def course_edit(request, pk):
    course = _course_if(request, pk, permissions.can_manage_course)
    form = CourseForm(_posted(request), instance=course, centre=course.centre, user=request.user)
    return _save_course(request, form, course.centre, course)


def _save_course(request, form, centre, course):
    if request.method == "POST" and form.is_valid():
        try:
            with form.unchanged():
                saved = services.save_course(
                    request.user,
                    form.instance,
                    form.course_fields(),
                    modules=form.cleaned_data["modules"],
                    trainers=form.cleaned_data["trainers"],
                    reason=form.cleaned_data.get("reason", ""),
                )
        except (TrainingError, ValidationError) as error:
            refused(form, error)
        else:
            messages.success(request, _("The course was saved."))
            return redirect(saved)
    return render(
        request,
        "training/courses/course_form.html",
        {"form": form, "centre": centre, "course": course},
    )


@login_required
@require_POST
def course_status(request, pk):
    course = _course_if(request, pk, permissions.can_manage_course)
    form = StatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose one of the statuses offered."))
        return redirect(course)
    try:
        course = services.set_status(
            request.user, course, form.cleaned_data["status"], form.cleaned_data["reason"]
        )
    except TrainingError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request, _("The course is now “%(status)s”.") % {"status": course.get_status_display()}
        )
    return redirect(course)


# Sessions ------------------------------------------------------------------------------------


def _managed_session(request, pk) -> CourseSession:
    session = get_object_or_404(CourseSession.objects.select_related("course__centre"), pk=pk)
    _course_if(request, session.course_id, permissions.can_manage_course)
    return session


@login_required
def session_create(request, pk):
    course = _course_if(request, pk, permissions.can_manage_course)
    return _save_session(request, course, None)


@login_required
def session_edit(request, pk):
    session = _managed_session(request, pk)
    return _save_session(request, session.course, session)


def _save_session(request, course, session):
    form = SessionForm(_posted(request), instance=session, course=course)
    if request.method == "POST" and form.is_valid():
        try:
            with form.unchanged():
                services.save_session(request.user, course, form.instance)
        except (TrainingError, ValidationError) as error:
            refused(form, error)
        else:
            messages.success(request, _("The session was saved."))
            return redirect(course)
    return render(
        request,
        "training/courses/session_form.html",
        {"form": form, "course": course, "session": session},
    )


@login_required
@require_POST
def session_delete(request, pk):
    session = _managed_session(request, pk)
    course = session.course
    services.delete_session(request.user, session)
    messages.success(request, _("The session was removed."))
    return redirect(course)


# Trainer pool --------------------------------------------------------------------------------


@login_required
def trainer_pool(request, pk):
    """The centre's trainers, with what they teach and the course that trained them."""
    centre = _managed_centre(request, pk)
    search = request.GET.get("q", "").strip()[:100]
    form = TrainerForm(_posted(request), centre=centre, search=search)
    if request.method == "POST" and form.is_valid():
        try:
            trainer = services.add_trainer(
                request.user,
                centre,
                form.cleaned_data["person"],
                modules=form.cleaned_data["modules"],
                trained_in=form.cleaned_data["trained_in"],
                expertise=form.cleaned_data["expertise"],
            )
        except (TrainingError, ValidationError) as error:
            refused(form, error)
        else:
            messages.success(
                request, _("%(person)s joined the trainer pool.") % {"person": trainer.person}
            )
            return redirect("training:trainer_pool", pk=centre.pk)
    trainers = (
        Trainer.objects.filter(centre=centre)
        .select_related("person__organisation", "trained_in")
        .prefetch_related("modules")
        .order_by("-active", "person__name")
    )
    return render(
        request,
        "training/courses/trainer_pool.html",
        {"centre": centre, "trainers": trainers, "form": form, "q": search},
    )


@login_required
@require_POST
def trainer_active(request, pk):
    trainer = get_object_or_404(Trainer.objects.select_related("centre", "person"), pk=pk)
    _managed_centre(request, trainer.centre_id)
    services.set_trainer_active(request.user, trainer, request.POST.get("active") == "1")
    messages.success(request, _("%(person)s: saved.") % {"person": trainer.person})
    return redirect("training:trainer_pool", pk=trainer.centre_id)


# Nominations ---------------------------------------------------------------------------------


def _nominating_organisations(user, course):
    """The institutions the user nominates for: their own as a focal point; any for the centre."""
    if permissions.can_manage_course(user, course)[0]:
        return Organisation.objects.order_by("name")
    return Organisation.objects.filter(
        pk__in=permissions.focal_point_organisations(user, course.centre)
    ).order_by("name")


def _check_posted_organisation(request, course):
    """A focal point naming another institution in a forged post is refused outright."""
    value = request.POST.get("organisation", "")
    if value.isdigit():
        organisation = Organisation.objects.filter(pk=value).first()
        if organisation is not None:
            allowed, why = permissions.can_nominate(request.user, course, organisation)
            if not allowed:
                raise PermissionDenied(why)


@login_required
def nominate(request, pk):
    """A focal point nominates officers of their institution and follows their nominations."""
    course = _course_if(request, pk, permissions.can_nominate)
    organisations = _nominating_organisations(request.user, course)
    if request.method == "POST":
        _check_posted_organisation(request, course)
    refusal = services.nominations_refusal(course)
    form = NominationForm(_posted(request), organisations=organisations)
    if request.method == "POST" and refusal:
        form.add_error(None, refusal)
    elif request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if data["person"]:
                enrolment = services.nominate(
                    request.user,
                    course,
                    data["person"],
                    sex=data["sex"],
                    motivation=data["motivation"],
                )
            else:
                enrolment = services.nominate_new_officer(
                    request.user,
                    course,
                    data["organisation"],
                    name=data["name"],
                    email=data["email"],
                    position=data["position"],
                    sex=data["sex"],
                    motivation=data["motivation"],
                )
        except (TrainingError, ValidationError) as error:
            refused(form, error)
        else:
            messages.success(
                request,
                _("%(person)s was nominated; the centre will decide.")
                % {"person": enrolment.person},
            )
            return redirect("training:nominate", pk=course.pk)
    nominations = (
        Enrolment.objects.filter(course=course, organisation__in=organisations)
        .select_related("person", "organisation")
        .order_by("-created", "pk")
    )
    return render(
        request,
        "training/courses/nominate.html",
        {"course": course, "form": form, "refusal": refusal, "nominations": nominations},
    )


@login_required
def enrolments(request, pk):
    """The centre's view of every nomination, by status, with its decisions and the export."""
    course = _course_if(request, pk, permissions.can_manage_course)
    rows = (
        Enrolment.objects.filter(course=course)
        .select_related("person", "organisation__country", "nominated_by", "decided_by")
        .order_by("person__name", "pk")
    )
    export = request.GET.get("export")
    if export in ("csv", "xlsx"):
        respond = _csv_response if export == "csv" else _xlsx_response
        record_reads(request.user, rows, ReadKind.ENROLMENT, path=request.get_full_path())
        return respond(rows, f"course-{course.pk}-participants")
    groups = {value: [] for value in EnrolmentStatus.values}
    for enrolment in rows:
        groups[enrolment.status].append(enrolment)
    record_reads(request.user, list(rows), ReadKind.ENROLMENT, path=request.get_full_path())
    approved = len(groups[EnrolmentStatus.APPROVED])
    return render(
        request,
        "training/courses/enrolments.html",
        {
            "course": course,
            "groups": [(v, label, groups[v]) for v, label in EnrolmentStatus.choices],
            "approved": approved,
            "places_left": services.places_left(course, approved),
        },
    )


DECISIONS = {"approve": services.approve, "reject": services.reject}


@login_required
@require_POST
def enrolment_decide(request, pk, action):
    if action not in DECISIONS:
        raise Http404
    enrolment = get_object_or_404(Enrolment.objects.select_related("course", "person"), pk=pk)
    course = _course_if(request, enrolment.course_id, permissions.can_manage_course)
    try:
        DECISIONS[action](request.user, enrolment, request.POST.get("note", "")[:2000])
    except TrainingError as error:
        messages.error(request, f"{enrolment.person}: {error}")
    else:
        done = (
            _("%(person)s has a place on %(course)s.")
            if action == "approve"
            else _("%(person)s's nomination for %(course)s is not accepted.")
        )
        messages.success(request, done % {"person": enrolment.person, "course": course.title})
    return redirect("training:enrolments", pk=course.pk)


@login_required
@require_POST
def enrolment_withdraw(request, pk):
    enrolment = get_object_or_404(Enrolment.objects.select_related("course", "person"), pk=pk)
    try:
        services.withdraw(request.user, enrolment, request.POST.get("reason", "")[:2000])
    except TrainingError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("%(person)s withdrew.") % {"person": enrolment.person})
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        target = reverse("training:my_courses")
    return redirect(target)


@login_required
def my_courses(request):
    """The courses the signed-in person is nominated for, takes or took."""
    enrolments = (
        Enrolment.objects.filter(person__user=request.user)
        .select_related("course__centre")
        .order_by("-course__starts_on", "pk")
    )
    return render(request, "training/courses/my_courses.html", {"enrolments": enrolments})


# Participant list export ---------------------------------------------------------------------

COLUMNS = [
    (gettext_lazy("Name"), lambda e: e.person.name),
    (gettext_lazy("E-mail"), lambda e: e.person.email),
    (gettext_lazy("Position"), lambda e: e.person.position),
    (gettext_lazy("Institution"), lambda e: str(e.organisation or "")),
    (
        gettext_lazy("Country"),
        lambda e: e.organisation.country.name if e.organisation and e.organisation.country else "",
    ),
    (gettext_lazy("Sex"), lambda e: e.get_sex_display()),
    (gettext_lazy("Status"), lambda e: e.get_status_display()),
    (gettext_lazy("Outcome"), lambda e: e.get_outcome_display()),
    (zoned(gettext_lazy("Nominated")), lambda e: local(e.created)),
    (gettext_lazy("Decision note"), lambda e: e.decision_note),
]


def _rows(enrolments):
    yield [str(title) for title, _get in COLUMNS]
    for enrolment in enrolments.iterator(chunk_size=500):
        yield [get(enrolment) for _title, get in COLUMNS]


def _csv_response(enrolments, filename):
    writer = csv.writer(Echo())
    stream = (writer.writerow([csv_cell(v) for v in row]) for row in _rows(enrolments))
    response = StreamingHttpResponse(with_bom(stream), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    response["Cache-Control"] = "no-store"
    return response


def _xlsx_response(enrolments, filename):
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(str(_("Participants")))
    for row in _rows(enrolments):
        sheet.append(xlsx_row(sheet, row))
    response = HttpResponse(
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    response["Cache-Control"] = "no-store"
    workbook.save(response)
    return response


# Attendance ----------------------------------------------------------------------------------


@login_required
def attendance(request, pk):
    """The register of one session: a checkbox per approved trainee, saved at once."""
    session = get_object_or_404(CourseSession.objects.select_related("course__centre"), pk=pk)
    course = _course_if(request, session.course_id, permissions.can_train)
    if request.method == "POST":
        present = {int(v) for v in request.POST.getlist("present") if v.isdigit()}
        try:
            count = services.record_session(request.user, session, present)
        except TrainingError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                _("Attendance recorded for %(session)s on %(day)s: %(count)d present.")
                % {
                    "session": session.title,
                    "day": formats.date_format(timezone.localtime(session.starts_at), "j F"),
                    "count": count,
                },
            )
            return redirect("training:attendance", pk=session.pk)
    marks = dict(
        SessionAttendance.objects.filter(session=session).values_list("enrolment", "present")
    )
    trainees = list(
        Enrolment.objects.filter(course=course)
        .approved()
        .select_related("person", "organisation")
        .order_by("person__name", "pk")
    )
    for enrolment in trainees:
        enrolment.mark = marks.get(enrolment.pk)
    record_reads(request.user, trainees, ReadKind.ENROLMENT, path=request.get_full_path())
    return render(
        request,
        "training/courses/attendance.html",
        {
            "course": course,
            "session": session,
            "trainees": trainees,
            "sessions": course.sessions.all(),
            "recorded": bool(marks),
            "refusal": services.attendance_refusal(session),
        },
    )


@login_required
def course_attendance(request, pk):
    """Trainees × sessions with each trainee's share, against the course's minimum."""
    course = _course_if(request, pk, permissions.can_train)
    summary = services.attendance_summary(course)
    enrolments = [row["enrolment"] for row in summary["rows"]]
    record_reads(request.user, enrolments, ReadKind.ENROLMENT, path=request.get_full_path())
    return render(
        request,
        "training/courses/course_attendance.html",
        {"course": course, "summary": summary},
    )
