"""Build part B of the labelled factsheet corpus: b01..b12 plus one label file each.

    /work/main/.venv/bin/python corpus/b_build.py

Writes five PDFs (fpdf2, DejaVu Sans), five Word files (python-docx), one text file in
cp1250 and one in UTF-16 LE with a byte-order mark, and next to each a ``.json`` label holding
the output that the extraction contract (EXTRACTION.md) expects, without provenance. The
projects are fictional; the texts are written for this corpus. Every run gives byte-identical
files: PDF creation dates, Word core properties and the timestamps inside the Word zip
archives are fixed.
"""

import io
import json
import textwrap
import zipfile
from datetime import UTC, datetime
from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt, RGBColor
from fpdf import FPDF
from fpdf.enums import XPos, YPos
from fpdf.fonts import FontFace

HERE = Path(__file__).resolve().parent
FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
FIXED_DATE = datetime(2024, 6, 3, 9, 30, 0, tzinfo=UTC)
ZIP_DATE = (2024, 6, 3, 9, 30, 0)

EU = "European Union"


def paras(text: str) -> list[str]:
    """Paragraphs of a dedented block: blank lines separate them, line breaks become spaces."""
    blocks = textwrap.dedent(text).strip().split("\n\n")
    return [" ".join(line.strip() for line in block.splitlines()) for block in blocks]


def para(text: str) -> str:
    (only,) = paras(text)
    return only


def label(
    *,
    title,
    acronym,
    reference,
    start_date,
    end_date,
    duration_months,
    budget,
    funding_sources,
    countries,
    organisations,
    activity_types,
):
    return {
        "title": title,
        "acronym": acronym,
        "reference": reference,
        "start_date": start_date,
        "end_date": end_date,
        "duration_months": duration_months,
        "budget": None if budget is None else {"amount": budget, "currency": "EUR"},
        "funding_sources": sorted(funding_sources),
        "countries": sorted(countries),
        "organisations": [{"name": name, "role": role} for name, role in organisations],
        "activity_types": sorted(activity_types),
    }


# --------------------------------------------------------------------------------------------
# PDF helpers


