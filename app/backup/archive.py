"""The archive: a ZIP file of the database copy, the attached files and a manifest."""

import hashlib
import json
import os
import shutil
import tempfile
import textwrap
import uuid
import zipfile
import zlib
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
from typing import IO

from flask import current_app

from app.backup import BackupError
from app.backup.database import dump_database, load_database
from app.extensions import db

FORMAT = "pix-portal-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
ATTACHMENTS = "attachments/"
DATABASE_MEMBERS = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
CHUNK = 1024 * 1024
UNREADABLE = (zipfile.BadZipFile, zlib.error, EOFError)


def _attachment_files(folder: Path) -> Iterator[Path]:
    """Yield every regular file under the attachments folder, in a stable order."""
    for root, directories, names in os.walk(folder):
        directories.sort()
        for name in sorted(names):
            path = Path(root) / name
            if path.is_file() and not path.is_symlink():
                yield path


def _add(archive: zipfile.ZipFile, source: Path, name: str, compress: bool = True) -> dict:
    """Write a file into the archive and return its manifest entry (size, SHA-256)."""
    info = zipfile.ZipInfo.from_file(source, name)
    info.compress_type = zipfile.ZIP_DEFLATED if compress else zipfile.ZIP_STORED
    digest, size = hashlib.sha256(), 0
    with source.open("rb") as stream, archive.open(info, "w", force_zip64=True) as target:
        while chunk := stream.read(CHUNK):
            digest.update(chunk)
            target.write(chunk)
            size += len(chunk)
    return {"name": name, "size": size, "sha256": digest.hexdigest()}


def _write(work: Path, path: Path, folder: Path, dialect: str, created_at: str) -> dict:
    """Copy the database, then write the archive in a work folder and move it to path."""
    dump = work / DATABASE_MEMBERS[dialect]
    # The database first: a file is written before its row and never deleted, so every
    # attachment of the copy finds its file below (one uploaded meanwhile is merely extra).
    revision, counts = dump_database(dump)
    partial = work / "archive.zip"
    with zipfile.ZipFile(partial, "w") as archive:
        members = [_add(archive, dump, dump.name, compress=dialect == "sqlite")]
        for file in _attachment_files(folder):
            name = ATTACHMENTS + file.relative_to(folder).as_posix()
            if not safe_name(name):
                raise BackupError(f"{file}: a file name the archive cannot hold safely")
            members.append(_add(archive, file, name))
        manifest = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "created_at": created_at,
            "schema_revision": revision,
            "dialect": dialect,
            "tables": counts,
            "members": members,
        }
        archive.writestr(MANIFEST, json.dumps(manifest, indent=2, ensure_ascii=False))
    partial.chmod(0o600)  # personal data and password hashes
    partial.rename(path)
    return manifest


def create(path: Path) -> dict:
    """Write a backup archive of the database and the attached files; return its manifest."""
    dialect = db.engine.dialect.name
    if dialect not in DATABASE_MEMBERS:
        raise BackupError(f"cannot back up a {dialect} database")
    if path.exists():
        raise BackupError(f"{path} already exists: choose another file name")
    folder = Path(current_app.config["ATTACHMENTS_DIR"])
    created_at = datetime.now(UTC).isoformat(timespec="seconds")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(dir=path.parent, prefix=f".{path.name}.") as work:
            manifest = _write(Path(work), path, folder, dialect, created_at)
    except OSError as error:
        raise BackupError(f"cannot write {path}: {error}") from None
    return manifest


def safe_name(name: str) -> bool:
    """Tell whether a member name is one the archive may hold: never absolute, never `..`."""
    parts = name.split("/")
    return (
        "\\" not in name
        and "\x00" not in name
        and not PurePosixPath(name).is_absolute()
        and all(part not in ("", ".", "..") for part in parts)
        and (name in (MANIFEST, *DATABASE_MEMBERS.values()) or name.startswith(ATTACHMENTS))
    )


def _read_manifest(archive: zipfile.ZipFile) -> dict:
    """Read the manifest and check it describes exactly the archive's members, safely named."""
    names = archive.namelist()
    unsafe = [name for name in names if not safe_name(name)]
    if unsafe:
        raise BackupError(f"unsafe member name {unsafe[0]!r}: archive refused")
    if len(set(names)) != len(names):
        raise BackupError("the archive holds the same member twice: archive refused")
    if MANIFEST not in names:
        raise BackupError(f"no {MANIFEST}: not a backup of the portal")
    try:
        manifest = json.loads(archive.read(MANIFEST))
        if manifest["format"] != FORMAT or manifest["format_version"] != FORMAT_VERSION:
            raise BackupError(
                f"unknown archive format {manifest['format']} {manifest['format_version']}"
            )
        database = DATABASE_MEMBERS.get(manifest["dialect"])
        listed = [member["name"] for member in manifest["members"]]
        for member in manifest["members"]:
            if not (isinstance(member["size"], int) and isinstance(member["sha256"], str)):
                raise TypeError(member)
        datetime.fromisoformat(manifest["created_at"])
        {str(name): int(count) for name, count in manifest.get("tables", {}).items()}
        str(manifest["schema_revision"])
    except (ValueError, KeyError, TypeError) as error:
        raise BackupError(f"the manifest is unreadable or incomplete ({error!r})") from None
    if database is None or database not in listed:
        raise BackupError(f"the manifest names no database for dialect {manifest['dialect']!r}")
    stray = sorted((set(names) - {MANIFEST}) ^ set(listed))
    if stray or len(set(listed)) != len(listed):
        raise BackupError(f"the members do not match the manifest (first: {stray[:1]})")
    if any(name != database and not name.startswith(ATTACHMENTS) for name in listed):
        raise BackupError("the manifest lists a member that is neither database nor attachment")
    return manifest


