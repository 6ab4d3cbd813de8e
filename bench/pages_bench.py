"""Measure every main page against a plaintext route, on the demo data then on grown data.

Run it from the repository root:

    .venv/bin/python bench/pages_bench.py                        # both data sets, SQLite
    .venv/bin/python bench/pages_bench.py --data grown --seconds 10 --connections 16
    .venv/bin/python bench/pages_bench.py --scale 0.2 --only "CODIR"
    .venv/bin/python bench/pages_bench.py --database-url postgresql://pix:pix@127.0.0.1/pix_test

Setup: a temporary SQLite file, or the PostgreSQL database given (its name must contain "test":
its tables are dropped); `flask db upgrade`, `flask seed`, `flask demo` (the demo data of
`make run`). The grown data set adds to it, with tests/scale.py's `grow`, 300 directorates with
a declaration each on the open call, 2,000 CODIR requests with 5 messages each, 253 content
items of each kind (sections three deep, pages, news, events) with 10 revisions each, an audit
entry and an outbox message per directorate: 348 directorates, 306 declarations, 2,005 CODIR
requests, 10,003 messages, 1,048 content items in all. `--scale` multiplies what is added.

For each data set, gunicorn starts with gunicorn.conf.py and bench/pages_wsgi.py (the portal
plus a `/plaintext` route and two measuring headers) on a free loopback port, in a process group
of its own stopped at the end whatever happens. Its workers are not recycled (`--max-requests
0` unless given): with the requests spread evenly, the shipped setting (1,000, jitter 100)
restarts all the workers within a second or two of one another, a pause of several seconds
that would fall on whichever page is being loaded. Each role logs in with a demo account (through
the login form, CSRF token included). Then, one page after the other, each page is requested
once (it must answer 200: no error page is measured), loaded with wrk (or Python threads if wrk
is missing) for `--seconds` (a slow page that completed fewer than two requests per connection
is loaded again twice as long, up to 40 s), then requested `--samples` times in a row, idle,
for the server time and statement count its headers give. The plaintext route is loaded first
and last; each page's ratio is its requests per second over the mean of those two runs.

The statement count and the server time come from the headers bench/pages_wsgi.py adds to each
response, rather than from a test client beside the server: they are those of the requests the
gunicorn workers serve, with the run's configuration, database and per-process caches, with no
second app to keep in step. The server time is the median of the idle samples, taken in the
worker from the request entering the app to its response starting (queries and rendering, not
the network), so that it does not include the queueing of the load run; the statement count is
the same in every sample, or shown as a range.

wrk counts the answers other than 2xx and 3xx only; a page must answer 200 to the request
before its load run and to every sample after it, so a session lost under load would show.
Exit status 1 if any page answered other than 200 or the load generator saw an error.
"""

import argparse
import os
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from load_bench import drop_tables, flask, free_port, stop_server, wait_until_ready  # noqa: E402
from pages_clients import USER_AGENT, Load, fetch, log_in, opener, run_python, run_wrk, wrk_path  # noqa: E402
from sqlalchemy import func, select  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from app import create_app  # noqa: E402
from app.codir.models import CodirMessage, CodirRequest  # noqa: E402
from app.content import services as content  # noqa: E402
from app.content.models import ContentItem, ContentKind, ContentState, Revision  # noqa: E402
from app.declarations.models import Declaration  # noqa: E402
from app.demo import DEMO_PASSWORD  # noqa: E402
from app.directorates.models import Call, Directorate  # noqa: E402
from app.extensions import db  # noqa: E402
from app.followup.models import FollowupPlan  # noqa: E402
from tests.scale import Scale, grow, open_call  # noqa: E402

