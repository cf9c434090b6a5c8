"""Regression (issue 13, item 2): uploaded files are served only by the views that check the
reader. The development media route guarded hand-over documents and SCORM packages with a
pattern on the raw path, so ``//``, ``./``, ``%2F`` and ``../`` variants reached anonymous
visitors with the settings ``make run`` uses."""

import importlib

import pytest
from django.urls import clear_url_caches

import liaison.urls

SECRET = b"%PDF-1.4 signed hand-over of the thermal cameras"


@pytest.fixture
def uploads(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    handover = settings.MEDIA_ROOT / "equipment" / "handover"
    handover.mkdir(parents=True)
    (handover / "signed.pdf").write_bytes(SECRET)
    scorm = settings.MEDIA_ROOT / "training" / "scorm" / "pkg"
    scorm.mkdir(parents=True)
    (scorm / "index.html").write_bytes(SECRET)
    (settings.MEDIA_ROOT / "other.pdf").write_bytes(SECRET)
    return settings.MEDIA_ROOT


@pytest.fixture
def debug_urls(settings):
    """The URL configuration as `make run` builds it: DEBUG on when the module is imported."""
    settings.DEBUG = True
    importlib.reload(liaison.urls)
    clear_url_caches()
    yield
    settings.DEBUG = False
    importlib.reload(liaison.urls)
    clear_url_caches()


@pytest.mark.parametrize(
    "path",
    [
        "/media/equipment/handover/signed.pdf",
        "/media//equipment/handover/signed.pdf",
        "/media/./equipment/handover/signed.pdf",
        "/media/%2Fequipment/handover/signed.pdf",
        "/media/%2fequipment%2fhandover%2fsigned.pdf",
        "/media/x/../equipment/handover/signed.pdf",
        "/media/x/%2E%2E/equipment/handover/signed.pdf",
        "/media//training/scorm/pkg/index.html",
        "/media/./training/scorm/pkg/index.html",
        "/media/%2Ftraining/scorm/pkg/index.html",
        "/media/x/../training/scorm/pkg/index.html",
        "/media/other.pdf",
    ],
)
def test_no_media_path_serves_an_upload_in_debug(client, db, uploads, debug_urls, path):
    response = client.get(path)
    assert response.status_code == 404
    body = b"".join(response) if response.streaming else response.content
    assert SECRET not in body


def test_no_url_pattern_serves_media_in_debug_or_production(settings, debug_urls):
    """No route of the installation starts with the media prefix, whatever DEBUG says."""
    patterns = [str(p.pattern) for p in liaison.urls.urlpatterns]
    assert not [p for p in patterns if "media" in p]
