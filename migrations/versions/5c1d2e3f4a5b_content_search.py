"""full-text search index of published content (FTS5 on SQLite, tsvector on PostgreSQL)

Revision ID: 5c1d2e3f4a5b
Revises: 394e8293f82e
Create Date: 2026-11-23 10:15:00

"""
from alembic import op

from app.content import search

# revision identifiers, used by Alembic.
revision = '5c1d2e3f4a5b'
down_revision = '394e8293f82e'
branch_labels = None
depends_on = None


def upgrade():
    search.create_index(op.get_bind())


def downgrade():
    search.drop_index(op.get_bind())
