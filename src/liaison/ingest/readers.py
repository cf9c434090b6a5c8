"""Factsheet files turned into plain text, or refused with a message a person can act on.

Everything the extractor finds is reported as character spans of the text returned here, so the
review page shows the same text. Readers never run or render what they read: HTML scripts are
dropped, Word files are opened as zip archives with limits, PDFs are read for their text layer.
"""

import codecs
import io
import logging
import re
import zipfile
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from xml.etree import ElementTree

import pypdf
from django.utils.translation import gettext as _
from pypdf.errors import PdfReadError, PyPdfError

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
# A Word file's text part is rarely over a few megabytes; more than this unpacked is a bomb.
DOCX_MAX_UNPACKED = 50 * 1024 * 1024
DOCX_MAX_RATIO = 200
PDF_MAX_PAGES = 300
# pypdf logs warnings about damaged files; the reader reports them itself in one line.
logging.getLogger("pypdf").setLevel(logging.ERROR)

FORMATS = {
    ".txt": "text",
    ".text": "text",
    ".md": "markdown",
    ".markdown": "markdown",
    ".html": "html",
    ".htm": "html",
    ".pdf": "pdf",
    ".docx": "docx",
}


class UnreadableFile(Exception):
    """The file cannot be read as a factsheet; the message says why in one line."""


class TooLong(UnreadableFile):
    """The file holds more text than a factsheet does; reading it all would hold the worker."""


@dataclass
class Document:
    """A factsheet's plain text and the format it came from."""

    name: str
    format: str
    text: str
    # The document's main heading where the format marks one (HTML h1, Word title style,
    # Markdown "#"): the strongest hint of a title a file gives.
    heading: str | None = None


def read_path(path: str | Path, max_bytes: int = DEFAULT_MAX_BYTES) -> Document:
    """Read a factsheet from disk, refusing a file over ``max_bytes`` before loading it."""
    path = Path(path)
    if not path.is_file():
        raise UnreadableFile(_("%(path)s: no such file") % {"path": path})
    size = path.stat().st_size
    if size > max_bytes:
        raise UnreadableFile(_too_large(size, max_bytes))
    return read_bytes(path.read_bytes(), path.name, max_bytes=max_bytes)


def read_bytes(
    data: bytes, name: str, max_bytes: int = DEFAULT_MAX_BYTES, max_chars: int | None = None
) -> Document:
    """Read an uploaded or stored factsheet, choosing the reader by the file's extension.

    With ``max_chars``, a text longer than that raises ``TooLong`` before any extraction: the
    extractor's time grows with the text, and a factsheet is a few thousand characters.
    """
    suffix = Path(name).suffix.lower()
    kind = FORMATS.get(suffix)
    if kind is None:
        known = ", ".join(sorted({s for s in FORMATS if s not in {".text", ".markdown"}}))
        raise UnreadableFile(
            _("unknown format '%(format)s'; accepted: %(known)s")
            % {"format": suffix or name, "known": known}
        )
    if len(data) > max_bytes:
        raise UnreadableFile(_too_large(len(data), max_bytes))
    if not data.strip():
        raise UnreadableFile(_("the file is empty"))
    reader = {
        "text": _read_text,
        "markdown": _read_markdown,
        "html": _read_html,
        "pdf": _read_pdf,
        "docx": _read_docx,
    }[kind]
    text, heading = reader(data)
    text = _tidy(text)
    if not text.strip():
        raise UnreadableFile(_("the file holds no readable text"))
    if max_chars and len(text) > max_chars:
        raise TooLong(
            _(
                "too long to read: the text has %(chars)s characters and at most %(limit)s are "
                "read; upload only the factsheet's pages"
            )
            % {"chars": f"{len(text):,}", "limit": f"{max_chars:,}"}
        )
    heading = re.sub(r"\s+", " ", heading).strip() if heading else None
    return Document(name=name, format=kind, text=text, heading=heading or None)


