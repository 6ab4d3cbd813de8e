"""PIX deployment portal: application factory."""

from pathlib import Path
from urllib.parse import urlsplit

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from app import bounds, config, database, i18n
from app.extensions import babel, csrf, db, limiter, login_manager, migrate, talisman
from app.spooling import PortalRequest

ROOT = Path(__file__).resolve().parent.parent

CONTENT_SECURITY_POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": ["'self'", "data:"],
    "font-src": "'self'",
    "connect-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}


class ConfigurationError(RuntimeError):
    """The configuration is unsafe or incomplete for the mode the app runs in."""


def create_app(test_config: dict | None = None) -> Flask:
    """Create and configure the portal."""
    app = Flask(
        __name__,
        instance_path=str(ROOT / "instance"),
        template_folder=str(ROOT / "templates"),
        instance_relative_config=True,
    )
    app.request_class = PortalRequest
    app.config.update(config.from_environment(app.instance_path))
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = str(ROOT / "translations")
    if test_config:
        app.config.update(test_config)
    configure_checks(app)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    configure_extensions(app)
    configure_blueprints(app)
    configure_cli(app)
    return app


def configure_checks(app: Flask) -> None:
    """Refuse to start in production with a missing or default secret key, or without the
    public address that e-mailed links use."""
    if app.config["PORTAL_ENV"] == "production":
        key = app.config.get("SECRET_KEY") or ""
        if key in ("", config.DEFAULT_SECRET_KEY) or len(key) < 32:
            raise ConfigurationError(
                "SECRET_KEY must be set to a random value of at least 32 characters in production"
            )
        base = urlsplit(app.config.get("PORTAL_BASE_URL") or "")
        if base.scheme not in ("http", "https") or not base.hostname:
            raise ConfigurationError(
                "PORTAL_BASE_URL must be set in production to the portal's public address "
                "(such as https://pix.example.org): every e-mailed link starts with it"
            )


def configure_extensions(app: Flask) -> None:
    """Bind the extensions to the app."""
    from app import models  # noqa: F401 - register every model before migrations look
    from app.auth import access
    from app.auth.services import user_for_session

    if app.config["PROXY_FIX_X_FOR"]:
        hops = app.config["PROXY_FIX_X_FOR"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)
    bounds.init_app(app)  # the bounded id converter, before any blueprint's routes
    db.init_app(app)
    database.init_app(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"), render_as_batch=True)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=i18n.select_locale)
    limiter.init_app(app)
    talisman.init_app(
        app,
        force_https=app.config["FORCE_HTTPS"],
        content_security_policy=CONTENT_SECURITY_POLICY,
        session_cookie_secure=app.config["SESSION_COOKIE_SECURE"],
        session_cookie_http_only=True,
        frame_options="DENY",
    )
    login_manager.init_app(app)
    login_manager.session_protection = "basic"

    login_manager.user_loader(user_for_session)

    i18n.init_app(app)
    access.init_app(app)

    from app.content import search

    search.init_app(app)

    from app.core import errors

    errors.init_app(app)

    from app import templating

    templating.init_app(app)


def configure_blueprints(app: Flask) -> None:
    """Register one blueprint per area."""
    from app.admin.routes import bp as admin_bp
    from app.auth.routes import bp as auth_bp
    from app.codir.routes import bp as codir_bp
    from app.competences.routes import bp as competences_bp
    from app.console.routes import bp as console_bp
    from app.content.routes import bp as content_bp
    from app.core.routes import bp as core_bp
    from app.declarations.routes import bp as declarations_bp
    from app.directorates.routes import bp as directorates_bp
    from app.events.routes import bp as events_bp
    from app.exports.routes import bp as exports_bp
    from app.followup.routes import bp as followup_bp
    from app.licences.routes import bp as licences_bp
    from app.reach.routes import bp as reach_bp

    for blueprint in (
        core_bp,
        auth_bp,
        directorates_bp,
        declarations_bp,
        codir_bp,
        console_bp,
        content_bp,
        events_bp,
        competences_bp,
        exports_bp,
        followup_bp,
        licences_bp,
        reach_bp,
        admin_bp,
    ):
        app.register_blueprint(blueprint)


def configure_cli(app: Flask) -> None:
    """Register the command-line commands."""
    from app import cli

    cli.init_app(app)
