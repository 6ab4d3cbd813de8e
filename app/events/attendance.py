"""Who attended a session: ticked by the project team, or read from the attendance list that the
video-conference tool exports (CSV).

The list is read whole before anything is saved: a file that cannot be read (no e-mail column,
a line whose e-mail is not an address, an unknown encoding) saves nothing and says where it
went wrong. People are matched by address, case-insensitively, among the event's invitations;
the addresses of nobody invited, and those listed more than once (a person who joined twice),
are reported.
"""

import csv
import io
import re
import unicodedata
from dataclasses import dataclass, field

from sqlalchemy import delete, select
from sqlalchemy.orm.exc import StaleDataError

from app import audit
from app.auth.models import User
from app.events import services
from app.events.models import Attendance, EventSession, Invitation, Registration, RegistrationStatus
from app.events.people import normalize
from app.events.services import Conflict, EventError
from app.extensions import db, utcnow
from app.versioning import StaleVersion, check_version

EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
# The header is looked for in the first lines (some tools write a summary above the table).
HEADER_SEARCH_LINES = 30
MAX_LINES = 20_000


class MalformedFile(EventError):
    """The attendance list cannot be read; nothing was saved."""


@dataclass
class Present:
    """A person the project team may tick: their invitation, seat and attendance."""

    invitation: Invitation
    registered: bool
    attended: bool


@dataclass
class ImportReport:
    """What an attendance list did."""

    marked: list[str] = field(default_factory=list)
    already: list[str] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)
    blank: int = 0


def _started(session: EventSession) -> None:
    if session.starts_at > utcnow():
        raise EventError("not_started")


def roll(session: EventSession) -> list[Present]:
    """Return the people to tick: those with a seat, and anyone already marked (two queries)."""
    seated = (
        db.session.execute(
            select(Invitation)
            .join(Registration, Registration.invitation_id == Invitation.id)
            .where(
                Registration.session_id == session.id,
                Registration.status == RegistrationStatus.CONFIRMED,
            )
        )
        .scalars()
        .all()
    )
    marked = (
        db.session.execute(
            select(Invitation)
            .join(Attendance, Attendance.invitation_id == Invitation.id)
            .where(Attendance.session_id == session.id)
        )
        .scalars()
        .all()
    )
    attended = {invitation.id for invitation in marked}
    people = {invitation.id: invitation for invitation in [*seated, *marked]}
    seated_ids = {invitation.id for invitation in seated}
    rows = [Present(i, i.id in seated_ids, i.id in attended) for i in people.values()]
    return sorted(rows, key=lambda p: (p.invitation.last_name.lower(), p.invitation.email))


def save_ticks(actor: User, session: EventSession, ticked: set[int], version: int | None) -> int:
    """Record the people ticked as present among those listed; return how many are present."""
    _started(session)
    session_id = session.id
    try:
        services.lock_sessions(session.event_id)
        try:
            check_version(session, version)
        except StaleVersion:
            raise Conflict(session) from None
        listed = {present.invitation.id: present for present in roll(session)}
        now = utcnow()
        for invitation_id, present in listed.items():
            if invitation_id in ticked and not present.attended:
                db.session.add(
                    Attendance(
                        session_id=session.id,
                        invitation_id=invitation_id,
                        source="ticked",
                        marked_at=now,
                        marked_by_id=actor.id,
                    )
                )
        gone = [i for i, present in listed.items() if present.attended and i not in ticked]
        if gone:
            db.session.execute(
                delete(Attendance).where(
                    Attendance.session_id == session.id, Attendance.invitation_id.in_(gone)
                )
            )
        session.attendance_saved_at = now
        count = len([i for i in listed if i in ticked])
        audit.record(
            "events.attendance_saved", session, actor=actor, present=count, unticked=len(gone)
        )
        db.session.commit()
    except StaleDataError:
        db.session.rollback()
        raise Conflict(db.session.get(EventSession, session_id)) from None
    return count


def _decode(data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="strict")


def _plain(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.strip().lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _is_email_header(cell: str) -> bool:
    name = _plain(cell)
    return "mail" in name or "courriel" in name


def _header(lines: list[str]) -> tuple[int, str, int]:
    """Return the line number of the header, its delimiter and the index of its e-mail column."""
    for number, line in enumerate(lines[:HEADER_SEARCH_LINES], start=1):
        delimiter = max((",", ";", "\t"), key=line.count)
        try:
            cells = next(csv.reader([line], delimiter=delimiter), [])
        except csv.Error:  # a cell longer than the csv module reads: no header there
            continue
        column = next((i for i, cell in enumerate(cells) if _is_email_header(cell)), None)
        if column is not None:
            return number, delimiter, column
    raise MalformedFile("no_email_column")


def read_emails(data: bytes) -> tuple[list[tuple[int, str]], int]:
    """Return the (line, address) of an attendance list, and how many lines give no address."""
    try:
        text = _decode(data)
    except (UnicodeDecodeError, UnicodeError):
        raise MalformedFile("encoding") from None
    lines = text.splitlines()
    if not any(line.strip() for line in lines):
        raise MalformedFile("empty")
    number, delimiter, column = _header(lines)
    found: list[tuple[int, str]] = []
    blank = 0
    reader = csv.reader(io.StringIO("\n".join(lines[number:])), delimiter=delimiter)
    done = 0  # lines of the file read into complete rows
    try:
        for offset, cells in enumerate(reader, start=number + 1):
            if not any(cell.strip() for cell in cells):
                break  # the table ends at its first empty line (a tool may add other parts below)
            if offset - number > MAX_LINES:
                raise MalformedFile("too_long", line=offset)
            if len(cells) <= column:
                raise MalformedFile("short_line", line=offset)
            value = cells[column].strip()
            if not value:
                blank += 1
            elif EMAIL.fullmatch(value) is None:
                raise MalformedFile("not_an_email", line=offset, value=value[:100])
            else:
                found.append((offset, normalize(value)))
            done = reader.line_num
    except csv.Error:  # a cell longer than the csv module reads, as a quote never closed makes
        raise MalformedFile("unreadable_line", line=number + done + 1) from None
    return found, blank


def import_list(actor: User, session: EventSession, data: bytes) -> ImportReport:
    """Mark present the invited people of an attendance list; save nothing if it is malformed."""
    _started(session)
    found, blank = read_emails(data)
    report = ImportReport(blank=blank)
    seen: dict[str, int] = {}
    for _line, email in found:
        seen[email] = seen.get(email, 0) + 1
    report.duplicates = sorted(email for email, count in seen.items() if count > 1)
    services.lock_sessions(session.event_id)
    invited = {
        invitation.email: invitation
        for invitation in db.session.scalars(
            select(Invitation).where(
                Invitation.event_id == session.event_id, Invitation.email.in_(list(seen))
            )
        )
    }
    marked = set(
        db.session.scalars(
            select(Attendance.invitation_id).where(Attendance.session_id == session.id)
        )
    )
    now = utcnow()
    for email in seen:
        invitation = invited.get(email)
        if invitation is None:
            report.unknown.append(email)
        elif invitation.id in marked:
            report.already.append(email)
        else:
            db.session.add(
                Attendance(
                    session_id=session.id,
                    invitation_id=invitation.id,
                    source="imported",
                    marked_at=now,
                    marked_by_id=actor.id,
                )
            )
            report.marked.append(email)
    session.attendance_saved_at = now
    audit.record(
        "events.attendance_imported",
        session,
        actor=actor,
        present=len(report.marked),
        already=len(report.already),
        unknown=report.unknown,
        duplicates=report.duplicates,
    )
    db.session.commit()
    return report
