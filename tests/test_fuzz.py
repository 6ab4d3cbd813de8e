"""Every form and query-string filter of the portal fed generated values, as each role.

Hypothesis posts text with digits of other scripts, numbers too large for the database,
control characters, very long strings, empty values and repeated keys. Whatever it sends, the
portal never answers 5xx, and a post it refuses (4xx, or the form shown again with errors)
leaves the database as it was.

The app is the conftest's, built once per test function; each example starts from the same
data: when a request changed the database, it is rebuilt before the next example. That is why
the function-scoped-fixture health check is suppressed. Examples are bounded (FUZZ_EXAMPLES,
200 per test by default) and fixed in CI (CI=true: derandomize), so that CI is reproducible.
"""

import functools
import io
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage, MultiDict
from werkzeug.test import encode_multipart

from app.auth.models import Role
from app.codir.models import CodirFormat, CodirRequest, CodirStatus
from app.content.models import ContentKind, ContentState
from app.directorates.models import Directorate
from app.directorates.seed import load_reference_data
from app.extensions import db, limiter
from tests.archives import zip_bomb
from tests.conftest import empty_database, log_in, make_user
from tests.content.conftest import make
from tests.declarations.test_import import make_workbook
from tests.factories import build_known

FUZZ = settings(
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", "200")),
    deadline=None,
    derandomize=os.environ.get("CI") == "true",
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)

PERSONAS = ("anonymous", "directorate", "cvrh", "project_team", "admin")

# Values that broke forms elsewhere, or could: digits of other scripts, numbers too large
# for any column, control and invisible characters, markup, dates that do not exist.
NASTY = [
    "", " ", "\t", "0", "1", "-1", "١٢", "٣", "１２", "²", "½", "99999999999999999999",
    str(2**31), str(2**63), str(-(2**63) - 1), "1e309", "NaN", "-0", "+1", "0x10", "1_000",
    "1 000", "\x00", "\x07", "\r\n", "\u202e", "\ufeff", "\u00a0", "<script>x</script>",
    '=HYPERLINK("x")', "'; DROP TABLE user; --", "%(x)s %s", "{{ 7*7 }}", "../../etc/passwd",
    "2026-02-30", "2026-13-01", "9999-12-31", "0001-01-01", "10000-01-01", "24:00", "23:59",
    "2026-09-01T25:00", "2026-09-01T10:00", "a@b", "x@example.org", "#REF!", "oui",
]  # fmt: skip
TEXT = st.text(alphabet=st.characters(exclude_categories=("Cs",)), max_size=30)
NUMBER = st.integers(min_value=-(2**70), max_value=2**70).map(str)
LONG = st.builds(lambda char, size: char * size, st.sampled_from(["a", "é", "١", "\x00", "😀"]),
                 st.sampled_from([101, 256, 1001, 5001, 100_001]))  # fmt: skip


def mostly(usual: st.SearchStrategy, other: st.SearchStrategy) -> st.SearchStrategy:
    """Return a strategy drawing from `usual` three times in four, else from `other`."""
    return st.integers(min_value=0, max_value=3).flatmap(lambda n: usual if n else other)


def value(*plausible: str) -> st.SearchStrategy[str]:
    """Return a strategy for a field: a plausible value, or anything nasty."""
    nasty = st.one_of(st.sampled_from(NASTY), TEXT, NUMBER, LONG)
    return st.one_of(st.sampled_from(plausible), nasty) if plausible else nasty


def segment(*plausible: str) -> st.SearchStrategy[str]:
    """Return a strategy for a part of a path (quoted): mostly a plausible one, or anything."""
    other = st.one_of(st.sampled_from(NASTY), TEXT)
    return mostly(st.sampled_from(plausible), other).map(lambda text: quote(text, safe="") or "x")


@functools.cache
def _files() -> list[bytes]:
    return [b"", b"PK\x03\x04", b"%PDF-1.7\n", make_workbook(), zip_bomb(1024)]


