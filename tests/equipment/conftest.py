"""Equipment fixtures: the test project (managed by ``manager``) with two beneficiary
institutions in two countries, another project managed by ``other_manager``, and a helper that
carries an item along the path as the secretariat."""

import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from liaison.directory.models import Organisation, OrganisationType
from liaison.equipment import services
from liaison.equipment.models import Category, ItemStatus, UseFinding
from liaison.portfolio.models import Participation, ParticipationRole

from ..conftest import make_project

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def days_ago(n: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=n)


def pdf_upload(content: bytes = PDF, name: str = "signed.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def unit(db, countries, project):
    """A coordination unit in Georgia, a beneficiary of ``project``."""
    unit = Organisation.objects.create(
        name="Coordination Unit of Georgia",
        acronym="CU-GE",
        type=OrganisationType.COORDINATION_UNIT,
        country=countries["GE"],
    )
    Participation.objects.create(
        project=project, organisation=unit, role=ParticipationRole.BENEFICIARY
    )
    return unit


@pytest.fixture
def other_project(db, countries, other_manager, organisation):
    return make_project(
        "Another project",
        acronym="OTHER",
        countries=[countries["MD"]],
        organisations=[(organisation, ParticipationRole.LEAD)],
        managers=[other_manager],
    )


def request(actor, project, institution, **extra):
    fields = {
        "project": project,
        "institution": institution,
        "category": Category.IT,
        "name": "Secure router",
        "description": "Router with VPN",
        "quantity": 2,
        "estimated_cost": Decimal("6400.00"),
        "currency": "EUR",
    }
    fields.update(extra)
    return services.request_item(actor, requested_on=days_ago(300), **fields)


def advance(secretariat, item, to: str, *, actual="6000.00", check=False):
    """Take ``item`` along the path up to ``to``, with dates that run forwards."""
    order = [ItemStatus.APPROVED, ItemStatus.PROCURED, ItemStatus.DELIVERED, ItemStatus.IN_USE]
    for status in order[: order.index(to) + 1]:
        if status == ItemStatus.APPROVED:
            item = services.approve(secretariat, item, "Fits the plan", on=days_ago(290))
        elif status == ItemStatus.PROCURED:
            item = services.record_procurement(
                secretariat,
                item,
                procured_on=days_ago(250),
                supplier="Network Supplies Ltd",
                actual_cost=Decimal(actual),
            )
        elif status == ItemStatus.DELIVERED:
            item = services.deliver(
                secretariat,
                item,
                handed_over_on=days_ago(200),
                receiving_officer="Nino Officer",
                receiving_position="Head of office",
                document=pdf_upload(),
            )
        elif status == ItemStatus.IN_USE:
            item = services.mark_in_use(secretariat, item)
    if check:
        services.record_use_check(
            secretariat, item, checked_on=days_ago(5), finding=UseFinding.IN_USE
        )
    return item


@pytest.fixture
def item(db, manager, project, unit):
    """An item the project's manager requested."""
    return request(manager, project, unit)
