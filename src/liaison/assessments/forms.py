"""Forms of needs assessments. They check what a person typed; the services check the rules."""

from django import forms
from django.utils.translation import gettext_lazy as _

from liaison.core.concurrency import VersionedFormMixin, audit_trail
from liaison.core.models import User
from liaison.core.widgets import PickerSelectMultiple
from liaison.directory.models import Organisation
from liaison.equipment.models import Item
from liaison.events.forms import DateInput
from liaison.portfolio.models import Project
from liaison.training.models import Module, TrainingPlan

from .models import (
    Area,
    AreaResult,
    Assessment,
    Priority,
    Question,
    QuestionKind,
    Recommendation,
    Template,
    TemplateStatus,
)
from .services.assessments import VALUE_FIELD


class TemplateForm(forms.ModelForm):
    class Meta:
        model = Template
        fields = ["family", "title", "description", "scale_max"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["family"].disabled = True
        self.fields["scale_max"].min_value = 1
        self.fields["scale_max"].max_value = 10
        self.fields["scale_max"].widget.attrs.update(min=1, max=10)

    def validate_unique(self):
        # A new version shares the code; the service says so when a draft would clash.
        pass


class AreaForm(forms.ModelForm):
    class Meta:
        model = Area
        fields = ["code", "title", "description", "default_target", "competency_area"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}
        help_texts = {"code": _("Keep it across versions so that assessments compare.")}

    def __init__(self, *args, template, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.template = template
        self.fields["default_target"].max_value = template.scale_max
        self.fields["default_target"].widget.attrs["max"] = template.scale_max


class QuestionForm(forms.ModelForm):
    """Level definitions are typed one per line, from level 0 up."""

    level_lines = forms.CharField(
        label=_("Level definitions"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
    )

    class Meta:
        model = Question
        fields = ["text", "help", "kind"]
        widgets = {"help": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, area, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.area = area
        top = area.template.scale_max
        self.fields["level_lines"].help_text = _(
            "For a scale question: one line per level, from level 0 to level %(top)s "
            "(%(count)s lines)."
        ) % {"top": top, "count": top + 1}
        if self.instance.pk:
            self.initial["level_lines"] = "\n".join(self.instance.levels or [])

    def clean(self):
        data = super().clean()
        lines = [line.strip() for line in data.get("level_lines", "").splitlines()]
        data["levels"] = [line for line in lines if line]
        return data

    def values(self) -> dict:
        return {name: self.cleaned_data[name] for name in ("text", "help", "kind", "levels")}


class ChangesForm(forms.Form):
    changes = forms.CharField(
        label=_("What changes in the new version"), widget=forms.Textarea(attrs={"rows": 3})
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is it reopened?"),
        max_length=500,
        help_text=_("Kept in the audit trail."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class AssessmentForm(forms.ModelForm):
    """A new assessment. A project manager starts one only for a project they manage."""

    team = forms.ModelMultipleChoiceField(
        label=_("Assessment team"),
        queryset=User.objects.none(),
        required=False,
        widget=PickerSelectMultiple,
        help_text=_("The lead and the team answer the assessment."),
    )

    class Meta:
        model = Assessment
        fields = ["institution", "template", "assessed_on", "project", "lead"]
        widgets = {"assessed_on": DateInput}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["institution"].queryset = Organisation.objects.select_related(
            "country"
        ).order_by("name")
        self.fields["template"].queryset = Template.objects.filter(status=TemplateStatus.PUBLISHED)
        projects = Project.objects.order_by("title")
        if not user.is_secretariat:
            projects = projects.filter(managers=user)
            self.fields["project"].required = True
        self.fields["project"].queryset = projects
        people = User.objects.filter(is_active=True).order_by("last_name", "first_name", "username")
        self.fields["lead"].queryset = people
        self.fields["lead"].required = True
        self.fields["team"].queryset = people


class AreaResultForm(VersionedFormMixin, forms.ModelForm):
    def audit_trail(self, record):
        # set_area_result records the change on the assessment, naming the area.
        return audit_trail(record.assessment).filter(changes__area=record.area.code)

    class Meta:
        model = AreaResult
        fields = ["target_level", "priority", "finding"]
        widgets = {"finding": forms.Textarea(attrs={"rows": 3})}
        help_texts = {"priority": _("Left empty, the priority suggested by the gap applies.")}

    def __init__(self, *args, scale_max, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target_level"].min_value = 0
        self.fields["target_level"].max_value = scale_max
        self.fields["target_level"].widget.attrs.update(min=0, max=scale_max, step="0.1")
        self.fields["priority"].choices = [("", _("As suggested by the gap")), *Priority.choices]


class CompleteForm(forms.Form):
    summary = forms.CharField(
        label=_("Summary of findings"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )


class RecommendationForm(VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = Recommendation
        fields = ["area", "text", "priority", "module", "course", "equipment"]
        widgets = {"text": forms.Textarea(attrs={"rows": 3})}
        help_texts = {"module": _("Link one thing at most: a module, a course or an item.")}

    def __init__(self, *args, assessment, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = Area.objects.filter(template=assessment.template_id)
        self.fields["module"].queryset = Module.objects.order_by("code")
        self.fields["course"].queryset = self.fields["course"].queryset.order_by("-starts_on")
        self.fields["equipment"].queryset = Item.objects.filter(
            institution=assessment.institution_id
        ).order_by("name")


class PlanChoiceForm(forms.Form):
    plan = forms.ModelChoiceField(label=_("Training plan"), queryset=TrainingPlan.objects.none())

    def __init__(self, *args, plans, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["plan"].queryset = plans


class CompareForm(forms.Form):
    other = forms.ModelChoiceField(
        label=_("Compare with"), queryset=Assessment.objects.none(), required=False
    )

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["other"].queryset = choices


YES_NO = [("", _("Not answered yet")), ("yes", _("Yes")), ("no", _("No"))]


def _field_name(question: Question, suffix: str = "") -> str:
    return f"q{question.pk}{suffix}"


class AnswerForm(forms.Form):
    """The questions of one area, with an evidence field each. Every answer may stay empty
    until the assessment is completed."""

    def __init__(self, *args, questions, answers, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = questions
        for question in questions:
            answer = answers.get(question.pk)
            name = _field_name(question)
            field, initial = self._field(question, answer)
            self.fields[name] = field
            self.initial[name] = initial
            comment = _field_name(question, "_comment")
            self.fields[comment] = forms.CharField(
                label=_("Evidence or comment"),
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
            self.initial[comment] = answer.comment if answer else ""

    def _field(self, question, answer):
        if question.kind == QuestionKind.SCALE:
            choices = [("", _("Not answered yet")), *question.level_choices()]
            return (
                forms.TypedChoiceField(
                    label=question.text,
                    choices=choices,
                    coerce=int,
                    empty_value=None,
                    required=False,
                    widget=forms.RadioSelect,
                ),
                "" if answer is None or answer.level is None else answer.level,
            )
        if question.kind == QuestionKind.YES_NO:
            initial = (
                "" if answer is None or answer.yes is None else ("yes" if answer.yes else "no")
            )
            return (
                forms.ChoiceField(
                    label=question.text, choices=YES_NO, required=False, widget=forms.RadioSelect
                ),
                initial,
            )
        if question.kind == QuestionKind.NUMBER:
            return (
                forms.DecimalField(
                    label=question.text, required=False, max_digits=14, decimal_places=2
                ),
                answer.number if answer else None,
            )
        return (
            forms.CharField(
                label=question.text, required=False, widget=forms.Textarea(attrs={"rows": 3})
            ),
            answer.text if answer else "",
        )

    def rows(self):
        """Each question with its answer field and its comment field, for the template."""
        return [
            (question, self[_field_name(question)], self[_field_name(question, "_comment")])
            for question in self.questions
        ]

    def values(self) -> dict:
        """The answers as the service takes them: ``{question_id: {field: value}}``."""
        values = {}
        for question in self.questions:
            raw = self.cleaned_data.get(_field_name(question))
            if question.kind == QuestionKind.YES_NO:
                raw = {"yes": True, "no": False}.get(raw)
            values[question.pk] = {
                VALUE_FIELD[question.kind]: raw,
                "comment": self.cleaned_data.get(_field_name(question, "_comment"), ""),
            }
        return values
