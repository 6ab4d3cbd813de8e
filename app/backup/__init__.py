"""Backup and restore: one archive of the database and the attached files, checked first.

The archive is a ZIP file: its manifest is read without unpacking the rest, each member is
compressed on its own (the PostgreSQL dump, already compressed, is stored as is), it cannot hold
links or devices, and any system opens it.
"""

import click


class BackupError(click.ClickException):
    """A backup or a restore was refused or failed."""
