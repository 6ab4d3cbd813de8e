"""Account services: authentication, passwords, invitations and tokens."""

import hashlib

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import func, select, update
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.security import check_password_hash, generate_password_hash

from app import audit, mail
from app.auth.models import DIRECTORATE_ROLES, Role, User
from app.directorates.models import Cvrh, Directorate
from app.extensions import db, utcnow
from app.versioning import StaleVersion, check_version

RESET_SALT = "password-reset"
INVITATION_SALT = "invitation"

# Compared against when the account does not exist, so that a login takes as long
# whether or not the address is known.
_DUMMY_HASH: dict[str, str] = {}


class AccountError(ValueError):
    """A change to an account that cannot be made; the message is user-facing."""


def normalize_email(email: str) -> str:
    """Return the e-mail address trimmed and lower-cased (addresses compare case-insensitively)."""
    return email.strip().lower()


def find_user_by_email(email: str) -> User | None:
    """Return the user with this e-mail address, whatever its case, or None."""
    return db.session.scalar(select(User).where(func.lower(User.email) == normalize_email(email)))


def user_for_session(token: str) -> User | None:
    """Return the active user whose current session token this is (Flask-Login's loader)."""
    return db.session.scalar(select(User).where(User.session_token == token, User.active))


def hash_password(password: str) -> str:
    """Return the hash of a password with the configured method."""
    return generate_password_hash(password, method=current_app.config["PASSWORD_HASH_METHOD"])


def _dummy_hash() -> str:
    """Return a hash to check an unknown account's password against, made once per method."""
    method = current_app.config["PASSWORD_HASH_METHOD"]
    if method not in _DUMMY_HASH:
        _DUMMY_HASH[method] = hash_password("not a real password")
    return _DUMMY_HASH[method]


def authenticate(email: str, password: str) -> User | None:
    """Return the active user with these credentials, or None (revealing nothing more)."""
    user = find_user_by_email(email)
    if user is None or user.password_hash is None:
        check_password_hash(_dummy_hash(), password)
        return None
    if not check_password_hash(user.password_hash, password) or not user.active:
        return None
    return user


