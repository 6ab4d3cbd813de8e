"""conversation on declarations

Revision ID: b34c4fa433ca
Revises: d6d2bdb4b0a1
Create Date: 2026-12-07 06:58:44.274153

The conversation between a directorate and the project team on its declaration for a call
(keyed by call and directorate, like the declaration, so that it may start before it), the
files of its messages (stored under ATTACHMENTS_DIR by key), each user's read marker per
conversation, and the project team's private notes. New tables only: nothing to migrate.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b34c4fa433ca'
down_revision = 'd6d2bdb4b0a1'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('declaration_message',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('call_id', sa.Integer(), nullable=False),
    sa.Column('directorate_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('side', sa.Enum('directorate', 'project_team', name='side', native_enum=False, length=20), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['user.id'], name=op.f('fk_declaration_message_author_id_user')),
    sa.ForeignKeyConstraint(['call_id'], ['call.id'], name=op.f('fk_declaration_message_call_id_call')),
    sa.ForeignKeyConstraint(['directorate_id'], ['directorate.id'], name=op.f('fk_declaration_message_directorate_id_directorate')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_declaration_message'))
    )
    with op.batch_alter_table('declaration_message', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_declaration_message_directorate_id'), ['directorate_id'], unique=False)
        batch_op.create_index('ix_declaration_message_thread', ['call_id', 'directorate_id', 'id'], unique=False)

    op.create_table('declaration_note',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('call_id', sa.Integer(), nullable=False),
    sa.Column('directorate_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['user.id'], name=op.f('fk_declaration_note_author_id_user')),
    sa.ForeignKeyConstraint(['call_id'], ['call.id'], name=op.f('fk_declaration_note_call_id_call')),
    sa.ForeignKeyConstraint(['directorate_id'], ['directorate.id'], name=op.f('fk_declaration_note_directorate_id_directorate')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_declaration_note'))
    )
    with op.batch_alter_table('declaration_note', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_declaration_note_directorate_id'), ['directorate_id'], unique=False)
        batch_op.create_index('ix_declaration_note_thread', ['call_id', 'directorate_id', 'id'], unique=False)

    op.create_table('thread_read',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('call_id', sa.Integer(), nullable=False),
    sa.Column('directorate_id', sa.Integer(), nullable=False),
    sa.Column('last_message_id', sa.Integer(), nullable=False),
    sa.Column('read_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['call_id'], ['call.id'], name=op.f('fk_thread_read_call_id_call')),
    sa.ForeignKeyConstraint(['directorate_id'], ['directorate.id'], name=op.f('fk_thread_read_directorate_id_directorate')),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_thread_read_user_id_user')),
    sa.PrimaryKeyConstraint('user_id', 'call_id', 'directorate_id', name=op.f('pk_thread_read'))
    )
    op.create_table('message_file',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('message_id', sa.Integer(), nullable=False),
    sa.Column('file_name', sa.String(length=200), nullable=False),
    sa.Column('content_type', sa.String(length=100), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('storage_key', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['message_id'], ['declaration_message.id'], name=op.f('fk_message_file_message_id_declaration_message')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_message_file')),
    sa.UniqueConstraint('storage_key', name=op.f('uq_message_file_storage_key'))
    )
    with op.batch_alter_table('message_file', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_message_file_message_id'), ['message_id'], unique=False)



def downgrade():
    with op.batch_alter_table('message_file', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_message_file_message_id'))

    op.drop_table('message_file')
    op.drop_table('thread_read')
    with op.batch_alter_table('declaration_note', schema=None) as batch_op:
        batch_op.drop_index('ix_declaration_note_thread')
        batch_op.drop_index(batch_op.f('ix_declaration_note_directorate_id'))

    op.drop_table('declaration_note')
    with op.batch_alter_table('declaration_message', schema=None) as batch_op:
        batch_op.drop_index('ix_declaration_message_thread')
        batch_op.drop_index(batch_op.f('ix_declaration_message_directorate_id'))

    op.drop_table('declaration_message')
