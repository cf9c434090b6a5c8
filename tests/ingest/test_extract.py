"""The extractor reads the fields factsheets state, in the many ways they state them."""

import json

import pytest
from django.core.management import call_command

from liaison.ingest.extract import ACTIVITY_TYPES, extract_text
from liaison.portfolio.models import ActivityType

from . import files

KEY_VALUE = """Project acronym: SAFE-EDGE
Ref. No. BGTR0200017
Project title: Safer edges: joint patrolling along the Bulgarian-Turkish land border
Lead partner: Regional Directorate of Border Police Elhovo
Project partners: Kırklareli Governorship,
Directorate General of Migration Management
Total project budget: 1.250.000,00 EUR
Project duration: 18 months
Project start date: 01.03.2024
Contact: info@example.org, phone +359 2 123 4567
"""

PROSE = """Stronger Return Counselling in the Western Balkans

The action "Stronger Return Counselling in the Western Balkans" is implemented by the
International Centre for Migration Policy Development (ICMPD) in close collaboration with the
Ministry of Interior of Montenegro and the Ministry of Security of Bosnia and Herzegovina.

January 2022 - December 2023

EUR 2.1 million (from AMIF)

The project runs study visits to Vienna, a needs assessment of counselling services and a series
of online sessions. A launch conference took place in Budgva. Funded by the European Union.

Related projects
An earlier action (2018 - 2020) with a budget of EUR 900,000 supported Serbia and Albania.
"""


def test_key_value_factsheet():
    result = extract_text(KEY_VALUE)
    assert result["acronym"] == "SAFE-EDGE"
    assert result["reference"] == "BGTR0200017"
    assert result["title"].startswith("Safer edges: joint patrolling")
    assert result["start_date"] == "2024-03-01"
    assert result["end_date"] == "2025-08-31"  # start + 18 months - 1 day
    assert result["duration_months"] == 18
    assert result["budget"] == {"amount": "1250000.00", "currency": "EUR"}
    assert result["countries"] == ["BG", "TR"]
    assert {"name": "Regional Directorate of Border Police Elhovo", "role": "lead"} in (
        result["organisations"]
    )
    assert {"name": "Kırklareli Governorship", "role": "partner"} in result["organisations"]
    assert {"name": "Directorate General of Migration Management", "role": "partner"} in (
        result["organisations"]
    )


def test_prose_factsheet_ignores_other_projects_and_ceremonies():
    result = extract_text(PROSE)
    assert result["title"] == "Stronger Return Counselling in the Western Balkans"
    assert (result["start_date"], result["end_date"]) == ("2022-01-01", "2023-12-31")
    assert result["duration_months"] == 24
    assert result["budget"] == {"amount": "2100000.00", "currency": "EUR"}
    assert result["funding_sources"] == ["AMIF"]
    assert result["countries"] == ["BA", "ME"]  # not Austria (a venue), not the earlier action's
    names = {(o["name"], o["role"]) for o in result["organisations"]}
    assert ("International Centre for Migration Policy Development", "implementer") in names
    assert ("Ministry of Interior of Montenegro", "partner") in names
    assert ("Ministry of Security of Bosnia and Herzegovina", "partner") in names
    assert ("European Union", "funder") in names
    assert result["activity_types"] == ["study_visit", "needs_assessment", "online_session"]


@pytest.mark.parametrize(
    ("line", "start", "end", "months"),
    [
        ("Duration: 08.11.2023 - 07.11.2025", "2023-11-08", "2025-11-07", 24),
        ("Period: January 2022 - December 2023", "2022-01-01", "2023-12-31", 24),
        ("Duration: 24 months - 15 May 2024 until 14 May 2026.", "2024-05-15", "2026-05-14", 24),
        ("Implementation period: from 1 March 2021 to 28 February 2023", "2021-03-01",
         "2023-02-28", 24),
        ("Dates: 2023-01-01 – 2024-06-30", "2023-01-01", "2024-06-30", 18),
        ("Sept 2017 – April 2018", "2017-09-01", "2018-04-30", 8),
        ("Start: 15.05.2024\nDuration: 36 months", "2024-05-15", "2027-05-14", 36),
        ("Period: 2022 - 2024", None, None, None),
    ],
)  # fmt: skip
def test_periods(line, start, end, months):
    result = extract_text(f"Safer borders for the Danube region\n\n{line}\n")
    assert (result["start_date"], result["end_date"], result["duration_months"]) == (
        start,
        end,
        months,
    )


@pytest.mark.parametrize(
    ("line", "amount"),
    [
        ("Total budget: EUR 454,415.40", "454415.40"),
        ("Total budget: 1.730.647,00 EUR", "1730647.00"),
        ("Budget: €2.1 million", "2100000.00"),
        ("Total eligible cost: EUR 5 822 529.75", "5822529.75"),
        ("EU contribution: € 750.000", "750000.00"),
    ],
)
def test_amounts(line, amount):
    budget = extract_text(f"Safer borders for the Danube region\n{line}\n")["budget"]
    # An EU contribution stated alone is also the budget; it is named as such too.
    assert (budget["amount"], budget["currency"]) == (amount, "EUR")


