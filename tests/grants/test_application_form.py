"""A call's own application form: the secretariat builds it from sections and questions, the
applicant answers it (a file checked by its content and size), submission refuses while a
required answer is missing, and a version an application was submitted on never changes."""

import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from liaison.core.models import AuditEntry
from liaison.grants import answers, form_builder, services
from liaison.grants.models import Answer, Application, FormQuestion, FormVersion, QuestionKind
from tests.grants.conftest import complete

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def section(call, secretariat):
    return form_builder.add_section(
        secretariat, call, {"title": "Relevance", "guidance": "Why this project, why now."}
    )


@pytest.fixture
def questions(section, secretariat):
    add = form_builder.add_question
    return {
        "need": add(
            secretariat,
            section,
            {"label": "Which need does it meet?", "kind": QuestionKind.TEXT, "word_limit": 5},
        ),
        "staff": add(
            secretariat,
            section,
            {
                "label": "Officers trained",
                "kind": QuestionKind.NUMBER,
                "min_value": Decimal(1),
                "max_value": Decimal(500),
            },
        ),
        "border": add(
            secretariat,
            section,
            {
                "label": "Which border?",
                "kind": QuestionKind.CHOICE,
                "choices": "Land\nSea\nAir",
                "required": False,
            },
        ),
        "letter": add(
            secretariat,
            section,
            {
                "label": "Letter of support",
                "kind": QuestionKind.FILE,
                "file_types": "pdf",
                "max_file_mb": 1,
                "required": False,
            },
        ),
    }


def _pdf(name="support.pdf", data=PDF):
    return SimpleUploadedFile(name, data, content_type="application/pdf")


def _post(questions, **values):
    return {f"q_{questions[name].key}": value for name, value in values.items()}


# Building the form ---------------------------------------------------------------------------


def test_the_secretariat_builds_the_form_on_its_page(client, call, secretariat, application):
    client.force_login(secretariat)
    url = reverse("grants:form_builder", args=[call.reference])
    response = client.post(url, {"title": "Sustainability", "guidance": ""})
    assert response.status_code == 302
    section = FormVersion.objects.get(call=call).sections.get()
    response = client.post(
        reverse("grants:form_question_add", args=[section.pk]),
        {"label": "Who keeps it going?", "kind": "text", "required": "on", "word_limit": "300"},
    )
    assert response.status_code == 302
    page = client.get(url).content.decode()
    assert "Who keeps it going?" in page
    assert "at most 300 words" in page
    # The draft started before the form existed is written on it now, and the public page
    # of the call shows what the form asks.
    application.refresh_from_db()
    assert application.form_version.sections.get() == section
    client.logout()
    assert "Who keeps it going?" in client.get(call.get_absolute_url()).content.decode()
    assert AuditEntry.objects.filter(action="grants.form_question_added").exists()


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"label": "Border", "kind": "choice", "choices": "Land"}, "choices"),
        ({"label": "Border", "kind": "choice", "choices": "Land\nLand"}, "choices"),
        ({"label": "Annex", "kind": "file", "file_types": "pdf, exe"}, "file_types"),
        ({"label": "Staff", "kind": "number", "min_value": "10", "max_value": "5"}, "max_value"),
        ({"label": "Text", "kind": "text", "word_limit": "0"}, "word_limit"),
        ({"label": "", "kind": "text"}, "label"),
        ({"label": "What", "kind": "poem"}, "kind"),
    ],
)
def test_a_question_that_makes_no_sense_is_refused(client, section, secretariat, values, field):
    client.force_login(secretariat)
    response = client.post(reverse("grants:form_question_add", args=[section.pk]), values)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not FormQuestion.objects.exists()


@pytest.mark.parametrize("who", ["applicant", "partner_contact", "outsider", "staff_viewer"])
def test_only_the_secretariat_builds_the_form(client, request, call, section, who):
    client.force_login(request.getfixturevalue(who))
    assert client.get(reverse("grants:form_builder", args=[call.reference])).status_code == 403
    response = client.post(
        reverse("grants:form_question_add", args=[section.pk]), {"label": "x", "kind": "text"}
    )
    assert response.status_code == 403
    response = client.post(reverse("grants:form_section_remove", args=[section.pk]))
    assert response.status_code == 403
    assert not FormQuestion.objects.exists()
    assert section.version.sections.count() == 1
    with pytest.raises(PermissionDenied):
        form_builder.add_section(request.getfixturevalue(who), call, {"title": "Mine"})


