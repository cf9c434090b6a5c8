"""``liaison backup PATH``: one archive with every table's rows and every uploaded file."""

from django.core.management.base import BaseCommand, CommandError

from liaison.core.backup import BackupError, write_backup


class Command(BaseCommand):
    help = (
        "Write every table's rows and every uploaded file into one zip archive at PATH, which "
        "`liaison restore` brings back on SQLite or PostgreSQL."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="the archive to write (a new file, e.g. liaison.zip)")

    def handle(self, *args, path, **options):
        try:
            manifest = write_backup(path)
        except BackupError as error:
            raise CommandError(str(error)) from error
        rows = sum(manifest["counts"].values())
        files = len(manifest["files"]) - 1
        self.stdout.write(f"Backed up {rows} rows and {files} uploaded files to {path}.")
