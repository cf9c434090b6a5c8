"""``liaison restore PATH``: bring an archive of ``liaison backup`` back into an installation."""

from django.core.management.base import BaseCommand, CommandError

from liaison.core.backup import BackupError, restore_backup


class Command(BaseCommand):
    help = (
        "Restore the rows and uploaded files of a `liaison backup` archive into an empty, "
        "migrated installation. The archive is checked in full before anything changes."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="the archive written by `liaison backup`")
        parser.add_argument(
            "--force",
            action="store_true",
            help="replace every row of an installation that already holds data",
        )

    def handle(self, *args, path, force, **options):
        try:
            manifest = restore_backup(path, force=force)
        except BackupError as error:
            raise CommandError(str(error)) from error
        rows = sum(manifest["counts"].values())
        files = len(manifest["files"]) - 1
        self.stdout.write(f"Restored {rows} rows and {files} uploaded files from {path}.")
