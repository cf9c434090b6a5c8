"""The demo assesses two coordination units before and after, with gaps that close, and
recommends training modules of the demo training centre; a rerun adds nothing."""

from io import StringIO

import pytest
from django.core.management import call_command

from liaison.assessments import gaps
from liaison.assessments.demo import load_demo_assessments
from liaison.assessments.models import Assessment, AssessmentStatus, Recommendation

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_demo_assessments_show_gaps_closing():
    out = StringIO()
    call_command("demo", "--projects", "0", stdout=out)
    assert "Needs assessments: 4 new." in out.getvalue()
    assert load_demo_assessments() == 0
    assessments = Assessment.objects.order_by("institution__acronym", "assessed_on")
    assert [a.institution.acronym for a in assessments] == ["ILECU Georgia"] * 2 + [
        "ILECU Moldova"
    ] * 2
    assert all(a.status == AssessmentStatus.COMPLETED for a in assessments)
    for before, after in (assessments[:2], assessments[2:]):
        assert (after.assessed_on - before.assessed_on).days >= 365
        closure = gaps.gap_closure(before, after)
        assert closure is not None and closure > 50
        assert len(gaps.area_rows(before)) == 5
    modules = set(
        Recommendation.objects.exclude(module=None).values_list("module__code", flat=True)
    )
    assert modules == {"MIG-07", "MIG-08"}
