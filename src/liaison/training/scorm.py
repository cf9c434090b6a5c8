"""Reading uploaded SCORM packages without trusting them.

A package is a zip with ``imsmanifest.xml`` at its root. Anything in it may be hostile: member
names that climb out of the folder (``../``, absolute paths), symbolic links, a small zip that
unpacks to gigabytes, a manifest with a DTD that reads local files or expands entities until
memory runs out, a launch address outside the package. Each is refused with a message the
uploader can act on, before anything is written.
"""

import re
import shutil
import stat
import zipfile
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _

from .manifest import MANIFEST_BYTES, Manifest, ScormError, listed_files, parse

MB = 1024 * 1024
MANIFEST = "imsmanifest.xml"
COPY_CHUNK = 64 * 1024


def limits() -> dict:
    """The bounds a package must stay within; settings may raise them for a big course."""
    return {
        "zip_bytes": getattr(settings, "TRAINING_SCORM_MAX_BYTES", 300 * MB),
        "members": getattr(settings, "TRAINING_SCORM_MAX_FILES", 5000),
        "unpacked_bytes": getattr(settings, "TRAINING_SCORM_MAX_UNPACKED_BYTES", 1024 * MB),
        "manifest_bytes": MANIFEST_BYTES,
        # A compression ratio above this is a bomb, not a course (text compresses ~10:1).
        "ratio": 200,
    }


# Member names ------------------------------------------------------------------------------


def safe_member_name(name: str) -> str:
    """The member's path inside the package, or ScormError when it would land outside it."""
    cleaned = name.replace("\\", "/")
    if cleaned.startswith("/") or (len(cleaned) > 1 and cleaned[1] == ":"):
        raise ScormError(
            _("The package holds a file with an absolute path (%(name)s).") % {"name": name}
        )
    parts = [part for part in cleaned.split("/") if part not in ("", ".")]
    if ".." in parts:
        raise ScormError(
            _("The package holds a file that points outside its folder (%(name)s).")
            % {"name": name}
        )
    if any("\x00" in part for part in parts):
        raise ScormError(_("The package holds a file with an invalid name."))
    return "/".join(parts)


def _is_symlink(info: zipfile.ZipInfo) -> bool:
    mode = info.external_attr >> 16
    return stat.S_ISLNK(mode)


