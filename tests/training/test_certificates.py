"""Closing a course, issuing, claiming and revoking certificates; the PDF; public verification."""

import datetime
import io
from decimal import Decimal

import pypdf
import pytest
from django.core.cache import cache
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse
from PIL import Image

from liaison.core.models import AuditEntry
from liaison.training import certificate_pdf
from liaison.training.models import (
    Certificate,
    CourseStatus,
    CourseType,
    Enrolment,
    EnrolmentStatus,
    Module,
    Outcome,
    SessionAttendance,
)
from liaison.training.services import PermissionDenied, TrainingError
from liaison.training.services import certificates as services

TODAY = datetime.date(2026, 3, 5)


def attend_all(enrolment):
    for session in enrolment.course.sessions.all():
        SessionAttendance.objects.create(session=session, enrolment=enrolment)


@pytest.fixture(autouse=True)
def _empty_cache(db):
    cache.clear()


@pytest.fixture
def course_open(course):
    """The fixture course with no quiz rule, so attendance alone decides."""
    course.requires_quiz = False
    course.certificate_valid_years = 3
    course.save()
    return course


@pytest.fixture
def second_module(centre):
    return Module.objects.create(
        centre=centre, code="RMT-02", title="Interviewing skills", duration_hours=Decimal("8.5")
    )


@pytest.fixture
def certificate(course_open, enrolment, centre_staff):
    attend_all(enrolment)
    return services.issue_certificate(centre_staff, enrolment, today=TODAY)


def signed_in(client, user):
    client.force_login(user)
    return client


# Closing a course ----------------------------------------------------------------------------


def test_closing_sets_outcomes_and_certifies_those_who_completed(
    course_open, enrolment, other_enrolment, centre_staff, second_module
):
    course_open.modules.add(second_module)
    attend_all(enrolment)
    closing = services.close_course(centre_staff, course_open, today=TODAY)
    enrolment.refresh_from_db()
    other_enrolment.refresh_from_db()
    assert (enrolment.outcome, enrolment.completed_on) == (Outcome.COMPLETED, TODAY)
    assert (other_enrolment.outcome, other_enrolment.completed_on) == (Outcome.NOT_COMPLETED, None)
    assert [c.enrolment for c in closing.issued] == [enrolment]
    course_open.refresh_from_db()
    assert course_open.status == CourseStatus.FINISHED


def test_closing_twice_issues_no_second_certificate_and_is_audited(
    course_open, enrolment, other_enrolment, centre_staff
):
    attend_all(enrolment)
    services.close_course(centre_staff, course_open, today=TODAY)
    outcome_entries = AuditEntry.objects.filter(action="training.enrolment.outcome").count()
    assert outcome_entries == 2
    again = services.close_course(centre_staff, course_open, today=TODAY)
    assert again.issued == []
    assert Certificate.objects.count() == 1
    # Nothing changed, so no new outcome entries; each closing is itself recorded.
    assert AuditEntry.objects.filter(action="training.enrolment.outcome").count() == 2
    assert AuditEntry.objects.filter(action="training.course.closed").count() == 2
    issued = AuditEntry.objects.get(action="training.certificate.issued")
    assert issued.actor == centre_staff


def test_a_trainee_who_completes_later_is_certified_at_the_next_closing(
    course_open, enrolment, other_enrolment, centre_staff
):
    services.close_course(centre_staff, course_open, today=TODAY)
    attend_all(other_enrolment)
    closing = services.close_course(centre_staff, course_open, today=TODAY)
    assert [c.enrolment for c in closing.issued] == [other_enrolment]
    other_enrolment.refresh_from_db()
    assert other_enrolment.outcome == Outcome.COMPLETED


def test_nominated_trainees_are_left_alone_when_closing(course_open, officer, centre_staff):
    nominee = Enrolment.objects.create(course=course_open, person=officer)
    services.close_course(centre_staff, course_open, today=TODAY)
    nominee.refresh_from_db()
    assert nominee.outcome == Outcome.IN_PROGRESS


def test_only_the_centre_closes_a_course(course_open, trainer, trainee, outsider, secretariat):
    for user in (trainer, trainee, outsider):
        with pytest.raises(PermissionDenied):
            services.close_course(user, course_open)
    services.close_course(secretariat, course_open)


def test_a_planned_or_cancelled_course_cannot_be_closed(course_open, centre_staff):
    for status in (CourseStatus.PLANNED, CourseStatus.CANCELLED):
        course_open.status = status
        course_open.save()
        with pytest.raises(TrainingError):
            services.close_course(centre_staff, course_open)


# Issuing one, the snapshot -------------------------------------------------------------------


