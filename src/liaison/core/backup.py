"""Backup and restore of a whole installation: every table's rows and every uploaded file.

One zip archive holds ``data.json`` (Django's portable serialisation of every model, through the
base managers so no row is filtered out), the uploaded files under ``media/`` and
``manifest.json`` (format, applied migrations, row counts per model and a SHA-256 checksum of
every other member). The same archive restores on SQLite and PostgreSQL alike, whichever it was
made on; ``pg_dump`` or SQLite's backup API would tie it to one database.

Restoring checks the whole archive before it changes anything, loads the rows in one
transaction (all or nothing) and only then puts the files in place.
"""

import hashlib
import json
import os
import shutil
import tempfile
import zipfile
from pathlib import Path, PurePosixPath

from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.core.cache import caches
from django.core.management import call_command
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import AuditEntry, User

FORMAT = "liaison-backup/1"
FORMAT_NAME = "liaison"  # the serialisation of backup_format.py
MANIFEST = "manifest.json"
DATA = "data.json"
MEDIA = "media/"
CHUNK = 1024 * 1024


class BackupError(Exception):
    """A backup that cannot be written or restored, with the reason in plain words."""


def _sha256(handle) -> str:
    digest = hashlib.sha256()
    while chunk := handle.read(CHUNK):
        digest.update(chunk)
    return digest.hexdigest()


def _media_root() -> Path:
    return Path(settings.MEDIA_ROOT)


def media_files() -> list[Path]:
    """Every uploaded file, as paths relative to the media folder (links are not followed)."""
    root = _media_root()
    if not root.is_dir():
        return []
    return sorted(
        path.relative_to(root)
        for path in root.rglob("*")
        if path.is_file() and not path.is_symlink()
    )


def applied_migrations(using=DEFAULT_DB_ALIAS) -> list[str]:
    """The schema version of the database, as the sorted list of applied migrations."""
    recorder = MigrationRecorder(connections[using])
    return sorted(f"{app}.{name}" for app, name in recorder.applied_migrations())


def _models() -> list:
    """Every model with a table of its own, the link tables of many-to-many fields included."""
    serializers.register_serializer(FORMAT_NAME, "liaison.core.backup_format")
    return [
        model
        for model in apps.get_models(include_auto_created=True)
        if not model._meta.proxy and model._meta.managed
    ]


def row_counts() -> dict[str, int]:
    """Rows per model (``app_label.Model``), counted through the base manager."""
    return {model._meta.label: model._base_manager.count() for model in _models()}


def installation_is_empty() -> bool:
    """A fresh ``migrate`` leaves reference data but no account, no audit entry and no upload;
    anything done through the site or the commands leaves at least one of them."""
    return not (User.objects.exists() or AuditEntry.objects.exists() or media_files())


def write_backup(path: Path) -> dict:
    """Write the archive to ``path`` (refused if it exists) and return its manifest."""
    path = Path(path)
    if path.exists():
        raise BackupError(_("%(path)s already exists; choose a new file name.") % {"path": path})
    partial = path.with_name(path.name + ".partial")
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / DATA
        connection = connections[DEFAULT_DB_ALIAS]
        outermost = not connection.in_atomic_block
        with transaction.atomic():
            # One snapshot for the rows and their counts while the site keeps running (inside
            # a caller's transaction, that transaction's own view).
            if connection.vendor == "postgresql" and outermost:
                with connection.cursor() as cursor:
                    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
            # --all: the base managers, so a default manager that hides rows hides none here;
            # link tables named one by one, since dumpdata leaves them out by default.
            call_command(
                "dumpdata",
                *(model._meta.label for model in _models()),
                format=FORMAT_NAME,
                use_base_manager=True,
                output=str(data),
                verbosity=0,
            )
            counts = row_counts()
        with data.open("rb") as handle:
            files = {DATA: _sha256(handle)}
        try:
            with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
                archive.write(data, DATA)
                for relative in media_files():
                    source = _media_root() / relative
                    name = MEDIA + relative.as_posix()
                    with source.open("rb") as handle:
                        files[name] = _sha256(handle)
                    archive.write(source, name)
                manifest = {
                    "format": FORMAT,
                    "created": timezone.now().isoformat(),
                    "database": connections[DEFAULT_DB_ALIAS].vendor,
                    "migrations": applied_migrations(),
                    "counts": counts,
                    "files": files,
                }
                archive.writestr(MANIFEST, json.dumps(manifest, indent=1, sort_keys=True))
            os.replace(partial, path)
        finally:
            partial.unlink(missing_ok=True)
    return manifest


