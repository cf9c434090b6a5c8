"""Writes to calls and applications.

Each takes the acting user, checks the rule in ``permissions``, runs in one transaction and
leaves an audit entry: applications carry money, and their submission is a decision with a
deadline that must be provable afterwards.
"""

import hashlib
import json
import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Max
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from liaison.core import audit
from liaison.core.permissions import require
from liaison.directory.models import Person
from liaison.invitations.services import invite

from . import answers, form_builder, permissions
from .models import (
    Activity,
    Application,
    ApplicationStatus,
    BudgetLine,
    CostCategory,
    Partner,
    PartnerRole,
)
from .rules import review

logger = logging.getLogger(__name__)

DETAIL_FIELDS = [
    "title",
    "acronym",
    "summary",
    "objective",
    "expected_results",
    "duration_months",
    "risks",
    "indirect_rate",
]
DETAIL_RELATIONS = ["target_countries", "themes", "typologies"]


class GrantsError(ValidationError):
    """A rule of the call refused the action; the message says which."""


def locked(application: Application) -> Application:
    """The application re-read under a row lock: every change to one goes through here, so two
    partners saving at once wait for each other instead of overwriting."""
    return (
        Application.objects.select_for_update().select_related("call", "lot").get(pk=application.pk)
    )


# Applications ---------------------------------------------------------------------------------


@transaction.atomic
def start_application(actor, call, lot, organisation, title: str, now=None) -> Application:
    """Open a draft to ``lot`` of ``call`` led by ``organisation``, with the actor as its
    applicant and the lead's contact person."""
    require(permissions.can_apply(actor, call, now))
    if lot.call_id != call.pk:
        raise GrantsError(_("Choose one of this call's lots."))
    allowed, why = call.may_lead(organisation)
    if not allowed:
        raise GrantsError(why)
    # Numbers are per call and never reused; the lock on the call makes two drafts started at
    # the same moment take different numbers.
    type(call).objects.select_for_update().get(pk=call.pk)
    last = Application.objects.filter(call=call).aggregate(n=Max("number"))["n"] or 0
    application = Application.objects.create(
        call=call,
        lot=lot,
        number=last + 1,
        lead=organisation,
        title=title,
        created_by=actor,
        indirect_rate=call.indirect_rate,
        form_version=form_builder.current_version(call),
    )
    Partner.objects.create(
        application=application,
        organisation=organisation,
        role=PartnerRole.LEAD,
        contact=actor.person,
        currency=call.currency,
    )
    audit.record(actor, "grants.application_started", application, {"lot": str(lot)})
    return application


@transaction.atomic
def update_application(actor, application: Application, values: dict, reason: str = ""):
    """Change the proposal's own fields (not its partners or budget)."""
    application = locked(application)
    require(permissions.can_edit_application(actor, application))
    if not application.is_editable:
        _keep_to_reopened(application, values)
    before = audit.snapshot(application)
    for name in DETAIL_FIELDS:
        if name in values:
            setattr(application, name, values[name])
    if "lot" in values:
        if values["lot"].call_id != application.call_id:
            raise GrantsError(_("Choose one of this call's lots."))
        application.lot = values["lot"]
    application.full_clean(exclude=["call", "created_by", "lead"])
    application.save()
    for name in DETAIL_RELATIONS:
        if name in values:
            getattr(application, name).set(values[name])
    changes = audit.diff(before, audit.snapshot(application))
    if changes:
        audit.record(actor, "grants.application_updated", application, changes, reason)
    return application


def _keep_to_reopened(application: Application, values: dict):
    """Refuse, naming them, changes to fields an open clarification does not reopen: the rest
    of the application stays as it was submitted. A value sent unchanged is no change."""
    reopened = permissions.reopened(application)
    changed = []
    for name in [*DETAIL_FIELDS, *DETAIL_RELATIONS, "lot"]:
        if name not in values or name in reopened:
            continue
        value = values[name]
        if name in DETAIL_RELATIONS:
            current = set(getattr(application, name).values_list("pk", flat=True))
            differs = current != {getattr(v, "pk", v) for v in value}
        elif name == "lot":
            differs = getattr(value, "pk", value) != application.lot_id
        else:
            differs = getattr(application, name, value) != value
        if differs:
            changed.append(str(Application._meta.get_field(name).verbose_name))
    if changed:
        raise GrantsError(
            _("The clarification does not reopen %(fields)s; only the parts it names change.")
            % {"fields": ", ".join(changed)}
        )