def check_members(archive: zipfile.ZipFile) -> dict[str, zipfile.ZipInfo]:
    """Every file of the package by its safe path; refuses links, traversal and bombs."""
    bounds = limits()
    infos = archive.infolist()
    if len(infos) > bounds["members"]:
        raise ScormError(
            _("The package holds more than %(count)s files.") % {"count": bounds["members"]}
        )
    members: dict[str, zipfile.ZipInfo] = {}
    total = 0
    for info in infos:
        name = safe_member_name(info.filename)
        if _is_symlink(info):
            raise ScormError(
                _("The package holds a symbolic link (%(name)s).") % {"name": info.filename}
            )
        if info.is_dir() or not name:
            continue
        if info.flag_bits & 0x1:
            raise ScormError(_("The package holds encrypted files."))
        total += info.file_size
        if total > bounds["unpacked_bytes"]:
            raise ScormError(
                _("The package unpacks to more than %(size)s MB.")
                % {"size": bounds["unpacked_bytes"] // MB}
            )
        if info.file_size > MB and info.file_size > bounds["ratio"] * max(info.compress_size, 1):
            raise ScormError(
                _("The package looks like a zip bomb (%(name)s expands too much).")
                % {"name": info.filename}
            )
        members[name] = info
    return members


# The package -------------------------------------------------------------------------------


def open_package(upload) -> tuple[zipfile.ZipFile, dict[str, zipfile.ZipInfo], Manifest]:
    """Open an uploaded package and check it whole, writing nothing. The manifest comes back
    with what the package lacks added to its problems: files its resources list, launch pages
    of items other than the first (a missing first launch page refuses the package)."""
    size = getattr(upload, "size", None)
    bounds = limits()
    if size is not None and size > bounds["zip_bytes"]:
        raise ScormError(
            _("The package is larger than %(size)s MB.") % {"size": bounds["zip_bytes"] // MB}
        )
    try:
        upload.seek(0)
        archive = zipfile.ZipFile(upload)
    except (zipfile.BadZipFile, OSError, EOFError) as error:
        raise ScormError(_("The file is not a zip archive.")) from error
    members = check_members(archive)
    manifest_name = next((name for name in members if name.lower() == MANIFEST), None)
    if manifest_name is None:
        raise ScormError(_("The package has no imsmanifest.xml at its root."))
    with archive.open(members[manifest_name]) as handle:
        data = handle.read(bounds["manifest_bytes"] + 1)
    manifest = parse(data)
    launch_path = manifest.launch.split("?", 1)[0]
    if launch_path not in members:
        raise ScormError(
            _("The package's start page %(href)s is missing from it.") % {"href": launch_path}
        )
    missing = []
    for item in manifest.scos:
        path = item["launch"].split("?", 1)[0]
        if path not in members and path not in missing:
            missing.append(path)
    for path in listed_files(data):
        if path not in members and path not in missing:
            missing.append(path)
    for path in missing[:20]:
        manifest.problems.append(
            _("The manifest lists %(name)s, which is not in the package.") % {"name": path}
        )
    if len(missing) > 20:
        manifest.problems.append(
            _("%(count)s more files the manifest lists are missing.") % {"count": len(missing) - 20}
        )
    names = {name.lower() for name in members}
    if "cmi5.xml" in names or "tincan.xml" in names:
        manifest.problems.append(
            _(
                "The package also holds an xAPI or cmi5 course description; Liaison plays it as "
                "SCORM only."
            )
        )
    manifest.size = sum(info.file_size for info in members.values())
    manifest.file_count = len(members)
    return archive, members, manifest


def unpack(archive: zipfile.ZipFile, members: dict[str, zipfile.ZipInfo], folder: Path) -> None:
    """Write the checked members under ``folder``, counting bytes as they come so that a zip
    lying about its sizes still cannot fill the disk."""
    budget = limits()["unpacked_bytes"]
    root = folder.resolve()
    written = 0
    for name, info in members.items():
        target = (root / name).resolve()
        if not target.is_relative_to(root):
            raise ScormError(_("The package holds a file that points outside its folder."))
        target.parent.mkdir(parents=True, exist_ok=True)
        with archive.open(info) as source, open(target, "wb") as out:
            while chunk := source.read(COPY_CHUNK):
                written += len(chunk)
                if written > budget:
                    raise ScormError(
                        _("The package unpacks to more than %(size)s MB.") % {"size": budget // MB}
                    )
                out.write(chunk)


# Time ----------------------------------------------------------------------------------------

CMI_TIMESPAN = re.compile(r"^(\d{1,4}):(\d{2}):(\d{2})(\.\d{1,2})?$")
ISO_DURATION = re.compile(
    r"^P(?:(\d+(?:\.\d+)?)Y)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)D)?"
    r"(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$"
)
ISO_UNITS = (365 * 86400, 30 * 86400, 86400, 3600, 60, 1)


def seconds_of(value) -> int | None:
    """Whole seconds in a SCORM 1.2 timespan (``HHHH:MM:SS.SS``) or a SCORM 2004 / ISO 8601
    duration (``PT1H2M3.5S``); None for anything else."""
    text = str(value or "").strip()
    match = CMI_TIMESPAN.match(text)
    if match:
        hours, minutes, secs, fraction = match.groups()
        return int(hours) * 3600 + int(minutes) * 60 + int(secs) + int(float(fraction or 0))
    match = ISO_DURATION.match(text)
    if match and text not in ("P", "PT") and not text.endswith("T"):
        total = sum(
            float(amount or 0) * unit
            for amount, unit in zip(match.groups(), ISO_UNITS, strict=True)
        )
        return int(total)
    return None


def remove_folder(folder: Path) -> None:
    shutil.rmtree(folder, ignore_errors=True)


def package_file(root: Path, path: str) -> Path | None:
    """The file at ``path`` inside an unpacked package, or None when there is none or the
    path would leave the folder."""
    try:
        cleaned = safe_member_name(path)
    except ScormError:
        return None
    base = root.resolve()
    target = (base / cleaned).resolve()
    if not target.is_relative_to(base) or not target.is_file():
        return None
    return target
