"""Datasets written while Solr could not be reached (issue #12): their ids wait here,
in PostgreSQL (Redis may be down too), until the scheduler re-indexes them.

Revision ID: 0005_search_pending
Revises: 0004_privacy_review
Create Date: 2026-12-03
"""
import sqlalchemy as sa
from alembic import op

revision = "0005_search_pending"
down_revision = "0004_privacy_review"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "opendata_vn_search_pending",
        # no foreign key: a purged dataset must still be removed from the index
        sa.Column("package_id", sa.UnicodeText, primary_key=True),
        sa.Column("recorded", sa.DateTime, nullable=False),
        sa.Column("error", sa.UnicodeText, nullable=False, server_default=""),
    )


def downgrade():
    op.drop_table("opendata_vn_search_pending")
