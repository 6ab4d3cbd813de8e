"""licence pools and grants

Revision ID: 63870a509a9e
Revises: b34c4fa433ca
Create Date: 2026-12-07 06:57:48.004032

The national pool of PIX licences of each call (one row per call, its history in
licence_pool_event) and the licences granted to each declaration (one row per declaration,
its history in the declaration's events). Pools and grants are versioned (optimistic
locking); the numbers cannot be negative. New tables only: nothing to migrate.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '63870a509a9e'
down_revision = 'b34c4fa433ca'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('licence_pool',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('call_id', sa.Integer(), nullable=False),
    sa.Column('licences', sa.Integer(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.CheckConstraint('licences >= 0', name=op.f('ck_licence_pool_not_negative')),
    sa.ForeignKeyConstraint(['call_id'], ['call.id'], name=op.f('fk_licence_pool_call_id_call')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_licence_pool')),
    sa.UniqueConstraint('call_id', name=op.f('uq_licence_pool_call_id'))
    )
    op.create_table('licence_grant',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('declaration_id', sa.Integer(), nullable=False),
    sa.Column('licences', sa.Integer(), nullable=False),
    sa.Column('comment', sa.Text(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.CheckConstraint('licences >= 0', name=op.f('ck_licence_grant_not_negative')),
    sa.ForeignKeyConstraint(['declaration_id'], ['declaration.id'], name=op.f('fk_licence_grant_declaration_id_declaration')),
    sa.ForeignKeyConstraint(['updated_by_id'], ['user.id'], name=op.f('fk_licence_grant_updated_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_licence_grant')),
    sa.UniqueConstraint('declaration_id', name=op.f('uq_licence_grant_declaration_id'))
    )
    op.create_table('licence_pool_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('pool_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('before', sa.Integer(), nullable=True),
    sa.Column('after', sa.Integer(), nullable=False),
    sa.Column('comment', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['user.id'], name=op.f('fk_licence_pool_event_actor_id_user')),
    sa.ForeignKeyConstraint(['pool_id'], ['licence_pool.id'], name=op.f('fk_licence_pool_event_pool_id_licence_pool')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_licence_pool_event'))
    )
    with op.batch_alter_table('licence_pool_event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_licence_pool_event_pool_id'), ['pool_id'], unique=False)



def downgrade():
    with op.batch_alter_table('licence_pool_event', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_licence_pool_event_pool_id'))

    op.drop_table('licence_pool_event')
    op.drop_table('licence_grant')
    op.drop_table('licence_pool')
