"""Uploading factsheets, following their reading, reviewing each draft and confirming it."""

import datetime
import re
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from liaison.directory.models import Organisation
from liaison.ingest.highlight import highlight
from liaison.ingest.models import Factsheet, FactsheetStatus, ImportBatch
from liaison.portfolio.models import Project, Visibility
from tests.conftest import make_project
from tests.ingest import files
from tests.ingest.factsheets import COUNSEL, DANUBE, HOSTILE_HTML

IMPORTS = reverse("ingest:imports")


def upload(client, capture, *files):
    """POST files as the browser would, running the reading queued after the commit."""
    with capture(execute=True):
        return client.post(
            IMPORTS,
            {
                "files": [
                    SimpleUploadedFile(name, data.encode() if isinstance(data, str) else data)
                    for name, data in files
                ]
            },
        )


@pytest.fixture
def uploaded(client, manager, countries, django_capture_on_commit_callbacks):
    """The manager's batch of the two good factsheets, both read."""
    client.force_login(manager)
    response = upload(
        client,
        django_capture_on_commit_callbacks,
        ("danube.txt", DANUBE),
        ("counsel.md", COUNSEL),
    )
    assert response.status_code == 302
    return ImportBatch.objects.get()


def factsheet_named(name):
    return Factsheet.objects.get(name=name)


def draft_post(factsheet, **changes):
    """The review form as it comes, prefilled, with some fields changed."""
    extracted = factsheet.extracted
    data = {
        "title": extracted["title"],
        "acronym": extracted["acronym"] or "",
        "reference": extracted["reference"] or "",
        "start": extracted["start_date"] or "",
        "end": extracted["end_date"] or "",
        "budget": extracted["budget"]["amount"] if extracted["budget"] else "",
        "currency": "EUR",
        "eu_contribution": (extracted["budget"] or {}).get("eu_contribution") or "",
        "funding_sources": extracted["funding_sources"],
        "countries": extracted["countries"],
        "activity_types": extracted["activity_types"],
        "organisations-TOTAL_FORMS": str(len(extracted["organisations"]) + 1),
        "organisations-INITIAL_FORMS": str(len(extracted["organisations"])),
        "organisations-MIN_NUM_FORMS": "0",
        "organisations-MAX_NUM_FORMS": "1000",
    }
    for i, row in enumerate(extracted["organisations"]):
        data[f"organisations-{i}-name"] = row["name"]
        data[f"organisations-{i}-role"] = row["role"]
    data.update(changes)
    return data


def review_url(factsheet):
    return reverse("ingest:review", args=[factsheet.pk])


def discard_url(factsheet):
    return reverse("ingest:discard", args=[factsheet.pk])


# Upload and progress ----------------------------------------------------------------------------


def test_upload_two_factsheets_reads_both_and_shows_them_ready(client, uploaded):
    assert uploaded.factsheets.count() == 2
    assert set(uploaded.factsheets.values_list("status", flat=True)) == {FactsheetStatus.READY}
    response = client.get(uploaded.get_absolute_url())
    body = response.content.decode()
    assert "2 of 2 read" in body
    assert '<progress max="2" value="2"' in body
    assert "danube.txt" in body and "counsel.md" in body
    assert body.count("Ready for review") >= 2
    # Nothing is waiting, so the page does not poll.
    assert "hx-trigger" not in body
    assert not Project.objects.exists()


def test_batch_page_polls_while_files_are_waiting(client, manager):
    batch = ImportBatch.objects.create(uploaded_by=manager)
    Factsheet.objects.create(batch=batch, name="a.txt", size=3, content=b"abc")
    Factsheet.objects.create(
        batch=batch, name="b.txt", size=3, content=b"abc", status=FactsheetStatus.READY
    )
    client.force_login(manager)
    body = client.get(batch.get_absolute_url()).content.decode()
    assert 'hx-trigger="every 2s"' in body and "1 of 2 read" in body
    # htmx asks for the same URL and gets only the status section.
    partial = client.get(batch.get_absolute_url(), headers={"HX-Request": "true"})
    assert partial.content.decode().lstrip().startswith('<section id="batch-status"')
    assert "<html" not in partial.content.decode()
    assert "HX-Request" in partial["Vary"]


