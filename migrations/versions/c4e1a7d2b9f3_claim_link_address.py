"""the address a claim link was sent to

Revision ID: c4e1a7d2b9f3
Revises: af51cacd8a84
Create Date: 2026-12-07 10:20:00

A contact's claim link now records the mailbox it was sent to: once the contact's address is
corrected, the link sent to the old one stops working and the new one can be sent a link.
The links already sent were sent to the contact's address of today.
"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "c4e1a7d2b9f3"
down_revision = "af51cacd8a84"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("contact_invitation", schema=None) as batch_op:
        batch_op.add_column(sa.Column("email", sa.String(length=254), nullable=True))
    op.execute(
        "UPDATE contact_invitation SET email = (SELECT directorate_contact.email "
        "FROM directorate_contact WHERE directorate_contact.id = contact_invitation.contact_id)"
    )
    with op.batch_alter_table("contact_invitation", schema=None) as batch_op:
        batch_op.alter_column("email", existing_type=sa.String(length=254), nullable=False)


def downgrade():
    with op.batch_alter_table("contact_invitation", schema=None) as batch_op:
        batch_op.drop_column("email")
