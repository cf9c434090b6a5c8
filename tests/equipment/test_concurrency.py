"""Lost updates on equipment requests (issue 13, item 7): the edit page refuses a save over a
newer change; the API sends the item's version as its ETag (items change only through the
steps of their path, which have no PUT/PATCH)."""

from django.test import Client
from django.urls import reverse

from liaison.equipment.models import Item


def _posted(response, **changes):
    form = response.context["form"]
    data = {name: form.initial.get(name) for name in form.fields}
    data.update(description="", **changes)
    return {k: v for k, v in data.items() if v is not None}


def test_a_second_edit_of_a_request_opened_before_the_first_is_refused(manager, secretariat, item):
    first, second = Client(), Client()
    first.force_login(secretariat)
    second.force_login(manager)
    url = reverse("equipment:edit", args=[item.pk])
    opened_first, opened_second = first.get(url), second.get(url)

    assert (
        first.post(url, _posted(opened_first, quantity=7, reason="More offices")).status_code == 302
    )
    refused = second.post(url, _posted(opened_second, quantity=2, reason="Fewer"))
    assert refused.status_code == 200
    item.refresh_from_db()
    assert item.quantity == 7, "the second save stored nothing"
    body = refused.content.decode()
    assert "Changed by someone else while you were editing" in body
    assert "Sam Secretariat" in body

    again = second.post(url, refused.context["form"].data)
    assert again.status_code == 302, "saving again replaces the other change on purpose"
    assert Item.objects.get(pk=item.pk).quantity == 2


def test_the_api_sends_the_version_of_an_item_and_it_changes_with_the_item(
    client, secretariat, item
):
    client.force_login(secretariat)
    url = f"/api/equipment/{item.pk}/"
    before = client.get(url)["ETag"]
    Item.objects.filter(pk=item.pk).update(quantity=item.quantity + 1)
    assert client.get(url)["ETag"] != before