def test_upload_page_lists_own_batches_with_counts(client, uploaded, other_manager, secretariat):
    body = client.get(IMPORTS).content.decode()
    assert 'type="file"' in body and "multiple" in body and 'accept=".txt,.md' in body
    assert uploaded.get_absolute_url() in body
    response = client.get(IMPORTS)
    (listed,) = response.context["page"]
    assert (listed.count_total, listed.count_ready, listed.count_queued) == (2, 2, 0)
    assert '<th scope="col" class="num">Ready for review</th>' in body
    client.force_login(other_manager)
    assert uploaded.get_absolute_url() not in client.get(IMPORTS).content.decode()
    client.force_login(secretariat)
    assert uploaded.get_absolute_url() in client.get(IMPORTS).content.decode()


def test_upload_without_a_file_is_refused(client, manager):
    client.force_login(manager)
    response = client.post(IMPORTS, {})
    assert response.status_code == 200
    assert "Choose at least one file" in response.content.decode()
    assert not ImportBatch.objects.exists()


def test_nav_offers_import_to_those_who_may(client, manager, viewer):
    client.force_login(manager)
    assert "Import factsheets" in client.get("/").content.decode()
    client.force_login(viewer)
    assert "Import factsheets" not in client.get("/").content.decode()
    client.logout()
    assert "Import factsheets" not in client.get("/").content.decode()


def test_batch_page_query_count_does_not_grow_with_files(
    client, manager, django_assert_max_num_queries
):
    batch = ImportBatch.objects.create(uploaded_by=manager)
    client.force_login(manager)
    project = make_project()

    def add(n):
        for i in range(n):
            Factsheet.objects.create(
                batch=batch,
                name=f"f{i}.txt",
                size=1,
                content=b"x",
                status=FactsheetStatus.CONFIRMED,
                project=project,
                outcome="created",
            )

    add(1)
    with django_assert_max_num_queries(12) as first:
        client.get(batch.get_absolute_url())
    add(20)
    with django_assert_max_num_queries(len(first.captured_queries)):
        client.get(batch.get_absolute_url())


# Review -----------------------------------------------------------------------------------------


def test_review_page_marks_each_field_in_the_text(client, uploaded):
    factsheet = factsheet_named("danube.txt")
    body = client.get(review_url(factsheet)).content.decode()
    assert 'id="hl-title-0"' in body
    assert 'class="hl hl-title" id="hl-title-0" title="Title"' in body
    assert 'href="#hl-title-0"' in body and "found in text" in body
    assert 'href="#hl-budget-0"' in body
    # The draft is prefilled from what was extracted.
    assert 'value="DANUBE-GUARD"' in body
    assert 'value="2024-01-01"' in body
    assert 'value="Ministry of Interior of Serbia"' in body
    assert "will create a new draft project" in body
    assert "New: will be added and flagged for review" in body


def test_review_page_tells_which_organisation_and_project_are_known(client, uploaded, manager):
    Organisation.objects.create(name="Ministry of Interior of Serbia")
    make_project("Earlier phase", acronym="OLD", reference="BMVI/2024/017", managers=[manager])
    body = client.get(review_url(factsheet_named("danube.txt"))).content.decode()
    assert "will update an existing project" in body
    assert "same reference BMVI/2024/017" in body
    assert "Known as" in body


