"""The receipt of a submitted application, as a PDF.

It prints what was submitted (the stored content, not the application as it may later be
reopened for a clarification), the server's time in the call's zone and the SHA-256 hash of
that content, so applicant and secretariat can prove what was received and when. It uses the
events report's page layout and fonts, so names in any of the region's scripts print as written.
"""

from django.utils import formats
from django.utils.translation import gettext as _

from liaison.events.report import ReportPDF


def _money(value: str, currency: str) -> str:
    return f"{formats.number_format(value, 2, force_grouping=True)} {currency}"


def receipt_pdf(application) -> bytes:
    call = application.call
    content = application.submitted_content or {}
    submitted = call.local(application.submitted_at)
    stamp = f"{submitted:%Y-%m-%d %H:%M:%S} ({call.timezone})"
    pdf = ReportPDF(
        _("Receipt of application %(reference)s") % {"reference": application.reference}, stamp
    )
    pdf.add_page()
    pdf.heading(
        _("Receipt of application %(reference)s") % {"reference": application.reference}, 16
    )
    pdf.facts(
        [
            (_("Call"), f"{call.reference} – {call.title}"),
            (_("Lot"), str(application.lot)),
            (_("Title"), content.get("title", application.title)),
            (_("Acronym"), content.get("acronym", "")),
            (_("Submitted"), stamp),
            (_("Total"), _money(content.get("total", "0"), content.get("currency", call.currency))),
            (
                _("Co-financing"),
                _money(content.get("co_financing", "0"), content.get("currency", call.currency)),
            ),
            (
                _("Grant requested"),
                _money(content.get("grant_requested", "0"), content.get("currency", call.currency)),
            ),
        ]
    )
    pdf.heading(_("Consortium"))
    for partner in content.get("partners", []):
        role = _("Lead") if partner["role"] == "lead" else _("Partner")
        pdf.paragraph(
            f"{partner['organisation']} ({role}) – "
            + _money(partner["total_in_call_currency"], content.get("currency", call.currency))
        )
    if content.get("answers"):
        pdf.heading(_("Answers to the call's questions"))
        for answer in content["answers"]:
            pdf.paragraph(answer["question"], bold=True)
            pdf.paragraph(answer["answer"] or "–")
    pdf.heading(_("Fingerprint of what was submitted"))
    pdf.paragraph(
        _(
            "SHA-256 of the submitted content, as the facility keeps it. Any change to the "
            "application would give a different value."
        )
    )
    pdf.paragraph(application.receipt_hash, bold=True, size=9)
    return bytes(pdf.output())
