"""Demo documents and questions of a call: its guidelines for applicants (PDF) and a budget
template (XLSX), drawn at demo time from the call's own rules, and the questions demo
applicants asked with the secretariat's published answers (``fixtures/demo.json``, under the
call).

The documents pass the checks of an upload in the admin (``documents.kind_of``) and are stored
under the name it would give them; the questions go through ``questions.ask`` and
``questions.answer_and_publish``, as on the call's page. Each is made once: a document whose
title the call already has, or a question it was already asked, is left as it is.
"""

import io
import math

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from liaison.core.models import User
from liaison.events.report import ReportPDF

from . import documents, questions
from .models import Call, CallDocument, CostCategory, region_label


def _amount(value) -> str:
    return f"{value:,.0f}"


def _regions(codes) -> str:
    return ", ".join(str(region_label(code)) for code in codes) or "any country"


def guidelines_pdf(call: Call) -> bytes:
    """What an applicant reads first: the dates, the lots, who may take part, the budget."""
    opens, closes = call.local(call.opens_at), call.local(call.closes_at)
    title = f"{call.title}: guidelines for applicants"
    pdf = ReportPDF(title, f"{call.reference} · {closes:%Y-%m-%d}")
    pdf.add_page()
    pdf.heading(title, 16)
    pdf.facts(
        [
            ("Call", call.reference),
            ("Opens", f"{opens:%d %B %Y, %H:%M} ({call.timezone})"),
            ("Deadline", f"{closes:%d %B %Y, %H:%M} ({call.timezone})"),
            ("Currency", call.currency),
        ]
    )
    pdf.paragraph(call.description)
    pdf.heading("Lots")
    for lot in call.lots.all():
        pdf.paragraph(str(lot), bold=True)
        pdf.paragraph(
            f"Envelope {_amount(lot.envelope)} {call.currency}. Grants of "
            f"{_amount(lot.min_grant)} to {_amount(lot.max_grant)} {call.currency}, for at "
            f"most {lot.max_duration_months} months. The consortium pays "
            f"{lot.min_co_financing_rate:.0f} to {lot.max_co_financing_rate:.0f}% of the "
            "total cost itself.",
            indent=4,
        )
    pdf.heading("Who may take part")
    pdf.paragraph(
        f"The lead organisation comes from: {_regions(call.lead_regions)}. Partners come "
        f"from: {_regions(call.partner_regions)}. At least {call.min_member_state_partners} "
        "of the consortium's organisations come from EU Member States and at least "
        f"{call.min_partner_country_partners} from partner countries."
    )
    pdf.heading("The budget")
    rates = ", ".join(f"{r.currency} {r.rate:.2f}" for r in call.rates.all())
    pdf.paragraph(
        "Each partner budgets its own share by cost category and project year, in its own "
        "currency; the budget template of this call has the lines to fill in. Amounts are "
        f"converted at the rates of the call (units for one {call.currency}: {rates}). "
        f"Indirect costs are at most {call.indirect_rate:.0f}% of the direct costs and are "
        "computed from them, never entered as a line."
    )
    pdf.heading("How to apply")
    pdf.paragraph(
        "Sign in to Liaison, open the call and choose Apply. Add the partners, let each one "
        "enter its budget, write the work plan and submit before the deadline: a receipt with "
        "the time of submission and a fingerprint of the content is e-mailed to the lead "
        "applicant. Questions are asked on the call's page; every answer is published there "
        "for all applicants."
    )
    return bytes(pdf.output())


def budget_template_xlsx(call: Call) -> bytes:
    """One partner's budget: a row per cost category, a column per project year, with totals
    and the indirect costs as formulas, and the call's exchange rates on a second sheet."""
    longest = max((lot.max_duration_months for lot in call.lots.all()), default=24)
    years = max(math.ceil(longest / 12), 1)
    bold = Font(bold=True)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Budget"
    sheet.append([f"{call.reference}: budget of one partner"])
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append(["Partner", ""])
    sheet.append(["Currency", ""])
    sheet.append([])
    sheet.append(["Cost category", *(f"Year {year}" for year in range(1, years + 1)), "Total"])
    header = sheet.max_row
    for category in CostCategory:
        row = sheet.max_row + 1
        sheet.append(
            [
                str(category.label),
                *([0] * years),
                f"=SUM(B{row}:{get_column_letter(years + 1)}{row})",
            ]
        )
    last = sheet.max_row
    sums = [
        f"=SUM({get_column_letter(c)}{header + 1}:{get_column_letter(c)}{last})"
        for c in range(2, years + 3)
    ]
    sheet.append(["Direct costs", *sums])
    direct = sheet.max_row
    sheet.append(
        [
            f"Indirect costs (at most {call.indirect_rate:.0f}% of direct costs)",
            *(
                f"=ROUND({get_column_letter(c)}{direct}*{call.indirect_rate}/100,2)"
                for c in range(2, years + 3)
            ),
        ]
    )
    sheet.append(["Co-financing by the partner", *([None] * years), 0])
    for row in (header, direct, direct + 1):
        for cell in sheet[row]:
            cell.font = bold
    sheet.column_dimensions["A"].width = 48
    for column in range(2, years + 3):
        sheet.column_dimensions[get_column_letter(column)].width = 14
    rates = workbook.create_sheet("Exchange rates")
    fixed = f" (fixed on {call.rates_fixed_on:%d %B %Y})" if call.rates_fixed_on else ""
    rates.append([f"Units of each currency for one {call.currency}{fixed}"])
    rates["A1"].font = bold
    for rate in call.rates.all():
        rates.append([rate.currency, float(rate.rate)])
    rates.column_dimensions["A"].width = 16
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


MAKERS = {"guidelines.pdf": guidelines_pdf, "budget-template.xlsx": budget_template_xlsx}


def load(call: Call, spec: dict, secretariat) -> tuple[int, int]:
    """The documents and answered questions ``spec`` (the call's entry in the demo data) gives
    ``call``; returns how many documents and questions were added."""
    added = [0, 0]
    for document in spec.get("documents", []):
        if call.documents.filter(title=document["title"]).exists():
            continue
        upload = SimpleUploadedFile(document["file"], MAKERS[document["file"]](call))
        kind = documents.kind_of(upload)
        upload.name = documents.stored_name(upload, kind, document["title"])
        CallDocument.objects.create(call=call, title=document["title"], file=upload)
        added[0] += 1
    for asked in spec.get("questions", []):
        if call.questions.filter(question=asked["question"]).exists():
            continue
        asker = User.objects.get(username=asked["asked_by"])
        question = questions.ask(asker, call, asked["question"])
        questions.answer_and_publish(secretariat, question, asked["answer"])
        added[1] += 1
    return added[0], added[1]
