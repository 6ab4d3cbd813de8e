"""followup: plans of declared campaigns, targets, checkpoints, imports and participants

Revision ID: 3cdb33476341
Revises: b7c4e1d2a9f0
Create Date: 2026-11-23 17:20:57.566881

New tables only; nothing existing changes.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '3cdb33476341'
down_revision = 'b7c4e1d2a9f0'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('followup_plan',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('declaration_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('campaign_label', sa.String(length=200), nullable=False),
    sa.Column('aim', sa.Enum('self_assessment', 'skills_project', name='aim', native_enum=False, length=30), nullable=False),
    sa.Column('kind', sa.Enum('assessment', 'profiles_collection', name='campaignkind', native_enum=False, length=30), nullable=False),
    sa.Column('population', sa.String(length=200), nullable=False),
    sa.Column('population_size', sa.Integer(), nullable=True),
    sa.Column('mastery_target', sa.Integer(), nullable=True),
    sa.Column('stage_target', sa.Integer(), nullable=True),
    sa.Column('pixorga_code', sa.String(length=60), nullable=True),
    sa.Column('pixorga_id', sa.String(length=60), nullable=True),
    sa.Column('pixorga_name', sa.String(length=255), nullable=True),
    sa.Column('purged_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['declaration_id'], ['declaration.id'], name=op.f('fk_followup_plan_declaration_id_declaration')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_followup_plan')),
    sa.UniqueConstraint('declaration_id', 'position', name='one_per_campaign')
    )
    with op.batch_alter_table('followup_plan', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_followup_plan_declaration_id'), ['declaration_id'], unique=False)

    op.create_table('checkpoint',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=True),
    sa.ForeignKeyConstraint(['plan_id'], ['followup_plan.id'], name=op.f('fk_checkpoint_plan_id_followup_plan')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_checkpoint'))
    )
    with op.batch_alter_table('checkpoint', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_checkpoint_plan_id'), ['plan_id'], unique=False)

    op.create_table('competence_target',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('competence', sa.String(length=5), nullable=False),
    sa.Column('level', sa.Integer(), nullable=True),
    sa.Column('mastery', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['plan_id'], ['followup_plan.id'], name=op.f('fk_competence_target_plan_id_followup_plan')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_competence_target')),
    sa.UniqueConstraint('plan_id', 'competence', name='one_per_competence')
    )
    with op.batch_alter_table('competence_target', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_competence_target_plan_id'), ['plan_id'], unique=False)

    op.create_table('plan_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('action', sa.String(length=40), nullable=False),
    sa.Column('changes', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['user.id'], name=op.f('fk_plan_event_actor_id_user')),
    sa.ForeignKeyConstraint(['plan_id'], ['followup_plan.id'], name=op.f('fk_plan_event_plan_id_followup_plan')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plan_event'))
    )
    with op.batch_alter_table('plan_event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_plan_event_plan_id'), ['plan_id'], unique=False)

    op.create_table('result_import',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('checkpoint_id', sa.Integer(), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('file_name', sa.String(length=255), nullable=False),
    sa.Column('kind', sa.Enum('assessment', 'profiles_collection', name='campaignkind', native_enum=False, length=30), nullable=False),
    sa.Column('fingerprint', sa.String(length=64), nullable=False),
    sa.Column('participant_count', sa.Integer(), nullable=False),
    sa.Column('summary', sa.JSON(), nullable=False),
    sa.Column('purged_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['actor_id'], ['user.id'], name=op.f('fk_result_import_actor_id_user')),
    sa.ForeignKeyConstraint(['checkpoint_id'], ['checkpoint.id'], name=op.f('fk_result_import_checkpoint_id_checkpoint')),
    sa.ForeignKeyConstraint(['plan_id'], ['followup_plan.id'], name=op.f('fk_result_import_plan_id_followup_plan')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_result_import')),
    sa.UniqueConstraint('checkpoint_id', name='one_per_checkpoint'),
    sa.UniqueConstraint('plan_id', 'fingerprint', name='same_file_once')
    )
    with op.batch_alter_table('result_import', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_result_import_plan_id'), ['plan_id'], unique=False)

    op.create_table('participant',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('import_id', sa.Integer(), nullable=False),
    sa.Column('line', sa.Integer(), nullable=False),
    sa.Column('last_name', sa.String(length=255), nullable=False),
    sa.Column('first_name', sa.String(length=255), nullable=False),
    sa.Column('extras', sa.JSON(), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('shared', sa.Boolean(), nullable=False),
    sa.Column('shared_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('progression', sa.Float(), nullable=True),
    sa.Column('mastery', sa.Float(), nullable=True),
    sa.Column('stage', sa.Integer(), nullable=True),
    sa.Column('results', sa.JSON(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('missed', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['import_id'], ['result_import.id'], name=op.f('fk_participant_import_id_result_import'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_participant'))
    )
    with op.batch_alter_table('participant', schema=None) as batch_op:
        batch_op.create_index('ix_participant_import_status', ['import_id', 'status'], unique=False)



def downgrade():
    with op.batch_alter_table('participant', schema=None) as batch_op:
        batch_op.drop_index('ix_participant_import_status')

    op.drop_table('participant')
    with op.batch_alter_table('result_import', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_result_import_plan_id'))

    op.drop_table('result_import')
    with op.batch_alter_table('plan_event', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_plan_event_plan_id'))

    op.drop_table('plan_event')
    with op.batch_alter_table('competence_target', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_competence_target_plan_id'))

    op.drop_table('competence_target')
    with op.batch_alter_table('checkpoint', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_checkpoint_plan_id'))

    op.drop_table('checkpoint')
    with op.batch_alter_table('followup_plan', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_followup_plan_declaration_id'))

    op.drop_table('followup_plan')
