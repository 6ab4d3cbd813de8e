"""The portal as bench/pages_bench.py serves it: `gunicorn ... bench.pages_wsgi:app`.

This module, not the portal, adds two things (the portal itself has neither):

- a `/plaintext` route answering "Hello, World!" as text/plain: a view of the same Flask app,
  in the same workers, behind the portal's own request hooks (access check, session, locale,
  security headers), which every page pays too. It is the baseline each page is compared to;
- two headers on every response: `X-Bench-Statements`, the SQL statements the request sent
  before its response started (counted as tests/queries.py counts them, by a SQLAlchemy
  `before_cursor_execute` event on the portal's engine), and `X-Bench-Milliseconds`, the time
  from the request entering the app to its response starting (routing, hooks, queries,
  rendering; not gunicorn's parsing and writing).
"""

import threading
import time

from flask import Response
from sqlalchemy import event

from app import create_app
from app.auth.access import public
from app.extensions import db

STATEMENTS, MILLISECONDS = "X-Bench-Statements", "X-Bench-Milliseconds"


class Measured:
    """WSGI middleware: count the statements and time of each request, say them in headers."""

    def __init__(self, wsgi_app):
        self.wsgi_app = wsgi_app
        self.current = threading.local()

    def count(self, *_args) -> None:
        """Count one statement of the request under way (a `before_cursor_execute` listener)."""
        self.current.statements = getattr(self.current, "statements", 0) + 1

    def __call__(self, environ, start_response):
        self.current.statements, started = 0, time.perf_counter()

        def start_measured(status, headers, exc_info=None):
            elapsed = (time.perf_counter() - started) * 1000
            headers = [
                *headers,
                (STATEMENTS, str(self.current.statements)),
                (MILLISECONDS, f"{elapsed:.2f}"),
            ]
            return start_response(status, headers, exc_info)

        return self.wsgi_app(environ, start_measured)


@public
def plaintext() -> Response:
    """Answer the smallest page the framework can serve."""
    return Response("Hello, World!", mimetype="text/plain")


def create_measured_app():
    """Return the portal with the plaintext route and the measuring headers."""
    portal = create_app()
    portal.add_url_rule("/plaintext", "plaintext", plaintext)
    measured = Measured(portal.wsgi_app)
    with portal.app_context():
        event.listen(db.engine, "before_cursor_execute", measured.count)
    portal.wsgi_app = measured
    return portal


app = create_measured_app()