def test_total_budget_wins_over_eu_contribution_and_programme_envelope():
    text = (
        "Safer borders for the Danube region\n"
        "The programme has an envelope of EUR 40,000,000 for all calls.\n"
        "EU contribution: EUR 900,000.00\n"
        "Total budget: EUR 1,000,000.00\n"
    )
    assert extract_text(text)["budget"]["amount"] == "1000000.00"


@pytest.mark.parametrize(
    ("sentence", "sources"),
    [
        ("Funded by the Internal Security Fund – Police.", ["ISF-Police"]),
        ("Financed under ISF-Borders and Visa and the BMVI.", ["ISF-Borders and Visa", "BMVI"]),
        ("Part of the Interreg VI-A IPA Bulgaria–Türkiye programme.", ["Interreg"]),
        ("Supported by IPA III and NDICI-Global Europe.", ["IPA", "NDICI"]),
        ("Funded by the European Union.", ["EU budget (other)"]),
        ("Funded by AMIF. The open call for proposals uses BMVI money.", ["AMIF"]),
    ],
)
def test_funding_sources(sentence, sources):
    assert (
        extract_text(f"Safer borders for the Danube region\n{sentence}\n")["funding_sources"]
        == sources
    )


def test_roles_as_labels():
    text = (
        "Safer borders for the Danube region\n"
        "Coordinator: National Police of Moldova\n"
        "Co-applicants: Romanian Border Police; State Border Guard Service of Ukraine\n"
        "Associated partners: Frontex\n"
        "Beneficiaries: General Inspectorate of Border Police\n"
        "Nominating Member State: Ministry of Interior of Romania\n"
        "Donor: European Union\n"
    )
    roles = {(o["name"], o["role"]) for o in extract_text(text)["organisations"]}
    assert roles == {
        ("National Police of Moldova", "lead"),
        ("Romanian Border Police", "partner"),
        ("State Border Guard Service of Ukraine", "partner"),
        ("Frontex", "associated"),
        ("General Inspectorate of Border Police", "beneficiary"),
        ("Ministry of Interior of Romania", "nominating"),
        ("European Union", "funder"),
    }


def _roles(text: str) -> set[tuple[str, str]]:
    return {(o["name"], o["role"]) for o in extract_text(text)["organisations"]}


def test_a_list_with_one_name_per_line_keeps_commas_and_foreign_words():
    text = (
        "Beneficiary institutions:\n"
        "• Albanian State Police, Border and Migration Department\n"
        "• Prezídium Policajného zboru Slovenskej republiky (Slovakia)\n"
        "ICMPD runs the action in partnership with the Slovenian Police and the Hungarian Police,\n"
        "which send trainers.\n"
    )
    assert _roles(text) == {
        ("Albanian State Police, Border and Migration Department", "beneficiary"),
        ("Prezídium Policajného zboru Slovenskej republiky", "beneficiary"),
        ("Slovenian Police", "partner"),
        ("Hungarian Police", "partner"),
    }


def test_a_name_a_pdf_wrapped_in_its_table_cell_is_joined_again():
    text = (
        "Lead applicant\n"
        "State Border Guard Service at the\n"
        "Ministry of the Interior of the\n"
        "Republic of Lithuania (SBGS)\n"
        "In collaboration with\n"
        "Forensic Science Centre of Lithuania\n"
    )
    assert _roles(text) == {
        (
            "State Border Guard Service at the Ministry of the Interior of the Republic of "
            "Lithuania",
            "lead",
        ),
        ("Forensic Science Centre of Lithuania", "partner"),
    }


def test_names_before_their_role_and_a_singular_lead_label():
    text = (
        "Lead partner: Estonian Police and Border Guard Board (PPA)\n\n"
        "The General Inspectorate of the Romanian Border Police is the lead partner. The "
        "Lithuanian State Border Guard Service takes part as an associated partner, while the "
        "Federal Investigation Agency of Pakistan and the Department of Immigration and Passports "
        "of Bangladesh are its beneficiaries. The European Union finances the work.\n"
    )
    assert _roles(text) == {
        ("Estonian Police and Border Guard Board", "lead"),
        ("General Inspectorate of the Romanian Border Police", "lead"),
        ("Lithuanian State Border Guard Service", "associated"),
        ("Federal Investigation Agency of Pakistan", "beneficiary"),
        ("Department of Immigration and Passports of Bangladesh", "beneficiary"),
        ("European Union", "funder"),
    }


