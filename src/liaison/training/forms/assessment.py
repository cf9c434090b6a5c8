"""Forms of assessment: quizzes and questions for the centre, practical results for trainers,
and the trainee's course evaluation."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import (
    Choice,
    Evaluation,
    PracticalAssessment,
    Question,
    QuestionKind,
    Quiz,
)
from ..services import assessment as services


class QuizForm(forms.ModelForm):
    class Meta:
        model = Quiz
        fields = ["title", "kind", "instructions", "pass_mark", "max_attempts", "randomise"]
        widgets = {"instructions": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "max_attempts": _(
                "Leave empty for no limit; a pre-test and a post-test then allow one attempt."
            )
        }


TRUE_FALSE_ANSWERS = [("true", _("True")), ("false", _("False"))]


class QuestionForm(forms.ModelForm):
    """One question. The choices come from ``ChoiceFormSet`` for single and multiple choice; a
    true/false question only says which is right; a short answer lists what is accepted."""

    true_answer = forms.ChoiceField(
        label=_("For true or false: the statement is"),
        choices=TRUE_FALSE_ANSWERS,
        widget=forms.RadioSelect,
        required=False,
    )
    accepted = forms.CharField(
        label=_("For a short answer: accepted answers, one a line"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("Compared without case, accents or extra spaces."),
    )

    class Meta:
        model = Question
        fields = ["kind", "text", "points", "order", "explanation"]
        widgets = {
            "text": forms.Textarea(attrs={"rows": 3}),
            "explanation": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        question = self.instance
        if question.pk:
            self.initial.setdefault("accepted", "\n".join(question.accepted_answers or []))
            if question.kind == QuestionKind.TRUE_FALSE:
                first = question.choices.order_by("order", "pk").first()
                if first is not None:
                    self.initial.setdefault("true_answer", "true" if first.is_correct else "false")

    def accepted_list(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data.get("accepted", "").splitlines()]

    def true_value(self) -> bool | None:
        value = self.cleaned_data.get("true_answer")
        return {"true": True, "false": False}.get(value)

    def check_choices(self, formset) -> bool:
        """Whether the question and its choices fit together; else an error on the form."""
        kind = self.cleaned_data.get("kind")
        if kind == QuestionKind.TRUE_FALSE:
            choices = [] if self.true_value() is None else services.true_false_choices(True)
        else:
            choices = choice_inputs(formset) if kind in services.CHOICE_KINDS else []
        problem = services.question_problem(kind, choices, self.accepted_list())
        if problem:
            field = {
                QuestionKind.SHORT: "accepted",
                QuestionKind.TRUE_FALSE: "true_answer",
            }.get(kind)
            self.add_error(field, problem)
            return False
        return True


class ChoiceForm(forms.ModelForm):
    class Meta:
        model = Choice
        fields = ["text", "is_correct", "order"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["order"].required = False


ChoiceFormSet = forms.inlineformset_factory(
    Question, Choice, form=ChoiceForm, extra=4, can_delete=True, max_num=20, validate_max=True
)


def choice_inputs(formset) -> list:
    """The choices wanted from a valid formset: neither removed nor left empty."""
    wanted = []
    for form in formset.forms:
        data = getattr(form, "cleaned_data", None) or {}
        if not data or data.get("DELETE") or not (data.get("text") or "").strip():
            continue
        instance = data.get("id")
        wanted.append(
            services.ChoiceInput(
                text=data["text"].strip(),
                is_correct=bool(data.get("is_correct")),
                order=data.get("order") or 0,
                pk=instance.pk if instance else None,
            )
        )
    return wanted


class PracticalForm(forms.ModelForm):
    class Meta:
        model = PracticalAssessment
        fields = ["title", "criteria", "max_score", "pass_score"]
        widgets = {"criteria": forms.Textarea(attrs={"rows": 4})}

    def clean(self):
        data = super().clean()
        if (
            data.get("max_score") is not None
            and data.get("pass_score") is not None
            and data["pass_score"] > data["max_score"]
        ):
            self.add_error("pass_score", _("The pass score cannot be above the maximum score."))
        return data


class PracticalResultsForm(forms.Form):
    """A score and a comment for each approved trainee; a score left empty records nothing."""

    def __init__(self, *args, practical, trainees, results, **kwargs):
        super().__init__(*args, **kwargs)
        self.practical = practical
        self.rows = []
        for enrolment in trainees:
            result = results.get(enrolment.pk)
            score = forms.IntegerField(
                label=_("Score of %(name)s") % {"name": enrolment.person.name},
                min_value=0,
                max_value=practical.max_score,
                required=False,
                initial=result.score if result else None,
            )
            comment = forms.CharField(
                label=_("Comment on %(name)s") % {"name": enrolment.person.name},
                required=False,
                max_length=2000,
                initial=result.comment if result else "",
                widget=forms.TextInput,
            )
            self.fields[f"score_{enrolment.pk}"] = score
            self.fields[f"comment_{enrolment.pk}"] = comment
            self.rows.append((enrolment, result))

    def bound_rows(self):
        return [
            (enrolment, result, self[f"score_{enrolment.pk}"], self[f"comment_{enrolment.pk}"])
            for enrolment, result in self.rows
        ]

    def entries(self) -> dict:
        entries = {}
        for enrolment, _result in self.rows:
            score = self.cleaned_data.get(f"score_{enrolment.pk}")
            if score is not None:
                entries[enrolment.pk] = (score, self.cleaned_data.get(f"comment_{enrolment.pk}"))
        return entries


RATING_CHOICES = [(n, str(n)) for n in range(1, 6)]


class EvaluationForm(forms.ModelForm):
    class Meta:
        model = Evaluation
        fields = [*services.RATINGS, "comment"]
        widgets = {
            **{name: forms.RadioSelect(choices=RATING_CHOICES) for name in services.RATINGS},
            "comment": forms.Textarea(attrs={"rows": 4}),
        }
