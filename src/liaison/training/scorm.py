"""Reading uploaded SCORM packages without trusting them.

A package is a zip with ``imsmanifest.xml`` at its root. Anything in it may be hostile: member
names that climb out of the folder (``../``, absolute paths), symbolic links, a small zip that
unpacks to gigabytes, a manifest with a DTD that reads local files or expands entities until
memory runs out, a launch address outside the package. Each is refused with a message the
uploader can act on, before anything is written.
"""

import posixpath
import re
import shutil
import stat
import zipfile
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from urllib.parse import unquote, urlsplit
from xml.etree.ElementTree import ParseError

import defusedxml
from defusedxml import ElementTree
from django.conf import settings
from django.utils.translation import gettext as _

from .models import ScormVersion
from .services import TrainingError

MB = 1024 * 1024
MANIFEST = "imsmanifest.xml"
COPY_CHUNK = 64 * 1024


def limits() -> dict:
    """The bounds a package must stay within; settings may raise them for a big course."""
    return {
        "zip_bytes": getattr(settings, "TRAINING_SCORM_MAX_BYTES", 300 * MB),
        "members": getattr(settings, "TRAINING_SCORM_MAX_FILES", 5000),
        "unpacked_bytes": getattr(settings, "TRAINING_SCORM_MAX_UNPACKED_BYTES", 1024 * MB),
        "manifest_bytes": 2 * MB,
        # A compression ratio above this is a bomb, not a course (text compresses ~10:1).
        "ratio": 200,
    }


class ScormError(TrainingError):
    """The package cannot be used; the message tells the uploader why."""


@dataclass(frozen=True)
class Manifest:
    version: str
    identifier: str
    title: str
    launch: str
    mastery_score: Decimal | None


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


# The manifest ------------------------------------------------------------------------------


def _local(tag) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _children(element, name):
    return [child for child in element if _local(child.tag) == name]


def _attribute(element, name) -> str:
    """An attribute whatever its namespace (``adlcp:scormtype`` in 1.2, ``scormType`` in 2004)."""
    for key, value in element.attrib.items():
        if _local(key).lower() == name.lower():
            return value.strip()
    return ""


def _base(element) -> str:
    return element.attrib.get("{http://www.w3.org/XML/1998/namespace}base", "").strip()


def _version(root) -> str:
    for metadata in _children(root, "metadata"):
        for schema_version in _children(metadata, "schemaversion"):
            text = (schema_version.text or "").strip().lower()
            if text == "1.2":
                return ScormVersion.SCORM_12
            if "2004" in text or "1.3" in text:
                return ScormVersion.SCORM_2004
    namespaces = {root.tag} | {
        element.tag for element in root.iter() if isinstance(element.tag, str)
    }
    namespaces |= {key for element in root.iter() for key in element.attrib}
    joined = " ".join(namespaces)
    if "adlcp_v1p3" in joined or "imsss" in joined or "adlseq" in joined:
        return ScormVersion.SCORM_2004
    if "adlcp_rootv1p2" in joined or "imscp_rootv1p1p2" in joined:
        return ScormVersion.SCORM_12
    raise ScormError(_("The manifest does not say which SCORM version the package follows."))


def _title(element) -> str:
    for child in _children(element, "title"):
        if child.text and child.text.strip():
            return child.text.strip()
    return ""


def _items(element):
    """Items depth first, in the order a learner meets them."""
    for item in _children(element, "item"):
        yield item
        yield from _items(item)


def _mastery(item, version) -> Decimal | None:
    """The pass mark as a percentage: 1.2 writes it on the item, 2004 as a minimum normalised
    measure (0 to 1) of the primary objective."""
    try:
        if version == ScormVersion.SCORM_12:
            for child in _children(item, "masteryscore"):
                return Decimal((child.text or "").strip())
            return None
        for element in item.iter():
            if _local(element.tag) == "primaryObjective" and (
                _attribute(element, "satisfiedByMeasure").lower() == "true"
            ):
                for measure in element.iter():
                    if _local(measure.tag) == "minNormalizedMeasure":
                        return Decimal((measure.text or "").strip()) * 100
    except InvalidOperation:
        return None
    return None


