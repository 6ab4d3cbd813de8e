"""Backup and restore: the same rows, files and pages come back; bad archives change nothing."""

import hashlib
import io
import json
import re
import shutil
import sqlite3
import subprocess
import zipfile
from contextlib import closing
from pathlib import Path

import pytest
from alembic.script import ScriptDirectory
from flask import current_app
from sqlalchemy import select, text

from app.auth import services as accounts
from app.auth.models import Role, User
from app.backup.archive import ATTACHMENTS, DATABASE_MEMBERS, MANIFEST
from app.content.models import Attachment, ContentKind, ContentState
from app.directorates.models import Cvrh
from app.extensions import db
from tests.conftest import empty_database, log_in, make_user
from tests.content.conftest import make
from tests.factories import build_known

PDF = b"%PDF-1.7\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"
NOTE = "/fr/content/deployer/note"
CSRF_TOKEN = re.compile(rb'name="csrf_token" value="[^"]*"')


def sqlite_only():
    """Skip unless the tests run on SQLite."""
    if db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite only")


def postgresql_only():
    """Skip unless the tests run on PostgreSQL."""
    if db.engine.dialect.name != "postgresql":
        pytest.skip("PostgreSQL only")


@pytest.fixture(autouse=True)
def attachments_dir(app, tmp_path) -> Path:
    """Keep attached files in the test's own folder, whose parent is checked for leftovers."""
    app.config["ATTACHMENTS_DIR"] = str(tmp_path / "instance" / "attachments")
    return tmp_path / "instance" / "attachments"


def _drop_revision_table() -> None:
    db.session.execute(text("DROP TABLE IF EXISTS alembic_version"))
    db.session.commit()


@pytest.fixture
def stamp(runner):
    """Return a function that stamps the test database with a revision, as `flask db stamp`."""

    def do_stamp(revision: str = "head") -> None:
        _drop_revision_table()
        result = runner.invoke(args=["db", "stamp", revision])
        assert result.exit_code == 0, result.output

    yield do_stamp
    _drop_revision_table()


@pytest.fixture
def portal(app, client, stamp, project_team_user, directorate_user, cvrh_user, attachments_dir):
    """A portal with accounts, declarations, a CODIR request, content, files and mail."""
    stamp()
    build_known()
    accounts.create_user(
        "invited@example.org", Role.CVRH, cvrh=db.session.scalar(select(Cvrh).limit(1))
    )
    section = make(
        project_team_user,
        ContentKind.SECTION,
        "fr",
        None,
        "Déployer",
        ContentState.PUBLISHED,
        slug="deployer",
    )
    note = make(
        project_team_user,
        ContentKind.PAGE,
        "fr",
        section,
        "Note de cadrage",
        ContentState.PUBLISHED,
        slug="note",
        body="La note **publiée** pour les correspondants.",
    )
    log_in(client, project_team_user)
    for name, content in (("Note 2023.pdf", PDF), ("Annexe.pdf", PDF + b"% annexe\n")):
        response = client.post(
            f"/fr/content/item/{note.id}/attachments",
            data={"file": (io.BytesIO(content), name)},
            content_type="multipart/form-data",
        )
        assert response.status_code == 302
    # Files attached to a published page wait in its working copy: publish it.
    assert client.post(f"/fr/content/item/{note.id}/publish").status_code == 302
    client.post("/fr/logout")
    return note


def rows() -> dict[str, list[tuple]]:
    """Return every row of every table (search index included), in a stable order."""
    db.session.commit()
    tables = [table.name for table in db.metadata.sorted_tables] + ["content_search"]
    with db.engine.connect() as connection:
        return {
            name: sorted(
                (tuple(row) for row in connection.execute(text(f'SELECT * FROM "{name}"'))),  # noqa: S608
                key=repr,
            )
            for name in tables
        }


def attachment_urls() -> list[str]:
    """Return the download address of every attachment."""
    return [
        f"/fr/content/item/{a.item_id}/files/{a.id}/{a.file_name}"
        for a in db.session.scalars(select(Attachment).order_by(Attachment.id))
    ]


def pages(app, email: str, urls: list[str]) -> dict[str, tuple[int, bytes]]:
    """Fetch pages as a visitor and as the project team; return each one's status and body."""
    visitor, member = app.test_client(), app.test_client()
    assert log_in(member, email).status_code == 302
    requests = [(url, visitor) for url in urls] + [
        (f"team {url}", member)
        for url in ("/fr/declarations/PIX-2023/", "/fr/codir/", "/fr/content/manage")
    ]
    seen = {}
    for name, client in requests:
        with client.get(name.removeprefix("team ")) as response:
            # The session's CSRF token is the only part that differs between two sessions.
            seen[name] = (response.status_code, CSRF_TOKEN.sub(b"", response.data))
    return seen


