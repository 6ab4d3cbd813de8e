"""user: how each user is told of the project team's waiting work, and the digest's period

Revision ID: d5590ddadc0d
Revises: f9e7b7df7d2f
Create Date: 2026-12-07 03:13:42.518772

Two nullable columns; existing rows get NULL, which means the role's default (project team:
immediately; admin: none; other roles are never told) and no digest covered yet. Plain ADD
COLUMN and DROP COLUMN on both databases, not a batch operation: on SQLite a batch would
rebuild the `user` table, which every other table references and which carries the triggers
of 5a1e9c7d3b20 (see there). The choice is stored as checked text like every enum of the
portal, without a CHECK constraint, so SQLite (3.35 or later) can drop the column again.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'd5590ddadc0d'
down_revision = 'f9e7b7df7d2f'
branch_labels = None
depends_on = None


def upgrade():
    op.add_column('user', sa.Column('notifications', sa.Enum('immediate', 'digest', 'none', name='notifications', native_enum=False, length=20), nullable=True))
    op.add_column('user', sa.Column('digest_covered_until', sa.DateTime(timezone=True), nullable=True))


def downgrade():
    op.drop_column('user', 'digest_covered_until')
    op.drop_column('user', 'notifications')
