"""The logframe pages: the tree with indicators and figures, the rules of results, indicators
and targets, who may edit (the project's managers and the secretariat), who may only read
(staff), and pages whose query count does not grow with rows."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from liaison.core.models import AuditEntry
from liaison.results.models import (
    Accumulation,
    Dimension,
    Indicator,
    Level,
    Result,
    Source,
    Target,
    Unit,
    Value,
)
from liaison.results.services import ResultsError
from liaison.results.services.logframe import save_indicator, set_targets

from .logframe_helpers import approve, make_indicator, make_logframe, make_period, make_periods

D = Decimal
pytestmark = pytest.mark.django_db


@pytest.fixture
def tree(project):
    return make_logframe(project)


@pytest.fixture
def periods(project):
    return make_periods(project)


def test_the_logframe_shows_the_tree_with_indicators_and_figures(
    client, viewer, project, tree, periods
):
    indicator = make_indicator(tree["output"], end_target=D(20), name="Officers trained")
    Value.objects.create(indicator=indicator, period=periods[0], value=4)
    Value.objects.create(indicator=indicator, period=periods[1], value=6)
    client.force_login(viewer)
    page = client.get(reverse("results:logframe", args=[project.pk])).content.decode()
    assert (
        page.index("Safer borders") < page.index("Officers cooperate") < page.index("Output 1.1<")
    )
    assert "Institutions release officers" in page
    assert "Officers trained" in page and ">10<" in page and ">50%<" in page  # 10 of 20
    assert "Add a result" not in page  # staff read only


def test_anonymous_visitors_sign_in_and_outsiders_are_refused(client, public_user, project, tree):
    url = reverse("results:logframe", args=[project.pk])
    assert client.get(url).status_code == 302
    client.force_login(public_user)
    assert client.get(url).status_code == 403


def test_a_manager_adds_results_with_the_level_rules(client, manager, project, tree):
    client.force_login(manager)
    url = reverse("results:result_create", args=[project.pk])
    # An output cannot sit under the impact.
    response = client.post(
        url,
        {
            "level": Level.OUTPUT,
            "parent": tree["impact"].pk,
            "code": "9",
            "title": "Wrong",
            "order": 1,
        },
    )
    assert response.status_code == 200 and "contributes to a Outcome" in response.content.decode()
    # Codes are unique in the project.
    response = client.post(
        url,
        {
            "level": Level.OUTCOME,
            "parent": tree["impact"].pk,
            "code": "1",
            "title": "Twice",
            "order": 1,
        },
    )
    assert "already has the code 1" in response.content.decode()
    response = client.post(
        url,
        {
            "level": Level.OUTCOME,
            "parent": tree["impact"].pk,
            "code": "2",
            "title": "Second outcome",
            "order": 2,
        },
    )
    assert response.status_code == 302
    assert Result.objects.get(project=project, code="2").parent == tree["impact"]
    assert AuditEntry.objects.filter(action="results.result.created", actor=manager).exists()


def test_a_result_whose_indicators_hold_values_cannot_be_deleted(client, manager, tree, periods):
    indicator = make_indicator(tree["output"])
    Value.objects.create(indicator=indicator, period=periods[0], value=1)
    client.force_login(manager)
    client.post(reverse("results:result_delete", args=[tree["output"].pk]))
    assert Result.objects.filter(pk=tree["output"].pk).exists()
    client.post(reverse("results:result_delete", args=[tree["outcome"].pk]))  # has an output
    assert Result.objects.filter(pk=tree["outcome"].pk).exists()
    Value.objects.all().delete()
    client.post(reverse("results:result_delete", args=[tree["output"].pk]), {"reason": "Merged"})
    assert not Result.objects.filter(pk=tree["output"].pk).exists()


def test_a_manager_of_another_project_is_refused_every_edit(
    client, other_manager, project, tree, periods
):
    indicator = make_indicator(tree["output"])
    client.force_login(other_manager)
    for name, args in [
        ("results:result_create", [project.pk]),
        ("results:result_edit", [tree["output"].pk]),
        ("results:result_delete", [tree["output"].pk]),
        ("results:indicator_create", [tree["output"].pk]),
        ("results:indicator_edit", [indicator.pk]),
        ("results:indicator_delete", [indicator.pk]),
        ("results:targets", [indicator.pk]),
        ("results:recount", [project.pk]),
    ]:
        response = client.post(
            reverse(name, args=args), {"code": "x", "title": "x", "level": "impact"}
        )
        assert response.status_code == 403, name
    response = client.post(
        reverse("results:values", args=[indicator.pk, periods[0].pk]), {"c---v": "5"}
    )
    assert response.status_code == 403
    assert not Value.objects.exists() and Result.objects.count() == 3


def test_a_staff_viewer_reads_but_does_not_edit(client, viewer, tree, periods):
    indicator = make_indicator(tree["output"])
    client.force_login(viewer)
    assert client.get(reverse("results:indicator", args=[indicator.pk])).status_code == 200
    page = client.get(reverse("results:values", args=[indicator.pk, periods[0].pk]))
    assert page.status_code == 200 and 'name="c---v"' not in page.content.decode()
    assert client.get(reverse("results:indicator_edit", args=[indicator.pk])).status_code == 403
    post = client.post(
        reverse("results:values", args=[indicator.pk, periods[0].pk]), {"c---v": "5"}
    )
    assert post.status_code == 403 and not Value.objects.exists()


def indicator_data(result, **extra):
    data = {
        "result": result.pk,
        "code": "1.1.a",
        "name": "Officers trained",
        "unit": Unit.NUMBER,
        "direction": "increase",
        "accumulation": Accumulation.INCREMENTAL,
        "source": Source.MANUAL,
        "order": 1,
        "disaggregations": [Dimension.SEX, Dimension.COUNTRY],
    }
    data.update(extra)
    return data


def test_a_manager_adds_an_indicator_with_disaggregations(client, manager, tree):
    client.force_login(manager)
    response = client.post(
        reverse("results:indicator_create", args=[tree["output"].pk]),
        indicator_data(tree["output"]),
    )
    indicator = Indicator.objects.get()
    assert response.status_code == 302 and response.url == indicator.get_absolute_url()
    assert (
        indicator.dimensions == ["sex", "country"] and indicator.project == tree["output"].project
    )


def test_disaggregations_unit_accumulation_and_source_are_locked_once_values_exist(
    manager, tree, periods
):
    indicator = make_indicator(tree["output"], disaggregations=[Dimension.SEX])
    Value.objects.create(indicator=indicator, period=periods[0], sex="female", value=1)
    for change in (
        {"disaggregations": [Dimension.SEX, Dimension.COUNTRY]},
        {"unit": Unit.PERCENTAGE},
        {"accumulation": Accumulation.CUMULATIVE},
        {"source": Source.PEOPLE_TRAINED},
    ):
        with pytest.raises(ResultsError, match="can no longer change"):
            save_indicator(manager, Indicator.objects.get(pk=indicator.pk), change)
    assert Indicator.objects.get(pk=indicator.pk).dimensions == ["sex"]
    # Other fields still change.
    save_indicator(manager, Indicator.objects.get(pk=indicator.pk), {"name": "Renamed"})
    assert Indicator.objects.get(pk=indicator.pk).name == "Renamed"


def test_the_locked_form_says_so_and_a_forged_post_changes_nothing(client, manager, tree, periods):
    indicator = make_indicator(tree["output"], disaggregations=[Dimension.SEX])
    Value.objects.create(indicator=indicator, period=periods[0], sex="female", value=1)
    client.force_login(manager)
    url = reverse("results:indicator_edit", args=[indicator.pk])
    assert "Locked: values exist." in client.get(url).content.decode()
    client.post(url, indicator_data(tree["output"], disaggregations=["country"]))
    assert Indicator.objects.get(pk=indicator.pk).dimensions == ["sex"]


def test_targets_per_period_need_a_reason_to_change_and_are_audited(manager, tree, periods):
    indicator = make_indicator(tree["output"])
    assert set_targets(manager, indicator, {periods[0]: D(10), periods[1]: D(20)}) == 2
    with pytest.raises(ResultsError, match="Say why"):
        set_targets(manager, indicator, {periods[0]: D(12)})
    set_targets(manager, indicator, {periods[0]: D(12)}, "Budget cut")
    assert Target.objects.get(period=periods[0]).value == D(12)
    entry = AuditEntry.objects.filter(action="results.target.set").order_by("-id").first()
    assert entry.changes == {"First": ["10.00", "12.00"]}
    assert entry.reason == "Budget cut" and entry.actor == manager


def test_a_target_of_an_approved_period_is_refused(manager, tree, periods):
    indicator = make_indicator(tree["output"])
    approve(periods[0])
    with pytest.raises(ResultsError, match="approved"):
        set_targets(manager, indicator, {periods[0]: D(5)})
    assert not Target.objects.exists()


def test_the_end_target_changes_only_with_a_reason(manager, tree):
    indicator = make_indicator(tree["output"], end_target=D(10))
    with pytest.raises(ResultsError, match="end-of-project target"):
        save_indicator(manager, indicator, {"end_target": D(8)})
    save_indicator(manager, Indicator.objects.get(pk=indicator.pk), {"end_target": D(8)}, "Scope")
    assert AuditEntry.objects.filter(action="results.indicator.updated", reason="Scope").exists()


def test_the_targets_page_saves_and_locks_approved_periods(client, manager, tree, periods):
    indicator = make_indicator(tree["output"])
    approve(periods[0])
    client.force_login(manager)
    url = reverse("results:targets", args=[indicator.pk])
    response = client.post(url, {f"p{periods[0].pk}": "9", f"p{periods[1].pk}": "7"})
    assert response.status_code == 302
    assert list(Target.objects.values_list("period", "value")) == [(periods[1].pk, D(7))]


def test_the_value_page_saves_cells_and_shows_the_derived_totals(
    client, manager, tree, periods, countries
):
    indicator = make_indicator(tree["output"], disaggregations=[Dimension.SEX, Dimension.COUNTRY])
    rs, ge = countries["RS"].pk, countries["GE"].pk
    client.force_login(manager)
    url = reverse("results:values", args=[indicator.pk, periods[0].pk])
    response = client.post(
        url, {f"c-female-{rs}--v": "3", f"c-male-{rs}--v": "4", f"c-female-{ge}--v": "2"}
    )
    assert response.status_code == 302
    page = client.get(url).content.decode()
    assert 'data-testid="grand-total">9<' in page
    # Issue 13, item 20: the message says what was saved, not only "Saved: 3 cells changed".
    assert f"Values of {indicator} for {periods[0]} saved: 3 cells changed." in page
    # A changed cell without a reason: refused, nothing saved.
    page = client.post(url, {f"c-female-{rs}--v": "30"}).content.decode()
    assert "Nothing was saved" in page and "Say why" in page
    assert Value.objects.get(indicator=indicator, sex="female", country=rs).value == D(3)


def test_the_value_page_of_an_approved_or_future_period_is_read_only(
    client, manager, tree, project
):
    indicator = make_indicator(tree["output"])
    approved = make_period(project, "Done", datetime.date(2022, 1, 1), datetime.date(2022, 6, 30))
    Value.objects.create(indicator=indicator, period=approved, value=5)
    approve(approved)
    future = make_period(project, "Future", datetime.date(2099, 1, 1), datetime.date(2099, 6, 30))
    client.force_login(manager)
    for period, why in [(approved, "approved"), (future, "values are actuals")]:
        url = reverse("results:values", args=[indicator.pk, period.pk])
        page = client.get(url).content.decode()
        assert why in page and 'name="c---v"' not in page
        client.post(url, {"c---v": "7", "reason": "try"})
    assert list(Value.objects.values_list("value", flat=True)) == [D(5)]


def test_the_indicator_page_shows_periods_breakdown_and_history(
    client, manager, tree, periods, countries
):
    from liaison.results.services.values import save_values

    indicator = make_indicator(tree["output"], disaggregations=[Dimension.SEX], end_target=D(10))
    save_values(manager, indicator, periods[0], {("female", None, ""): (3, None)})
    save_values(manager, indicator, periods[0], {("female", None, ""): (4, None)}, "Recounted")
    client.force_login(manager)
    page = client.get(reverse("results:indicator", args=[indicator.pk])).content.decode()
    assert "3.00 → 4.00" in page and "Recounted" in page
    assert 'id="indicator-data"' in page and "logframe.js" in page
    assert "Female" in page


def test_logframe_and_indicator_pages_take_a_fixed_number_of_queries(
    client, manager, project, tree, periods, countries, django_assert_max_num_queries
):
    def grow(n):
        for i in range(n):
            result = Result.objects.create(
                project=project,
                level=Level.OUTPUT,
                code=f"1.{n}.{i}",
                title="More",
                parent=tree["outcome"],
            )
            indicator = make_indicator(result, f"x{i}{n}", disaggregations=[Dimension.SEX])
            for period in periods:
                Value.objects.create(indicator=indicator, period=period, sex="female", value=i)
                Value.objects.create(indicator=indicator, period=period, sex="male", value=i)
        return indicator

    client.force_login(manager)
    logframe = reverse("results:logframe", args=[project.pk])
    first = grow(1)
    with django_assert_max_num_queries(16) as few:
        client.get(logframe)
    grow(8)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(logframe)
    url = reverse("results:indicator", args=[first.pk])
    with django_assert_max_num_queries(16) as few:
        client.get(url)
    for period in periods:
        Value.objects.create(indicator=first, period=period, sex="other", value=1)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url)


def test_the_forms_open_for_an_editor(client, secretariat, project, tree, periods):
    indicator = make_indicator(tree["output"])
    client.force_login(secretariat)
    for name, args in [
        ("results:result_create", [project.pk]),
        ("results:result_edit", [tree["output"].pk]),
        ("results:indicator_create", [tree["output"].pk]),
        ("results:indicator_edit", [indicator.pk]),
        ("results:targets", [indicator.pk]),
        ("results:values", [indicator.pk, periods[0].pk]),
    ]:
        response = client.get(reverse(name, args=args))
        assert response.status_code == 200, name
        assert "Save" in response.content.decode()
    page = client.get(
        reverse("results:result_create", args=[project.pk]) + f"?parent={tree['outcome'].pk}"
    )
    assert 'value="output" selected' in page.content.decode()
