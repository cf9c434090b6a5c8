"""What an application still lacks, and which of its call's rules it breaks.

The draft page shows both lists while the consortium writes; submission refuses while either
has an entry. Each problem names the part of the form it is about, so the page can link to it.
"""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from liaison.directory.models import Region

from .budget import Budget, compute
from .models import Application, PartnerRole


@dataclass(frozen=True)
class Problem:
    part: str  # "details", "partners", "budget", "work_plan", "answers"
    message: str

    def __str__(self):
        return self.message


def missing(application: Application, partners) -> list[Problem]:
    """Parts of the form still empty."""
    problems = []
    required = [
        ("title", _("the title")),
        ("summary", _("the project summary")),
        ("objective", _("the overall objective")),
        ("expected_results", _("the expected results")),
        ("risks", _("the risks")),
    ]
    for name, label in required:
        if not str(getattr(application, name) or "").strip():
            problems.append(Problem("details", _("Write %(what)s.") % {"what": label}))
    if not application.duration_months:
        problems.append(Problem("details", _("Give the duration in months.")))
    if not application.target_countries.exists():
        problems.append(Problem("details", _("Name at least one target country.")))
    if not any(p.role == PartnerRole.LEAD for p in partners):
        problems.append(Problem("partners", _("Name the lead organisation.")))
    for partner in partners:
        if partner.contact_id is None:
            problems.append(
                Problem(
                    "partners",
                    _("Name a contact person for %(organisation)s.")
                    % {"organisation": partner.organisation.name},
                )
            )
        if not partner.lines.all():
            problems.append(
                Problem(
                    "budget",
                    _("%(organisation)s has no budget lines.")
                    % {"organisation": partner.organisation.name},
                )
            )
    activities = list(application.activities.all())
    if not activities:
        problems.append(Problem("work_plan", _("Add at least one activity to the work plan.")))
    for activity in activities:
        if activity.partner_id is None:
            problems.append(
                Problem(
                    "work_plan",
                    _("Name the partner that leads activity %(number)s.")
                    % {"number": activity.number},
                )
            )
    return problems


def breaches(application: Application, partners, budget: Budget) -> list[Problem]:
    """The call's and the lot's rules the application breaks as it stands."""
    call, lot = application.call, application.lot
    problems = []
    if application.lot.call_id != call.pk:
        problems.append(Problem("details", _("The lot is not one of this call's.")))
    if application.duration_months and application.duration_months > lot.max_duration_months:
        problems.append(
            Problem(
                "details",
                _("The project lasts %(months)s months; this lot allows at most %(limit)s.")
                % {"months": application.duration_months, "limit": lot.max_duration_months},
            )
        )
    if application.indirect_rate > call.indirect_rate:
        problems.append(
            Problem(
                "budget",
                _("Indirect costs of %(rate)s %% are above the call's %(limit)s %%.")
                % {"rate": application.indirect_rate, "limit": call.indirect_rate},
            )
        )
    if application.duration_months:
        last_year = (application.duration_months + 11) // 12
        late = [y for y in budget.years if y > last_year]
        if late:
            problems.append(
                Problem(
                    "budget",
                    _("Budget lines in year %(year)s fall after the project's end (year %(last)s).")
                    % {"year": late[0], "last": last_year},
                )
            )
    if application.duration_months:
        for activity in application.activities.all():
            if activity.end_month > application.duration_months:
                problems.append(
                    Problem(
                        "work_plan",
                        _(
                            "Activity %(number)s runs to month %(end)s, after the project's "
                            "%(months)s months."
                        )
                        % {
                            "number": activity.number,
                            "end": activity.end_month,
                            "months": application.duration_months,
                        },
                    )
                )
    for partner in partners:
        check = call.may_lead if partner.role == PartnerRole.LEAD else call.may_partner
        allowed, why = check(partner.organisation)
        if not allowed:
            problems.append(Problem("partners", why))
    member_states = sum(
        1
        for p in partners
        if p.organisation.country_id and p.organisation.country.region == Region.EU
    )
    others = sum(
        1
        for p in partners
        if p.organisation.country_id and p.organisation.country.region != Region.EU
    )
    if member_states < call.min_member_state_partners:
        problems.append(
            Problem(
                "partners",
                _("The consortium needs at least %(count)s organisations from EU Member States.")
                % {"count": call.min_member_state_partners},
            )
        )
    if others < call.min_partner_country_partners:
        problems.append(
            Problem(
                "partners",
                _("The consortium needs at least %(count)s organisations from partner countries.")
                % {"count": call.min_partner_country_partners},
            )
        )
    for currency in budget.missing_rates:
        problems.append(
            Problem(
                "budget",
                _("The call fixes no exchange rate for %(currency)s; budget in %(call)s.")
                % {"currency": currency, "call": call.currency},
            )
        )
    if budget.complete and budget.total:
        money = f"{{:,.2f}} {call.currency}"
        if budget.grant < lot.min_grant or budget.grant > lot.max_grant:
            problems.append(
                Problem(
                    "budget",
                    _("The grant requested, %(grant)s, is outside the lot's %(low)s to %(high)s.")
                    % {
                        "grant": money.format(budget.grant),
                        "low": money.format(lot.min_grant),
                        "high": money.format(lot.max_grant),
                    },
                )
            )
        rate = budget.co_financing_rate
        if rate < lot.min_co_financing_rate or rate > lot.max_co_financing_rate:
            problems.append(
                Problem(
                    "budget",
                    _(
                        "Co-financing is %(rate)s %% of the total; this lot asks for %(low)s to "
                        "%(high)s %%."
                    )
                    % {
                        "rate": rate,
                        "low": lot.min_co_financing_rate,
                        "high": lot.max_co_financing_rate,
                    },
                )
            )
    return problems


def review(application: Application) -> tuple[Budget, list[Problem]]:
    """The budget and every problem of ``application``, in one read of its partners."""
    partners = list(
        application.partners.select_related("organisation__country").prefetch_related("lines")
    )
    from .answers import problems as unanswered  # answers.py reports its problems as ours

    budget = compute(application, partners=partners)
    return budget, (
        missing(application, partners)
        + unanswered(application)
        + breaches(application, partners, budget)
    )
