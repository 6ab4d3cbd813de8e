"""The forms and lists added since tests/test_fuzz.py, fed generated values, as each role.

Directorate contacts, a call's reach and claim links, the conversation and documents of a
declaration, licences, webinars, the follow-up of campaigns, learning paths and the outbox.
Same machinery and same promise as test_fuzz.py: never 5xx, and a post refused (4xx, or the
form shown again with errors) leaves the database as it was. The world holds, besides the
known data set, a webinar with a session to come, a past one and invitations; a pool and a
grant; a contact with a claim link; messages with a file and a receipt; a follow-up plan
with results at one checkpoint and another plan without any.

Long forms draw each field mostly plausible (`likely`): a nasty value then often reaches the
code behind the form's other checks.

Five test functions of FUZZ_EXAMPLES examples each (200 by default, fixed in CI).
"""

import csv
import functools
import io
import time

import pytest
from hypothesis import given
from hypothesis import strategies as st
from itsdangerous import TimestampSigner
from sqlalchemy import select

from app.auth.models import User
from app.declarations import posting, receipts, thread
from app.declarations.models import Declaration, ReceiptKind
from app.directorates.models import Call, Directorate, LearningPath
from app.events import invitations, links, registrations
from app.events.models import Invitation
from app.extensions import db
from app.followup import imports
from app.followup import services as followup
from app.licences import services as licences
from app.mail import OutboxMessage
from app.reach.claims import ClaimLinks
from tests.archives import zip_bomb
from tests.events.conftest import add_session, make_event
from tests.followup.pixorga_files import pix_csv
from tests.followup.plans import LAUNCH, add_plan, profiles_export
from tests.reach.conftest import add_contact
from tests.test_fuzz import (
    FUZZ,
    NASTY,
    TEXT,
    UPLOAD,
    FromWorld,
    Target,
    World,
    WorldIds,
    mostly,
    path,
    segment,
    value,
)


def likely(*plausible: str) -> st.SearchStrategy[str]:
    """Return a strategy for a field of a long form: mostly plausible, so that the other
    fields' checks pass often enough for a nasty value to reach the code behind them."""
    return mostly(st.sampled_from(plausible), value(*plausible))


class LikelyFromWorld(FromWorld):
    """A field of a long form whose plausible value is one of the world's (a version)."""

    def strategy(self, world: "World") -> st.SearchStrategy[str]:
        """Return mostly the world's value, else anything nasty."""
        return likely(str(world.ids[self.key]))


class WorldOrNot(WorldIds):
    """A part of a path that is mostly one of the world's ids or tokens, else anything."""

    def strategy(self, world: "World") -> st.SearchStrategy[str]:
        """Return one of the world's values, or a nasty one (quoted)."""
        return mostly(super().strategy(world), segment("abc", "1"))


def _declaration(call: Call, code: str) -> Declaration:
    return db.session.scalar(
        select(Declaration)
        .join(Directorate, Declaration.directorate_id == Directorate.id)
        .where(Declaration.call_id == call.id, Directorate.code == code)
    )


