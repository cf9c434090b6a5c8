"""Writes of needs assessments: starting one, saving the answers of an area, targets and
priorities, completing and reopening, recommendations and the training needs drawn from them.

Answers are saved one area at a time so that a team on a slow line loses at most the area it
is on; unanswered questions are allowed until the assessment is completed. Everything sent for
an area is checked before anything is written, so a refused save changes nothing.
"""

from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from liaison.core import audit
from liaison.directory.models import Membership
from liaison.training.models import TrainingNeed, TrainingPlan
from liaison.training.services import plans as plan_services

from .. import permissions
from ..models import (
    Answer,
    Area,
    AreaResult,
    Assessment,
    AssessmentStatus,
    Priority,
    Question,
    QuestionKind,
    Recommendation,
    TemplateStatus,
)
from . import AssessmentError, require

ASSESSMENT_FIELDS = ["institution", "template", "assessed_on", "project", "lead", "summary"]
RECOMMENDATION_FIELDS = ["area", "text", "priority", "module", "course", "equipment"]
VALUE_FIELD = {
    QuestionKind.SCALE: "level",
    QuestionKind.YES_NO: "yes",
    QuestionKind.NUMBER: "number",
    QuestionKind.TEXT: "text",
}
ANSWER_KEYS = {*VALUE_FIELD.values(), "comment"}
CENT = Decimal("0.01")


def _locked(assessment: Assessment) -> Assessment:
    return Assessment.objects.select_for_update().get(pk=assessment.pk)


@transaction.atomic
def create_assessment(actor, fields: dict, team=()) -> Assessment:
    """Start an assessment of an institution against a published template; each area gets the
    template's target level, which the team may change."""
    require(permissions.can_create_assessment(actor, fields.get("project")))
    template = fields["template"]
    if template.status != TemplateStatus.PUBLISHED:
        raise AssessmentError(_("An assessment uses a published template."))
    if not fields.get("lead"):
        raise AssessmentError(_("Name the lead assessor."))
    assessment = Assessment(**{name: fields[name] for name in ASSESSMENT_FIELDS if name in fields})
    assessment.full_clean()
    assessment.save()
    assessment.team.set(team)
    AreaResult.objects.bulk_create(
        AreaResult(assessment=assessment, area=area, target_level=Decimal(area.default_target))
        for area in template.areas.all()
    )
    after = {name: getattr(assessment, name) for name in ASSESSMENT_FIELDS}
    after["team"] = [str(user) for user in team]
    audit.record(actor, "assessment.created", assessment, audit.diff({}, after))
    return assessment


def _clean_answer(question: Question, value: dict, top: int) -> dict:
    """The answer's fields, checked against the question's kind; a clear refusal otherwise."""
    unknown = set(value) - ANSWER_KEYS
    wrong = [
        key
        for key in set(value) & set(VALUE_FIELD.values())
        if key != VALUE_FIELD[question.kind] and value[key] not in (None, "")
    ]
    if unknown or wrong:
        raise AssessmentError(
            _("“%(question)s” is a %(kind)s question; it takes no %(fields)s.")
            % {
                "question": question.text,
                "kind": question.get_kind_display().lower(),
                "fields": ", ".join(sorted(unknown | set(wrong))),
            }
        )
    clean = {"level": None, "yes": None, "number": None, "text": "", "comment": ""}
    clean["comment"] = str(value.get("comment") or "").strip()
    raw = value.get(VALUE_FIELD[question.kind])
    if raw in (None, ""):
        return clean
    if question.kind == QuestionKind.SCALE:
        if isinstance(raw, bool) or not str(raw).isdigit() or int(raw) > top:
            raise AssessmentError(
                _("“%(question)s” takes a level from 0 to %(top)s.")
                % {"question": question.text, "top": top}
            )
        clean["level"] = int(raw)
    elif question.kind == QuestionKind.YES_NO:
        if not isinstance(raw, bool):
            raise AssessmentError(
                _("“%(question)s” takes yes or no.") % {"question": question.text}
            )
        clean["yes"] = raw
    elif question.kind == QuestionKind.NUMBER:
        try:
            number = Decimal(str(raw)).quantize(CENT)
        except (InvalidOperation, ValueError):
            number = None
        if number is None or not number.is_finite() or abs(number) >= Decimal("1e12"):
            raise AssessmentError(_("“%(question)s” takes a number.") % {"question": question.text})
        clean["number"] = number
    else:
        clean["text"] = str(raw).strip()
    return clean


