"""User accounts and roles."""

import enum
import secrets
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.directorates.models import Cvrh, Directorate
from app.extensions import UTCDateTime, db, enum_type, utcnow
from app.i18n import Labels


class Role(enum.StrEnum):
    """What a user is, which decides what they see and do."""

    DIRECTORATE = "directorate"
    CVRH = "cvrh"
    PIXORGA_ADMIN = "pixorga_admin"
    PROJECT_TEAM = "project_team"
    ADMIN = "admin"

    @property
    def label(self) -> str:
        """Return the translated name of the role."""
        return ROLE_LABELS.text(self)


ROLE_LABELS = Labels(
    {
        Role.DIRECTORATE: _l("Directorate correspondent"),
        Role.CVRH: _l("CVRH staff"),
        Role.PIXORGA_ADMIN: _l("PIX Orga administrator (follow-up only)"),
        Role.PROJECT_TEAM: _l("Project team"),
        Role.ADMIN: _l("Administrator"),
    }
)


# Roles whose accounts belong to one directorate (and see only what belongs to it).
DIRECTORATE_ROLES = frozenset({Role.DIRECTORATE, Role.PIXORGA_ADMIN})


class Notifications(enum.StrEnum):
    """How a user is told of the work waiting for the project team (app/notifications)."""

    IMMEDIATE = "immediate"  # one e-mail per event, queued with the event
    DIGEST = "digest"  # one e-mail a day listing what happened since the last one
    NONE = "none"

    @property
    def label(self) -> str:
        """Return the translated name of the choice."""
        return NOTIFICATION_LABELS.text(self)


NOTIFICATION_LABELS = Labels(
    {
        Notifications.IMMEDIATE: _l("Immediately"),
        Notifications.DIGEST: _l("Daily digest"),
        Notifications.NONE: _l("None"),
    }
)

# Roles told of the project team's waiting work, and what they get until they choose: the
# project team reviews, so it is told at once; an admin also may review, but looks after the
# portal itself, so gets nothing unless it asks.
NOTIFICATION_DEFAULTS = {Role.PROJECT_TEAM: Notifications.IMMEDIATE, Role.ADMIN: Notifications.NONE}


def new_session_token() -> str:
    """Return a fresh random token identifying the user's current sessions."""
    return secrets.token_urlsafe(32)


class User(db.Model):
    """A person who logs in to the portal."""

    __table_args__ = (
        CheckConstraint(
            "role != 'directorate' OR directorate_id IS NOT NULL",
            name="directorate_has_directorate",
        ),
        CheckConstraint("role != 'cvrh' OR cvrh_id IS NOT NULL", name="cvrh_has_cvrh"),
        CheckConstraint(
            "role != 'pixorga_admin' OR directorate_id IS NOT NULL",
            name="pixorga_admin_has_directorate",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    full_name: Mapped[str] = mapped_column(String(200), default="")
    password_hash: Mapped[str | None] = mapped_column(String(255))
    role: Mapped[Role] = mapped_column(enum_type(Role))
    directorate_id: Mapped[int | None] = mapped_column(ForeignKey("directorate.id"), index=True)
    cvrh_id: Mapped[int | None] = mapped_column(ForeignKey("cvrh.id"), index=True)
    language: Mapped[str] = mapped_column(String(2), default="fr")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    session_token: Mapped[str] = mapped_column(String(64), unique=True, default=new_session_token)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    password_changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # How the user is told of the project team's waiting work; None: the role's default
    # (NOTIFICATION_DEFAULTS), which follows the user if the role changes.
    notifications: Mapped[Notifications | None] = mapped_column(enum_type(Notifications))
    # The end of the period the last daily digest covered (or the moment the digest was
    # chosen): the next digest covers what happened after it.
    digest_covered_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Optimistic locking (app/versioning.py): two changes of the same account conflict.
    version: Mapped[int] = mapped_column(Integer)

    __mapper_args__ = {"version_id_col": version}

    directorate: Mapped[Directorate | None] = relationship()
    cvrh: Mapped[Cvrh | None] = relationship()

    # Flask-Login protocol. The id given to Flask-Login is the session token, not the
    # primary key: rotating the token ends every session, copied cookies included.
    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_active(self) -> bool:
        return self.active

    @property
    def is_anonymous(self) -> bool:
        return False

    def get_id(self) -> str:
        return self.session_token

    def end_all_sessions(self) -> None:
        """Invalidate every session of this user by rotating the session token."""
        self.session_token = new_session_token()

    @property
    def has_password(self) -> bool:
        """Say whether the user has set a password (an invited user has not yet)."""
        return self.password_hash is not None

    @property
    def notification_choice(self) -> Notifications | None:
        """Return how the user is told of the team's waiting work; None if the role is not."""
        default = NOTIFICATION_DEFAULTS.get(self.role)
        if default is None:
            return None
        return self.notifications or default

    @property
    def display_name(self) -> str:
        """Return the name to show, or the e-mail address when the name is unknown."""
        return self.full_name or self.email

    def __repr__(self) -> str:
        return f"<User {self.email} {self.role}>"
