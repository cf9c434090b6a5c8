"""Demo data of grants: the partnership facility's borders-and-security calls.

A closed call with a BMVI lot and an ISF-Police lot whose applications stand at every step
(a draft kept after the deadline, submitted, ineligible, under review with a declared conflict,
and, in the decided lot, selected, reserve and rejected, the two selected ones awarded as draft
projects), and an open call in which the demo applicant has a draft to continue, with its
guidelines and budget template to download and three questions answered (``demo_documents``).
Both calls have their own form (two sections, six questions, a PDF upload among them) that
the complete applications have answered.
Consortia of two to four partners budget in euro and in their own currency (RSD, TRY, GEL,
MDL). The data is in ``fixtures/demo.json``; everything goes through the services the pages
use, at the dates it would have happened; a rerun adds nothing twice. Names are invented.
"""

import datetime
import json
from decimal import Decimal
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from liaison.core.models import Role, User
from liaison.directory.models import Affiliation, Country, Organisation, OrganisationRole, Person
from liaison.events.report import ReportPDF
from liaison.portfolio.demo import DEMO_PASSWORD, ORGANISATIONS
from liaison.portfolio.models import Facility, Instrument, Theme

from . import answers, award, demo_documents, eligibility, evaluation, form_builder, services
from .models import (
    Application,
    Call,
    CostCategory,
    Criterion,
    EligibilityCheck,
    ExchangeRate,
    Lot,
    Partner,
    QuestionKind,
)

DATA = Path(__file__).parent / "fixtures" / "demo.json"
CONTACTS = [
    "Ivana Kovač",
    "Levan Beridze",
    "Olena Shevchenko",
    "Ion Rusu",
    "Ayşe Demir",
    "Arben Hoxha",
    "Marija Petrovska",
    "Emir Hadžić",
    "Nino Tsiklauri",
    "Mihai Ciobanu",
]


def sign_in_help() -> str:
    return "\n".join(
        [
            "Calls for proposals (/grants/, same password):",
            "  applicant    a draft application to the open call, to complete and submit",
            "  at-applicant, si-applicant, ...  leads of the closed call's applications",
            "  reviewer1, reviewer2, reviewer3  the calls' reviewers (conflicts, scores)",
        ]
    )


def data() -> dict:
    return json.loads(DATA.read_text(encoding="utf-8"))


def _user(username: str, first: str, last: str, role=Role.PUBLIC, organisation=None) -> User:
    """A demo account (password DEMO_PASSWORD) with its person record, made once."""
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User(
            username=username,
            first_name=first,
            last_name=last,
            email=f"{username}@example.org",
            role=role,
        )
        user.set_password(DEMO_PASSWORD)
        user.save()
    person = getattr(user, "person", None)
    if person is None:
        person = Person.objects.create(
            name=f"{first} {last}",
            email=user.email,
            organisation=organisation,
            user=user,
            is_contact_point=False,
        )
    if organisation is not None:
        Affiliation.objects.get_or_create(
            person=person,
            organisation=organisation,
            defaults={"role": OrganisationRole.OFFICER},
        )
    return user


def _organisation(key: str) -> Organisation:
    spec = ORGANISATIONS[key]
    found = Organisation.objects.filter(name=spec.name).first()
    if found is None:
        found = Organisation.objects.create(
            name=spec.name,
            acronym=spec.acronym,
            type=spec.type,
            country=Country.objects.filter(code=spec.country).first(),
        )
    return found


def _call(spec: dict, facility, secretariat) -> Call:
    now = timezone.now()
    day = datetime.timedelta(days=1)
    call = Call.objects.create(
        facility=facility,
        reference=spec["reference"],
        title=spec["title"],
        description=spec["description"],
        # Whole hours of the call's zone, as a facility would announce them.
        opens_at=(now + spec["opens_days"] * day).replace(minute=0, second=0, microsecond=0),
        closes_at=(now + spec["closes_days"] * day).replace(minute=0, second=0, microsecond=0),
        timezone="Europe/Brussels",
        rates_fixed_on=(now + spec["rates_fixed_days"] * day).date(),
        lead_regions=spec["lead_regions"],
        partner_regions=spec["partner_regions"],
        min_member_state_partners=spec["min_member_state_partners"],
        min_partner_country_partners=spec["min_partner_country_partners"],
        pass_mark=Decimal(spec["pass_mark"]),
        published=True,
        created_by=secretariat,
    )
    for currency, rate in spec["rates"].items():
        ExchangeRate.objects.create(call=call, currency=currency, rate=Decimal(rate))
    for lot_spec in spec["lots"]:
        values = {k: v for k, v in lot_spec.items() if k != "instruments"}
        lot = Lot.objects.create(call=call, **values)
        lot.instruments.set(Instrument.objects.filter(code__in=lot_spec["instruments"]))
    for order, criterion in enumerate(spec["criteria"], start=1):
        Criterion.objects.create(call=call, order=order, **criterion)
    for order, text in enumerate(spec["checks"], start=1):
        EligibilityCheck.objects.create(call=call, order=order, text=text)
    for section_spec in spec.get("form", []):
        section = form_builder.add_section(secretariat, call, section_spec)
        for question in section_spec["questions"]:
            values = {k: v for k, v in question.items() if k != "demo_answer"}
            for name in ("min_value", "max_value"):
                if name in values:
                    values[name] = Decimal(values[name])
            form_builder.add_question(secretariat, section, values)
    return call