def test_questions_move_and_are_removed(client, questions, secretariat):
    client.force_login(secretariat)
    staff = questions["staff"]
    client.post(reverse("grants:form_question_move", args=[staff.pk, "up"]))
    labels = list(staff.section.questions.values_list("label", flat=True))
    assert labels[:2] == ["Officers trained", "Which need does it meet?"]
    client.post(reverse("grants:form_question_remove", args=[staff.pk]))
    assert not FormQuestion.objects.filter(pk=staff.pk).exists()


# Versions ------------------------------------------------------------------------------------


def _submitted(application, applicant, partner_org, partner_contact, countries, questions):
    application = complete(application, applicant, partner_org, partner_contact, countries)
    answers.save_answers(
        applicant,
        application,
        {questions["need"].key: "Safer roads", questions["staff"].key: Decimal(40)},
    )
    return services.submit(applicant, application)


def test_a_form_submitted_on_never_changes_drafts_move_to_the_new_version(
    call,
    lot,
    lead_org,
    application,
    applicant,
    partner_org,
    partner_contact,
    countries,
    questions,
    secretariat,
):
    submitted = _submitted(
        application, applicant, partner_org, partner_contact, countries, questions
    )
    first = submitted.form_version
    draft = services.start_application(applicant, call, lot, lead_org, "Second idea")
    answers.save_answers(applicant, draft, {questions["need"].key: "Training"})
    assert draft.form_version == first

    changed = form_builder.update_question(
        secretariat, questions["need"], {"label": "Which need, exactly?", "word_limit": 3}
    )
    # The change went into version 2; version 1 is as it was submitted.
    assert changed.section.version.number == 2
    assert changed.key == questions["need"].key
    questions["need"].refresh_from_db()
    assert questions["need"].label == "Which need does it meet?"
    submitted.refresh_from_db()
    assert submitted.form_version == first
    assert [r.question.label for r in answers.form_of(submitted)[0].rows][0] == (
        "Which need does it meet?"
    )
    # The draft moved to version 2, its answer with it.
    draft.refresh_from_db()
    assert draft.form_version.number == 2
    answer = Answer.objects.get(application=draft)
    assert answer.question == changed
    assert answer.text == "Training"
    # A second change keeps to version 2: nothing was submitted on it.
    form_builder.update_question(secretariat, changed, {"label": "Which need?"})
    assert FormVersion.objects.filter(call=call).count() == 2
    # An older version's question cannot be changed any more.
    with pytest.raises(ValidationError):
        form_builder.update_question(secretariat, questions["need"], {"label": "Again"})


def test_a_refused_change_makes_no_new_version(
    application, applicant, partner_org, partner_contact, countries, questions, secretariat
):
    _submitted(application, applicant, partner_org, partner_contact, countries, questions)
    with pytest.raises(ValidationError):
        form_builder.update_question(secretariat, questions["border"], {"choices": "Land"})
    assert FormVersion.objects.count() == 1


# Answering -----------------------------------------------------------------------------------