def test_a_certificate_copies_what_it_says(
    course_open, enrolment, centre_staff, module, second_module
):
    course_open.modules.add(second_module)
    attend_all(enrolment)
    certificate = services.issue_certificate(centre_staff, enrolment, today=TODAY)
    assert certificate.holder_name == "Tara Trainee"
    assert certificate.course_title == "Migration law basics, spring cohort"
    assert certificate.hours == Decimal("24.5")
    assert certificate.issued_on == TODAY
    assert certificate.valid_until == datetime.date(2029, 3, 5)
    assert certificate.modules == [
        {
            "code": "RMT-01",
            "title": "Migration law basics",
            "version": "1.0",
            "hours": "16.0",
            "accredited_by": "National Qualifications Agency",
        },
        {
            "code": "RMT-02",
            "title": "Interviewing skills",
            "version": "1.0",
            "hours": "8.5",
            "accredited_by": "",
        },
    ]
    # Renaming the person and the module later does not change the certificate.
    enrolment.person.name = "Tara Renamed"
    enrolment.person.save()
    module.title = "Renamed module"
    module.save()
    certificate.refresh_from_db()
    assert certificate.holder_name == "Tara Trainee"
    assert certificate.modules[0]["title"] == "Migration law basics"


def test_a_certificate_without_validity_years_does_not_expire(course_open, enrolment, centre_staff):
    course_open.certificate_valid_years = None
    course_open.save()
    attend_all(enrolment)
    certificate = services.issue_certificate(centre_staff, enrolment, today=TODAY)
    assert certificate.valid_until is None


def test_issuing_to_a_trainee_not_complete_is_refused_with_the_reasons(
    course_open, enrolment, centre_staff
):
    with pytest.raises(TrainingError) as error:
        services.issue_certificate(centre_staff, enrolment)
    assert "Attended 0 of 3 sessions" in str(error.value)
    assert not Certificate.objects.exists()


def test_issuing_twice_is_refused(certificate, enrolment, centre_staff):
    with pytest.raises(TrainingError):
        services.issue_certificate(centre_staff, enrolment)


# Self-service --------------------------------------------------------------------------------


def test_a_self_paced_trainee_claims_their_own_certificate(course_open, enrolment, trainee):
    course_open.type = CourseType.ONLINE_SELF_PACED
    course_open.save()
    with pytest.raises(TrainingError):
        services.claim_certificate(trainee, enrolment)
    attend_all(enrolment)
    certificate = services.claim_certificate(trainee, enrolment)
    assert certificate.issued_by == trainee
    assert services.claim_certificate(trainee, enrolment) == certificate


def test_claiming_is_refused_for_a_classroom_course_and_for_someone_else(
    course_open, enrolment, trainee, other_trainee
):
    attend_all(enrolment)
    with pytest.raises(TrainingError):
        services.claim_certificate(trainee, enrolment)
    course_open.type = CourseType.ONLINE_SELF_PACED
    course_open.save()
    with pytest.raises(PermissionDenied):
        services.claim_certificate(other_trainee, enrolment)


# Revocation ----------------------------------------------------------------------------------


def test_revoking_needs_a_reason_and_happens_once(certificate, centre_staff):
    with pytest.raises(TrainingError):
        services.revoke_certificate(centre_staff, certificate, "  ")
    services.revoke_certificate(centre_staff, certificate, "Issued to the wrong cohort.")
    certificate.refresh_from_db()
    assert certificate.revoked_at is not None
    entry = AuditEntry.objects.get(action="training.certificate.revoked")
    assert entry.reason == "Issued to the wrong cohort."
    with pytest.raises(TrainingError):
        services.revoke_certificate(centre_staff, certificate, "Again.")


def test_only_the_centre_revokes(certificate, trainee, trainer):
    for user in (trainee, trainer):
        with pytest.raises(PermissionDenied):
            services.revoke_certificate(user, certificate, "No.")


# The course page's section -------------------------------------------------------------------


def _render_completion(user, course):
    request = RequestFactory().get("/")
    request.user = user
    context = services.completion_context(user, course)
    return context, render_to_string(
        "training/certificates/_course_completion.html", context, request=request
    )


def test_the_course_section_tells_the_trainee_what_is_missing(course_open, enrolment, trainee):
    context, html = _render_completion(trainee, course_open)
    assert not context["completion"].complete and not context["can_close"]
    assert "Attended 0 of 3 sessions (0%); 80% needed." in html
    assert "Close course" not in html


def test_the_course_section_links_the_certificate_once_issued(certificate, trainee):
    context, html = _render_completion(trainee, certificate.enrolment.course)
    assert context["certificate"] == certificate
    assert reverse("training:certificate_pdf", args=[certificate.pk]) in html


def test_the_course_section_offers_the_centre_to_close(course_open, centre_staff, outsider):
    context, html = _render_completion(centre_staff, course_open)
    assert context["can_close"] and context["completion"] is None
    assert "Close course and issue certificates" in html
    assert _render_completion(outsider, course_open)[1].strip() == ""