def _contact(organisation, name: str, email: str):
    """The person the applicant names for a partner: the organisation's own record with that
    address when there is one, else a new record that is not a public contact point."""
    person = Person.objects.filter(organisation=organisation, email__iexact=email).first()
    if person is None:
        person = Person.objects.create(
            name=name, email=email, organisation=organisation, is_contact_point=False
        )
    return person


@transaction.atomic
def add_partner(
    actor,
    application: Application,
    organisation,
    contact=None,
    currency="",
    contact_name="",
    contact_email="",
):
    """Add ``organisation`` to the consortium. A contact named by name and address who has no
    account is invited to Liaison, to land on the application and write the partner's part."""
    application = locked(application)
    require(permissions.can_edit_consortium(actor, application))
    allowed, why = application.call.may_partner(organisation)
    if not allowed:
        raise GrantsError(why)
    if application.partners.filter(organisation=organisation).exists():
        raise GrantsError(
            _("%(organisation)s is already in the consortium.") % {"organisation": organisation}
        )
    partner = Partner(
        application=application,
        organisation=organisation,
        contact=contact,
        currency=(currency or application.call.currency).upper(),
    )
    partner.full_clean()
    if contact is None and contact_email:
        partner.contact = contact = _contact(organisation, contact_name, contact_email)
    partner.save()
    audit.record(actor, "grants.partner_added", application, {"partner": [None, organisation.name]})
    if contact is not None and contact.user_id is None and contact.email:
        invite(
            actor,
            contact,
            organisation=organisation,
            next_url=application.get_absolute_url(),
            reason=_("Partner in %(reference)s") % {"reference": application.reference},
            checked=True,
        )
    return partner


@transaction.atomic
def remove_partner(actor, partner: Partner):
    application = locked(partner.application)
    require(permissions.can_edit_consortium(actor, application))
    if partner.role == PartnerRole.LEAD:
        raise GrantsError(_("The lead organisation stays; start a new application to change it."))
    name = partner.organisation.name
    partner.delete()
    audit.record(actor, "grants.partner_removed", application, {"partner": [name, None]})


@transaction.atomic
def update_partner(actor, partner: Partner, values: dict):
    """A partner's contact, currency and co-financing (the applicant or its contact)."""
    partner = (
        Partner.objects.select_for_update().select_related("application__call").get(pk=partner.pk)
    )
    require(permissions.can_edit_partner(actor, partner))
    if "contact" in values and not permissions.is_applicant(actor, partner.application):
        # A partner's contact hands their part over only through the applicant.
        values = {k: v for k, v in values.items() if k != "contact"}
    application = partner.application
    if (
        "contact" in values
        and values["contact"] != partner.contact
        and not application.is_editable
        and "partners" not in permissions.reopened(application)
    ):
        # Who writes a partner's part belongs to the consortium, which "budget" leaves closed.
        raise GrantsError(_("The clarification does not reopen the consortium's contacts."))
    before = audit.snapshot(partner)
    for name in ("contact", "currency", "co_financing"):
        if name in values:
            setattr(partner, name, values[name])
    partner.currency = partner.currency.upper()
    partner.full_clean()
    partner.save()
    changes = audit.diff(before, audit.snapshot(partner))
    if changes:
        audit.record(actor, "grants.partner_updated", partner.application, changes)
    return partner


def _line_text(line) -> str:
    return (
        f"{line['year']} {line['category']} {line['amount']} {line.get('description', '')}".strip()
    )


@transaction.atomic
def set_budget_lines(actor, partner: Partner, lines: list[dict]):
    """Replace one partner's lines. Each partner's lines are its own, so two partners editing
    at once never overwrite each other; the partner row is locked while its lines change."""
    partner = (
        Partner.objects.select_for_update().select_related("application__call").get(pk=partner.pk)
    )
    require(permissions.can_edit_partner(actor, partner))
    new = []
    for values in lines:
        line = BudgetLine(partner=partner, **values)
        line.full_clean(exclude=["partner"])
        if line.category not in CostCategory.values:
            raise GrantsError(_("Choose a cost category."))
        new.append(line)
    old = [
        _line_text(
            {
                "year": x.year,
                "category": x.category,
                "amount": x.amount,
                "description": x.description,
            }
        )
        for x in partner.lines.all()
    ]
    partner.lines.all().delete()
    BudgetLine.objects.bulk_create(new)
    after = [
        _line_text(
            {
                "year": x.year,
                "category": x.category,
                "amount": x.amount,
                "description": x.description,
            }
        )
        for x in new
    ]
    if old != after:
        audit.record(
            actor,
            "grants.budget_updated",
            partner.application,
            {f"budget of {partner.organisation.name}": [old, after]},
        )
    return partner