def normalise_launch(href: str) -> str:
    """The launch address as a path inside the package (query kept), or ScormError when it
    would leave the package."""
    parts = urlsplit(href.strip())
    if parts.scheme or parts.netloc or href.strip().startswith("//"):
        raise ScormError(
            _("The package starts from an address outside it (%(href)s).") % {"href": href}
        )
    path = unquote(parts.path).replace("\\", "/")
    if not path or path.startswith("/"):
        raise ScormError(
            _("The package's start page is not inside it (%(href)s).") % {"href": href}
        )
    normal = posixpath.normpath(path)
    if normal == ".." or normal.startswith("../") or normal.startswith("/"):
        raise ScormError(
            _("The package's start page points outside it (%(href)s).") % {"href": href}
        )
    return normal + (f"?{parts.query}" if parts.query else "")


def parse_manifest(data: bytes) -> Manifest:
    """Read ``imsmanifest.xml``: version, identifier, title, launch page and pass mark.

    DTDs and entities are refused outright: a manifest never needs them, and they are how
    external-entity and entity-expansion attacks come in.
    """
    if len(data) > limits()["manifest_bytes"]:
        raise ScormError(_("The manifest is too large."))
    try:
        root = ElementTree.fromstring(
            data, forbid_dtd=True, forbid_entities=True, forbid_external=True
        )
    except defusedxml.DefusedXmlException as error:
        raise ScormError(
            _("The manifest declares a DTD or entities, which are refused for safety.")
        ) from error
    except (ParseError, ValueError) as error:
        raise ScormError(
            _("The manifest is not well-formed XML: %(error)s") % {"error": error}
        ) from error
    if _local(root.tag) != "manifest":
        raise ScormError(_("imsmanifest.xml is not a content package manifest."))
    version = _version(root)

    resources = {}
    resources_base = ""
    for group in _children(root, "resources"):
        resources_base = _base(group)
        for resource in _children(group, "resource"):
            resources[_attribute(resource, "identifier")] = resource

    organisations = next(iter(_children(root, "organizations")), None)
    candidates = []
    if organisations is not None:
        default = _attribute(organisations, "default")
        orgs = _children(organisations, "organization")
        chosen = [o for o in orgs if _attribute(o, "identifier") == default] or orgs[:1]
        for organisation in chosen:
            for item in _items(organisation):
                resource = resources.get(_attribute(item, "identifierref"))
                if resource is not None and _attribute(resource, "href"):
                    candidates.append((item, resource, organisation))
    sco = [c for c in candidates if _attribute(c[1], "scormtype").lower() == "sco"]
    if not (sco or candidates):
        raise ScormError(_("The manifest names no page to launch (no SCO resource with an href)."))
    item, resource, organisation = (sco or candidates)[0]

    href = _attribute(resource, "href")
    parameters = _attribute(item, "parameters").lstrip("?&")
    if parameters:
        href += ("&" if "?" in href else "?") + parameters
    launch = normalise_launch(posixpath.join(resources_base, _base(resource), href))
    return Manifest(
        version=version,
        identifier=_attribute(root, "identifier")[:300],
        title=(_title(organisation) or _title(item))[:300],
        launch=launch[:500],
        mastery_score=_mastery(item, version),
    )


# The package -------------------------------------------------------------------------------


def open_package(upload) -> tuple[zipfile.ZipFile, dict[str, zipfile.ZipInfo], Manifest]:
    """Open an uploaded package and check it whole, writing nothing."""
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
    manifest = parse_manifest(data)
    launch_path = manifest.launch.split("?", 1)[0]
    if launch_path not in members:
        raise ScormError(
            _("The package's start page %(href)s is missing from it.") % {"href": launch_path}
        )
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