# Pages ---------------------------------------------------------------------------------------


def test_the_centre_closes_a_course_from_its_completion_page(
    client, course_open, enrolment, other_enrolment, centre_staff
):
    attend_all(enrolment)
    signed_in(client, centre_staff)
    page = client.get(reverse("training:course_completion", args=[course_open.pk]))
    assert page.status_code == 200
    assert "Attended 0 of 3 sessions" in page.content.decode()  # the other trainee
    response = client.post(reverse("training:close_course", args=[course_open.pk]), follow=True)
    assert "1 completed, 1 did not; 1 certificate issued." in response.content.decode()
    assert Certificate.objects.get().enrolment == enrolment


def test_trainees_and_trainers_cannot_see_or_close_the_completion_page(
    client, course_open, enrolment, trainee, trainer
):
    for user in (trainee, trainer):
        signed_in(client, user)
        url = reverse("training:course_completion", args=[course_open.pk])
        assert client.get(url).status_code == 403
        assert client.post(reverse("training:close_course", args=[course_open.pk])).status_code
        assert not Certificate.objects.exists()


def test_the_holder_and_the_centre_see_the_certificate_others_get_404(
    client, certificate, trainee, centre_staff, secretariat, other_trainee, trainer, outsider
):
    for user in (trainee, centre_staff, secretariat):
        signed_in(client, user)
        assert client.get(certificate.get_absolute_url()).status_code == 200
        pdf = client.get(reverse("training:certificate_pdf", args=[certificate.pk]))
        assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    for user in (other_trainee, trainer, outsider):
        signed_in(client, user)
        assert client.get(certificate.get_absolute_url()).status_code == 404
        pdf = client.get(reverse("training:certificate_pdf", args=[certificate.pk]))
        assert pdf.status_code == 404
    client.logout()
    assert client.get(reverse("training:certificate_pdf", args=[certificate.pk])).status_code == 404


def test_the_centre_revokes_from_the_certificate_page(client, certificate, centre_staff, trainee):
    signed_in(client, trainee)
    page = client.get(certificate.get_absolute_url()).content.decode()
    assert "Revoke the certificate" not in page
    url = reverse("training:revoke_certificate", args=[certificate.pk])
    assert client.post(url, {"reason": "Mine"}).status_code == 403
    signed_in(client, centre_staff)
    empty = client.post(url, {"reason": ""})
    assert empty.status_code == 400 and "This field is required." in empty.content.decode()
    certificate.refresh_from_db()
    assert certificate.revoked_at is None
    done = client.post(url, {"reason": "Attendance sheet was wrong."}, follow=True)
    assert "The certificate is revoked." in done.content.decode()
    again = client.post(url, {"reason": "Twice"}, follow=True)
    assert "Nothing was saved: This certificate was already revoked." in again.content.decode()
    certificate.refresh_from_db()
    assert certificate.revoked_reason == "Attendance sheet was wrong."


# The PDF -------------------------------------------------------------------------------------


def test_the_pdf_names_the_holder_course_code_and_carries_the_qr_code(certificate):
    reader = pypdf.PdfReader(io.BytesIO(certificate_pdf.build(certificate)))
    assert len(reader.pages) == 1
    page = reader.pages[0]
    assert page.mediabox.width > page.mediabox.height  # landscape
    text = page.extract_text()
    for expected in (
        "Tara Trainee",
        "Migration law basics, spring cohort",
        certificate.code,
        "Regional Migration Training Centre",
        "National Qualifications Agency",
        "RMT-01",
    ):
        assert expected in text
    images = page.images
    assert len(images) == 1
    # No QR decoder is installed: compare with the code drawn for the verification address.
    embedded = images[0].image.convert("L")
    expected_qr = Image.open(io.BytesIO(certificate_pdf.qr_png(certificate.verification_url())))
    assert embedded.size == expected_qr.size
    assert embedded.tobytes() == expected_qr.convert("L").tobytes()
    assert certificate.verification_url().endswith(f"/training/verify/{certificate.code}/")


def test_a_long_list_of_modules_goes_overleaf(course_open, enrolment, centre_staff, centre):
    for n in range(2, 13):
        course_open.modules.add(
            Module.objects.create(
                centre=centre, code=f"RMT-{n:02}", title=f"Module {n}", duration_hours=4
            )
        )
    attend_all(enrolment)
    certificate = services.issue_certificate(centre_staff, enrolment)
    pages = pypdf.PdfReader(io.BytesIO(certificate_pdf.build(certificate))).pages
    assert len(pages) == 2
    assert "12 modules, listed overleaf." in pages[0].extract_text()
    assert "RMT-12" in pages[1].extract_text() and certificate.code in pages[1].extract_text()
    assert len(pages[0].images) == 1


