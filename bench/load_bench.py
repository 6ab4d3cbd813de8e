"""Load the portal through gunicorn with simulated users, then check no write was lost or doubled.

Run it from the repository root:

    .venv/bin/python bench/load_bench.py                      # 30 users for 60 s, SQLite
    .venv/bin/python bench/load_bench.py --users 5 --seconds 10
    .venv/bin/python bench/load_bench.py --database-url postgresql://pix:pix@127.0.0.1/pix_test

Setup: a temporary SQLite file, or the PostgreSQL database given (its name must contain "test":
its tables are dropped); `flask db upgrade`, `flask seed`; an open call, the demo content pages,
directorate users (three per directorate, so that they edit the same declaration; directorates
taken from different CVRHs), CVRH users (a third of the users) and one CODIR request per
directorate. Then gunicorn starts with gunicorn.conf.py on a free loopback port, in a process
group of its own that is stopped at the end whatever happens (e-mails go to the outbox, CSRF on).

Each user logs in, then reads (home, declarations, CODIR, content, search) and, one time in three,
writes something carrying a unique marker: a directorate user saves its declaration's draft (the
marker in the comments) or writes on its CODIR thread; a CVRH user writes on its directorates'
threads. A write is acknowledged when the POST answers with its redirect; 409 (someone else saved
the declaration first) is a conflict, counted apart.

Checks, with the server stopped:
- a CODIR message acknowledged is stored exactly once, one whose answer was an error or never
  came at most once; the outbox holds exactly one e-mail per person on the other side (each bench
  user of the directorate, or of the CVRH) for each stored message, and none for the others;
- the "saved" events of each declaration form one chain: each changes the comments from the value
  the previous one left to its own marker, and the declaration ends with the last one. A save
  that overwrote another without having seen it (lost update) breaks the chain; along an unbroken
  chain, each acknowledged save must appear exactly once, a conflict never, an unanswered save at
  most once.

Exit status 1 on any failed check or any error (5xx, no answer, unexpected status), else 0.
"""

import argparse
import contextlib
import http.client
import http.cookiejar
import os
import random
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from dataclasses import dataclass, field
from datetime import timedelta
from html.parser import HTMLParser
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from sqlalchemy import MetaData, create_engine, select  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from app import create_app  # noqa: E402
from app.auth import services as accounts  # noqa: E402
from app.auth.models import Role  # noqa: E402
from app.codir import services as codir  # noqa: E402
from app.codir.models import CodirFormat, CodirMessage  # noqa: E402
from app.content import services as content  # noqa: E402
from app.content.demo import AUTHOR, load_demo_content  # noqa: E402
from app.content.models import ContentItem, ContentState  # noqa: E402
from app.declarations.models import Declaration, DeclarationEvent  # noqa: E402
from app.directorates.models import Call, Directorate, portal_today  # noqa: E402
from app.extensions import db  # noqa: E402
from app.mail import OutboxMessage  # noqa: E402

MAX_USERS, MAX_SECONDS = 200, 600
PASSWORD = "load-bench-password"  # noqa: S105 - fictitious accounts of a throw-away database
CALL = "LOAD-BENCH"
PER_DIRECTORATE = 3
WRITE_SHARE = 1 / 3
TIMEOUT = 60
MARKER = re.compile(r"lb[0-9a-f]{6}-\d{3}-\d{5}")
EXCEPTION_LINE = re.compile(r"^[\w.]*(?:Error|Exception)\b.*$", re.MULTILINE)
SEARCHES = ("pix", "ambassadeur", "campagne")


@dataclass
class Persona:
    """A simulated user: account, role, the directorates it works on, their CODIR requests."""

    number: int
    email: str
    role: Role
    directorates: list[str]
    requests: list[int] = field(default_factory=list)


@dataclass
class Plan:
    """What the setup made: run id, users, content pages, who each CODIR message must e-mail."""

    run: str
    personas: list[Persona]
    content_urls: list[str]
    notified: dict[tuple[int, Role], set[str]]


