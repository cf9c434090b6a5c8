"""Countries as factsheets name them: official and short names, old names, adjectives, cities.

``find_countries(text)`` returns every country mentioned with the character span of each
mention, so the extractor can both decide and show where it found them.
"""

import re
import unicodedata
from functools import lru_cache

import pycountry

# Names people write that ISO does not hold, each mapped to its ISO 3166-1 alpha-2 code.
ALIASES = {
    "XK": ["Kosovo", "Kosovar", "Pristina", "Prishtina"],
    "MK": ["Macedonia", "North Macedonia", "FYROM", "Macedonian", "Skopje"],
    "TR": [
        "Turkey",
        "Türkiye",
        "Turkiye",
        "Turkish",
        "Edirne",
        "Kırklareli",
        "Kirklareli",
        "Istanbul",
        "Ankara",
    ],
    "BG": ["Bulgarian", "Burgas", "Haskovo", "Yambol", "Sofia"],
    "GE": ["Georgian", "Tbilisi", "Adjara", "Batumi"],
    "MD": ["Moldova", "Moldovan", "Chisinau", "Chișinău"],
    "UA": ["Ukrainian", "Kyiv", "Kiev"],
    "RS": ["Serbian", "Belgrade", "Plandiste", "Plandište"],
    "ME": ["Montenegrin", "Podgorica"],
    "BA": ["Bosnia", "Bosnia and Herzegovina", "Bosnian", "Sarajevo"],
    "AL": ["Albanian", "Tirana"],
    "BY": ["Belarusian", "Minsk"],
    "AM": ["Armenian", "Yerevan"],
    "AZ": ["Azerbaijani", "Baku"],
    "HU": ["Hungarian", "Budapest"],
    "RO": ["Romanian", "Bucharest"],
    "PL": ["Polish", "Warsaw"],
    "SK": ["Slovak", "Slovakian", "Bratislava"],
    "SI": ["Slovenian", "Ljubljana"],
    "AT": ["Austrian", "Vienna"],
    "GR": ["Greece", "Greek", "Athens"],
    "SE": ["Swedish", "Stockholm"],
    "LV": ["Latvian", "Riga"],
    "LT": ["Lithuanian", "Vilnius"],
    "FR": ["French", "Paris"],
    "DE": ["German", "Berlin"],
    "IT": ["Italian", "Rome", "Venice", "Parma"],
    "PT": ["Portuguese", "Lisbon"],
    "ES": ["Spanish", "Madrid"],
    "NL": ["Dutch", "Netherlands", "The Hague"],
    "CV": ["Cabo Verde", "Cape Verde", "Cape Verdean"],
    "PK": ["Pakistani", "Islamabad"],
    "NG": ["Nigerian", "Abuja", "Lagos"],
    "MA": ["Moroccan", "Rabat"],
    "TN": ["Tunisian", "Tunis"],
    "EG": ["Egyptian", "Cairo"],
    "CZ": ["Czech", "Czechia", "Czech Republic", "Prague"],
    "RU": ["Russia", "Russian"],
    "IR": ["Iran"],
    "SY": ["Syria"],
    "GB": ["United Kingdom", "UK", "British"],
    "US": ["United States", "USA"],
    "KG": ["Kyrgyz Republic", "Kyrgyz", "Bishkek"],
    "KZ": ["Kazakh", "Astana", "Almaty"],
    "TJ": ["Tajik", "Dushanbe"],
    "UZ": ["Uzbek", "Tashkent"],
    "TM": ["Turkmen", "Ashgabat"],
    "FI": ["Finnish", "Helsinki"],
    "EE": ["Estonian", "Tallinn"],
    "BE": ["Belgian", "Brussels"],
    "HR": ["Croatian", "Zagreb"],
    "DK": ["Danish", "Copenhagen"],
    "IE": ["Irish", "Dublin"],
    "MT": ["Maltese", "Valletta"],
    "CY": ["Cypriot", "Nicosia"],
    "CH": ["Swiss", "Bern"],
    "NO": ["Norwegian", "Oslo"],
    "LU": ["Luxembourgish"],
    "LB": ["Lebanese", "Beirut"],
    "JO": ["Jordanian", "Amman"],
    "IQ": ["Iraqi", "Baghdad"],
    "AF": ["Afghan", "Kabul"],
    "DZ": ["Algerian", "Algiers"],
    "LY": ["Libyan", "Tripoli"],
    "MR": ["Mauritanian", "Nouakchott"],
    "SN": ["Senegalese", "Dakar"],
    "ML": ["Malian", "Bamako"],
    "GH": ["Ghanaian", "Accra"],
    "ET": ["Ethiopian", "Addis Ababa"],
    "ER": ["Eritrean", "Asmara"],
    "SD": ["Sudanese", "Khartoum"],
    "BD": ["Bangladeshi", "Dhaka"],
}


