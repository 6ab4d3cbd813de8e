"""version columns for optimistic locking; outbox delivery state and attempts

Existing rows start at version 1. Existing outbox messages: those with an error had failed
through SMTP (now "failed", so that an admin can send them again), the others were kept
because no mail server was configured (now "pending": the worker sends them once one is).

Revision ID: fdeb24930ed5
Revises: e3f2c538de6d
Create Date: 2026-11-23 14:30:18.947398

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'fdeb24930ed5'
down_revision = 'e3f2c538de6d'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('delivery_attempt',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('message_id', sa.Integer(), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('worker', sa.String(length=200), nullable=False),
    sa.Column('error', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['message_id'], ['outbox_message.id'], name=op.f('fk_delivery_attempt_message_id_outbox_message')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_delivery_attempt'))
    )
    with op.batch_alter_table('delivery_attempt', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_delivery_attempt_message_id'), ['message_id'], unique=False)

    with op.batch_alter_table('call', schema=None) as batch_op:
        batch_op.add_column(sa.Column('version', sa.Integer(), nullable=False, server_default='1'))

    with op.batch_alter_table('codir_request', schema=None) as batch_op:
        batch_op.add_column(sa.Column('version', sa.Integer(), nullable=False, server_default='1'))

    with op.batch_alter_table('cvrh', schema=None) as batch_op:
        batch_op.add_column(sa.Column('version', sa.Integer(), nullable=False, server_default='1'))

    with op.batch_alter_table('directorate', schema=None) as batch_op:
        batch_op.add_column(sa.Column('version', sa.Integer(), nullable=False, server_default='1'))

    with op.batch_alter_table('outbox_message', schema=None) as batch_op:
        batch_op.add_column(sa.Column('message_id', sa.String(length=255), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('status', sa.Enum('pending', 'sent', 'failed', 'discarded', name='messagestatus', native_enum=False, length=20), nullable=False, server_default='pending'))
        batch_op.add_column(sa.Column('attempts', sa.Integer(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('next_attempt_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('claimed_until', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('claim_token', sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.create_index('ix_outbox_message_due', ['status', 'next_attempt_at'], unique=False)

    outbox = sa.table(
        'outbox_message',
        sa.column('error', sa.Text()),
        sa.column('status', sa.String(20)),
        sa.column('created_at', sa.DateTime(timezone=True)),
        sa.column('next_attempt_at', sa.DateTime(timezone=True)),
    )
    op.execute(outbox.update().where(outbox.c.error.isnot(None)).values(status='failed'))
    op.execute(outbox.update().values(next_attempt_at=outbox.c.created_at))
    with op.batch_alter_table('outbox_message', schema=None) as batch_op:
        batch_op.alter_column('next_attempt_at', existing_type=sa.DateTime(timezone=True), nullable=False)

    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('version', sa.Integer(), nullable=False, server_default='1'))



def downgrade():
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.drop_column('version')

    with op.batch_alter_table('outbox_message', schema=None) as batch_op:
        batch_op.drop_index('ix_outbox_message_due')
        batch_op.drop_column('sent_at')
        batch_op.drop_column('claim_token')
        batch_op.drop_column('claimed_until')
        batch_op.drop_column('next_attempt_at')
        batch_op.drop_column('attempts')
        batch_op.drop_column('status')
        batch_op.drop_column('message_id')

    with op.batch_alter_table('directorate', schema=None) as batch_op:
        batch_op.drop_column('version')

    with op.batch_alter_table('cvrh', schema=None) as batch_op:
        batch_op.drop_column('version')

    with op.batch_alter_table('codir_request', schema=None) as batch_op:
        batch_op.drop_column('version')

    with op.batch_alter_table('call', schema=None) as batch_op:
        batch_op.drop_column('version')

    with op.batch_alter_table('delivery_attempt', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_delivery_attempt_message_id'))

    op.drop_table('delivery_attempt')
