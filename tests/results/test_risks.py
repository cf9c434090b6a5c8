"""The risk register: writes, who may make them, the order of the list and the heat map."""

import re

from liaison.core.models import AuditEntry
from liaison.results.models import Risk


def register(project):
    return f"/results/projects/{project.pk}/risks/"


RISK = {
    "title": "Few nominations",
    "description": "",
    "likelihood": "4",
    "impact": "3",
    "mitigation": "Quotas per institution",
    "owner": "Coordinator",
    "status": "open",
}


def risk(project, title, likelihood, impact, status="open"):
    return Risk.objects.create(
        project=project, title=title, likelihood=likelihood, impact=impact, status=status
    )


def test_a_manager_adds_and_changes_a_risk_with_an_audit_trail(client, manager, project):
    client.force_login(manager)
    response = client.post(f"/results/projects/{project.pk}/risks/new/", RISK)
    assert response.status_code == 302
    saved = Risk.objects.get()
    assert saved.score == 12 and saved.project == project
    client.post(
        f"/results/risks/{saved.pk}/edit/",
        {**RISK, "status": "mitigated", "likelihood": "2", "reason": "Quotas agreed"},
    )
    entry = AuditEntry.objects.get(action="risk.updated")
    assert entry.changes == {"likelihood": [4, 2], "status": ["open", "mitigated"]}
    assert entry.reason == "Quotas agreed" and entry.actor == manager


def test_scores_outside_the_scale_are_refused(client, manager, project):
    client.force_login(manager)
    response = client.post(f"/results/projects/{project.pk}/risks/new/", {**RISK, "impact": "6"})
    assert response.status_code == 200 and "less than or equal to 5" in response.content.decode()
    assert not Risk.objects.exists()


def test_outsiders_cannot_write_the_register(client, other_manager, viewer, public_user, project):
    existing = risk(project, "Existing", 2, 2)
    for person in (other_manager, viewer):
        client.force_login(person)
        assert client.get(register(project)).status_code == 200
        assert client.post(f"/results/projects/{project.pk}/risks/new/", RISK).status_code == 403
        assert client.post(f"/results/risks/{existing.pk}/edit/", RISK).status_code == 403
        assert client.post(f"/results/risks/{existing.pk}/delete/").status_code == 403
    client.force_login(public_user)
    assert client.get(register(project)).status_code == 403
    existing.refresh_from_db()
    assert existing.title == "Existing" and Risk.objects.count() == 1


def test_the_list_is_sorted_by_score(client, viewer, project):
    risk(project, "Middling", 3, 3)  # 9
    risk(project, "Worst", 5, 4)  # 20
    risk(project, "Likely but mild", 5, 1)  # 5
    risk(project, "Rare but severe", 2, 5)  # 10
    client.force_login(viewer)
    body = client.get(register(project)).content.decode()
    titles = re.findall(r'<th scope="row">([^<]+)', body.split('data-testid="risks"')[1])
    assert titles == ["Worst", "Rare but severe", "Middling", "Likely but mild"]


def test_the_heat_map_counts_open_risks_and_filters_the_list(client, viewer, project):
    risk(project, "A", 5, 4)
    risk(project, "B", 5, 4)
    risk(project, "C", 1, 1)
    risk(project, "Closed", 5, 4, status="closed")
    client.force_login(viewer)
    body = client.get(register(project)).content.decode()

    def cell(likelihood, impact):
        pattern = rf'<td class="([^"]+)" data-testid="cell-{likelihood}-{impact}">(.*?)</td>'
        return re.search(pattern, body, re.DOTALL).groups()

    level, content = cell(5, 4)
    assert level == "heat-severe" and ">2</a>" in content
    assert "?status=open&amp;likelihood=5&amp;impact=4" in content
    level, content = cell(1, 1)
    assert level == "heat-low" and ">1</a>" in content
    level, content = cell(3, 3)
    assert level == "heat-medium" and ">0</span>" in content

    listed = client.get(register(project), {"status": "open", "likelihood": 5, "impact": 4})
    table = listed.content.decode().split('data-testid="risks"')[1]
    assert "A" in table and "B" in table and "Closed" not in table and ">C<" not in table


def test_bad_filters_show_nothing_and_no_error(client, viewer, project):
    risk(project, "A", 5, 4)
    client.force_login(viewer)
    response = client.get(register(project), {"likelihood": "9; drop table"})
    assert response.status_code == 200
    assert "No risk matches." in response.content.decode()


def test_the_register_queries_do_not_grow(client, viewer, project, django_assert_max_num_queries):
    risk(project, "First", 1, 1)
    client.force_login(viewer)
    with django_assert_max_num_queries(12) as first:
        client.get(register(project))
    for n in range(30):
        risk(project, f"Risk {n}", n % 5 + 1, (n // 5) % 5 + 1)
    with django_assert_max_num_queries(len(first.captured_queries)):
        client.get(register(project))
