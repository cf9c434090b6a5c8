"""The committee's decision on a lot, its letters, and the award that makes a project.

``decide`` records what ``ranking.propose`` shows at that moment: one ``Decision`` per lot
(decided once; a change of mind is a new procedure, not an edit) and one ``Outcome`` per
application, and sets each application's status. Every lead applicant then gets a letter by
e-mail, with a PDF (``letter.py``): the outcome, the consolidated score and the comment the
evaluation chose to share; never the reviewers' own comments or names.

``award`` turns a selected application into a draft project of the portfolio, for the
secretariat to complete when the contract is signed:

- Dates stay empty. The start depends on the contract's signature, so any date derived from
  the application would be a guess that the portfolio then shows as fact (and counts in its
  status and yearly figures). The duration stays where it was proposed: the project's
  ``application`` link leads back to ``duration_months`` and everything else submitted, and
  the summary is the applicant's own, unchanged.
- Money is in the call's currency. Each funding instrument of the lot gets a funding line; with
  several, the grant and the co-financing are split evenly between them, the remainder cents
  going to the first, because the call does not say which instrument pays for what and the
  secretariat corrects the split from the project's page once the financing decision does.
- The lead organisation leads, the other partners are partners; the countries are the target
  countries and the partners' own; each expected result becomes a component; the applicant
  joins the project's team, to read the draft.
- The logframe starts from the proposal: the overall objective is the impact and each expected
  result an outcome under it, linked to its component (``start_logframe``).

Awarding twice gives the same project: the application is locked and its ``project`` link is
the proof that it was awarded.
"""

import logging
from decimal import ROUND_DOWN

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from liaison.core import audit
from liaison.core.permissions import require
from liaison.portfolio.models import (
    Component,
    FundingLine,
    Participation,
    ParticipationRole,
    Project,
    Visibility,
)
from liaison.portfolio.services import _snapshot as project_snapshot
from liaison.results.models import Level, Result
from liaison.results.services.logframe import save_result

from . import permissions
from .budget import CENT, compute
from .models import (
    Application,
    ApplicationStatus,
    Decision,
    Lot,
    Outcome,
    PartnerRole,
)
from .ranking import RESERVE, SELECTED, consolidation_of, out_reason, propose
from .services import GrantsError

logger = logging.getLogger(__name__)

DECIDED = {ApplicationStatus.SELECTED, ApplicationStatus.RESERVE, ApplicationStatus.REJECTED}


# The decision ------------------------------------------------------------------------------


@transaction.atomic
def decide(actor, lot: Lot, reasons: str) -> Decision:
    """Record the committee's decision on ``lot`` as the ranking proposes it now, with the
    committee's ``reasons``; refused while an application awaits its consolidated score."""
    require(permissions.can_decide(actor))
    # The lock on the lot makes a second decision taken at the same moment wait, then refuse.
    lot = Lot.objects.select_for_update().select_related("call").get(pk=lot.pk)
    earlier = Decision.objects.filter(lot=lot).first()
    if earlier is not None:
        raise GrantsError(
            _("%(lot)s was decided on %(date)s; a lot is decided once.")
            % {"lot": lot, "date": lot.call.local(earlier.decided_at).strftime("%Y-%m-%d")}
        )
    reasons = (reasons or "").strip()
    if not reasons:
        raise GrantsError(_("Write the committee's reasons: they are kept with the decision."))
    # Nobody changes an application of the lot (a consolidation, a status) while it is decided.
    list(
        Application.objects.select_for_update()
        .filter(lot=lot, status=ApplicationStatus.UNDER_REVIEW)
        .values_list("pk", flat=True)
    )
    ranking = propose(lot)
    if ranking.unscored:
        raise GrantsError(
            _("%(count)s application(s) have no consolidated score yet: %(references)s.")
            % {
                "count": len(ranking.unscored),
                "references": ", ".join(r.application.reference for r in ranking.unscored),
            }
        )
    if not ranking.rows:
        raise GrantsError(
            _("No application of this lot is under review: there is nothing to decide.")
        )
    try:
        with transaction.atomic():
            decision = Decision.objects.create(lot=lot, reasons=reasons, decided_by=actor)
    except IntegrityError as error:  # decided by another request in the meantime
        raise GrantsError(_("This lot has just been decided; reload the ranking.")) from error
    Outcome.objects.bulk_create(
        [
            Outcome(
                decision=decision,
                application=row.application,
                rank=row.rank,
                status=row.outcome,
                grant=row.grant if row.outcome == SELECTED else None,
                score=row.total,
            )
            for row in ranking.rows
        ]
    )
    for row in ranking.rows:
        application = row.application
        old = application.status
        application.status = row.outcome
        application.save(update_fields=["status", "updated"])
        changes = {
            "status": [old, row.outcome],
            "rank": [None, row.rank],
            "score": [None, str(row.total)],
        }
        if row.outcome == SELECTED:
            changes["grant"] = [None, str(row.grant)]
        if row.at_line:
            changes["tie at the envelope line"] = [None, True]
        audit.record(actor, "grants.decided", application, changes, reasons)
    audit.record(
        actor,
        "grants.lot_decided",
        decision,
        {
            "selected": [r.application.reference for r in ranking.of(SELECTED)],
            "reserve": [r.application.reference for r in ranking.of(RESERVE)],
            "envelope": str(lot.envelope),
            "allocated": str(ranking.allocated),
        },
        reasons,
    )
    pks = [row.application.pk for row in ranking.rows]
    transaction.on_commit(lambda: send_letters(pks))
    return decision