def record_login(user: User) -> None:
    """Note the time of a successful login (not a change of the account: its version stays)."""
    db.session.execute(
        update(User)
        .where(User.id == user.id)
        .values(last_login_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    db.session.commit()


def update_profile(user: User, full_name: str, language: str) -> None:
    """Change the name and the language of one's own account."""
    user.full_name = full_name.strip()
    user.language = language
    db.session.commit()


def set_password(user: User, password: str) -> None:
    """Set a new password and end every other session of the user."""
    user.password_hash = hash_password(password)
    user.password_changed_at = utcnow()
    user.end_all_sessions()
    audit.record("user.password_changed", user)
    db.session.commit()


def logout_everywhere(user: User) -> None:
    """End every session of the user, on every device."""
    user.end_all_sessions()
    db.session.commit()


def _serializer(salt: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=salt)


def _fingerprint(user: User) -> str:
    """Return a digest that changes once the password is set, so a token works only once."""
    return hashlib.sha256((user.password_hash or "").encode()).hexdigest()[:16]


def make_token(user: User, salt: str) -> str:
    """Return a signed, time-limited token for a password reset or an invitation."""
    return _serializer(salt).dumps({"uid": user.id, "fp": _fingerprint(user)})


def user_from_token(token: str, salt: str, max_age: int) -> User | None:
    """Return the user a valid token was made for, or None if it is invalid, used or expired."""
    try:
        data = _serializer(salt).loads(token, max_age=max_age)
    except (SignatureExpired, BadSignature):
        return None
    user = db.session.get(User, data.get("uid"))
    if user is None or not user.active or data.get("fp") != _fingerprint(user):
        return None
    return user


def send_password_reset(email: str) -> None:
    """E-mail a password-reset link if an active account has this address; say nothing else."""
    user = find_user_by_email(email)
    if user is None or not user.active:
        # The same work as for a real account, minus the e-mail, so that the answer takes as
        # long whatever the address: the attempt is recorded, an e-mail is rendered.
        _render_reset_for_nobody(email)
        audit.record("user.password_reset_no_account", email=normalize_email(email)[:254])
        db.session.commit()
        return
    token = make_token(user, RESET_SALT)
    link = mail.external_url("auth.reset_password", token=token, lang=user.language)
    hours = current_app.config["PASSWORD_RESET_MAX_AGE"] // 3600 or 1
    mail.send(user.email, "password_reset", user.language, user=user, link=link, hours=hours)
    audit.record("user.password_reset_requested", user, actor=user)
    db.session.commit()


def _render_reset_for_nobody(email: str) -> None:
    """Render a reset e-mail that goes nowhere (the cost of the real one, for equal timing)."""
    nobody = User(email=normalize_email(email), full_name="", language="fr")
    token = _serializer(RESET_SALT).dumps({"uid": 0, "fp": _fingerprint(nobody)})
    link = mail.external_url("auth.reset_password", token=token, lang="fr")
    mail.render_email("password_reset", "fr", user=nobody, link=link, hours=1)


def send_invitation(user: User) -> None:
    """E-mail the user a link to choose a password and log in for the first time."""
    token = make_token(user, INVITATION_SALT)
    link = mail.external_url("auth.accept_invitation", token=token, lang=user.language)
    days = current_app.config["INVITATION_MAX_AGE"] // 86400 or 1
    mail.send(user.email, "invitation", user.language, user=user, link=link, days=days)


def create_user(
    email: str,
    role: Role,
    *,
    full_name: str = "",
    language: str = "fr",
    directorate: Directorate | None = None,
    cvrh: Cvrh | None = None,
    password: str | None = None,
    invite: bool = True,
) -> User:
    """Create an account; without a password, e-mail an invitation to choose one."""
    email = normalize_email(email)
    if find_user_by_email(email) is not None:
        raise AccountError("email_taken")
    user = User(email=email, role=role, full_name=full_name.strip(), language=language)
    _attach(user, role, directorate, cvrh)
    if password:
        user.password_hash = hash_password(password)
        user.password_changed_at = utcnow()
    db.session.add(user)
    db.session.flush()
    audit.record("user.created", user, email=email, role=role.value)
    if not password and invite:
        send_invitation(user)
    db.session.commit()
    return user


def _attach(user: User, role: Role, directorate: Directorate | None, cvrh: Cvrh | None) -> None:
    if role in DIRECTORATE_ROLES and directorate is None:
        raise AccountError("directorate_required")
    if role is Role.CVRH and cvrh is None:
        raise AccountError("cvrh_required")
    user.role = role
    user.directorate = directorate if role in DIRECTORATE_ROLES else None
    user.cvrh = cvrh if role is Role.CVRH else None


def update_user(
    user: User,
    *,
    full_name: str,
    language: str,
    role: Role,
    directorate: Directorate | None,
    cvrh: Cvrh | None,
    version: int | None = None,
) -> None:
    """Change a user's name, language, role and attachment; a new role ends their sessions.

    `version` is the account's version the form was opened on (StaleVersion if it changed).
    """
    check_version(user, version)
    before = {
        "role": user.role.value,
        "directorate": user.directorate.code if user.directorate else None,
        "cvrh": user.cvrh.code if user.cvrh else None,
    }
    _attach(user, role, directorate, cvrh)
    user.full_name = full_name.strip()
    user.language = language
    after = {
        "role": role.value,
        "directorate": directorate.code if user.directorate else None,
        "cvrh": cvrh.code if user.cvrh else None,
    }
    if before != after:
        user.end_all_sessions()
    audit.record("user.updated", user, before=before, after=after)
    try:
        db.session.commit()
    except StaleDataError:
        db.session.rollback()
        raise StaleVersion(user) from None


def set_active(user: User, active: bool) -> None:
    """Deactivate (ending every session) or reactivate an account."""
    user.active = active
    if not active:
        user.end_all_sessions()
    audit.record("user.reactivated" if active else "user.deactivated", user)
    db.session.commit()
