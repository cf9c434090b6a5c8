"""Demo data of needs assessments: a published template for the capacity of a law-enforcement
coordination unit, and two coordination units each assessed twice, a "before" over a year ago
and an "after" a month ago, with the gaps closing in between and recommendations that point
to the training centre's modules and, where the equipment demo made some, to equipment.

The wording is the team's own. Answers go through the same service as the pages, and a rerun
adds nothing twice.
"""

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from liaison.core.models import User
from liaison.directory.models import Organisation, OrganisationType
from liaison.equipment.models import Item
from liaison.portfolio.demo import SEED_PROJECTS, create_demo_users, find_seed_project
from liaison.training.models import CompetencyArea, Module

from .models import (
    Area,
    Assessment,
    Priority,
    Question,
    QuestionKind,
    Recommendation,
    Template,
    TemplateStatus,
)
from .services import assessments as services

FAMILY = "coordination-unit-capacity"

# code, title, competency area of the training centre, target, questions.
# A scale question lists what levels 0 to 4 mean.
AREAS = (
    (
        "information-exchange",
        "Information exchange",
        "Operational cooperation",
        3,
        (
            (
                "How are requests from foreign partners received, logged and answered?",
                [
                    "No single point receives requests",
                    "Requests arrive by several routes and are logged by hand",
                    "One desk logs every request; deadlines are often missed",
                    "One desk logs and tracks every request against deadlines",
                    "Requests are tracked end to end and reported on each month",
                ],
            ),
            (
                "Which channels does the unit use with international partners?",
                [
                    "None in regular use",
                    "E-mail and telephone only",
                    "One secure channel, used by some officers",
                    "The main secure channels, used by all duty officers",
                    "All channels from one workstation, with the same procedures",
                ],
            ),
            ("Does the unit run a duty desk around the clock?", QuestionKind.YES_NO),
        ),
    ),
    (
        "secure-communication",
        "Secure communication and interconnection of offices",
        "Data and analysis",
        3,
        (
            (
                "How are the offices of the unit's partner agencies connected to it?",
                [
                    "Not connected",
                    "By ordinary e-mail",
                    "Some offices by an encrypted link",
                    "Every partner office by an encrypted link",
                    "Every office by a monitored encrypted network with a fallback",
                ],
            ),
            (
                "How is classified information handled?",
                [
                    "No rules",
                    "Rules exist on paper",
                    "Rules are followed for paper documents",
                    "Rules are followed for paper and electronic documents",
                    "Rules are followed and checked by regular audits",
                ],
            ),
            ("How many workstations are connected to the secure network?", QuestionKind.NUMBER),
        ),
    ),
    (
        "analysis",
        "Criminal analysis",
        "Data and analysis",
        3,
        (
            (
                "Does the unit produce analysis from the cases it handles?",
                [
                    "No analysis",
                    "Occasional statistics on request",
                    "Regular statistics on cases handled",
                    "Regular analysis of trends shared with partner agencies",
                    "Threat assessments that guide the partner agencies' priorities",
                ],
            ),
            (
                "What tools do the analysts use?",
                [
                    "None",
                    "Office spreadsheets",
                    "A case database without analysis tools",
                    "A case database with link-analysis software",
                    "Integrated tools used by trained analysts",
                ],
            ),
            ("Which analysis products did the unit issue last year?", QuestionKind.TEXT),
        ),
    ),
    (
        "training",
        "Training of staff",
        "Operational cooperation",
        3,
        (
            (
                "Are new officers trained before they take duty?",
                [
                    "No training",
                    "Learning on the job only",
                    "A short briefing",
                    "A structured induction course",
                    "An induction course with a test, refreshed each year",
                ],
            ),
            (
                "Do officers train in the languages and channels of cooperation?",
                [
                    "Never",
                    "When a partner offers it",
                    "Some officers each year",
                    "A yearly plan covers every officer",
                    "A yearly plan, evaluated and adjusted",
                ],
            ),
            ("Is there a yearly training plan for the unit?", QuestionKind.YES_NO),
        ),
    ),
    (
        "procedures",
        "Cooperation procedures",
        "Operational cooperation",
        4,
        (
            (
                "Are the unit's procedures written and agreed with partner agencies?",
                [
                    "No written procedures",
                    "Drafts that are not agreed",
                    "Written procedures agreed with some agencies",
                    "Procedures agreed with every partner agency",
                    "Agreed procedures, reviewed each year",
                ],
            ),
            (
                "Does the unit take part in joint operations and exchanges abroad?",
                [
                    "Never",
                    "Rarely, when invited",
                    "Once or twice a year",
                    "Several times a year with a plan",
                    "Regularly, with lessons learnt fed back",
                ],
            ),
            ("Which agreements does the unit work under?", QuestionKind.TEXT),
        ),
    ),
)

# acronym of the unit, [levels before], [levels after], in the order of the scale questions.
UNITS = (
    ("ILECU Moldova", [1, 1, 1, 2, 0, 1, 1, 2, 2, 1], [3, 3, 2, 3, 2, 2, 3, 3, 3, 2]),
    ("ILECU Georgia", [2, 1, 1, 1, 1, 0, 2, 1, 1, 2], [3, 2, 3, 3, 2, 2, 3, 2, 3, 3]),
)

