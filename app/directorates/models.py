"""Reference data models: CVRH, directorate, call for declarations, learning path (Annex 2)."""

import enum
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, Boolean, Date, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from app.extensions import db, enum_type
from app.followup import reference
from app.i18n import Labels


class DirectorateType(enum.StrEnum):
    """Kinds of directorate among the recipients of the note."""

    DREAL = "dreal"
    DRIEAT = "drieat"
    DRIHL = "drihl"
    DIRM = "dirm"
    DEAL = "deal"
    DM = "dm"
    DIR = "dir"
    CENTRAL = "central"
    TECHNICAL = "technical"

    @property
    def label(self) -> str:
        """Return the translated name of the type."""
        return DIRECTORATE_TYPE_LABELS.text(self)


DIRECTORATE_TYPE_LABELS = Labels(
    {
        DirectorateType.DREAL: _l("Regional directorates (DREAL)"),
        DirectorateType.DRIEAT: _l("DRIEAT Île-de-France"),
        DirectorateType.DRIHL: _l("DRIHL Île-de-France"),
        DirectorateType.DIRM: _l("Interregional sea directorates (DIRM)"),
        DirectorateType.DEAL: _l("Overseas directorates (DEAL)"),
        DirectorateType.DM: _l("Overseas sea directorates (DM)"),
        DirectorateType.DIR: _l("Interdepartmental road directorates (DIR)"),
        DirectorateType.CENTRAL: _l("Central administration"),
        DirectorateType.TECHNICAL: _l("Central technical services"),
    }
)


def end_of_day(day: date) -> datetime:
    """Return the end of a day (midnight after it) in the portal's time zone, as aware datetime."""
    zone = ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])
    return datetime.combine(day + timedelta(days=1), time(0), tzinfo=zone)


def portal_today() -> date:
    """Return today's date in the portal's time zone."""
    zone = ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])
    return datetime.now(zone).date()


class Cvrh(db.Model):
    """A regional HR development centre (CVRH)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    city: Mapped[str] = mapped_column(String(80))
    email: Mapped[str] = mapped_column(String(254))
    # Optimistic locking (app/versioning.py): concurrent edits by two admins conflict.
    version: Mapped[int] = mapped_column(Integer)

    __mapper_args__ = {"version_id_col": version}

    directorates: Mapped[list["Directorate"]] = relationship(
        back_populates="cvrh", order_by="Directorate.code"
    )

    def __repr__(self) -> str:
        return f"<Cvrh {self.code}>"


class Directorate(db.Model):
    """A directorate that declares its PIX deployment."""

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name_fr: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200))
    type: Mapped[DirectorateType] = mapped_column(enum_type(DirectorateType))
    region: Mapped[str] = mapped_column(String(80))
    cvrh_id: Mapped[int] = mapped_column(ForeignKey("cvrh.id"), index=True)
    # Optimistic locking (app/versioning.py): concurrent edits by two admins conflict.
    version: Mapped[int] = mapped_column(Integer)

    __mapper_args__ = {"version_id_col": version}

    cvrh: Mapped[Cvrh] = relationship(back_populates="directorates")
    contacts: Mapped[list["DirectorateContact"]] = relationship(
        back_populates="directorate", order_by="DirectorateContact.email"
    )

    def __repr__(self) -> str:
        return f"<Directorate {self.code}>"


class DirectorateContact(db.Model):
    """A mailbox of a directorate (its management, its HR...) that the portal writes to.

    A directorate has no mailbox of its own: its contacts receive the links to claim an
    account when a call opens and, while it has no account, the reminders. A contact is
    deactivated rather than deleted, so that what was sent to it stays traceable.
    """

    __table_args__ = (UniqueConstraint("directorate_id", "email"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # Indexed by the unique constraint, whose first column it is.
    directorate_id: Mapped[int] = mapped_column(ForeignKey("directorate.id"))
    email: Mapped[str] = mapped_column(String(254))
    # What the mailbox is, in the words of the reference data ("Direction", "Ressources humaines").
    label: Mapped[str] = mapped_column(String(80), default="")
    language: Mapped[str] = mapped_column(String(2), default="fr")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # Optimistic locking (app/versioning.py): two people editing the same contact conflict.
    version: Mapped[int] = mapped_column(Integer)

    __mapper_args__ = {"version_id_col": version}

    directorate: Mapped[Directorate] = relationship(back_populates="contacts")

    def __repr__(self) -> str:
        return f"<DirectorateContact {self.email}>"


class Call(db.Model):
    """A call for declarations (one wave of the PIX deployment)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    title_fr: Mapped[str] = mapped_column(String(200))
    title_en: Mapped[str] = mapped_column(String(200))
    opens_on: Mapped[date] = mapped_column(Date)
    deadline: Mapped[date] = mapped_column(Date)
    is_open: Mapped[bool] = mapped_column(Boolean, default=True)
    # Optimistic locking (app/versioning.py): concurrent edits by two admins conflict.
    version: Mapped[int] = mapped_column(Integer)

    __mapper_args__ = {"version_id_col": version}

    def deadline_at(self) -> datetime:
        """Return the end of the deadline day in the portal's time zone, as an aware datetime."""
        return end_of_day(self.deadline)

    def __repr__(self) -> str:
        return f"<Call {self.code}>"


class CampaignKind(enum.StrEnum):
    """The kind of PIX Orga campaign a learning path runs as."""

    ASSESSMENT = "assessment"
    PROFILES_COLLECTION = "profiles_collection"

    @property
    def label(self) -> str:
        """Return the translated name of the kind of campaign."""
        return CAMPAIGN_KIND_LABELS.text(self)


CAMPAIGN_KIND_LABELS = Labels(
    {
        CampaignKind.ASSESSMENT: _l("Assessment (target profile)"),
        CampaignKind.PROFILES_COLLECTION: _l("Profiles collection"),
    }
)


def competence_codes(codes) -> list[str]:
    """Return PIX competence codes without repeats, in reference order; ValueError if unknown."""
    known = [item.code for item in reference.competences()]
    wanted = set(codes or ())
    unknown = wanted - set(known)
    if unknown:
        raise ValueError(f"unknown PIX competences: {', '.join(sorted(unknown))}")
    return [code for code in known if code in wanted]


class LearningPath(db.Model):
    """A learning path of Annex 2 that a declared campaign may follow.

    An administrator retires a path (`active` false) rather than deleting it: declarations
    that chose it keep showing it, and it is no longer offered for new choices.
    """

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name_fr: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200))
    description_fr: Mapped[str] = mapped_column(String(500), default="")
    description_en: Mapped[str] = mapped_column(String(500), default="")
    audience_fr: Mapped[str] = mapped_column(String(200), default="")
    audience_en: Mapped[str] = mapped_column(String(200), default="")
    # PIX competence codes ("1.1"...), in reference order. A list in one column: the 16
    # competences are a fixed file (app/followup/competences.toml), not rows to point to, and
    # the list is always read whole with its path.
    competences: Mapped[list[str]] = mapped_column(JSON, default=list)
    campaign_kind: Mapped[CampaignKind] = mapped_column(enum_type(CampaignKind, 30))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    # Optimistic locking (app/versioning.py): concurrent edits by two admins conflict.
    version: Mapped[int] = mapped_column(Integer)

    __mapper_args__ = {"version_id_col": version}

    # No collection of the campaigns that chose a path: it would grow with every declaration,
    # and appending a new campaign to it would touch the path. Campaign.paths is one-way.

    @validates("competences")
    def _check_competences(self, _key, codes):
        return competence_codes(codes)

    def __repr__(self) -> str:
        return f"<LearningPath {self.code}>"