def test_a_revoked_certificate_prints_as_revoked(certificate, centre_staff):
    services.revoke_certificate(centre_staff, certificate, "Error")
    certificate.refresh_from_db()
    text = pypdf.PdfReader(io.BytesIO(certificate_pdf.build(certificate))).pages[0].extract_text()
    assert "REVOKED" in text


# Public verification -------------------------------------------------------------------------


def test_anyone_verifies_a_code_and_sees_only_name_course_dates_and_status(client, certificate):
    response = client.get(reverse("training:verify", args=[certificate.code]))
    assert response.status_code == 200
    html = response.content.decode()
    assert '<meta name="robots" content="noindex' in html
    for shown in ("Tara Trainee", "Migration law basics, spring cohort", "Valid", "5 March 2026"):
        assert shown in html
    assert "5 March 2029" in html
    for hidden in ("trainee@example.org", "Ministry of Interior", "RMT-01", "16.0"):
        assert hidden not in html


def test_a_revoked_certificate_says_so_without_the_reason(client, certificate, centre_staff):
    services.revoke_certificate(centre_staff, certificate, "Confidential misconduct finding")
    certificate.refresh_from_db()
    html = client.get(reverse("training:verify", args=[certificate.code])).content.decode()
    assert f"Revoked on {certificate.revoked_at:%-d %B %Y}" in html
    assert "Confidential misconduct" not in html
    assert ">Valid<" not in html


def test_an_expired_certificate_says_expired(client, certificate):
    certificate.valid_until = datetime.date(2020, 1, 1)
    certificate.save()
    html = client.get(reverse("training:verify", args=[certificate.code])).content.decode()
    assert "Expired" in html


def test_an_unknown_or_forged_code_is_a_clear_404(client, certificate):
    forged = "AAAA-BBBB-CCCC" if certificate.code != "AAAA-BBBB-CCCC" else "CCCC-BBBB-AAAA"
    response = client.get(reverse("training:verify", args=[forged]))
    assert response.status_code == 404
    assert "No certificate with this code" in response.content.decode()
    assert "Tara Trainee" not in response.content.decode()


@pytest.mark.parametrize(
    "typed", ["short", "0000-1111-OOOO", "A" * 40, "<script>", "ÄÖÜ-ABCD-EFGH"]
)
def test_a_malformed_code_is_a_clear_404(client, typed):
    response = client.get(reverse("training:verify_form"), {"code": typed})
    assert response.status_code == 404
    html = response.content.decode()
    assert "No certificate with this code" in html
    assert "<script>" not in html.split("</nav>", 1)[1]


def test_an_overlong_code_is_a_form_error(client, db):
    response = client.get(reverse("training:verify_form"), {"code": "A" * 41})
    assert response.status_code == 400
    assert "Ensure this value has at most 40 characters" in response.content.decode()


def test_a_malformed_code_in_the_address_is_a_404(client, db):
    response = client.get("/training/verify/not-a-code/")
    assert response.status_code == 404
    assert "No certificate with this code" in response.content.decode()


def test_lowercase_spaced_or_undashed_codes_find_the_certificate(client, certificate):
    plain = certificate.code.replace("-", "")
    for typed in (certificate.code.lower(), f" {plain[:6]} {plain[6:]} ", plain.lower()):
        response = client.get(reverse("training:verify_form"), {"code": typed}, follow=True)
        assert response.status_code == 200
        assert response.redirect_chain[-1][0] == reverse("training:verify", args=[certificate.code])
    response = client.get(reverse("training:verify", args=[plain.lower()]), follow=True)
    assert "Tara Trainee" in response.content.decode()


def test_the_verification_form_shows_without_a_code(client, db):
    response = client.get(reverse("training:verify_form"))
    assert response.status_code == 200
    assert 'name="code"' in response.content.decode()


def test_verification_is_throttled_per_address(client, certificate, monkeypatch):
    from liaison.training import throttle

    monkeypatch.setattr(throttle, "VERIFY_LIMIT", 3)
    url = reverse("training:verify", args=[certificate.code])
    assert [client.get(url).status_code for _ in range(4)] == [200, 200, 200, 429]


def test_normalise_code():
    assert services.normalise_code("k7qm 2xvd 9hta") == "K7QM-2XVD-9HTA"
    assert services.normalise_code("K7QM–2XVD–9HTA") == "K7QM-2XVD-9HTA"
    assert services.normalise_code("K7QM-2XVD-9HT") is None
    assert services.normalise_code("K7QM-2XVD-9HT0") is None  # 0 is never used
    assert services.normalise_code("") is None


def test_a_certificate_of_a_withdrawn_enrolment_is_refused(course_open, enrolment, centre_staff):
    attend_all(enrolment)
    enrolment.status = EnrolmentStatus.WITHDRAWN
    enrolment.save()
    with pytest.raises(TrainingError):
        services.issue_certificate(centre_staff, enrolment)