def files(folder: Path) -> dict[str, bytes]:
    """Return the bytes of every file under a folder, by relative path."""
    if not folder.exists():
        return {}
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


def backup(runner, path: Path) -> Path:
    """Create an archive through the command line and return its path."""
    result = runner.invoke(args=["backup", "create", str(path)])
    assert result.exit_code == 0, result.output
    return path


def members(path: Path) -> dict[str, bytes]:
    """Return every member of an archive by name."""
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def repack(path: Path, content: dict[str, bytes]) -> Path:
    """Write an archive holding exactly these members, names kept as given."""
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in content.items():
            archive.writestr(zipfile.ZipInfo(name), data)
    return path


def entry(name: str, data: bytes) -> dict:
    """Return the manifest entry of a member."""
    return {"name": name, "size": len(data), "sha256": hashlib.sha256(data).hexdigest()}


def leftovers(attachments_dir: Path) -> list[str]:
    """Return whatever sits next to the attachments folder besides it (temporary folders)."""
    return sorted(p.name for p in attachments_dir.parent.iterdir() if p != attachments_dir)


def test_restore_brings_back_the_same_rows_files_and_pages(
    app, runner, portal, project_team_user, attachments_dir, tmp_path
):
    email = project_team_user.email
    urls = [NOTE, "/fr/content/search?q=correspondants", *attachment_urls()]
    before_pages = pages(app, email, urls)  # first: logging in is recorded on the account
    before = rows()
    before_files = files(attachments_dir)
    assert len(before_files) == 2
    for name in ("user", "declaration", "content_item", "outbox_message", "attachment"):
        assert before[name], name
    assert before["content_search"]
    assert before_pages[NOTE][0] == 200 and "publiée".encode() in before_pages[NOTE][1]
    assert before_pages[urls[2]] == (200, PDF)
    assert b"DREAL" in before_pages["team /fr/declarations/PIX-2023/"][1]

    archive = backup(runner, tmp_path / "backups" / "portal.zip")
    assert archive.stat().st_mode & 0o077 == 0
    empty_database()
    shutil.rmtree(attachments_dir)
    attachments_dir.mkdir()
    (attachments_dir / "stray-file").write_bytes(b"not in the archive")
    assert rows()["user"] == []
    assert app.test_client().get(NOTE).status_code == 404

    result = runner.invoke(args=["backup", "restore", str(archive), "--yes"])
    assert result.exit_code == 0, result.output
    assert rows() == before
    assert files(attachments_dir) == before_files
    assert pages(app, email, urls) == before_pages
    assert leftovers(attachments_dir) == []
    # The portal keeps writing after a restore: identifiers carry on where they were.
    newcomer = make_user("nouvelle.personne@example.org", Role.PROJECT_TEAM)
    assert newcomer.id > max(user[0] for user in before["user"])


def test_archive_holds_the_database_the_files_and_a_manifest(runner, portal, tmp_path):
    archive = backup(runner, tmp_path / "portal.zip")
    content = members(archive)
    manifest = json.loads(content[MANIFEST])
    dialect = db.engine.dialect.name
    database = DATABASE_MEMBERS[dialect]
    assert manifest["dialect"] == dialect
    assert manifest["format_version"] == 1
    assert manifest["created_at"].endswith("+00:00")
    assert (
        manifest["schema_revision"]
        == ScriptDirectory(current_app.extensions["migrate"].directory).get_current_head()
    )
    assert manifest["tables"]["user"] == 4 and manifest["tables"]["declaration"] == 3
    assert set(content) == {MANIFEST, *(m["name"] for m in manifest["members"])}
    for member in manifest["members"]:
        assert member == entry(member["name"], content[member["name"]])
    stored = {a.storage_key for a in db.session.scalars(select(Attachment))}
    assert {name for name in content if name.startswith(ATTACHMENTS)} == {
        ATTACHMENTS + key for key in stored
    }
    if dialect == "sqlite":
        copy = tmp_path / "copy.sqlite3"
        copy.write_bytes(content[database])
        with closing(sqlite3.connect(copy)) as connection:
            assert connection.execute('SELECT count(*) FROM "user"').fetchone() == (4,)
    else:
        assert content[database].startswith(b"PGDMP")  # pg_dump's custom format

    verified = runner.invoke(args=["backup", "verify", str(archive)])
    assert verified.exit_code == 0, verified.output
    assert f"schema revision: {manifest['schema_revision']}" in verified.output
    assert manifest["created_at"] in verified.output
    assert "attached files:  2" in verified.output
    assert "user=4" in verified.output


