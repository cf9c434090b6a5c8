"""The certificate as a printable A4 landscape PDF with a QR code to check it.

It prints what the certificate copied when it was issued (holder, course, modules, hours), so
a reprint years later says the same. The QR code holds the public verification address; the
code is printed beside it for those who type it in. The fonts are the DejaVu Sans files the
events report uses (from npm), so names in Cyrillic, Greek or Turkish print as written. A
revoked certificate still prints, marked revoked across the page.
"""

import io

import segno
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from fpdf import FPDF
from fpdf.enums import XPos, YPos

from liaison.events.report import FONT_FILES, font_path

from .models import Certificate

BLUE = (31, 78, 153)
GREY = (90, 90, 90)
RED = (180, 30, 30)
QR_SIZE = 38  # millimetres


def _day(value) -> str:
    return formats.date_format(value, "j F Y")


def qr_png(url: str) -> bytes:
    """The QR code of ``url`` as a PNG image, black on white with the standard quiet zone."""
    buffer = io.BytesIO()
    segno.make(url, error="m", micro=False).save(buffer, kind="png", scale=8, border=4)
    return buffer.getvalue()


class CertificatePDF(FPDF):
    FONT = "DejaVu"

    def __init__(self, certificate: Certificate):
        super().__init__(orientation="landscape", format="A4")
        for style in FONT_FILES:
            self.add_font(self.FONT, style, str(font_path(style)))
        self.set_title(_("Certificate %(code)s") % {"code": certificate.code})
        self.set_creator("Liaison")
        self.set_auto_page_break(auto=False)
        self.set_margins(24, 20, 24)
        self.revoked_label = (
            (_("Revoked on %(date)s") % {"date": _day(certificate.revoked_at)}).upper()
            if certificate.revoked_at
            else ""
        )

    def footer(self):
        """A revoked certificate still prints, with the date it was revoked across each page."""
        if not self.revoked_label:
            return
        with self.rotation(20, self.w / 2, self.h / 2):
            self.set_xy(0, self.h / 2 - 10)
            self.set_font(self.FONT, "B", 40)
            self.set_text_color(*RED)
            self.cell(self.w, 20, self.revoked_label, align="C")
            self.set_text_color(0)

    def centred(self, text: str, size: float, *, bold: bool = False, colour=(0, 0, 0), gap=2):
        self.set_font(self.FONT, "B" if bold else "", size)
        self.set_text_color(*colour)
        self.multi_cell(0, size * 0.45, text, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_text_color(0)
        self.ln(gap)


def build(certificate: Certificate) -> bytes:
    """The PDF of ``certificate``."""
    course = certificate.enrolment.course
    pdf = CertificatePDF(certificate)
    pdf.add_page()
    pdf.set_draw_color(*BLUE)
    pdf.set_line_width(1.2)
    pdf.rect(10, 10, pdf.w - 20, pdf.h - 20)
    pdf.set_line_width(0.3)
    pdf.rect(13, 13, pdf.w - 26, pdf.h - 26)

    pdf.set_y(22)
    pdf.centred(course.centre.name, 13, bold=True, colour=BLUE, gap=4)
    pdf.centred(_("Certificate of completion"), 26, bold=True, gap=5)
    pdf.centred(_("This certifies that"), 12, colour=GREY)
    pdf.centred(certificate.holder_name, 24, bold=True, gap=3)
    pdf.centred(_("has completed the course"), 12, colour=GREY)
    pdf.centred(certificate.course_title, 17, bold=True, gap=1)
    dates = (
        _day(course.starts_on)
        if course.starts_on == course.ends_on
        else f"{_day(course.starts_on)} – {_day(course.ends_on)}"
    )
    pdf.centred(
        _("%(dates)s · %(hours)s hours")
        % {"dates": dates, "hours": formats.number_format(certificate.hours, 1)},
        11,
        colour=GREY,
        gap=4,
    )

    # The modules go under the course when they fit above the dates, else on a second page.
    modules = certificate.modules or []
    overleaf = False
    if modules:
        pdf.set_auto_page_break(auto=False, margin=48)  # the room kept for dates and QR code
        with pdf.offset_rendering() as trial:
            _modules_table(trial, modules)
        overleaf = trial.page_break_triggered
        if overleaf:
            pdf.centred(
                ngettext(
                    "%(count)d module, listed overleaf.",
                    "%(count)d modules, listed overleaf.",
                    len(modules),
                )
                % {"count": len(modules)},
                11,
                colour=GREY,
            )
        else:
            _modules_table(pdf, modules)

    # Dates and code, bottom left; the QR code, bottom right.
    bottom = pdf.h - 22
    pdf.set_xy(pdf.l_margin, bottom - 22)
    pdf.set_font(pdf.FONT, "", 10)
    lines = [_("Issued on %(date)s") % {"date": _day(certificate.issued_on)}]
    if certificate.valid_until:
        lines.append(_("Valid until %(date)s") % {"date": _day(certificate.valid_until)})
    lines.append(_("Certificate code: %(code)s") % {"code": certificate.code})
    lines.append(
        _("Check it at %(url)s or scan the code.") % {"url": certificate.verification_url()}
    )
    for line in lines:
        pdf.cell(0, 5.5, line, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.image(
        io.BytesIO(qr_png(certificate.verification_url())),
        x=pdf.w - pdf.r_margin - QR_SIZE,
        y=bottom - QR_SIZE + 4,
        w=QR_SIZE,
        h=QR_SIZE,
    )

    if overleaf:
        pdf.add_page()
        pdf.set_auto_page_break(auto=True, margin=20)
        pdf.set_y(20)
        pdf.centred(
            _("Modules of %(course)s") % {"course": certificate.course_title}, 13, bold=True
        )
        pdf.centred(
            _("Certificate code: %(code)s") % {"code": certificate.code}, 10, colour=GREY, gap=4
        )
        _modules_table(pdf, modules)
    return bytes(pdf.output())


def _modules_table(pdf: FPDF, modules: list[dict]):
    pdf.set_font(CertificatePDF.FONT, "", 9)
    with pdf.table(
        width=pdf.epw * 0.85,
        col_widths=(22, 80, 16, 14, 52),
        align="CENTER",
        text_align=("LEFT", "LEFT", "CENTER", "RIGHT", "LEFT"),
        line_height=4.6,
        padding=1,
        borders_layout="HORIZONTAL_LINES",
    ) as table:
        header = table.row()
        for heading in (_("Code"), _("Module"), _("Version"), _("Hours"), _("Accreditation")):
            header.cell(heading)
        for module in modules:
            row = table.row()
            row.cell(module.get("code", ""))
            row.cell(module.get("title", ""))
            row.cell(module.get("version", ""))
            row.cell(module.get("hours", ""))
            accredited_by = module.get("accredited_by", "")
            row.cell(_("Accredited by %(body)s") % {"body": accredited_by} if accredited_by else "")
