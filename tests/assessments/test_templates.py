"""Templates: drafts are edited by the secretariat, published ones are frozen, and a new
version copies everything into a draft."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from liaison.assessments.models import Area, Question, Template, TemplateStatus
from liaison.assessments.services import AssessmentError
from liaison.assessments.services import templates as services
from liaison.core.models import AuditEntry

from .conftest import LEVELS, make_template


def test_secretariat_builds_and_publishes_a_draft(secretariat):
    template = services.save_template(
        secretariat,
        Template(),
        {"family": "border-post", "title": "Border post", "scale_max": 4},
    )
    area = services.save_area(secretariat, Area(template=template), {"code": "a", "title": "A"})
    with pytest.raises(AssessmentError, match="scale question"):
        services.publish(secretariat, template)
    services.save_question(
        secretariat, Question(area=area), {"text": "Q", "kind": "scale", "levels": LEVELS}
    )
    template = services.publish(secretariat, template)
    assert template.status == TemplateStatus.PUBLISHED
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"assessment_template.created", "assessment_template.published"} <= actions


def test_scale_question_needs_one_definition_per_level(secretariat):
    template = make_template(status=TemplateStatus.DRAFT)
    area = template.areas.first()
    with pytest.raises(AssessmentError, match="5 definitions"):
        services.save_question(
            secretariat, Question(area=area), {"text": "Q", "kind": "scale", "levels": ["a"]}
        )
    assert area.questions.count() == 3


@pytest.mark.parametrize(
    "change",
    [
        lambda user, t: services.save_template(user, t, {"title": "Changed"}),
        lambda user, t: services.save_area(user, t.areas.first(), {"title": "Changed"}),
        lambda user, t: services.save_area(user, Area(template=t), {"code": "x", "title": "X"}),
        lambda user, t: services.save_question(
            user, Question.objects.filter(area__template=t).first(), {"text": "Changed"}
        ),
        lambda user, t: services.delete(user, t.areas.first()),
        lambda user, t: services.move(user, t.areas.last(), up=True),
    ],
)
def test_a_published_template_is_frozen(secretariat, template, change):
    with pytest.raises(AssessmentError, match="frozen"):
        change(secretariat, template)
    assert Template.objects.get(pk=template.pk).title == "Capacity of a coordination unit"
    assert list(template.areas.values_list("code", flat=True)) == ["exchange", "analysis"]
    assert not Question.objects.filter(text="Changed").exists()


def test_the_page_says_a_published_template_is_frozen(client, secretariat, template):
    client.force_login(secretariat)
    area = template.areas.first()
    url = reverse("assessments:area_edit", args=[template.pk, area.pk])
    response = client.post(url, {"code": "exchange", "title": "Changed", "default_target": 3})
    assert response.status_code == 200
    assert "frozen" in response.content.decode()
    area.refresh_from_db()
    assert area.title == "Information exchange"


def test_new_version_copies_areas_questions_and_levels(secretariat, template):
    copy = services.new_version(secretariat, template, "Adds a question on analysis.")
    assert (copy.family, copy.version, copy.status) == (template.family, 2, TemplateStatus.DRAFT)
    assert copy.changes == "Adds a question on analysis."
    old = list(
        Question.objects.filter(area__template=template).values_list(
            "area__code", "text", "kind", "levels"
        )
    )
    new = list(
        Question.objects.filter(area__template=copy).values_list(
            "area__code", "text", "kind", "levels"
        )
    )
    assert new == old and len(new) == 6
    assert list(copy.areas.values_list("code", "default_target")) == [
        ("exchange", 3),
        ("analysis", 4),
    ]
    # The copy is a draft and changes alone; the original stays as it was.
    services.save_area(secretariat, copy.areas.first(), {"title": "Exchange of information"})
    assert template.areas.first().title == "Information exchange"
    with pytest.raises(AssessmentError, match="already a draft"):
        services.new_version(secretariat, template, "Again")


def test_new_version_needs_a_note(secretariat, template):
    with pytest.raises(AssessmentError, match="what changes"):
        services.new_version(secretariat, template, "  ")
    assert Template.objects.count() == 1


def test_retire_then_no_new_assessment_uses_it(secretariat, template):
    template = services.retire(secretariat, template)
    assert template.status == TemplateStatus.RETIRED
    with pytest.raises(AssessmentError):
        services.retire(secretariat, template)


def test_move_reorders_areas(secretariat):
    template = make_template(status=TemplateStatus.DRAFT)
    services.move(secretariat, template.areas.get(code="analysis"), up=True)
    assert list(template.areas.values_list("code", flat=True)) == ["analysis", "exchange"]


@pytest.mark.parametrize("who", ["manager", "viewer", "public_user"])
def test_only_the_secretariat_writes_templates(request, who):
    user = request.getfixturevalue(who)
    template = make_template(status=TemplateStatus.DRAFT)
    with pytest.raises(PermissionDenied):
        services.save_template(user, template, {"title": "Mine"})
    with pytest.raises(PermissionDenied):
        services.publish(user, template)


def test_template_pages_for_staff_only(client, viewer, public_user, template):
    client.force_login(viewer)
    assert client.get(reverse("assessments:template", args=[template.pk])).status_code == 200
    assert (
        client.post(reverse("assessments:template_retire", args=[template.pk])).status_code == 403
    )
    client.force_login(public_user)
    assert client.get(reverse("assessments:templates")).status_code == 403


def test_secretariat_adds_a_question_on_the_page(client, secretariat):
    template = make_template(status=TemplateStatus.DRAFT)
    area = template.areas.first()
    client.force_login(secretariat)
    url = reverse("assessments:question_create", args=[template.pk, area.pk])
    response = client.post(
        url, {"text": "Liaison officers posted", "kind": "scale", "level_lines": "\n".join(LEVELS)}
    )
    assert response.status_code == 302
    question = area.questions.get(text="Liaison officers posted")
    assert question.levels == LEVELS
    assert list(area.questions.all())[-1] == question


def test_secretariat_pages_of_a_draft_render(client, secretariat):
    template = make_template(status=TemplateStatus.DRAFT)
    area = template.areas.first()
    question = area.questions.first()
    client.force_login(secretariat)
    for name, args in [
        ("templates", []),
        ("template_create", []),
        ("template", [template.pk]),
        ("template_edit", [template.pk]),
        ("area_create", [template.pk]),
        ("area_edit", [template.pk, area.pk]),
        ("question_create", [template.pk, area.pk]),
        ("question_edit", [template.pk, area.pk, question.pk]),
    ]:
        assert client.get(reverse(f"assessments:{name}", args=args)).status_code == 200, name
    page = client.get(reverse("assessments:template", args=[template.pk])).content.decode()
    assert "Publish" in page and "Add an area" in page
    bad = reverse("assessments:part_delete", args=[template.pk, "nonsense", area.pk])
    assert client.post(bad).status_code == 404


def test_new_version_on_the_page(client, secretariat, template):
    client.force_login(secretariat)
    url = reverse("assessments:template_new_version", args=[template.pk])
    response = client.post(url, {"changes": "Clearer wording."})
    copy = Template.objects.get(version=2)
    assert response["Location"] == copy.get_absolute_url()
