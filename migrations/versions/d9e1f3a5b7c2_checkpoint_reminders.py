"""followup: reminders e-mailed before a checkpoint, kept so that none is sent twice

Revision ID: d9e1f3a5b7c2
Revises: c4a8e2f61d57
Create Date: 2026-11-23 19:30:00.000000

A new table only; nothing existing changes. Deleting a checkpoint deletes its reminders (ON
DELETE CASCADE). The unique key includes the due date, so a checkpoint moved to another date is
reminded again.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'd9e1f3a5b7c2'
down_revision = 'c4a8e2f61d57'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('checkpoint_reminder',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('checkpoint_id', sa.Integer(), nullable=False),
    sa.Column('days_before', sa.Integer(), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['checkpoint_id'], ['checkpoint.id'], name=op.f('fk_checkpoint_reminder_checkpoint_id_checkpoint'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_checkpoint_reminder')),
    sa.UniqueConstraint('checkpoint_id', 'days_before', 'due_on', name='once_per_date')
    )


def downgrade():
    op.drop_table('checkpoint_reminder')
