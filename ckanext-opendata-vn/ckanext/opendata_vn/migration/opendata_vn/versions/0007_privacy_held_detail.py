"""Personal-data guard: what the guard could not read in a held file, as told to the
IT reviewer ({"vi": …, "en": …}). Written with IF NOT EXISTS: a development copy of
0006_datastore_load briefly added the same column.

Revision ID: 0007_privacy_held_detail
Revises: 0006_datastore_load
Create Date: 2026-12-03
"""
from alembic import op

revision = "0007_privacy_held_detail"
down_revision = "0006_datastore_load"
branch_labels = None
depends_on = None


def upgrade():
    op.execute("ALTER TABLE opendata_vn_privacy_review ADD COLUMN IF NOT EXISTS held_detail json")


def downgrade():
    op.execute("ALTER TABLE opendata_vn_privacy_review DROP COLUMN IF EXISTS held_detail")