# The work plan -------------------------------------------------------------------------------

ACTIVITY_FIELDS = ["number", "title", "description", "partner", "start_month", "end_month"]


def _activity_text(activity: Activity) -> str:
    led = activity.partner.organisation.name if activity.partner_id else "–"
    return (
        f"{activity.number}. {activity.title} (M{activity.start_month}–M{activity.end_month}, "
        f"{led})"
    )


def _activity(application, partners: dict, values: dict, row: int) -> tuple[Activity, list]:
    """One row of the work plan, checked; the errors name the row."""
    errors = []
    values = {name: values[name] for name in ACTIVITY_FIELDS if name in values}
    chosen = values.pop("partner", None)
    chosen = getattr(chosen, "pk", chosen)
    try:
        partner = partners[int(chosen)]
    except (KeyError, TypeError, ValueError):
        partner = None
        errors.append(
            _("Activity %(row)s: choose the partner of this consortium that leads it.")
            % {"row": row}
        )
    activity = Activity(application=application, partner=partner, **values)
    start, end = activity.start_month, activity.end_month
    if isinstance(start, int) and isinstance(end, int):
        if end < start:
            errors.append(
                _("Activity %(row)s ends (month %(end)s) before it starts (month %(start)s).")
                % {"row": row, "start": start, "end": end}
            )
        months = application.duration_months
        if months and (start < 1 or end > months):
            errors.append(
                _("Activity %(row)s: months run from 1 to %(months)s, the project's duration.")
                % {"row": row, "months": months}
            )
    try:
        activity.full_clean(exclude=["application", "partner"], validate_constraints=False)
    except ValidationError as error:
        errors += [
            _("Activity %(row)s: %(message)s") % {"row": row, "message": message}
            for message in error.messages
        ]
    return activity, errors


@transaction.atomic
def set_work_plan(actor, application: Application, rows: list[dict]) -> list[Activity]:
    """Replace the work plan with ``rows`` (``number``, ``title``, ``description``,
    ``partner`` – a partner of this application or its id –, ``start_month``, ``end_month``).
    Every row is checked before anything is written: one wrong row and nothing is saved."""
    application = locked(application)
    require(permissions.can_edit_work_plan(actor, application))
    partners = {p.pk: p for p in application.partners.select_related("organisation")}
    new, errors = [], []
    for row, values in enumerate(rows, start=1):
        activity, wrong = _activity(application, partners, values, row)
        new.append(activity)
        errors += wrong
    numbers = [a.number for a in new]
    for number in sorted({n for n in numbers if numbers.count(n) > 1}):
        errors.append(_("Two activities have the number %(number)s.") % {"number": number})
    if errors:
        raise GrantsError(errors)
    old = [
        _activity_text(a) for a in application.activities.select_related("partner__organisation")
    ]
    application.activities.all().delete()
    Activity.objects.bulk_create(sorted(new, key=lambda a: a.number))
    after = [_activity_text(a) for a in sorted(new, key=lambda a: a.number)]
    if old != after:
        audit.record(actor, "grants.work_plan_updated", application, {"work plan": [old, after]})
    return list(application.activities.select_related("partner__organisation"))


# Submission -----------------------------------------------------------------------------------


