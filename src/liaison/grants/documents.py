"""A call's documents and the files applicants attach to their answers: the limits of grants.
What a file is, and how it is served, is ``liaison.core.uploads``'s.
"""

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile

from liaison.core.uploads import (  # noqa: F401 (the grants app's names for them)
    ACCEPT,
    CONTENT_TYPES,
    MB,
    ODT,
    XLSX,
    content_type,
    download,
    extension_of,
    stored_name,
)
from liaison.core.uploads import kind_of as _kind_of


def max_bytes() -> int:
    return getattr(settings, "GRANTS_DOCUMENT_MAX_BYTES", 10 * MB)


def kind_of(upload, limit: int | None = None, allowed=None) -> str:
    """The kind of an upload, within ``limit`` bytes (the call documents' limit by default)."""
    return _kind_of(upload, limit or max_bytes(), allowed)


def validate(upload):
    """A form field validator: checks an upload, lets a file already stored through."""
    if isinstance(upload, UploadedFile):
        kind_of(upload)
