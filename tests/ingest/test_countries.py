"""Finding countries by name, old name, adjective and city, with the span of each mention."""

import pycountry
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from liaison.ingest.countries import ALIASES, country_codes, find_countries

ISO = sorted(pycountry.countries, key=lambda c: c.alpha_2)


@pytest.mark.parametrize(
    ("text", "codes"),
    [
        (
            "Georgia, Hungary, Macedonia, Moldova, Romania, Serbia and Ukraine",
            ["GE", "HU", "MD", "MK", "RO", "RS", "UA"],
        ),
        ("the Edirne and Kırklareli provinces", ["TR"]),
        ("officers of the Georgian Border Police", ["GE"]),
        ("authorities of Albania and Kosovo*", ["AL", "XK"]),
        ("Strengthening cooperation between Portugal and Cabo Verde", ["CV", "PT"]),
        ("no country at all, only a Georgianism-free sentence", []),
    ],
)
def test_countries_as_factsheets_name_them(text, codes):
    assert country_codes(text) == codes


def test_spans_point_at_the_mention():
    text = "Partners from Kırklareli (Türkiye) and Haskovo."
    for code, start, end in find_countries(text):
        assert code in {"TR", "BG"}
        assert text[start:end] in {"Kırklareli", "Türkiye", "Haskovo"}


def test_words_inside_other_words_are_not_countries():
    assert country_codes("Romanesque Chinatown Omanipulation") == []


@settings(max_examples=20, deadline=None)
@given(
    before=st.text(alphabet="abc ,.;()", max_size=20),
    after=st.text(alphabet="abc ,.;()", max_size=20),
)
def test_every_iso_name_is_found_where_it_stands(before, after):
    for country in ISO:
        text = f"{before} {country.name} {after}"
        start, end = len(before) + 1, len(before) + 1 + len(country.name)
        assert (country.alpha_2, start, end) in find_countries(text), country.name


@given(st.sampled_from(sorted((code, alias) for code, names in ALIASES.items() for alias in names)))
def test_every_alias_resolves_to_its_country(pair):
    code, alias = pair
    assert country_codes(f"Cooperation with {alias} this year") == [code]