class RecentWorld(World):
    """The world of test_fuzz.py, with the data of the forms added since."""

    def build(self) -> None:
        """Build the common world, then add webinars, licences, contacts, messages, follow-up."""
        super().build()
        users = {u.email: u for u in db.session.scalars(select(User))}
        team, director = users["team@example.org"], users["dir@example.org"]
        call = db.session.scalar(select(Call).where(Call.code == "PIX-2023"))
        codes = ("DREAL-ARA", "DREAL-PDL", "DGPR")
        found = db.session.scalars(select(Directorate).where(Directorate.code.in_(codes)))
        directorates = {d.code: d for d in found}
        self.ids.update(self._webinar(team, call))
        self.ids.update(self._licences(team, call))
        self.ids.update(self._reach(call))
        self.ids.update(self._conversation(users, director, team, call, directorates))
        self.ids.update(self._followup(director, call, directorates["DREAL-ARA"]))
        self.ids["outbox"] = db.session.scalar(select(OutboxMessage.id).limit(1)) or 1
        self.ids["path"] = db.session.scalar(select(LearningPath.code).limit(1))
        db.session.expire_all()
        self.snapshot = self.fingerprint()

    def _send(self, client, method: str, url: str, items, multipart: bool):
        # A file sent back to a POST (list.xlsx) is closed with its response, as a server does.
        response = super()._send(client, method, url, items, multipart)
        response.get_data()
        response.close()
        return response

    def _webinar(self, team: User, call: Call) -> dict:
        event = make_event()
        coming = add_session(event, days=10, capacity=2)
        past = add_session(event, days=-1, capacity=50)
        invitations.invite(team, event, call, None)
        db.session.commit()
        invited = list(db.session.scalars(select(Invitation).order_by(Invitation.id)))
        registrations.register(invited[0].id, coming.id)
        db.session.commit()
        old = int(time.time()) - 400 * 24 * 3600
        original = TimestampSigner.get_timestamp
        TimestampSigner.get_timestamp = lambda signer: old
        try:
            expired = links.token_for(invited[1])
        finally:
            TimestampSigner.get_timestamp = original
        return {
            "event": event.id,
            "item": event.items["fr"].id,
            "session": coming.id,
            "past": past.id,
            "invitation": invited[0].id,
            "registration": registrations.active_registration(invited[0]).id,
            "token": links.token_for(invited[0]),
            "other_token": links.token_for(invited[-1]),
            "expired_token": expired,
            "invited_email": invited[0].email,
        }

    def _licences(self, team: User, call: Call) -> dict:
        pool = licences.set_pool(team, call, 500, "Initial", None)
        dgpr = _declaration(call, "DGPR")
        granted = licences.grant(team, dgpr, 50, "Premier lot", None)
        db.session.commit()
        return {"pool_version": pool.version, "grant_version": granted.version}

    def _reach(self, call: Call) -> dict:
        contact = add_contact("DREAL-PDL", "rh.pdl@example.org", "Ressources humaines")
        link, _days = ClaimLinks(call).issue(contact)
        db.session.commit()
        return {
            "contact": contact.id,
            "contact_version": contact.version,
            "claim": link.rsplit("/", 1)[1],
        }

    def _conversation(self, users, director, team, call, directorates) -> dict:
        ara = directorates["DREAL-ARA"]
        note = posting.Upload(io.BytesIO(b"%PDF-1.7\n%%EOF\n"), "note.pdf")
        message = posting.post_message(director, call, ara, "Bonjour", [note])
        posting.post_message(team, call, ara, "Bien reçu", [])
        last = thread.for_page(team, call, ara).last_id
        for user in users.values():
            for directorate in directorates.values():
                thread.upsert_marker(user.id, call.id, directorate.id, last)
        pdl = _declaration(call, "DREAL-PDL")
        receipt = receipts.issue(pdl, ReceiptKind.SUBMISSION, None)
        db.session.commit()
        return {
            "message": message.id,
            "file": message.files[0].id,
            "file_name": message.files[0].file_name,
            "receipt": receipt.reference,
        }

    def _followup(self, director: User, call: Call, ara: Directorate) -> dict:
        declaration = _declaration(call, ara.code)
        plan = add_plan(declaration)
        context = followup.find_context(call.code, ara, 1)
        first, second = context.plan.checkpoints
        result = imports.import_results(
            director, context, first, profiles_export(LAUNCH), "Resultats.csv"
        )
        fresh = add_plan(declaration, position=2, checkpoints=("Lancement",))
        return {
            "fresh_checkpoint": fresh.checkpoints[0].id,
            "plan_version": db.session.get(type(plan), plan.id).version,
            "checkpoint": first.id,
            "empty_checkpoint": second.id,
            "import": result.id,
        }


@pytest.fixture
def world(app, tmp_path) -> RecentWorld:
    """The world of these tests, attachments kept in the test's folder."""
    app.config["ATTACHMENTS_DIR"] = str(tmp_path / "attachments")
    built = RecentWorld(app)
    built.build()
    return built


