"""The reference list of countries and the region each belongs to.

ISO 3166-1 comes from ``pycountry``; Kosovo (``XK``, a user-assigned code) is added by hand.
Regions follow the groupings used by EU external migration cooperation.
"""

import pycountry

from .models import Region

REGIONS = {
    Region.EU: "AT BE BG CY CZ DE DK EE ES FI FR GR HR HU IE IT LT LU LV MT NL PL PT RO SE SI SK",
    Region.WESTERN_BALKANS: "AL BA ME MK RS XK",
    Region.EASTERN_PARTNERSHIP: "AM AZ BY GE MD UA",
    Region.TURKIYE: "TR",
    Region.SOUTHERN_NEIGHBOURHOOD: "DZ EG IL JO LB LY MA PS SY TN",
    Region.SILK_ROUTE: "AF BD IQ IR PK",
    Region.SUB_SAHARAN_AFRICA: (
        "AO BF BI BJ BW CD CF CG CI CM CV DJ ER ET GA GH GM GN GQ GW KE KM LR LS MG ML MR MU MW "
        "MZ NA NE NG RW SC SD SL SN SO SS ST SZ TD TG TZ UG ZA ZM ZW"
    ),
}
REGION_OF = {code: region for region, codes in REGIONS.items() for code in codes.split()}

# Shorter, everyday names where the ISO name is long or formal.
COMMON_NAMES = {
    "BO": "Bolivia",
    "CD": "Congo, Democratic Republic of the",
    "FM": "Micronesia",
    "GB": "United Kingdom",
    "IR": "Iran",
    "KP": "Korea, Democratic People's Republic of",
    "KR": "Korea, Republic of",
    "LA": "Laos",
    "MD": "Moldova",
    "PS": "Palestine",
    "RU": "Russia",
    "SY": "Syria",
    "TR": "Türkiye",
    "TW": "Taiwan",
    "TZ": "Tanzania",
    "VE": "Venezuela",
    "VN": "Viet Nam",
}


def country_rows():
    """Every country as ``(code, alpha3, numeric, name, region)``."""
    rows = [
        (
            c.alpha_2,
            c.alpha_3,
            c.numeric,
            COMMON_NAMES.get(c.alpha_2) or getattr(c, "common_name", None) or c.name,
            REGION_OF.get(c.alpha_2, Region.OTHER),
        )
        for c in pycountry.countries
    ]
    rows.append(("XK", "XKX", "", "Kosovo", Region.WESTERN_BALKANS))
    return rows


def load_countries(country_model):
    """Create or refresh every country; safe to run again."""
    existing = {c.code: c for c in country_model.objects.all()}
    for code, alpha3, numeric, name, region in country_rows():
        obj = existing.get(code) or country_model(code=code)
        obj.alpha3, obj.numeric, obj.name, obj.region = alpha3, numeric, name, region
        obj.save()
