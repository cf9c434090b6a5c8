"""Demo data of equipment: the kit that connects the offices of two coordination units, the
ILECUs of Georgia and Moldova, under the ILECU network project.

Routers with VPN and video-conference sets handed over with a signed record (one router in use
and checked, the other's check overdue), a video-conference set approved and waiting for
procurement, workstations just requested, and a satellite terminal rejected. Everything goes
through the services the pages use, as the demo secretariat; a rerun adds nothing twice.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from liaison.directory.models import Organisation, OrganisationType
from liaison.events.report import ReportPDF
from liaison.portfolio.demo import (
    ORGANISATIONS,
    SEED_PROJECTS,
    create_demo_users,
    find_seed_project,
    load_seed_programmes,
)

from . import services
from .models import Category, Item, UseFinding


@dataclass(frozen=True)
class Step:
    """Days before today of each step taken; None where the item stops."""

    requested: int
    approved: int | None = None
    procured: int | None = None
    delivered: int | None = None
    in_use: bool = False
    checked: int | None = None
    rejected: str = ""


@dataclass(frozen=True)
class DemoItem:
    unit: str  # key in liaison.portfolio.demo.ORGANISATIONS
    category: str
    name: str
    description: str
    quantity: int
    estimate: str
    steps: Step
    actual: str = ""
    supplier: str = ""
    officer: tuple[str, str] = ("", "")
    finding: str = ""


ROUTER = "Secure network router with site-to-site VPN"
ROUTER_SPEC = (
    "Business-grade router with a hardware firewall and IPsec VPN, configured to link the "
    "unit's office to the other units of the network over the national internet line."
)
VIDEO = "Encrypted video-conference set"
VIDEO_SPEC = (
    "Camera, speaker-microphone and screen with end-to-end encrypted conferencing, for "
    "meetings between the units' duty officers."
)

ITEMS = [
    DemoItem(
        "ilecu_ge",
        Category.IT,
        ROUTER,
        ROUTER_SPEC,
        2,
        "6400.00",
        Step(requested=330, approved=320, procured=290, delivered=250, in_use=True, checked=60),
        actual="6180.00",
        supplier="Kartli Network Systems",
        officer=("Nino Kapanadze", "Head of office, ILECU Georgia"),
        finding=UseFinding.IN_USE,
    ),
    DemoItem(
        "ilecu_md",
        Category.IT,
        ROUTER,
        ROUTER_SPEC,
        2,
        "6400.00",
        Step(requested=330, approved=320, procured=290, delivered=240),
        actual="6250.00",
        supplier="Nistru Secure Networks",
        officer=("Ion Rusu", "Duty officer, ILECU Moldova"),
    ),
    DemoItem(
        "ilecu_ge",
        Category.IT,
        VIDEO,
        VIDEO_SPEC,
        1,
        "9800.00",
        Step(requested=200, approved=180, procured=120, delivered=90),
        actual="9450.00",
        supplier="Kartli Network Systems",
        officer=("Nino Kapanadze", "Head of office, ILECU Georgia"),
    ),
    DemoItem(
        "ilecu_md",
        Category.IT,
        VIDEO,
        VIDEO_SPEC,
        1,
        "9800.00",
        Step(requested=45, approved=20),
    ),
    DemoItem(
        "ilecu_md",
        Category.IT,
        "Workstations with a hardened operating system",
        "Desktop computers for the unit's analysts, with disk encryption and the VPN client.",
        4,
        "5200.00",
        Step(requested=10),
    ),
    DemoItem(
        "ilecu_ge",
        Category.IT,
        "Satellite communication terminal",
        "A terminal to keep the unit online should the national line fail.",
        1,
        "14500.00",
        Step(
            requested=60,
            rejected=(
                "Outside the project's scope: the offices connect over the existing national "
                "lines, and the budget line covers routers, video-conference sets and "
                "workstations."
            ),
        ),
    ),
]


def handover_pdf(item: Item, day: datetime.date, officer: str, position: str) -> bytes:
    """A one-page hand-over record, standing in for the scan of the signed paper."""
    pdf = ReportPDF("Equipment hand-over record", f"Signed on {day.isoformat()}")
    pdf.add_page()
    pdf.heading("Equipment hand-over record", size=16)
    pdf.facts(
        [
            ("Project", str(item.project)[:120]),
            ("Item", item.name),
            ("Quantity", str(item.quantity)),
            ("Institution", str(item.institution)),
            ("Handed over on", day.isoformat()),
            ("Received by", f"{officer}, {position}"),
        ]
    )
    pdf.ln(12)
    pdf.paragraph("Handed over by: ______________________    Received by: ______________________")
    return bytes(pdf.output())


def _units() -> dict[str, Organisation]:
    keys = {spec.unit for spec in ITEMS}
    found = {}
    for key in keys:
        unit = Organisation.objects.filter(
            name=ORGANISATIONS[key].name, type=OrganisationType.COORDINATION_UNIT
        ).first()
        if unit is not None:
            found[key] = unit
    return found


def load_demo_equipment(stdout=None, *, today: datetime.date | None = None) -> int:
    """Create the demo items not yet there; returns how many were added."""
    today = today or timezone.localdate()
    project = find_seed_project(SEED_PROJECTS["ilecu"]) or load_seed_programmes()["ilecu"]
    units = _units()
    secretariat = create_demo_users()["secretariat"]
    added = 0
    for spec in ITEMS:
        institution = units.get(spec.unit)
        if institution is None:
            continue
        if Item.objects.filter(project=project, institution=institution, name=spec.name).exists():
            continue
        _build(secretariat, project, institution, spec, today)
        added += 1
    if stdout is not None:
        stdout.write(f"Equipment items: {added} new")
    return added


def _build(actor, project, institution, spec: DemoItem, today):
    def day(days_before):
        return today - datetime.timedelta(days=days_before)

    steps = spec.steps
    item = services.request_item(
        actor,
        requested_on=day(steps.requested),
        project=project,
        institution=institution,
        category=spec.category,
        name=spec.name,
        description=spec.description,
        quantity=spec.quantity,
        estimated_cost=Decimal(spec.estimate),
        currency="EUR",
    )
    if steps.rejected:
        services.reject(actor, item, steps.rejected)
        return
    if steps.approved is None:
        return
    item = services.approve(actor, item, on=day(steps.approved))
    if steps.procured is None:
        return
    item = services.record_procurement(
        actor,
        item,
        procured_on=day(steps.procured),
        supplier=spec.supplier,
        actual_cost=Decimal(spec.actual),
    )
    if steps.delivered is None:
        return
    officer, position = spec.officer
    delivered_on = day(steps.delivered)
    document = SimpleUploadedFile(
        "hand-over.pdf",
        handover_pdf(item, delivered_on, officer, position),
        content_type="application/pdf",
    )
    item = services.deliver(
        actor,
        item,
        handed_over_on=delivered_on,
        receiving_officer=officer,
        receiving_position=position,
        document=document,
    )
    if steps.in_use:
        item = services.mark_in_use(actor, item)
    if steps.checked is not None:
        services.record_use_check(
            actor,
            item,
            checked_on=day(steps.checked),
            finding=spec.finding,
            notes="The VPN link to the other units is up; the duty officers use it every week.",
        )