def test_the_applicant_answers_and_the_page_shows_the_answers(
    client, application, applicant, questions
):
    client.force_login(applicant)
    url = reverse("grants:answers", args=[application.pk])
    assert client.get(url).status_code == 200
    data = _post(questions, need="More patrols", staff="40", border="Sea")
    data[f"q_{questions['letter'].key}"] = _pdf()
    response = client.post(url, data)
    assert response.status_code == 302
    letter = Answer.objects.get(question=questions["letter"])
    assert letter.file_name == "support.pdf"
    assert len(letter.file_sha256) == 64
    page = client.get(application.get_absolute_url()).content.decode()
    assert "More patrols" in page and "Sea" in page and "support.pdf" in page
    download = client.get(reverse("grants:answer_file", args=[letter.pk]))
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content).startswith(b"%PDF-")
    entry = AuditEntry.objects.filter(action="grants.answers_updated").latest("pk")
    assert entry.changes["Which need does it meet?"] == ["", "More patrols"]


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("need", "one two three four five six", "6 words; the limit is 5."),
        ("staff", "0", "Give at least 1."),
        ("staff", "501", "Give at most 500."),
        ("staff", "many", "Enter a number."),
        ("border", "Space", "Select a valid choice."),
    ],
)
def test_a_wrong_answer_is_refused_and_nothing_is_saved(
    client, application, applicant, questions, name, value, message
):
    client.force_login(applicant)
    data = _post(questions, need="Patrols", staff="40", border="Land")
    data[f"q_{questions[name].key}"] = value
    response = client.post(reverse("grants:answers", args=[application.pk]), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Answer.objects.exists()


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (_pdf("support.pdf", b"<html>not a pdf</html>"), "not the PDF its name says"),
        (_pdf("support.docx", b"PK"), "Upload the file as PDF"),
        (_pdf("support.pdf", PDF + b" " * (1024 * 1024)), "the limit is 1.0"),
    ],
)
def test_a_file_of_the_wrong_kind_or_too_large_is_refused(
    client, application, applicant, questions, upload, message
):
    client.force_login(applicant)
    data = _post(questions, need="Patrols")
    data[f"q_{questions['letter'].key}"] = upload
    response = client.post(reverse("grants:answers", args=[application.pk]), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Answer.objects.exists()


def test_a_stored_file_is_kept_replaced_or_removed(
    client, application, applicant, questions, django_capture_on_commit_callbacks
):
    client.force_login(applicant)
    url = reverse("grants:answers", args=[application.pk])
    key = questions["letter"].key
    client.post(url, {f"q_{key}": _pdf()})
    first = Answer.objects.get(question=questions["letter"])
    client.post(url, _post(questions, need="Patrols"))  # no file chosen: the stored one stays
    assert Answer.objects.get(pk=first.pk).file.name == first.file.name
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {f"q_{key}_remove": "on"})
    assert not Answer.objects.filter(question=questions["letter"]).exists()
    assert not first.file.storage.exists(first.file.name)


@pytest.mark.parametrize(("who", "status"), [("partner_contact", 403), ("outsider", 404)])
def test_only_the_applicant_answers_and_only_the_consortium_reads_files(
    client, request, application, applicant, partner_org, questions, who, status
):
    services.add_partner(
        applicant,
        application,
        partner_org,
        contact=request.getfixturevalue("partner_contact").person,
        currency="EUR",
    )
    answers.save_answers(applicant, application, {questions["letter"].key: _pdf()})
    letter = Answer.objects.get(question=questions["letter"])
    client.force_login(request.getfixturevalue(who))
    url = reverse("grants:answers", args=[application.pk])
    assert client.get(url).status_code == status
    assert client.post(url, _post(questions, need="Mine")).status_code == status
    assert Answer.objects.filter(application=application).count() == 1
    download = client.get(reverse("grants:answer_file", args=[letter.pk]))
    assert download.status_code == (200 if who == "partner_contact" else 404)
    client.logout()
    response = client.get(reverse("grants:answer_file", args=[letter.pk]))
    assert response.status_code == 302  # to sign in


def test_a_missing_required_answer_blocks_submission_and_the_receipt_covers_answers(
    application, applicant, partner_org, partner_contact, countries, questions
):
    application = complete(application, applicant, partner_org, partner_contact, countries)
    with pytest.raises(ValidationError) as refused:
        services.submit(applicant, application)
    text = " ".join(refused.value.messages)
    assert "Answer “Which need does it meet?”." in text
    assert "Answer “Officers trained”." in text
    assert "Which border" not in text  # not required
    answers.save_answers(
        applicant,
        application,
        {questions["need"].key: "Safer roads", questions["letter"].key: _pdf()},
    )
    answers.save_answers(applicant, application, {questions["staff"].key: Decimal(40)})
    submitted = services.submit(applicant, application)
    content = submitted.submitted_content
    assert content["form_version"] == 1
    assert [(a["question"], a["answer"]) for a in content["answers"]] == [
        ("Which need does it meet?", "Safer roads"),
        ("Officers trained", "40"),
        ("Letter of support", "support.pdf"),
    ]
    assert len(content["answers"][2]["file_sha256"]) == 64
    # Submitted, the answers are closed.
    with pytest.raises(PermissionDenied):
        answers.save_answers(applicant, submitted, {questions["need"].key: "Changed"})


