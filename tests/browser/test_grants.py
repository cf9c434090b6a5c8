"""The grants app's journeys in a browser: a visitor signs up and submits an application to an
open call; then the secretariat, two reviewers and the committee take two submitted
applications from eligibility to the project the selected one becomes.

The live server runs in this process with the test e-mail backend, so the messages a person
would receive are read from ``mailoutbox``."""

import datetime
import re
from decimal import Decimal

import pytest
from allauth.account.models import EmailAddress
from django.utils import timezone
from playwright.sync_api import expect

from liaison.core.models import Role
from liaison.directory.models import Country, OrganisationRole, OrganisationType, Region
from liaison.grants import services
from liaison.grants.models import (
    Application,
    ApplicationStatus,
    Assignment,
    Call,
    CostCategory,
    Criterion,
    EligibilityCheck,
    ExchangeRate,
    Lot,
    Partner,
    PartnerRole,
)
from liaison.portfolio.models import Facility, Instrument, ParticipationRole
from tests.browser.test_accounts import EMAIL, link
from tests.browser.test_journeys import sign_in, sign_out
from tests.browser.test_pickers import pick
from tests.conftest import make_affiliated, make_organisation, make_user

pytestmark = pytest.mark.browser

REFERENCE = "BMVI-WB-2027-1"
TITLE = "Border security in the Western Balkans"


def open_call(envelope="2000000", max_grant="500000") -> tuple[Call, Lot]:
    """A published call open now (Europe/Belgrade, EUR, a rate for the dinar, 7 % indirect):
    EU leads, EU and Western Balkan partners, at least one of each; one BMVI lot."""
    now = timezone.now()
    call = Call.objects.create(
        facility=Facility.objects.create(name="Western Balkans Border Facility", acronym="WBBF"),
        reference=REFERENCE,
        title=TITLE,
        opens_at=now - datetime.timedelta(days=30),
        closes_at=now + datetime.timedelta(days=60),
        timezone="Europe/Belgrade",
        currency="EUR",
        indirect_rate=Decimal("7"),
        lead_regions=[Region.EU],
        partner_regions=[Region.EU, Region.WESTERN_BALKANS],
        min_member_state_partners=1,
        min_partner_country_partners=1,
        published=True,
    )
    ExchangeRate.objects.create(call=call, currency="RSD", rate=Decimal("117.200000"))
    lot = Lot.objects.create(
        call=call,
        number=1,
        title="Border management",
        envelope=Decimal(envelope),
        min_grant=Decimal("100000"),
        max_grant=Decimal(max_grant),
        max_duration_months=24,
        min_co_financing_rate=Decimal("5"),
        max_co_financing_rate=Decimal("50"),
    )
    lot.instruments.set(Instrument.objects.filter(code="BMVI"))
    return call, lot


def organisations() -> dict:
    """An EU lead (Hungary) and two partner-country organisations (Serbia, Montenegro)."""
    country = {c.code: c for c in Country.objects.filter(code__in=["HU", "SI", "RS", "ME"])}
    return {
        "HU": make_organisation(
            "Border Police of Hungary", "BP-HU", OrganisationType.BORDER_GUARD, country["HU"]
        ),
        "SI": make_organisation(
            "Police of Slovenia", "POL-SI", OrganisationType.POLICE, country["SI"]
        ),
        "RS": make_organisation(
            "Ministry of Interior of Serbia", "MUP-RS", OrganisationType.MINISTRY, country["RS"]
        ),
        "ME": make_organisation(
            "Police Directorate of Montenegro", "UP-ME", OrganisationType.POLICE, country["ME"]
        ),
    }