# --- Contacts, reach and claim links, licences -------------------------------------------------

CALL = segment("PIX-2023")
DIRECTORATE = segment("DREAL-PDL", "DREAL-ARA", "DGPR")
PAGE = {"page": value("1", "2", "99999999999999999999")}
CONTACT = {
    "email": likely("new.box@example.org", "RH.PDL@example.org", " a@b.fr "),
    "label": likely("Direction"),
    "language": likely("fr", "en"),
    "active": likely("y", ""),
    "version": LikelyFromWorld("contact_version"),
}
PASSWORD = likely("a long enough password")
LICENCES = value("10", "0", "450", "10000000", "10000001")

REACH = [
    Target(
        "project_team",
        "POST",
        path("/{lang}/directorates/{code}/contacts/new", code=DIRECTORATE),
        CONTACT,
    ),
    Target(
        "project_team",
        "POST",
        path("/{lang}/directorates/DREAL-PDL/contacts/{id}", id=WorldOrNot("contact")),
        CONTACT,
    ),
    Target("project_team", "GET", path("/{lang}/directorates/{code}/contacts", code=DIRECTORATE)),
    Target(
        "project_team",
        "GET",
        path("/{lang}/console/{call}/reach", call=CALL),
        {
            "q": value("PDL", "%", "_"),
            "state": value("unreached", "problems", "no_account"),
            **PAGE,
        },
    ),
    Target("project_team", "POST", path("/{lang}/console/{call}/reach/open", call=CALL)),
    Target(
        "project_team",
        "GET",
        path("/{lang}/console/{call}/claims", call=CALL),
        {"claimed": value("yes", "no"), **PAGE},
    ),
    Target(
        "anonymous",
        "POST",
        path("/{lang}/reach/claim/{token}", token=WorldOrNot("claim")),
        {"full_name": value("Awa Diallo"), "password": PASSWORD, "confirm": PASSWORD},
    ),
    Target(
        "project_team",
        "POST",
        path("/{lang}/licences/{call}/", call=CALL),
        {
            "licences": LICENCES,
            "comment": value("Arbitrage"),
            "version": LikelyFromWorld("pool_version"),
        },
    ),
    Target(
        "project_team",
        "POST",
        path("/{lang}/licences/{call}/{code}", call=CALL, code=DIRECTORATE),
        {
            "licences": LICENCES,
            "comment": value("Deuxième lot"),
            "version": LikelyFromWorld("grant_version"),
        },
    ),
]


# --- Conversation and documents of a declaration -----------------------------------------------

MESSAGE = {"message-body": value("Bonjour", "x" * 5001), "message-send": value("1")}
MESSAGES_URL = path("/{lang}/declarations/{call}/{code}/messages", call=CALL, code=DIRECTORATE)
DECLARATION = segment("DREAL-ARA", "DREAL-PDL")
CONVERSATION = [
    Target("directorate", "POST", MESSAGES_URL, MESSAGE, files=("message-files",)),
    Target("project_team", "POST", MESSAGES_URL, MESSAGE, files=("message-files",) * 5),
    Target("directorate", "POST", MESSAGES_URL, MESSAGE, files=("message-files",) * 6),
    Target(
        "project_team",
        "POST",
        path("/{lang}/declarations/{call}/{code}/notes", call=CALL, code=DIRECTORATE),
        {"note-body": value("À relancer"), "note-save": value("1")},
    ),
    Target(
        "directorate",
        "GET",
        path(
            "/{lang}/declarations/{call}/{code}/messages/{message_id}/files/{file_id}/{name}",
            call=CALL,
            code=DECLARATION,
            message_id=WorldOrNot("message"),
            file_id=WorldOrNot("file"),
            name=WorldOrNot("file_name"),
        ),
    ),
    Target(
        "cvrh", "GET", path("/{lang}/declarations/{call}/{code}/print", call=CALL, code=DIRECTORATE)
    ),
    Target(
        "project_team",
        "GET",
        path(
            "/{lang}/declarations/{call}/{code}/receipts/{reference}.pdf",
            call=CALL,
            code=DECLARATION,
            reference=WorldOrNot("receipt"),
        ),
    ),
    Target(
        "directorate", "GET", path("/{lang}/declarations/{call}/blank-workbook.xlsx", call=CALL)
    ),
]


