"""Background work: reading uploaded factsheets. Tasks take IDs and may safely run twice.

Each file is its own task, and each is bounded in characters and seconds, so a huge or slow
file is recorded as too long to read and the worker moves on to everyone else's files.
"""

from django.conf import settings
from django.utils.translation import gettext as _
from django_tasks import task

from .extract import extract_text
from .limits import TookTooLong, time_limit
from .models import Factsheet, FactsheetStatus
from .readers import TooLong, UnreadableFile, read_bytes


def read_and_extract(data: bytes, name: str) -> tuple[str, dict]:
    """A file's text and extracted fields within the configured limits.

    Raises ``TooLong`` (over the character cap or the time limit) or ``UnreadableFile``.
    """
    seconds = settings.INGEST_MAX_SECONDS
    try:
        with time_limit(seconds):
            document = read_bytes(
                data,
                name,
                max_bytes=settings.INGEST_MAX_BYTES,
                max_chars=settings.INGEST_MAX_CHARS,
            )
            return document.text, extract_text(document.text, document.heading)
    except TookTooLong:
        raise TooLong(
            _("too long to read: reading it took over %(seconds)s seconds")
            % {"seconds": f"{seconds:g}"}
        ) from None


@task()
def read_factsheet(factsheet_id: int) -> str:
    """Extract one uploaded file's text and fields, leaving it ready, failed or too long."""
    factsheet = Factsheet.objects.filter(pk=factsheet_id, status=FactsheetStatus.QUEUED).first()
    if factsheet is None:
        return "skipped"
    try:
        factsheet.text, factsheet.extracted = read_and_extract(
            bytes(factsheet.content), factsheet.name
        )
        factsheet.status = FactsheetStatus.READY
    except UnreadableFile as error:
        too_long = isinstance(error, TooLong)
        factsheet.status = FactsheetStatus.TOO_LONG if too_long else FactsheetStatus.FAILED
        factsheet.error = str(error)[:500]
    # Once read, the text is what is kept; the database does not hold every upload twice.
    factsheet.content = b""
    factsheet.save(update_fields=["text", "extracted", "status", "error", "content"])
    return factsheet.status