def test_backup_refuses_to_overwrite_an_archive(runner, portal, tmp_path):
    archive = backup(runner, tmp_path / "portal.zip")
    first = archive.read_bytes()
    again = runner.invoke(args=["backup", "create", str(archive)])
    assert again.exit_code != 0
    assert "already exists" in again.output
    assert archive.read_bytes() == first


def test_backup_refuses_a_database_without_schema_revision(runner, app, tmp_path):
    _drop_revision_table()
    result = runner.invoke(args=["backup", "create", str(tmp_path / "portal.zip")])
    assert result.exit_code != 0
    assert "no schema revision" in result.output
    assert "flask db upgrade" in result.output
    assert list(tmp_path.glob("*.zip")) == []
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".portal")] == []


def _state(attachments_dir: Path) -> tuple:
    return rows(), files(attachments_dir)


@pytest.fixture
def changed_since_backup(runner, portal, tmp_path, attachments_dir, project_team_user):
    """An archive, then more rows and files, so that a refused restore shows it changed nothing."""
    archive = backup(runner, tmp_path / "portal.zip")
    make_user("apres.sauvegarde@example.org", Role.PROJECT_TEAM)
    (attachments_dir / "added-after").write_bytes(b"newer file")
    return archive


def _refused(runner, archive: Path, attachments_dir: Path, *messages: str, args=("--yes",)):
    before = _state(attachments_dir)
    result = runner.invoke(args=["backup", "restore", str(archive), *args])
    assert result.exit_code != 0
    for message in messages:
        assert message in result.output
    assert _state(attachments_dir) == before
    assert leftovers(attachments_dir) == []
    return result


def _corrupt_member(content: dict[str, bytes]) -> dict[str, bytes]:
    name = next(name for name in content if name.startswith(ATTACHMENTS))
    return {**content, name: content[name] + b"tampered"}


def _drop_member(content: dict[str, bytes]) -> dict[str, bytes]:
    name = next(name for name in content if name.startswith(ATTACHMENTS))
    return {key: value for key, value in content.items() if key != name}


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (_corrupt_member, "checksum does not match the manifest"),
        (_drop_member, "do not match the manifest"),
        (lambda content: {k: v for k, v in content.items() if k != MANIFEST}, "no manifest"),
        (lambda content: {**content, MANIFEST: b"{not json"}, "manifest is unreadable"),
    ],
)
def test_corrupted_archive_is_refused_and_nothing_changes(
    runner, changed_since_backup, attachments_dir, tmp_path, damage, message
):
    damaged = repack(tmp_path / "damaged.zip", damage(members(changed_since_backup)))
    _refused(runner, damaged, attachments_dir, message)
    verified = runner.invoke(args=["backup", "verify", str(damaged)])
    assert verified.exit_code != 0
    assert message in verified.output


