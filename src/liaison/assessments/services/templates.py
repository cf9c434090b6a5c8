"""Writes of assessment templates: drafts, their areas and questions, publishing, retiring and
new versions.

A template is edited only while it is a draft. Once published it is frozen, because completed
assessments rely on its questions meaning what they meant; a change is a new version, which
copies everything into version N+1 and says what changed.
"""

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from liaison.core import audit

from .. import permissions
from ..models import Area, Question, QuestionKind, Template, TemplateStatus
from . import AssessmentError, require

TEMPLATE_FIELDS = ["family", "title", "description", "scale_max"]
AREA_FIELDS = ["code", "title", "description", "default_target", "competency_area"]
QUESTION_FIELDS = ["text", "help", "kind", "levels"]


def _snapshot(obj, names) -> dict:
    return {name: getattr(obj, name) for name in names}


def _editable(template: Template) -> Template:
    """The template, locked, if it may still change; a clear refusal otherwise."""
    template = Template.objects.select_for_update().get(pk=template.pk)
    if not template.is_editable:
        raise AssessmentError(
            _(
                "This template is %(status)s, so it is frozen: assessments rely on its questions "
                "meaning what they did. Make a new version to change it."
            )
            % {"status": template.get_status_display().lower()}
        )
    return template


def _check_levels(template: Template, question: Question):
    """A scale question defines what each level from 0 to the template's highest means."""
    if question.kind != QuestionKind.SCALE:
        question.levels = []
        return
    levels = [str(text).strip() for text in question.levels or []]
    wanted = template.scale_max + 1
    if len(levels) != wanted or not all(levels):
        raise AssessmentError(
            _("A scale question defines every level from 0 to %(top)s: %(wanted)s definitions.")
            % {"top": template.scale_max, "wanted": wanted}
        )
    question.levels = levels


@transaction.atomic
def save_template(actor, template: Template, fields: dict, reason: str = "") -> Template:
    """Create a draft (``template.pk`` is None) or change one."""
    require(permissions.can_manage_templates(actor))
    created = template.pk is None
    if not created:
        template = _editable(template)
    before = {} if created else _snapshot(template, TEMPLATE_FIELDS)
    if created:
        family = fields.get("family", template.family)
        if Template.objects.filter(family=family).exists():
            raise AssessmentError(
                _("A template with the code “%(code)s” exists: make a new version of it instead.")
                % {"code": family}
            )
        template.version, template.status = 1, TemplateStatus.DRAFT
    elif fields.get("family", before["family"]) != before["family"]:
        raise AssessmentError(_("The code of a template is shared by its versions: it stays."))
    for name, value in fields.items():
        if name in TEMPLATE_FIELDS:
            setattr(template, name, value)
    if not created:
        top = template.scale_max
        if Area.objects.filter(template=template, default_target__gt=top).exists():
            raise AssessmentError(_("An area's target level is above the new highest level."))
        for question in Question.objects.filter(area__template=template, kind=QuestionKind.SCALE):
            _check_levels(template, question)
    template.full_clean()
    template.save()
    changes = audit.diff(before, _snapshot(template, TEMPLATE_FIELDS))
    if changes:
        action = "assessment_template.created" if created else "assessment_template.updated"
        audit.record(actor, action, template, changes, reason)
    return template


@transaction.atomic
def save_area(actor, area: Area, fields: dict) -> Area:
    """Add an area to a draft template (at the end) or change one."""
    require(permissions.can_manage_templates(actor))
    template = _editable(area.template)
    created = area.pk is None
    if not created:  # Start from what is stored, so a stale copy cannot undo a move.
        area = Area.objects.get(pk=area.pk, template=template)
    before = {} if created else _snapshot(area, AREA_FIELDS)
    for name, value in fields.items():
        if name in AREA_FIELDS:
            setattr(area, name, value)
    if area.default_target > template.scale_max:
        raise AssessmentError(
            _("The target level is at most the template's highest level, %(top)s.")
            % {"top": template.scale_max}
        )
    if created:
        area.order = (template.areas.aggregate(top=Max("order"))["top"] or 0) + 1
    area.full_clean()
    area.save()
    changes = audit.diff(before, _snapshot(area, AREA_FIELDS))
    if changes:
        action = "assessment_area.created" if created else "assessment_area.updated"
        audit.record(actor, action, area, {"template": template.pk, **changes})
    return area


