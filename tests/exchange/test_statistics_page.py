"""The statistics page and its workbook: the counts for the network's secretariat, a
supervisor's own unit only, no page for an officer, and never a subject."""

import io

import pytest
from openpyxl import load_workbook

from . import year
from .clients import signed_in
from .year import NARRATIVE, SUBJECT

pytestmark = pytest.mark.django_db

URL = "/exchange/statistics/"


@pytest.fixture
def requests(units, people):
    return year.build(units, people)


def _sheets(content: bytes) -> dict:
    book = load_workbook(io.BytesIO(content), read_only=True)
    return {sheet.title: [list(row) for row in sheet.iter_rows(values_only=True)] for sheet in book}


def test_the_secretariat_sees_counts_without_a_subject(requests, people):
    client = signed_in(people["secretariat"])
    page = client.get(URL, {"year": 2025})
    assert page.status_code == 200
    text = page.content.decode()
    assert "MD-CU" in text and "RS-CU" in text
    result = page.context["result"]
    assert (result.requests_sent, result.cases, result.refused) == (3, 4, 1)
    for words in (SUBJECT, NARRATIVE, "Giurgiulesti", "Records attached"):
        assert words not in text
    assert "<script>" not in text  # the charts' data is JSON, their code a static file
    workbook = client.get(URL, {"year": 2025, "export": "xlsx"})
    assert workbook["Content-Type"].startswith("application/vnd.openxmlformats")
    sheets = _sheets(workbook.content)
    summary = dict(row[:2] for row in sheets["Summary"][1:])
    assert summary["Requests sent"] == 3
    assert summary["Cases (requests received, per unit)"] == 4
    assert summary["On time (%)"] == 50.0
    assert summary["Median time to answer (hours)"] == 48.0
    pairs = {(r[0], r[1]): r[2] for r in sheets["Unit pairs"][1:]}
    assert pairs == {("GE-CU", "MD-CU"): 1, ("MD-CU", "GE-CU"): 2, ("MD-CU", "RS-CU"): 1}
    assert ["The information is not available", 1] in sheets["Refusals"]
    cells = " ".join(str(v) for rows in sheets.values() for row in rows for v in row)
    assert SUBJECT not in cells and NARRATIVE not in cells


def test_a_quarter(requests, people):
    page = signed_in(people["secretariat"]).get(URL, {"year": 2025, "quarter": 1})
    assert page.context["result"].cases == 2
    assert page.context["result"].median_hours == 60.0


def test_a_supervisor_sees_only_their_unit(requests, people, units):
    client = signed_in(people["ge_supervisor"])
    result = client.get(URL, {"year": 2025}).context["result"]
    assert result.unit == "GE-CU" and result.cases == 3
    forged = client.get(URL, {"year": 2025, "unit": "RS-CU"})
    assert forged.context["form"].errors["unit"]
    assert forged.context["result"].unit == "GE-CU"  # never Serbia's figures
    network = client.get(URL, {"year": 2025, "network": units["MD"].exchange_id})
    assert network.context["result"].unit == "GE-CU"
    sheets = _sheets(client.get(URL, {"year": 2025, "unit": "RS-CU", "export": "xlsx"}).content)
    assert {r[1] for r in sheets["Unit pairs"][1:]} <= {"GE-CU", "MD-CU"}


def test_officers_outsiders_and_visitors_get_no_statistics(requests, people):
    assert signed_in(people["ge_officer"]).get(URL).status_code == 403
    assert signed_in(people["ua_officer"]).get(URL).status_code == 403
    assert signed_in(None).get(URL).status_code == 302