def _too_large(size: int, limit: int) -> str:
    return _("the file is %(size).1f MB; the limit is %(limit).0f MB") % {
        "size": size / 1048576,
        "limit": limit / 1048576,
    }


def _tidy(text: str) -> str:
    """Unify line ends and drop control characters, so spans mean the same everywhere."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x0c", "\n")
    text = re.sub(r"[\x00-\x08\x0b\x0e-\x1f\x7f]", "", text)
    text = re.sub(r"[ \t\u00a0]+\n", "\n", text)
    return re.sub(r"\n{4,}", "\n\n\n", text).strip("\n")


# Plain text ------------------------------------------------------------------------------------

_CYRILLIC = re.compile(r"[\u0400-\u04ff]")


def decode_text(data: bytes) -> str:
    """Text in UTF-8, UTF-16 or a legacy single-byte code page, told apart by what decodes well."""
    if data.startswith(codecs.BOM_UTF8):
        return data[3:].decode("utf-8", errors="replace")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", errors="replace")
    sample = data[:4000]
    if sample.count(b"\x00") > len(sample) // 4:
        # UTF-16 without a byte-order mark: ASCII letters leave a zero byte beside them.
        little = sample[1::2].count(b"\x00") > sample[::2].count(b"\x00")
        return _refuse_binary(data.decode("utf-16-le" if little else "utf-16-be", "replace"))
    if b"\x00" in sample:
        raise UnreadableFile(_("this looks like a binary file, not text"))
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    return _refuse_binary(_decode_legacy(data))


def _refuse_binary(text: str) -> str:
    sample = text[:4000]
    odd = sum(1 for c in sample if (ord(c) < 32 and c not in "\t\n\r\x0c") or c == "\ufffd")
    if odd > len(sample) // 50:
        raise UnreadableFile(_("this looks like a binary file, not text"))
    return text


def _decode_legacy(data: bytes) -> str:
    """Pick cp1251 (Cyrillic), cp1250 (Central European) or cp1252 (Western).

    Cyrillic words are made wholly of high bytes, while Latin-script languages sprinkle a few
    accented letters among ASCII ones; between the Latin pages, the one that decodes more bytes
    as letters rather than symbols wins.
    """
    words = re.findall(rb"[A-Za-z\x80-\xff]+", data)
    accented = [w for w in words if re.search(rb"[\x80-\xff]", w)]
    whole = [w for w in accented if not re.search(rb"[A-Za-z]", w)]
    if accented and len(whole) * 2 > len(accented):
        text = data.decode("cp1251", errors="replace")
        if _CYRILLIC.search(text):
            return text
    scores = {}
    for encoding in ("cp1250", "cp1252"):
        text = data.decode(encoding, errors="replace")
        high = [c for c in text if ord(c) > 127]
        scores[encoding] = (sum(c.isalpha() for c in high), encoding == "cp1250", text)
    return max(scores.values())[2]


def _read_text(data: bytes):
    return decode_text(data), None


_MD_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_MD_EMPHASIS = re.compile(r"(\*\*|__|\*|`)(?=\S)(.+?)(?<=\S)\1")
_MD_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$")


def _read_markdown(data: bytes) -> str:
    """Markdown without its markup: headings, emphasis and links become their words.

    A two-column table row reads as ``label: value``, the way key-value factsheets are written.
    """
    lines, headings = [], []
    for line in decode_text(data).splitlines():
        if _MD_TABLE_RULE.match(line):
            continue
        level = re.match(r"^\s{0,3}(#{1,6})\s+", line)
        line = re.sub(r"^\s{0,3}#{1,6}\s+", "", line)
        line = re.sub(r"^\s{0,3}>\s?", "", line)
        line = _MD_LINK.sub(r"\1", line)
        for _pass in range(2):
            line = _MD_EMPHASIS.sub(r"\2", line)
        if line.strip().startswith("|"):
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            cells = [c for c in cells if c]
            if len(cells) == 2 and not cells[0].endswith(":"):
                line = f"{cells[0]}: {cells[1]}"
            else:
                line = " | ".join(cells)
        if level:
            headings.append((len(level.group(1)), line.strip()))
        lines.append(line.rstrip())
    return "\n".join(lines), min(headings, key=lambda h: h[0])[1] if headings else None


# HTML ------------------------------------------------------------------------------------------

_BLOCK_TAGS = {
    "address", "article", "aside", "blockquote", "br", "dd", "div", "dl", "dt", "figcaption",
    "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main", "ol",
    "p", "pre", "section", "table", "tr", "ul",
}  # fmt: skip
_SKIPPED_TAGS = {
    "script",
    "style",
    "noscript",
    "template",
    "svg",
    "head",
    "nav",
    "iframe",
    "object",
}


# Marks a line that a <br> started inside a table cell: it carries on the cell's value.
_CELL_LINE = "\ue000"


class _TextCollector(HTMLParser):
    """Visible text only: nothing inside script, style or other non-content elements."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping: list[str] = []
        self.heading: list[str] | None = None
        self.heading_done = False
        self.cells = 0

    def handle_starttag(self, tag, attrs):
        if self.skipping:
            if tag == self.skipping[-1]:
                self.skipping.append(tag)
            return
        if tag in _SKIPPED_TAGS or any(name == "hidden" for name, _v in attrs):
            if tag not in {"br", "hr", "input", "img"}:
                self.skipping.append(tag)
            return
        if tag == "br" and self.cells:
            self.parts.append("\n" + _CELL_LINE)
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")
        if tag in {"td", "th"}:
            self.parts.append("\t")
            self.cells += 1
        if tag == "h1" and not self.heading_done:
            self.heading = []

    def handle_endtag(self, tag):
        if self.skipping:
            if tag == self.skipping[-1]:
                self.skipping.pop()
            return
        if tag in _BLOCK_TAGS:
            self.parts.append("\n")
        if tag in {"td", "th"}:
            self.cells = max(0, self.cells - 1)
        if tag == "h1" and self.heading is not None:
            self.heading_done = True

    def handle_data(self, data):
        if not self.skipping:
            self.parts.append(re.sub(r"\s+", " ", data))
            if self.heading is not None and not self.heading_done:
                self.heading.append(data)