class FactsheetPDF(FPDF):
    """A4 page with a running header line and a footer holding a disclaimer and page number."""

    def __init__(self, *, header_text="", footer_text="", page_label="Page {n} of {nb}"):
        super().__init__(orientation="P", unit="mm", format="A4")
        self.header_text = header_text
        self.footer_text = footer_text
        self.page_label = page_label
        if not (FONT_DIR / "DejaVuSans.ttf").exists():
            raise SystemExit(f"DejaVu Sans not found in {FONT_DIR}; install fonts-dejavu-core.")
        self.add_font("DejaVu", "", str(FONT_DIR / "DejaVuSans.ttf"))
        self.add_font("DejaVu", "B", str(FONT_DIR / "DejaVuSans-Bold.ttf"))
        self.add_font("DejaVu", "I", str(FONT_DIR / "DejaVuSans-Oblique.ttf"))
        self.set_creation_date(FIXED_DATE)
        self.set_creator("Liaison corpus builder")
        self.set_margins(18, 20, 18)
        self.set_auto_page_break(True, margin=30)
        self.alias_nb_pages()

    def header(self):
        if not self.header_text:
            return
        self.set_font("DejaVu", "", 7.5)
        self.set_text_color(90, 90, 90)
        self.set_xy(self.l_margin, 9)
        self.cell(0, 4, self.header_text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.line(self.l_margin, 14, self.w - self.r_margin, 14)
        self.set_text_color(0, 0, 0)
        self.set_y(20)

    def footer(self):
        self.set_y(-26)
        self.set_draw_color(160, 160, 160)
        self.line(self.l_margin, self.get_y(), self.w - self.r_margin, self.get_y())
        self.set_font("DejaVu", "I", 6.5)
        self.set_text_color(90, 90, 90)
        if self.footer_text:
            self.multi_cell(0, 3.2, self.footer_text, align="L")
        self.set_font("DejaVu", "", 7)
        label_text = self.page_label.format(n=self.page_no(), nb="{nb}")
        self.cell(0, 4, label_text, align="R")
        self.set_text_color(0, 0, 0)

    # Small text helpers ---------------------------------------------------------------------

    def heading(self, text, size=12, space_before=3):
        self.ln(space_before)
        self.set_font("DejaVu", "B", size)
        self.multi_cell(0, size * 0.5, text, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(1.5)

    def paragraph(self, text, size=9.5, align="J", style=""):
        self.set_font("DejaVu", style, size)
        self.multi_cell(0, size * 0.5, text, align=align, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(2)

    def bullet(self, text, size=9.5, mark="•", indent=5):
        self.set_font("DejaVu", "", size)
        x = self.l_margin
        self.set_x(x)
        self.cell(indent, size * 0.5, mark)
        self.multi_cell(0, size * 0.5, text, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(1)

    def kv_line(self, key, value, size=9.5):
        self.set_font("DejaVu", "B", size)
        self.write(size * 0.5, f"{key}: ")
        self.set_font("DejaVu", "", size)
        self.write(size * 0.5, value)
        self.ln(size * 0.5 + 1.2)


def save_pdf(pdf: FPDF, path: Path, *, title: str, author: str) -> None:
    pdf.set_title(title)
    pdf.set_author(author)
    pdf.set_subject("Project factsheet")
    path.write_bytes(bytes(pdf.output()))


# --------------------------------------------------------------------------------------------
# Word helpers


def new_docx(header_text: str, footer_text: str) -> Document:
    doc = Document()
    normal = doc.styles["Normal"]
    normal.font.name = "Calibri"
    normal.font.size = Pt(10.5)
    section = doc.sections[0]
    head = section.header.paragraphs[0]
    head.text = header_text
    head.runs[0].font.size = Pt(8)
    head.runs[0].font.color.rgb = RGBColor(0x55, 0x55, 0x55)
    foot = section.footer.paragraphs[0]
    foot.text = footer_text
    foot.alignment = WD_ALIGN_PARAGRAPH.CENTER
    foot.runs[0].font.size = Pt(8)
    return doc


def kv_paragraph(doc, key: str, value: str):
    p = doc.add_paragraph()
    p.add_run(f"{key}: ").bold = True
    p.add_run(value)
    return p


def kv_table(doc, rows):
    table = doc.add_table(rows=0, cols=2)
    table.style = "Table Grid"
    for key, value in rows:
        cells = table.add_row().cells
        cells[0].text = key
        cells[0].paragraphs[0].runs[0].bold = True
        lines = value.split("\n")
        cells[1].text = lines[0]
        for line in lines[1:]:
            cells[1].add_paragraph(line)
    return table


def save_docx(doc, path: Path, *, title: str, author: str) -> None:
    props = doc.core_properties
    props.title = title
    props.author = author
    props.last_modified_by = author
    props.subject = "Project factsheet"
    props.comments = ""
    props.keywords = ""
    props.revision = 1
    naive = FIXED_DATE.replace(tzinfo=None)
    props.created = naive
    props.modified = naive
    props.last_printed = naive
    buffer = io.BytesIO()
    doc.save(buffer)
    # python-docx stamps every zip member with the current time; rewrite with a fixed one.
    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            member = zipfile.ZipInfo(info.filename, date_time=ZIP_DATE)
            member.compress_type = zipfile.ZIP_DEFLATED
            member.external_attr = 0o644 << 16
            target.writestr(member, source.read(info.filename))
    path.write_bytes(out.getvalue())


# --------------------------------------------------------------------------------------------
# b01: Bulgaria–Türkiye Interreg project, PDF with a key-value table, two pages


def build_b01(path: Path):
    title = (
        "Joint Response to Migrant Smuggling and Trafficking in Human Beings at the "
        "Kapitan Andreevo–Kapıkule Border Crossing"
    )
    lead = "Haskovo Regional Directorate of Ministry of Interior"
    partners = [
        "Regional Directorate of Border Police – Svilengrad",
        "Edirne Provincial Police Directorate",
        "Provincial Directorate of Migration Management of Kırklareli",
    ]
    pdf = FactsheetPDF(
        header_text="Interreg Bulgaria–Türkiye Programme 2021–2027  ·  Project factsheet  ·  "
        "CROSSGUARD",
        footer_text=para(
            f"""
            This factsheet was produced with the financial support of the European Union
            through the Interreg Bulgaria–Türkiye Programme. Its contents are the sole
            responsibility of the {lead} and do not necessarily reflect the views of the
            European Union or of the Managing Authority.
            """
        ),
    )
    pdf.add_page()
    pdf.set_font("DejaVu", "B", 8.5)
    pdf.set_text_color(0, 84, 147)
    pdf.cell(
        0,
        5,
        "PRIORITY 3  ·  A MORE SECURE CROSS-BORDER REGION",
        new_x=XPos.LMARGIN,
        new_y=YPos.NEXT,
    )
    pdf.set_text_color(0, 0, 0)
    pdf.ln(2)
    pdf.set_font("DejaVu", "B", 16)
    pdf.multi_cell(0, 8, title, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(4)
    rows = [
        ("Acronym", "CROSSGUARD"),
        ("Reference number", "BGTR0100014"),
        ("Subsidy contract", "РД-02-29-203/19.12.2023"),
        ("Programme", "Interreg Bulgaria–Türkiye Programme 2021–2027"),
        ("Specific objective", "3.1 – Safer and better managed border areas"),
        ("Lead partner", lead),
        ("Project partners", "\n".join(partners)),
        ("Start date", "14.02.2024"),
        ("Duration", "36 months"),
        ("Total eligible cost", "1.294.880,00 EUR"),
        ("EU co-financing (80 %)", "1.035.904,00 EUR"),
    ]
    pdf.set_font("DejaVu", "", 9.5)
    with pdf.table(
        col_widths=(48, 126),
        text_align=("LEFT", "LEFT"),
        first_row_as_headings=False,
        line_height=5.5,
        padding=1.5,
    ) as table:
        for key, value in rows:
            row = table.row()
            row.cell(key, style=FontFace(emphasis="BOLD"))
            row.cell(value)
    pdf.ln(4)
    pdf.heading("Project summary")
    for text in paras(
        """
        Kapitan Andreevo and Kapıkule form one of the busiest road crossings on the external
        border of the European Union, with several thousand lorries a day in each direction.
        Smuggling groups hide migrants in the cargo space of trucks and vans, sometimes in
        conditions that put their lives at risk, and trafficking networks use the same route
        to move victims of labour and sexual exploitation.

        CROSSGUARD brings together the regional police and border police structures of Haskovo
        district on the Bulgarian side with the police of Edirne and the migration management
        services of Kırklareli province on the Turkish side. The partners will share
        information on suspicious vehicles and routes, train their staff to the same
        standards, and check traffic together at agreed times, paying particular attention to
        the identification and protection of possible victims of trafficking.
        """
    ):
        pdf.paragraph(text)
    pdf.add_page()
    pdf.heading("Planned activities", space_before=0)
    for number, text in enumerate(
        paras(
            """
            Detection equipment. Two carbon-dioxide detectors, a heartbeat detection system and
            a set of endoscopic cameras will be procured for the inbound lorry lanes, and the
            Turkish partners will receive compatible digital radio sets so that officers on
            both sides can talk to each other directly.

            Joint training. A common curriculum on searching vehicles, recognising indicators
            of trafficking and the rights of persons in need of international protection will
            be taught to about 160 officers from both sides of the border in six two-day
            training sessions.

            Coordinated checks. Four joint control operations on outbound and inbound freight
            traffic will be planned, carried out and evaluated together by the partners.

            Operational contact. Shift commanders on both sides will hold monthly coordination
            meetings, alternating between Svilengrad and Edirne, to go through recent cases
            and agree on the next steps.
            """
        ),
        start=1,
    ):
        pdf.bullet(text, mark=f"{number}.", indent=7)
    pdf.heading("Programme context")
    for text in paras(
        """
        The Interreg Bulgaria–Türkiye Programme supports cooperation between the districts of
        Burgas, Yambol and Haskovo and the provinces of Edirne and Kırklareli. For 2021–2027 it
        has an overall envelope of EUR 33 868 815, of which roughly a quarter is earmarked for
        priority 3.

        CROSSGUARD was presented to the public at the programme's annual event in Burgas on
        22.05.2024.
        """
    ):
        pdf.paragraph(text)
    pdf.heading("Contact", size=10)
    pdf.paragraph(
        f"Project management unit  ·  {lead}  ·  1 Exemplary St., 6300 Haskovo, Bulgaria  ·  "
        "tel. +359 38 000 000  ·  e-mail: crossguard@example.bg",
        size=8.5,
        align="L",
    )
    save_pdf(pdf, path, title=title, author=lead)
    return label(
        title=title,
        acronym="CROSSGUARD",
        reference="BGTR0100014",
        start_date="2024-02-14",
        end_date="2027-02-13",
        duration_months=36,
        budget="1294880.00",
        funding_sources=["Interreg"],
        countries=["BG", "TR"],
        organisations=[(lead, "lead")]
        + [(name, "partner") for name in partners]
        + [(EU, "funder")],
        activity_types=["equipment", "joint_operation", "meeting", "training"],
    )


# --------------------------------------------------------------------------------------------
# b02: document fraud, Georgia and Armenia, PDF with two columns


def build_b02(path: Path):
    title = "Strengthening Document Examination Capacities of Border Police in Georgia and Armenia"
    lead_full = (
        "State Border Guard Service at the Ministry of the Interior of the Republic of Lithuania"
    )
    collaborator = "Forensic Science Centre of Lithuania"
    beneficiaries = [
        "Georgian Border Police",
        "Border Guard Troops of the National Security Service of Armenia",
    ]
    pdf = FactsheetPDF(
        header_text="EU-funded action  ·  Integrated Border Management  ·  Document security",
        footer_text=para(
            """
            Funded by the European Union. Views and opinions expressed are those of the
            author(s) only and do not necessarily reflect those of the European Union. Neither
            the European Union nor the granting authority can be held responsible for them.
            """
        ),
        page_label="{n}/{nb}",
    )
    pdf.add_page()
    pdf.set_font("DejaVu", "B", 15)
    pdf.multi_cell(0, 7.5, title, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font("DejaVu", "B", 11)
    pdf.set_text_color(150, 30, 30)
    pdf.cell(0, 7, "DOCEX-SC", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_text_color(0, 0, 0)
    pdf.ln(3)
    top = pdf.get_y()
    left_x, left_w = pdf.l_margin, 58
    right_x = left_x + left_w + 8
    right_w = pdf.w - pdf.r_margin - right_x

    facts = [
        ("KEY FACTS", None),
        ("Grant agreement No.", "101091872"),
        ("Lead applicant", f"{lead_full} (SBGS)"),
        ("In collaboration with", collaborator),
        ("Beneficiaries", "\n".join(beneficiaries)),
        ("Start", "03.10.2022"),
        ("Duration", "20 months"),
        ("Budget", "EUR 387,210.60"),
        ("Fund", "Internal Security Fund – Borders and Visa"),
    ]
    pdf.set_fill_color(238, 242, 247)
    pdf.rect(left_x - 2, top - 2, left_w + 4, 150, style="F")
    for key, value in facts:
        pdf.set_x(left_x)
        if value is None:
            pdf.set_font("DejaVu", "B", 10)
            pdf.multi_cell(left_w, 6, key, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            continue
        pdf.set_font("DejaVu", "B", 8)
        pdf.multi_cell(left_w, 4, key, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.set_x(left_x)
        pdf.set_font("DejaVu", "", 8.5)
        pdf.multi_cell(left_w, 4.3, value, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.ln(2)

    def right_heading(text):
        pdf.set_x(right_x)
        pdf.set_font("DejaVu", "B", 10)
        pdf.multi_cell(right_w, 6, text, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def right_text(text, mark=None):
        pdf.set_font("DejaVu", "", 9)
        if mark:
            pdf.set_x(right_x)
            pdf.cell(4, 4.6, mark)
            pdf.multi_cell(right_w - 4, 4.6, text, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        else:
            pdf.set_x(right_x)
            pdf.multi_cell(right_w, 4.6, text, align="J", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.ln(1.5)

    pdf.set_y(top)
    right_heading("THE CHALLENGE")
    right_text(
        para(
            """
            Checkpoints on the Georgian and Armenian borders, including the land crossings with
            Türkiye and the international airports of Tbilisi and Yerevan, regularly detect
            counterfeit and fraudulently obtained passports, visas and residence permits, many
            of them meant for later travel to the Schengen area. First-line officers, however,
            often work without magnification or proper light sources and rarely hear about new
            forgery techniques before they meet them at the counter.
            """
        )
    )
    right_heading("WHAT WE DO")
    for text in paras(
        """
        Train-the-trainer courses in Tbilisi and Yerevan for 24 document experts, who then pass
        the knowledge on to first-line officers at their own checkpoints.

        Delivery of twelve document examination workstations (magnifiers, UV and infrared light
        sources, access to reference databases) to the busiest first-line checkpoints.

        A bilingual e-learning course on the security features of EU travel documents, hosted
        on the beneficiaries' own learning management systems.

        A study visit for senior officers to the Frontex Centre of Excellence for Combating
        Document Fraud in Warsaw, Poland.

        A regional workshop in the final project month to agree on a common alert format for
        newly detected forgeries.
        """
    ):
        right_text(text, mark="•")
    right_heading("EXPECTED RESULTS")
    right_text(
        para(
            """
            By the end of the action each beneficiary will have a pool of certified document
            trainers, better-equipped first-line control and a direct channel for sharing
            alerts on new forgeries with the Lithuanian partners and with each other.
            """
        )
    )
    pdf.set_y(max(pdf.get_y(), top + 152))
    pdf.set_font("DejaVu", "", 8)
    pdf.multi_cell(
        0,
        4,
        "Project manager: Rūta Kazlauskienė  ·  tel. +370 5 000 0000  ·  docex@example.lt  ·  "
        "Savanorių pr. 2, LT-00000 Vilnius",
        align="L",
        new_x=XPos.LMARGIN,
        new_y=YPos.NEXT,
    )
    save_pdf(pdf, path, title=title, author="SBGS")
    return label(
        title=title,
        acronym="DOCEX-SC",
        reference="101091872",
        start_date="2022-10-03",
        end_date="2024-06-02",
        duration_months=20,
        budget="387210.60",
        funding_sources=["ISF-Borders and Visa"],
        countries=["AM", "GE", "LT"],
        organisations=[(lead_full, "lead"), (collaborator, "partner")]
        + [(name, "beneficiary") for name in beneficiaries]
        + [(EU, "funder")],
        activity_types=["e_learning", "equipment", "study_visit", "training", "workshop"],
    )


# --------------------------------------------------------------------------------------------
# b03: Western Balkans IBM, IPA II, three-page PDF with headings and paragraphs


def build_b03(path: Path):
    title = (
        "Regional Programme on Integrated Border Management and Document Security in the "
        "Western Balkans – Phase II"
    )
    implementer = "International Centre for Migration Policy Development"
    partners = ["Slovenian Police", "Hungarian Police"]
    beneficiaries = [
        "Albanian State Police, Border and Migration Department",
        "Border Police of Bosnia and Herzegovina",
        "Kosovo Border Police",
        "Border Police Sector of the Police Directorate of Montenegro",
        "Border Police of FYROM",
        "Border Police Directorate of the Ministry of Interior of the Republic of Serbia",
    ]
    pdf = FactsheetPDF(
        header_text="BorderSec WB II  ·  Factsheet  ·  update of November 2019",
        footer_text=para(
            f"""
            This publication has been produced with the assistance of the European Union. Its
            contents are the sole responsibility of {implementer} and can in no way be taken to
            reflect the views of the European Union.
            """
        ),
        page_label="Page {n}/{nb}",
    )
    pdf.add_page()
    pdf.set_font("DejaVu", "B", 15)
    pdf.multi_cell(0, 7.5, title, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font("DejaVu", "", 11)
    pdf.cell(0, 7, "(BorderSec WB II)", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(3)
    pdf.kv_line("Contract No.", "IPA/2016/381-442")
    pdf.kv_line("Donor", EU)
    pdf.kv_line(
        "Funding instrument",
        "Instrument for Pre-accession Assistance (IPA II), multi-country action programme 2016",
    )
    pdf.kv_line("Implemented by", f"{implementer} (ICMPD)")
    pdf.kv_line(
        "Implementation period",
        "1 January 2017 – 30 June 2020 (42 months, including a six-month no-cost extension)",
    )
    pdf.kv_line("Total budget", "EUR 5 822 529.75")
    pdf.kv_line("EU contribution", "EUR 5 500 000.00")
    pdf.heading("1. Background")
    for text in paras(
        """
        Phase I of the programme, implemented from March 2014 to December 2016 with an EU grant
        of EUR 3.2 million, helped the border police services of the region to adopt national
        integrated border management strategies and to open the first joint contact centres.
        It also showed that investment in people lasts longer when it is matched by common
        procedures and by equipment that is actually maintained.

        Phase II shifts the focus from strategy to daily practice at the border: how documents
        are checked, how risk information circulates between neighbouring services, and how
        officers are trained and kept in the service once trained.
        """
    ):
        pdf.paragraph(text)
    pdf.heading("2. Timeline")
    pdf.paragraph(
        para(
            """
            The action was originally planned for 36 months, ending on 31 December 2019.
            Delays in the procurement of equipment led the Contracting Authority to approve a
            no-cost extension of six months, so activities will now be completed by
            30 June 2020.
            """
        )
    )
    pdf.add_page()
    pdf.heading("3. Who takes part", space_before=0)
    pdf.paragraph("Beneficiary institutions:", style="B")
    for name in beneficiaries:
        pdf.bullet(name + ("*" if name.startswith("Kosovo") else ""))
    pdf.paragraph(
        para(
            f"""
            ICMPD implements the programme in partnership with the {partners[0]} and the
            {partners[1]}, which second experienced border officers to act as trainers and
            mentors throughout the region.
            """
        )
    )
    pdf.paragraph(
        para(
            """
            * This designation does not prejudge positions on status and is in line with
            UNSCR 1244/1999 and the ICJ Opinion on the Kosovo declaration of independence.
            """
        ),
        size=7.5,
        align="L",
    )
    pdf.heading("4. Components")
    components = [
        (
            "4.1 Assessment and planning",
            """
            At the start of Phase II a needs assessment was carried out in each beneficiary
            institution, covering staffing, training systems, document examination capacity and
            the state of equipment at 38 border crossing points. Its findings set the priorities
            for all later components.
            """,
        ),
        (
            "4.2 Training",
            """
            A modular curriculum on document examination, profiling and risk analysis is
            delivered through train-the-trainer courses, after which national trainers teach the
            modules in their own academies. By the end of 2019, 64 national trainers had been
            certified.
            """,
        ),
        (
            "4.3 Equipment",
            """
            Selected border crossing points receive document examination devices, passport
            readers and mobile inspection kits, together with maintenance contracts for the
            first two years.
            """,
        ),
        (
            "4.4 Operational cooperation",
            """
            Neighbouring border police services plan and carry out joint operations at common
            border crossing points during the summer season, with officers from both sides
            working at the same booth. A programme of staff exchanges lets officers spend up to
            two weeks with a neighbouring service, and study visits to the border police of
            Slovenia and Hungary show how EU standards are applied at the external border.
            """,
        ),
        (
            "4.5 Regional dialogue",
            """
            Each year the heads of the border police services meet at a regional conference to
            review progress and agree on joint priorities; the 2018 conference took place in
            Budva and the 2019 conference in Ohrid.
            """,
        ),
    ]
    for heading, text in components:
        pdf.heading(heading, size=10, space_before=1)
        pdf.paragraph(para(text))
    pdf.add_page()
    pdf.heading("5. Next steps", space_before=0)
    pdf.paragraph(
        para(
            """
            The closing ceremony of Phase II is planned for June 2020 in Belgrade. A possible
            Phase III is under discussion with the European Commission.
            """
        )
    )
    pdf.heading("Contact", size=10)
    pdf.paragraph(
        f"{implementer}, Gonzagagasse 1, 1010 Vienna, Austria  ·  Tel. +43 1 000 0000  ·  "
        "bordersec@example.org",
        size=8.5,
        align="L",
    )
    save_pdf(pdf, path, title=title, author="ICMPD")
    return label(
        title=title,
        acronym="BorderSec WB II",
        reference="IPA/2016/381-442",
        start_date="2017-01-01",
        end_date="2020-06-30",
        duration_months=42,
        budget="5822529.75",
        funding_sources=["IPA"],
        countries=["AL", "BA", "HU", "ME", "MK", "RS", "SI", "XK"],
        organisations=[(EU, "funder"), (implementer, "implementer")]
        + [(name, "partner") for name in partners]
        + [(name, "beneficiary") for name in beneficiaries],
        activity_types=[
            "conference",
            "equipment",
            "exchange_of_staff",
            "joint_operation",
            "needs_assessment",
            "study_visit",
            "training",
        ],
    )


# --------------------------------------------------------------------------------------------
# b04: anti-smuggling network, Eastern Partnership, PDF web-page style with a news box


def build_b04(path: Path):
    title = "Building a Network of Anti-Smuggling Investigators in the Eastern Partnership"
    implementer = "International Centre for Migration Policy Development"
    nominating = "Ministry of the Interior of the Czech Republic"
    collaborators = [
        "Foreign Police Service of the Police of the Czech Republic",
        "Lithuanian Criminal Police Bureau",
    ]
    pdf = FactsheetPDF(
        header_text="Migration Partnership Facility  ·  Borders & Security portfolio",
        footer_text=para(
            """
            Funded by the European Union. This page was prepared by ICMPD; its content does not
            necessarily reflect the official position of the European Union.
            """
        ),
        page_label="Page {n}",
    )
    pdf.add_page()
    pdf.set_font("DejaVu", "B", 9)
    pdf.set_text_color(0, 110, 80)
    pdf.cell(0, 5, "POLICE COOPERATION", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_text_color(0, 0, 0)
    pdf.set_font("DejaVu", "B", 15)
    pdf.multi_cell(0, 7.5, title, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.heading("About the Project", size=11)
    pdf.paragraph(
        para(
            """
            Smuggling networks that move migrants from the South Caucasus and the wider Black
            Sea region towards the EU work across several jurisdictions at once, while the
            investigators who pursue them rarely know their counterparts abroad. This project
            sets up a standing network of specialised anti-smuggling investigators from the six
            Eastern Partnership countries and links it to experienced units in the Czech
            Republic and Lithuania.
            """
        )
    )
    pdf.paragraph(
        para(
            f"""
            The action is implemented by the {implementer} (ICMPD) on behalf of the nominating
            Member State authority, the {nominating}, in collaboration with the
            {collaborators[0]} and the {collaborators[1]}.
            """
        )
    )
    pdf.ln(1)
    pdf.kv_line("Countries", "Czech Republic, Lithuania and the Eastern Partnership countries")
    pdf.kv_line("Duration", "January 2020 - December 2021")
    pdf.kv_line("Budget", "EUR 298,760.15 (ISF-Police)")
    pdf.heading("Activities", size=11)
    for heading, text in [
        (
            "Regional mapping study",
            """
            A small research team reviews closed case files and interviews investigators to map
            the routes, methods and money flows used by smuggling groups. The restricted report
            serves as the network's baseline.
            """,
        ),
        (
            "Investigators' workshops",
            """
            Three regional workshops let investigators work through real cases together, from
            the first intelligence to the request for mutual legal assistance.
            """,
        ),
        (
            "Specialised training",
            """
            Courses on financial investigations and open-source intelligence give network
            members tools they can use in their own cases the following week.
            """,
        ),
        (
            "Online sessions",
            """
            When travel became impossible in spring 2020, the network switched to monthly online
            sessions in which investigators discussed ongoing cases and shared alerts. The
            format was kept after the restrictions eased.
            """,
        ),
        (
            "Network meetings",
            """
            Twice a year the national contact points meet in person to agree on joint
            priorities and on the network's rules of procedure.
            """,
        ),
    ]:
        pdf.heading(heading, size=9.5, space_before=0.5)
        pdf.paragraph(para(text))
    pdf.paragraph(
        "The project was launched at a public event in Prague on 4 February 2020.", style="I"
    )
    pdf.ln(2)
    box_top = pdf.get_y()
    pdf.set_fill_color(242, 242, 242)
    pdf.set_font("DejaVu", "B", 10)
    pdf.cell(0, 7, "  LATEST NEWS", fill=True, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font("DejaVu", "", 8.5)
    for date, text in [
        (
            "12.03.2021",
            "MPF opens a call for proposals on borders and security with EUR 4.5 million available",
        ),
        ("30.11.2021", "MPF grantees meet at the annual exchange event in Brussels, Belgium"),
        ("05.01.2022", "New project on migrant integration starts in Portugal and Cabo Verde"),
    ]:
        pdf.multi_cell(
            0,
            5,
            f"  {date}  |  {text}",
            fill=True,
            align="L",
            new_x=XPos.LMARGIN,
            new_y=YPos.NEXT,
        )
    pdf.rect(pdf.l_margin, box_top, pdf.w - pdf.l_margin - pdf.r_margin, pdf.get_y() - box_top)
    save_pdf(pdf, path, title=title, author="ICMPD")
    return label(
        title=title,
        acronym=None,
        reference=None,
        start_date="2020-01-01",
        end_date="2021-12-31",
        duration_months=24,
        budget="298760.15",
        funding_sources=["ISF-Police"],
        countries=["AM", "AZ", "BY", "CZ", "GE", "LT", "MD", "UA"],
        organisations=[(implementer, "implementer"), (nominating, "nominating")]
        + [(name, "partner") for name in collaborators]
        + [(EU, "funder")],
        activity_types=["meeting", "online_session", "research", "training", "workshop"],
    )


# --------------------------------------------------------------------------------------------
# b05: trafficking, Netherlands–Tunisia, PDF of pure prose (a newsletter article)


def build_b05(path: Path):
    title = "Protecting Victims of Trafficking along the Central Mediterranean Route"
    lead = "Immigration and Naturalisation Service"
    partner = "Instance Nationale de Lutte contre la Traite des Personnes"
    collaborator = "Italian Ministry of the Interior"
    pdf = FactsheetPDF(
        header_text="Migration & Security Newsletter  ·  issue 31",
        footer_text="",
        page_label="Migration & Security Newsletter  ·  page {n}",
    )
    pdf.add_page()
    pdf.set_font("DejaVu", "B", 17)
    pdf.multi_cell(
        0,
        8.5,
        "Dutch and Tunisian authorities join forces to identify victims of trafficking",
        align="L",
        new_x=XPos.LMARGIN,
        new_y=YPos.NEXT,
    )
    pdf.set_font("DejaVu", "I", 8.5)
    pdf.cell(0, 6, "Published 14 September 2022", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(3)
    for text in paras(
        f"""
        From March 2020 to August 2022, the {lead} (IND) of the Netherlands coordinated a
        project called “{title}”, known by its acronym PROTECT-MED. The idea was simple to
        state and hard to carry out: help Tunisian officials recognise victims of trafficking
        among migrants rescued at sea or staying in reception centres, and make sure that each
        person identified is referred to a shelter, to medical care and to legal advice.

        The IND did not work alone. Its partner was the {partner} (INLTP), Tunisia's national
        anti-trafficking authority, and the project was run in collaboration with the
        {collaborator}, whose officers have long experience of identification at disembarkation
        points in Sicily and Calabria.

        Many of the people who reached Tunisian shores in those years had spent months in
        Libya, where forced labour and debt bondage are widespread, and most hoped to continue
        to Europe. Front-line officers were often the first officials they met, and sometimes
        the only ones.

        The first months were spent listening. Researchers hired by the project interviewed
        more than 150 migrants and 60 officials and went through court files, producing a study
        of how recruiters operate and why so few victims are identified. The pandemic slowed
        this work down, but the study appeared in early 2021.

        Building on its findings, the partners designed a course on identification interviews
        and referral. More than 200 coast guard officers, labour inspectors and social workers
        were trained, first in small groups led by the project's experts and later by Tunisian
        trainers who had themselves completed the course.

        Three workshops brought together prosecutors and judges from Tunis, Sfax and Medenine
        to discuss how victims' statements can be used in court without exposing them to
        further risk. Staff exchanges completed the picture: four INLTP case officers spent
        three weeks with the IND's anti-trafficking unit, and two Dutch case managers worked
        alongside their Tunisian colleagues in Tunis for a month.

        The European Union paid for PROTECT-MED from the Asylum, Migration and Integration
        Fund (AMIF). Its grant of EUR 745,000 covered the full cost of the action. The project
        was one of eleven chosen under a call for proposals with a total of EUR 10 million on
        offer.

        At the closing ceremony in Tunis on 6 July 2022, the final report was handed to the
        president of the INLTP. A follow-up action for 2023–2025 is now being discussed.
        """
    ):
        pdf.paragraph(text, size=10)
    save_pdf(pdf, path, title="Dutch and Tunisian authorities join forces", author="Newsletter")
    return label(
        title=title,
        acronym="PROTECT-MED",
        reference=None,
        start_date="2020-03-01",
        end_date="2022-08-31",
        duration_months=30,
        budget="745000.00",
        funding_sources=["AMIF"],
        countries=["IT", "NL", "TN"],
        organisations=[
            (lead, "lead"),
            (partner, "partner"),
            (collaborator, "partner"),
            (EU, "funder"),
        ],
        activity_types=["exchange_of_staff", "research", "training", "workshop"],
    )


# --------------------------------------------------------------------------------------------
# b06: Prut border crossings, BMVI, Word file with headings and bullets


def build_b06(path: Path):
    title = "Safer and Smoother Crossings: Modernising Joint Border Checks on the Prut"
    lead = "General Inspectorate of the Romanian Border Police"
    partner = "General Inspectorate of Border Police"
    associated = "Lithuanian State Border Guard Service"
    doc = new_docx(
        "Migration Partnership Facility  ·  Project factsheet",
        f"Contact: Project Implementation Unit, {lead}  ·  Str. Exemplu 10, 010000 Bucharest, "
        "Romania  ·  tel. +40 21 000 00 00  ·  prut.check@example.ro",
    )
    doc.add_heading(title, level=0)
    doc.add_paragraph("PRUT-CHECK  ·  Reference MPF/BS/2023/05")
    doc.add_heading("Key project information", level=1)
    doc.add_paragraph(
        para(
            """
            PRUT-CHECK is co-funded by the European Union through the Border Management and
            Visa Instrument (BMVI) and contracted by ICMPD in the framework of the Migration
            Partnership Facility.
            """
        )
    )
    doc.add_paragraph(
        para(
            f"""
            The {lead} is the lead partner. It works with the {partner} in Chisinau as project
            partner, while the {associated} takes part as an associated partner and shares what
            it has learnt from running joint control lanes on the EU's external border with
            Belarus.
            """
        )
    )
    doc.add_heading("Project duration", level=2)
    doc.add_paragraph("24 months: 1 October 2023 until 30 September 2025.")
    doc.add_heading("Project budget", level=2)
    doc.add_paragraph("812 400,00 EUR")
    doc.add_heading("Why the project is needed", level=1)
    doc.add_paragraph(
        para(
            """
            Since 2022 the number of travellers and lorries crossing the Prut has more than
            doubled, and queues of several hours have become common on both banks of the river.
            The two border services already check some travellers together, but they use
            different equipment and procedures, and their staff rarely train side by side.
            """
        )
    )
    doc.add_heading("Main activities", level=1)
    for text in paras(
        """
        A joint needs assessment of the four busiest crossing points (Sculeni, Albița–Leușeni,
        Oancea–Cahul and Galați–Giurgiulești), looking at infrastructure, IT systems, staffing
        and traffic flows.

        Equipment for shared control lanes: document readers, licence-plate recognition cameras
        and mobile workstations installed on both sides of the river.

        Joint training for the officers who will staff the shared lanes, covering common
        procedures, fundamental rights and the detection of forged documents.

        Joint control operations during the summer and winter holiday peaks, with mixed teams
        working from the same booths.
        """
    ):
        doc.add_paragraph(text, style="List Bullet")
    doc.add_heading("Events", level=1)
    doc.add_paragraph(
        "The kick-off event took place in Iași on 12 December 2023, with representatives of "
        "both border services and of ICMPD."
    )
    disclaimer = doc.add_paragraph(
        para(
            """
            Co-funded by the European Union. The contents of this factsheet are the sole
            responsibility of the lead partner and do not necessarily reflect the views of the
            European Union or of ICMPD.
            """
        )
    )
    disclaimer.runs[0].italic = True
    disclaimer.runs[0].font.size = Pt(8)
    save_docx(doc, path, title=title, author="IGPF Romania")
    return label(
        title=title,
        acronym="PRUT-CHECK",
        reference="MPF/BS/2023/05",
        start_date="2023-10-01",
        end_date="2025-09-30",
        duration_months=24,
        budget="812400.00",
        funding_sources=["BMVI"],
        countries=["LT", "MD", "RO"],
        organisations=[
            (lead, "lead"),
            (partner, "partner"),
            (associated, "associated"),
            ("ICMPD", "implementer"),
            (EU, "funder"),
        ],
        activity_types=["equipment", "joint_operation", "needs_assessment", "training"],
    )


# --------------------------------------------------------------------------------------------
# b07: reintegration in Morocco, NDICI, Word file, a year-only period


def build_b07(path: Path):
    title = (
        "Sustainable Reintegration of Returning Migrants in the Oriental and Souss-Massa Regions"
    )
    partners = [
        "Ministry Delegate in charge of Moroccans Residing Abroad",
        "National Agency for the Promotion of Employment and Skills",
    ]
    doc = new_docx(
        "Enabel – Belgian development agency  ·  Morocco office",
        "Enabel Morocco  ·  Avenue Exemple 1, 10000 Rabat  ·  +212 5 00 00 00 00  ·  "
        "reintegra-ma@example.org",
    )
    doc.add_heading(title, level=0)
    sub = doc.add_paragraph("REINTEGRA-MA  ·  EU contract number 2021/428-016")
    sub.runs[0].italic = True
    doc.add_heading("The issue", level=1)
    doc.add_paragraph(
        para(
            """
            Every year several thousand Moroccans come home after a period abroad, most of them
            from Spain, France and Italy. Some return of their own accord, others after a
            removal decision. Many arrive with debts, without savings and with skills that are
            not recognised at home, and a large share think about leaving again within a year.
            """
        )
    )
    doc.add_heading("At a glance", level=1)
    for text in [
        "Period: 2021–2024",
        "Budget: €2.1 million",
        "Financed by the European Union under NDICI – Global Europe",
        "Implemented by Enabel, the Belgian development agency",
        f"In partnership with the {partners[0]} and the {partners[1]} (ANAPEC)",
    ]:
        doc.add_paragraph(text, style="List Bullet")
    doc.add_heading("What the project does", level=1)
    for text in paras(
        """
        An assessment of the needs and capacities of the regional reintegration services in
        Oujda and Agadir, carried out in the first six months.

        Training for 80 reintegration counsellors on case management, psychosocial support and
        referral to employment services.

        A tracer study that follows 600 returnees over 18 months to learn which kinds of support
        make a lasting difference.

        Workshops with local employers and chambers of commerce to open apprenticeship places
        for returnees.
        """
    ):
        doc.add_paragraph(text, style="List Bullet")
    doc.add_heading("Place in the wider programme", level=1)
    doc.add_paragraph(
        para(
            """
            REINTEGRA-MA is one strand of a EUR 35 million regional programme on migration
            governance in North Africa. It builds on lessons from reintegration actions that the
            EU Emergency Trust Fund for Africa financed in the region between 2017 and 2020.
            """
        )
    )
    doc.add_heading("News", level=1)
    doc.add_paragraph(
        "June 2023 – The first 40 returnees supported by the project open their own small "
        "businesses in Berkane and Inezgane."
    )
    save_docx(doc, path, title=title, author="Enabel")
    return label(
        title=title,
        acronym="REINTEGRA-MA",
        reference="2021/428-016",
        start_date=None,
        end_date=None,
        duration_months=None,
        budget="2100000.00",
        funding_sources=["NDICI"],
        countries=["BE", "MA"],
        organisations=[(EU, "funder"), ("Enabel", "implementer")]
        + [(name, "partner") for name in partners],
        activity_types=["needs_assessment", "research", "training", "workshop"],
    )


# --------------------------------------------------------------------------------------------
# b08: joint investigations, Western Balkans, ISF-Police, Word file with a key-value table


def build_b08(path: Path):
    title = "Joint Investigations against Migrant Smuggling Networks on the Western Balkan Route"
    lead = "Federal Criminal Police Office of Austria"
    partners = [
        "Ministry of Interior of the Republic of Serbia – General Police Directorate",
        "Border Police of Bosnia and Herzegovina",
    ]
    beneficiaries = ["Albanian State Police", "Kosovo Police"]
    doc = new_docx(
        "Internal Security Fund – Police  ·  Union Actions  ·  Project summary",
        "Last updated: 03/05/2022  ·  Contact: jit-wb@example.at  ·  +43 1 000 00 00",
    )
    doc.add_heading(title, level=0)
    kv_table(
        doc,
        [
            ("Acronym", "JIT-WB"),
            ("Contract number", "HOME/2020/ISFP/AG/SMUG/0021"),
            ("Funding programme", "Internal Security Fund – Police"),
            ("Lead partner", f"{lead} (Bundeskriminalamt, BK)"),
            ("Partners", "\n".join(partners)),
            ("Beneficiaries", "\n".join(beneficiaries)),
            ("Period", "1/3/2021 – 28/2/2023"),
            ("Total eligible cost", "968.215,50 €"),
            ("EU contribution (90 %)", "871.393,95 €"),
            ("Countries", "Austria, Serbia, Bosnia and Herzegovina, Albania, Kosovo"),
        ],
    )
    doc.add_heading("Summary", level=1)
    doc.add_paragraph(
        para(
            """
            Smuggling groups on the Western Balkan route change their methods quickly and cross
            several borders within a single journey, while investigations usually stop at the
            national border. JIT-WB helps police services along the route open cases together,
            share evidence early and, where the legal conditions are met, set up joint
            investigation teams.
            """
        )
    )
    doc.add_heading("Main activities", level=1)
    for text in paras(
        """
        Joint action days: coordinated operations on the same day in all participating
        countries against smuggling groups identified in the joint cases.

        Training on digital evidence, cryptocurrency tracing and financial investigations for
        90 investigators.

        Temporary exchange of investigators between the partner units, each placement lasting
        four to six weeks.

        Quarterly operational meetings of the heads of the anti-smuggling units.
        """
    ):
        doc.add_paragraph(text, style="List Bullet")
    doc.add_heading("Related projects", level=2)
    box = doc.add_table(rows=1, cols=1)
    box.style = "Table Grid"
    box.cell(0, 0).text = para(
        """
        SMUG-NET West (2018–2020): a network of specialised prosecutors from the region,
        financed by AMIF with EUR 1 400 000 and led by the State Attorney's Office of the
        Republic of Croatia. JIT-WB uses the contacts built up under SMUG-NET West but is a
        separate action.
        """
    )
    doc.add_paragraph()
    doc.add_paragraph(
        "This project is co-funded by the European Union's Internal Security Fund – Police."
    )
    save_docx(doc, path, title=title, author="BK Austria")
    return label(
        title=title,
        acronym="JIT-WB",
        reference="HOME/2020/ISFP/AG/SMUG/0021",
        start_date="2021-03-01",
        end_date="2023-02-28",
        duration_months=24,
        budget="968215.50",
        funding_sources=["ISF-Police"],
        countries=["AL", "AT", "BA", "RS", "XK"],
        organisations=[(lead, "lead")]
        + [(name, "partner") for name in partners]
        + [(name, "beneficiary") for name in beneficiaries]
        + [(EU, "funder")],
        activity_types=["exchange_of_staff", "joint_operation", "meeting", "training"],
    )


# --------------------------------------------------------------------------------------------
# b09: migration data in Central Asia, EU-funded (no fund named), only the EU contribution


def build_b09(path: Path):
    title = "Better Migration Data for Policy-Making in Central Asia"
    lead = "Finnish Immigration Service"
    co_applicant = "Office of Citizenship and Migration Affairs of Latvia"
    beneficiaries = [
        "Ministry of Labour and Social Protection of the Population of Kazakhstan",
        "Ministry of Labour, Social Security and Migration of the Kyrgyz Republic",
        "Migration Service of the Ministry of Labour, Migration and Employment of Tajikistan",
        "Agency for External Labour Migration of Uzbekistan",
    ]
    doc = new_docx(
        "CAMDATA  ·  Project sheet",
        f"Coordinator: {lead}, International Affairs Unit  ·  PO Box 10, 00000 Helsinki, "
        "Finland  ·  +358 29 000 0000  ·  camdata@example.fi",
    )
    doc.add_heading(title, level=0)
    doc.add_heading("In brief", level=1)
    doc.add_paragraph(
        para(
            """
            CAMDATA helps the migration authorities of Kazakhstan, Kyrgyzstan, Tajikistan and
            Uzbekistan turn the records they already hold into reliable statistics that can
            guide policy. Labour migration from the region is large, with Russia still the main
            destination, yet decisions on labour agreements, pre-departure support and return
            are often taken without sound data.
            """
        )
    )
    doc.add_heading("Funding", level=1)
    doc.add_paragraph(
        "This project is funded by the European Union. The EU contribution amounts to EUR 850,000."
    )
    doc.add_heading("Timing", level=1)
    doc.add_paragraph("The project started in September 2022 and runs for 18 months.")
    doc.add_heading("Who is involved", level=1)
    kv_paragraph(doc, "Coordinator", f"{lead} (Migri)")
    kv_paragraph(doc, "Co-applicant", co_applicant)
    kv_paragraph(doc, "Beneficiaries", "")
    for name in beneficiaries:
        doc.add_paragraph(name, style="List Bullet")
    doc.add_heading("Activities", level=1)
    for text in paras(
        """
        A comparative review of how each country registers labour migrants, issues work
        permits and records returns, published as a short research report.

        National workshops with the statistics offices and line ministries to agree on common
        definitions and indicators.

        Training for data analysts on anonymisation, statistical disclosure control and data
        visualisation.

        A study visit to Helsinki and Riga for the heads of the migration data units.

        Servers and analysis software for the beneficiaries' migration data units.
        """
    ):
        doc.add_paragraph(text, style="List Number")
    doc.add_heading("Related initiatives", level=1)
    doc.add_paragraph(
        para(
            """
            The EU also funds the Border Management Programme in Central Asia (BOMCA), now in
            its tenth phase, and the Central Asia Drug Action Programme. CAMDATA coordinates
            with both but shares no budget with them.
            """
        )
    )
    save_docx(doc, path, title=title, author="Migri")
    return label(
        title=title,
        acronym="CAMDATA",
        reference=None,
        start_date="2022-09-01",
        end_date="2024-02-29",
        duration_months=18,
        budget="850000.00",
        funding_sources=["EU budget (other)"],
        countries=["FI", "KG", "KZ", "LV", "TJ", "UZ"],
        organisations=[(EU, "funder"), (lead, "lead"), (co_applicant, "partner")]
        + [(name, "beneficiary") for name in beneficiaries],
        activity_types=["equipment", "research", "study_visit", "training", "workshop"],
    )


# --------------------------------------------------------------------------------------------
# b10: training academies, Western Balkans, IPA II, Word file, no budget stated


def build_b10(path: Path):
    title = "Western Balkans Network of Police and Border Training Academies"
    lead = "Croatian Police Academy"
    co_applicants = [
        "Police Academy of Montenegro",
        "Training Centre of the Ministry of Interior of Macedonia",
    ]
    associated = [
        "European Union Agency for Law Enforcement Training",
        "Association of European Police Colleges",
    ]
    targets = [
        "Basic Police Training Centre of Serbia",
        "Police Academy of Bosnia and Herzegovina",
        "Kosovo Academy for Public Safety",
        "Security Academy of Albania",
    ]
    doc = new_docx(
        f"WB-ACADNET  ·  {lead}, Zagreb  ·  academynet@example.hr",
        "Tel. +385 1 000 0000  ·  Ulica Primjer 1, 10000 Zagreb, Croatia",
    )
    doc.add_heading(title, level=0)
    doc.add_paragraph("WB-ACADNET")
    doc.add_heading("Project at a glance", level=1)
    kv_paragraph(doc, "Lead applicant", lead)
    kv_paragraph(doc, "Co-applicants", "; ".join(co_applicants))
    kv_paragraph(
        doc,
        "Associated partners",
        f"{associated[0]} (CEPOL); {associated[1]} (AEPC)",
    )
    kv_paragraph(doc, "Target institutions", "; ".join(targets))
    kv_paragraph(doc, "Project period", "04/2021 – 03/2024")
    kv_paragraph(doc, "Contract ref.", "2020/419-770")
    kv_paragraph(doc, "Funding", "IPA II")
    doc.add_heading("Why a network?", level=1)
    doc.add_paragraph(
        para(
            """
            Police and border training academies in the Western Balkans have modernised their
            curricula in recent years, but each has done so on its own. Trainers rarely meet
            colleagues from neighbouring academies, courses on the same subject differ in length
            and content, and good materials developed with donor support often disappear when a
            project ends. The network gives the academies a permanent structure for sharing
            courses, trainers and experience. The project is funded by the European Union under
            IPA II.
            """
        )
    )
    doc.add_heading("What we do", level=1)
    for text in paras(
        """
        A training needs analysis in every partner and target academy, repeated in the last
        project year to measure change.

        A shared e-learning platform with courses on fundamental rights, document security and
        border surveillance.

        Exchanges of trainers between academies, each lasting two to four weeks.

        Joint train-the-trainer courses for instructors from all academies.

        An annual conference of academy directors to steer the network.
        """
    ):
        doc.add_paragraph(text, style="List Bullet")
    doc.add_heading("Funding context", level=1)
    doc.add_paragraph(
        "The network is financed from the IPA II multi-country envelope for cooperation in "
        "home affairs, which totals EUR 40 million."
    )
    doc.add_heading("Latest news", level=1)
    for text in [
        "18 November 2022 – Directors of the partner academies met in Budva for the network's "
        "second annual conference and adopted a common framework for recognising each other's "
        "courses.",
        "7 March 2023 – The e-learning platform passed 1,000 registered users.",
    ]:
        doc.add_paragraph(text)
    save_docx(doc, path, title=title, author=lead)
    return label(
        title=title,
        acronym="WB-ACADNET",
        reference="2020/419-770",
        start_date="2021-04-01",
        end_date="2024-03-31",
        duration_months=36,
        budget=None,
        funding_sources=["IPA"],
        countries=["AL", "BA", "HR", "ME", "MK", "RS", "XK"],
        organisations=[(lead, "lead")]
        + [(name, "partner") for name in co_applicants]
        + [(name, "associated") for name in associated]
        + [(name, "beneficiary") for name in targets]
        + [(EU, "funder")],
        activity_types=[
            "conference",
            "e_learning",
            "exchange_of_staff",
            "needs_assessment",
            "training",
        ],
    )


# --------------------------------------------------------------------------------------------
# b11: Central European document fraud network, plain text in cp1250


def build_b11(path: Path):
    title = "Central European Network against Document and Identity Fraud"
    lead = "Komenda Główna Straży Granicznej"
    partners = [
        ("Policie České republiky – Ředitelství služby cizinecké policie", "Czech Republic"),
        ("Prezídium Policajného zboru Slovenskej republiky", "Slovakia"),
        ("Ministrstvo za notranje zadeve Republike Slovenije – Policija", "Slovenia"),
        ("Ministarstvo unutarnjih poslova Republike Hrvatske – Ravnateljstvo policije", "Croatia"),
        ("Országos Rendőr-főkapitányság", "Hungary"),
    ]
    partner_lines = "\n".join(f"  {name} ({country})" for name, country in partners)
    background = "\n".join(
        textwrap.wrap(
            para(
                """
                Since several Central European states temporarily reintroduced controls at
                their internal borders, officers increasingly find forged or look-alike
                documents on buses and trains heading west. Because checks at internal borders
                are irregular, a forgery detected in Brno or Maribor is often never linked to
                similar cases in Kraków, Győr or Zagreb. CENTRAL-DOC connects the document
                experts of six national services so that alerts, specimens and analyses
                circulate within days instead of months.
                """
            ),
            88,
        )
    )
    previous = "\n".join(
        textwrap.wrap(
            para(
                """
                CENTRAL-DOC grows out of the bilateral Polish–Czech project DOC-PL-CZ, which
                ran from 01.01.2019 to 31.12.2021 with a budget of 1 450 000 EUR and set up
                the first shared specimen library of the Straż Graniczna and the Policie České
                republiky.
                """
            ),
            88,
        )
    )
    text = f"""CENTRAL-DOC – PROJECT FACTSHEET
===============================

Title: {title}
Acronym: CENTRAL-DOC
Reference number: ISFP/2021/PL/0342
Fund: Internal Security Fund – Police (ISF-Police), Union actions
Implementation period: from 01.06.2022 to 31.05.2024
Total budget: 3 000 000 EUR (EU co-financing rate: 90 %)

Lead partner:
  {lead} (Straż Graniczna, Poland)
Partners:
{partner_lines}

Background
----------
{background}

Activities
----------
- Analytical workshops in Ostrava, Bratislava and Ljubljana, where experts compare
  new forgeries and agree on joint alerts;
- training for 300 first-line officers on impostor detection and on the security
  features of the newest EU residence permits;
- an e-learning module in all six national languages that officers can complete
  while on duty;
- joint checks on international trains and long-distance buses by mixed teams from
  two or more partner services;
- coordination meetings of the national contact points every four months.

Previous cooperation
--------------------
{previous}

Contact
-------
Koordynator projektu: mjr SG Łukasz Wójcik
ul. Przykładowa 1, 00-000 Warszawa
tel. +48 22 000 00 00, e-mail: central-doc@example.pl

The project is co-financed by the European Union.
"""
    path.write_bytes(text.replace("\n", "\r\n").encode("cp1250"))
    return label(
        title=title,
        acronym="CENTRAL-DOC",
        reference="ISFP/2021/PL/0342",
        start_date="2022-06-01",
        end_date="2024-05-31",
        duration_months=24,
        budget="3000000.00",
        funding_sources=["ISF-Police"],
        countries=["CZ", "HR", "HU", "PL", "SI", "SK"],
        organisations=[(lead, "lead")]
        + [(name, "partner") for name, _ in partners]
        + [(EU, "funder")],
        activity_types=["e_learning", "joint_operation", "meeting", "training", "workshop"],
    )


# --------------------------------------------------------------------------------------------
# b12: green border surveillance, Moldova–Ukraine, plain text in UTF-16 LE with a BOM


def build_b12(path: Path):
    title = "Enhancing Green Border Surveillance on the Moldovan–Ukrainian Border – Phase II"
    lead = "Estonian Police and Border Guard Board"
    partners = ["Moldovan Border Police", "State Border Guard Service of Ukraine"]

    def wrap(block):
        return "\n\n".join("\n".join(textwrap.wrap(p, 90)) for p in paras(block))

    summary = wrap(
        """
        The land border between Moldova and Ukraine runs for more than 1,200 km, much of it
        through fields, forests and along rivers where fixed surveillance is hard to install.
        Phase I of the cooperation (2016–2018) supplied the first thermal cameras and trained
        a small group of operators with EUR 180,000 from the same facility. Phase II scales this
        up and adds coordinated action on both sides of the line.
        """
    )
    activities = wrap(
        f"""
        Equipment. Four vehicle-mounted thermal cameras and six drones are handed over to the
        {partners[0]} and the {partners[1]}.

        Training. Courses for drone operators and image analysts were delivered in Chisinau and
        Odesa until March 2020. From April 2020, because of the COVID-19 pandemic, the
        remaining modules were delivered as online sessions.

        Joint patrols. Synchronised patrols on both sides of selected border sections, planned
        jointly by the two services and followed by a shared debriefing.
        """
    )
    text = f"""Title: {title}

Contract reference: MPF/2019/ISF/012
Start date: 16 September 2019
End date: 15 March 2021
Donor: European Union
Financing: ISF-BV, through the Mobility Partnership Facility
Budget: EUR 299,950.00
Lead partner: {lead} (PPA)
Partners: {partners[0]}; {partners[1]}

SUMMARY

{summary}

ACTIVITIES

{activities}

CONTACT

Project coordinator, {lead}
Pärnu mnt 139, 15060 Tallinn, Estonia
Tel. +372 000 0000  |  green.border@example.ee

Funded by the European Union.
"""
    path.write_bytes(b"\xff\xfe" + text.replace("\n", "\r\n").encode("utf-16-le"))
    return label(
        title=title,
        acronym=None,
        reference="MPF/2019/ISF/012",
        start_date="2019-09-16",
        end_date="2021-03-15",
        duration_months=18,
        budget="299950.00",
        funding_sources=["ISF-Borders and Visa"],
        countries=["EE", "MD", "UA"],
        organisations=[(EU, "funder"), (lead, "lead")] + [(name, "partner") for name in partners],
        activity_types=["equipment", "joint_operation", "online_session", "training"],
    )


BUILDERS = [
    ("b01_crossguard-bg-tr.pdf", build_b01),
    ("b02_docex-caucasus.pdf", build_b02),
    ("b03_bordersec-wb.pdf", build_b03),
    ("b04_eap-smuggling-network.pdf", build_b04),
    ("b05_protect-med-tunisia.pdf", build_b05),
    ("b06_prut-check.docx", build_b06),
    ("b07_reintegra-morocco.docx", build_b07),
    ("b08_jit-wb.docx", build_b08),
    ("b09_camdata-central-asia.docx", build_b09),
    ("b10_wb-acadnet.docx", build_b10),
    ("b11_central-doc.txt", build_b11),
    ("b12_green-border-md-ua.txt", build_b12),
]


def main() -> None:
    for name, build in BUILDERS:
        path = HERE / name
        expected = build(path)
        label_path = path.with_suffix(".json")
        label_path.write_text(
            json.dumps(expected, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
        )
        print(f"wrote {path.name} and {label_path.name}")


if __name__ == "__main__":
    main()
