"""learning paths of Annex 2, chosen by the campaigns of a declaration

Revision ID: c4a8e2f61d57
Revises: 5a1e9c7d3b20
Create Date: 2026-12-07 09:00:00.000000

The campaign's free-text "learning paths" becomes a note beside the choice of paths: the
column is renamed, so the text typed before is kept as the note. A downgrade renames it back
and drops the choices (the paths themselves are reference data, seeded again by `flask seed`).
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c4a8e2f61d57'
down_revision = '5a1e9c7d3b20'
branch_labels = None
depends_on = None


def upgrade():
    # A plain RENAME COLUMN (SQLite 3.25+ and PostgreSQL): the rows stay where they are; a
    # batch operation would copy the table, which tables referring to campaign do not allow.
    op.alter_column('campaign', 'learning_paths', new_column_name='learning_paths_note',
                    existing_type=sa.String(length=500), existing_nullable=False)

    op.create_table('learning_path',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=32), nullable=False),
    sa.Column('name_fr', sa.String(length=200), nullable=False),
    sa.Column('name_en', sa.String(length=200), nullable=False),
    sa.Column('description_fr', sa.String(length=500), nullable=False),
    sa.Column('description_en', sa.String(length=500), nullable=False),
    sa.Column('audience_fr', sa.String(length=200), nullable=False),
    sa.Column('audience_en', sa.String(length=200), nullable=False),
    sa.Column('competences', sa.JSON(), nullable=False),
    sa.Column('campaign_kind', sa.Enum('assessment', 'profiles_collection', name='campaignkind', native_enum=False, length=30), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_learning_path')),
    sa.UniqueConstraint('code', name=op.f('uq_learning_path_code'))
    )
    op.create_table('campaign_learning_path',
    sa.Column('campaign_id', sa.Integer(), nullable=False),
    sa.Column('learning_path_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['campaign_id'], ['campaign.id'], name=op.f('fk_campaign_learning_path_campaign_id_campaign'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['learning_path_id'], ['learning_path.id'], name=op.f('fk_campaign_learning_path_learning_path_id_learning_path')),
    sa.PrimaryKeyConstraint('campaign_id', 'learning_path_id', name=op.f('pk_campaign_learning_path'))
    )
    with op.batch_alter_table('campaign_learning_path', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_campaign_learning_path_learning_path_id'), ['learning_path_id'], unique=False)


def downgrade():
    with op.batch_alter_table('campaign_learning_path', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_campaign_learning_path_learning_path_id'))

    op.drop_table('campaign_learning_path')
    op.drop_table('learning_path')

    op.alter_column('campaign', 'learning_paths_note', new_column_name='learning_paths',
                    existing_type=sa.String(length=500), existing_nullable=False)
