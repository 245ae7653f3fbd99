"""Annual catalog workflow and compliance tracking: transition history, reminders
sent, the entry's review state and the catalog an amendment changes.

Revision ID: 0002_workflow_compliance
Revises: 0001_catalog_tables
Create Date: 2026-11-26
"""
import sqlalchemy as sa
from alembic import op

revision = "0002_workflow_compliance"
down_revision = "0001_catalog_tables"
branch_labels = None
depends_on = None


def upgrade():
    # Entries of documents loaded so far are part of published catalogs: approved.
    op.add_column("opendata_vn_catalog_entry",
                  sa.Column("state", sa.UnicodeText, nullable=False, server_default="approved"))
    op.create_index("opendata_vn_catalog_entry_state", "opendata_vn_catalog_entry", ["catalog_id", "state"])
    op.add_column("opendata_vn_catalog",
                  sa.Column("amends_id", sa.UnicodeText,
                            sa.ForeignKey("opendata_vn_catalog.id", ondelete="SET NULL"), nullable=True))
    op.create_table(
        "opendata_vn_workflow_event",
        sa.Column("id", sa.UnicodeText, primary_key=True),
        sa.Column("catalog_id", sa.UnicodeText,
                  sa.ForeignKey("opendata_vn_catalog.id", ondelete="CASCADE"), nullable=True, index=True),
        # no foreign key: the history outlives a withdrawn entry
        sa.Column("entry_id", sa.UnicodeText, nullable=True, index=True),
        sa.Column("package_id", sa.UnicodeText, nullable=True, index=True),
        sa.Column("agency_id", sa.UnicodeText, nullable=True),
        sa.Column("entry_title", sa.UnicodeText, nullable=False, server_default=""),
        sa.Column("action", sa.UnicodeText, nullable=False),
        sa.Column("from_state", sa.UnicodeText, nullable=False, server_default=""),
        sa.Column("to_state", sa.UnicodeText, nullable=False, server_default=""),
        sa.Column("user_id", sa.UnicodeText, nullable=True),
        sa.Column("user_name", sa.UnicodeText, nullable=False, server_default=""),
        sa.Column("comment", sa.UnicodeText, nullable=False, server_default=""),
        sa.Column("created", sa.DateTime, nullable=False),
    )
    op.create_index("opendata_vn_workflow_event_confirm", "opendata_vn_workflow_event",
                    ["package_id", "action", "created"])
    op.create_table(
        "opendata_vn_reminder",
        sa.Column("id", sa.UnicodeText, primary_key=True),
        sa.Column("package_id", sa.UnicodeText, nullable=False),
        sa.Column("entry_id", sa.UnicodeText, nullable=True),
        sa.Column("agency_id", sa.UnicodeText, nullable=False, server_default=""),
        sa.Column("recipient", sa.UnicodeText, nullable=False),
        sa.Column("kind", sa.UnicodeText, nullable=False),
        sa.Column("due_date", sa.Date, nullable=True),
        sa.Column("sent_on", sa.Date, nullable=False),
        sa.Column("delivered", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("created", sa.DateTime, nullable=False),
        sa.UniqueConstraint("package_id", "recipient", "sent_on", name="opendata_vn_reminder_once_a_day"),
    )


def downgrade():
    op.drop_table("opendata_vn_reminder")
    op.drop_index("opendata_vn_workflow_event_confirm", table_name="opendata_vn_workflow_event")
    op.drop_table("opendata_vn_workflow_event")
    op.drop_column("opendata_vn_catalog", "amends_id")
    op.drop_index("opendata_vn_catalog_entry_state", table_name="opendata_vn_catalog_entry")
    op.drop_column("opendata_vn_catalog_entry", "state")
