"""one open CODIR request per directorate

Revision ID: b68db158b4ab
Revises: d5590ddadc0d
Create Date: 2026-12-15 09:00:00.000000

A directorate may have one request under way (waiting or scheduled) at a time: a partial
unique index on the directorate, limited to those states, makes the database refuse a
second one, even from two submissions at the same instant (SQLite and PostgreSQL both
support partial indexes).

Duplicates accepted before would make the index fail, so they are closed first: per
directorate the scheduled request is kept (the oldest if several), else the oldest waiting
one; each other open request is cancelled with a reason naming the one kept, a history
entry by the system, and a new version (a page opened on it acts on a stale version).
A downgrade drops the index; the cancelled duplicates stay cancelled.
"""
from datetime import datetime, timezone

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b68db158b4ab'
down_revision = 'd5590ddadc0d'
branch_labels = None
depends_on = None

OPEN = ("requested", "scheduled")
CONDITION = "status IN ('requested', 'scheduled')"

codir_request = sa.table(
    "codir_request",
    sa.column("id", sa.Integer),
    sa.column("directorate_id", sa.Integer),
    sa.column("status", sa.String),
    sa.column("reason", sa.Text),
    sa.column("updated_at", sa.DateTime(timezone=True)),
    sa.column("created_at", sa.DateTime(timezone=True)),
    sa.column("version", sa.Integer),
)
codir_event = sa.table(
    "codir_event",
    sa.column("request_id", sa.Integer),
    sa.column("actor_id", sa.Integer),
    sa.column("action", sa.String),
    sa.column("details", sa.JSON),
    sa.column("created_at", sa.DateTime(timezone=True)),
)


def _close_duplicates(connection) -> None:
    rows = connection.execute(
        sa.select(codir_request.c.id, codir_request.c.directorate_id, codir_request.c.status)
        .where(codir_request.c.status.in_(OPEN))
        .order_by(
            codir_request.c.directorate_id,
            # The scheduled one first: it is the one both sides are working on.
            sa.case((codir_request.c.status == "scheduled", 0), else_=1),
            codir_request.c.created_at,
            codir_request.c.id,
        )
    ).all()
    kept: dict[int, int] = {}
    now = datetime.now(timezone.utc)
    for request_id, directorate_id, status in rows:
        if directorate_id not in kept:
            kept[directorate_id] = request_id
            continue
        reason = (
            f"Doublon de la demande n° {kept[directorate_id]}, fermé automatiquement : "
            "une direction a une seule demande en cours à la fois.\n"
            f"Duplicate of request no. {kept[directorate_id]}, closed automatically: "
            "a directorate has one request under way at a time."
        )
        connection.execute(
            codir_request.update()
            .where(codir_request.c.id == request_id)
            .values(
                status="cancelled",
                reason=reason,
                updated_at=now,
                version=codir_request.c.version + 1,
            )
        )
        connection.execute(
            codir_event.insert().values(
                request_id=request_id,
                actor_id=None,
                action="cancel",
                details={"status": [status, "cancelled"], "reason": reason},
                created_at=now,
            )
        )


def upgrade():
    _close_duplicates(op.get_bind())
    op.create_index(
        'uq_codir_request_open_per_directorate',
        'codir_request',
        ['directorate_id'],
        unique=True,
        sqlite_where=sa.text(CONDITION),
        postgresql_where=sa.text(CONDITION),
    )


def downgrade():
    op.drop_index('uq_codir_request_open_per_directorate', table_name='codir_request')
