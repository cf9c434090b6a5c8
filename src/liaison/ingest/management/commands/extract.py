"""``liaison extract FILE --json``: one factsheet's fields, as the extraction contract says."""

import json
import sys

from django.conf import settings
from django.core.management.base import BaseCommand

from liaison.ingest.extract import extract_file
from liaison.ingest.readers import UnreadableFile


class Command(BaseCommand):
    help = "Print the fields of one factsheet (.txt, .md, .html, .pdf, .docx)."
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--json", action="store_true", help="print JSON (the default)")
        parser.add_argument("--indent", type=int, default=None, help="indent the JSON")

    def handle(self, *args, **options):
        try:
            result = extract_file(options["file"], max_bytes=settings.INGEST_MAX_BYTES)
        except UnreadableFile as error:
            sys.stderr.write(f"{options['file']}: {error}\n")
            sys.exit(2)
        self.stdout.write(json.dumps(result, ensure_ascii=False, indent=options["indent"]))
