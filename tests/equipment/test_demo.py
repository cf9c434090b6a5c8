"""The demo: the kit that connects the offices of two coordination units, at every step."""

from io import StringIO

import pytest
from django.urls import reverse
from django.utils import timezone

from liaison.core.models import User
from liaison.directory.models import OrganisationType
from liaison.equipment.demo import load_demo_equipment
from liaison.equipment.models import HandOver, Item, ItemStatus, UseCheck

pytestmark = pytest.mark.django_db


def test_the_demo_hands_over_equipment_to_two_coordination_units(client):
    out = StringIO()
    assert load_demo_equipment(stdout=out) == 6
    assert "Equipment items: 6 new" in out.getvalue()
    items = Item.objects.select_related("institution", "project")
    assert {i.institution.type for i in items} == {OrganisationType.COORDINATION_UNIT}
    assert {i.institution.acronym for i in items} == {"ILECU Georgia", "ILECU Moldova"}
    assert {i.project.title.split(" (")[0] for i in items} == {
        "Further strengthening of International Law Enforcement Coordination Units"
    }
    statuses = sorted(i.status for i in items)
    assert statuses == sorted(
        [
            ItemStatus.IN_USE,
            ItemStatus.DELIVERED,
            ItemStatus.DELIVERED,
            ItemStatus.APPROVED,
            ItemStatus.REQUESTED,
            ItemStatus.REJECTED,
        ]
    )
    assert HandOver.objects.count() == 3
    for handover in HandOver.objects.all():
        assert handover.document.read().startswith(b"%PDF-")
        assert handover.handed_over_on >= handover.item.procured_on
    assert UseCheck.objects.get().item.status == ItemStatus.IN_USE
    # One router's six-month check is overdue: the list's filter finds it.
    overdue = Item.objects.use_check_due(timezone.localdate())
    assert [i.institution.acronym for i in overdue] == ["ILECU Moldova"]

    assert load_demo_equipment() == 0
    assert Item.objects.count() == 6 and HandOver.objects.count() == 3

    client.force_login(User.objects.get(username="viewer"))
    assert client.get(reverse("equipment:list")).status_code == 200
    assert client.get(reverse("equipment:totals")).status_code == 200
    in_use = Item.objects.get(status=ItemStatus.IN_USE)
    page = client.get(in_use.get_absolute_url()).content.decode()
    assert "Nino Kapanadze" in page and "In use as intended" in page
