"""Forms of the evaluation pages: the declaration of conflict of interest, a reviewer's scores
and the secretariat's consolidation. They check types and ranges to show each error beside its
field; the services in ``evaluation`` check the same rules again."""

from django import forms
from django.utils.translation import gettext_lazy as _

from liaison.core.models import User

from .models import ConflictStatus


class DeclarationForm(forms.Form):
    conflict = forms.ChoiceField(
        label=_("Your declaration"),
        choices=[
            (ConflictStatus.NONE, _("I have no conflict of interest with this application")),
            (ConflictStatus.CONFLICT, _("I have a conflict of interest with this application")),
        ],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("What the conflict is"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For the secretariat only, for example: I advised the lead organisation."),
    )

    def clean(self):
        data = super().clean()
        if data.get("conflict") == ConflictStatus.CONFLICT and not data.get("note", "").strip():
            self.add_error("note", _("Say what the conflict of interest is, for the secretariat."))
        return data


def _score_field(criterion, **extra):
    return forms.DecimalField(
        label=_("Score on %(criterion)s, from %(low)s to %(high)s")
        % {"criterion": criterion.title, "low": criterion.min_score, "high": criterion.max_score},
        min_value=criterion.min_score,
        max_value=criterion.max_score,
        max_digits=5,
        decimal_places=2,
        **extra,
    )


class ScoresForm(forms.Form):
    """One score and comment per criterion of the grid, and an overall comment. A draft may
    leave scores empty; submitting needs them all (the service says which are missing)."""

    def __init__(self, *args, criteria, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        for criterion in self.criteria:
            self.fields[f"score-{criterion.pk}"] = _score_field(criterion, required=False)
            self.fields[f"comment-{criterion.pk}"] = forms.CharField(
                label=_("Comment on %(criterion)s") % {"criterion": criterion.title},
                required=False,
                max_length=10000,
                widget=forms.Textarea(attrs={"rows": 3}),
            )
        self.fields["comment"] = forms.CharField(
            label=_("Overall comment"),
            required=False,
            max_length=20000,
            widget=forms.Textarea(attrs={"rows": 5}),
        )

    def rows(self):
        for criterion in self.criteria:
            yield criterion, self[f"score-{criterion.pk}"], self[f"comment-{criterion.pk}"]

    def scores(self) -> dict:
        data = self.cleaned_data
        return {
            c.pk: (data.get(f"score-{c.pk}"), data.get(f"comment-{c.pk}", ""))
            for c in self.criteria
        }


class ConsolidationForm(forms.Form):
    """The consolidated score per criterion (proposed: the reviewers' mean), the consensus
    comment and what the applicant's letter may quote."""

    def __init__(self, *args, criteria, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        for criterion in self.criteria:
            self.fields[f"score-{criterion.pk}"] = _score_field(criterion)
        self.fields["comment"] = forms.CharField(
            label=_("Consensus comment"),
            required=False,
            max_length=20000,
            widget=forms.Textarea(attrs={"rows": 5}),
            help_text=_("For the evaluation committee."),
        )
        self.fields["shared_comment"] = forms.CharField(
            label=_("Comment shared with the applicant"),
            required=False,
            max_length=20000,
            widget=forms.Textarea(attrs={"rows": 5}),
            help_text=_("The letter to the applicant may quote it; name no reviewer."),
        )

    def score_fields(self):
        return [self[f"score-{c.pk}"] for c in self.criteria]

    def scores(self) -> dict:
        return {c.pk: self.cleaned_data[f"score-{c.pk}"] for c in self.criteria}


class AssignForm(forms.Form):
    reviewer = forms.ModelChoiceField(queryset=User.objects.none(), label=_("Reviewer"))

    def __init__(self, *args, call, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reviewer"].queryset = call.reviewers.filter(is_active=True)