def _safe_member(name: str) -> PurePosixPath:
    """A member name that stays inside the media folder once extracted."""
    member = PurePosixPath(name)
    if (
        name != DATA
        and not name.startswith(MEDIA)
        or member.is_absolute()
        or ".." in member.parts
        or "\\" in name
    ):
        raise BackupError(
            _("The archive holds a file outside its folders: %(name)s") % {"name": name}
        )
    return member


def read_manifest(archive: zipfile.ZipFile) -> dict:
    """The manifest, after checking that the archive holds exactly the files it lists and that
    every checksum matches; raises ``BackupError`` otherwise."""
    try:
        manifest = json.loads(archive.read(MANIFEST))
    except (KeyError, ValueError) as error:
        raise BackupError(
            _("This is not a Liaison backup: it has no readable manifest.")
        ) from error
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(_("This backup's format is not one this version of Liaison reads."))
    listed = manifest.get("files") or {}
    present = set(archive.namelist()) - {MANIFEST}
    if present != set(listed) or DATA not in present:
        raise BackupError(_("The archive's files do not match its manifest; it is incomplete."))
    for name in sorted(present):
        _safe_member(name)
        with archive.open(name) as handle:
            if _sha256(handle) != listed[name]:
                raise BackupError(
                    _("%(name)s is damaged: its checksum does not match.") % {"name": name}
                )
    return manifest


def restore_backup(path: Path, *, force: bool = False) -> dict:
    """Bring back the rows and files of the archive at ``path``.

    Refused, with nothing changed, when the archive is damaged, when the database's migrations
    differ from the backup's (run ``liaison migrate`` with the same version of Liaison first),
    or when the installation already holds data, unless ``force``: then every row is replaced
    and the backup's files are written over the media folder (other files stay).
    """
    path = Path(path)
    if not path.is_file():
        raise BackupError(_("%(path)s does not exist.") % {"path": path})
    try:
        archive = zipfile.ZipFile(path)
    except zipfile.BadZipFile as error:
        raise BackupError(_("This is not a Liaison backup: it is not a zip archive.")) from error
    with archive:
        manifest = read_manifest(archive)
        here = applied_migrations()
        if manifest.get("migrations") != here:
            missing = sorted(set(manifest.get("migrations") or []) - set(here))
            extra = sorted(set(here) - set(manifest.get("migrations") or []))
            raise BackupError(
                _(
                    "The database is not at the backup's version (missing: %(missing)s; not in "
                    "the backup: %(extra)s). Restore with the version of Liaison that made it, "
                    "after `liaison migrate`."
                )
                % {"missing": ", ".join(missing) or "-", "extra": ", ".join(extra) or "-"}
            )
        if not force and not installation_is_empty():
            raise BackupError(
                _(
                    "This installation already holds data (accounts, audit entries or uploaded "
                    "files). Restore into an empty one, or use --force to replace everything."
                )
            )
        root = _media_root()
        root.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=".liaison-restore-", dir=root.parent))
        try:
            archive.extractall(staging)
            _load_rows(staging / DATA, manifest["counts"])
            _put_files(staging / MEDIA.rstrip("/"), root)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    return manifest


def _load_rows(data: Path, counts: dict[str, int]) -> None:
    """Replace every row by the backup's in one transaction, and check the counts."""
    # loaddata tells the format by the file's extension.
    rows = data.rename(data.with_suffix(f".{FORMAT_NAME}"))
    _models()  # registers the format
    with transaction.atomic():
        check_pending_constraints()
        call_command("flush", interactive=False, inhibit_post_migrate=True, verbosity=0)
        call_command("loaddata", str(rows), verbosity=0)
        restored = row_counts()
        wrong = sorted(label for label, count in counts.items() if restored.get(label, 0) != count)
        if wrong:
            raise BackupError(
                _("Rows were not restored exactly for: %(models)s") % {"models": ", ".join(wrong)}
            )
    # Content types are cached by id, and throttle counts belong to the old data.
    ContentType.objects.clear_cache()
    caches["default"].clear()


def check_pending_constraints() -> None:
    """PostgreSQL refuses to empty a table while the surrounding transaction still owes
    deferred foreign-key checks on it; run them now and defer again, as Django's constraints
    are (a no-op in a fresh transaction)."""
    connection = connections[DEFAULT_DB_ALIAS]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def _put_files(source: Path, root: Path) -> None:
    if not source.is_dir():
        return
    for file in sorted(p for p in source.rglob("*") if p.is_file()):
        target = root / file.relative_to(source)
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(file, target)
