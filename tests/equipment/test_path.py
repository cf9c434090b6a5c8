"""The tracked path: requested, approved, procured, delivered, in use, then checked; each step
only from the one before, dates that never run backwards, and every change in the audit trail
with its old and new values."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from liaison.core.models import AuditEntry
from liaison.directory.models import Organisation
from liaison.equipment import services
from liaison.equipment.models import HandOver, Item, ItemStatus, UseCheck, UseFinding
from liaison.equipment.services import EquipmentError

from .conftest import advance, days_ago, pdf_upload, request

pytestmark = pytest.mark.django_db


def audit_of(item):
    return list(
        AuditEntry.objects.filter(object_type="equipment.item", object_id=str(item.pk)).order_by(
            "pk"
        )
    )


def test_the_whole_path_from_request_to_use_check(manager, secretariat, project, unit):
    item = request(manager, project, unit)
    assert item.status == ItemStatus.REQUESTED and item.requested_by == manager

    item = services.approve(secretariat, item, "Within the budget line", on=days_ago(290))
    item = services.record_procurement(
        manager, item, procured_on=days_ago(250), supplier="Net Ltd", actual_cost=Decimal("6100")
    )
    item = services.deliver(
        manager,
        item,
        handed_over_on=days_ago(200),
        receiving_officer="Nino Officer",
        receiving_position="Head of office",
        document=pdf_upload(),
    )
    item = services.mark_in_use(manager, item)
    services.record_use_check(
        manager, item, checked_on=days_ago(10), finding=UseFinding.IN_USE, notes="Used daily"
    )

    item.refresh_from_db()
    assert item.status == ItemStatus.IN_USE
    assert item.approved_on == days_ago(290) and item.decision_note == "Within the budget line"
    assert item.procured_on == days_ago(250) and item.actual_cost == Decimal("6100")
    assert item.delivered_on == days_ago(200)
    assert item.use_check_due == days_ago(200) + datetime.timedelta(days=182)
    handover = item.handover
    assert handover.receiving_officer == "Nino Officer" and handover.recorded_by == manager
    assert handover.document.read().startswith(b"%PDF-")
    assert UseCheck.objects.get(item=item).notes == "Used daily"

    entries = audit_of(item)
    assert [e.action for e in entries] == [
        "item.requested",
        "item.approved",
        "item.procured",
        "item.delivered",
        "item.in_use",
        "item.use_checked",
    ]
    assert [e.actor for e in entries] == [manager, secretariat, manager, manager, manager, manager]
    approved = entries[1].changes
    assert approved["status"] == ["requested", "approved"]
    assert approved["approved_on"] == [None, days_ago(290).isoformat()]
    assert entries[2].changes["actual_cost"] == [None, "6100"]
    assert entries[3].changes["status"] == ["procured", "delivered"]
    assert entries[3].changes["receiving_officer"] == [None, "Nino Officer"]


STEPS = {
    "approve": lambda user, item: services.approve(user, item),
    "reject": lambda user, item: services.reject(user, item, "No"),
    "procure": lambda user, item: services.record_procurement(
        user, item, procured_on=days_ago(1), supplier="S", actual_cost=Decimal(1)
    ),
    "deliver": lambda user, item: services.deliver(
        user, item, handed_over_on=days_ago(1), receiving_officer="O", document=pdf_upload()
    ),
    "in_use": lambda user, item: services.mark_in_use(user, item),
    "use_check": lambda user, item: services.record_use_check(
        user, item, checked_on=days_ago(1), finding=UseFinding.IN_USE
    ),
}
# For each status, the steps that may not be taken from it.
REFUSED = {
    ItemStatus.REQUESTED: ["procure", "deliver", "in_use", "use_check"],
    ItemStatus.APPROVED: ["approve", "reject", "deliver", "in_use", "use_check"],
    ItemStatus.PROCURED: ["approve", "reject", "procure", "in_use", "use_check"],
    ItemStatus.DELIVERED: ["approve", "reject", "procure", "deliver"],
    ItemStatus.IN_USE: ["approve", "reject", "procure", "deliver", "in_use"],
    ItemStatus.REJECTED: ["approve", "reject", "procure", "deliver", "in_use", "use_check"],
}


@pytest.mark.parametrize(
    ("status", "step"), [(s, step) for s, steps in REFUSED.items() for step in steps]
)
def test_each_step_is_refused_out_of_order(secretariat, item, status, step):
    if status == ItemStatus.REJECTED:
        item = services.reject(secretariat, item, "Out of scope")
    elif status != ItemStatus.REQUESTED:
        item = advance(secretariat, item, status)
    before = Item.objects.filter(pk=item.pk).values().get()
    entries = len(audit_of(item))

    with pytest.raises(EquipmentError):
        STEPS[step](secretariat, item)

    assert Item.objects.filter(pk=item.pk).values().get() == before
    assert len(audit_of(item)) == entries


def test_the_refusal_names_the_step_it_needs(secretariat, item):
    with pytest.raises(EquipmentError, match="“Delivered” only from “Procured”"):
        STEPS["deliver"](secretariat, item)
    assert not HandOver.objects.exists()


def test_a_step_dated_before_the_one_before_it_is_refused(secretariat, item):
    with pytest.raises(EquipmentError, match="before the item was requested"):
        services.approve(secretariat, item, on=days_ago(301))
    item = advance(secretariat, item, ItemStatus.PROCURED)  # procured 250 days ago
    with pytest.raises(EquipmentError, match="before the item was procured"):
        services.deliver(
            secretariat,
            item,
            handed_over_on=days_ago(251),
            receiving_officer="O",
            document=pdf_upload(),
        )
    item.refresh_from_db()
    assert item.status == ItemStatus.PROCURED and item.delivered_on is None
    assert not HandOver.objects.exists()


def test_a_use_check_before_delivery_or_in_the_future_is_refused(secretariat, item):
    item = advance(secretariat, item, ItemStatus.DELIVERED)  # delivered 200 days ago
    with pytest.raises(EquipmentError, match="before the item was delivered"):
        services.record_use_check(
            secretariat, item, checked_on=days_ago(201), finding=UseFinding.IN_USE
        )
    with pytest.raises(EquipmentError, match="future"):
        services.record_use_check(
            secretariat, item, checked_on=days_ago(-1), finding=UseFinding.IN_USE
        )
    assert not UseCheck.objects.exists()


def test_a_procurement_in_the_future_is_refused(secretariat, item):
    item = advance(secretariat, item, ItemStatus.APPROVED)
    with pytest.raises(EquipmentError, match="future"):
        services.record_procurement(
            secretariat, item, procured_on=days_ago(-3), supplier="S", actual_cost=Decimal(5)
        )


def test_a_rejection_needs_a_reason(secretariat, item):
    with pytest.raises(EquipmentError, match="why"):
        services.reject(secretariat, item, "  ")
    item = services.reject(secretariat, item, "Not in the project's scope")
    assert item.status == ItemStatus.REJECTED
    assert audit_of(item)[-1].reason == "Not in the project's scope"


def test_a_request_is_changed_only_before_the_decision(manager, secretariat, item):
    item = services.update_request(
        manager, item, {"quantity": 3, "estimated_cost": Decimal("9600")}, "Third office"
    )
    entry = audit_of(item)[-1]
    assert entry.action == "item.updated" and entry.reason == "Third office"
    assert entry.changes == {"quantity": [2, 3], "estimated_cost": ["6400.00", "9600"]}
    services.approve(secretariat, item)
    with pytest.raises(EquipmentError, match="before the decision"):
        services.update_request(manager, item, {"quantity": 4})
    item.refresh_from_db()
    assert item.quantity == 3


def test_the_institution_must_take_part_in_the_project(manager, project, countries):
    stranger = Organisation.objects.create(name="Unrelated agency", country=countries["TR"])
    with pytest.raises(EquipmentError, match="does not take part"):
        request(manager, project, stranger)
    assert not Item.objects.exists()


def test_bad_values_are_refused_with_nothing_saved(manager, project, unit):
    with pytest.raises(ValidationError) as error:
        request(manager, project, unit, currency="euro")
    assert "currency" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        request(manager, project, unit, quantity=0)
    assert "quantity" in error.value.message_dict
    assert not Item.objects.exists()
    assert not AuditEntry.objects.filter(object_type="equipment.item").exists()


def test_delivered_items_for_the_results_of_a_project(secretariat, manager, project, unit):
    delivered = advance(secretariat, request(manager, project, unit), ItemStatus.DELIVERED)
    in_use = advance(secretariat, request(manager, project, unit), ItemStatus.IN_USE)
    advance(secretariat, request(manager, project, unit), ItemStatus.PROCURED)
    items = Item.objects.filter(project=project)
    assert set(items.delivered()) == {delivered, in_use}
    assert set(items.delivered(days_ago(200), days_ago(200))) == {delivered, in_use}
    assert not items.delivered(days_ago(199), None).exists()
    assert not items.delivered(None, days_ago(201)).exists()
    assert items.delivered().first().institution.country.code == "GE"
