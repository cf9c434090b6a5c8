"""Issue 13, item 15: `liaison backup PATH` writes one archive with every table's rows and every
uploaded file; `liaison restore PATH` brings them back into an empty installation, on SQLite and
PostgreSQL alike (run this file with LIAISON_DATABASE_URL for the latter)."""

import json
import zipfile

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.test import Client

from liaison.core.backup import MANIFEST, check_pending_constraints
from liaison.core.models import AuditEntry, Role, User
from liaison.portfolio.models import Project
from tests.conftest import make_user


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def installation(db, media):
    """The demo installation (projects, events, training with a SCORM package, equipment with
    signed hand-overs, assessments, results), a signed-in session and a file of every kind."""
    call_command("demo", projects=3, seed=1, verbosity=0)
    client = Client()
    client.force_login(User.objects.get(username="secretariat"))
    assert client.get("/").status_code == 200
    (media / "portfolio").mkdir(parents=True, exist_ok=True)
    (media / "portfolio" / "ünïcode name.bin").write_bytes(bytes(range(256)) * 64)
    return media


def every_row() -> dict:
    """Every row of every table, values included, keyed by model."""
    return {
        model._meta.label: list(model._base_manager.order_by("pk").values())
        for model in apps.get_models(include_auto_created=True)
        if not model._meta.proxy
    }


def every_file(root) -> dict:
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def empty_installation(media):
    """What `migrate` leaves on a new machine: reference data, no account, no upload."""
    check_pending_constraints()  # the demo's inserts are in this test's transaction
    call_command("flush", interactive=False, verbosity=0)
    for path in sorted(media.rglob("*"), reverse=True):
        path.unlink() if path.is_file() else path.rmdir()


def test_backup_and_restore_round_trip_every_table_and_every_file(installation, tmp_path):
    rows, files = every_row(), every_file(installation)
    filled = [label for label, values in rows.items() if values]
    assert len(filled) >= 60, sorted(set(rows) - set(filled))
    assert any(name.startswith("equipment/handover/") for name in files)
    assert any(name.startswith("training/scorm/") for name in files)

    archive = tmp_path / "liaison-backup.zip"
    call_command("backup", str(archive), verbosity=0)
    empty_installation(installation)
    assert not User.objects.exists() and not every_file(installation)

    call_command("restore", str(archive), verbosity=0)

    assert every_row() == rows
    assert every_file(installation) == files
    # New rows get new ids after the restored ones (sequences follow on PostgreSQL).
    newcomer = make_user("newcomer", Role.PUBLIC)
    assert newcomer.pk > max(row["id"] for row in rows["core.User"])


def test_the_manifest_counts_rows_and_checks_every_file(installation, tmp_path):
    archive = tmp_path / "b.zip"
    call_command("backup", str(archive), verbosity=0)
    with zipfile.ZipFile(archive) as zipped:
        manifest = json.loads(zipped.read(MANIFEST))
        names = set(zipped.namelist())
    assert manifest["counts"]["portfolio.Project"] == Project.objects.count()
    assert manifest["counts"]["core.User"] == User.objects.count()
    assert names == set(manifest["files"]) | {MANIFEST}
    assert "media/portfolio/ünïcode name.bin" in names


def test_restore_refuses_an_installation_that_holds_data(installation, tmp_path):
    archive = tmp_path / "b.zip"
    call_command("backup", str(archive), verbosity=0)
    make_user("added-later", Role.PUBLIC)
    with pytest.raises(CommandError, match="already holds data"):
        call_command("restore", str(archive), verbosity=0)
    assert User.objects.filter(username="added-later").exists()

    call_command("restore", str(archive), force=True, verbosity=0)
    assert not User.objects.filter(username="added-later").exists()
    assert User.objects.filter(username="secretariat").exists()


def test_a_damaged_archive_is_refused_before_anything_changes(installation, tmp_path):
    archive = tmp_path / "b.zip"
    call_command("backup", str(archive), verbosity=0)
    damaged = tmp_path / "damaged.zip"
    with zipfile.ZipFile(archive) as source, zipfile.ZipFile(damaged, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename.startswith("media/equipment/"):
                data = b"forged" + data
            target.writestr(item, data)
    empty_installation(installation)
    with pytest.raises(CommandError, match="checksum does not match"):
        call_command("restore", str(damaged), verbosity=0)
    assert not User.objects.exists() and not every_file(installation)


@pytest.mark.parametrize("name", ["../evil.txt", "/etc/evil", "media/../../evil", "other/x"])
def test_an_archive_with_files_outside_its_folders_is_refused(db, media, tmp_path, name):
    archive = tmp_path / "evil.zip"
    call_command("backup", str(archive), verbosity=0)
    evil = tmp_path / "evil2.zip"
    with zipfile.ZipFile(archive) as source, zipfile.ZipFile(evil, "w") as target:
        manifest = json.loads(source.read(MANIFEST))
        manifest["files"][name] = "0" * 64
        for item in source.infolist():
            if item.filename != MANIFEST:
                target.writestr(item, source.read(item))
        target.writestr(name, b"evil")
        target.writestr(MANIFEST, json.dumps(manifest))
    with pytest.raises(CommandError, match="outside its folders"):
        call_command("restore", str(evil), verbosity=0)
    assert not (tmp_path / "evil.txt").exists()


def test_a_backup_of_another_schema_version_is_refused(db, media, tmp_path):
    archive = tmp_path / "b.zip"
    call_command("backup", str(archive), verbosity=0)
    other = tmp_path / "other.zip"
    with zipfile.ZipFile(archive) as source, zipfile.ZipFile(other, "w") as target:
        manifest = json.loads(source.read(MANIFEST))
        manifest["migrations"].append("core.9999_from_the_future")
        for item in source.infolist():
            if item.filename != MANIFEST:
                target.writestr(item, source.read(item))
        target.writestr(MANIFEST, json.dumps(manifest))
    with pytest.raises(CommandError, match="core.9999_from_the_future"):
        call_command("restore", str(other), verbosity=0)


def test_backup_refuses_to_overwrite_and_restore_refuses_what_is_not_a_backup(db, media, tmp_path):
    existing = tmp_path / "exists.zip"
    existing.write_bytes(b"keep me")
    with pytest.raises(CommandError, match="already exists"):
        call_command("backup", str(existing), verbosity=0)
    assert existing.read_bytes() == b"keep me"
    with pytest.raises(CommandError, match="not a zip archive"):
        call_command("restore", str(existing), verbosity=0)
    with pytest.raises(CommandError, match="does not exist"):
        call_command("restore", str(tmp_path / "missing.zip"), verbosity=0)
    assert not AuditEntry.objects.exists()
