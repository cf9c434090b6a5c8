"""``liaison import PATH...``: create or update projects from factsheet files and folders."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from liaison.ingest.extract import extract_text
from liaison.ingest.readers import FORMATS, UnreadableFile, read_path
from liaison.ingest.services import Directory, Draft, ImportRefused, import_draft


def factsheet_paths(paths: list[str]) -> list[Path]:
    """The files named, and the factsheets inside the folders named, in a stable order."""
    found = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found.extend(
                sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in FORMATS)
            )
        else:
            found.append(path)
    return found


class Command(BaseCommand):
    help = "Create or update portfolio projects from factsheets; each file is one transaction."

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", metavar="PATH")

    def handle(self, *args, **options):
        paths = factsheet_paths(options["paths"])
        if not paths:
            raise CommandError("no factsheets found in the paths given")
        directory = Directory()
        counts = {"created": 0, "updated": 0, "failed": 0}
        for path in paths:
            try:
                document = read_path(path, max_bytes=settings.INGEST_MAX_BYTES)
                draft = Draft.from_extracted(extract_text(document.text, document.heading))
                outcome = import_draft(None, draft, path.name, directory)
            except (UnreadableFile, ImportRefused) as error:
                counts["failed"] += 1
                self.stdout.write(f"failed   {path}: {error}")
                continue
            state = "created" if outcome.created else "updated"
            counts[state] += 1
            line = f"{state:8} {path} -> project {outcome.project.pk}: {outcome.project.title}"
            if outcome.matched_by:
                line += f" ({outcome.matched_by})"
            if outcome.new_organisations:
                line += f"; new organisations to review: {', '.join(outcome.new_organisations)}"
            self.stdout.write(line)
        self.stdout.write(
            f"{len(paths)} files: {counts['created']} created, {counts['updated']} updated, "
            f"{counts['failed']} failed"
        )
        if counts["failed"]:
            raise CommandError(f"{counts['failed']} of {len(paths)} files failed", returncode=1)