UPLOAD = st.one_of(st.sampled_from(range(5)).map(lambda n: _files()[n]), st.binary(max_size=64))
FILENAME = value("declarations.xlsx", "note.pdf", "文件.pdf", "../../x.xlsx", "a" * 300)


@dataclass(frozen=True)
class FromWorld:
    """A field whose plausible value is one of the world's ids (a version, an id)."""

    key: str

    def strategy(self, world: "World") -> st.SearchStrategy[str]:
        """Return the world's value, or anything nasty."""
        return value(str(world.ids[self.key]))


class WorldIds:
    """A part of a path that is one of the world's ids."""

    def __init__(self, *keys: str):
        self.keys = keys

    def strategy(self, world: "World") -> st.SearchStrategy[str]:
        """Return one of the ids."""
        return st.sampled_from([str(world.ids[key]) for key in self.keys])


@dataclass
class Target:
    """A form or a list: the role it is meant for, its method, address and fields.

    The address is built from the world's ids; `more` draws more fields for each example
    (the rows of the declaration form); `upload` draws the files' bytes (UPLOAD if None).
    """

    role: str
    method: str
    url: Callable[["World", st.DataObject], str]
    fields: dict = field(default_factory=dict)
    files: tuple[str, ...] = ()
    more: st.SearchStrategy | None = None
    upload: st.SearchStrategy | None = None


def path(template: str, **parts: st.SearchStrategy) -> Callable:
    """Return a URL builder: {lang} and the world's ids filled in, other parts drawn."""

    def build(world: "World", data: st.DataObject) -> str:
        values = {
            name: data.draw(
                strategy.strategy(world) if isinstance(strategy, WorldIds) else strategy,
                label=name,
            )
            for name, strategy in parts.items()
        }
        return template.format(**{**world.ids, **values})

    return build