# --- Webinars ----------------------------------------------------------------------------------

SESSION = {
    "day": likely("2030-01-15", "0001-01-01", "9999-12-31"),
    "starts": likely("14:00", "00:00", "23:59"),
    "ends": likely("16:00", "00:30"),
    "audience": likely("ambassadors", "administrators", "anyone"),
    "capacity": likely("20", "1", "5000"),
    "link": likely("https://visio.example.org/pix", "http://[::1", "https://"),
    "place": likely("Salle 1"),
    "registration_closes_on": likely("2030-01-10", "0001-01-01"),
    "version": likely("0", "1", "2"),
}
TOKEN = WorldOrNot("token", "other_token", "expired_token")


@functools.cache
def _attendance_lists() -> list[bytes]:
    rows = [["Nom", "Email"], ["Zoé N'Diaye", "anne.ndiaye@example.org"]]
    text = io.StringIO()
    csv.writer(text).writerows(rows)
    plain = text.getvalue()
    return [
        plain.encode(),
        plain.encode("utf-16"),
        ("\ufeff" + plain.replace(",", ";")).encode(),
        b"Email\n" + b"x@example.org\n" * 20_000,
        b"Participant\tE-mail\n=cmd|' /C calc'!A0\tnot an address\n",
    ]


ATTENDANCE_LIST = st.one_of(st.sampled_from(range(5)).map(lambda n: _attendance_lists()[n]), UPLOAD)
WEBINARS = [
    Target("project_team", "POST", path("/{lang}/events/{event}/sessions/new"), SESSION),
    Target(
        "project_team",
        "POST",
        path("/{lang}/events/sessions/{id}/edit", id=WorldOrNot("session", "past")),
        SESSION,
    ),
    Target(
        "project_team",
        "POST",
        path("/{lang}/events/sessions/{id}/delete", id=WorldOrNot("session", "past")),
        {"confirm": value("y", ""), "version": value("0", "1")},
    ),
    Target(
        "project_team",
        "POST",
        path("/{lang}/events/{id}/invite", id=WorldOrNot("event")),
        {"call": value("PIX-2023"), "directorate": value("DREAL-PDL", "")},
    ),
    Target("anonymous", "GET", path("/{lang}/events/invitation/{token}", token=TOKEN)),
    Target("anonymous", "GET", path("/{lang}/events/invitation/{token}/webinar.ics", token=TOKEN)),
    Target(
        "anonymous",
        "POST",
        path("/{lang}/events/invitation/{token}/register", token=TOKEN),
        {"session": FromWorld("session")},
    ),
    Target(
        "anonymous",
        "POST",
        path("/{lang}/events/invitation/{token}/cancel", token=TOKEN),
        {"registration": FromWorld("registration")},
    ),
    Target("anonymous", "POST", path("/{lang}/events/invitation/{token}/renew", token=TOKEN)),
    Target(
        "project_team",
        "POST",
        path("/{lang}/events/sessions/{id}/attendance", id=WorldOrNot("past", "session")),
        {"present": FromWorld("invitation"), "version": value("0", "1")},
    ),
    Target(
        "project_team",
        "POST",
        path("/{lang}/events/sessions/{id}/attendance/import", id=WorldOrNot("past", "session")),
        files=("file",),
        upload=ATTENDANCE_LIST,
    ),
    Target(
        "project_team",
        "POST",
        path("/{lang}/events/invitations/{id}/send-again", id=WorldOrNot("invitation")),
    ),
    Target("directorate", "GET", path("/{lang}/events/training/{code}", code=DIRECTORATE)),
    Target("anonymous", "GET", path("/{lang}/events.ics")),
    Target("anonymous", "GET", path("/{lang}/events/{id}/calendar.ics", id=WorldOrNot("item"))),
    Target("project_team", "GET", path("/{lang}/events/{id}/", id=WorldOrNot("event")), PAGE),
]


