"""Background work: reading uploaded factsheets. Tasks take IDs and may safely run twice."""

from django.conf import settings
from django_tasks import task

from .extract import extract_text
from .models import Factsheet, FactsheetStatus
from .readers import UnreadableFile, read_bytes


@task()
def read_factsheet(factsheet_id: int) -> str:
    """Extract one uploaded file's text and fields, leaving it ready for review or failed."""
    factsheet = Factsheet.objects.filter(pk=factsheet_id, status=FactsheetStatus.QUEUED).first()
    if factsheet is None:
        return "skipped"
    try:
        document = read_bytes(
            bytes(factsheet.content), factsheet.name, max_bytes=settings.INGEST_MAX_BYTES
        )
    except UnreadableFile as error:
        factsheet.status, factsheet.error = FactsheetStatus.FAILED, str(error)[:500]
        factsheet.save(update_fields=["status", "error"])
        return "failed"
    factsheet.text = document.text
    factsheet.extracted = extract_text(document.text, document.heading)
    factsheet.status = FactsheetStatus.READY
    factsheet.save(update_fields=["text", "extracted", "status"])
    return "ready"