def test_and_splits_only_between_complete_names():
    text = (
        "Implemented by Enabel, the Belgian development agency, in partnership with the "
        "Directorate of Migration and Border Surveillance and the Ministry of Labour and "
        "Social Affairs.\nCo-funded by the European Union's Internal Security Fund.\n"
    )
    assert _roles(text) == {
        ("Enabel", "implementer"),
        ("Directorate of Migration and Border Surveillance", "partner"),
        ("Ministry of Labour and Social Affairs", "partner"),
        ("European Union", "funder"),
    }


def test_countries_by_peoples_and_not_by_languages_or_background_sections():
    text = (
        "Reintegration support for Moroccans returning home\n"
        "Implemented by the Finnish Border Guard with courses in Russian and in the national "
        "languages, along the external border with Belarus.\n\n"
        "Background\n\n"
        "Most returnees come from Spain, France and Italy.\n\n"
        "Activities\n\n"
        "Training in the Kyrgyz Republic.\n"
    )
    assert extract_text(text)["countries"] == ["FI", "KG", "MA"]


def test_a_quoted_name_with_its_acronym_beats_a_news_headline():
    result = extract_text(
        "Border guard academies learn from one another\n\n"
        'The visit is part of "Partnership of Border Guard Training Institutions in Central '
        'Asia" (PARTNER-CA), an action running since 2021.\n',
        heading="Border guard academies learn from one another",
    )
    assert result["title"] == "Partnership of Border Guard Training Institutions in Central Asia"
    assert result["acronym"] == "PARTNER-CA"


@pytest.mark.parametrize(
    "text",
    [
        "Air and maritime surveillance for the Georgian Border Police\nAIRSEA-GE\n\nSummary\n",
        "AIRSEA-GE\n\nAir and maritime surveillance for the Georgian Border Police\n",
        "Air and maritime surveillance for the Georgian Border Police\n\nThe action, known by "
        "its acronym AIRSEA-GE, began in 2022.\n",
        "Air and maritime surveillance for the Georgian Border Police\n\nAIRSEA-GE helps the "
        "border police. AIRSEA-GE ends in 2024.\n",
    ],
)
def test_acronyms_beside_the_title_named_or_used_as_a_subject(text):
    assert extract_text(text)["acronym"] == "AIRSEA-GE"


def test_a_title_a_pdf_wrapped_keeps_its_last_short_line():
    text = (
        "Joint Response to Migrant Smuggling and Trafficking\n"
        "in Human Beings at the Kapitan Andreevo–Kapıkule\n"
        "Border Crossing\n"
        "Acronym CROSSGUARD\n"
    )
    assert extract_text(text)["title"] == (
        "Joint Response to Migrant Smuggling and Trafficking in Human Beings at the Kapitan "
        "Andreevo–Kapıkule Border Crossing"
    )


def test_countries_skip_addresses_and_background():
    text = (
        "Safer borders for the Danube region\n"
        "Partners from Moldovan and Ukrainian border agencies meet in Chisinau.\n"
        "Since the war in Syria, flows have changed.\n"
        "Contact: Rue de la Loi 200, 1049 Brussels, Belgium, e-mail: x@example.org\n"
    )
    assert extract_text(text)["countries"] == ["MD", "UA"]


def test_regions_count_only_when_no_country_of_theirs_is_named():
    assert extract_text("Support to Eastern Partnership countries in border checks\n")[
        "countries"
    ] == ["AM", "AZ", "BY", "GE", "MD", "UA"]
    assert extract_text("Support to the Western Balkans, in Serbia and Albania\n")["countries"] == [
        "AL",
        "RS",
    ]


def test_provenance_points_at_the_words():
    result = extract_text(KEY_VALUE)
    for key, spans in result["provenance"].items():
        assert spans, key
        for start, end in spans:
            assert 0 <= start < end <= len(KEY_VALUE)
    ((start, end),) = result["provenance"]["reference"]
    assert KEY_VALUE[start:end] == "BGTR0200017"
    start, end = result["provenance"]["budget"][0]
    assert KEY_VALUE[start:end] == "1.250.000,00 EUR"


def test_activity_words_are_the_portfolio_ones():
    assert set(ACTIVITY_TYPES) == set(ActivityType.values)


def test_extract_command_prints_the_contract(tmp_path, capsys):
    path = tmp_path / "factsheet.pdf"
    path.write_bytes(files.pdf(KEY_VALUE))
    call_command("extract", str(path), "--json")
    result = json.loads(capsys.readouterr().out)
    assert set(result) == {
        "title", "acronym", "reference", "start_date", "end_date", "duration_months", "budget",
        "funding_sources", "countries", "organisations", "activity_types", "provenance",
    }  # fmt: skip
    assert result["reference"] == "BGTR0200017"


def test_extract_command_exits_2_with_one_line_on_a_bad_file(tmp_path, capsys):
    path = tmp_path / "scan.pdf"
    path.write_bytes(files.scanned_pdf())
    with pytest.raises(SystemExit) as exit_:
        call_command("extract", str(path), "--json")
    assert exit_.value.code == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.count("\n") == 1 and "no text layer" in captured.err
