"""The clients of bench/pages_bench.py: a browser that logs in, and two load generators.

The browser follows no redirect (a page answering one is a failure, not something to follow).
The load generators, wrk when it is installed, else Python threads, both keep a number of
connections busy on one address for a given time, with the same headers on every request (the
session cookie, a fixed User-Agent), and return the requests per second, the 99th percentile
of the latencies and what went wrong.
"""

import http.client
import http.cookiejar
import re
import shutil
import subprocess
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass

from load_bench import Forms

USER_AGENT = "pages-bench"  # the same on every request: the session is bound to it
UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0, "h": 3_600_000.0}
TIMEOUT = 60  # seconds: a slow page under load is measured, not dropped as a timeout


class NoRedirect(urllib.request.HTTPRedirectHandler):
    """Hand redirects back: a page answering a redirect is a failure, not something to follow."""

    def redirect_request(self, *args, **kwargs):
        return None


def opener(jar: http.cookiejar.CookieJar | None = None) -> urllib.request.OpenerDirector:
    """Return a browser without proxy nor redirects, keeping its cookies in the jar if given."""
    handlers = [urllib.request.ProxyHandler({}), NoRedirect]
    if jar is not None:
        handlers.append(urllib.request.HTTPCookieProcessor(jar))
    browser = urllib.request.build_opener(*handlers)
    browser.addheaders = [("User-Agent", USER_AGENT)]
    return browser


def fetch(browser, url: str, data=None) -> tuple[int, dict[str, str], bytes]:
    """Send a request; return its status (0 if no answer), headers and body."""
    body = urllib.parse.urlencode(data).encode() if data is not None else None
    try:
        with browser.open(url, body, timeout=TIMEOUT) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        with error:
            return error.code, dict(error.headers), error.read()
    except OSError as error:
        return 0, {}, type(error).__name__.encode()


def log_in(base: str, email: str, password: str) -> dict[str, str]:
    """Log in through the login form; return the headers that carry the session."""
    jar = http.cookiejar.CookieJar()
    browser = opener(jar)
    status, _headers, page = fetch(browser, base + "/fr/login")
    form = Forms(page.decode())
    fields = form.submission(("method", "post"), email=email, password=password)
    if status != 200 or fields is None:
        raise RuntimeError(f"login page of {email}: HTTP {status}")
    status, _headers, _page = fetch(browser, base + "/fr/login", fields)
    if status != 302:
        raise RuntimeError(f"login of {email}: HTTP {status} instead of a redirect")
    return {"Cookie": "; ".join(f"{cookie.name}={cookie.value}" for cookie in jar)}


@dataclass
class Load:
    """What a load run gave."""

    requests: int
    per_second: float
    p99_ms: float
    bad_answers: int  # wrk: answers other than 2xx or 3xx; Python: other than 200
    errors: int  # connections refused, cut or timed out


def wrk_path() -> str | None:
    """Return wrk's path, or None if it is not installed."""
    return shutil.which("wrk")


def _milliseconds(figure: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)([a-z]+)", figure).groups()
    return float(number) * UNITS[unit]


def parse_wrk(output: str) -> Load:
    """Read the figures of wrk's report (run with --latency)."""
    requests = re.search(r"^\s*(\d+) requests in", output, re.MULTILINE)
    per_second = re.search(r"^Requests/sec:\s*([\d.]+)", output, re.MULTILINE)
    p99 = re.search(r"^\s*99%\s+([\d.]+[a-z]+)", output, re.MULTILINE)
    if not (requests and per_second and p99):
        raise RuntimeError(f"unexpected wrk output:\n{output}")
    bad = re.search(r"Non-2xx or 3xx responses:\s*(\d+)", output)
    sockets = re.search(r"Socket errors: (.*)", output)
    errors = sum(int(n) for n in re.findall(r"\d+", sockets.group(1))) if sockets else 0
    return Load(
        requests=int(requests.group(1)),
        per_second=float(per_second.group(1)),
        p99_ms=_milliseconds(p99.group(1)),
        bad_answers=int(bad.group(1)) if bad else 0,
        errors=errors,
    )


def run_wrk(url: str, headers: dict[str, str], seconds: int, connections: int) -> Load:
    """Load the address with wrk and return its figures."""
    command = [
        wrk_path() or "wrk",
        f"--threads={min(2, connections)}",
        f"--connections={connections}",
        f"--duration={seconds}s",
        f"--timeout={TIMEOUT}s",
        "--latency",
    ]
    for name, value in headers.items():
        command += ["--header", f"{name}: {value}"]
    done = subprocess.run(  # noqa: S603 - fixed program, arguments built here
        [*command, url], capture_output=True, text=True, timeout=seconds + TIMEOUT + 30
    )
    if done.returncode:
        raise RuntimeError(f"wrk failed:\n{done.stdout}{done.stderr}")
    return parse_wrk(done.stdout)


def run_python(url: str, headers: dict[str, str], seconds: int, connections: int) -> Load:
    """Load the address from threads, one connection each, and return the figures.

    Slower than wrk (the client shares the interpreter lock), so the fastest routes, the
    plaintext one first, are under-measured: the ratios are then too high.
    """
    address = urllib.parse.urlsplit(url)
    target = address.path + (f"?{address.query}" if address.query else "")
    latencies: list[float] = []
    counts = {"bad": 0, "errors": 0}
    lock = threading.Lock()
    until = time.monotonic() + seconds

    def user() -> None:
        while time.monotonic() < until:
            started = time.perf_counter()
            connection = http.client.HTTPConnection(address.hostname, address.port, timeout=TIMEOUT)
            try:
                connection.request("GET", target, headers=headers)
                response = connection.getresponse()
                response.read()
                kind = None if response.status == 200 else "bad"
            except (OSError, http.client.HTTPException):
                kind = "errors"
            finally:
                connection.close()
            with lock:
                if kind:
                    counts[kind] += 1
                else:
                    latencies.append(time.perf_counter() - started)

    started = time.monotonic()
    threads = [threading.Thread(target=user, daemon=True) for _ in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    ordered = sorted(latencies) or [float("nan")]
    p99 = ordered[max(0, -(-len(ordered) * 99 // 100) - 1)]
    done = len(latencies) + counts["bad"]
    return Load(done, done / elapsed, p99 * 1000, counts["bad"], counts["errors"])
