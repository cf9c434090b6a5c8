"""A published template of two capability areas, a coordination unit assessed against it by a
lead assessor and a team member, and the people around them: the secretariat that runs it, a
staff viewer who only reads, and an outsider on no team."""

import datetime

import pytest

from liaison.assessments.models import Area, Question, QuestionKind, Template, TemplateStatus
from liaison.assessments.services import assessments as services
from liaison.core.models import Role
from liaison.directory.models import Organisation, OrganisationType

from ..conftest import make_user

LEVELS = ["None", "Ad hoc", "Defined", "Managed", "Optimised"]


def make_template(family="unit-capacity", status=TemplateStatus.PUBLISHED, version=1):
    template = Template.objects.create(
        family=family,
        version=version,
        title="Capacity of a coordination unit",
        scale_max=4,
        status=status,
    )
    exchange = Area.objects.create(
        template=template, code="exchange", title="Information exchange", order=1, default_target=3
    )
    Question.objects.create(
        area=exchange, text="Requests answered on time", kind=QuestionKind.SCALE, levels=LEVELS
    )
    Question.objects.create(
        area=exchange, text="Secure channel to partners", kind=QuestionKind.SCALE, levels=LEVELS
    )
    Question.objects.create(area=exchange, text="Is there a 24/7 desk?", kind=QuestionKind.YES_NO)
    analysis = Area.objects.create(
        template=template, code="analysis", title="Analysis", order=2, default_target=4
    )
    Question.objects.create(
        area=analysis, text="Threat assessments produced", kind=QuestionKind.SCALE, levels=LEVELS
    )
    Question.objects.create(area=analysis, text="Analysts in post", kind=QuestionKind.NUMBER)
    Question.objects.create(area=analysis, text="Tools used", kind=QuestionKind.TEXT)
    return template


def questions(template, code):
    return list(
        Question.objects.filter(area__template=template, area__code=code).order_by("order", "pk")
    )


@pytest.fixture
def template(db):
    return make_template()


@pytest.fixture
def unit(db, countries):
    return Organisation.objects.create(
        name="Coordination Unit of Serbia",
        acronym="ILECU RS",
        type=OrganisationType.COORDINATION_UNIT,
        country=countries["RS"],
    )


@pytest.fixture
def assessor(db):
    return make_user("assessor", Role.PUBLIC, first_name="Ada", last_name="Assessor")


@pytest.fixture
def member(db):
    return make_user("member", Role.PUBLIC, first_name="Mo", last_name="Member")


@pytest.fixture
def outsider(db):
    return make_user("outsider", Role.PUBLIC)


def start(secretariat, template, unit, lead, team=(), on=datetime.date(2025, 3, 1), **extra):
    return services.create_assessment(
        secretariat,
        {"institution": unit, "template": template, "assessed_on": on, "lead": lead, **extra},
        team=team,
    )


@pytest.fixture
def assessment(db, secretariat, template, unit, assessor, member):
    return start(secretariat, template, unit, assessor, team=[member])


def answer_levels(user, assessment, code, levels):
    """Give the scale questions of an area these levels, in order."""
    scale = [q for q in questions(assessment.template, code) if q.kind == QuestionKind.SCALE]
    area = scale[0].area
    services.save_answers(
        user,
        assessment,
        area,
        {q.pk: {"level": level} for q, level in zip(scale, levels, strict=False)},
    )
