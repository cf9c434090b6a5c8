"""The training centre's figures: trainees and training hours by country, institution, sex and
module; completion and pass rates; what pre- and post-tests show was learnt.

Everything is counted in the database with a fixed number of queries, whatever the number of
trainees. A trainee counts once per course they were approved on; training hours are the
hours of the modules of the courses they completed.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Avg, Count, Q, Sum
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import (
    Course,
    CourseStatus,
    Enrolment,
    EnrolmentStatus,
    Outcome,
    QuizAttempt,
    QuizKind,
)

DIMENSIONS = {
    "country": (gettext_lazy("Country"), "organisation__country__name"),
    "institution": (gettext_lazy("Institution"), "organisation__name"),
    "sex": (gettext_lazy("Sex"), "sex"),
}


@dataclass
class Row:
    label: str
    trainees: int = 0
    completed: int = 0
    hours: Decimal = Decimal(0)

    @property
    def completion_rate(self):
        return round(100 * self.completed / self.trainees) if self.trainees else None


@dataclass
class Breakdown:
    key: str
    title: str
    rows: list[Row] = field(default_factory=list)

    def chart(self) -> dict:
        """The figures as the bar chart of ``charts.js`` reads them."""
        return {
            "labels": [row.label for row in self.rows],
            "approved": [row.trainees for row in self.rows],
            "attended": [row.completed for row in self.rows],
        }


def enrolments(*, centres=None, year=None, course_type=None, country=None):
    """Approved enrolments, the base of every figure, narrowed by the report's filters."""
    queryset = Enrolment.objects.filter(status=EnrolmentStatus.APPROVED)
    if centres is not None:
        queryset = queryset.filter(course__centre__in=centres)
    if year:
        queryset = queryset.filter(course__starts_on__year=year)
    if course_type:
        queryset = queryset.filter(course__type=course_type)
    if country:
        queryset = queryset.filter(organisation__country=country)
    return queryset


def course_hours(courses) -> dict[int, Decimal]:
    """The hours of each course: the sum of its modules' durations, in one query."""
    through = Course.modules.through.objects.filter(course__in=courses)
    return {
        row["course"]: row["hours"] or Decimal(0)
        for row in through.values("course").annotate(hours=Sum("module__duration_hours"))
    }


def _not_stated(value, dimension):
    if value:
        if dimension == "sex":
            from liaison.events.models import Sex

            return str(Sex(value).label) if value in Sex.values else value
        return value
    return _("Not stated")


def breakdown(base, dimension: str, hours: dict[int, Decimal]) -> Breakdown:
    title, path = DIMENSIONS[dimension]
    rows: dict[str, Row] = {}
    grouped = base.values(path, "course").annotate(
        trainees=Count("pk"), completed=Count("pk", filter=Q(outcome=Outcome.COMPLETED))
    )
    for group in grouped:
        label = _not_stated(group[path], dimension)
        row = rows.setdefault(label, Row(label))
        row.trainees += group["trainees"]
        row.completed += group["completed"]
        row.hours += group["completed"] * hours.get(group["course"], Decimal(0))
    ordered = sorted(rows.values(), key=lambda r: (-r.trainees, r.label))
    return Breakdown(dimension, str(title), ordered)


def by_module(base) -> Breakdown:
    rows = []
    grouped = (
        base.values(
            "course__modules__code", "course__modules__title", "course__modules__duration_hours"
        )
        .annotate(trainees=Count("pk"), completed=Count("pk", filter=Q(outcome=Outcome.COMPLETED)))
        .order_by("course__modules__code")
    )
    for group in grouped:
        if not group["course__modules__code"]:
            continue
        label = f"{group['course__modules__code']} {group['course__modules__title']}"
        hours = group["completed"] * (group["course__modules__duration_hours"] or Decimal(0))
        rows.append(Row(label, group["trainees"], group["completed"], hours))
    return Breakdown("module", str(_("Module")), rows)


@dataclass
class QuizFigures:
    module: str
    takers: int
    passed: int
    pre: Decimal | None = None
    post: Decimal | None = None

    @property
    def pass_rate(self):
        return round(100 * self.passed / self.takers) if self.takers else None

    @property
    def gain(self):
        if self.pre is None or self.post is None:
            return None
        return self.post - self.pre


