"""Upload loader (issue 13.1) and personal-data guard coverage (issue 11.4):

* opendata_vn_datastore_load: the state of each uploaded or linked table's DataStore
  load (queued, loading, loaded with N rows, failed with the reason, held for a
  personal-data decision);
* opendata_vn_privacy_review.held_reason: why a file is held when it is not for its
  personal columns — "unreadable" (the guard could not read it) or "archive" (a ZIP
  with personal data or an unreadable file inside); "" for a table with personal columns.

Revision ID: 0006_datastore_load
Revises: 0005_search_pending
Create Date: 2026-12-03
"""
import sqlalchemy as sa
from alembic import op

revision = "0006_datastore_load"
down_revision = "0005_search_pending"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "opendata_vn_datastore_load",
        sa.Column("resource_id", sa.UnicodeText, primary_key=True),
        sa.Column("state", sa.UnicodeText, nullable=False, server_default="queued"),
        sa.Column("rows", sa.BigInteger, nullable=True),
        sa.Column("cause", sa.UnicodeText, nullable=False, server_default=""),
        sa.Column("message_vi", sa.UnicodeText, nullable=False, server_default=""),
        sa.Column("message_en", sa.UnicodeText, nullable=False, server_default=""),
        sa.Column("requested_by", sa.UnicodeText, nullable=False, server_default=""),
        sa.Column("queued_at", sa.DateTime, nullable=False),
        sa.Column("started_at", sa.DateTime, nullable=True),
        sa.Column("finished_at", sa.DateTime, nullable=True),
        sa.Column("loaded_at", sa.DateTime, nullable=True),
        sa.Column("loaded_rows", sa.BigInteger, nullable=True),
    )
    op.add_column("opendata_vn_privacy_review",
                  sa.Column("held_reason", sa.UnicodeText, nullable=False, server_default=""))


def downgrade():
    op.drop_column("opendata_vn_privacy_review", "held_reason")
    op.drop_table("opendata_vn_datastore_load")
