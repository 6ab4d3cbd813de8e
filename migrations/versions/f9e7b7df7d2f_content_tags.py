"""tags of content: the PIX competences and learning paths an item is tagged with

Revision ID: f9e7b7df7d2f
Revises: d9e1f3a5b7c2
Create Date: 2026-12-14 09:00:00.000000

Two association tables hold the tags of each item as it stands (online, once published);
revisions and working copies keep them as lists in their JSON data, which needs no change:
data saved before has no tags, read as none. Each table has an index on the tag, then the
item, so that "the items tagged with 2.1" reads the index alone. A downgrade drops the tables
(the lists stay in the revisions).
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'f9e7b7df7d2f'
down_revision = 'd9e1f3a5b7c2'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('content_competence',
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('competence', sa.String(length=5), nullable=False),
    sa.ForeignKeyConstraint(['item_id'], ['content_item.id'], name=op.f('fk_content_competence_item_id_content_item'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('item_id', 'competence', name=op.f('pk_content_competence'))
    )
    op.create_index('ix_content_competence_competence', 'content_competence', ['competence', 'item_id'], unique=False)

    op.create_table('content_learning_path',
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('learning_path_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['item_id'], ['content_item.id'], name=op.f('fk_content_learning_path_item_id_content_item'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['learning_path_id'], ['learning_path.id'], name=op.f('fk_content_learning_path_learning_path_id_learning_path')),
    sa.PrimaryKeyConstraint('item_id', 'learning_path_id', name=op.f('pk_content_learning_path'))
    )
    op.create_index('ix_content_learning_path_learning_path_id', 'content_learning_path', ['learning_path_id', 'item_id'], unique=False)


def downgrade():
    op.drop_index('ix_content_learning_path_learning_path_id', table_name='content_learning_path')
    op.drop_table('content_learning_path')
    op.drop_index('ix_content_competence_competence', table_name='content_competence')
    op.drop_table('content_competence')