def _copy_member(archive: zipfile.ZipFile, member: dict, target: IO[bytes] | None) -> None:
    """Read a member (into target, if given) and check its size and SHA-256."""
    digest, size = hashlib.sha256(), 0
    with archive.open(member["name"]) as stream:
        while chunk := stream.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
            if target is not None:
                target.write(chunk)
    if size != member["size"] or digest.hexdigest() != member["sha256"]:
        raise BackupError(f"{member['name']}: checksum does not match the manifest (corrupted)")


def verify(path: Path) -> dict:
    """Check an archive (manifest, member names, sizes and checksums); return its manifest."""
    try:
        with zipfile.ZipFile(path) as archive:
            manifest = _read_manifest(archive)
            for member in manifest["members"]:
                _copy_member(archive, member, None)
    except UNREADABLE as error:
        raise BackupError(f"{path} is corrupted or not a ZIP archive ({error})") from None
    except OSError as error:
        raise BackupError(f"cannot read {path}: {error.strerror}") from None
    return manifest


def _swap(staging: Path, folder: Path) -> None:
    """Put the staged attachments in place of the folder; keep the old files if that fails."""
    if not folder.exists():
        staging.rename(folder)
        return
    staging.chmod(folder.stat().st_mode & 0o7777)
    old = folder.with_name(f".{folder.name}.old-{uuid.uuid4().hex}")
    folder.rename(old)
    try:
        staging.rename(folder)
    except OSError:
        old.rename(folder)
        raise
    shutil.rmtree(old)


def restore(path: Path, manifest: dict) -> None:
    """Replace the database and the attached files with a verified archive's content."""
    folder = Path(current_app.config["ATTACHMENTS_DIR"]).absolute()
    folder.parent.mkdir(parents=True, exist_ok=True)
    database = DATABASE_MEMBERS[manifest["dialect"]]
    staging = Path(tempfile.mkdtemp(dir=folder.parent, prefix=f".{folder.name}.restore-"))
    try:
        with tempfile.TemporaryDirectory(dir=folder.parent, prefix=".backup-") as work:
            copy = Path(work) / database
            try:
                with zipfile.ZipFile(path) as archive:
                    for member in manifest["members"]:
                        name = member["name"]
                        target = copy if name == database else staging / name[len(ATTACHMENTS) :]
                        inside = target.resolve().is_relative_to(staging.resolve())
                        if target != copy and not inside:
                            raise BackupError(f"unsafe member name {name!r}: archive refused")
                        target.parent.mkdir(parents=True, exist_ok=True)
                        with target.open("wb") as stream:
                            _copy_member(archive, member, stream)
            except UNREADABLE as error:
                raise BackupError(f"{path} is corrupted ({error})") from None
            except OSError as error:
                raise BackupError(f"cannot unpack {path}: {error}") from None
            try:
                load_database(copy)
            except BackupError as error:
                error.message += "; the database and the attached files are unchanged"
                raise
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    try:
        _swap(staging, folder)
    except OSError as error:
        shutil.rmtree(staging, ignore_errors=True)
        raise BackupError(
            f"the database was restored but the attached files could not be put in place "
            f"({error}); {folder} still holds the previous files: restore again"
        ) from None


def _size(size: int) -> str:
    """Return a size in bytes as a short text."""
    if size < 1000:
        return f"{size} bytes"
    if size < 1000**2:
        return f"{size / 1000:.1f} kB"
    return f"{size / 1000**2:.1f} MB"


def describe(manifest: dict) -> list[str]:
    """Return the lines that sum up an archive: date, revision, database, files, rows."""
    database = DATABASE_MEMBERS[manifest["dialect"]]
    files = [member for member in manifest["members"] if member["name"] != database]
    [dump] = [member for member in manifest["members"] if member["name"] == database]
    rows = ", ".join(f"{name}={count}" for name, count in manifest.get("tables", {}).items())
    return [
        f"created:         {manifest['created_at']}",
        f"schema revision: {manifest['schema_revision']}",
        f"database:        {manifest['dialect']}, {_size(dump['size'])}",
        f"attached files:  {len(files)}, {_size(sum(member['size'] for member in files))}",
        *textwrap.wrap(rows, 90, initial_indent="rows:            ", subsequent_indent=" " * 17),
    ]