@pytest.mark.parametrize("how", ["flipped byte", "truncated"])
def test_damaged_bytes_are_refused_and_nothing_changes(
    runner, changed_since_backup, attachments_dir, how
):
    data = bytearray(changed_since_backup.read_bytes())
    if how == "flipped byte":
        data[len(data) // 3] ^= 0xFF
    else:
        del data[len(data) // 2 :]
    changed_since_backup.write_bytes(bytes(data))
    _refused(runner, changed_since_backup, attachments_dir, "corrupted")


@pytest.mark.parametrize(
    "name",
    [
        "../evil.txt",
        "attachments/../../evil.txt",
        "attachments/sub/../../../evil.txt",
        "/tmp/evil.txt",  # noqa: S108 - an absolute name, never written
        "attachments\\..\\..\\evil.txt",
        "attachments/./evil.txt",
        "attachments//evil.txt",
        "evil.txt",
    ],
)
def test_member_outside_the_attachments_is_refused(
    runner, changed_since_backup, attachments_dir, tmp_path, name
):
    content = members(changed_since_backup)
    manifest = json.loads(content[MANIFEST])
    manifest["members"].append(entry(name, b"evil"))
    content.update({name: b"evil", MANIFEST: json.dumps(manifest).encode()})
    hostile = repack(tmp_path / "hostile.zip", content)
    assert name in members(hostile)
    _refused(runner, hostile, attachments_dir, "unsafe member name")
    assert list(tmp_path.rglob("evil.txt")) == []


def test_member_missing_from_the_manifest_is_refused(
    runner, changed_since_backup, attachments_dir, tmp_path
):
    content = {**members(changed_since_backup), "attachments/unlisted": b"unlisted"}
    _refused(runner, repack(tmp_path / "extra.zip", content), attachments_dir, "do not match")


def test_other_schema_revision_is_refused(
    runner, stamp, changed_since_backup, attachments_dir, tmp_path
):
    script = ScriptDirectory(current_app.extensions["migrate"].directory)
    head = script.get_current_head()
    previous = script.get_revision(head).down_revision
    stamp(previous)
    older = backup(runner, tmp_path / "older.zip")
    stamp(head)
    result = _refused(runner, older, attachments_dir, previous, head, "flask db upgrade")
    assert "matching" in result.output
    verified = runner.invoke(args=["backup", "verify", str(older)])
    assert verified.exit_code == 0
    assert f"expects revision {head}" in verified.output


def test_archive_of_the_other_database_system_is_refused(
    runner, changed_since_backup, attachments_dir, tmp_path
):
    ours = db.engine.dialect.name
    other = "postgresql" if ours == "sqlite" else "sqlite"
    content = members(changed_since_backup)
    manifest = json.loads(content[MANIFEST])
    dump = content.pop(DATABASE_MEMBERS[ours])
    content[DATABASE_MEMBERS[other]] = dump
    manifest["dialect"] = other
    for member in manifest["members"]:
        if member["name"] == DATABASE_MEMBERS[ours]:
            member["name"] = DATABASE_MEMBERS[other]
    content[MANIFEST] = json.dumps(manifest).encode()
    foreign = repack(tmp_path / "foreign.zip", content)
    assert runner.invoke(args=["backup", "verify", str(foreign)]).exit_code == 0
    _refused(runner, foreign, attachments_dir, f"holds a {other} database", f"uses {ours}")


@pytest.mark.parametrize("answer", [None, "n\n", "\n"])
def test_restore_asks_first_and_without_a_yes_changes_nothing(
    runner, changed_since_backup, attachments_dir, answer
):
    before = _state(attachments_dir)
    result = runner.invoke(args=["backup", "restore", str(changed_since_backup)], input=answer)
    assert "Replace the whole database" in result.output
    assert result.exit_code != 0
    assert "nothing changed" in result.output
    assert _state(attachments_dir) == before


def test_restore_goes_ahead_when_confirmed(runner, changed_since_backup, attachments_dir):
    result = runner.invoke(args=["backup", "restore", str(changed_since_backup)], input="y\n")
    assert result.exit_code == 0, result.output
    assert (
        db.session.scalar(select(User).where(User.email == "apres.sauvegarde@example.org")) is None
    )
    assert "added-after" not in files(attachments_dir)


def test_sqlite_backup_takes_what_is_committed_while_another_connection_writes(
    app, runner, stamp, tmp_path
):
    sqlite_only()
    stamp()
    live = db.engine.url.database
    db.session.remove()
    db.engine.dispose()
    with closing(sqlite3.connect(live, isolation_level=None)) as writer:
        assert writer.execute("PRAGMA journal_mode=WAL").fetchone() == ("wal",)
        try:
            writer.execute("UPDATE cvrh SET city = 'Validé' WHERE code = 'CVRH-NANTES'")
            assert Path(f"{live}-wal").stat().st_size > 0  # not yet in the database file
            writer.execute("BEGIN IMMEDIATE")
            writer.execute("UPDATE cvrh SET city = 'En cours' WHERE code = 'CVRH-PARIS'")
            archive = backup(runner, tmp_path / "portal.zip")
            writer.execute("ROLLBACK")
        finally:
            assert writer.execute("PRAGMA journal_mode=DELETE").fetchone() == ("delete",)
    copy = tmp_path / "copy.sqlite3"
    copy.write_bytes(members(archive)[DATABASE_MEMBERS["sqlite"]])
    with closing(sqlite3.connect(copy)) as connection:
        names = dict(connection.execute("SELECT code, city FROM cvrh"))
        assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert names["CVRH-NANTES"] == "Validé"
    assert names["CVRH-PARIS"] != "En cours"


def test_postgresql_password_goes_through_the_environment(runner, portal, tmp_path, monkeypatch):
    postgresql_only()
    calls = []
    run = subprocess.run

    def spy(command, **kwargs):
        calls.append((command, kwargs.get("env") or {}))
        return run(command, **kwargs)

    monkeypatch.setattr(subprocess, "run", spy)
    archive = backup(runner, tmp_path / "portal.zip")
    result = runner.invoke(args=["backup", "restore", str(archive), "--yes"])
    assert result.exit_code == 0, result.output
    password = db.engine.url.password
    assert [Path(command[0]).name for command, _ in calls] == ["pg_dump", "pg_restore"]
    for command, environment in calls:
        assert environment["PGPASSWORD"] == password
        assert "password=" not in " ".join(command)
        assert "--no-owner" in command


def test_postgresql_without_pg_dump_says_what_to_install(runner, portal, tmp_path, monkeypatch):
    postgresql_only()
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    result = runner.invoke(args=["backup", "create", str(tmp_path / "portal.zip")])
    assert result.exit_code != 0
    assert "pg_dump is not installed" in result.output
    assert "postgresql-client" in result.output
    assert not (tmp_path / "portal.zip").exists()