def fill_budget(page, organisation, currency, lines, co_financing):
    """From the application page, open the budget of ``organisation`` (in ``currency``) and
    type its ``lines`` ((year, category label, amount), one a row, the rest left empty) and
    its co-financing."""
    page.get_by_role("link", name=f"Budget of {organisation}").click()
    expect(page.get_by_label("Currency", exact=True)).to_have_value(currency)
    page.get_by_label("Co-financing (in the partner's currency)").fill(co_financing)
    for row, (year, category, amount) in enumerate(lines, start=1):
        page.get_by_label(f"Project year (row {row})", exact=True).fill(str(year))
        page.get_by_label(f"Cost category (row {row})", exact=True).select_option(label=category)
        page.get_by_label(f"Amount (in the partner's currency) (row {row})", exact=True).fill(
            amount
        )
    page.get_by_role("button", name="Save the budget").click()
    expect(page.get_by_role("status")).to_contain_text(f"The budget of {organisation}")


def add_partner(page, organisation, acronym, name, email, currency):
    page.get_by_role("link", name="Add a partner").click()
    pick(page, "Organisation", f"{organisation} ({acronym})")
    page.get_by_label("Contact person's name").fill(name)
    page.get_by_label("Contact person's e-mail").fill(email)
    page.get_by_label("Currency of its budget").fill(currency)
    page.get_by_role("button", name="Add to the consortium").click()
    expect(page.get_by_role("status")).to_contain_text(f"{organisation} joined the consortium")


# 1. A visitor signs up and submits ----------------------------------------------------------