def quiz_figures(base) -> list[QuizFigures]:
    """Per module: how many trainees took its graded quizzes and how many passed, and the mean
    pre-test and post-test results, over the trainees of the courses in ``base``."""
    attempts = QuizAttempt.objects.filter(
        submitted__isnull=False,
        course__in=base.values("course"),
        user__in=base.values("person__user"),
    )
    figures: dict[str, QuizFigures] = {}
    graded = (
        attempts.filter(quiz__kind=QuizKind.QUIZ)
        .values("quiz__module__code", "quiz__module__title")
        .annotate(
            takers=Count("user", distinct=True),
            passed=Count("user", filter=Q(passed=True), distinct=True),
        )
    )
    for row in graded:
        label = f"{row['quiz__module__code']} {row['quiz__module__title']}"
        figures[label] = QuizFigures(label, row["takers"], row["passed"])
    tests = (
        attempts.filter(quiz__kind__in=[QuizKind.PRE_TEST, QuizKind.POST_TEST])
        .values("quiz__module__code", "quiz__module__title", "quiz__kind")
        .annotate(mean=Avg("percent"))
    )
    for row in tests:
        label = f"{row['quiz__module__code']} {row['quiz__module__title']}"
        entry = figures.setdefault(label, QuizFigures(label, 0, 0))
        mean = round(Decimal(row["mean"]), 1) if row["mean"] is not None else None
        if row["quiz__kind"] == QuizKind.PRE_TEST:
            entry.pre = mean
        else:
            entry.post = mean
    return sorted(figures.values(), key=lambda f: f.module)


@dataclass
class Report:
    trainees: int
    people: int
    completed: int
    hours: Decimal
    finished_trainees: int
    finished_completed: int
    breakdowns: list[Breakdown]
    quizzes: list[QuizFigures]

    @property
    def completion_rate(self):
        """Completion over the courses that have ended, so running courses do not pull it down."""
        if not self.finished_trainees:
            return None
        return round(100 * self.finished_completed / self.finished_trainees)


def build(**filters) -> Report:
    base = enrolments(**filters)
    hours = course_hours(base.values("course"))
    totals = base.aggregate(
        trainees=Count("pk"),
        people=Count("person", distinct=True),
        completed=Count("pk", filter=Q(outcome=Outcome.COMPLETED)),
        finished=Count("pk", filter=Q(course__status=CourseStatus.FINISHED)),
        finished_completed=Count(
            "pk", filter=Q(course__status=CourseStatus.FINISHED, outcome=Outcome.COMPLETED)
        ),
    )
    completed_by_course = defaultdict(int)
    for row in base.filter(outcome=Outcome.COMPLETED).values("course").annotate(n=Count("pk")):
        completed_by_course[row["course"]] = row["n"]
    total_hours = sum(
        (n * hours.get(course, Decimal(0)) for course, n in completed_by_course.items()),
        Decimal(0),
    )
    breakdowns = [breakdown(base, key, hours) for key in DIMENSIONS] + [by_module(base)]
    return Report(
        trainees=totals["trainees"],
        people=totals["people"],
        completed=totals["completed"],
        hours=total_hours,
        finished_trainees=totals["finished"],
        finished_completed=totals["finished_completed"],
        breakdowns=breakdowns,
        quizzes=quiz_figures(base),
    )


def xlsx(report: Report) -> bytes:
    """The report as a workbook: one sheet per breakdown and one for the tests."""
    from io import BytesIO

    from openpyxl import Workbook
    from openpyxl.styles import Font

    from liaison.core.exports import xlsx_row

    book = Workbook()
    summary = book.active
    summary.title = _("Summary")[:31]
    for label, value in [
        (_("Trainees (course places)"), report.trainees),
        (_("People trained"), report.people),
        (_("Completed"), report.completed),
        (_("Training hours"), float(report.hours)),
        (_("Completion rate of finished courses (%)"), report.completion_rate),
    ]:
        summary.append(xlsx_row(summary, [label, value]))
    headers = [_("Trainees"), _("Completed"), _("Completion (%)"), _("Training hours")]
    for part in report.breakdowns:
        sheet = book.create_sheet(part.title[:31])
        sheet.append(xlsx_row(sheet, [part.title, *headers]))
        for row in part.rows:
            sheet.append(
                xlsx_row(
                    sheet,
                    [row.label, row.trainees, row.completed, row.completion_rate, float(row.hours)],
                )
            )
        for cell in sheet[1]:
            cell.font = Font(bold=True)
    sheet = book.create_sheet(_("Tests")[:31])
    sheet.append(
        [
            _("Module"),
            _("Took the quiz"),
            _("Passed"),
            _("Pass rate (%)"),
            _("Pre-test (%)"),
            _("Post-test (%)"),
            _("Gain (points)"),
        ]
    )
    for figures in report.quizzes:
        sheet.append(
            xlsx_row(
                sheet,
                [
                    figures.module,
                    figures.takers,
                    figures.passed,
                    figures.pass_rate,
                    float(figures.pre) if figures.pre is not None else None,
                    float(figures.post) if figures.post is not None else None,
                    float(figures.gain) if figures.gain is not None else None,
                ],
            )
        )
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    out = BytesIO()
    book.save(out)
    return out.getvalue()