def test_confirm_with_a_corrected_field_creates_a_draft_project(client, uploaded, manager):
    factsheet = factsheet_named("danube.txt")
    assert not Project.objects.exists()
    response = client.post(review_url(factsheet), draft_post(factsheet, acronym="DANUBE-2"))
    project = Project.objects.get()
    assert response.status_code == 302 and response.url == project.get_absolute_url()
    assert project.acronym == "DANUBE-2"
    assert project.title == "Joint training for border guards on the Danube"
    assert project.visibility == Visibility.DRAFT
    assert project.start == datetime.date(2024, 1, 1)
    assert project.end == datetime.date(2025, 12, 31)
    assert project.total_budget == Decimal("1200000.00")
    assert {c.code for c in project.countries.all()} == {"HU", "RS"}
    assert {(p.organisation.name, p.role) for p in project.participations.all()} == {
        ("Ministry of Interior of Serbia", "lead"),
        ("General Police Directorate of Hungary", "partner"),
    }
    assert set(project.funding_lines.values_list("instrument__code", flat=True)) == {"BMVI"}
    assert manager in project.managers.all()
    factsheet.refresh_from_db()
    assert factsheet.status == FactsheetStatus.CONFIRMED
    assert factsheet.project == project and factsheet.outcome == "created"
    page = client.get(project.get_absolute_url())
    assert "added to the portfolio as a draft project" in page.content.decode()
    # The factsheet now reads as done, with its outcome.
    body = client.get(review_url(factsheet)).content.decode()
    assert "It created the project" in body and 'data-testid="draft-form"' not in body


def test_reviewer_can_remove_and_add_organisations(client, uploaded):
    factsheet = factsheet_named("counsel.md")
    data = draft_post(
        factsheet,
        **{
            "organisations-1-DELETE": "on",
            "organisations-2-name": "International Centre for Return Studies",
            "organisations-2-role": "associated",
        },
    )
    assert client.post(review_url(factsheet), data).status_code == 302
    project = Project.objects.get()
    assert {(p.organisation.name, p.role) for p in project.participations.all()} == {
        ("Bureau for Migration and Asylum of Moldova", "lead"),
        ("International Centre for Return Studies", "associated"),
    }
    assert Organisation.objects.get(name="International Centre for Return Studies").needs_review


def test_confirming_twice_is_refused(client, uploaded):
    factsheet = factsheet_named("danube.txt")
    client.post(review_url(factsheet), draft_post(factsheet))
    again = draft_post(factsheet, acronym="AGAIN")
    response = client.post(review_url(factsheet), again, follow=True)
    assert "no longer waiting for review" in response.content.decode()
    assert Project.objects.get().acronym == "DANUBE-GUARD"


def test_end_before_start_is_refused_with_a_message(client, uploaded):
    factsheet = factsheet_named("danube.txt")
    response = client.post(
        review_url(factsheet), draft_post(factsheet, start="2025-01-01", end="2024-01-01")
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "The end cannot come before the start." in body
    assert "Nothing was saved" in body
    assert not Project.objects.exists()
    factsheet.refresh_from_db()
    assert factsheet.status == FactsheetStatus.READY


def test_organisation_without_role_is_refused(client, uploaded):
    factsheet = factsheet_named("danube.txt")
    data = draft_post(factsheet, **{"organisations-2-name": "Someone Else"})
    response = client.post(review_url(factsheet), data)
    assert "Choose the organisation&#x27;s role." in response.content.decode()
    assert not Project.objects.exists()


def test_refusal_from_the_import_shows_on_the_page(client, uploaded, other_manager):
    # The draft matches a project this manager does not manage: the import refuses it.
    make_project("Someone else's", acronym="X", reference="BMVI/2024/017", managers=[other_manager])
    factsheet = factsheet_named("danube.txt")
    body = client.get(review_url(factsheet)).content.decode()
    assert "You may not edit that project" in body
    response = client.post(review_url(factsheet), draft_post(factsheet, acronym="CHANGED"))
    assert response.status_code == 200
    assert "Nothing was saved: this factsheet matches" in response.content.decode()
    assert Project.objects.get().acronym == "X"
    assert factsheet_named("danube.txt").status == FactsheetStatus.READY


def test_discard_leaves_nothing(client, uploaded):
    factsheet = factsheet_named("counsel.md")
    response = client.post(discard_url(factsheet))
    assert response.status_code == 302 and response.url == uploaded.get_absolute_url()
    factsheet.refresh_from_db()
    assert factsheet.status == FactsheetStatus.DISCARDED
    assert not Project.objects.exists()
    assert "Discarded by" in client.get(review_url(factsheet)).content.decode()
    # A discarded factsheet cannot be confirmed afterwards.
    client.post(review_url(factsheet), draft_post(factsheet))
    assert not Project.objects.exists()
    assert client.get(discard_url(factsheet)).status_code == 405


# Bad input --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "make", "message"),
    [
        ("empty.txt", lambda: b"", "the file is empty"),
        ("tool.exe", lambda: b"MZ\x90\x00\x03\x00\x00\x00", "unknown format"),
        ("random.pdf", lambda: bytes(range(256)) * 8, "this is not a PDF file"),
        ("binary.txt", lambda: b"\x00\x01\x02\x03" * 200, "binary file"),
        ("locked.pdf", lambda: files.encrypted_pdf(DANUBE), "protected by a password"),
        ("scan.pdf", files.scanned_pdf, "no text layer (probably a scan)"),
        ("bomb.docx", files.zip_bomb_word, "zip bomb"),
    ],
)
def test_bad_files_fail_with_a_clear_message(
    client, manager, django_capture_on_commit_callbacks, name, make, message
):
    client.force_login(manager)
    response = upload(client, django_capture_on_commit_callbacks, (name, make()))
    factsheet = Factsheet.objects.get()
    assert response.url == factsheet.batch.get_absolute_url()
    assert factsheet.status == FactsheetStatus.FAILED
    assert message in factsheet.error
    assert message in client.get(factsheet.batch.get_absolute_url()).content.decode()
    review = client.get(review_url(factsheet)).content.decode()
    assert "This file could not be read" in review and message in review
    assert 'data-testid="draft-form"' not in review
    assert client.post(review_url(factsheet), {"title": "Forced"}).status_code == 302
    assert not Project.objects.exists()


