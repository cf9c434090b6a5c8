"""A call's documents: uploaded by the secretariat in the admin, checked by their content and
size, served only through a view that lets in those who may read the call."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from liaison.grants import documents
from liaison.grants.admin import CallDocumentForm
from liaison.grants.models import CallDocument

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def ooxml(main: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr(
            "[Content_Types].xml",
            f'<Types><Override PartName="/x.xml" ContentType="{main}"/></Types>',
        )
        package.writestr("x.xml", "<x/>")
    return buffer.getvalue()


def odt() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr("mimetype", documents.ODT)
        package.writestr("content.xml", "<x/>")
    return buffer.getvalue()


DOCX = ooxml("application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml")
XLSX = ooxml("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml")


def add_document(call, title="Guidelines for applicants", name="guidelines.pdf", content=PDF):
    document = CallDocument(call=call, title=title)
    document.file.save(name, ContentFile(content), save=True)
    return document


@pytest.fixture
def draft(call):
    call.published = False
    call.save(update_fields=["published"])
    return call


def url(document):
    return reverse("grants:call_document", args=[document.call.reference, document.pk])


# Uploads ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name,content,kind",
    [
        ("guide.pdf", PDF, "pdf"),
        ("Budget Template.xlsx", XLSX, "xlsx"),
        ("form.docx", DOCX, "docx"),
        ("form.odt", odt(), "odt"),
        ("faq.txt", "Questions fréquentes\n".encode(), "txt"),
    ],
)
def test_documents_of_each_kind_are_accepted_by_content(name, content, kind):
    assert documents.kind_of(SimpleUploadedFile(name, content)) == kind


@pytest.mark.parametrize(
    "name,content",
    [
        ("guide.pdf", b"<html><script>alert(1)</script></html>"),
        ("guide.pdf", b"MZ\x90\x00 a program"),
        ("form.docx", XLSX),  # a spreadsheet renamed
        ("form.docx", b"PK\x03\x04 not really a zip"),
        ("form.xlsx", odt()),
        ("form.odt", DOCX),
        ("faq.txt", b"\x00\x01\x02binary"),
        ("faq.txt", b"\xff\xfe not utf-8"),
    ],
)
def test_a_file_that_is_not_what_its_name_says_is_refused(name, content):
    with pytest.raises(ValidationError) as refused:
        documents.kind_of(SimpleUploadedFile(name, content))
    assert refused.value.code == "wrong_content"
    assert "is not the" in refused.value.messages[0]


def test_other_kinds_of_file_are_refused():
    with pytest.raises(ValidationError) as refused:
        documents.kind_of(SimpleUploadedFile("run.exe", b"MZ"))
    assert refused.value.code == "wrong_type"


def test_a_file_above_ten_megabytes_is_refused():
    assert documents.max_bytes() == 10 * 1024 * 1024
    big = SimpleUploadedFile("guide.pdf", PDF + b"0" * (10 * 1024 * 1024))
    with pytest.raises(ValidationError) as refused:
        documents.kind_of(big)
    assert refused.value.code == "too_large"
    assert "the limit is 10.0" in refused.value.messages[0]


def test_the_admin_form_refuses_a_pdf_that_is_not_one_with_a_clear_error(call):
    form = CallDocumentForm(
        {"title": "Guidelines"},
        {"file": SimpleUploadedFile("guide.pdf", b"<html>not a pdf</html>")},
        instance=CallDocument(call=call),
    )
    assert not form.is_valid()
    assert "is not the PDF its name says" in form.errors["file"][0]
    assert not CallDocument.objects.exists()


def test_the_admin_form_stores_a_checked_file_under_a_plain_name(call):
    form = CallDocumentForm(
        {"title": "Guidelines"},
        {"file": SimpleUploadedFile("Guide for applicants (v2).pdf", PDF)},
        instance=CallDocument(call=call),
    )
    assert form.is_valid(), form.errors
    document = form.save()
    assert document.file.name == f"grants/calls/{call.pk}/guide-for-applicants-v2.pdf"


def test_the_secretariat_adds_a_document_in_the_call_admin(client, call, secretariat):
    client.force_login(secretariat)
    page = client.get(reverse("admin:grants_call_change", args=[call.pk])).content.decode()
    assert "documents-TOTAL_FORMS" in page


# Downloads -------------------------------------------------------------------------------------


def test_anybody_downloads_a_document_of_a_published_call(client, call):
    document = add_document(call)
    response = client.get(url(document))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="guidelines.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"


def test_a_spreadsheet_is_served_as_one(client, call):
    document = add_document(call, "Budget template", "budget.xlsx", XLSX)
    response = client.get(url(document))
    assert response["Content-Type"] == documents.XLSX


def test_a_document_of_an_unpublished_call_is_the_staffs_only(
    client, draft, applicant, secretariat, staff_viewer
):
    document = add_document(draft)
    assert client.get(url(document)).status_code == 404
    client.force_login(applicant)
    assert client.get(url(document)).status_code == 404
    for staff in (secretariat, staff_viewer):
        client.force_login(staff)
        assert client.get(url(document)).status_code == 200


def test_a_document_is_found_only_under_its_own_call(client, call, facility):
    from tests.grants.test_call_pages import DAY, NOW, make_call

    other = make_call(facility, "OTHER", "Another call", NOW - DAY, NOW + DAY)
    document = add_document(other)
    response = client.get(reverse("grants:call_document", args=[call.reference, document.pk]))
    assert response.status_code == 404


def test_a_missing_file_is_not_found_rather_than_an_error(client, call):
    document = add_document(call)
    document.file.storage.delete(document.file.name)
    assert client.get(url(document)).status_code == 404


def test_the_call_page_lists_documents_with_size_and_link(client, call):
    document = add_document(call)
    html = client.get(call.get_absolute_url()).content.decode()
    start = html.index('data-testid="documents"')
    listing = html[start : html.index("</section>", start)]
    assert "Guidelines for applicants" in listing
    assert f'href="{url(document)}"' in listing
    assert f"{len(PDF)}" in listing  # "71 bytes"
    assert "/media/" not in html


def test_the_call_page_without_documents_has_no_list(client, call):
    html = client.get(call.get_absolute_url()).content.decode()
    assert 'data-testid="documents"' not in html
