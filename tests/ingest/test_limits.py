"""Issue 13, item 10: uploads that exhaust the machine.

Before the fix one upload could carry 200 files of 20 MB (4 GB, kept in the database), a 19 MB
text file held the single worker for minutes while every other import waited, and its review
page weighed 74 MB. Now a batch is bounded as a whole before anything is stored, one file's
text and reading time are capped with a "too long to read" outcome, the bytes are dropped once
read, and the review page shows the beginning of a long document and says so.
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils.html import escape

from liaison.ingest.models import Factsheet, FactsheetStatus, ImportBatch
from liaison.ingest.services import ImportRefused, upload_factsheets

from .factsheets import COUNSEL, DANUBE
from .test_pages import IMPORTS, review_url, upload

pytestmark = pytest.mark.django_db

# Prose of the kind factsheets carry after their key facts, repeated to make a long document.
PARAGRAPH = (
    "Officers of both services compare the risk indicators they use at the crossing points and "
    "agree on a common list, which the trainers then teach in mixed groups each spring.\n\n"
)


def long_factsheet(chars: int) -> str:
    return DANUBE + PARAGRAPH * (chars // len(PARAGRAPH) + 1)


def test_a_batch_over_the_total_limit_is_refused_and_nothing_is_stored(
    client, manager, settings, django_capture_on_commit_callbacks
):
    settings.INGEST_MAX_BATCH_BYTES = 100 * 1024
    client.force_login(manager)
    # Each file is well under the per-file limit; together they are over the batch limit.
    response = upload(
        client,
        django_capture_on_commit_callbacks,
        *[(f"sheet-{i}.txt", long_factsheet(40 * 1024)) for i in range(3)],
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "over the limit of 100.0\xa0KB for one upload" in body
    assert "upload them in smaller groups" in body
    assert not ImportBatch.objects.exists() and not Factsheet.objects.exists()


def test_an_upload_declared_over_the_limit_is_refused_before_it_is_read(client, manager, settings):
    settings.INGEST_MAX_BATCH_BYTES = 10 * 1024
    client.force_login(manager)
    big = SimpleUploadedFile("big.txt", b"a" * (1100 * 1024 + 20 * 1024))
    response = client.post(IMPORTS, {"files": [big]})
    assert response.status_code == 413
    assert "for one upload" in response.content.decode()
    assert not ImportBatch.objects.exists()


def test_the_service_refuses_an_oversized_batch_whatever_the_door(manager, settings):
    settings.INGEST_MAX_BATCH_BYTES = 1000
    with pytest.raises(ImportRefused, match="for one upload"):
        upload_factsheets(manager, [("a.txt", b"x" * 600), ("b.txt", b"y" * 600)])
    assert not ImportBatch.objects.exists()


def test_text_over_the_character_cap_is_too_long_and_others_are_still_read(
    client, manager, countries, settings, django_capture_on_commit_callbacks
):
    settings.INGEST_MAX_CHARS = 20_000
    client.force_login(manager)
    upload(
        client,
        django_capture_on_commit_callbacks,
        ("book.txt", long_factsheet(50_000)),
        ("counsel.md", COUNSEL),
    )
    book, counsel = Factsheet.objects.get(name="book.txt"), Factsheet.objects.get(name="counsel.md")
    assert book.status == FactsheetStatus.TOO_LONG
    assert book.error.startswith("too long to read") and "20,000" in book.error
    assert counsel.status == FactsheetStatus.READY
    # Once read, the uploaded bytes are gone from the database; the text is what is kept.
    assert bytes(book.content) == b"" and bytes(counsel.content) == b""
    assert book.text == "" and counsel.text.startswith("Project title")

    batch_page = client.get(book.batch.get_absolute_url()).content.decode()
    assert "Too long to read" in batch_page and escape(book.error) in batch_page
    review = client.get(review_url(book)).content.decode()
    assert "This file is too long to read" in review and 'data-testid="draft-form"' not in review


def test_reading_that_takes_too_long_stops_with_a_clear_outcome(
    client, manager, countries, settings, django_capture_on_commit_callbacks
):
    settings.INGEST_MAX_SECONDS = 0.05
    client.force_login(manager)
    # Under the character cap, but a few tenths of a second of extraction.
    upload(client, django_capture_on_commit_callbacks, ("long.txt", long_factsheet(150_000)))
    factsheet = Factsheet.objects.get()
    assert factsheet.status == FactsheetStatus.TOO_LONG
    assert factsheet.error == "too long to read: reading it took over 0.05 seconds"
    assert factsheet.extracted == {}


def test_review_page_shows_the_beginning_of_a_long_document_and_says_so(
    client, manager, countries, settings, django_capture_on_commit_callbacks
):
    settings.INGEST_REVIEW_CHARS = 2_000
    client.force_login(manager)
    upload(client, django_capture_on_commit_callbacks, ("long.txt", long_factsheet(30_000)))
    factsheet = Factsheet.objects.get()
    assert factsheet.status == FactsheetStatus.READY and len(factsheet.text) > 30_000
    response = client.get(review_url(factsheet))
    body = response.content.decode()
    notice = f"the first 2,000 of its {len(factsheet.text):,} characters are shown"
    assert notice in body
    # The fields at the top are still marked; the page carries only the shown part.
    assert 'id="hl-title-0"' in body
    assert body.count("common list, which the trainers") < 20
    assert len(body) < 60_000


def test_the_upload_still_checks_the_csrf_token(manager):
    """The size test runs before the CSRF check; an upload within the limit still needs it."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(manager)
    response = client.post(IMPORTS, {"files": [SimpleUploadedFile("a.txt", DANUBE.encode())]})
    assert response.status_code == 403
    assert not ImportBatch.objects.exists()
