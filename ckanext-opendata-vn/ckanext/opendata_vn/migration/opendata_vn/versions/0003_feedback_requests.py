"""Citizens' feedback: problem reports and usefulness ratings on datasets, data
requests (with votes). Requesters' contact details are stored for the agency and
the IT staff only; addresses are kept as keyed hashes, never in clear.

Revision ID: 0003_feedback_requests
Revises: 0002_workflow_compliance
Create Date: 2026-11-26
"""
import sqlalchemy as sa
from alembic import op

revision = "0003_feedback_requests"
down_revision = "0002_workflow_compliance"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "opendata_vn_feedback",
        sa.Column("id", sa.UnicodeText, primary_key=True),
        sa.Column("package_id", sa.UnicodeText,
                  sa.ForeignKey("package.id", ondelete="CASCADE"), nullable=False, index=True),
        sa.Column("category", sa.UnicodeText, nullable=False, server_default="other"),
        sa.Column("message", sa.UnicodeText, nullable=False),
        sa.Column("contact_name", sa.UnicodeText, nullable=False, server_default=""),
        sa.Column("contact_email", sa.UnicodeText, nullable=False, server_default=""),
        sa.Column("user_id", sa.UnicodeText, nullable=True),
        sa.Column("address_hash", sa.UnicodeText, nullable=False, server_default=""),
        sa.Column("state", sa.UnicodeText, nullable=False, server_default="open"),
        sa.Column("reply", sa.UnicodeText, nullable=False, server_default=""),
        sa.Column("replied_by", sa.UnicodeText, nullable=False, server_default=""),
        sa.Column("replied_at", sa.DateTime, nullable=True),
        sa.Column("created", sa.DateTime, nullable=False),
        sa.Column("modified", sa.DateTime, nullable=False),
    )
    op.create_index("opendata_vn_feedback_state", "opendata_vn_feedback", ["state", "created"])
    op.create_table(
        "opendata_vn_rating",
        sa.Column("id", sa.UnicodeText, primary_key=True),
        sa.Column("package_id", sa.UnicodeText,
                  sa.ForeignKey("package.id", ondelete="CASCADE"), nullable=False, index=True),
        # the user's id, or "addr:<keyed hash>" for an anonymous visitor
        sa.Column("voter", sa.UnicodeText, nullable=False),
        sa.Column("score", sa.Integer, nullable=False),
        sa.Column("created", sa.DateTime, nullable=False),
        sa.Column("modified", sa.DateTime, nullable=False),
        sa.UniqueConstraint("package_id", "voter", name="opendata_vn_rating_once"),
        sa.CheckConstraint("score BETWEEN 1 AND 5", name="opendata_vn_rating_score"),
    )
    op.create_table(
        "opendata_vn_data_request",
        sa.Column("id", sa.UnicodeText, primary_key=True),
        sa.Column("title", sa.UnicodeText, nullable=False),
        sa.Column("description", sa.UnicodeText, nullable=False, server_default=""),
        sa.Column("reason", sa.UnicodeText, nullable=False, server_default=""),
        sa.Column("organization_id", sa.UnicodeText,
                  sa.ForeignKey("group.id", ondelete="SET NULL"), nullable=True, index=True),
        sa.Column("contact_name", sa.UnicodeText, nullable=False, server_default=""),
        sa.Column("contact_email", sa.UnicodeText, nullable=False, server_default=""),
        sa.Column("contact_phone", sa.UnicodeText, nullable=False, server_default=""),
        sa.Column("user_id", sa.UnicodeText, nullable=True),
        sa.Column("address_hash", sa.UnicodeText, nullable=False, server_default=""),
        sa.Column("state", sa.UnicodeText, nullable=False, server_default="open"),
        sa.Column("close_reason", sa.UnicodeText, nullable=False, server_default=""),
        sa.Column("reply", sa.UnicodeText, nullable=False, server_default=""),
        sa.Column("replied_by", sa.UnicodeText, nullable=False, server_default=""),
        sa.Column("replied_at", sa.DateTime, nullable=True),
        sa.Column("package_id", sa.UnicodeText,
                  sa.ForeignKey("package.id", ondelete="SET NULL"), nullable=True),
        sa.Column("vote_count", sa.Integer, nullable=False, server_default="0"),
        sa.Column("created", sa.DateTime, nullable=False),
        sa.Column("modified", sa.DateTime, nullable=False),
    )
    op.create_index("opendata_vn_data_request_wanted", "opendata_vn_data_request",
                    ["state", "vote_count", "created"])
    op.create_table(
        "opendata_vn_data_request_vote",
        sa.Column("request_id", sa.UnicodeText,
                  sa.ForeignKey("opendata_vn_data_request.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("voter", sa.UnicodeText, primary_key=True),
        sa.Column("created", sa.DateTime, nullable=False),
    )


def downgrade():
    op.drop_table("opendata_vn_data_request_vote")
    op.drop_index("opendata_vn_data_request_wanted", table_name="opendata_vn_data_request")
    op.drop_table("opendata_vn_data_request")
    op.drop_table("opendata_vn_rating")
    op.drop_index("opendata_vn_feedback_state", table_name="opendata_vn_feedback")
    op.drop_table("opendata_vn_feedback")
