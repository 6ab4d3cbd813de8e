"""content: version numbers for conflicts, attachments through the working copy

Revision ID: b7c4e1d2a9f0
Revises: fdeb24930ed5
Create Date: 2026-11-30 09:00:00.000000

Existing items start at version 1; existing files are part of their item ("current").
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b7c4e1d2a9f0'
down_revision = 'fdeb24930ed5'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('content_item', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('version', sa.Integer(), server_default=sa.text('1'), nullable=False)
        )

    with op.batch_alter_table('attachment', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('state', sa.Enum('current', 'added', 'withdrawn', 'removed',
                                       name='attachmentstate', native_enum=False, length=20),
                      server_default='current', nullable=False)
        )
        batch_op.add_column(sa.Column('removed_at', sa.DateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table('attachment', schema=None) as batch_op:
        batch_op.drop_column('removed_at')
        batch_op.drop_column('state')

    with op.batch_alter_table('content_item', schema=None) as batch_op:
        batch_op.drop_column('version')
