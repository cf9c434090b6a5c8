"""Reading SCORM packages: manifests of both versions, and every way a package may be hostile."""

import io
import stat
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from liaison.core.models import AuditEntry
from liaison.training import manifest as manifests
from liaison.training import scorm
from liaison.training.demo_scorm import build_demo_package
from liaison.training.models import ScormPackage
from liaison.training.services import PermissionDenied
from liaison.training.services import content as services

MANIFEST_12 = b"""<?xml version="1.0"?>
<manifest identifier="pkg-12" xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2"
          xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2">
  <metadata><schema>ADL SCORM</schema><schemaversion>1.2</schemaversion></metadata>
  <organizations default="org-b">
    <organization identifier="org-a"><title>Not the default</title>
      <item identifier="i0" identifierref="r-other"><title>Other</title></item>
    </organization>
    <organization identifier="org-b"><title>Interviewing at the border</title>
      <item identifier="i1"><title>Chapter</title>
        <item identifier="i2" identifierref="r-asset"><title>Handout</title></item>
        <item identifier="i3" identifierref="r-sco" parameters="?chapter=1">
          <title>Interview practice</title>
          <adlcp:masteryscore>80</adlcp:masteryscore>
        </item>
      </item>
    </organization>
  </organizations>
  <resources>
    <resource identifier="r-other" type="webcontent" adlcp:scormtype="sco" href="other.html"/>
    <resource identifier="r-asset" type="webcontent" adlcp:scormtype="asset" href="handout.html"/>
    <resource identifier="r-sco" type="webcontent" adlcp:scormtype="sco" href="content/start.html">
      <file href="content/start.html"/>
    </resource>
  </resources>
</manifest>"""

MANIFEST_2004 = b"""<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier="pkg-2004" version="1"
  xmlns="http://www.imsglobal.org/xsd/imscp_v1p1"
  xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_v1p3"
  xmlns:imsss="http://www.imsglobal.org/xsd/imsss">
  <metadata><schema>ADL SCORM</schema><schemaversion>2004 4th Edition</schemaversion></metadata>
  <organizations default="org">
    <organization identifier="org"><title>Document checks</title>
      <item identifier="item" identifierref="sco"><title>Checking passports</title>
        <imsss:sequencing><imsss:objectives>
          <imsss:primaryObjective objectiveID="p" satisfiedByMeasure="true">
            <imsss:minNormalizedMeasure>0.75</imsss:minNormalizedMeasure>
          </imsss:primaryObjective>
        </imsss:objectives></imsss:sequencing>
      </item>
    </organization>
  </organizations>
  <resources xml:base="course/">
    <resource identifier="sco" type="webcontent" adlcp:scormType="sco" href="index.html"/>
  </resources>
</manifest>"""


def manifest_with_launch(href: str) -> bytes:
    return MANIFEST_12.replace(b'href="content/start.html">', f'href="{href}">'.encode())


def make_zip(files: dict, *, symlinks=()) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
        for name, target in symlinks:
            info = zipfile.ZipInfo(name)
            info.external_attr = (stat.S_IFLNK | 0o777) << 16
            archive.writestr(info, target)
    return buffer.getvalue()


def upload(data: bytes, name="package.zip"):
    return SimpleUploadedFile(name, data, content_type="application/zip")


def package_12(**extra) -> bytes:
    return make_zip(
        {"imsmanifest.xml": MANIFEST_12, "content/start.html": b"<h1>Start</h1>", **extra}
    )


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


# Manifests ---------------------------------------------------------------------------------


def test_a_scorm_12_manifest_gives_the_first_sco_of_the_default_organisation():
    manifest = manifests.parse(MANIFEST_12)
    assert manifest.version == "1.2"
    assert manifest.identifier == "pkg-12"
    assert manifest.title == "Interviewing at the border"
    assert manifest.launch == "content/start.html?chapter=1"
    assert manifest.mastery_score == Decimal("80")