def send_letters(application_pks):
    for pk in application_pks:
        send_letter(pk)


def letter_facts(application: Application) -> dict | None:
    """What a letter says, from the stored outcome: the same in the e-mail, the PDF and on
    the application's page. ``None`` before the decision."""
    outcome = Outcome.objects.filter(application=application).select_related("decision").first()
    if outcome is None:
        return None
    call = application.call
    consolidation = consolidation_of(application)
    explanation = {
        ApplicationStatus.SELECTED: _(
            "The committee selected the application for funding, within the lot's envelope."
        ),
        ApplicationStatus.RESERVE: _(
            "The application is on the reserve list: it passed every threshold, but the "
            "lot's envelope was spent on applications ranked above it. It may still be funded "
            "if one of them is not."
        ),
        ApplicationStatus.REJECTED: out_reason(
            outcome.score or 0,
            consolidation.passed_thresholds if consolidation else True,
            call.pass_mark,
        )
        or _("The application was not retained."),
    }[outcome.status]
    return {
        "outcome": outcome,
        "status": ApplicationStatus(outcome.status).label,
        "explanation": explanation,
        "score": outcome.score,
        "rank": outcome.rank,
        "grant": outcome.grant,
        "currency": call.currency,
        "decided_at": call.local(outcome.decision.decided_at),
        "shared_comment": consolidation.shared_comment if consolidation else "",
    }


def send_letter(application_pk: int):
    """E-mail the lead applicant the decision with the letter as a PDF. A failure is logged:
    the decision stands and the letter is on the application's page."""
    from .letter import letter_pdf

    application = (
        Application.objects.select_related("call", "lot", "created_by__person")
        .filter(pk=application_pk)
        .first()
    )
    if application is None:
        return
    facts = letter_facts(application)
    applicant = application.created_by
    person = getattr(applicant, "person", None)
    address = applicant.email or (person.email if person else "")
    if facts is None or not address:
        return
    context = facts | {
        "application": application,
        "link": settings.SITE_URL + application.get_absolute_url(),
    }
    subject = _("Decision on %(reference)s, %(title)s: %(status)s") % {
        "reference": application.reference,
        "title": application.title[:120],
        "status": facts["status"],
    }
    message = EmailMessage(
        subject, render_to_string("grants/email/decision.txt", context), None, [address]
    )
    message.attach(
        f"{application.reference}-decision.pdf", letter_pdf(application, facts), "application/pdf"
    )
    try:
        message.send()
    except (OSError, ValidationError):
        logger.exception("Could not send the decision letter of application %s", application_pk)


# The award ---------------------------------------------------------------------------------


def split(amount, parts: int) -> list:
    """``amount`` in ``parts`` even shares to the cent, the remainder cents on the first."""
    share = (amount / parts).quantize(CENT, rounding=ROUND_DOWN)
    return [amount - share * (parts - 1)] + [share] * (parts - 1)