@dataclass
class World:
    """The portal with known data and a logged-in client per role, rebuilt after a change."""

    app: object
    clients: dict = field(default_factory=dict)
    ids: dict = field(default_factory=dict)
    snapshot: tuple = ()

    def build(self) -> None:
        """Empty the database, load the data of every form, log each role in."""
        db.session.rollback()
        empty_database()
        load_reference_data()
        limiter.reset()
        users = {
            "directorate": make_user("dir@example.org", Role.DIRECTORATE, directorate="DREAL-ARA"),
            "cvrh": make_user("cvrh@example.org", Role.CVRH, cvrh="CVRH-CLERMONT"),
            "project_team": make_user("team@example.org", Role.PROJECT_TEAM),
            "admin": make_user("admin@example.org", Role.ADMIN),
        }
        known = build_known()
        ara = db.session.scalar(select(Directorate).where(Directorate.code == "DREAL-ARA"))
        codir = CodirRequest(directorate=ara, cvrh=ara.cvrh, status=CodirStatus.REQUESTED,
                             format=CodirFormat.VIDEO, option_1=date.today() + timedelta(days=20),
                             audience="Comité de direction", created_by_id=users["directorate"].id,
                             updated_at=datetime(2026, 1, 1, tzinfo=UTC))  # fmt: skip
        db.session.add(codir)
        author = users["project_team"]
        section = make(author, ContentKind.SECTION, "fr", None, "Déployer",
                       ContentState.PUBLISHED, slug="deployer")  # fmt: skip
        page = make(author, ContentKind.PAGE, "fr", section, "Note", ContentState.PUBLISHED)
        private = make(author, ContentKind.PAGE, "fr", section, "Brouillon")
        db.session.commit()
        self.ids = {
            "codir": codir.id,
            "section": section.id,
            "page": page.id,
            "private": private.id,
            "user": users["directorate"].id,
            "version": known.declarations["DREAL-ARA"].version,
        }
        self.clients = {"anonymous": self.app.test_client()}
        for persona, user in users.items():
            client = self.app.test_client()
            assert log_in(client, user).status_code == 302
            self.clients[persona] = client
        self.snapshot = self.fingerprint()

    def fingerprint(self) -> tuple:
        """Return the row count of every table and the latest change of those that date it."""
        tables = db.metadata.sorted_tables
        columns = [select(func.count()).select_from(t).scalar_subquery() for t in tables]
        columns += [
            select(func.max(t.c.updated_at)).scalar_subquery()
            for t in tables
            if "updated_at" in t.c
        ]
        return tuple(db.session.execute(select(*columns)).one())

    def run(self, data: st.DataObject, targets: list[Target]) -> None:
        """Draw a role, a language, a target and its fields; send; check the answer."""
        target = data.draw(st.sampled_from(targets), label="target")
        persona = data.draw(mostly(st.just(target.role), st.sampled_from(PERSONAS)), "persona")
        self.ids["lang"] = data.draw(st.sampled_from(["fr", "en"]), label="lang")
        url = target.url(self, data)
        spec = dict(target.fields)
        if target.more is not None:
            spec.update(data.draw(target.more, label="more fields"))
        items = MultiDict()
        for name, strategy in spec.items():
            if isinstance(strategy, FromWorld):
                strategy = strategy.strategy(self)
            count = data.draw(st.sampled_from([1, 1, 1, 1, 1, 0, 2, 3]), label=f"{name}×")
            for _ in range(count):
                items.add(name, data.draw(strategy, label=name))
        uploads = UPLOAD if target.upload is None else target.upload
        for name in target.files:
            items.add(name, FileStorage(io.BytesIO(data.draw(uploads)), data.draw(FILENAME)))
        before = self.fingerprint()
        response = self._send(self.clients[persona], target.method, url, items, bool(target.files))
        assert response.status_code < 500, (persona, target.method, url)
        after = self.fingerprint()
        if target.method == "POST" and _refused(response):
            assert after == before, ("refused, yet the database changed", persona, url)
        if after != self.snapshot:
            self.build()

    def _send(self, client, method: str, url: str, items: MultiDict, multipart: bool):
        db.session.expire_all()
        try:
            if method == "GET":
                with client.get(url, query_string=items) as response:
                    response.get_data()
                return response
            if multipart:
                boundary, body = encode_multipart(items)
                kind = f"multipart/form-data; boundary={boundary}"
                return client.post(url, data=body, content_type=kind)
            return client.post(url, data=items)
        except Exception:
            db.session.rollback()
            raise


def _refused(response) -> bool:
    """Say whether the answer refuses the post: 4xx, or the form again with its errors.

    A declaration submitted incomplete is saved as a draft first, then shown with its errors
    and a warning that says so: that one is not a refusal.
    """
    if 400 <= response.status_code < 500:
        return True
    if response.status_code != 200 or response.mimetype != "text/html":
        return False
    page = response.get_data(as_text=True)
    errors = "fr-message--error" in page or "fr-alert--error" in page
    return errors and "fr-alert--warning" not in page


@pytest.fixture
def world(app, tmp_path):
    """The portal's data for the fuzzing, attachments kept in the test's folder."""
    app.config["ATTACHMENTS_DIR"] = str(tmp_path / "attachments")
    built = World(app)
    built.build()
    return built


ROWS = {
    "campaigns": {
        "label": value("Risques"),
        "perimeter_kind": value("unit", "population", "site", "other"),
        "perimeter_description": value("Tous les services"),
        "target_population": value("Tous"),
        "headcount": value("120", "1 000 000", "1000001"),
        "licences": value("100", "0"),
        "starts_on": value("2026-09-01"),
        "ends_on": value("2026-12-15"),
        "paths": value("1", "2"),
        "learning_paths_note": value(""),
    },
    "ambassadors": {
        "last_name": value("Durand", "N'Diaye"),
        "first_name": value("Lou"),
        "email": value("lou.durand@example.org"),
        "phone": value("+33 1 23 45 67 89"),
        "unit": value("SG"),
    },
    "administrators": {
        "last_name": value("Roy"),
        "first_name": value("Max"),
        "email": value("max.roy@example.org"),
        "function": value("RH"),
        "hr_confirmed": value("y"),
    },
}
ROW_INDEX = st.one_of(st.sampled_from(["0", "1", "2", "49", "50"]), st.sampled_from(NASTY))