# The grown data set: what `grow` adds to the demo data, multiplied by --scale.
GROWN = {"directorates": 300, "codir_requests": 2000, "content": 253}
GROWN_SCALE = Scale(messages=5, revisions=10)
# Targets: share of the plaintext route's requests per second, and server time on grown data.
RATIO_TARGET = {"demo": 0.30, "grown": 0.15}
SERVER_MS_TARGET = 100
# A load run that completed fewer requests per connection is run again twice as long, up to
# LONGEST_RUN seconds (or --seconds if longer).
FEWEST_PER_CONNECTION, LONGEST_RUN = 2, 40
ACCOUNTS = {
    "anonymous": None,
    "directorate": "dreal-pdl@example.org",
    "cvrh": "cvrh-nantes@example.org",
    "project team": "equipe-projet@example.org",
    "admin": "admin@example.org",
}
# (role, page, address): {call} is the open call, {followup_call} the call with follow-ups,
# {codir} the directorate's CODIR request with the most messages, {page} the deepest page.
PAGES = [
    ("anonymous", "welcome", "/fr/"),
    ("anonymous", "site map", "/fr/content/"),
    ("anonymous", "content page", "/fr/content/{page}"),
    ("anonymous", "search", "/fr/content/search?q=pix"),
    ("directorate", "home", "/fr/home"),
    ("directorate", "declarations", "/fr/declarations/"),
    ("directorate", "declaration form", "/fr/declarations/{call}/DREAL-PDL/edit"),
    ("directorate", "CODIR requests", "/fr/codir/"),
    ("directorate", "CODIR request", "/fr/codir/{codir}"),
    ("cvrh", "home", "/fr/home"),
    ("cvrh", "declarations list", "/fr/declarations/{call}/"),
    ("cvrh", "CODIR inbox", "/fr/codir/"),
    ("cvrh", "CODIR request", "/fr/codir/{codir}"),
    ("cvrh", "skills follow-up", "/fr/followup/skills/{followup_call}/"),
    ("project team", "home", "/fr/home"),
    ("project team", "console", "/fr/console/{call}/"),
    ("project team", "declarations list", "/fr/declarations/{call}/"),
    ("project team", "all CODIR requests", "/fr/codir/"),
    ("project team", "content management", "/fr/content/manage"),
    ("project team", "directorates", "/fr/directorates/"),
    ("project team", "skills follow-up", "/fr/followup/skills/{followup_call}/"),
    ("admin", "home", "/fr/home"),
    ("admin", "users", "/fr/admin/users"),
    ("admin", "audit log", "/fr/admin/audit"),
    ("admin", "outbox", "/fr/admin/outbox"),
    ("admin", "reference data", "/fr/admin/reference"),
]
PLAINTEXT = ("anonymous", "plaintext", "/plaintext")
WSGI_APP = "bench.pages_wsgi:app"


@dataclass
class Row:
    """The figures of one page: its load run and its idle samples, or what went wrong."""

    role: str
    page: str
    path: str
    load: Load | None = None
    server_ms: float | None = None
    statements: str = ""
    kilobytes: float | None = None
    seconds: int = 0
    problem: str = ""