def test_file_over_the_size_limit_is_refused_without_being_stored(
    client, manager, settings, django_capture_on_commit_callbacks
):
    settings.INGEST_MAX_BYTES = 100
    client.force_login(manager)
    response = upload(
        client,
        django_capture_on_commit_callbacks,
        ("small.txt", "Project title: Small"),
        ("large.txt", "x" * 101),
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "“large.txt” is 101\xa0bytes, over the limit of 100\xa0bytes" in body
    assert "Nothing was uploaded" in body
    assert not ImportBatch.objects.exists() and not Factsheet.objects.exists()


def test_html_scripts_are_never_rendered(client, manager, django_capture_on_commit_callbacks):
    client.force_login(manager)
    upload(client, django_capture_on_commit_callbacks, ("ports.html", HOSTILE_HTML))
    factsheet = Factsheet.objects.get()
    assert factsheet.status == FactsheetStatus.READY
    body = client.get(review_url(factsheet)).content.decode()
    assert "<script>alert" not in body and "onerror=alert" not in body and "alert(" not in body
    # The visible text is there, escaped, inside its highlight.
    assert "Safer ports &amp; harbours &lt;pilot&gt;" in body
    assert 'value="Safer ports &amp; harbours &lt;pilot&gt;"' in body


def test_text_that_looks_like_markup_is_escaped_even_inside_highlights(
    client, manager, django_capture_on_commit_callbacks
):
    client.force_login(manager)
    text = "Project title: <script>alert(1)</script> <b>bold</b> ports\nProject acronym: <i>X</i>\n"
    upload(client, django_capture_on_commit_callbacks, ("markup.txt", text))
    factsheet = Factsheet.objects.get()
    body = client.get(review_url(factsheet)).content.decode()
    assert "<script>alert" not in body and "<b>bold" not in body and "<i>X" not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body


def test_nested_and_crossing_spans_keep_the_markup_whole():
    text = "Ministry of Interior of Serbia & <co>"
    provenance = {
        "organisations": [[0, 30]],
        "countries": [[24, 30]],
        "title": [[12, 37], [0, 8], ["bad"], None, [50, 60]],
    }
    labels = {"title": "Title", "countries": "Countries", "organisations": "Organisations"}
    html, first = highlight(text, provenance, labels)
    # A field's first highlight in reading order, whatever the order of its spans.
    assert first == {
        "title": "hl-title-1",
        "countries": "hl-countries-0",
        "organisations": "hl-organisations-0",
    }
    # Nested spans nest: the country sits inside the organisation's mark, which stays whole.
    organisation = re.search(r'<mark class="hl hl-organisations" id="hl-organisations-0".*?>', html)
    assert organisation and html.index("hl-countries-0") > organisation.end()
    assert 'title="Countries" aria-describedby="legend-countries">Serbia</mark>' in html
    # The title crosses the organisation's end: it is closed there and continues after it.
    assert html.count('class="hl hl-title"') == 3 and html.count('id="hl-title-0"') == 1
    assert "&amp; &lt;co&gt;</mark>" in html
    # Every mark is closed in order, and stripping them gives back the escaped text exactly.
    depth = 0
    for tag in re.findall(r"</?mark", html):
        depth += 1 if tag == "<mark" else -1
        assert depth >= 0
    assert depth == 0
    assert re.sub(r"<[^>]+>", "", html) == "Ministry of Interior of Serbia &amp; &lt;co&gt;"


# Permissions ------------------------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_sign_in(client, uploaded):
    factsheet = factsheet_named("danube.txt")
    client.logout()
    for url in [IMPORTS, uploaded.get_absolute_url(), review_url(factsheet)]:
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith(reverse("account_login"))
    assert client.post(review_url(factsheet), draft_post(factsheet)).status_code == 302
    assert client.post(discard_url(factsheet)).status_code == 302
    assert factsheet_named("danube.txt").status == FactsheetStatus.READY
    assert not Project.objects.exists()


@pytest.mark.parametrize("who", ["viewer", "public_user"])
def test_those_who_may_not_import_get_403(client, request, uploaded, who):
    factsheet = factsheet_named("danube.txt")
    client.force_login(request.getfixturevalue(who))
    for url in [IMPORTS, uploaded.get_absolute_url(), review_url(factsheet)]:
        assert client.get(url).status_code == 403
    assert client.post(IMPORTS, {"files": [SimpleUploadedFile("a.txt", b"x")]}).status_code == 403
    assert client.post(review_url(factsheet), draft_post(factsheet)).status_code == 403
    assert client.post(discard_url(factsheet)).status_code == 403
    assert factsheet_named("danube.txt").status == FactsheetStatus.READY
    assert ImportBatch.objects.count() == 1 and not Project.objects.exists()


def test_another_manager_cannot_see_or_decide_on_someone_elses_factsheet(
    client, uploaded, other_manager
):
    factsheet = factsheet_named("danube.txt")
    client.force_login(other_manager)
    assert client.get(uploaded.get_absolute_url()).status_code == 404
    assert client.get(review_url(factsheet)).status_code == 404
    assert client.post(review_url(factsheet), draft_post(factsheet)).status_code == 404
    assert client.post(discard_url(factsheet)).status_code == 404
    assert factsheet_named("danube.txt").status == FactsheetStatus.READY
    assert not Project.objects.exists()


def test_the_secretariat_reviews_every_batch(client, uploaded, secretariat):
    factsheet = factsheet_named("counsel.md")
    client.force_login(secretariat)
    assert client.get(uploaded.get_absolute_url()).status_code == 200
    assert client.get(review_url(factsheet)).status_code == 200
    assert client.post(review_url(factsheet), draft_post(factsheet)).status_code == 302
    assert Project.objects.get().acronym == "RECOUNSEL"


def test_pdf_and_word_factsheets_are_read_too(
    client, manager, countries, django_capture_on_commit_callbacks
):
    client.force_login(manager)
    upload(
        client,
        django_capture_on_commit_callbacks,
        ("danube.pdf", files.pdf(DANUBE)),
        ("counsel.docx", files.word(COUNSEL.splitlines())),
    )
    assert set(Factsheet.objects.values_list("status", flat=True)) == {FactsheetStatus.READY}
    assert factsheet_named("counsel.docx").extracted["acronym"] == "RECOUNSEL"


def test_the_list_of_imports_is_paginated(client, manager):
    for _ in range(25):
        ImportBatch.objects.create(uploaded_by=manager)
    client.force_login(manager)
    assert len(client.get(IMPORTS).context["page"]) == 20
    assert len(client.get(IMPORTS + "?page=2").context["page"]) == 5