def content_of(application: Application, budget) -> dict:
    """What the receipt's hash covers: every answer, partner, budget line and activity of the
    work plan, as plain values in a fixed order, so the same application always gives the same
    hash. The call's own questions are there when the call has a form (with the version)."""
    content = {
        "call": application.call.reference,
        "lot": application.lot.number,
        "reference": application.reference,
        "title": application.title,
        "acronym": application.acronym,
        "summary": application.summary,
        "objective": application.objective,
        "expected_results": application.results_list(),
        "duration_months": application.duration_months,
        "risks": application.risks,
        "indirect_rate": str(application.indirect_rate),
        "target_countries": sorted(application.target_countries.values_list("code", flat=True)),
        "themes": sorted(application.themes.values_list("code", flat=True)),
        "typologies": sorted(application.typologies.values_list("code", flat=True)),
        "partners": [
            {
                "organisation": pb.partner.organisation.name,
                "organisation_id": pb.partner.organisation_id,
                "role": pb.partner.role,
                "currency": pb.currency,
                "co_financing": str(pb.co_financing),
                "lines": [
                    {
                        "year": line.year,
                        "category": line.category,
                        "description": line.description,
                        "amount": str(line.amount),
                    }
                    for line in pb.partner.lines.all()
                ],
                "total_in_call_currency": str(pb.total_converted),
            }
            for pb in budget.partners
        ],
        "work_plan": [
            {
                "number": activity.number,
                "title": activity.title,
                "description": activity.description,
                "led_by": activity.partner.organisation.name if activity.partner_id else None,
                "led_by_id": activity.partner.organisation_id if activity.partner_id else None,
                "start_month": activity.start_month,
                "end_month": activity.end_month,
            }
            for activity in application.activities.select_related("partner__organisation")
        ],
        "currency": budget.currency,
        "total": str(budget.total),
        "co_financing": str(budget.co_financing),
        "grant_requested": str(budget.grant),
    }
    if application.form_version_id:
        content["form_version"] = application.form_version.number
        content["answers"] = answers.content(application)
    return content


def content_hash(content: dict) -> str:
    canonical = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


@transaction.atomic
def submit(actor, application: Application, now=None) -> Application:
    """Check, lock and stamp the application with the server's time, then send the receipt.

    The deadline is read at the moment of submission, to the second, in the call's zone: a
    draft saved after it is still kept; only submitting is refused."""
    now = now or timezone.now()
    application = locked(application)
    require(permissions.can_submit(actor, application))
    call = application.call
    if not call.accepts_submissions(now):
        raise GrantsError(
            _("The call closed at %(deadline)s (%(zone)s); applications are no longer accepted.")
            % {
                "deadline": call.local(call.closes_at).strftime("%Y-%m-%d %H:%M:%S"),
                "zone": call.timezone,
            }
        )
    budget, problems = review(application)
    if problems:
        raise GrantsError([str(p) for p in problems])
    content = content_of(application, budget)
    application.status = ApplicationStatus.SUBMITTED
    application.submitted_at = now
    application.submitted_content = content
    application.receipt_hash = content_hash(content)
    application.save(
        update_fields=["status", "submitted_at", "submitted_content", "receipt_hash", "updated"]
    )
    audit.record(
        actor,
        "grants.application_submitted",
        application,
        {
            "status": [ApplicationStatus.DRAFT, ApplicationStatus.SUBMITTED],
            "hash": application.receipt_hash,
        },
    )
    pk = application.pk
    transaction.on_commit(lambda: send_receipt(pk))
    return application


@transaction.atomic
def withdraw(actor, application: Application) -> Application:
    application = locked(application)
    if not permissions.is_applicant(actor, application):
        require((False, _("Only the applicant withdraws an application.")))
    if application.status not in (ApplicationStatus.DRAFT, ApplicationStatus.SUBMITTED):
        raise GrantsError(_("An application under review or decided can no longer be withdrawn."))
    old = application.status
    application.status = ApplicationStatus.WITHDRAWN
    application.save(update_fields=["status", "updated"])
    audit.record(
        actor, "grants.application_withdrawn", application, {"status": [old, application.status]}
    )
    return application


def send_receipt(application_pk: int):
    """E-mail the applicant the receipt, with the PDF that carries the hash."""
    from .receipt import receipt_pdf

    application = (
        Application.objects.select_related("call", "lot", "created_by")
        .filter(pk=application_pk)
        .first()
    )
    if application is None:
        return
    applicant = application.created_by
    person = getattr(applicant, "person", None)
    address = applicant.email or (person.email if person else "")
    if not address:
        return
    context = {
        "application": application,
        "submitted_at": application.call.local(application.submitted_at),
        "link": settings.SITE_URL + application.get_absolute_url(),
    }
    subject = _("Received: %(reference)s, %(title)s") % {
        "reference": application.reference,
        "title": application.title[:120],
    }
    message = EmailMessage(
        subject,
        render_to_string("grants/email/receipt.txt", context),
        None,
        [address],
    )
    message.attach(
        f"{application.reference}-receipt.pdf", receipt_pdf(application), "application/pdf"
    )
    try:
        message.send()
    except (OSError, ValidationError):
        # The submission stands; the receipt can be downloaded from the application's page.
        logger.exception("Could not send the receipt of application %s", application_pk)