@dataclass
class Results:
    """Timings, errors, conflicts and writes of every user, shared under a lock."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    timings: dict[str, list[float]] = field(default_factory=lambda: {"read": [], "write": []})
    errors: Counter = field(default_factory=Counter)
    conflicts: int = 0
    # (kind, marker, directorate code or CODIR request id, author's role, outcome)
    writes: list[tuple[str, str, object, Role, str]] = field(default_factory=list)


def parse_arguments(argv: list[str] | None = None) -> argparse.Namespace:
    """Read the command-line options and refuse out-of-bounds ones."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=30, help=f"default 30, max {MAX_USERS}")
    parser.add_argument("--seconds", type=int, default=60, help=f"default 60, max {MAX_SECONDS}")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers, default 4")
    parser.add_argument("--database-url", help="a PostgreSQL database whose name contains 'test'")
    arguments = parser.parse_args(argv)
    if not 1 <= arguments.users <= MAX_USERS or not 1 <= arguments.seconds <= MAX_SECONDS:
        parser.error(f"--users must be 1 to {MAX_USERS}, --seconds 1 to {MAX_SECONDS}")
    if not 1 <= arguments.workers <= 16:
        parser.error("--workers must be 1 to 16")
    if arguments.database_url and "test" not in (make_url(arguments.database_url).database or ""):
        parser.error("the database name must contain 'test' (its tables are dropped)")
    return arguments


def flask(*args: str) -> None:
    """Run a `flask --app wsgi` command of the portal."""
    command = [sys.executable, "-m", "flask", "--app", "wsgi", *args]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)  # noqa: S603
    if done.returncode:
        sys.exit(f"flask {' '.join(args)} failed:\n{done.stdout}{done.stderr}")


def drop_tables(url: str) -> None:
    """Drop every table of the database (search index and migration history included)."""
    engine = create_engine(url)
    metadata = MetaData()
    metadata.reflect(engine)
    metadata.drop_all(engine)
    engine.dispose()


def pick_directorates(count: int) -> list[Directorate]:
    """Return directorates taken from each CVRH in turn, so that many CVRHs take part."""
    queues: dict[int, list[Directorate]] = {}
    for directorate in db.session.scalars(select(Directorate).order_by(Directorate.code)):
        queues.setdefault(directorate.cvrh_id, []).append(directorate)
    picked: list[Directorate] = []
    while len(picked) < count and any(queues.values()):
        picked += [queue.pop(0) for queue in queues.values() if queue][: count - len(picked)]
    return picked