@st.composite
def declaration_rows(draw) -> dict[str, st.SearchStrategy]:
    """Return fields of a few rows of each list, at indexes plausible or not."""
    fields = {}
    for kind, row in ROWS.items():
        for index in draw(st.lists(ROW_INDEX, max_size=3, unique=True), label=f"{kind} rows"):
            names = draw(st.lists(st.sampled_from(sorted(row)), max_size=len(row), unique=True))
            fields.update({f"{kind}-{index}-{name}": row[name] for name in names})
    return fields


CALL = segment("PIX-2023")
DIRECTORATE = segment("DREAL-ARA", "DREAL-PDL", "DGPR")
FILTERS = {
    "status": value("answered", "unanswered", "not_started", "draft", "submitted"),
    "type": value("central", "regional"),
    "region": value("Bretagne", "Pays de la Loire"),
    "cvrh": value("CVRH-NANTES", "CVRH-PARIS"),
    "late": value("1", "y"),
}
ROW_ACTIONS = ("add:campaigns", "add:ambassadors", "remove:ambassadors:0", "remove:campaigns:²")

DECLARATIONS = [
    Target(
        "directorate",
        "POST",
        path("/{lang}/declarations/{call}/DREAL-ARA/edit", call=CALL),
        {
            "version": FromWorld("version"),
            "save": value("1"),
            "submit_declaration": value("1"),
            "wants_codir": value("y"),
            "comments": value("Reçu"),
            "row_action": value(*ROW_ACTIONS),
        },
        more=declaration_rows(),
    ),
    Target(
        "project_team",
        "POST",
        path(
            "/{lang}/declarations/{call}/{code}/{move}",
            call=CALL,
            code=DIRECTORATE,
            move=segment("accept", "request_corrections", "reopen"),
        ),
        {"version": value("1", "2"), "comment": value("À corriger")},
    ),
    Target(
        "project_team",
        "POST",
        path("/{lang}/declarations/{call}/{code}/extend", call=CALL, code=DIRECTORATE),
        {"until": value("2030-01-01", "2020-01-01")},
    ),
    Target("project_team", "POST", path("/{lang}/declarations/{call}/remind", call=CALL)),
    Target(
        "project_team",
        "POST",
        path("/{lang}/declarations/{call}/import", call=CALL),
        files=("workbook",),
    ),
]

# A duration of 309 digits or more once ended in a 500 (WTForms' NumberRange turned it into a
# float): test_codir_duration_too_large_for_a_float keeps that case.
DURATION = value("45", "600")
CODIR = [
    Target(
        "directorate",
        "POST",
        path("/{lang}/codir/new"),
        {
            "option_1": value("2030-01-15"),
            "option_2": value("2030-01-16"),
            "option_3": value(),
            "format": value("video", "in_person"),
            "audience": value("CODIR"),
            "place": value("Paris"),
            "topics": value("PIX"),
        },
    ),
    Target(
        "cvrh",
        "POST",
        path("/{lang}/codir/{codir}/{move}", move=segment("schedule", "hold", "decline")),
        {
            "schedule-day": value("2030-01-15"),
            "schedule-time": value("14:30"),
            "schedule-duration": DURATION,
            "schedule-place": value("Salle 1"),
            "schedule-speaker": value("Emma"),
            "held-outcome": value("Bien"),
            "reason-reason": value("Indisponible"),
        },
    ),
    Target(
        "directorate",
        "POST",
        path("/{lang}/codir/{codir}/{move}", move=segment("cancel", "reschedule")),
        {"reason-reason": value("Plus besoin"), "schedule-duration": DURATION},
    ),
    Target(
        "cvrh",
        "POST",
        path("/{lang}/codir/{codir}/messages"),
        {"message-body": value("Bonjour")},
    ),
    Target(
        "project_team",
        "POST",
        path("/{lang}/codir/{codir}/reassign"),
        {"reassign-cvrh": value("CVRH-PARIS", "CVRH-CLERMONT")},
    ),
]