# --- Follow-up ---------------------------------------------------------------------------------

FOLLOWUP_BASE = "/{lang}/followup/{call}/DREAL-ARA/{position}"
POSITION = segment("1", "2")
COMPETENCES = ["1.1", "2.1", "4.1", "5.2", "9.9", ""]


@st.composite
def plan_rows(draw) -> dict[str, st.SearchStrategy]:
    """Return fields of a few target and checkpoint rows, at indexes plausible or not."""
    index = st.one_of(st.sampled_from(["0", "1", "15", "16", "99"]), st.sampled_from(NASTY))
    fields = {}
    for row in draw(st.lists(index, max_size=3, unique=True), label="target rows"):
        fields[f"targets-{row}-competence"] = likely(*COMPETENCES)
        fields[f"targets-{row}-value"] = likely("3", "8", "9", "60")
    for row in draw(st.lists(index, max_size=3, unique=True), label="checkpoint rows"):
        fields[f"checkpoints-{row}-id"] = likely("1", "2", "3")
        fields[f"checkpoints-{row}-name"] = likely("Lancement", "Bilan")
        fields[f"checkpoints-{row}-due_on"] = likely("2026-09-01", "9999-12-31", "0001-01-01")
        fields[f"checkpoints-{row}-remove"] = likely("y")
    return fields


def _cells(data: bytes) -> list[list[str]]:
    return [line.split(";") for line in data.decode("utf-8-sig").splitlines()]


@st.composite
def pixorga_exports(draw) -> bytes:
    """Return a PIX Orga profiles export, true but for a few cells, columns or encoding."""
    table = _cells(profiles_export(LAUNCH))
    nasty = st.one_of(
        st.sampled_from(NASTY), TEXT, st.sampled_from(['"', '""x', "NA", "Oui", "8,5", "1e9"])
    )
    for _ in range(draw(st.integers(0, 4), label="cells changed")):
        row = draw(st.integers(0, len(table) - 1), label="row")
        column = draw(st.integers(0, len(table[row]) - 1), label="column")
        text = draw(nasty, label="cell")
        quoted = draw(st.booleans(), label="quoted")
        table[row][column] = '"' + text.replace('"', '""') + '"' if quoted else text
    if draw(st.booleans(), label="more rows"):
        table += [list(table[-1]) for _ in range(draw(st.sampled_from([1, 50, 3000])))]
    text = "\n".join(";".join(row) for row in table) + "\n"
    encoding = draw(st.sampled_from(["utf-8-sig", "utf-8", "utf-16", "cp1252"]), label="encoding")
    return text.encode(encoding, errors="replace")


@functools.cache
def _fixed_exports() -> list[bytes]:
    header = _cells(profiles_export(LAUNCH))[0]
    return [
        b"",
        b"\xff\xfe\x00",
        zip_bomb(1024),
        pix_csv(["Nom du Participant"], [["Martin"]]),
        pix_csv(header, []),
        profiles_export(LAUNCH, campaign_id=2**40),
        profiles_export(LAUNCH, code="X" * 300),
    ]


