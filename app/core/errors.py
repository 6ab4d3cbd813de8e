"""Error pages in the visitor's language; the server-side ones never touch the database."""

import logging

from flask import Flask, current_app, g, render_template, request
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm.exc import StaleDataError

from app import database
from app.extensions import db

log = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 30


def _render(status: int, description: str | None = None, offline: bool = False):
    if request.accept_mimetypes.best == "application/json":
        return {"status": status}, status
    if offline:
        # Flask-Login puts current_user in every template's context, loading it from the
        # database when not loaded yet: the page of a failure must not depend on that.
        g._login_user = current_app.login_manager.anonymous_user()
    page = render_template(
        "errors/error.html", status=status, description=description, offline=offline
    )
    return page, status


def _forget_the_session() -> None:
    """Drop the failed transaction without letting a dead database raise again."""
    try:
        db.session.rollback()
    except SQLAlchemyError:
        log.warning("rollback failed after an error", exc_info=True)


def init_app(app: Flask) -> None:
    """Register the error handlers."""

    @app.errorhandler(CSRFError)
    def csrf_error(error):
        return _render(400, "csrf")

    for status in (400, 401, 403, 404, 405, 409, 413, 429):
        app.register_error_handler(status, lambda error, status=status: _render(status))

    @app.errorhandler(StaleDataError)
    def stale_record(error):
        # Every versioned record is protected even where no form handles the conflict itself.
        _forget_the_session()
        return _render(409)

    @app.errorhandler(SQLAlchemyError)
    def database_error(error):
        _forget_the_session()
        if not database.is_unavailable(error):
            raise error  # a bug, not an outage: the 500 handler answers
        log.warning("database unavailable: %s", error)
        page, status = _render(503, offline=True)
        return page, status, {"Retry-After": str(RETRY_AFTER_SECONDS)}

    @app.errorhandler(500)
    def internal_error(error):
        _forget_the_session()
        return _render(500, offline=True)
