"""Real PDF and Word files built in memory, good and bad, for the reader and upload tests."""

import io
import zipfile
from pathlib import Path

import docx
import pypdf
from fpdf import FPDF

UNICODE_FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"


def pdf(text: str) -> bytes:
    """A PDF with a text layer, one paragraph per line of ``text``."""
    document = FPDF()
    document.add_page()
    if Path(UNICODE_FONT).exists():
        document.add_font("dejavu", fname=UNICODE_FONT)
        document.set_font("dejavu", size=11)
    else:
        document.set_font("helvetica", size=11)
        text = text.encode("latin-1", "replace").decode("latin-1")
    for line in text.splitlines():
        document.multi_cell(0, 6, line or " ", new_x="LMARGIN", new_y="NEXT")
    return bytes(document.output())


def encrypted_pdf(text: str, password: str = "s3cret") -> bytes:
    reader = pypdf.PdfReader(io.BytesIO(pdf(text)))
    writer = pypdf.PdfWriter()
    for page in reader.pages:
        writer.add_page(page)
    writer.encrypt(user_password=password, owner_password=password)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def scanned_pdf() -> bytes:
    """A PDF whose pages carry no text, as a scanner makes them."""
    writer = pypdf.PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def word(paragraphs: list[str], table: list[tuple[str, str]] = ()) -> bytes:
    document = docx.Document()
    for i, paragraph in enumerate(paragraphs):
        if i == 0:
            document.add_heading(paragraph, level=1)
        else:
            document.add_paragraph(paragraph)
    if table:
        grid = document.add_table(rows=len(table), cols=2)
        for row, (label, value) in zip(grid.rows, table, strict=True):
            row.cells[0].text, row.cells[1].text = label, value
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def zip_bomb_word() -> bytes:
    """A .docx whose document part inflates a thousandfold."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document>" + " " * 30_000_000 + "</w:document>")
    return out.getvalue()