def test_a_visitor_signs_up_builds_the_consortium_and_budget_and_submits(page, mailoutbox):
    open_call()
    organisations()

    page.goto("/grants/")
    page.get_by_test_id("calls-open").get_by_role("link", name=TITLE).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(page.get_by_test_id("deadline")).to_contain_text("(Europe/Belgrade)")
    page.get_by_test_id("apply-link").click()
    # Sent to sign in; a newcomer signs up instead and comes back to the apply page.
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next="))
    page.get_by_role("main").get_by_role("link", name="sign up").click()
    page.get_by_label("Full name").fill("Hanna Kovács")
    page.get_by_label(EMAIL).fill("hanna@police.example.org")
    page.get_by_label(re.compile(r"^Password:?$")).fill("a-long-passphrase-for-tests")
    page.get_by_label("Password (again)").fill("a-long-passphrase-for-tests")
    page.get_by_role("button", name="Sign up").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Verify")

    page.goto(link(mailoutbox[-1], "/accounts/confirm-email/"))
    page.get_by_role("button", name="Confirm").click()
    expect(page).to_have_url(re.compile(rf"/grants/calls/{REFERENCE}/apply/$"))

    # A new account belongs to no organisation: the lead is picked from the directory.
    page.get_by_label("Lot", exact=True).select_option(label="Lot 1: Border management")
    pick(page, "Lead organisation", "Border Police of Hungary (BP-HU)")
    page.get_by_label("Working title").fill("Safer green border")
    page.get_by_role("button", name="Start the application").click()
    expect(page.get_by_role("status")).to_contain_text("started")
    application = Application.objects.get()
    reference = f"{REFERENCE}-0001"
    assert application.reference == reference

    page.get_by_role("link", name="Edit the proposal").click()
    page.get_by_label("Project summary").fill("Joint patrols and training on the green border.")
    page.get_by_label("Overall objective").fill("Fewer irregular crossings, safely managed.")
    page.get_by_label("Expected results").fill("Trained officers\nJoint patrols")
    page.get_by_label("Duration (months)").fill("24")
    pick(page, "Target countries", "Serbia")
    pick(page, "Target countries", "Montenegro")
    page.get_by_label("Risks and how they are met").fill("Staff turnover: train trainers.")
    page.get_by_role("button", name="Save the draft").click()
    expect(page.get_by_role("status")).to_contain_text("Saved.")

    add_partner(
        page,
        "Ministry of Interior of Serbia",
        "MUP-RS",
        "Petar Petrović",
        "petar@mup.example.org",
        "RSD",
    )
    add_partner(
        page,
        "Police Directorate of Montenegro",
        "UP-ME",
        "Milica Vuković",
        "milica@up.example.org",
        "EUR",
    )

    fill_budget(
        page,
        "Border Police of Hungary",
        "EUR",
        [(1, "Staff", "100000"), (2, "Travel and subsistence", "20000")],
        "10000",
    )
    fill_budget(
        page, "Ministry of Interior of Serbia", "RSD", [(1, "Equipment", "5000000")], "250000"
    )
    fill_budget(
        page, "Police Directorate of Montenegro", "EUR", [(1, "External services", "30000")], "0"
    )

    expect(page.get_by_test_id("problems")).to_contain_text(
        "Add at least one activity to the work plan."
    )
    page.get_by_role("link", name="Edit the work plan").click()
    page.get_by_label("Number (row 1)", exact=True).fill("1")
    page.get_by_label("Activity (row 1)", exact=True).fill("Joint patrols on the green border")
    page.get_by_label("Led by (row 1)", exact=True).select_option(
        label="Ministry of Interior of Serbia"
    )
    page.get_by_label("From month (row 1)", exact=True).fill("3")
    page.get_by_label("To month (row 1)", exact=True).fill("18")
    page.get_by_role("button", name="Save the work plan").click()
    expect(page.get_by_role("status")).to_contain_text("The work plan is saved.")
    expect(page.get_by_test_id("activities")).to_contain_text("Months 3 to 18")

    # By hand, 7 % indirect costs on each partner's direct costs, converted partner by partner:
    #   Hungary     120,000.00 + 8,400.00 = 128,400.00 EUR, co-financing 10,000.00 EUR
    #   Serbia  5,000,000 + 350,000 = 5,350,000 RSD / 117.2 = 45,648.46 EUR,
    #           co-financing 250,000 RSD / 117.2 = 2,133.11 EUR
    #   Montenegro   30,000.00 + 2,100.00 =  32,100.00 EUR
    # Total 206,148.46; co-financing 12,133.11; grant requested 194,015.35 EUR.
    expect(page.get_by_test_id("problems")).to_contain_text(
        "Nothing is missing and the call's rules are met."
    )
    serbia = page.get_by_test_id("budget").get_by_role("row").filter(has_text="Serbia")
    expect(serbia).to_contain_text("5,350,000.00 RSD")
    expect(serbia).to_contain_text("45,648.46")
    expect(page.get_by_test_id("budget-total")).to_have_text("206,148.46")
    expect(page.get_by_test_id("budget-grant")).to_have_text("194,015.35")
    expect(page.get_by_test_id("grant-requested")).to_have_text("194,015.35 EUR")

    page.once("dialog", lambda dialog: dialog.accept())  # it asks first
    page.get_by_role("button", name="Submit the application").click()
    expect(page.get_by_role("status")).to_contain_text(f"{reference} is submitted")
    expect(page.get_by_test_id("application-status")).to_have_text("Submitted")
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED
    assert re.fullmatch(r"[0-9a-f]{64}", application.receipt_hash)
    expect(page.get_by_test_id("receipt-hash")).to_have_text(application.receipt_hash)
    expect(page.get_by_role("link", name="Download the receipt (PDF)")).to_be_visible()
    assert application.submitted_content["grant_requested"] == "194015.35"
    assert [
        (p.organisation.name, p.role, p.currency, p.contact.email)
        for p in application.partners.select_related("organisation", "contact")
    ] == [
        ("Border Police of Hungary", PartnerRole.LEAD, "EUR", "hanna@police.example.org"),
        ("Ministry of Interior of Serbia", PartnerRole.PARTNER, "RSD", "petar@mup.example.org"),
        ("Police Directorate of Montenegro", PartnerRole.PARTNER, "EUR", "milica@up.example.org"),
    ]
    assert set(application.target_countries.values_list("code", flat=True)) == {"RS", "ME"}

    receipt = next(m for m in mailoutbox if m.subject.startswith(f"Received: {reference}"))
    assert receipt.to == ["hanna@police.example.org"]
    [(filename, content, mimetype)] = receipt.attachments
    assert (filename, mimetype) == (f"{reference}-receipt.pdf", "application/pdf")
    assert content.startswith(b"%PDF")
    # The partners' contacts are invited to write their part, landing on the application.
    invited = {m.to[0]: m for m in mailoutbox if m.subject == "Your invitation to Liaison"}
    assert set(invited) == {"petar@mup.example.org", "milica@up.example.org"}
    assert all("/invitations/accept/" in m.body for m in invited.values())


