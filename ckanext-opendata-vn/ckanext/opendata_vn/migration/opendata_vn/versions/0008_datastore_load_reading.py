"""Upload loader: how the reader read the loaded table (sheet, header row, the rows it
ignored and why), shown on the resource page as the harvester shows it in its run log.

Revision ID: 0008_datastore_load_reading
Revises: 0007_privacy_held_detail
Create Date: 2026-12-03
"""
from alembic import op

revision = "0008_datastore_load_reading"
down_revision = "0007_privacy_held_detail"
branch_labels = None
depends_on = None


def upgrade():
    op.execute("ALTER TABLE opendata_vn_datastore_load ADD COLUMN IF NOT EXISTS reading json")


def downgrade():
    op.execute("ALTER TABLE opendata_vn_datastore_load DROP COLUMN IF EXISTS reading")
