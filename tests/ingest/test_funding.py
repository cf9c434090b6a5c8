"""Issue 13, item 9: a confirmed factsheet keeps its money and names known funders once.

Before the fix, confirming a factsheet that states a total of €968,215.50 and an EU contribution
of €871,393.95 made an ISF-Police funding line of 0.00 / 0.00, and "European Union" was added to
the directory as a new organisation to review, again with every factsheet.
"""

from decimal import Decimal

import pytest

from liaison.directory.models import Organisation, OrganisationType
from liaison.ingest.extract import extract_text
from liaison.ingest.known import find_known
from liaison.ingest.models import Factsheet
from liaison.ingest.services import Directory, Draft, ImportRefused, import_draft
from liaison.portfolio.models import FundingLine, Project

from .factsheets import COUNSEL, FINTRACE
from .test_pages import draft_post, review_url, upload

pytestmark = pytest.mark.django_db


def test_extractor_reads_the_eu_contribution_beside_the_total():
    result = extract_text(FINTRACE)
    assert result["budget"] == {
        "amount": "968215.50",
        "currency": "EUR",
        "eu_contribution": "871393.95",
    }
    assert result["funding_sources"] == ["ISF-Police"]
    # Both figures are highlighted where they were read.
    marked = [FINTRACE[a:b] for a, b in result["provenance"]["budget"]]
    assert marked == ["€ 968,215.50", "€ 871,393.95"]


def test_confirmed_factsheet_carries_eu_contribution_and_co_financing(
    client, manager, countries, django_capture_on_commit_callbacks
):
    client.force_login(manager)
    upload(client, django_capture_on_commit_callbacks, ("fintrace.txt", FINTRACE))
    factsheet = Factsheet.objects.get()
    page = client.get(review_url(factsheet)).content.decode()
    assert 'name="eu_contribution"' in page and 'value="871393.95"' in page

    response = client.post(review_url(factsheet), draft_post(factsheet))
    assert response.status_code == 302, response.content.decode()[:3000]
    project = Project.objects.get()
    assert project.total_budget == Decimal("968215.50")
    line = FundingLine.objects.get(project=project)
    assert line.instrument.code == "ISF-P"
    assert (line.eu_contribution, line.co_financing) == (
        Decimal("871393.95"),
        Decimal("96821.55"),
    )


def test_known_funders_resolve_to_one_reference_record(
    client, manager, countries, django_capture_on_commit_callbacks
):
    euaa = Organisation.objects.create(
        name="European Union Agency for Asylum", acronym="EUAA", type=OrganisationType.EU_BODY
    )
    client.force_login(manager)
    upload(
        client,
        django_capture_on_commit_callbacks,
        ("fintrace.txt", FINTRACE),
        ("counsel.md", COUNSEL + "\nThis project is co-funded by the European Union.\n"),
    )
    for factsheet in Factsheet.objects.order_by("name"):
        rows = client.get(review_url(factsheet)).context["organisation_rows"]
        known = {name: match for _form, name, match in rows if name}
        assert known["European Union"]["name"] == "European Union"
        response = client.post(review_url(factsheet), draft_post(factsheet), follow=True)
        messages = [str(m) for m in response.context["messages"]]
        assert not any("European Union" in m and "flagged" in m for m in messages), messages

    (eu,) = Organisation.objects.filter(name__icontains="European Union", acronym="EU")
    assert not eu.needs_review and eu.type == OrganisationType.EU_BODY
    assert Organisation.objects.filter(name="European Union").count() == 1
    # Both projects name the one record as their funder.
    assert eu.participations.filter(role="funder").count() == 2
    # "European Asylum Support Office (EASO)" is the agency's old name: the existing record.
    fintrace = Project.objects.get(acronym="FINTRACE")
    assert fintrace.participations.filter(organisation=euaa, role="associated").exists()
    assert not Organisation.objects.filter(name__icontains="Asylum Support").exists()


@pytest.mark.parametrize(
    ("written", "known_as"),
    [
        ("the European Union", "European Union"),
        ("EU", "European Union"),
        ("European Commission", "European Commission"),
        ("European Commission (DG HOME)", "Directorate-General for Migration and Home Affairs"),
        ("DG NEAR", "Directorate-General for Neighbourhood and Enlargement Negotiations"),
        ("FRONTEX", "European Border and Coast Guard Agency"),
        ("Europol", "European Union Agency for Law Enforcement Cooperation"),
        ("CEPOL", "European Union Agency for Law Enforcement Training"),
        ("ICMPD", "International Centre for Migration Policy Development"),
    ],
)
def test_reference_list_knows_names_acronyms_and_aliases(written, known_as):
    assert find_known(written).name == known_as


def test_lookalikes_of_reference_bodies_are_not_them():
    assert find_known("European Union Agency for Asylum of Malta") is None
    assert find_known("Border Police (EU)") is None
    assert find_known("Ministry of European Union Affairs") is None


def test_a_reference_body_is_created_once_with_its_parent(countries):
    draft = Draft.from_extracted(
        {
            "title": "Shared risk analysis for the eastern border",
            "organisations": [
                {"name": "DG HOME", "role": "funder"},
                {"name": "Directorate-General for Migration and Home Affairs", "role": "funder"},
            ],
        }
    )
    outcome = import_draft(None, draft, "risk.txt")
    assert outcome.new_organisations == []
    dg_home = Organisation.objects.get(acronym="DG HOME")
    assert dg_home.parent.name == "European Commission"
    assert dg_home.parent.parent.name == "European Union"
    assert Organisation.objects.count() == 3
    assert Directory().match("European Commission, DG HOME") == dg_home.pk


def test_amounts_on_an_existing_project_replace_the_stored_ones(countries):
    values = {"title": "Following the money of smuggling networks", "funding_sources": ["AMIF"]}
    first = import_draft(None, Draft.from_extracted(values), "a.txt").project
    assert first.funding_lines.get().eu_contribution == 0
    stated = values | {"budget": {"amount": "500000.00", "eu_contribution": "400000.00"}}
    again = import_draft(None, Draft.from_extracted(stated), "b.txt")
    line = again.project.funding_lines.get()
    assert again.project == first
    assert (line.eu_contribution, line.co_financing) == (Decimal("400000.00"), Decimal("100000"))


def test_eu_money_without_a_named_instrument_goes_to_other_funding(countries):
    draft = Draft.from_extracted(
        {"title": "Return counselling", "budget": {"amount": "90000", "eu_contribution": "90000"}}
    )
    line = import_draft(None, draft, "x.txt").project.funding_lines.get()
    assert (line.instrument.code, line.eu_contribution) == ("Other", Decimal("90000.00"))


def test_eu_contribution_over_the_total_is_refused_and_saves_nothing(countries):
    draft = Draft.from_extracted(
        {"title": "Return counselling", "budget": {"amount": "90000", "eu_contribution": "95000"}}
    )
    with pytest.raises(ImportRefused, match="larger than the total"):
        import_draft(None, draft, "x.txt")
    assert not Project.objects.exists()
