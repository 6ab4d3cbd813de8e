"""Error pages in the visitor's language."""

from flask import Flask, render_template, request
from flask_wtf.csrf import CSRFError

from app import bounds
from app.extensions import db


def _render(status: int, description: str | None = None):
    if request.accept_mimetypes.best == "application/json":
        return {"status": status}, status
    return render_template("errors/error.html", status=status, description=description), status


def init_app(app: Flask) -> None:
    """Register the error handlers, and what answers 400 and 404 to input out of bounds."""
    bounds.init_app(app)

    @app.errorhandler(CSRFError)
    def csrf_error(error):
        return _render(400, "csrf")

    for status in (400, 401, 403, 404, 405, 413, 429):
        app.register_error_handler(status, lambda error, status=status: _render(status))

    @app.errorhandler(500)
    def internal_error(error):
        db.session.rollback()
        return _render(500)
