"""Dashboard, directory pages, sign-in and security headers, as visitors meet them."""

import pytest
from django.urls import reverse

from liaison.directory.models import Agreement, Membership, Network, NetworkKind
from tests.conftest import PASSWORD, make_project


def test_dashboard_totals_by_instrument_typology_and_country(client, countries):
    make_project(
        "A",
        acronym="A",
        budget=1000,
        countries=[countries["RS"]],
        instrument="AMIF",
        typologies=["capacity"],
    )
    make_project(
        "B",
        acronym="B",
        budget=3000,
        countries=[countries["RS"], countries["GE"]],
        instrument="BMVI",
        typologies=["capacity", "operational"],
    )
    response = client.get("/")
    figures = response.context["figures"]
    assert figures["projects"] == 2
    assert figures["value"] == 4000
    assert figures["countries"] == 2
    by_instrument = {row["code"]: row["total"] for row in figures["by_instrument"]}
    assert by_instrument == {"AMIF": 1000, "BMVI": 3000}
    by_typology = {row["code"]: row["projects"] for row in figures["by_typology"]}
    assert by_typology["capacity"] == 1 and by_typology["hybrid"] == 1
    assert {row["code"]: row["projects"] for row in figures["by_country"]} == {"RS": 2, "GE": 1}
    body = response.content.decode()
    assert 'id="chart-instruments"' in body and "data-map=" in body


def test_dashboard_query_count_is_constant(client, countries, django_assert_max_num_queries):
    make_project(countries=[countries["RS"]])
    with django_assert_max_num_queries(15) as first:
        client.get("/")
    for i in range(25):
        make_project(f"P{i}", acronym=f"P{i}", countries=[countries["GE"], countries["MD"]])
    with django_assert_max_num_queries(len(first.captured_queries)):
        client.get("/")


def test_dashboard_narrows_to_filters(client, countries):
    make_project("A", acronym="A", countries=[countries["RS"]])
    make_project("B", acronym="B", countries=[countries["GE"]])
    assert client.get("/?country=GE").context["figures"]["projects"] == 1


def test_contact_details_only_for_signed_in_staff(
    client, organisation, contact, public_user, viewer
):
    url = organisation.get_absolute_url()
    assert contact.email not in client.get(url).content.decode()
    client.force_login(public_user)
    assert contact.email not in client.get(url).content.decode()
    client.force_login(viewer)
    assert contact.email in client.get(url).content.decode()


def test_organisation_page_lists_only_visible_projects(
    client, organisation, project, draft_project
):
    draft_project.participations.create(organisation=organisation, role="partner")
    body = client.get(organisation.get_absolute_url()).content.decode()
    assert project.title in body
    assert draft_project.title not in body


def test_network_page_shows_members_by_country_and_history(client, countries, organisation):
    network = Network.objects.create(
        name="Training network", kind=NetworkKind.TRAINING_INSTITUTIONS
    )
    Agreement.objects.create(network=network, kind="mou", signed_on="2015-06-01", signatories=10)
    Membership.objects.create(network=network, organisation=organisation, start="2016-01-01")
    gone = organisation.__class__.objects.create(name="Old Academy", country=countries["MD"])
    Membership.objects.create(
        network=network, organisation=gone, start="2016-01-01", end="2019-12-31"
    )
    response = client.get(network.get_absolute_url())
    body = response.content.decode()
    assert "Memorandum of understanding" in body
    assert [c.code for c, _m in response.context["by_country"]] == ["RS"]
    assert "Old Academy" in body and "2019-12-31" in body


def test_country_pages(client, countries, project, draft_project):
    response = client.get(reverse("web:country", args=["rs"]))
    assert response.status_code == 200
    assert project.title in response.content.decode()
    assert (
        draft_project.title not in client.get(reverse("web:country", args=["TR"])).content.decode()
    )
    assert client.get(reverse("web:country", args=["QQ"])).status_code == 404
    listing = client.get(reverse("web:countries")).content.decode()
    assert "Kosovo" in listing and "Western Balkans" in listing


def test_organisation_list_search_and_filters(client, organisation, countries):
    organisation.__class__.objects.create(
        name="Border Police", type="border_guard", country=countries["GE"]
    )
    page = client.get(reverse("directory:organisations") + "?q=moi").context["page"]
    assert [o.name for o in page] == ["Ministry of Interior"]
    page = client.get(reverse("directory:organisations") + "?country=GE").context["page"]
    assert [o.name for o in page] == ["Border Police"]


