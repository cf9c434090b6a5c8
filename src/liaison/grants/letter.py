"""The decision letter of an application, as a PDF.

It says what ``award.letter_facts`` says, and nothing else: the outcome and why, the
consolidated score, the rank and the grant, and the comment the evaluation shared with the
applicant. The reviewers' own comments, scores and names never reach it: they were written for
the committee, and an applicant who knew its reviewers could press them in the next call. It
uses the events report's page layout and fonts, like the receipt.
"""

from django.utils import formats
from django.utils.translation import gettext as _

from liaison.events.report import ReportPDF


def _money(value, currency: str) -> str:
    return f"{formats.number_format(value, 2, force_grouping=True)} {currency}"


def letter_pdf(application, facts: dict) -> bytes:
    call = application.call
    title = _("Decision on application %(reference)s") % {"reference": application.reference}
    decided = facts["decided_at"].strftime("%Y-%m-%d")
    pdf = ReportPDF(title, decided)
    pdf.add_page()
    pdf.heading(title, 16)
    rows = [
        (_("Call"), f"{call.reference} – {call.title}"),
        (_("Lot"), str(application.lot)),
        (_("Title"), application.title),
        (_("Acronym"), application.acronym),
        (_("Decided on"), decided),
        (_("Outcome"), str(facts["status"])),
        (
            _("Score"),
            formats.number_format(facts["score"], 2) if facts["score"] is not None else "",
        ),
        (_("Rank"), str(facts["rank"]) if facts["rank"] is not None else ""),
    ]
    if facts["grant"] is not None:
        rows.append((_("Grant awarded"), _money(facts["grant"], facts["currency"])))
    pdf.facts(rows)
    pdf.paragraph(str(facts["explanation"]))
    if facts["shared_comment"]:
        pdf.heading(_("The evaluation's comments"))
        pdf.paragraph(facts["shared_comment"])
    pdf.heading(_("What follows"))
    if facts["grant"] is not None:
        pdf.paragraph(
            _(
                "The secretariat will contact you to prepare the grant agreement. The project "
                "starts on the date the agreement sets."
            )
        )
    else:
        pdf.paragraph(
            _("The letter and the application remain on the application's page in Liaison.")
        )
    return bytes(pdf.output())