def _answers(application: Application, spec: dict) -> dict:
    """The demo's answers to the call's own questions (``demo_answer`` of each question)."""
    given = {
        q["label"]: q["demo_answer"]
        for section in spec.get("form", [])
        for q in section["questions"]
        if "demo_answer" in q
    }
    values = {}
    for question in answers.questions_of(application):
        answer = given.get(question.label)
        if answer is None:
            continue
        if question.kind == QuestionKind.NUMBER:
            answer = Decimal(answer)
        elif question.kind == QuestionKind.DATE:
            answer = (application.call.closes_at + datetime.timedelta(days=120)).date()
        elif question.kind == QuestionKind.FILE:
            answer = SimpleUploadedFile("letters-of-support.pdf", _letters(application))
        else:
            answer = answer.format(acronym=application.acronym or application.title)
        values[question.key] = answer
    return values


def _letters(application: Application) -> bytes:
    """A one-page PDF standing for the partners' letters of support."""
    title = f"Letters of support – {application.acronym or application.title}"
    pdf = ReportPDF(title, application.call.reference)
    pdf.add_page()
    pdf.heading(title, 14)
    for partner in application.partners.select_related("organisation"):
        pdf.paragraph(f"{partner.organisation.name} supports the application and its work plan.")
    return bytes(pdf.output())


def _lines(budget: dict) -> list[dict]:
    """Each category's amount spread over the two project years."""
    lines = []
    for category, amount in budget.items():
        first = Decimal(amount) // 2
        for year, part in ((1, first), (2, Decimal(amount) - first)):
            lines.append({"category": CostCategory(category), "year": year, "amount": part})
    return lines


def _application(spec: dict, calls: dict, contacts: list) -> Application:
    call = calls[spec["call"]]
    lead = _organisation(spec["lead"])
    username, name = spec["applicant"]
    first, last = name.split(" ", 1)
    applicant = _user(username, first, last, organisation=lead)
    lot = call.lots.get(number=spec["lot"])
    # Drafts and submissions happen while the call is open, whatever today is.
    application = services.start_application(
        applicant, call, lot, lead, spec["title"], now=call.opens_at + datetime.timedelta(days=5)
    )
    countries = Country.objects.filter(code__in=spec["target"])
    complete = spec["outcome"] != "draft" or spec["call"] != "MPF-2026-BS"
    application = services.update_application(
        applicant,
        application,
        {
            "acronym": spec["acronym"],
            "summary": f"{spec['title']}: joint work of the partners over two years."
            if complete
            else "",
            "objective": "Safer borders through closer cooperation of the partners' services."
            if complete
            else "",
            "expected_results": "Officers trained in joint procedures\nA shared risk picture"
            if complete
            else "",
            "duration_months": 24,
            "risks": "Staff turnover in the partner services; met by training trainers."
            if complete
            else "",
            "target_countries": list(countries),
            "themes": list(Theme.objects.filter(code__in=spec["themes"])),
        },
    )
    for key, currency, budget, co_financing in spec["partners"]:
        if key == "lead":
            partner = Partner.objects.get(application=application, role="lead")
            services.update_partner(applicant, partner, {"currency": currency})
        else:
            organisation = _organisation(key)
            contact = Person.objects.create(
                name=contacts.pop(0) if contacts else f"Contact of {organisation}",
                organisation=organisation,
                is_contact_point=False,
            )
            partner = services.add_partner(
                applicant, application, organisation, contact=contact, currency=currency
            )
        services.set_budget_lines(applicant, partner, _lines(budget))
        services.update_partner(applicant, partner, {"co_financing": Decimal(co_financing)})
    if complete:
        partners = list(application.partners.all())
        services.set_work_plan(
            applicant,
            application,
            [
                {
                    "number": 1,
                    "title": "Joint training of officers",
                    "partner": partners[0],
                    "start_month": 1,
                    "end_month": 12,
                },
                {
                    "number": 2,
                    "title": "A shared risk picture",
                    "partner": partners[-1],
                    "start_month": 6,
                    "end_month": 24,
                },
            ],
        )
    if complete:
        call_spec = next(c for c in data()["calls"] if c["reference"] == spec["call"])
        answers.save_answers(applicant, application, _answers(application, call_spec))
    application.refresh_from_db()
    return application


