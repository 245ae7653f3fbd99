"""Personal data guard (issue #8): one record per table held back because it has
columns that look personal, until an IT reviewer decides (publish as is with a legal
basis, publish without or with masked columns, or reject). The staged table itself
lives under ckan.storage_path/privacy/<id>/, never in the public DataStore.

Revision ID: 0004_privacy_review
Revises: 0003_feedback_requests
Create Date: 2026-11-27
"""
import sqlalchemy as sa
from alembic import op

revision = "0004_privacy_review"
down_revision = "0003_feedback_requests"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "opendata_vn_privacy_review",
        sa.Column("id", sa.UnicodeText, primary_key=True),
        sa.Column("package_id", sa.UnicodeText,
                  sa.ForeignKey("package.id", ondelete="CASCADE"), nullable=False, index=True),
        # "harvest" (a vn_excel/vn_api source) or "upload" (an officer's file)
        sa.Column("origin", sa.UnicodeText, nullable=False),
        # the harvest source's id, or "upload:<uuid>" naming an uploaded resource's data
        sa.Column("source_key", sa.UnicodeText, nullable=False, index=True),
        sa.Column("resource_id", sa.UnicodeText, nullable=True),
        sa.Column("state", sa.UnicodeText, nullable=False, server_default="pending"),
        sa.Column("findings", sa.JSON, nullable=False),          # with masked examples only
        sa.Column("columns", sa.JSON, nullable=False),           # every column of the table
        sa.Column("row_count", sa.Integer, nullable=False, server_default="0"),
        sa.Column("content_sha256", sa.UnicodeText, nullable=False, server_default=""),
        sa.Column("original_name", sa.UnicodeText, nullable=False, server_default=""),
        sa.Column("original_format", sa.UnicodeText, nullable=False, server_default=""),
        sa.Column("created_by", sa.UnicodeText, nullable=False, server_default=""),
        sa.Column("created", sa.DateTime, nullable=False),
        # a newer table replacing a pending one keeps its place in the queue
        sa.Column("waiting_since", sa.DateTime, nullable=False),
        sa.Column("decision", sa.UnicodeText, nullable=True),    # publish | remove | mask | reject
        sa.Column("reason", sa.UnicodeText, nullable=False, server_default=""),
        sa.Column("decided_columns", sa.JSON, nullable=True),    # removed or masked
        sa.Column("reviewed_columns", sa.JSON, nullable=True),   # the flagged columns decided on
        sa.Column("decided_by", sa.UnicodeText, nullable=True),
        sa.Column("decided_at", sa.DateTime, nullable=True),
        sa.Column("notified", sa.UnicodeText, nullable=False, server_default=""),
    )
    op.create_index("opendata_vn_privacy_review_queue", "opendata_vn_privacy_review",
                    ["state", "waiting_since"])


def downgrade():
    op.drop_index("opendata_vn_privacy_review_queue", table_name="opendata_vn_privacy_review")
    op.drop_table("opendata_vn_privacy_review")
