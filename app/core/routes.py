"""Home pages, legal pages and health check."""

from flask import Blueprint, abort, current_app, jsonify, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import func, select, text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import selectinload

from app.audit import AuditEntry
from app.auth.access import any_account, public
from app.auth.models import Role, User
from app.content import visibility as content
from app.content.models import ContentKind
from app.core import services, statement
from app.directorates import services as directorates
from app.directorates.models import portal_today
from app.extensions import db
from app.followup import tasks
from app.i18n import best_language, current_language

bp = Blueprint("core", __name__)


@bp.app_context_processor
def header_helpers():
    return {"work_waiting": _work_waiting}


def _work_waiting() -> int | None:
    """Return the number of things waiting for the project team; None if the database fails."""
    try:
        return services.work_waiting(current_user)
    except SQLAlchemyError:
        db.session.rollback()
        return None


@bp.route("/")
@public
def root():
    """Send the visitor to the portal in their browser's language (French by default)."""
    return redirect(url_for("core.index", lang=best_language()))


@bp.route("/<lang:lang>/")
@public
def index():
    """Show the portal's welcome page, with what's new and the coming webinars."""
    language = current_language()
    return render_template(
        "core/index.html",
        news=content.latest(language, ContentKind.NEWS, limit=3),
        events=content.upcoming_events(language, limit=3),
    )


@bp.route("/<lang:lang>/home")
@any_account
def home():
    """Show the logged-in user the home page of their role, opening on what waits for them."""
    role = current_user.role
    if role is Role.PIXORGA_ADMIN:
        directorate = services.own_directorate(current_user)
        return render_template(
            "core/home_pixorga_admin.html",
            directorate=directorate,
            campaigns=tasks.campaign_tasks(directorate, portal_today()),
            correspondents=directorates.directorate_users(directorate),
        )
    if role is Role.DIRECTORATE:
        directorate = services.own_directorate(current_user)
        return render_template(
            "core/home_directorate.html",
            directorate=directorate,
            work=services.directorate_work(
                current_user, directorate, directorates.open_calls(), portal_today()
            ),
            colleagues=directorates.directorate_users(directorate),
        )
    if role is Role.CVRH:
        calls = directorates.open_calls()
        return render_template(
            "core/home_cvrh.html",
            cvrh=current_user.cvrh,
            calls=calls,
            work=services.cvrh_work(current_user, calls),
            colleagues=directorates.cvrh_users(current_user.cvrh),
        )
    if role is Role.PROJECT_TEAM:
        calls = directorates.open_calls()
        return render_template(
            "core/home_project_team.html", calls=calls, work=services.team_work(current_user, calls)
        )
    if role is not Role.ADMIN:
        abort(403)
    users_by_role = dict(
        db.session.execute(select(User.role, func.count()).group_by(User.role)).all()
    )
    recent = db.session.scalars(
        select(AuditEntry)
        .options(selectinload(AuditEntry.actor))
        .order_by(AuditEntry.id.desc())
        .limit(10)
    )
    return render_template(
        "core/home_admin.html",
        work=services.admin_work(),
        mail_server=bool(current_app.config["MAIL_SERVER"]),
        users_by_role=users_by_role,
        roles=list(Role),
        recent=list(recent),
        calls=directorates.open_calls(),
    )


@bp.route("/<lang:lang>/accessibility")
@public
def accessibility():
    """Show the accessibility statement."""
    return render_template(
        "core/accessibility.html",
        statement_date=statement.STATEMENT_DATE,
        audited_pages=statement.AUDITED_PAGES,
    )


@bp.route("/<lang:lang>/legal-notice")
@public
def legal_notice():
    """Show the legal notice."""
    return render_template("core/legal_notice.html")


@bp.route("/<lang:lang>/personal-data")
@public
def personal_data():
    """Show how the portal processes personal data."""
    return render_template("core/personal_data.html")


@bp.route("/healthz")
@public
def healthz():
    """Answer 200 with JSON when the database answers, 503 otherwise."""
    try:
        db.session.execute(text("SELECT 1"))
    except Exception:  # noqa: BLE001 - any database failure means "not healthy"
        db.session.rollback()
        return jsonify(status="error", database="unreachable"), 503
    return jsonify(status="ok", database="ok")
