"""The catalogue: who reads drafts, who edits, versions, translations and the filters."""

import datetime
import re

import pytest
from django.urls import reverse

from liaison.core.models import AuditEntry
from liaison.training.models import (
    Accreditation,
    CompetencyArea,
    Module,
    ModuleTranslation,
    ModuleVersion,
    TrainingCentre,
)
from liaison.training.services import PermissionDenied, TrainingError
from liaison.training.services import catalogue as services


def module_data(**changes):
    data = {
        "code": "RMT-02",
        "title": "Interviewing vulnerable persons",
        "summary": "How to run an interview.",
        "level_framework": "eqf",
        "level": "5",
        "languages": ["en", "sq"],
        "learning_outcomes": "Plan an interview\nUse an interpreter",
        "duration_hours": "12",
        "delivery_modes": ["classroom"],
        "assessment_method": "practical",
        "accreditation": "draft",
        "reason": "New for 2027",
    }
    data.update(changes)
    return data


@pytest.fixture
def draft(db, centre):
    return Module.objects.create(
        centre=centre, code="RMT-09", title="Secret draft", published=False
    )


def test_the_public_catalogue_lists_published_modules_only(client, module, draft):
    response = client.get(reverse("training:catalogue"))
    assert response.status_code == 200
    assert module.title in response.text
    assert draft.title not in response.text
    assert client.get(reverse("training:module", args=[draft.pk])).status_code == 404


def test_the_centre_staff_read_their_drafts(client, centre_staff, draft):
    client.force_login(centre_staff)
    assert draft.title in client.get(reverse("training:catalogue")).text
    assert client.get(reverse("training:module", args=[draft.pk])).status_code == 200


def test_filters_work_in_the_database(client, module, centre, django_assert_max_num_queries):
    area = CompetencyArea.objects.create(name="Fundamental rights")
    module.competency_areas.add(area)
    other = Module.objects.create(
        centre=centre,
        code="LNG-01",
        title="English for border officers",
        languages=["en"],
        delivery_modes=["online_live"],
        published=True,
    )
    url = reverse("training:catalogue")
    assert other.title not in client.get(url, {"language": "sr"}).text
    assert module.title in client.get(url, {"language": "sr"}).text
    page = client.get(url, {"delivery_mode": "online_live"}).text
    assert other.title in page and module.title not in page
    page = client.get(url, {"competency_area": area.pk}).text
    assert module.title in page and other.title not in page
    page = client.get(url, {"q": "english"}).text
    assert other.title in page and module.title not in page
    for n in range(30):
        Module.objects.create(centre=centre, code=f"X-{n:02}", title=f"Extra {n}", published=True)
    with django_assert_max_num_queries(8):
        response = client.get(url)
    assert "Page 1 of 2" in response.text


def test_a_bad_filter_shows_no_results_and_no_error(client, module):
    response = client.get(reverse("training:catalogue"), {"language": "xx"})
    assert response.status_code == 200
    assert "not valid" in response.text


def test_centre_staff_create_a_module_with_its_first_version_audited(client, centre_staff, centre):
    client.force_login(centre_staff)
    response = client.post(f"{reverse('training:module_create')}?centre={centre.pk}", module_data())
    module = Module.objects.get(code="RMT-02")
    assert response.status_code == 302
    assert module.languages == ["en", "sq"]
    assert module.outcomes == ["Plan an interview", "Use an interpreter"]
    assert module.versions.get().version == "1.0"
    entry = AuditEntry.objects.get(object_type="training.module", action="create")
    assert entry.actor == centre_staff and entry.reason == "New for 2027"


def test_a_duplicate_code_and_a_half_accredited_module_are_refused(client, centre_staff, module):
    client.force_login(centre_staff)
    url = f"{reverse('training:module_create')}?centre={module.centre.pk}"
    response = client.post(url, module_data(code="rmt-01"))
    assert "already has a module with this code" in response.text
    response = client.post(url, module_data(accreditation="accredited"))
    assert "names its accrediting body" in response.text
    assert Module.objects.count() == 1


def test_others_cannot_create_or_edit_modules(client, trainee, viewer, module, centre):
    for user in (trainee, viewer):
        client.force_login(user)
        create = client.post(
            f"{reverse('training:module_create')}?centre={centre.pk}", module_data()
        )
        edit = client.post(reverse("training:module_edit", args=[module.pk]), module_data())
        assert create.status_code == 403 and edit.status_code == 403
    assert Module.objects.count() == 1
    client.logout()
    assert client.get(reverse("training:module_edit", args=[module.pk])).status_code == 302


def test_staff_of_a_centre_that_shares_a_module_cannot_edit_it(client, module, other_manager):
    other = TrainingCentre.objects.create(name="Other", organisation=module.centre.organisation)
    other.staff.add(other_manager)
    client.force_login(other_manager)
    assert client.get(reverse("training:module_edit", args=[module.pk])).status_code == 403


def test_a_new_version_keeps_a_snapshot_and_refuses_a_used_number(centre_staff, module):
    services.issue_version(centre_staff, module, "1.1", "Added the 2026 case law.")
    module.refresh_from_db()
    assert module.version == "1.1"
    version = ModuleVersion.objects.get(module=module, version="1.1")
    assert version.snapshot["title"] == module.title
    assert version.snapshot["languages"] == ["en", "sr"]
    with pytest.raises(TrainingError):
        services.issue_version(centre_staff, module, "1.1", "Again")
    with pytest.raises(PermissionDenied):
        services.issue_version(None, module, "2.0", "Not allowed")


def test_a_translation_is_shown_in_its_language(client, centre_staff, module):
    client.force_login(centre_staff)
    response = client.post(
        reverse("training:translation_create", args=[module.pk]),
        {"language": "sr", "title": "Osnove migracionog prava", "learning_outcomes": "Objasniti"},
    )
    assert response.status_code == 302
    again = client.post(
        reverse("training:translation_create", args=[module.pk]),
        {"language": "sr", "title": "Twice"},
    )
    assert "already translated" in again.text
    assert ModuleTranslation.objects.count() == 1
    page = client.get(reverse("training:module", args=[module.pk]), {"lang": "sr"}).text
    assert "Osnove migracionog prava" in page and "Objasniti" in page


def accreditation_shown(client, module) -> str:
    page = client.get(reverse("training:module", args=[module.pk])).text
    return re.search(r'data-testid="accreditation">([^<]*)<', page).group(1)


def test_the_module_page_shows_accreditation_on_today(client, module):
    assert accreditation_shown(client, module) == str(Accreditation.ACCREDITED.label)
    module.accreditation_expires_on = datetime.date(2020, 1, 1)
    module.accredited_on = datetime.date(2019, 1, 1)
    module.save()
    assert accreditation_shown(client, module) == str(Accreditation.EXPIRED.label)


def test_centre_pages(client, centre, module):
    assert centre.name in client.get(reverse("training:centres")).text
    page = client.get(reverse("training:centre", args=[centre.pk])).text
    assert module.title in page