ITEM = WorldIds("page", "private", "section")
CONTENT_FIELDS = {
    "title": value("Nouvelle page"),
    "summary": value(),
    "slug": value("nouvelle-page"),
    "body": value("## Titre\n\nTexte."),
    "effective_on": value("2026-01-01"),
    "expires_on": value("2030-01-01"),
    "starts_at": value("2030-01-01T10:00"),
    "ends_at": value("2030-01-01T11:00"),
    "date_to_be_confirmed": value("y"),
    "audience": value("Tous"),
    "online": value("y"),
    "location": value("Paris"),
    "link": value("https://example.org/", "javascript:alert(1)"),
    "registration": value(),
    "competences": value("2.1", "4.1"),
    "learning_paths": value("1", "5"),
    "comment": value("Relu"),
    "preview": value("1"),
    "save": value("1"),
}
CONTENT = [
    Target(
        "project_team",
        "POST",
        path("/{lang}/content/new/{kind}", kind=segment("page", "news", "event")),
        CONTENT_FIELDS,
    ),
    Target(
        "project_team",
        "POST",
        path("/{lang}/content/item/{id}/edit", id=ITEM),
        CONTENT_FIELDS,
    ),
    Target(
        "project_team",
        "POST",
        path(
            "/{lang}/content/item/{id}/{move}",
            id=ITEM,
            move=segment("submit", "publish", "reject", "retract"),
        ),
        {"comment": value("Relu")},
    ),
    Target(
        "project_team",
        "POST",
        path("/{lang}/content/item/{page}/attachments"),
        files=("file",),
    ),
]

ADMIN_USER = {
    "email": value("new.person@example.org"),
    "full_name": value("New Person"),
    "role": value("directorate", "cvrh", "project_team", "admin"),
    "directorate": value("DGPR", ""),
    "cvrh": value("CVRH-PARIS", ""),
    "language": value("fr", "en"),
}
ADMIN = [
    Target("admin", "POST", path("/{lang}/admin/users/new"), ADMIN_USER),
    Target("admin", "POST", path("/{lang}/admin/users/{user}"), ADMIN_USER),
    Target("admin", "POST", path("/{lang}/admin/users/{user}/active"), {"active": value("0")}),
    Target("admin", "POST", path("/{lang}/admin/users/{user}/invitation")),
    Target(
        "admin",
        "POST",
        path("/{lang}/admin/directorates/{code}", code=segment("new", "DGPR")),
        {
            "code": value("DNEW"),
            "name_fr": value("Direction"),
            "name_en": value("Directorate"),
            "type": value("central", "regional"),
            "region": value("Bretagne"),
            "cvrh": value("CVRH-PARIS"),
        },
    ),
    Target(
        "admin",
        "POST",
        path("/{lang}/admin/cvrhs/{code}", code=segment("new", "CVRH-PARIS")),
        {
            "code": value("CVRH-NEW"),
            "name": value("CVRH"),
            "city": value("Lyon"),
            "email": value("cvrh@example.org"),
        },
    ),
    Target(
        "admin",
        "POST",
        path("/{lang}/admin/calls/{code}", code=segment("new", "PIX-2023")),
        {
            "code": value("PIX-2030"),
            "title_fr": value("Appel"),
            "title_en": value("Call"),
            "opens_on": value("2030-01-01"),
            "deadline": value("2030-06-30"),
            "is_open": value("y"),
        },
    ),
]

