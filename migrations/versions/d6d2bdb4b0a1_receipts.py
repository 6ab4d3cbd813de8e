"""declarations: receipts of submissions and acceptances

Revision ID: d6d2bdb4b0a1
Revises: b68db158b4ab
Create Date: 2026-12-07 06:54:53.105655

A new table only; nothing existing changes. A receipt keeps a copy of the declaration as it was
submitted or accepted (`content`), so its PDF never changes; its reference is unique.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'd6d2bdb4b0a1'
down_revision = 'b68db158b4ab'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('receipt',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('declaration_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('submission', 'acceptance', name='receiptkind', native_enum=False, length=20), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('reference', sa.String(length=100), nullable=False),
    sa.Column('issued_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('content', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['user.id'], name=op.f('fk_receipt_actor_id_user')),
    sa.ForeignKeyConstraint(['declaration_id'], ['declaration.id'], name=op.f('fk_receipt_declaration_id_declaration')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_receipt')),
    sa.UniqueConstraint('declaration_id', 'kind', 'number', name='one_number'),
    sa.UniqueConstraint('reference', name=op.f('uq_receipt_reference'))
    )
    with op.batch_alter_table('receipt', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_receipt_declaration_id'), ['declaration_id'], unique=False)



def downgrade():
    with op.batch_alter_table('receipt', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_receipt_declaration_id'))

    op.drop_table('receipt')