@transaction.atomic
def save_question(actor, question: Question, fields: dict) -> Question:
    """Add a question to an area of a draft template (at the end) or change one."""
    require(permissions.can_manage_templates(actor))
    template = _editable(question.area.template)
    created = question.pk is None
    if not created:
        question = Question.objects.select_related("area").get(
            pk=question.pk, area__template=template
        )
    before = {} if created else _snapshot(question, QUESTION_FIELDS)
    for name, value in fields.items():
        if name in QUESTION_FIELDS:
            setattr(question, name, value)
    _check_levels(template, question)
    if created:
        question.order = (question.area.questions.aggregate(top=Max("order"))["top"] or 0) + 1
    question.full_clean()
    question.save()
    changes = audit.diff(before, _snapshot(question, QUESTION_FIELDS))
    if changes:
        action = "assessment_question.created" if created else "assessment_question.updated"
        audit.record(actor, action, question, {"template": template.pk, **changes})
    return question


def _siblings(obj):
    if isinstance(obj, Area):
        return Area.objects.filter(template=obj.template_id).order_by("order", "pk")
    return Question.objects.filter(area=obj.area_id).order_by("order", "pk")


def _template_of(obj) -> Template:
    return obj.template if isinstance(obj, Area) else obj.area.template


@transaction.atomic
def move(actor, obj: Area | Question, up: bool):
    """Move an area or a question one place up or down among its siblings."""
    require(permissions.can_manage_templates(actor))
    template = _editable(_template_of(obj))
    siblings = list(_siblings(obj))
    index = next(i for i, sibling in enumerate(siblings) if sibling.pk == obj.pk)
    other = index - 1 if up else index + 1
    if not 0 <= other < len(siblings):
        return
    siblings[index], siblings[other] = siblings[other], siblings[index]
    for position, sibling in enumerate(siblings, start=1):
        if sibling.order != position:
            sibling.order = position
            sibling.save(update_fields=["order"])
    name = obj._meta.model_name
    audit.record(actor, f"assessment_{name}.moved", obj, {"template": template.pk, "up": up})


@transaction.atomic
def delete(actor, obj: Area | Question):
    """Remove an area (with its questions) or a question from a draft template."""
    require(permissions.can_manage_templates(actor))
    template = _editable(_template_of(obj))
    audit.record(
        actor, f"assessment_{obj._meta.model_name}.deleted", obj, {"template": template.pk}
    )
    obj.delete()


@transaction.atomic
def publish(actor, template: Template) -> Template:
    """Make a draft usable for assessments, and frozen from then on."""
    require(permissions.can_manage_templates(actor))
    template = _editable(template)
    areas = list(template.areas.prefetch_related("questions"))
    if not areas:
        raise AssessmentError(_("Add at least one capability area before publishing."))
    without = [
        area.title
        for area in areas
        if not any(q.kind == QuestionKind.SCALE for q in area.questions.all())
    ]
    if without:
        raise AssessmentError(
            _("Every area needs a scale question to give it a level. Missing in: %(areas)s.")
            % {"areas": "; ".join(without)}
        )
    template.status = TemplateStatus.PUBLISHED
    template.save(update_fields=["status"])
    audit.record(
        actor, "assessment_template.published", template, {"status": ["draft", "published"]}
    )
    return template


@transaction.atomic
def retire(actor, template: Template) -> Template:
    """No new assessment uses a retired template; those made with it keep it."""
    require(permissions.can_manage_templates(actor))
    template = Template.objects.select_for_update().get(pk=template.pk)
    if template.status != TemplateStatus.PUBLISHED:
        raise AssessmentError(_("Only a published template can be retired."))
    template.status = TemplateStatus.RETIRED
    template.save(update_fields=["status"])
    audit.record(
        actor, "assessment_template.retired", template, {"status": ["published", "retired"]}
    )
    return template


@transaction.atomic
def new_version(actor, template: Template, changes: str) -> Template:
    """Copy a published or retired template with its areas, questions and level definitions
    into the next version, as a draft that says what changed."""
    require(permissions.can_manage_templates(actor))
    changes = (changes or "").strip()
    if not changes:
        raise AssessmentError(_("Say what changes in the new version."))
    family = Template.objects.select_for_update().filter(family=template.family)
    draft = family.filter(status=TemplateStatus.DRAFT).first()
    if draft is not None:
        raise AssessmentError(
            _("Version %(version)s is already a draft: change that one.")
            % {"version": draft.version}
        )
    copy = Template.objects.create(
        family=template.family,
        version=family.aggregate(top=Max("version"))["top"] + 1,
        title=template.title,
        description=template.description,
        scale_max=template.scale_max,
        status=TemplateStatus.DRAFT,
        changes=changes,
    )
    for area in template.areas.prefetch_related("questions"):
        questions = list(area.questions.all())
        area.pk, area.template = None, copy
        area.save()
        for question in questions:
            question.pk, question.area = None, area
            question.save()
    audit.record(
        actor, "assessment_template.versioned", copy, {"from": template.pk}, reason=changes
    )
    return copy