# 2. From submission to project ------------------------------------------------------------


def submitted(call, lot, applicant, lead, rs, me, title, lead_staff, rsd_equipment, me_services):
    """A three-partner application (the lead in EUR, Serbia in RSD, Montenegro in EUR) written
    and submitted through the services, as ``tests/grants/conftest.complete`` does."""
    application = services.start_application(applicant, call, lot, lead, title)
    application = services.update_application(
        applicant,
        application,
        {
            "summary": f"{title}: joint patrols and training.",
            "objective": "Safer borders.",
            "expected_results": "Trained officers\nJoint patrols",
            "duration_months": 24,
            "risks": "Staff turnover.",
            "target_countries": list(Country.objects.filter(code__in=["RS", "AL"])),
        },
    )
    serbia = services.add_partner(
        applicant, application, rs, currency="RSD", contact_name="Petar", contact_email="p@rs.org"
    )
    montenegro = services.add_partner(
        applicant, application, me, contact_name="Milica", contact_email="m@me.org"
    )
    lead_partner = Partner.objects.get(application=application, role=PartnerRole.LEAD)
    for partner, category, amount in (
        (lead_partner, CostCategory.STAFF, lead_staff),
        (serbia, CostCategory.EQUIPMENT, rsd_equipment),
        (montenegro, CostCategory.SERVICES, me_services),
    ):
        services.set_budget_lines(
            applicant, partner, [{"category": category, "year": 1, "amount": Decimal(amount)}]
        )
    services.update_partner(applicant, lead_partner, {"co_financing": Decimal("10000")})
    services.update_partner(applicant, serbia, {"co_financing": Decimal("117200")})
    services.set_work_plan(
        applicant,
        application,
        [
            {
                "number": 1,
                "title": "Joint patrols",
                "partner": serbia,
                "start_month": 1,
                "end_month": 24,
            }
        ],
    )
    return services.submit(applicant, application)


def open_review(page, reference):
    """As the signed-in reviewer: from My reviews, open ``reference`` and declare no conflict."""
    page.goto("/grants/")
    page.get_by_role("link", name="My reviews").click()
    page.get_by_test_id("my-reviews").get_by_role("link", name=reference).click()
    page.get_by_role("radio", name="I have no conflict of interest with this application").check()
    page.get_by_role("button", name="Declare").click()
    expect(page.get_by_role("status")).to_contain_text("open to you for review")


def score(page, relevance, feasibility, comment):
    """On the open review: score each criterion of the grid, comment and submit."""
    page.get_by_label("Score on Relevance, from 0 to 5").fill(relevance)
    page.get_by_label("Comment on Relevance").fill(comment)
    page.get_by_label("Score on Feasibility, from 0 to 10").fill(feasibility)
    page.get_by_label("Overall comment").fill(f"Overall: {comment}")
    page.once("dialog", lambda dialog: dialog.accept())  # it asks first
    page.get_by_role("button", name="Submit my scores").click()
    expect(page.get_by_role("status")).to_contain_text("Your scores are submitted")
    expect(page.get_by_test_id("my-scores")).to_contain_text(comment)


def reviewer(username, first_name, last_name):
    """An expert of the call's pool, with an account whose address is verified."""
    user = make_user(
        username,
        Role.PUBLIC,
        first_name=first_name,
        last_name=last_name,
        email=f"{username}@experts.example.org",
    )
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


