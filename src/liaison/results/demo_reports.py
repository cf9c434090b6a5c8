"""Demo progress reports and risk register for the training-centre project (MIRCO).

Runs after ``load_demo_results``, which makes the project's logframe and reporting periods: the
earliest period's report is approved, the next one returned with the secretariat's comment, and
later ones stay drafts. The steps go through the services, so the history and the audit trail
look as they would in real use. Safe to run twice: a report that has a history is left alone,
and risks are matched by title.
"""

from django.db import transaction
from django.utils import timezone

from liaison.core.models import Role, User
from liaison.portfolio.demo import SEED_PROJECTS, find_seed_project

from .models import ProgressReport, ReportingPeriod, Risk, RiskStatus
from .services import reports as services
from .services import risks as risk_services

NARRATIVES = [
    {
        "narrative": (
            "The inception phase set up the steering committee, agreed the work plan with the "
            "partner institutions and surveyed the training needs of the regional migration "
            "services. The first curriculum outline was shared with the partners for comment."
        ),
        "activities": (
            "Kick-off meeting with the partners; needs survey sent to six institutions; "
            "procurement plan for the e-learning platform agreed."
        ),
        "risks": (
            "Late replies to the needs survey delayed the curriculum outline by three weeks; "
            "the focal points were reminded through the steering committee."
        ),
    },
    {
        "narrative": (
            "Two pilot courses ran at the centre and the e-learning platform went live for the "
            "first modules. Trainers from the partner institutions completed a training of "
            "trainers."
        ),
        "activities": "Pilot courses on asylum procedures and on return counselling.",
        "risks": "Staff turnover in one partner institution; replacements were nominated.",
    },
    {
        "narrative": "Work in progress: the report is written as the period goes on.",
        "activities": "",
        "risks": "",
    },
]
RETURN_COMMENT = (
    "Please add the numbers of trainees by institution to the narrative and explain why the "
    "second pilot course started later than planned."
)
RISKS = [
    (
        "Partner institutions nominate too few trainees",
        4,
        3,
        "Agree nomination quotas with each focal point at the start of each semester.",
        "Training coordinator",
        RiskStatus.OPEN,
    ),
    (
        "Trained officials leave their posts soon after training",
        3,
        4,
        "Train trainers inside each institution so that knowledge stays when people move.",
        "Project manager",
        RiskStatus.OPEN,
    ),
    (
        "The e-learning platform is unavailable during exams",
        2,
        4,
        "Hosting with a service-level agreement; offline copies of the assessments.",
        "IT officer",
        RiskStatus.MITIGATED,
    ),
    (
        "Delays in procurement of training-room equipment",
        3,
        3,
        "Framework contract prepared in the inception phase.",
        "Procurement officer",
        RiskStatus.OCCURRED,
    ),
    (
        "Changes in national migration legislation make modules outdated",
        2,
        3,
        "Yearly review of the modules with the legal departments of the partners.",
        "Curriculum lead",
        RiskStatus.OPEN,
    ),
    (
        "Interpreters unavailable for regional courses",
        1,
        2,
        "Courses run in English with materials translated in advance.",
        "Training coordinator",
        RiskStatus.CLOSED,
    ),
]


@transaction.atomic
def load_demo_reports(stdout=None) -> int:
    """Returns how many reports were moved through the workflow."""
    project = find_seed_project(SEED_PROJECTS["mirco"])
    if project is None:
        return 0
    secretariat = User.objects.filter(role=Role.SECRETARIAT, is_active=True).order_by("pk").first()
    if secretariat is None:
        return 0
    author = project.managers.filter(role=Role.PROJECT_MANAGER, is_active=True).first()
    author = author or secretariat
    for title, likelihood, impact, mitigation, owner, status in RISKS:
        if not Risk.objects.filter(project=project, title=title).exists():
            risk_services.save_risk(
                secretariat,
                Risk(project=project),
                {
                    "title": title,
                    "likelihood": likelihood,
                    "impact": impact,
                    "mitigation": mitigation,
                    "owner": owner,
                    "status": status,
                },
            )
    periods = list(ReportingPeriod.objects.filter(project=project).order_by("starts_on", "pk"))
    moved = 0
    today = timezone.localdate()
    for index, period in enumerate(periods):
        report = services.report_of(period)
        if report.pk and (report.reviews.exists() or report.narrative):
            continue  # already moved along, or written by someone: leave it
        if period.starts_on > today:
            ProgressReport.objects.get_or_create(period=period)
            continue
        services.save_report(author, period, NARRATIVES[min(index, len(NARRATIVES) - 1)])
        if index == 0:
            services.submit(author, period)
            services.approve(secretariat, period, "Thank you: approved.")
            moved += 1
        elif index == 1:
            services.submit(author, period)
            services.return_report(secretariat, period, RETURN_COMMENT)
            moved += 1
    if stdout is not None:
        stdout.write(f"Progress reports: {moved} moved through review; {len(RISKS)} demo risks.")
    return moved
