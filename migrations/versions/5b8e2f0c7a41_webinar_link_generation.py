"""the generation of a webinar invitation's personal links

Revision ID: 5b8e2f0c7a41
Revises: c4e1a7d2b9f3
Create Date: 2026-12-07 10:45:00

Sending a person's invitation again raises it: the links e-mailed before stop working. The
invitations already sent start at 0, the generation of the links they carry.
"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "5b8e2f0c7a41"
down_revision = "c4e1a7d2b9f3"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("event_invitation", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("link_generation", sa.Integer(), server_default=sa.text("0"), nullable=False)
        )


def downgrade():
    with op.batch_alter_table("event_invitation", schema=None) as batch_op:
        batch_op.drop_column("link_generation")