def test_a_scorm_2004_manifest_with_a_base_and_a_pass_mark():
    manifest = manifests.parse(MANIFEST_2004)
    assert manifest.version == "2004"
    assert manifest.launch == "course/index.html"
    assert manifest.title == "Document checks"
    assert manifest.mastery_score == Decimal("75.00")


def test_the_version_is_read_from_the_namespaces_when_schemaversion_is_missing():
    bare = MANIFEST_2004.replace(b"<schemaversion>2004 4th Edition</schemaversion>", b"")
    assert manifests.parse(bare).version == "2004"
    bare = MANIFEST_12.replace(b"<schemaversion>1.2</schemaversion>", b"")
    assert manifests.parse(bare).version == "1.2"


def test_a_malformed_manifest_is_refused():
    with pytest.raises(scorm.ScormError, match="not well-formed"):
        manifests.parse(b"<manifest><organizations></manifest>")


def test_an_external_entity_is_refused():
    hostile = b"""<?xml version="1.0"?>
<!DOCTYPE manifest [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<manifest identifier="x"><metadata><schemaversion>&secret;</schemaversion></metadata></manifest>"""
    with pytest.raises(scorm.ScormError, match="DTD or entities"):
        manifests.parse(hostile)


def test_billion_laughs_is_refused():
    laughs = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<manifest identifier="&lol4;"/>"""
    with pytest.raises(scorm.ScormError, match="DTD or entities"):
        manifests.parse(laughs)


def test_a_manifest_without_a_launchable_resource_is_refused():
    empty = MANIFEST_12.replace(b'identifierref="r-sco"', b"").replace(
        b'identifierref="r-asset"', b""
    )
    with pytest.raises(scorm.ScormError, match="no page to launch"):
        manifests.parse(empty)


@pytest.mark.parametrize(
    "href",
    ["../../x.html", "content/../../x.html", "/etc/passwd", "https://example.org/x.html", "//x"],
)
def test_a_launch_outside_the_package_is_refused(href):
    with pytest.raises(scorm.ScormError, match="outside|not inside"):
        manifests.parse(manifest_with_launch(href))


def test_a_launch_inside_the_package_is_normalised():
    assert manifests.parse(manifest_with_launch("./a/../b/c.html")).launch == ("b/c.html?chapter=1")


# Zips --------------------------------------------------------------------------------------


def test_a_file_that_is_not_a_zip_is_refused():
    with pytest.raises(scorm.ScormError, match="not a zip"):
        scorm.open_package(upload(b"just some text"))


def test_a_zip_without_a_manifest_is_refused():
    with pytest.raises(scorm.ScormError, match="no imsmanifest.xml"):
        scorm.open_package(upload(make_zip({"index.html": b"<p>hi</p>"})))


def test_a_start_page_missing_from_the_zip_is_refused():
    with pytest.raises(scorm.ScormError, match="missing"):
        scorm.open_package(upload(make_zip({"imsmanifest.xml": MANIFEST_12})))


@pytest.mark.parametrize(
    "name", ["../evil.html", "content/../../evil.html", "/var/evil.html", "C:/evil.html", "..\\x"]
)
def test_members_that_climb_out_are_refused_and_nothing_is_written(
    module, centre_staff, media, name
):
    data = package_12(**{name: b"<script>alert(1)</script>"})
    with pytest.raises(scorm.ScormError, match="outside its folder|absolute path"):
        services.upload_package(centre_staff, module, upload(data), "Evil")
    assert not ScormPackage.objects.exists()
    assert not media.exists() or not any(media.rglob("*evil*"))
    assert not (media.parent / "evil.html").exists()


def test_a_symbolic_link_is_refused(module, centre_staff):
    data = make_zip(
        {"imsmanifest.xml": MANIFEST_12, "content/start.html": b"x"},
        symlinks=[("content/passwd", "/etc/passwd")],
    )
    with pytest.raises(scorm.ScormError, match="symbolic link"):
        services.upload_package(centre_staff, module, upload(data))


def test_a_zip_bomb_is_refused(settings):
    settings.TRAINING_SCORM_MAX_UNPACKED_BYTES = 5 * scorm.MB
    data = package_12(**{"big.txt": b"\0" * (6 * scorm.MB)})
    with pytest.raises(scorm.ScormError, match="more than 5 MB|zip bomb"):
        scorm.open_package(upload(data))


def test_a_highly_compressed_member_is_refused():
    data = package_12(**{"bomb.txt": b"\0" * (3 * scorm.MB)})
    with pytest.raises(scorm.ScormError, match="zip bomb"):
        scorm.open_package(upload(data))


def test_too_many_files_are_refused(settings):
    settings.TRAINING_SCORM_MAX_FILES = 3
    data = package_12(**{f"f{i}.txt": b"x" for i in range(5)})
    with pytest.raises(scorm.ScormError, match="more than 3 files"):
        scorm.open_package(upload(data))


def test_a_hostile_manifest_inside_a_zip_is_refused(module, centre_staff):
    hostile = b"""<?xml version="1.0"?><!DOCTYPE m [<!ENTITY x SYSTEM "file:///etc/passwd">]>