def parse_arguments(argv: list[str] | None = None) -> argparse.Namespace:
    """Read the command-line options and refuse out-of-bounds ones."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", choices=("both", "demo", "grown"), default="both")
    parser.add_argument("--scale", type=float, default=1.0, help="multiplies the grown data")
    parser.add_argument("--seconds", type=int, default=5, help="load per page, default 5")
    parser.add_argument("--connections", type=int, default=8, help="default 8")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers, default 4")
    parser.add_argument("--samples", type=int, default=5, help="idle requests per page")
    parser.add_argument(
        "--max-requests",
        type=int,
        default=0,
        help="recycle each worker after this many requests, 0 (default) never",
    )
    parser.add_argument("--only", help="measure only the pages whose 'role page' contains this")
    parser.add_argument(
        "--load",
        choices=("auto", "wrk", "python"),
        default="auto",
        help="load generator: wrk if installed (auto), else Python threads",
    )
    parser.add_argument("--database-url", help="a PostgreSQL database whose name contains 'test'")
    arguments = parser.parse_args(argv)
    if not 0 < arguments.scale <= 20:
        parser.error("--scale must be above 0 and at most 20")
    if not 1 <= arguments.seconds <= 600 or not 1 <= arguments.connections <= 256:
        parser.error("--seconds must be 1 to 600, --connections 1 to 256")
    if not 1 <= arguments.workers <= 16 or not 1 <= arguments.samples <= 100:
        parser.error("--workers must be 1 to 16, --samples 1 to 100")
    if arguments.max_requests < 0:
        parser.error("--max-requests must be 0 (never) or more")
    if arguments.database_url and "test" not in (make_url(arguments.database_url).database or ""):
        parser.error("the database name must contain 'test' (its tables are dropped)")
    if arguments.load == "auto":
        arguments.load = "wrk" if wrk_path() else "python"
    elif arguments.load == "wrk" and not wrk_path():
        parser.error("wrk is not installed")
    return arguments


def grow_data(app, scale: float) -> float:
    """Add the grown data set to the demo data; return the seconds it took."""
    started = time.perf_counter()
    size = {name: max(1, round(count * scale)) for name, count in GROWN.items()}
    with app.app_context():
        grow(
            size["directorates"],
            GROWN_SCALE,
            around=("DREAL-PDL",),
            content=size["content"],
            codir_requests=size["codir_requests"],
        )
        db.session.remove()
        db.engine.dispose()
    return time.perf_counter() - started


def describe(app) -> tuple[str, dict[str, str]]:
    """Return what the database holds, and the values page addresses are made of."""
    counted = {
        "directorates": Directorate.id,
        "declarations": Declaration.id,
        "CODIR requests": CodirRequest.id,
        "messages": CodirMessage.id,
        "content items": ContentItem.id,
        "revisions": Revision.id,
    }
    with app.app_context():
        summary = ", ".join(
            f"{db.session.scalar(select(func.count(column))):,} {name}"
            for name, column in counted.items()
        )
        call = open_call()
        followup_call = db.session.scalar(
            select(Call.code).join(Declaration).join(FollowupPlan).order_by(Call.opens_on)
        )
        messages = (
            select(CodirRequest.id)
            .join(Directorate, CodirRequest.directorate_id == Directorate.id)
            .outerjoin(CodirMessage, CodirMessage.request_id == CodirRequest.id)
            .where(Directorate.code == "DREAL-PDL")
            .group_by(CodirRequest.id)
            .order_by(func.count(CodirMessage.id).desc(), CodirRequest.id.desc())
        )
        pages = select(ContentItem).where(
            ContentItem.kind == ContentKind.PAGE,
            ContentItem.language == "fr",
            ContentItem.state == ContentState.PUBLISHED,
        )
        deepest = max(
            db.session.scalars(pages.order_by(ContentItem.id)),
            key=lambda item: len(content.breadcrumbs(item)),
        )
        values = {
            "call": call.code,
            "followup_call": followup_call or call.code,
            "codir": str(db.session.scalar(messages.limit(1))),
            "page": content.path_of(deepest),
        }
        db.session.remove()
        db.engine.dispose()
    return summary, values


def start_server(log_path: Path, max_requests: int) -> subprocess.Popen:
    """Start gunicorn with the shipped configuration on the bench's app, in its own group."""
    command = [sys.executable, "-m", "gunicorn", "--config", "gunicorn.conf.py",
               f"--max-requests={max_requests}", WSGI_APP]  # fmt: skip
    with log_path.open("ab") as log:
        return subprocess.Popen(  # noqa: S603
            command, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )


def measure(row: Row, base: str, headers: dict[str, str], arguments) -> None:
    """Check that the page answers 200, load it, then sample it idle."""
    browser = opener()
    browser.addheaders += list(headers.items())
    status, _headers, _body = fetch(browser, base + row.path)
    if status != 200:
        row.problem = f"HTTP {status}"
        return
    load = run_wrk if arguments.load == "wrk" else run_python
    every = {"User-Agent": USER_AGENT, **headers}
    row.seconds = arguments.seconds
    row.load = load(base + row.path, every, row.seconds, arguments.connections)
    # A slow page completes few requests in a short run, and wrk counts only those completed:
    # run it again for longer, so that the rate rests on a few requests per connection.
    while (
        row.load.requests < FEWEST_PER_CONNECTION * arguments.connections
        and row.seconds * 2 <= max(LONGEST_RUN, arguments.seconds)
    ):
        row.seconds *= 2
        row.load = load(base + row.path, every, row.seconds, arguments.connections)
    if row.load.bad_answers or row.load.errors:
        row.problem = f"{row.load.bad_answers} bad answers, {row.load.errors} errors under load"
    times, statements, sizes = [], [], []
    for _sample in range(arguments.samples):
        status, answer, body = fetch(browser, base + row.path)
        if status != 200:
            row.problem = f"HTTP {status} after the load"
            return
        times.append(float(answer["X-Bench-Milliseconds"]))
        statements.append(int(answer["X-Bench-Statements"]))
        sizes.append(len(body))
    row.server_ms = statistics.median(times)
    low, high = min(statements), max(statements)
    row.statements = str(low) if low == high else f"{low}–{high}"
    row.kilobytes = statistics.median(sizes) / 1000


