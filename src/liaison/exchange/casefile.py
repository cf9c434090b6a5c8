"""A request's case file as a PDF: its thread as the reader may read it
(``permissions.visible_messages``), each message's codes and evaluation, the entities, the list
of attachments (name, size and SHA-256, never their contents), the cases with their clocks,
and the read log. Every page carries the strictest handling code of what it holds, so a
printed page never travels without it. Exporting is a read, logged as one (``export``).

It uses the events report's page layout and DejaVu fonts, so names in Cyrillic, Georgian or
Turkish print as written.
"""

from django.db.models import Prefetch
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from liaison.events.report import ReportPDF

from . import deadlines, permissions, readlog, services
from .models import Attachment, HandlingCode, ReadWhat, Request

# From the freest to the strictest: a file holding an H2 message is an H2 file.
ORDER = [HandlingCode.H0, HandlingCode.H1, HandlingCode.H2, HandlingCode.H3]


def strictest(codes) -> str:
    return max(codes, key=ORDER.index, default=HandlingCode.H0)


class CaseFilePDF(ReportPDF):
    """The report layout with the handling code at the top of every page."""

    RED = (170, 20, 20)

    def __init__(self, title: str, generated: str, marking: str):
        self.marking = marking
        super().__init__(title, generated)

    def header(self):
        self.set_y(6)
        self.set_font(self.FONT, "B", 9)
        self.set_text_color(*self.RED)
        self.cell(0, 5, self.marking, align="C")
        self.set_text_color(0)
        self.set_y(self.t_margin)


def _when(moment, zone=None) -> str:
    if moment is None:
        return "–"
    moment = moment.astimezone(zone) if zone else timezone.localtime(moment)
    return f"{formats.date_format(moment, 'Y-m-d H:i')} ({zone or timezone.get_current_timezone()})"


def _size(size: int) -> str:
    return formats.number_format(size, force_grouping=True) + " B"


def build(user, request: Request, now=None) -> bytes:
    """The case file of ``request`` as ``user`` (who may open it) reads it."""
    now = now or timezone.now()
    messages = list(
        permissions.visible_messages(user, request)
        .select_related("from_unit", "author", "case__unit")
        .prefetch_related(Prefetch("attachments", queryset=Attachment.objects.order_by("pk")))
        .order_by("created", "pk")
    )
    cases = list(permissions.visible_cases(user, request).select_related("unit"))
    code = strictest(m.handling_code for m in messages)
    marking = HandlingCode(code).label
    title = _("Case file %(reference)s") % {"reference": request.reference}
    generated = _("Exported on %(date)s") % {"date": _when(now)}
    pdf = CaseFilePDF(title, generated, str(marking))
    pdf.add_page()
    pdf.heading(title, 16)
    pdf.facts(
        [
            (_("Reference"), request.reference),
            (_("Subject"), request.subject or _("(erased)")),
            (_("From"), str(request.sender)),
            (_("Type"), request.get_kind_display()),
            (_("Crime area"), request.get_crime_area_display()),
            (_("Urgency"), request.get_urgency_display()),
            (_("Status"), request.get_status_display()),
            (_("Sent"), _when(request.sent_at)),
            (_("Handling"), str(marking)),
        ]
    )
    pdf.heading(_("Receiving units"))
    pdf.grid(
        [_("Unit"), _("Status"), _("Received"), _("Deadline"), _("Clock"), _("Refusal")],
        [
            [
                case.unit.code,
                case.get_status_display(),
                _when(case.received_at, case.unit.zone),
                _when(case.deadline, case.unit.zone),
                deadlines.Clock(case, now).label,
                case.get_refusal_ground_display() if case.refusal_ground else "",
            ]
            for case in cases
        ],
        (22, 20, 34, 34, 22, 42),
    )
    entities = list(request.entities.order_by("pk"))
    if entities:
        pdf.heading(_("Entities"))
        for entity in entities:
            details = services.entity_details(entity)
            text = "; ".join(
                f"{key}: {', '.join(value) if isinstance(value, list) else value}"
                for key, value in details.items()
            )
            pdf.paragraph(f"{entity.get_kind_display()} – {text}")
    pdf.heading(_("Thread"))
    for message in messages:
        _message(pdf, message)
    _read_log(pdf, permissions.visible_reads(user, request))
    return bytes(pdf.output())


def _message(pdf: CaseFilePDF, message):
    to = f" → {message.case.unit.code}" if message.case_id else ""
    author = message.author.get_full_name() or message.author.username if message.author else ""
    pdf.paragraph(
        f"{message.get_kind_display()} · {message.from_unit.code}{to} · {_when(message.created)}"
        + (f" · {author}" if author else ""),
        bold=True,
    )
    codes = f"{message.handling_code} · {_('evaluation')} {message.evaluation}"
    if message.handling_code == HandlingCode.H3 and message.handling_restriction:
        codes += f" · {message.handling_restriction}"
    pdf.paragraph(codes, size=9)
    pdf.paragraph(message.body or "–")
    for attachment in message.attachments.all():
        pdf.paragraph(
            f"{_('Attachment')}: {attachment.name} · {_size(attachment.size)} · "
            f"SHA-256 {attachment.sha256}",
            size=8,
            indent=4,
        )
    pdf.ln(2)


def _read_log(pdf: CaseFilePDF, entries):
    entries = entries.select_related("user", "unit").order_by("pk")
    pdf.heading(_("Read log"))
    pdf.grid(
        [_("When"), _("Who"), _("Unit"), _("What")],
        [
            [
                _when(entry.at),
                entry.user.username if entry.user else "–",
                entry.unit.code if entry.unit else "–",
                entry.get_what_display(),
            ]
            for entry in entries.order_by("pk")
        ],
        (45, 45, 30, 54),
    )


def export(user, request: Request, unit=None) -> bytes:
    """The case file, after noting in the read log that ``user`` exported it."""
    readlog.record(user, request, ReadWhat.CASE_FILE, "", unit)
    return build(user, request)