@transaction.atomic
def award(actor, application: Application) -> Project:
    """Make a selected application a draft project of the portfolio (see the module's note);
    the project it already made when it was awarded before."""
    require(permissions.can_award(actor))
    application = (
        Application.objects.select_for_update().select_related("call", "lot").get(pk=application.pk)
    )
    if application.project_id is not None:
        return application.project
    if application.status != ApplicationStatus.SELECTED:
        raise GrantsError(
            _("Only a selected application is awarded; this one is %(status)s.")
            % {"status": application.get_status_display().lower()}
        )
    call = application.call
    partners = list(
        application.partners.select_related("organisation__country").prefetch_related("lines")
    )
    budget = compute(application, partners=partners)
    outcome = Outcome.objects.filter(application=application).first()
    grant = outcome.grant if outcome and outcome.grant is not None else budget.grant
    project = Project(
        facility=call.facility,
        title=application.title,
        acronym=application.acronym,
        reference=application.reference,
        summary=application.summary,
        objective=application.objective,
        start=None,
        end=None,
        visibility=Visibility.DRAFT,
        total_budget=grant + budget.co_financing,
        currency=call.currency,
    )
    project.full_clean()
    project.save()
    countries = {c.pk: c for c in application.target_countries.all()}
    for partner in partners:
        if partner.organisation.country_id:
            countries.setdefault(partner.organisation.country_id, partner.organisation.country)
    project.countries.set(countries.values())
    project.themes.set(application.themes.all())
    project.typologies.set(application.typologies.all())
    project.team.add(application.created_by)
    Participation.objects.bulk_create(
        Participation(
            project=project,
            organisation=partner.organisation,
            role=ParticipationRole.LEAD
            if partner.role == PartnerRole.LEAD
            else ParticipationRole.PARTNER,
        )
        for partner in partners
    )
    instruments = list(application.lot.instruments.order_by("order", "code"))
    if instruments:
        grants = split(grant, len(instruments))
        co_financing = split(budget.co_financing, len(instruments))
        FundingLine.objects.bulk_create(
            FundingLine(project=project, instrument=i, eu_contribution=g, co_financing=c)
            for i, g, c in zip(instruments, grants, co_financing, strict=True)
        )
    components = Component.objects.bulk_create(
        Component(project=project, order=n, title=title[:300])
        for n, title in enumerate(application.results_list(), start=1)
    )
    application.project = project
    application.save(update_fields=["project", "updated"])
    reason = _("Awarded from application %(reference)s") % {"reference": application.reference}
    audit.record(
        actor, "project.created", project, audit.diff({}, project_snapshot(project)), reason
    )
    audit.record(actor, "grants.awarded", application, {"project": [None, str(project)]}, reason)
    start_logframe(actor, application, project, components, reason)
    return project


def start_logframe(actor, application: Application, project: Project, components, reason: str):
    """The project's logframe as the application proposed it, through the results app's own
    service: the overall objective at the top (the impact, code 1) and each expected result
    an outcome under it (1.1, 1.2, …), linked to the component made of it. The secretariat
    and the managers then refine it, add outputs and indicators from the logframe's page."""
    objective = application.objective.strip() or application.title
    top = save_result(
        actor,
        Result(project=project),
        {"level": Level.IMPACT, "code": "1", "title": objective[:500], "order": 1},
        reason=reason,
    )
    for n, (title, component) in enumerate(
        zip(application.results_list(), components, strict=True), start=1
    ):
        save_result(
            actor,
            Result(project=project),
            {
                "level": Level.OUTCOME,
                "parent": top,
                "code": f"1.{n}",
                "title": title[:500],
                "order": n,
            },
            components=[component],
            reason=reason,
        )


# The public list ---------------------------------------------------------------------------


def awarded():
    """The grants decided lots awarded, as the facility publishes them: selected applications
    of published calls, in a fixed number of queries."""
    return (
        Outcome.objects.filter(status=ApplicationStatus.SELECTED, application__call__published=True)
        .select_related(
            "decision",
            "application__call",
            "application__lot",
            "application__lead__country",
        )
        .prefetch_related("application__partners__organisation__country")
        .order_by("-application__call__closes_at", "application__lot__number", "rank", "pk")
    )


def partners_of(outcome) -> list:
    """The consortium's partners other than the lead, from the prefetched rows."""
    return [p for p in outcome.application.partners.all() if p.role != PartnerRole.LEAD]