PASSWORD = value("a long enough password")
AUTH = [
    Target(
        "anonymous",
        "POST",
        path("/{lang}/login"),
        {"email": value("team@example.org"), "password": value("correct horse")},
    ),
    Target(
        "anonymous",
        "POST",
        path("/{lang}/password/forgotten"),
        {"email": value("team@example.org")},
    ),
    Target(
        "anonymous",
        "POST",
        path(
            "/{lang}/{form}/{token}",
            form=st.sampled_from(["password/reset", "invitation"]),
            token=segment("abc"),
        ),
        {"password": PASSWORD, "confirm": PASSWORD},
    ),
    Target(
        "directorate",
        "POST",
        path("/{lang}/account"),
        {
            "profile-full_name": value("Moi"),
            "profile-language": value("fr", "en"),
            "profile-submit": value("1"),
            "password-current_password": value(),
            "password-password": PASSWORD,
            "password-confirm": PASSWORD,
            "password-submit": value("1"),
        },
    ),
    Target(
        "project_team",
        "POST",
        path("/{lang}/account"),
        {
            "notifications-choice": value("immediate", "digest", "none"),
            "notifications-submit": value("1"),
        },
    ),
]

PAGE = {"page": value("1", "2", "99999999999999999999")}
LISTS = [
    Target("cvrh", "GET", path("/{lang}/declarations/{call}/", call=CALL), FILTERS),
    Target("project_team", "GET", path("/{lang}/console/{call}/", call=CALL), FILTERS),
    Target(
        "project_team",
        "GET",
        path(
            "/{lang}/exports/{call}/{file}",
            call=CALL,
            file=segment("workbook.xlsx", "csv.zip", "campaigns.csv", "x.csv"),
        ),
        FILTERS,
    ),
    Target(
        "cvrh",
        "GET",
        path("/{lang}/codir/"),
        {
            "view": value("to_answer", "upcoming"),
            "cvrh": value("CVRH-CLERMONT"),
            "status": value("requested"),
        },
    ),
    Target(
        "admin",
        "GET",
        path("/{lang}/admin/users"),
        {"role": value("cvrh"), "q": value("dir"), **PAGE},
    ),
    Target(
        "admin",
        "GET",
        path("/{lang}/admin/{name}", name=st.sampled_from(["audit", "outbox"])),
        PAGE,
    ),
    Target(
        "anonymous",
        "GET",
        path("/{lang}/content/search"),
        {"q": value("Note", '"'), "competence": value("2.1", "")},
    ),
    Target("anonymous", "GET", path("/{lang}/competences/{code}", code=segment("2.1", "5.2"))),
    Target(
        "project_team",
        "GET",
        path("/{lang}/content/item/{page}/diff"),
        {"a": value("1"), "b": value("2")},
    ),
    Target(
        "project_team",
        "GET",
        path("/{lang}/content/new/page"),
        {"parent": FromWorld("section"), "translation_of": FromWorld("page")},
    ),
]


@FUZZ
@given(data=st.data())
def test_declaration_forms(world, data):
    world.run(data, DECLARATIONS)


@FUZZ
@given(data=st.data())
def test_codir_forms(world, data):
    world.run(data, CODIR)


@FUZZ
@given(data=st.data())
def test_content_forms(world, data):
    world.run(data, CONTENT)


@FUZZ
@given(data=st.data())
def test_admin_forms(world, data):
    world.run(data, ADMIN)


@FUZZ
@given(data=st.data())
def test_login_and_account_forms(world, data):
    world.run(data, AUTH)


@FUZZ
@given(data=st.data())
def test_lists_filters_and_pages(world, data):
    world.run(data, LISTS)


def test_codir_duration_too_large_for_a_float(world):
    response = world.clients["cvrh"].post(
        "/en/codir/{codir}/schedule".format(**world.ids),
        data={"schedule-day": "2030-01-15", "schedule-time": "14:30",
              "schedule-duration": "1" * 400, "schedule-place": "Salle 1",
              "schedule-speaker": "Emma"},
    )  # fmt: skip
    assert response.status_code == 400
    assert "Between 15 and 480 minutes." in response.get_data(as_text=True)
