"""The pending re-index record of migration 0005_search_pending."""
from __future__ import annotations

import sqlalchemy as sa

import ckan.plugins.toolkit as tk


class SearchPending(tk.BaseModel):
    """A dataset whose last change could not be sent to Solr."""
    __tablename__ = "opendata_vn_search_pending"

    package_id = sa.Column(sa.UnicodeText, primary_key=True)
    recorded = sa.Column(sa.DateTime, nullable=False)
    error = sa.Column(sa.UnicodeText, nullable=False, default="")