# Regions factsheets name instead of listing their countries.
REGIONS = {
    "Western Balkans": ["AL", "BA", "ME", "MK", "RS", "XK"],
    "Eastern Partnership": ["AM", "AZ", "BY", "GE", "MD", "UA"],
    "South Caucasus": ["AM", "AZ", "GE"],
    "Central Asia": ["KG", "KZ", "TJ", "TM", "UZ"],
    "Maghreb": ["DZ", "LY", "MA", "MR", "TN"],
    "Baltic States": ["EE", "LT", "LV"],
}
REGION_PATTERN = re.compile(
    r"\b(Western Balkans?|Eastern Partnership|EaP|South(?:ern)? Caucasus|Central Asian?"
    r"|Maghreb|Baltic (?:States|countries))\b"
)


def find_regions(text: str) -> list[tuple[list[str], int, int]]:
    """Every region mention as ``(ISO codes, start, end)``."""
    found = []
    for match in REGION_PATTERN.finditer(text):
        name = match.group(1)
        for region, codes in REGIONS.items():
            key = region.split()[0].lower()[:5]
            if name.lower().startswith(key) or (name == "EaP" and region == "Eastern Partnership"):
                found.append((codes, match.start(), match.end()))
                break
    return found


def _fold(text: str) -> str:
    """Lower case without diacritics, so ``Kırklareli`` and ``Kirklareli`` match alike."""
    text = text.replace("ı", "i").replace("İ", "I")
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


@lru_cache(maxsize=1)
def _pattern():
    names: dict[str, str] = {}
    for country in pycountry.countries:
        for name in {country.name, getattr(country, "common_name", None)} - {None}:
            names[_fold(name)] = country.alpha_2
    for code, aliases in ALIASES.items():
        for alias in aliases:
            names[_fold(alias)] = code
    ordered = sorted(names, key=len, reverse=True)
    # A hyphen may join two names ("Bulgarian-Turkish border"), so it counts as a boundary.
    # Peoples are the adjective and an "s": "Moroccans", "Pakistanis".
    regex = r"(?<!\w)(" + "|".join(re.escape(n) for n in ordered) + r")(?:(?<=an|.i)s)?(?!\w)"
    return re.compile(regex), names


def find_countries(text: str) -> list[tuple[str, int, int]]:
    """Every country mention as ``(ISO code, start, end)``, in the order they appear.

    Folding keeps the string's length for the letters used here, so spans index ``text``.
    """
    pattern, names = _pattern()
    folded = _fold(text)
    if len(folded) != len(text):
        folded = "".join(_fold(c) if len(_fold(c)) == 1 else c.lower() for c in text)
    mentions = []
    for match in pattern.finditer(folded):
        # Names are proper nouns: "polish the text" and "turkey sandwiches" are not countries.
        if text[match.start()].isupper():
            mentions.append((names[match.group(1)], match.start(), match.end()))
    return mentions


def country_codes(text: str) -> list[str]:
    """The sorted, distinct ISO codes of the countries ``text`` mentions."""
    return sorted({code for code, _start, _end in find_countries(text)})