def _html_charset(data: bytes) -> str | None:
    match = re.search(rb"<meta[^>]+charset=[\"']?([\w-]+)", data[:2048], re.I)
    return match.group(1).decode("ascii") if match else None


def _read_html(data: bytes) -> str:
    charset = _html_charset(data)
    try:
        html = data.decode(charset) if charset else decode_text(data)
    except (LookupError, UnicodeDecodeError):
        html = decode_text(data)
    collector = _TextCollector()
    collector.feed(html)
    collector.close()
    text = "".join(collector.parts)
    lines = []
    for line in text.split("\n"):
        if line.startswith(_CELL_LINE):
            # The next line of a cell: indented under its label, as one value.
            lines.append("  " + line[1:].strip())
            continue
        cells = [c.strip() for c in line.split("\t") if c.strip()]
        if len(cells) == 2 and not cells[0].endswith(":"):
            lines.append(f"{cells[0]}: {cells[1]}")
        else:
            lines.append(" ".join(cells))
    text = "\n".join(lines)
    heading = "".join(collector.heading) if collector.heading else None
    return re.sub(r"\n{3,}", "\n\n", text), heading


# PDF -------------------------------------------------------------------------------------------


def _read_pdf(data: bytes) -> str:
    if not data.lstrip()[:1024].startswith(b"%PDF-") and b"%PDF-" not in data[:1024]:
        raise UnreadableFile(_("this is not a PDF file"))
    try:
        reader = pypdf.PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise UnreadableFile(_("the PDF is protected by a password; save it without one"))
        if len(reader.pages) > PDF_MAX_PAGES:
            raise UnreadableFile(
                _("the PDF has over %(pages)d pages; split it") % {"pages": PDF_MAX_PAGES}
            )
        pages = [page.extract_text() or "" for page in reader.pages]
    except UnreadableFile:
        raise
    except (PdfReadError, PyPdfError, ValueError, KeyError, TypeError, AttributeError) as error:
        raise UnreadableFile(
            _("the PDF is damaged and cannot be read (%(error)s)") % {"error": error}
        ) from None
    except NotImplementedError:
        raise UnreadableFile(_("the PDF uses encryption this reader does not support")) from None
    text = "\n\n".join(pages)
    if not text.strip():
        raise UnreadableFile(
            _("the PDF has no text layer (probably a scan); run it through OCR and upload it again")
        )
    return text, None