def create_personas(users: int, today) -> tuple[list[Persona], dict[tuple[int, Role], set[str]]]:
    """Create the accounts, then one CODIR request per directorate; say who each side e-mails."""
    cvrh_users = users // 3
    directorates = pick_directorates(-(-(users - cvrh_users) // PER_DIRECTORATE))
    cvrhs = list(dict.fromkeys(directorate.cvrh for directorate in directorates))
    personas, emails = [], {}
    for number in range(1, users + 1):
        if number <= users - cvrh_users:
            unit = directorates[(number - 1) % len(directorates)]
            role, codes = Role.DIRECTORATE, [unit.code]
        else:
            unit, role = cvrhs[(number - 1) % len(cvrhs)], Role.CVRH
            codes = [d.code for d in directorates if d.cvrh_id == unit.id]
        email = f"charge.{role.value}.{number:03d}@example.org"
        name = f"Utilisateur de charge {number}"
        accounts.create_user(email, role, full_name=name, password=PASSWORD, **{role.value: unit})
        personas.append(Persona(number, email, role, codes))
        emails.setdefault(unit.code, set()).add(email)
    notified = {}
    for directorate in directorates:
        author = next(p for p in personas if p.directorates == [directorate.code])
        request = codir.create_request(
            accounts.find_user_by_email(author.email),
            directorate,
            format=CodirFormat.VIDEO,
            option_1=today + timedelta(days=30),
            audience="Comité de direction (12 personnes)",
            place="https://visio.example.org/codir",
        )
        # A directorate's message e-mails the CVRH's users (its mailbox if it has none), and back.
        cvrh = directorate.cvrh
        notified[request.id, Role.DIRECTORATE] = emails.get(cvrh.code) or {cvrh.email}
        notified[request.id, Role.CVRH] = emails[directorate.code]
        for persona in personas:
            if directorate.code in persona.directorates:
                persona.requests.append(request.id)
    return personas, notified


def prepare(app, users: int, run: str) -> Plan:
    """Create the call, the content pages, the accounts and the CODIR requests."""
    with app.app_context():
        today = portal_today()
        db.session.add(
            Call(code=CALL, title_fr="Appel du test de charge", title_en="Load test call",
                 opens_on=today, deadline=today + timedelta(days=45), is_open=True)
        )  # fmt: skip
        accounts.create_user(
            AUTHOR, Role.PROJECT_TEAM, full_name="Équipe projet", password=PASSWORD
        )
        load_demo_content()
        published = select(ContentItem).where(
            ContentItem.language == "fr", ContentItem.state == ContentState.PUBLISHED
        )
        urls = [f"/fr/content/{content.path_of(item)}" for item in db.session.scalars(published)]
        personas, notified = create_personas(users, today)
        db.session.remove()
        db.engine.dispose()
    return Plan(run, personas, urls, notified)


class NoRedirect(urllib.request.HTTPRedirectHandler):
    """Hand redirects back to the caller: the redirect after a POST is its acknowledgement."""

    def redirect_request(self, *args, **kwargs):
        return None


class Browser:
    """One simulated user's browser: its own cookie jar, no proxy, redirects not followed."""

    def __init__(self, base: str, results: Results):
        self.base, self.results = base, results
        cookies = urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        no_proxy = urllib.request.ProxyHandler({})
        self.opener = urllib.request.build_opener(no_proxy, cookies, NoRedirect)

    def send(self, kind: str, name: str, path: str, data=None, expected=200, conflict=False):
        """Send a request, record its time and outcome; return (status, page), 0 if no answer."""
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        start = time.perf_counter()
        try:
            with self.opener.open(self.base + path, body, timeout=TIMEOUT) as response:
                status, page = response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            with error:
                status, page = error.code, error.read().decode(errors="replace")
        except (OSError, http.client.HTTPException) as error:
            status, page = 0, type(error).__name__
        elapsed = time.perf_counter() - start
        with self.results.lock:
            self.results.timings[kind].append(elapsed)
            if status == 409 and conflict:
                self.results.conflicts += 1
            elif status == 0:
                self.results.errors[f"no answer ({page}) on {name}"] += 1
            elif status != expected:
                self.results.errors[f"HTTP {status} on {name}"] += 1
        return status, page


class Forms(HTMLParser):
    """The forms of a page: their attributes, hidden fields (CSRF token, version), submit inputs."""

    def __init__(self, page: str):
        super().__init__()
        self.forms: list[tuple[dict, list[tuple[str, str]], list[tuple[str, str]]]] = []
        self.open = False
        self.feed(page)
        self.close()

    def handle_starttag(self, tag, attrs):
        attributes = {key: value or "" for key, value in attrs}
        if tag == "form":
            self.forms.append((attributes, [], []))
            self.open = True
        elif tag == "input" and self.open and attributes.get("name"):
            pair = (attributes["name"], attributes.get("value", ""))
            if attributes.get("type") == "hidden":
                self.forms[-1][1].append(pair)
            elif attributes.get("type") == "submit":
                self.forms[-1][2].append(pair)

    def handle_endtag(self, tag):
        if tag == "form":
            self.open = False

    def submission(self, which: tuple[str, str], **fields: str) -> list[tuple[str, str]] | None:
        """Return what the first form with this (attribute, value) sends, these fields typed in.

        The visible fields not given are left out: in the bench's data they are empty, and the
        portal reads a missing field as an empty one. Pressing Enter sends the first button.
        """
        for attributes, hidden, buttons in self.forms:
            if attributes.get(which[0]) == which[1]:
                return hidden + list(fields.items()) + buttons[:1]
        return None


def submit(browser: Browser, kind: str, path: str, which, action: str, **fields: str) -> int:
    """Open a page, fill its form as a user would and post it; return the status, -1 if no form."""
    status, page = browser.send("read", f"{kind} page", path)
    data = Forms(page).submission(which, **fields) if status == 200 else None
    if data is None:
        if status == 200:
            with browser.results.lock:
                browser.results.errors[f"{kind} page without its form"] += 1
        return -1
    return browser.send("write", kind, action, data, expected=302, conflict=kind == "draft")[0]


def log_in(browser: Browser, persona: Persona) -> bool:
    """Post the login form with the CSRF token it holds."""
    fields = {"email": persona.email, "password": PASSWORD}
    return submit(browser, "login", "/fr/login", ("method", "post"), "/fr/login", **fields) == 302


def write(browser: Browser, persona: Persona, rng: random.Random, marker: str) -> None:
    """Save the declaration's draft or post on a CODIR thread, with the marker; note the answer."""
    if persona.role is Role.DIRECTORATE and rng.random() < 0.5:
        kind, target = "draft", persona.directorates[0]
        page = action = f"/fr/declarations/{CALL}/{target}/edit"
        which, fields = ("id", "declaration-form"), {"comments": f"Load test {marker}"}
    else:
        kind, target = "message", rng.choice(persona.requests)
        page, action = f"/fr/codir/{target}", f"/fr/codir/{target}/messages"
        which, fields = ("action", action), {"message-body": f"Load test {marker}"}
    status = submit(browser, kind, page, which, action, **fields)
    if status != -1:
        outcome = {302: "acknowledged", 409: "conflict"}.get(status, "unacknowledged")
        with browser.results.lock:
            browser.results.writes.append((kind, marker, target, persona.role, outcome))


def read(browser: Browser, persona: Persona, plan: Plan, rng: random.Random) -> None:
    """Open one of the pages a user of this role reads."""
    pages = [
        ("home", "/fr/home"),
        ("welcome", "/fr/"),
        ("declarations", "/fr/declarations/"),
        ("declaration", f"/fr/declarations/{CALL}/{rng.choice(persona.directorates)}"),
        ("CODIR list", "/fr/codir/"),
        ("CODIR request", f"/fr/codir/{rng.choice(persona.requests)}"),
        ("site map", "/fr/content/"),
        ("news", "/fr/content/news/"),
        ("content page", rng.choice(plan.content_urls)),
        ("search", f"/fr/content/search?q={rng.choice(SEARCHES)}"),
    ]
    if persona.role is Role.CVRH:
        pages.append(("declarations of the call", f"/fr/declarations/{CALL}/"))
    browser.send("read", *rng.choice(pages))


def simulate(persona: Persona, plan: Plan, base: str, results: Results, until: float, stop):
    """Log in, then read and write until the time is up."""
    rng, browser = random.Random(f"{plan.run}-{persona.number}"), Browser(base, results)
    while not log_in(browser, persona):
        if time.monotonic() > until or stop.wait(1):
            return
    writes = 0
    while time.monotonic() < until and not stop.is_set():
        if rng.random() < WRITE_SHARE:
            writes += 1
            write(browser, persona, rng, f"{plan.run}-{persona.number:03d}-{writes:05d}")
        else:
            read(browser, persona, plan, rng)


def markers_in(texts) -> Counter:
    """Count the markers of this run in some texts (a text without one counts as itself)."""
    return Counter(found.group() if (found := MARKER.search(t or "")) else repr(t) for t in texts)


def declaration_chain(directorate: str, problems: list[str]) -> list[str]:
    """Return the comments saved on a declaration in order, noting any break in the chain."""
    saved = (
        select(DeclarationEvent).join(Declaration).join(Call).join(Directorate)
        .where(Call.code == CALL, Directorate.code == directorate)
        .where(DeclarationEvent.action == "saved").order_by(DeclarationEvent.id)
    )  # fmt: skip
    chain = [""]
    for event in db.session.scalars(saved):
        before, after = event.changes.get("comments", [None, None])
        if before != chain[-1]:
            problems.append(f"{directorate}: save {event.id} replaced {before!r}, not the "
                            f"{chain[-1]!r} saved just before it (lost update)")  # fmt: skip
        chain.append(after)
    final = db.session.scalar(
        select(Declaration.comments).join(Call).join(Directorate)
        .where(Call.code == CALL, Directorate.code == directorate)
    )  # fmt: skip
    if (final or "") != chain[-1]:
        problems.append(f"{directorate}: comments are {final!r}, the last save {chain[-1]!r}")
    return chain[1:]


def check_database(app, plan: Plan, results: Results) -> list[str]:
    """Return the lost, doubled or unexpected writes and e-mails found in the database."""
    problems: list[str] = []
    like = f"%Load test {plan.run}-%"
    with app.app_context():
        bodies = select(CodirMessage.body).where(CodirMessage.body.like(like))
        stored = markers_in(db.session.scalars(bodies))
        for directorate in {target for kind, _m, target, *_ in results.writes if kind == "draft"}:
            stored += markers_in(declaration_chain(directorate, problems))
        mails: dict[str, Counter] = {}
        outbox = select(OutboxMessage.recipients, OutboxMessage.body)
        for recipients, body in db.session.execute(outbox.where(OutboxMessage.body.like(like))):
            mails.setdefault(MARKER.search(body).group(), Counter())[recipients] += 1
    sent = {marker for _kind, marker, *_rest in results.writes}
    problems += [f"{marker} stored, but no user wrote it" for marker in set(stored) - sent]
    allowed = {"acknowledged": (1,), "conflict": (0,), "unacknowledged": (0, 1)}
    for kind, marker, target, role, outcome in results.writes:
        if stored[marker] not in allowed[outcome]:
            problems.append(f"{kind} {marker} ({outcome}) stored {stored[marker]} times")
        if kind == "message":
            expected = Counter(plan.notified[target, role] if stored[marker] else ())
            if mails.get(marker, Counter()) != expected:
                problems.append(f"outbox for {marker}: {dict(mails.get(marker, {}))}, expected "
                                f"one e-mail to each of {sorted(expected)}")  # fmt: skip
    return problems


def free_port() -> int:
    """Return a TCP port free on the loopback."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_server(log_path: Path) -> subprocess.Popen:
    """Start gunicorn with the shipped configuration, in a process group of its own."""
    command = [sys.executable, "-m", "gunicorn", "--config", "gunicorn.conf.py", "wsgi:app"]
    with log_path.open("wb") as log:
        return subprocess.Popen(  # noqa: S603
            command, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )


def wait_until_ready(server: subprocess.Popen, base: str) -> None:
    """Wait until the health check answers; give up if gunicorn exits or after a minute."""
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    for _attempt in range(120):
        if server.poll() is not None:
            raise RuntimeError("gunicorn stopped while starting")
        with contextlib.suppress(OSError), opener.open(base + "/healthz", timeout=5) as response:
            if response.status == 200:
                return
        time.sleep(0.5)
    raise RuntimeError("gunicorn did not answer within a minute")


def stop_server(server: subprocess.Popen) -> None:
    """Stop gunicorn gracefully (TERM to its group), then kill whatever is left of the group."""
    with contextlib.suppress(ProcessLookupError, subprocess.TimeoutExpired):
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=45)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(server.pid, signal.SIGKILL)
    server.wait()


def run_users(plan: Plan, base: str, seconds: int) -> tuple[Results, float]:
    """Run each user in a thread of its own for the given time; Ctrl+C ends the run early."""
    results, stop, start = Results(), threading.Event(), time.monotonic()
    threads = [
        threading.Thread(
            target=simulate, args=(p, plan, base, results, start + seconds, stop), daemon=True
        )
        for p in plan.personas
    ]
    for thread in threads:
        thread.start()
    try:
        for thread in threads:
            thread.join()
    except KeyboardInterrupt:
        print("Interrupted: the users stop after their current request.")
        stop.set()
        for thread in threads:
            thread.join()
    return results, time.monotonic() - start


def percentiles(values: list[float]) -> str:
    """Return p50, p95 and p99 of durations, in milliseconds (nearest rank)."""
    ordered = sorted(values) or [float("nan")]
    return "  ".join(
        f"p{share} {ordered[max(0, -(-len(ordered) * share // 100) - 1)] * 1000:7.1f} ms"
        for share in (50, 95, 99)
    )


def report(results: Results, elapsed: float, log: str, problems: list[str]) -> None:
    """Print the figures, the errors by kind and the result of the checks."""
    reads, writes = results.timings["read"], results.timings["write"]
    total = len(reads) + len(writes)
    print(f"Requests: {total} in {elapsed:.1f} s, {total / elapsed:.1f} per second")
    for name, values in (("all", reads + writes), ("reads", reads), ("writes", writes)):
        print(f"  {name:<6} {len(values):>7}   {percentiles(values)}")
    print(f"Conflicts (409, another user saved the declaration first): {results.conflicts}")
    print(f"Errors: {sum(results.errors.values())}")
    for kind, count in results.errors.most_common():
        print(f"  {count:>6}  {kind}")
    exceptions = Counter(line[:160] for line in EXCEPTION_LINE.findall(log))
    if exceptions:
        print("Exceptions in the server log:")
        for line, count in exceptions.most_common(10):
            print(f"  {count:>6}  {line}")
    outcomes = Counter((kind, outcome) for kind, _m, _t, _r, outcome in results.writes)
    print("Writes: " + ", ".join(f"{k} {o} {n}" for (k, o), n in sorted(outcomes.items())))
    if not problems:
        print("Checks: every acknowledged write stored once, none doubled, outbox complete.")
    else:
        print(f"Checks: {len(problems)} problems")
        for problem in problems[:40]:
            print(f"  {problem}")


def main(argv: list[str] | None = None) -> int:
    """Prepare the database, run the users against gunicorn, check the database, report."""
    arguments = parse_arguments(argv)
    directory = Path(tempfile.mkdtemp(prefix="load-bench-"))
    log_path, port = directory / "gunicorn.log", free_port()
    base = f"http://127.0.0.1:{port}"
    os.environ.pop("GUNICORN_CMD_ARGS", None)
    os.environ.update(
        DATABASE_URL=arguments.database_url or f"sqlite:///{directory / 'bench.sqlite3'}",
        PORTAL_ENV="development",
        MAIL_SERVER="",
        SECRET_KEY=secrets.token_hex(32),
        PORTAL_BASE_URL=base,
        PORTAL_BIND=f"127.0.0.1:{port}",
        WEB_CONCURRENCY=str(arguments.workers),
        ATTACHMENTS_DIR=str(directory / "attachments"),
    )
    app = create_app()
    if arguments.database_url:
        drop_tables(app.config["SQLALCHEMY_DATABASE_URI"])
    flask("db", "upgrade")
    flask("seed")
    plan = prepare(app, arguments.users, "lb" + secrets.token_hex(3))
    backend = make_url(app.config["SQLALCHEMY_DATABASE_URI"]).get_backend_name()
    print(f"{arguments.users} users for {arguments.seconds} s, {arguments.workers} workers, "
          f"{backend}, run {plan.run}; server log in {log_path}")  # fmt: skip
    server = start_server(log_path)
    try:
        wait_until_ready(server, base)
        results, elapsed = run_users(plan, base, arguments.seconds)
    finally:
        stop_server(server)
    problems = check_database(app, plan, results)
    report(results, elapsed, log_path.read_text(errors="replace"), problems)
    if problems or results.errors:
        print(f"Server log and database kept in {directory}")
        return 1
    shutil.rmtree(directory)
    return 0


if __name__ == "__main__":
    sys.exit(main())
