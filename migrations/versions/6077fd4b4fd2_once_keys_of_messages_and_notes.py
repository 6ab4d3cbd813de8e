"""once keys of messages and notes

Revision ID: 6077fd4b4fd2
Revises: 5b8e2f0c7a41
Create Date: 2026-12-07 10:04:18.512555

A message or a private note records the random key of the form it was sent from, unique: the
same form sent twice (a double click, even two requests at the same instant) makes one. The
rows already there have none.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '6077fd4b4fd2'
down_revision = '5b8e2f0c7a41'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('declaration_message', schema=None) as batch_op:
        batch_op.add_column(sa.Column('once_key', sa.String(length=32), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_declaration_message_once_key'), ['once_key'])

    with op.batch_alter_table('declaration_note', schema=None) as batch_op:
        batch_op.add_column(sa.Column('once_key', sa.String(length=32), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_declaration_note_once_key'), ['once_key'])


def downgrade():
    with op.batch_alter_table('declaration_note', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_declaration_note_once_key'), type_='unique')
        batch_op.drop_column('once_key')

    with op.batch_alter_table('declaration_message', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_declaration_message_once_key'), type_='unique')
        batch_op.drop_column('once_key')