def run_data_set(app, name: str, arguments, base: str, log_path: Path) -> list[Row]:
    """Serve the database as it is, log every role in, measure the plaintext route and pages."""
    summary, values = describe(app)
    print(f"\n## {name} data: {summary}")
    wanted = [p for p in PAGES if not arguments.only or arguments.only in f"{p[0]} {p[1]}"]
    rows = [Row(role, page, path.format(**values)) for role, page, path in wanted]
    first, last = Row(*PLAINTEXT), Row(*PLAINTEXT)
    server = start_server(log_path, arguments.max_requests)
    try:
        wait_until_ready(server, base)
        sessions = {
            role: log_in(base, email, DEMO_PASSWORD) if email else {}
            for role, email in ACCOUNTS.items()
        }
        for row in [first, *rows, last]:
            measure(row, base, sessions[row.role], arguments)
            print(f"  {row.role:<12} {row.page:<20} {figures(row)}", flush=True)
    finally:
        stop_server(server)
    print_table(name, first, last, rows)
    return [first, *rows, last]


def figures(row: Row) -> str:
    """Return a row's figures on one line, as it is measured."""
    if row.server_ms is None:
        return row.problem
    load = row.load
    return (
        f"{load.per_second:8.1f} req/s in {row.seconds:>2} s  p99 {load.p99_ms:8.1f} ms  "
        f"{row.server_ms:7.1f} ms idle  {row.statements} statements  {row.problem}"
    )


COLUMNS = ["page", "role", "req/s", "p99 (ms)", "ratio", "server (ms)", "statements", "KB",
           "run (s)", "missed"]  # fmt: skip


def print_table(name: str, first: Row, last: Row, rows: list[Row]) -> None:
    """Print the data set's figures as a Markdown table, pages below target marked."""
    baselines = [row.load.per_second for row in (first, last) if row.load]
    plaintext = statistics.mean(baselines) if baselines else float("nan")
    target = RATIO_TARGET[name]
    print("\n| " + " | ".join(COLUMNS) + " |")
    print("|---|---|" + "---:|" * (len(COLUMNS) - 3) + "---|")
    for row in [first, *rows, last]:
        if row.server_ms is None:
            print(f"| {row.page} | {row.role} |" + " |" * (len(COLUMNS) - 3) + f" {row.problem} |")
            continue
        ratio = row.load.per_second / plaintext
        marks = []
        if row is not first and row is not last and ratio < target:
            marks.append(f"ratio < {target:.2f}")
        if name == "grown" and row.server_ms > SERVER_MS_TARGET:
            marks.append(f"> {SERVER_MS_TARGET} ms")
        marks += [row.problem] if row.problem else []
        cells = [row.page, row.role, f"{row.load.per_second:,.1f}", f"{row.load.p99_ms:,.0f}",
                 f"{ratio:.3f}", f"{row.server_ms:,.1f}", row.statements,
                 f"{row.kilobytes:,.1f}", str(row.seconds), ", ".join(marks)]  # fmt: skip
        print("| " + " | ".join(cells) + " |")
    measured = [row for row in rows if row.load]
    below = sum(1 for row in measured if row.load.per_second / plaintext < target)
    print(f"\nPlaintext {plaintext:,.1f} req/s (mean of the first and last runs); "
          f"{below} of {len(measured)} pages measured below {target:.2f} of it.")  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    """Prepare the demo data, measure it, grow it, measure again; report."""
    arguments = parse_arguments(argv)
    directory = Path(tempfile.mkdtemp(prefix="pages-bench-"))
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
        # A worker that crashes leaves its Python traceback in the server log.
        PYTHONFAULTHANDLER="1",
    )
    app = create_app()
    if arguments.database_url:
        drop_tables(app.config["SQLALCHEMY_DATABASE_URI"])
    flask("db", "upgrade")
    flask("seed")
    flask("demo")
    backend = make_url(app.config["SQLALCHEMY_DATABASE_URI"]).get_backend_name()
    print(f"# Pages: {backend}, {arguments.workers} workers (max requests "
          f"{arguments.max_requests}), {arguments.load}, {arguments.connections} connections, "
          f"{arguments.seconds} s per page, {arguments.samples} idle samples; "
          f"server log in {log_path}")  # fmt: skip
    rows = []
    for name in ("demo", "grown"):
        if name == "grown":
            if arguments.data == "demo":
                break
            print(f"\nGrown data built in {grow_data(app, arguments.scale):.0f} s.")
        elif arguments.data == "grown":
            continue
        rows += run_data_set(app, name, arguments, base, log_path)
    failed = [row for row in rows if row.problem]
    if failed:
        print(f"\nFailed pages: {len(failed)}; server log and database kept in {directory}")
        return 1
    shutil.rmtree(directory)
    return 0


if __name__ == "__main__":
    sys.exit(main())
