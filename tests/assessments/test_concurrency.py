"""Lost updates in an assessment (issue 13, item 7): two members of the team set an area's
target at the same time; the second save is refused and names the first person's change."""

from django.test import Client
from django.urls import reverse


def test_a_second_target_of_an_area_opened_before_the_first_is_refused(
    assessment, assessor, member
):
    result = assessment.areas.select_related("area").first()
    url = reverse("assessments:area_result", args=[assessment.pk, result.area_id])
    first, second = Client(), Client()
    first.force_login(assessor)
    second.force_login(member)
    opened_first, opened_second = first.get(url), second.get(url)

    def posted(response, **values):
        form = response.context["form"]
        data = {name: form.initial.get(name) for name in form.fields}
        data.update(values)
        return {k: "" if v is None else v for k, v in data.items()}

    assert first.post(url, posted(opened_first, target_level="1.5")).status_code == 302
    refused = second.post(url, posted(opened_second, target_level="4", finding="Mine"))
    assert refused.status_code == 200
    body = refused.content.decode()
    assert "Changed by someone else while you were editing" in body and "Ada Assessor" in body
    result.refresh_from_db()
    assert str(result.target_level) == "1.5" and result.finding != "Mine"
