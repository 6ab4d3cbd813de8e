"""`flask backup create|verify|restore`."""

from pathlib import Path

import click

from app.backup import BackupError
from app.backup.archive import create, describe, restore, verify
from app.backup.database import check_restorable, head_revision

backup = click.Group("backup", help="Back up and restore the database and the attached files.")
archive_path = click.Path(dir_okay=False, path_type=Path)


@backup.command("create")
@click.argument("path", type=archive_path)
def create_command(path: Path) -> None:
    """Write one archive of the database and the attached files (safe while the portal runs)."""
    manifest = create(path)
    click.echo(f"Backup written: {path}")
    for line in describe(manifest):
        click.echo(f"  {line}")


@backup.command("verify")
@click.argument("path", type=archive_path)
def verify_command(path: Path) -> None:
    """Check an archive's manifest and checksums without restoring anything."""
    manifest = verify(path)
    click.echo(f"Archive intact: {path}")
    for line in describe(manifest):
        click.echo(f"  {line}")
    expected = head_revision()
    if manifest["schema_revision"] != expected:
        click.echo(f"  (this version of the portal expects revision {expected})")


@backup.command("restore")
@click.argument("path", type=archive_path)
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def restore_command(path: Path, yes: bool) -> None:
    """Replace the database and the attached files with an archive's (portal stopped)."""
    manifest = verify(path)
    check_restorable(manifest)
    click.echo(f"Archive intact: {path}")
    for line in describe(manifest):
        click.echo(f"  {line}")
    if not yes:
        question = "Replace the whole database and every attached file with this archive's?"
        try:
            confirmed = click.confirm(question, default=False)
        except click.Abort:
            confirmed = False
        if not confirmed:
            raise BackupError("not confirmed (use --yes to skip the question): nothing changed")
    restore(path, manifest)
    click.echo("Restored. Start the portal and its mail worker again.")