def _shown(answer) -> str | None:
    """An answer as the audit trail shows it."""
    if answer is None:
        return None
    for name in ("level", "yes", "number"):
        value = getattr(answer, name) if not isinstance(answer, dict) else answer[name]
        if value is not None:
            return str(value)
    text = answer.text if not isinstance(answer, dict) else answer["text"]
    return text[:80] or None


def _is_empty(clean: dict) -> bool:
    return all(clean[name] in (None, "") for name in ANSWER_KEYS)


@transaction.atomic
def save_answers(actor, assessment: Assessment, area: Area, values: dict) -> int:
    """Save the answers of one area: ``{question_id: {"level": 2, "comment": "…"}}`` with the
    field of the question's kind (``level``, ``yes``, ``number`` or ``text``) and an optional
    ``comment``. A question sent empty loses its answer; one not sent keeps it. Returns the
    number of questions of the area answered after the save."""
    assessment = _locked(assessment)
    require(permissions.can_answer(actor, assessment))
    if area.template_id != assessment.template_id:
        raise AssessmentError(_("That area is not part of this assessment's template."))
    questions = {q.pk: q for q in area.questions.all()}
    unknown = [str(pk) for pk in values if pk not in questions]
    if unknown:
        raise AssessmentError(
            _("Nothing was saved: question %(ids)s is not part of the area “%(area)s”.")
            % {"ids": ", ".join(unknown), "area": area.title}
        )
    top = assessment.template.scale_max
    cleaned = {pk: _clean_answer(questions[pk], value, top) for pk, value in values.items()}
    existing = {
        a.question_id: a for a in Answer.objects.filter(assessment=assessment, question__area=area)
    }
    before, after = {}, {}
    for pk, clean in cleaned.items():
        answer = existing.get(pk)
        before[str(pk)] = _shown(answer)
        if _is_empty(clean):
            if answer is not None:
                answer.delete()
                del existing[pk]
            after[str(pk)] = None
            continue
        if answer is None:
            answer = existing[pk] = Answer(assessment=assessment, question=questions[pk])
        for name, value in clean.items():
            setattr(answer, name, value)
        answer.answered_by = actor
        answer.save()
        after[str(pk)] = _shown(clean)
    changes = audit.diff(before, after)
    if changes:
        audit.record(actor, "assessment.answered", assessment, {"area": area.code, **changes})
    assessment.save(update_fields=["updated"])
    return sum(1 for answer in existing.values() if _shown(answer) is not None)


@transaction.atomic
def set_area_result(actor, assessment: Assessment, result: AreaResult, fields: dict) -> AreaResult:
    """The team's target level, priority and finding for one area."""
    assessment = _locked(assessment)
    require(permissions.can_answer(actor, assessment))
    result = AreaResult.objects.select_related("area").get(pk=result.pk, assessment=assessment)
    names = ["target_level", "priority", "finding"]
    before = {name: getattr(result, name) for name in names}
    for name in names:
        if name in fields:
            setattr(result, name, fields[name])
    top = assessment.template.scale_max
    if result.target_level is None or not 0 <= result.target_level <= top:
        raise AssessmentError(_("The target level is between 0 and %(top)s.") % {"top": top})
    result.target_level = Decimal(result.target_level).quantize(Decimal("0.1"))
    if result.priority not in ("", *Priority.values):
        raise AssessmentError(_("Choose a priority of high, medium or low."))
    result.full_clean()
    result.save()
    changes = audit.diff(before, {name: getattr(result, name) for name in names})
    if changes:
        audit.record(
            actor, "assessment.area_result", assessment, {"area": result.area.code, **changes}
        )
    return result


def missing_scale_answers(assessment: Assessment):
    """The scale questions still without a level: they block completion."""
    answered = Answer.objects.filter(assessment=assessment, level__isnull=False).values("question")
    return (
        Question.objects.filter(area__template=assessment.template_id, kind=QuestionKind.SCALE)
        .exclude(pk__in=answered)
        .select_related("area")
        .order_by("area__order", "area_id", "order", "pk")
    )


@transaction.atomic
def complete(actor, assessment: Assessment, summary: str | None = None, today=None) -> Assessment:
    """Close the assessment once every scale question has a level; it is read-only after."""
    assessment = _locked(assessment)
    require(permissions.can_answer(actor, assessment))
    missing = list(missing_scale_answers(assessment))
    if missing:
        raise AssessmentError(
            _("Answer every scale question before completing. Still missing: %(list)s.")
            % {"list": "; ".join(f"{q.area.title} — {q.text}" for q in missing)}
        )
    before = {"status": assessment.status, "summary": assessment.summary}
    if summary is not None:
        assessment.summary = summary.strip()
    assessment.status = AssessmentStatus.COMPLETED
    assessment.completed_on = today or timezone.localdate()
    assessment.save()
    audit.record(
        actor,
        "assessment.completed",
        assessment,
        audit.diff(before, {"status": assessment.status, "summary": assessment.summary}),
    )
    return assessment


