"""Uploaded documents (a call's guidelines, an applicant's annex, a request's attachment):
what they are, read from their content, and how they are served.

A file is taken for what its content says it is, not for its name: a web page or a program
renamed ``guidelines.pdf`` is refused. PDF starts with ``%PDF-``; a Word, Excel or
OpenDocument text file is a zip whose own table of content types names that kind; plain text
is UTF-8 without control bytes. The stored name is made here from the title's letters and the
kind found, so nothing odd ends up in a path or a download header.
"""

import zipfile
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.template.defaultfilters import filesizeformat
from django.utils.http import content_disposition_header
from django.utils.text import slugify
from django.utils.translation import gettext as _

MB = 1024 * 1024

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ODT = "application/vnd.oasis.opendocument.text"

# extension -> content type served
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": DOCX,
    "xlsx": XLSX,
    "odt": ODT,
    "txt": "text/plain; charset=utf-8",
}
ACCEPT = ".pdf,.docx,.xlsx,.odt,.txt"
# The part of ``[Content_Types].xml`` that says what an Office Open XML package is.
OOXML_MAIN = {
    "docx": b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    "xlsx": b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
}


def extension_of(name: str) -> str:
    return PurePath(name or "").suffix.lower().lstrip(".")


def _zip_kind(upload) -> str | None:
    """``docx``, ``xlsx`` or ``odt`` as the zip's own content says, or None."""
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as package:
            names = set(package.namelist())
            if "mimetype" in names and package.read("mimetype").strip() == ODT.encode():
                return "odt"
            if "[Content_Types].xml" in names:
                types = package.read("[Content_Types].xml")
                for kind, main in OOXML_MAIN.items():
                    if main in types:
                        return kind
    except (zipfile.BadZipFile, zipfile.LargeZipFile, KeyError, OSError, ValueError):
        return None
    finally:
        upload.seek(0)
    return None


def _is_text(upload) -> bool:
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return not any(ord(c) < 32 and c not in "\t\n\r\f" for c in text)


def kind_of(upload, limit: int, allowed=None) -> str:
    """The kind of an uploaded document (an extension of ``CONTENT_TYPES``, or of ``allowed``
    when fewer are accepted), or a ``ValidationError`` that says why it is refused. ``limit``
    in bytes."""
    if upload.size > limit:
        raise ValidationError(
            _("The file is %(size)s; the limit is %(limit)s.")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(limit)},
            code="too_large",
        )
    kind = extension_of(upload.name)
    if allowed and kind not in allowed:
        raise ValidationError(
            _("Upload the file as %(kinds)s.") % {"kinds": ", ".join(k.upper() for k in allowed)},
            code="wrong_type",
        )
    if kind not in CONTENT_TYPES:
        raise ValidationError(
            _(
                "Upload the document as PDF, Word (.docx), Excel (.xlsx), OpenDocument text "
                "(.odt) or plain text (.txt)."
            ),
            code="wrong_type",
        )
    if kind == "pdf":
        upload.seek(0)
        fits = upload.read(5) == b"%PDF-"
        upload.seek(0)
    elif kind == "txt":
        fits = _is_text(upload)
    else:
        fits = _zip_kind(upload) == kind
    if not fits:
        raise ValidationError(
            _("The file is not the %(kind)s its name says; export or save the document again.")
            % {"kind": kind.upper()},
            code="wrong_content",
        )
    return kind


def stored_name(upload, kind: str, title: str = "") -> str:
    """The name a checked upload is stored under: its own name's (or the title's) letters."""
    stem = slugify(PurePath(upload.name).stem)[:80] or slugify(title)[:80] or "document"
    return f"{stem}.{kind}"


def content_type(name: str) -> str:
    return CONTENT_TYPES.get(extension_of(name), "application/octet-stream")


def download(file, name: str) -> FileResponse:
    """The stored ``file`` as an attachment called ``name``, typed by its (checked) kind; a
    file missing from the storage is a 404, not an error."""
    try:
        handle = file.open("rb")
    except (OSError, ValueError) as error:
        raise Http404(_("The file is missing.")) from error
    response = FileResponse(handle, content_type=content_type(name))
    response["Content-Disposition"] = content_disposition_header(True, name)
    response["X-Content-Type-Options"] = "nosniff"
    return response
