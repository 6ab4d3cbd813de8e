"""Access rules: every view declares who may reach it; one hook enforces it for every request.

A view without a declaration is refused (deny by default), so a forgotten decorator
cannot open a page. Ownership of records is checked by each area's policies.

Limited accounts (PIX Orga administrators, invited for their directorate's follow-up) are
denied by default too: they reach public views, the views open to every account (their home,
their own account) and the views that name their role, never a `login_required` view.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass

from flask import Flask, abort, current_app, flash, redirect, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from app.auth.models import Role

log = logging.getLogger(__name__)


# Roles that reach only the views naming them (and public and `any_account` views).
LIMITED_ROLES = frozenset({Role.PIXORGA_ADMIN})


@dataclass(frozen=True)
class Access:
    """Who may reach a view: anyone, any logged-in user, or the listed roles."""

    public: bool = False
    roles: frozenset[Role] | None = None
    # Whether a view open to logged-in users is open to limited accounts too.
    any_account: bool = False


def public(view: Callable) -> Callable:
    """Mark a view as open to anonymous visitors."""
    view.access = Access(public=True)
    return view


def login_required(view: Callable) -> Callable:
    """Mark a view as open to any logged-in user, except limited accounts."""
    view.access = Access()
    return view


def any_account(view: Callable) -> Callable:
    """Mark a view as open to every logged-in user, limited accounts included."""
    view.access = Access(any_account=True)
    return view


def role_required(*roles: Role) -> Callable[[Callable], Callable]:
    """Mark a view as open only to users having one of the given roles."""

    def decorate(view: Callable) -> Callable:
        view.access = Access(roles=frozenset(roles))
        return view

    return decorate


STAFF = (Role.PROJECT_TEAM, Role.ADMIN)


def _wants_json() -> bool:
    best = request.accept_mimetypes.best_match(["application/json", "text/html"])
    return best == "application/json" and not request.accept_mimetypes["text/html"]


def enforce_access():
    """Refuse the request unless the current user may reach the requested view."""
    if request.endpoint is None:
        return None
    if request.endpoint == "static":
        return None
    view = current_app.view_functions.get(request.endpoint)
    access: Access | None = getattr(view, "access", None)
    if access is None:
        log.error("view %s declares no access rule: refused", request.endpoint)
        abort(403)
    if access.public:
        return None
    if not current_user.is_authenticated:
        if _wants_json():
            abort(401)
        flash(_l("Please log in to see this page."), "info")
        return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
    if access.roles is None:
        if current_user.role in LIMITED_ROLES and not access.any_account:
            abort(403)
    elif current_user.role not in access.roles:
        abort(403)
    return None


def init_app(app: Flask) -> None:
    """Install the access check in front of every view."""
    app.before_request(enforce_access)