def test_two_applications_go_from_eligibility_through_review_to_a_project(page, mailoutbox):
    # The lot's envelope (300,000 EUR) fits one of the two grants asked (149,500 and 181,600).
    call, lot = open_call(envelope="300000", max_grant="300000")
    org = organisations()
    EligibilityCheck.objects.create(call=call, text="The lead's signed declaration is attached")
    Criterion.objects.create(
        call=call,
        order=1,
        title="Relevance",
        weight=Decimal("2"),
        min_score=0,
        max_score=5,
        threshold=Decimal("3"),
    )
    Criterion.objects.create(
        call=call, order=2, title="Feasibility", weight=Decimal("1"), min_score=0, max_score=10
    )
    call.reviews_per_application = 2
    call.save()
    reviewers = [reviewer("rev-a", "Ana", "Alpha"), reviewer("rev-b", "Boris", "Beta")]
    call.reviewers.add(*reviewers)
    make_user("sec", Role.SECRETARIAT, first_name="Sam", last_name="Secretariat")
    hanna = make_affiliated("hanna", org["HU"], OrganisationRole.OFFICER, "Hanna Kovács")
    sara = make_affiliated("sara", org["SI"], OrganisationRole.OFFICER, "Sara Novak")
    # Hungary: 100,000 + 7 % = 107,000; Serbia: 2,344,000 RSD + 7 % = 2,508,080 RSD = 21,400;
    # Montenegro: 30,000 + 7 % = 32,100. Total 160,500, co-financing 10,000 + 1,000 (117,200
    # RSD), grant 149,500 EUR.
    danube = submitted(
        call, lot, hanna, org["HU"], org["RS"], org["ME"], "Danube patrols", 100000, 2344000, 30000
    )
    # Slovenia: 150,000 + 7 % = 160,500; Serbia: 1,172,000 RSD + 7 % = 1,254,040 RSD = 10,700;
    # Montenegro: 20,000 + 7 % = 21,400. Total 192,600, co-financing 11,000, grant 181,600 EUR.
    karst = submitted(
        call, lot, sara, org["SI"], org["RS"], org["ME"], "Karst crossings", 150000, 1172000, 20000
    )
    applications = [danube, karst]
    mailoutbox.clear()

    # The secretariat checks eligibility and assigns the reviewers.
    sign_in(page, "sec")
    for application in applications:
        page.goto(application.get_absolute_url())
        page.get_by_role("link", name="Eligibility check").click()
        page.get_by_test_id("checklist").get_by_role("radio", name="Met", exact=True).check()
        page.get_by_role("button", name="Save the checklist").click()
        expect(page.get_by_role("status")).to_contain_text("The checklist is saved.")
        expect(page.get_by_test_id("eligibility-decision")).to_contain_text(
            "Every automatic check passes and every line of the checklist is met."
        )
        page.get_by_role("button", name="Declare eligible").click()
        expect(page.get_by_role("status")).to_contain_text("is eligible and goes on to review")
        expect(page.get_by_test_id("application-status")).to_have_text("Under review")
    page.goto(danube.get_absolute_url())
    page.get_by_role("link", name="Assign reviewers").click()
    page.get_by_role("button", name="Assign automatically").click()
    expect(page.get_by_role("status")).to_contain_text("4 reviews assigned.")
    for application in applications:
        row = page.get_by_test_id(f"application-{application.pk}")
        expect(row).to_contain_text("Ana Alpha")
        expect(row).to_contain_text("Boris Beta")
    assert sorted(Assignment.objects.values_list("application", "reviewer__username")) == sorted(
        (a.pk, r.username) for a in applications for r in reviewers
    )

    # The first reviewer scores both; the second does not see those scores until submitting.
    sign_out(page)
    sign_in(page, "rev-a")
    open_review(page, danube.reference)
    score(page, "4", "6", "Ana finds Danube solid.")
    expect(page.get_by_test_id("all-scores")).to_have_count(0)  # Boris has not submitted
    open_review(page, karst.reference)
    score(page, "5", "8", "Ana finds Karst excellent.")

    sign_out(page)
    sign_in(page, "rev-b")
    open_review(page, danube.reference)
    expect(page.get_by_test_id("score-form")).to_be_visible()
    expect(page.get_by_test_id("all-scores")).to_have_count(0)
    expect(page.get_by_text("Ana finds Danube solid.")).to_have_count(0)
    page.get_by_role("link", name="Read the application").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Danube patrols")
    expect(page.get_by_text("Ana finds Danube solid.")).to_have_count(0)
    expect(page.get_by_test_id("evaluation")).not_to_contain_text("Ana Alpha")
    page.go_back()
    score(page, "3", "7", "Boris finds Danube adequate.")
    # Every reviewer has submitted: now each reads the other's scores, unnamed.
    expect(page.get_by_test_id("all-scores")).to_contain_text("Ana finds Danube solid.")
    expect(page.get_by_test_id("all-scores")).not_to_contain_text("Ana Alpha")
    open_review(page, karst.reference)
    score(page, "4", "9", "Boris finds Karst convincing.")
    expect(page.get_by_test_id("all-scores")).to_contain_text("Ana finds Karst excellent.")

    # The secretariat consolidates (the means: Danube 3.5 and 6.5, Karst 4.5 and 8.5).
    sign_out(page)
    sign_in(page, "sec")
    for application, total in ((danube, "13.50"), (karst, "17.50")):
        page.goto(application.get_absolute_url())
        page.get_by_role("link", name="Consolidate the scores").click()
        page.get_by_label("Comment shared with the applicant").fill(
            f"{application.title}: a clear plan."
        )
        page.get_by_role("button", name="Save the consolidated score").click()
        expect(page.get_by_role("status")).to_contain_text("The consolidated score is saved.")
        expect(page.get_by_test_id("panel-consolidated")).to_have_text(total)

    # The ranking draws the envelope down: Karst (17.5) fits, Danube no longer does.
    page.get_by_role("link", name="Ranking of the lot").click()
    karst_row = page.get_by_test_id(f"row-{karst.reference}")
    danube_row = page.get_by_test_id(f"row-{danube.reference}")
    expect(karst_row.get_by_test_id("outcome")).to_have_text("Selected")
    expect(danube_row.get_by_test_id("outcome")).to_have_text("Reserve")
    expect(karst_row).to_contain_text("181,600.00")
    expect(page.get_by_test_id("remaining")).to_have_text("118,400.00 EUR")
    page.get_by_label("The committee's reasons").fill("Ranked on merit; the envelope fits one.")
    page.once("dialog", lambda dialog: dialog.accept())  # it asks first
    page.get_by_role("button", name="Record the decision").click()
    expect(page.get_by_role("status")).to_contain_text("is recorded")
    expect(page.get_by_test_id("decision")).to_contain_text("Ranked on merit")

    karst_row.get_by_role("link", name=karst.reference).click()
    expect(page.get_by_test_id("decision-outcome")).to_have_text("Selected")
    page.once("dialog", lambda dialog: dialog.accept())  # it asks first
    page.get_by_role("button", name="Award: create the project").click()
    expect(page.get_by_role("status")).to_contain_text("is now a draft project")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Karst crossings")

    karst.refresh_from_db()
    danube.refresh_from_db()
    assert (karst.status, danube.status) == (ApplicationStatus.SELECTED, ApplicationStatus.RESERVE)
    project = karst.project
    assert project is not None and page.url.endswith(project.get_absolute_url())
    partners = karst.partners.select_related("organisation")
    assert sorted(project.participations.values_list("organisation__name", "role")) == sorted(
        (
            p.organisation.name,
            ParticipationRole.LEAD if p.role == PartnerRole.LEAD else ParticipationRole.PARTNER,
        )
        for p in partners
    )
    assert (
        set(project.countries.values_list("code", flat=True))
        == {
            *karst.target_countries.values_list("code", flat=True),
            *(p.organisation.country.code for p in partners),
        }
        == {"RS", "AL", "SI", "ME"}
    )
    assert karst.outcome.grant == Decimal("181600.00")
    assert list(
        project.funding_lines.values_list("instrument__code", "eu_contribution", "co_financing")
    ) == [("BMVI", Decimal("181600.00"), Decimal("11000.00"))]

    # Each applicant is e-mailed the letter with the decision, as a PDF.
    for application, person, outcome in ((karst, sara, "Selected"), (danube, hanna, "Reserve")):
        letter = next(
            m for m in mailoutbox if m.subject.startswith(f"Decision on {application.reference}")
        )
        assert letter.subject.endswith(outcome)
        assert letter.to == [person.person.email]
        [(filename, content, mimetype)] = letter.attachments
        assert filename == f"{application.reference}-decision.pdf"
        assert mimetype == "application/pdf" and content.startswith(b"%PDF")


