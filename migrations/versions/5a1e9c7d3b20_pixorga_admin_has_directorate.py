"""user: a PIX Orga administrator account belongs to a directorate

Revision ID: 5a1e9c7d3b20
Revises: 3cdb33476341
Create Date: 2026-11-24 10:00:00

PostgreSQL gets the model's CHECK constraint. SQLite cannot add a CHECK constraint to an
existing table: the `user` table would have to be rebuilt (create a copy, copy the rows, drop
the old table, rename the copy). Every other table references `user`, and the portal turns
foreign keys on for every SQLite connection, so dropping the old table inside the migration's
transaction leaves deferred foreign-key violations that make the COMMIT fail; turning foreign
keys off is only possible outside a transaction. On SQLite the same rule is therefore enforced
by two triggers, which refuse the row exactly as the constraint would (an integrity error).
The application checks it before writing as well (app/auth/services.py).
"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '5a1e9c7d3b20'
down_revision = '3cdb33476341'
branch_labels = None
depends_on = None

CONDITION = "role != 'pixorga_admin' OR directorate_id IS NOT NULL"
NAME = "pixorga_admin_has_directorate"
SQLITE_TRIGGER = """
CREATE TRIGGER user_{event}_{name} BEFORE {event_sql} ON "user"
FOR EACH ROW WHEN NOT (NEW.role != 'pixorga_admin' OR NEW.directorate_id IS NOT NULL)
BEGIN
    SELECT RAISE(ABORT, 'CHECK constraint failed: ck_user_{name}');
END
"""
EVENTS = {"insert": "INSERT", "update": "UPDATE OF role, directorate_id"}


def upgrade():
    if op.get_bind().dialect.name == "sqlite":
        for event, event_sql in EVENTS.items():
            op.execute(SQLITE_TRIGGER.format(event=event, event_sql=event_sql, name=NAME))
    else:
        op.create_check_constraint(op.f(f"ck_user_{NAME}"), "user", CONDITION)


def downgrade():
    if op.get_bind().dialect.name == "sqlite":
        for event in EVENTS:
            op.execute(f"DROP TRIGGER user_{event}_{NAME}")
    else:
        op.drop_constraint(op.f(f"ck_user_{NAME}"), "user", type_="check")
