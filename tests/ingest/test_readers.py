"""Every accepted format reads to plain text; every bad file is refused with its reason."""

import pytest

from liaison.ingest.extract import extract_text
from liaison.ingest.readers import UnreadableFile, read_bytes, read_path

from . import files

FACTSHEET = "Project acronym: SAFE-EDGE\nTotal budget: EUR 454,415.40\nLead partner: Border Police"


def test_plain_text_in_utf8_utf16_and_legacy_code_pages():
    assert read_bytes(FACTSHEET.encode(), "a.txt").text == FACTSHEET
    assert read_bytes(FACTSHEET.encode("utf-16"), "a.txt").text == FACTSHEET
    assert read_bytes(FACTSHEET.encode("utf-16-le"), "a.txt").text == FACTSHEET
    cyrillic = "Договор РД-02-29-110, Областна дирекция на МВР – Бургас"
    assert read_bytes(cyrillic.encode("cp1251"), "a.txt").text == cyrillic
    central = "Partner: Straż Graniczna; Policie České republiky; Országos Rendőr-főkapitányság"
    assert read_bytes(central.encode("cp1250"), "a.txt").text == central


def test_markdown_loses_its_markup_and_keeps_table_rows_as_labels():
    text = read_bytes(
        b"# Safer Borders\n\n**Acronym:** SAFE\n\n| Field | Value |\n|---|---|\n"
        b"| Total budget | EUR 1,000,000 |\n\nSee [the website](https://example.org).",
        "a.md",
    ).text
    assert "Safer Borders" in text and "#" not in text and "**" not in text
    assert "Total budget: EUR 1,000,000" in text
    assert "See the website." in text


def test_html_keeps_visible_text_and_drops_scripts():
    html = (
        b"<html><head><title>t</title><style>p{color:red}</style></head><body>"
        b"<nav>Home | Projects</nav><h1>Safer &amp; Smarter Borders</h1>"
        b"<script>alert('x')</script><p onclick=\"steal()\">Lead partner: Border Police</p>"
        b"<table><tr><th>Budget</th><td>EUR 5,000</td></tr></table></body></html>"
    )
    text = read_bytes(html, "page.html").text
    assert "Safer & Smarter Borders" in text
    assert "Budget: EUR 5,000" in text
    assert "alert" not in text and "steal" not in text and "color" not in text
    assert "Home" not in text


def test_pdf_text_layer_and_word_paragraphs_and_tables(tmp_path):
    path = tmp_path / "factsheet.pdf"
    path.write_bytes(files.pdf(FACTSHEET))
    text = read_path(path).text
    assert "SAFE-EDGE" in text and "454,415.40" in text
    word = files.word(["Safer Borders", "Implemented by the Border Police."], [("Acronym", "SB")])
    text = read_bytes(word, "f.docx").text
    assert text.splitlines()[0] == "Safer Borders"
    assert "Acronym: SB" in text


def test_a_word_table_cell_of_several_lines_stays_a_list_of_names():
    word = files.word(
        ["Joint investigations on the Balkan route"],
        [("Partners", "Border Police of Bosnia and Herzegovina\nKosovo Police"), ("Acronym", "JI")],
    )
    text = read_bytes(word, "f.docx").text
    assert "Partners: Border Police of Bosnia and Herzegovina\n  Kosovo Police\n" in text
    partners = {o["name"] for o in extract_text(text)["organisations"] if o["role"] == "partner"}
    assert partners == {"Border Police of Bosnia and Herzegovina", "Kosovo Police"}


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("empty.txt", b"", "empty"),
        ("blank.md", b"  \n\n ", "empty"),
        ("program.exe", b"MZ\x90\x00", "unknown format"),
        ("noext", b"hello", "unknown format"),
        ("binary.txt", bytes(range(256)) * 20, "binary"),
        ("fake.pdf", b"this is not a pdf", "not a PDF"),
        ("broken.pdf", b"%PDF-1.7\n1 0 obj << /Type /Catalog", "damaged"),
        ("locked.pdf", files.encrypted_pdf(FACTSHEET), "password"),
        ("scan.pdf", files.scanned_pdf(), "no text layer"),
        ("fake.docx", b"PK\x03\x04 not really a zip", "not a Word"),
        ("bomb.docx", files.zip_bomb_word(), "zip bomb"),
        ("scripts.html", b"<script>alert(1)</script><style>x{}</style>", "no readable text"),
    ],
)
def test_bad_files_are_refused_with_the_reason(name, data, message):
    with pytest.raises(UnreadableFile, match=message):
        read_bytes(data, name)


def test_size_limit_is_checked_before_reading(tmp_path):
    path = tmp_path / "big.txt"
    path.write_bytes(b"a" * 2048)
    with pytest.raises(UnreadableFile, match="limit is"):
        read_path(path, max_bytes=1024)
    with pytest.raises(UnreadableFile, match="limit is"):
        read_bytes(b"a" * 2048, "big.txt", max_bytes=1024)
