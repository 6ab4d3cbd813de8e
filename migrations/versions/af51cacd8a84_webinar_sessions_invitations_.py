"""webinar sessions, invitations, registrations and attendance

Revision ID: af51cacd8a84
Revises: 3a7c5e9d1b24
Create Date: 2026-12-07 07:02:40.242263

Four new tables, nothing changed in the others: the sessions of an event (hanging on the
event's content group by the id of its first version), the invitations of the people named
in declarations (one per event and lower-cased address), their registrations (one per
session and person, kept when cancelled: the calendar UID and SEQUENCE live on) and the
attendance of each session (once per person).
"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "af51cacd8a84"
down_revision = "3a7c5e9d1b24"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "event_invitation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("call_id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("first_name", sa.String(length=100), nullable=False),
        sa.Column("last_name", sa.String(length=100), nullable=False),
        sa.Column("ambassador", sa.Boolean(), nullable=False),
        sa.Column("administrator", sa.Boolean(), nullable=False),
        sa.Column("language", sa.String(length=2), nullable=False),
        sa.Column("invited_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("invited_by_id", sa.Integer(), nullable=True),
        sa.Column("last_sent_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("withdrawn_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["call_id"], ["call.id"], name=op.f("fk_event_invitation_call_id_call")
        ),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["content_item.id"],
            name=op.f("fk_event_invitation_event_id_content_item"),
        ),
        sa.ForeignKeyConstraint(
            ["invited_by_id"], ["user.id"], name=op.f("fk_event_invitation_invited_by_id_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_event_invitation")),
        sa.UniqueConstraint("event_id", "email", name="one_per_person"),
    )
    with op.batch_alter_table("event_invitation", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_event_invitation_call_id"), ["call_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_event_invitation_event_id"), ["event_id"], unique=False
        )

    op.create_table(
        "event_session",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("starts_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ends_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("link", sa.String(length=500), nullable=False),
        sa.Column("place", sa.String(length=300), nullable=False),
        sa.Column("capacity", sa.Integer(), nullable=False),
        sa.Column(
            "audience",
            sa.Enum(
                "ambassadors",
                "administrators",
                "anyone",
                name="audience",
                native_enum=False,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("registration_closes_on", sa.Date(), nullable=True),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("attendance_saved_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id"], ["content_item.id"], name=op.f("fk_event_session_event_id_content_item")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_event_session")),
    )
    with op.batch_alter_table("event_session", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_event_session_event_id"), ["event_id"], unique=False)

    op.create_table(
        "event_attendance",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("invitation_id", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=10), nullable=False),
        sa.Column("marked_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("marked_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["invitation_id"],
            ["event_invitation.id"],
            name=op.f("fk_event_attendance_invitation_id_event_invitation"),
        ),
        sa.ForeignKeyConstraint(
            ["marked_by_id"], ["user.id"], name=op.f("fk_event_attendance_marked_by_id_user")
        ),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["event_session.id"],
            name=op.f("fk_event_attendance_session_id_event_session"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_event_attendance")),
        sa.UniqueConstraint("session_id", "invitation_id", name="once_per_session"),
    )
    with op.batch_alter_table("event_attendance", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_event_attendance_invitation_id"), ["invitation_id"], unique=False
        )

    op.create_table(
        "event_registration",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("invitation_id", sa.Integer(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "confirmed",
                "waiting",
                "cancelled",
                name="registrationstatus",
                native_enum=False,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("queued_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("reminded_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["invitation_id"],
            ["event_invitation.id"],
            name=op.f("fk_event_registration_invitation_id_event_invitation"),
        ),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["event_session.id"],
            name=op.f("fk_event_registration_session_id_event_session"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_event_registration")),
        sa.UniqueConstraint("session_id", "invitation_id", name="one_per_session"),
    )
    with op.batch_alter_table("event_registration", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_event_registration_invitation_id"), ["invitation_id"], unique=False
        )
        batch_op.create_index(
            "ix_event_registration_queue", ["session_id", "status", "queued_at"], unique=False
        )


def downgrade():
    with op.batch_alter_table("event_registration", schema=None) as batch_op:
        batch_op.drop_index("ix_event_registration_queue")
        batch_op.drop_index(batch_op.f("ix_event_registration_invitation_id"))

    op.drop_table("event_registration")
    with op.batch_alter_table("event_attendance", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_event_attendance_invitation_id"))

    op.drop_table("event_attendance")
    with op.batch_alter_table("event_session", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_event_session_event_id"))

    op.drop_table("event_session")
    with op.batch_alter_table("event_invitation", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_event_invitation_event_id"))
        batch_op.drop_index(batch_op.f("ix_event_invitation_call_id"))

    op.drop_table("event_invitation")
