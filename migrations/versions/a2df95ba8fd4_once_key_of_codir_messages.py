"""once key of CODIR messages

Revision ID: a2df95ba8fd4
Revises: 6077fd4b4fd2
Create Date: 2026-12-07 12:57:38.951524

A message on a CODIR request records the random key of the form it was sent from, unique:
the same form sent twice (a double click, even two requests at the same instant) makes one.
The rows already there have none.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a2df95ba8fd4'
down_revision = '6077fd4b4fd2'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('codir_message', schema=None) as batch_op:
        batch_op.add_column(sa.Column('once_key', sa.String(length=32), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_codir_message_once_key'), ['once_key'])


def downgrade():
    with op.batch_alter_table('codir_message', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_codir_message_once_key'), type_='unique')
        batch_op.drop_column('once_key')