def test_a_clarification_can_reopen_the_answers(
    application, applicant, partner_org, partner_contact, countries, questions, secretariat
):
    from liaison.grants import eligibility

    submitted = _submitted(
        application, applicant, partner_org, partner_contact, countries, questions
    )
    eligibility.request_clarification(
        secretariat, submitted, ["answers"], "Say more about the need."
    )
    submitted = Application.objects.get(pk=submitted.pk)
    answers.save_answers(applicant, submitted, {questions["need"].key: "Safer green border"})
    assert Answer.objects.get(question=questions["need"]).text == "Safer green border"


def test_the_application_page_reads_the_form_in_few_queries(
    client, application, applicant, section, secretariat, django_assert_max_num_queries
):
    for number in range(30):
        question = form_builder.add_question(
            secretariat, section, {"label": f"Question {number}", "kind": QuestionKind.TEXT}
        )
        answers.save_answers(applicant, application, {question.key: f"Answer {number}"})
    client.force_login(applicant)
    with django_assert_max_num_queries(60):
        page = client.get(application.get_absolute_url())
    assert "Answer 29" in page.content.decode()


def test_a_text_file_answer_round_trips(application, applicant, section, secretariat):
    question = form_builder.add_question(
        secretariat,
        section,
        {"label": "Annex", "kind": QuestionKind.FILE, "file_types": "txt", "required": False},
    )
    upload = SimpleUploadedFile("annex.txt", "Grüße\n".encode())
    answers.save_answers(applicant, application, {question.key: upload})
    answer = Answer.objects.get(question=question)
    with answer.file.open("rb") as handle:
        assert io.BytesIO(handle.read()).read().decode() == "Grüße\n"


def test_a_date_a_country_and_an_organisation_are_answered_and_read_back(
    client, application, applicant, section, secretariat, partner_org
):
    kinds = {
        "start": QuestionKind.DATE,
        "country": QuestionKind.COUNTRY,
        "ally": QuestionKind.ORGANISATION,
    }
    made = {
        name: form_builder.add_question(secretariat, section, {"label": name, "kind": kind})
        for name, kind in kinds.items()
    }
    client.force_login(applicant)
    url = reverse("grants:answers", args=[application.pk])
    response = client.post(url, _post(made, start="2027-03-01", country="XX", ally=partner_org.pk))
    assert response.status_code == 200  # no such country: nothing saved
    assert not Answer.objects.exists()
    response = client.post(url, _post(made, start="2027-03-01", country="RS", ally=partner_org.pk))
    assert response.status_code == 302
    page = client.get(application.get_absolute_url()).content.decode()
    assert "2027-03-01" in page and "Serbia" in page and partner_org.name in page


def test_a_removed_question_takes_its_answers_and_files_with_it(
    application, applicant, questions, secretariat, django_capture_on_commit_callbacks
):
    answers.save_answers(applicant, application, {questions["letter"].key: _pdf()})
    stored = Answer.objects.get(question=questions["letter"])
    with django_capture_on_commit_callbacks(execute=True):
        form_builder.remove_question(secretariat, questions["letter"])
    assert not Answer.objects.exists()
    assert not stored.file.storage.exists(stored.file.name)


def test_removing_a_section_or_a_question_asks_first(client, call, questions, secretariat):
    client.force_login(secretariat)
    page = client.get(reverse("grants:form_builder", args=[call.reference])).content.decode()
    assert page.count('data-confirm="Remove this section with its questions') == 1
    assert page.count('data-confirm="Remove this question and the drafts’ answers') == len(
        questions
    )


def test_a_number_answer_is_offered_back_as_it_was_typed(client, application, applicant, questions):
    client.force_login(applicant)
    url = reverse("grants:answers", args=[application.pk])
    client.post(url, _post(questions, need="More patrols", staff="40"))
    assert Answer.objects.get(question=questions["staff"]).number == Decimal(40)
    page = client.get(url).content.decode()
    name = f"q_{questions['staff'].key}"
    assert f'name="{name}" value="40"' in page
    assert "40.0000" not in page