RESULT_FILE = st.one_of(
    pixorga_exports(),
    st.sampled_from(range(7)).map(lambda n: _fixed_exports()[n]),
    st.binary(max_size=256),
)
FOLLOWUP = [
    Target(
        "directorate",
        "POST",
        path(FOLLOWUP_BASE + "/plan", call=CALL, position=POSITION),
        {
            "aim": likely("skills_project", "self_assessment"),
            "kind": likely("profiles_collection", "assessment"),
            "population": likely("Agents du siège"),
            "population_size": likely("10", "1000000", "1000001"),
            "mastery_target": likely("70", "100", "101"),
            "stage_target": likely("3", "20", "21"),
            "version": LikelyFromWorld("plan_version"),
        },
        more=plan_rows(),
    ),
    Target(
        "directorate",
        "POST",
        path(
            FOLLOWUP_BASE + "/checkpoints/{id}/import",
            call=CALL,
            position=POSITION,
            id=WorldOrNot("empty_checkpoint", "checkpoint"),
        ),
        files=("results",),
        upload=RESULT_FILE,
    ),
    Target(
        "directorate",
        "POST",
        path(
            "/{lang}/followup/PIX-2023/DREAL-ARA/2/checkpoints/{id}/import",
            id=WorldOrNot("fresh_checkpoint"),
        ),
        files=("results",),
        upload=RESULT_FILE,
    ),
    Target(
        "directorate",
        "POST",
        path(
            FOLLOWUP_BASE + "/imports/{id}/delete",
            call=CALL,
            position=POSITION,
            id=WorldOrNot("import"),
        ),
    ),
    Target(
        "directorate",
        "POST",
        path(
            FOLLOWUP_BASE + "/checkpoints/{id}/list.xlsx",
            call=CALL,
            position=POSITION,
            id=WorldOrNot("checkpoint", "empty_checkpoint"),
        ),
    ),
    Target(
        "directorate",
        "GET",
        path(
            FOLLOWUP_BASE + "/checkpoints/{id}/",
            call=CALL,
            position=POSITION,
            id=WorldOrNot("checkpoint"),
        ),
        {"status": value("reached", "missed", "not_shared"), **PAGE},
    ),
    Target(
        "directorate",
        "GET",
        path(FOLLOWUP_BASE + "/", call=CALL, position=POSITION),
        {"checkpoint": FromWorld("checkpoint")},
    ),
    Target(
        "project_team",
        "GET",
        path("/{lang}/followup/skills/{call}/", call=CALL),
        {
            "status": value("answered", "submitted"),
            "type": value("central", "regional"),
            "region": value("Bretagne"),
            "cvrh": value("CVRH-NANTES"),
            "late": value("1"),
            "state": value("not_answered", "no_plan", "planned", "results"),
            "by": value("type", "region", "cvrh"),
            "sort": value("gap", "code"),
            **PAGE,
        },
    ),
]


# --- Administration: learning paths, outbox ----------------------------------------------------

LEARNING_PATH = {
    "code": likely("EX-NOUVEAU", "ex nouveau"),
    "name_fr": likely("Parcours", "A; B"),
    "name_en": likely("Path"),
    "description_fr": value(),
    "description_en": value(),
    "audience_fr": likely("Agents"),
    "audience_en": likely("Agents"),
    "campaign_kind": likely("assessment", "profiles_collection"),
    "competences": likely("1.1", "2.1", "9.9"),
    "position": likely("10", "0", "9999", "10000"),
    "active": likely("y"),
    "version": likely("1", "2"),
}
ADMIN = [
    Target("admin", "POST", path("/{lang}/admin/learning-paths/new"), LEARNING_PATH),
    Target(
        "admin",
        "POST",
        path("/{lang}/admin/learning-paths/{code}", code=WorldOrNot("path")),
        LEARNING_PATH,
    ),
    Target(
        "admin",
        "POST",
        path(
            "/{lang}/admin/outbox/{id}/{action}",
            id=WorldOrNot("outbox"),
            action=segment("resend", "discard"),
        ),
    ),
    Target(
        "admin",
        "GET",
        path("/{lang}/admin/outbox"),
        {"status": value("pending", "sent", "failed", "bounced", "discarded"), **PAGE},
    ),
    Target("admin", "GET", path("/{lang}/admin/outbox/{id}", id=WorldOrNot("outbox"))),
]


@FUZZ
@given(data=st.data())
def test_contacts_reach_and_licences(world, data):
    world.run(data, REACH)


@FUZZ
@given(data=st.data())
def test_declaration_conversation_and_documents(world, data):
    world.run(data, CONVERSATION)


@FUZZ
@given(data=st.data())
def test_webinar_forms_and_links(world, data):
    world.run(data, WEBINARS)


@FUZZ
@given(data=st.data())
def test_followup_plan_and_imports(world, data):
    world.run(data, FOLLOWUP)


@FUZZ
@given(data=st.data())
def test_learning_paths_and_outbox(world, data):
    world.run(data, ADMIN)
