"""A small SCORM 1.2 package written by the team: a self-check on spotting vulnerable persons
at a border. Demo data and the browser tests upload it like any other package."""

import io
import zipfile
from pathlib import Path

FOLDER = Path(__file__).parent
FILES = ["imsmanifest.xml", "index.html", "self-check.js", "self-check.css"]


def build_demo_package() -> bytes:
    """The package as a zip, made in memory from the source files beside this module."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in FILES:
            archive.write(FOLDER / name, name)
    return buffer.getvalue()