<manifest>&x;</manifest>"""
    data = make_zip({"imsmanifest.xml": hostile, "index.html": b""})
    with pytest.raises(scorm.ScormError, match="DTD"):
        services.upload_package(centre_staff, module, upload(data))


# Upload ------------------------------------------------------------------------------------


def test_the_centre_uploads_a_package_and_it_is_unpacked_in_its_own_folder(
    module, centre_staff, media
):
    package = services.upload_package(centre_staff, module, upload(package_12()), "Interviews")
    folder = Path(media) / package.folder
    assert package.folder.startswith("training/scorm/")
    assert (folder / "content" / "start.html").read_bytes() == b"<h1>Start</h1>"
    assert (package.version, package.launch) == ("1.2", "content/start.html?chapter=1")
    assert package.mastery_score == Decimal("80")
    assert package.uploaded_by == centre_staff
    assert AuditEntry.objects.filter(action="scorm_package.uploaded").count() == 1


def test_the_demo_package_is_valid():
    archive, members, manifest = scorm.open_package(upload(build_demo_package()))
    assert manifest.version == "1.2"
    assert manifest.launch == "index.html"
    assert manifest.mastery_score == Decimal("70")
    assert {"index.html", "self-check.js", "self-check.css"} <= set(members)
    assert b"<script>" not in archive.read("index.html")


def test_an_outsider_cannot_upload(module, outsider, media):
    with pytest.raises(PermissionDenied):
        services.upload_package(outsider, module, upload(package_12()))
    assert not ScormPackage.objects.exists()


def test_the_folder_is_removed_when_the_database_write_fails(
    module, centre_staff, media, monkeypatch
):
    def broken(**kwargs):
        raise RuntimeError("database gone")

    monkeypatch.setattr(ScormPackage.objects, "create", broken)
    with pytest.raises(RuntimeError):
        services.upload_package(centre_staff, module, upload(package_12()))
    scorm_root = Path(media) / "training" / "scorm"
    assert not scorm_root.exists() or not any(scorm_root.iterdir())


# Served paths and time ---------------------------------------------------------------------


def test_package_file_never_leaves_the_folder(tmp_path):
    root = tmp_path / "pkg"
    (root / "a").mkdir(parents=True)
    (root / "a" / "page.html").write_text("ok")
    (tmp_path / "secret.txt").write_text("no")
    assert scorm.package_file(root, "a/page.html") == (root / "a" / "page.html").resolve()
    assert scorm.package_file(root, "a/../../secret.txt") is None
    assert scorm.package_file(root, "/etc/passwd") is None
    assert scorm.package_file(root, "a") is None
    assert scorm.package_file(root, "missing.html") is None


@pytest.mark.parametrize(
    ("value", "seconds"),
    [
        ("0000:01:30.50", 90),
        ("12:00:05", 43205),
        ("PT1H2M3S", 3723),
        ("PT45.5S", 45),
        ("P1DT1H", 90000),
        ("PT", None),
        ("soon", None),
        ("", None),
        (None, None),
    ],
)
def test_times_are_read_in_both_formats(value, seconds):
    assert scorm.seconds_of(value) == seconds