@transaction.atomic
def reopen(actor, assessment: Assessment, reason: str) -> Assessment:
    assessment = _locked(assessment)
    require(permissions.can_reopen(actor, assessment))
    reason = (reason or "").strip()
    if not reason:
        raise AssessmentError(_("Say why the assessment is reopened."))
    assessment.status = AssessmentStatus.IN_PROGRESS
    assessment.completed_on = None
    assessment.save()
    audit.record(
        actor,
        "assessment.reopened",
        assessment,
        {"status": [AssessmentStatus.COMPLETED, AssessmentStatus.IN_PROGRESS]},
        reason,
    )
    return assessment


@transaction.atomic
def save_recommendation(
    actor, assessment: Assessment, recommendation: Recommendation, fields: dict
) -> Recommendation:
    """Add or change a recommendation, linked to at most one module, course or equipment item
    (equipment of the assessed institution)."""
    assessment = _locked(assessment)
    require(permissions.can_answer(actor, assessment))
    created = recommendation.pk is None
    if not created and recommendation.assessment_id != assessment.pk:
        raise AssessmentError(_("That recommendation belongs to another assessment."))
    before = (
        {}
        if created
        else {
            n: getattr(Recommendation.objects.get(pk=recommendation.pk), n)
            for n in RECOMMENDATION_FIELDS
        }
    )
    for name in RECOMMENDATION_FIELDS:
        if name in fields:
            setattr(recommendation, name, fields[name])
    recommendation.assessment = assessment
    area = recommendation.area
    if area is None or area.template_id != assessment.template_id:
        raise AssessmentError(_("Choose an area of this assessment."))
    links = [recommendation.module, recommendation.course, recommendation.equipment]
    if sum(link is not None for link in links) > 1:
        raise AssessmentError(
            _("Link a recommendation to one thing: a module, a course or an equipment item.")
        )
    if (
        recommendation.equipment is not None
        and recommendation.equipment.institution_id != assessment.institution_id
    ):
        raise AssessmentError(_("The equipment item must be one of the assessed institution."))
    recommendation.full_clean()
    recommendation.save()
    after = {n: getattr(recommendation, n) for n in RECOMMENDATION_FIELDS}
    action = "recommendation.created" if created else "recommendation.updated"
    audit.record(
        actor, action, recommendation, {"assessment": assessment.pk, **audit.diff(before, after)}
    )
    return recommendation


@transaction.atomic
def delete_recommendation(actor, assessment: Assessment, recommendation: Recommendation):
    assessment = _locked(assessment)
    require(permissions.can_answer(actor, assessment))
    if recommendation.assessment_id != assessment.pk:
        raise AssessmentError(_("That recommendation belongs to another assessment."))
    audit.record(actor, "recommendation.deleted", recommendation, {"assessment": assessment.pk})
    recommendation.delete()


def plans_for(assessment: Assessment, user=None):
    """Training plans a recommendation of this assessment may feed: the institution's own and
    those of the networks it belongs to; with ``user``, only those the user manages."""
    networks = Membership.objects.filter(organisation=assessment.institution_id).values("network")
    plans = TrainingPlan.objects.filter(
        Q(organisation=assessment.institution_id) | Q(network__in=networks)
    )
    if user is not None and not getattr(user, "is_secretariat", False):
        plans = plans.filter(centre__staff=user) if permissions.signed_in(user) else plans.none()
    return plans


def add_to_training_plan(actor, recommendation: Recommendation, plan: TrainingPlan) -> TrainingNeed:
    """Carry the need behind a recommendation into a training plan, in the competency area the
    template links to the capability area. The plan's rules and audit trail apply."""
    assessment = recommendation.assessment
    require(permissions.can_see(actor, assessment))
    if not plans_for(assessment).filter(pk=plan.pk).exists():
        raise AssessmentError(
            _("The plan is not for the assessed institution or a network it belongs to.")
        )
    need = TrainingNeed(
        description=recommendation.text,
        competency_area=recommendation.area.competency_area,
        priority=recommendation.priority,
        source=_("Needs assessment of %(institution)s, %(date)s")
        % {"institution": assessment.institution, "date": assessment.assessed_on.isoformat()},
    )
    need.source = need.source[:300]
    return plan_services.save_part(actor, plan, need)