def load_demo_grants() -> dict:
    """Load the calls and their applications once; returns what was made (empty on a rerun)."""
    spec = data()
    if Call.objects.filter(reference=spec["calls"][0]["reference"]).exists():
        return {}
    facility = Facility.objects.filter(acronym="MPF").first() or Facility.objects.create(
        name="Migration Partnership Facility", acronym="MPF"
    )
    secretariat = User.objects.filter(role=Role.SECRETARIAT, is_active=True).order_by("pk").first()
    reviewers = [_user(username, first, last) for username, first, last, _note in spec["reviewers"]]
    calls = {c["reference"]: _call(c, facility, secretariat) for c in spec["calls"]}
    for call in calls.values():
        call.reviewers.set(reviewers)
    contacts = list(CONTACTS)
    applications = [(_application(a, calls, contacts), a) for a in spec["applications"]]
    for application, a in applications:
        if a["outcome"] != "draft":
            services.submit(
                application.created_by,
                application,
                now=application.call.opens_at + datetime.timedelta(days=20),
            )
    closed = calls[spec["calls"][0]["reference"]]
    _evaluate(closed, applications, reviewers, secretariat)
    for call_spec in spec["calls"]:
        demo_documents.load(calls[call_spec["reference"]], call_spec, secretariat)
    return {
        "calls": calls,
        "applications": applications,
        "reviewers": reviewers,
        "secretariat": secretariat,
    }


def _evaluate(call, applications, reviewers, secretariat):
    """Eligibility, reviews, consolidation, the decision of lot 1 and its two awards, as the
    secretariat and the reviewers would have done them after the deadline."""
    checks = list(call.checks.all())
    criteria = list(call.criteria.all())
    for application, spec in applications:
        if application.call_id != call.pk or spec["outcome"] in ("draft", "submitted"):
            continue
        if spec["outcome"] == "ineligible":
            eligibility.record_answers(
                secretariat,
                application,
                {checks[0].pk: (False, spec["ineligible"])}
                | {check.pk: (True, "") for check in checks[1:]},
            )
            eligibility.declare_ineligible(secretariat, application, spec["ineligible"])
            continue
        eligibility.record_answers(
            secretariat, application, {check.pk: (True, "") for check in checks}
        )
        eligibility.declare_eligible(secretariat, application)
        scored = spec.get("scores", [])
        # Two reviewers each; where only one has scored, the other has declared and not yet.
        padded = [*scored, None][:2]
        for reviewer, values in zip(reviewers[:2], padded, strict=False):
            assignment = evaluation.assign(secretariat, application, reviewer)
            evaluation.declare(reviewer, assignment, conflict=False)
            if values is None:
                continue
            evaluation.submit_scores(
                reviewer,
                assignment,
                {c.pk: (Decimal(v), "") for c, v in zip(criteria, values, strict=True)},
                "A sound proposal; see the scores for where it could be stronger.",
            )
        if spec.get("conflict"):
            assignment = evaluation.assign(secretariat, application, reviewers[-1])
            evaluation.declare(
                reviewers[-1], assignment, conflict=True, note="I advised the lead in 2025."
            )
        if len(scored) >= 2:
            means = {
                c.pk: sum(Decimal(v[i]) for v in scored) / len(scored)
                for i, c in enumerate(criteria)
            }
            evaluation.consolidate(
                secretariat,
                application,
                means,
                comment="The reviewers agree on the proposal's strengths.",
                shared_comment="A relevant proposal with a clear work plan.",
            )
    lot = call.lots.get(number=1)
    award.decide(secretariat, lot, "The committee followed the ranking within the lot's envelope.")
    for application, spec in applications:
        if spec["outcome"] == "selected":
            award.award(secretariat, Application.objects.get(pk=application.pk))