# area, text, priority, training module code
RECOMMENDATIONS = (
    (
        "secure-communication",
        "Connect every partner office to the unit through an encrypted link.",
        Priority.HIGH,
        None,
    ),
    (
        "analysis",
        "Train two analysts in migration statistics and risk analysis.",
        Priority.HIGH,
        "MIG-08",
    ),
    (
        "procedures",
        "Train duty officers in joint investigations against smuggling networks.",
        Priority.MEDIUM,
        "MIG-07",
    ),
)


def _say(stdout, message):
    if stdout is not None:
        stdout.write(message)


def _template() -> Template:
    template = Template.objects.filter(family=FAMILY).order_by("-version").first()
    if template is not None:
        return template
    template = Template.objects.create(
        family=FAMILY,
        title="Capacity of a law-enforcement coordination unit",
        description="Where a unit stands in exchanging information with foreign partners, "
        "connecting the offices it serves, analysing cases, training its staff and working "
        "under agreed procedures.",
        scale_max=4,
        status=TemplateStatus.DRAFT,
        changes="First version.",
    )
    for order, (code, title, competency, target, questions) in enumerate(AREAS, start=1):
        area = Area.objects.create(
            template=template,
            code=code,
            title=title,
            order=order,
            default_target=target,
            competency_area=CompetencyArea.objects.filter(name=competency).first(),
        )
        for position, (text, kind) in enumerate(questions, start=1):
            levels = kind if isinstance(kind, list) else []
            Question.objects.create(
                area=area,
                text=text,
                kind=QuestionKind.SCALE if levels else kind,
                levels=levels,
                order=position,
            )
    template.status = TemplateStatus.PUBLISHED
    template.save()
    return template


def _other_answer(question: Question, after: bool) -> dict:
    if question.kind == QuestionKind.YES_NO:
        return {"yes": after}
    if question.kind == QuestionKind.NUMBER:
        return {"number": Decimal(14 if after else 3)}
    return {"text": "Monthly trend reports and two threat assessments." if after else ""}


def _assess(secretariat, lead, team, template, unit, project, on, levels, after) -> Assessment:
    assessment = services.create_assessment(
        secretariat,
        {
            "institution": unit,
            "template": template,
            "assessed_on": on,
            "project": project,
            "lead": lead,
        },
        team=team,
    )
    scale = iter(levels)
    for area in template.areas.prefetch_related("questions"):
        values = {}
        for question in area.questions.all():
            if question.kind == QuestionKind.SCALE:
                values[question.pk] = {
                    "level": next(scale),
                    "comment": "Seen at the unit's premises." if after else "",
                }
            else:
                values[question.pk] = _other_answer(question, after)
        services.save_answers(lead, assessment, area, values)
    modules = {m.code: m for m in Module.objects.filter(code__in=["MIG-07", "MIG-08"])}
    equipment = Item.objects.filter(institution=unit).order_by("pk").first()
    if not after:
        areas = {area.code: area for area in template.areas.all()}
        for code, text, priority, module in RECOMMENDATIONS:
            services.save_recommendation(
                lead,
                assessment,
                Recommendation(),
                {
                    "area": areas[code],
                    "text": text,
                    "priority": priority,
                    "module": modules.get(module) if module else None,
                    "equipment": equipment if module is None else None,
                },
            )
    services.complete(
        lead,
        assessment,
        "The unit closed most of its gaps; analysis and secure links remain to finish."
        if after
        else "The unit answers partners' requests but lacks secure links and analysis.",
        today=assessment.assessed_on,
    )
    return assessment


@transaction.atomic
def load_demo_assessments(stdout=None, *, today: datetime.date | None = None) -> int:
    """Assess two coordination units before and after; returns the number of assessments
    created (0 on a rerun or when the portfolio demo is missing)."""
    today = today or timezone.localdate()
    users = {
        u.username: u
        for u in User.objects.filter(username__in=["secretariat", "manager", "viewer"])
    }
    if len(users) < 3:
        users = create_demo_users()
    secretariat, lead, member = users["secretariat"], users["manager"], users["viewer"]
    units = {
        unit.acronym: unit
        for unit in Organisation.objects.filter(
            type=OrganisationType.COORDINATION_UNIT, acronym__in=[u[0] for u in UNITS]
        )
    }
    if not units:
        _say(stdout, "No coordination unit found: load the portfolio demo first.")
        return 0
    template = _template()
    project = find_seed_project(SEED_PROJECTS["ilecu"])
    created = 0
    for acronym, before, after in UNITS:
        unit = units.get(acronym)
        if (
            unit is None
            or Assessment.objects.filter(institution=unit, template__family=FAMILY).exists()
        ):
            continue
        for on, levels, is_after in (
            (today - datetime.timedelta(days=430), before, False),
            (today - datetime.timedelta(days=30), after, True),
        ):
            _assess(secretariat, lead, [member], template, unit, project, on, levels, is_after)
            created += 1
    _say(stdout, f"Needs assessments: {created} created.")
    return created