def test_sign_in_and_out(client, manager):
    response = client.post(reverse("account_login"), {"login": "pm", "password": PASSWORD})
    assert response.status_code == 302
    assert "Petra" in client.get("/").content.decode()
    client.post(reverse("account_logout"))
    assert "Sign in" in client.get("/").content.decode()


def test_sign_in_is_throttled_after_repeated_failures(client, manager):
    for _ in range(5):
        client.post(reverse("account_login"), {"login": "pm", "password": "wrong"})
    response = client.post(reverse("account_login"), {"login": "pm", "password": PASSWORD})
    assert "Too many failed login attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_password_change(client, manager):
    client.force_login(manager)
    response = client.post(
        reverse("account_change_password"),
        {
            "oldpassword": PASSWORD,
            "password1": "a-new-long-passphrase",
            "password2": "a-new-long-passphrase",
        },
    )
    assert response.status_code == 302
    manager.refresh_from_db()
    assert manager.check_password("a-new-long-passphrase")


def test_strict_content_security_policy(client, db):
    policy = client.get("/")["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "default-src 'self'" in policy


@pytest.mark.parametrize("who", ["manager", "viewer"])
def test_admin_is_for_the_secretariat_only(client, request, who, secretariat):
    client.force_login(request.getfixturevalue(who))
    assert client.get("/admin/").status_code == 302
    client.force_login(secretariat)
    assert client.get("/admin/").status_code == 200
    assert client.get("/admin/portfolio/project/").status_code == 200
    assert client.get("/admin/directory/person/").status_code == 200


def test_pages_use_only_local_assets(client, project):
    for url in ["/", reverse("portfolio:projects"), project.get_absolute_url()]:
        body = client.get(url).content.decode()
        assert 'src="http' not in body and 'href="https://cdn' not in body


def test_dashboard_with_invalid_filters_counts_nothing(client, project):
    response = client.get("/?country=ZZ")
    assert response.context["figures"]["projects"] == 0
    assert "Some filters are not valid" in response.content.decode()


def test_network_list_counts_members_current_today(client, organisation, countries):
    network = Network.objects.create(name="Units", kind=NetworkKind.COORDINATION_UNITS)
    other = organisation.__class__.objects.create(name="Future unit", country=countries["GE"])
    former = organisation.__class__.objects.create(name="Former unit", country=countries["MD"])
    Membership.objects.create(network=network, organisation=organisation, end="2099-12-31")
    Membership.objects.create(network=network, organisation=other, start="2099-01-01")
    Membership.objects.create(network=network, organisation=former, end="2019-12-31")
    listed = client.get(reverse("directory:networks")).context["networks"]
    assert [n.members for n in listed] == [1]


def test_a_new_secretariat_user_signs_in_to_the_admin(client, db):
    from liaison.core.models import Role, User

    User.objects.create_user("clerk", password=PASSWORD, role=Role.SECRETARIAT)
    # The admin's sign-in is the site's, with its throttles and second factor.
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    response = client.post(response["Location"], {"login": "clerk", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_organisation_page_pages_its_projects(client, organisation, countries):
    for i in range(30):
        make_project(f"Project {i}", acronym=f"P{i}", organisations=[(organisation, "partner")])
    first = client.get(organisation.get_absolute_url())
    assert first.context["page"].paginator.count == 30
    assert len(first.context["page"].object_list) == 25
    assert "page=2" in first.content.decode()


def test_a_refused_page_keeps_the_site_and_says_why(client, public_user):
    client.force_login(public_user)
    response = client.get("/assessments/templates/")
    assert response.status_code == 403
    page = response.content.decode()
    assert "Assessment templates are shown to staff only." in page
    assert 'href="/projects/"' in page  # the site's menu is there


def test_a_fields_help_is_announced_with_it():
    """Regression: the help under a field had the id ``…_help`` while Django points the field's
    ``aria-describedby`` at ``…_helptext``, so screen readers never read the help."""
    import re

    from django import forms
    from django.template.loader import render_to_string

    class Form(forms.Form):
        title = forms.CharField(help_text="As it will be published.")

    html = render_to_string("web/_form_fields.html", {"form": Form()})
    (target,) = re.findall(r'aria-describedby="([^"]+)"', html)
    assert f'id="{target}">As it will be published.' in html