# Word ------------------------------------------------------------------------------------------

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _read_docx(data: bytes) -> str:
    """The body of a Word file, read through zip limits so a bomb stops at the first check."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError):
        raise UnreadableFile(_("this is not a Word (.docx) file, or it is damaged")) from None
    with archive:
        try:
            info = archive.getinfo("word/document.xml")
        except KeyError:
            raise UnreadableFile(_("this is not a Word (.docx) file: it has no document")) from None
        unpacked = sum(item.file_size for item in archive.infolist())
        ratio = info.file_size / max(info.compress_size, 1)
        if unpacked > DOCX_MAX_UNPACKED or ratio > DOCX_MAX_RATIO:
            raise UnreadableFile(_("the Word file unpacks to an unsafe size (a zip bomb); refused"))
        try:
            with archive.open(info) as stream:
                xml = stream.read(DOCX_MAX_UNPACKED + 1)
        except (zipfile.BadZipFile, OSError, EOFError, RuntimeError) as error:
            raise UnreadableFile(
                _("the Word file is damaged (%(error)s)") % {"error": error}
            ) from None
        if len(xml) > DOCX_MAX_UNPACKED:
            raise UnreadableFile(_("the Word file unpacks to an unsafe size (a zip bomb); refused"))
    try:
        root = ElementTree.fromstring(xml)  # noqa: S314 - expat refuses entity expansion bombs
    except ElementTree.ParseError as error:
        raise UnreadableFile(_("the Word file is damaged (%(error)s)") % {"error": error}) from None
    body = root.find(f"{_W}body")
    return "\n".join(_docx_blocks(body if body is not None else root)), _docx_heading(root)


def _docx_heading(root) -> str | None:
    """The first paragraph styled as the title or a first-level heading."""
    for paragraph in root.iter(f"{_W}p"):
        style = paragraph.find(f"{_W}pPr/{_W}pStyle")
        if style is not None and style.get(f"{_W}val", "").lower() in {"title", "heading1"}:
            text = _docx_paragraph(paragraph).strip()
            if text:
                return text
    return None


def _docx_blocks(parent):
    for child in parent:
        if child.tag == f"{_W}p":
            yield _docx_paragraph(child)
        elif child.tag == f"{_W}tbl":
            for row in child.iter(f"{_W}tr"):
                cells = [
                    "\n".join(_docx_paragraph(p) for p in cell.iter(f"{_W}p")).strip()
                    for cell in row.iter(f"{_W}tc")
                ]
                cells = [c for c in cells if c]
                if len(cells) == 2 and not cells[0].endswith(":"):
                    # A cell of several lines: the lines below the first are indented, as
                    # the items of one value.
                    yield f"{cells[0]}: " + cells[1].replace("\n", "\n  ")
                else:
                    yield " | ".join(cells)
            yield ""
        elif child.tag == f"{_W}sdt":
            content = child.find(f"{_W}sdtContent")
            if content is not None:
                yield from _docx_blocks(content)


def _docx_paragraph(paragraph) -> str:
    parts = []
    for node in paragraph.iter():
        if node.tag == f"{_W}t" and node.text:
            parts.append(node.text)
        elif node.tag == f"{_W}tab":
            parts.append("\t")
        elif node.tag in {f"{_W}br", f"{_W}cr"}:
            parts.append("\n")
    return "".join(parts)
