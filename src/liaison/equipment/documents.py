"""The signed hand-over document: what is accepted, and under which name it is stored.

A file is taken for what its first bytes say it is, not for its name: a renamed executable or
web page is refused even when it is called ``.pdf``. The stored name is made here from the kind
found, so nothing a user typed ends up in a path or a download header.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

MB = 1024 * 1024

# extension -> (signature at the start of the file, content type)
KINDS = {
    "pdf": (b"%PDF-", "application/pdf"),
    "png": (b"\x89PNG\r\n\x1a\n", "image/png"),
    "jpg": (b"\xff\xd8\xff", "image/jpeg"),
}
EXTENSIONS = {"pdf": "pdf", "png": "png", "jpg": "jpg", "jpeg": "jpg"}
ACCEPT = ".pdf,.png,.jpg,.jpeg,application/pdf,image/png,image/jpeg"


def max_bytes() -> int:
    return getattr(settings, "EQUIPMENT_DOCUMENT_MAX_BYTES", 10 * MB)


def kind_of(upload) -> str:
    """The kind of an uploaded document (``pdf``, ``png`` or ``jpg``), or a ``ValidationError``
    that says why it is refused."""
    if upload is None:
        raise ValidationError(_("Upload the signed hand-over document."), code="required")
    limit = max_bytes()
    if upload.size > limit:
        raise ValidationError(
            _("The file is %(size)s; the limit is %(limit)s.")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(limit)},
            code="too_large",
        )
    extension = upload.name.rsplit(".", 1)[-1].lower() if "." in upload.name else ""
    kind = EXTENSIONS.get(extension)
    if kind is None:
        raise ValidationError(_("Upload the document as PDF, JPEG or PNG."), code="wrong_type")
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if not head.startswith(KINDS[kind][0]):
        raise ValidationError(
            _("The file is not the %(kind)s its name says; scan or export the document again.")
            % {"kind": kind.upper()},
            code="wrong_content",
        )
    return kind


def content_type(name: str) -> str:
    kind = EXTENSIONS.get(name.rsplit(".", 1)[-1].lower(), "")
    return KINDS[kind][1] if kind else "application/octet-stream"