# 3. The call's own form ----------------------------------------------------------------------


def test_the_secretariat_builds_the_form_and_the_applicant_answers_it(page, tmp_path):
    """The secretariat adds a section with a text and a file question; the applicant answers
    both, the wrong file is refused with the reason, the right one is listed and downloads."""
    call, lot = open_call()
    org = organisations()
    make_user("sec", Role.SECRETARIAT, first_name="Sam", last_name="Secretariat")
    hanna = make_affiliated("hanna", org["HU"], OrganisationRole.OFFICER, "Hanna Kovács")
    application = services.start_application(hanna, call, lot, org["HU"], "Safer green border")

    sign_in(page, "sec")
    page.goto(f"/grants/calls/{REFERENCE}/")
    page.get_by_role("link", name="Application form").click()
    page.get_by_label("Title").fill("Relevance")
    page.get_by_role("button", name="Add the section").click()
    expect(page.get_by_role("status")).to_contain_text("The section is added.")
    page.get_by_role("link", name="Add a question to Relevance").click()
    page.get_by_label("Question", exact=True).fill("Which need does the project meet?")
    page.get_by_label("Kind of answer").select_option(label="Text (with a word limit)")
    page.get_by_label("Word limit").fill("50")
    page.get_by_role("button", name="Save").click()
    page.get_by_role("link", name="Add a question to Relevance").click()
    page.get_by_label("Question", exact=True).fill("Letter of support")
    page.get_by_label("Kind of answer").select_option(label="File upload")
    page.get_by_label("File types accepted").fill("pdf")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_test_id("form-questions").get_by_role("listitem")).to_have_count(2)
    sign_out(page)

    sign_in(page, "hanna")
    page.goto(f"/grants/applications/{application.pk}/")
    expect(page.get_by_test_id("problems")).to_contain_text(
        "Answer “Which need does the project meet?”."
    )
    page.get_by_role("link", name="Answer the questions").click()
    page.get_by_label(re.compile("Which need does the project meet")).fill("Safer roads.")
    wrong = tmp_path / "letter.pdf"
    wrong.write_text("<html>a web page</html>")
    page.get_by_label(re.compile("Letter of support")).set_input_files(str(wrong))
    page.get_by_role("button", name="Save the answers").click()
    expect(page.locator(".error")).to_contain_text("not the PDF its name says")
    right = tmp_path / "support.pdf"
    right.write_bytes(b"%PDF-1.4\n%%EOF\n")
    page.get_by_label(re.compile("Which need does the project meet")).fill("Safer roads.")
    page.get_by_label(re.compile("Letter of support")).set_input_files(str(right))
    page.get_by_role("button", name="Save the answers").click()
    expect(page.get_by_role("status")).to_contain_text("Your answers are saved.")
    answers = page.get_by_test_id("answers")
    expect(answers).to_contain_text("Safer roads.")
    with page.expect_download() as download:
        answers.get_by_role("link", name="support.pdf").click()
    assert download.value.path().read_bytes().startswith(b"%PDF-")
    expect(page.get_by_test_id("problems")).not_to_contain_text("Which need")
