"""Catalog and catalog entry tables.

Revision ID: 0001_catalog_tables
Revises:
Create Date: 2026-11-26
"""
import sqlalchemy as sa
from alembic import op

revision = "0001_catalog_tables"
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "opendata_vn_catalog",
        sa.Column("id", sa.UnicodeText, primary_key=True),
        sa.Column("key", sa.UnicodeText, nullable=False, unique=True),
        sa.Column("province", sa.UnicodeText, nullable=False),
        sa.Column("year", sa.Integer, nullable=False),
        sa.Column("period", sa.UnicodeText, nullable=False, server_default=""),
        sa.Column("kind", sa.UnicodeText, nullable=False, server_default="decision"),
        sa.Column("title", sa.UnicodeText, nullable=False),
        sa.Column("document_number", sa.UnicodeText, nullable=False, server_default=""),
        sa.Column("document_date", sa.UnicodeText, nullable=False, server_default=""),
        sa.Column("issuer", sa.UnicodeText, nullable=False, server_default=""),
        sa.Column("legal_basis", sa.JSON, nullable=False, server_default="[]"),
        sa.Column("source_file", sa.UnicodeText, nullable=False, server_default=""),
        sa.Column("notes", sa.UnicodeText, nullable=False, server_default=""),
        sa.Column("state", sa.UnicodeText, nullable=False, server_default="published"),
        sa.Column("created", sa.DateTime, nullable=False),
        sa.Column("modified", sa.DateTime, nullable=False),
    )
    op.create_table(
        "opendata_vn_catalog_entry",
        sa.Column("id", sa.UnicodeText, primary_key=True),
        sa.Column("catalog_id", sa.UnicodeText,
                  sa.ForeignKey("opendata_vn_catalog.id", ondelete="CASCADE"), nullable=False, index=True),
        sa.Column("package_id", sa.UnicodeText,
                  sa.ForeignKey("package.id", ondelete="CASCADE"), nullable=False, index=True),
        sa.Column("position", sa.Integer, nullable=False, server_default="0"),
        sa.Column("number", sa.UnicodeText, nullable=False, server_default=""),
        sa.Column("part", sa.Integer, nullable=False, server_default="0"),
        sa.Column("theme_number", sa.UnicodeText, nullable=False, server_default=""),
        sa.Column("theme", sa.UnicodeText, nullable=False, server_default=""),
        sa.Column("title", sa.UnicodeText, nullable=False),
        sa.Column("description", sa.UnicodeText, nullable=False, server_default=""),
        sa.Column("agency", sa.UnicodeText, nullable=False, server_default=""),
        sa.Column("first_provided", sa.UnicodeText, nullable=False, server_default=""),
        sa.Column("frequency", sa.UnicodeText, nullable=False, server_default=""),
        sa.Column("source", sa.UnicodeText, nullable=False, server_default=""),
        sa.Column("notes", sa.UnicodeText, nullable=False, server_default=""),
        sa.Column("extraction_note", sa.UnicodeText, nullable=False, server_default=""),
        sa.UniqueConstraint("catalog_id", "theme_number", "number", "part",
                            name="opendata_vn_catalog_entry_row_key"),
    )


def downgrade():
    op.drop_table("opendata_vn_catalog_entry")
    op.drop_table("opendata_vn_catalog")
