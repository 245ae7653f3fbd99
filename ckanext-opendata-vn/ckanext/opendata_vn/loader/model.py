"""The load state of a resource's DataStore table (migrations 0006_datastore_load,
0008_datastore_load_reading).

One row per resource that the upload loader queued at least once; the resource page
shows it and the officer's retry button acts on it. Kept out of the resource's extras:
writing those would re-run every resource hook and reindex the dataset on each step.
"""
from __future__ import annotations

import sqlalchemy as sa

import ckan.plugins.toolkit as tk

from ckanext.opendata_vn.core.clock import utcnow

QUEUED, LOADING, LOADED, FAILED, HELD = "queued", "loading", "loaded", "failed", "held"
STATES = (QUEUED, LOADING, LOADED, FAILED, HELD)


class DatastoreLoad(tk.BaseModel):
    __tablename__ = "opendata_vn_datastore_load"

    resource_id = sa.Column(sa.UnicodeText, primary_key=True)
    state = sa.Column(sa.UnicodeText, nullable=False, default=QUEUED)
    rows = sa.Column(sa.BigInteger, nullable=True)
    cause = sa.Column(sa.UnicodeText, nullable=False, default="")        # core/failures.py cause code
    message_vi = sa.Column(sa.UnicodeText, nullable=False, default="")
    message_en = sa.Column(sa.UnicodeText, nullable=False, default="")
    requested_by = sa.Column(sa.UnicodeText, nullable=False, default="")
    queued_at = sa.Column(sa.DateTime, nullable=False, default=utcnow)
    started_at = sa.Column(sa.DateTime, nullable=True)
    finished_at = sa.Column(sa.DateTime, nullable=True)
    loaded_at = sa.Column(sa.DateTime, nullable=True)                   # the table in place now
    loaded_rows = sa.Column(sa.BigInteger, nullable=True)
    # how the table in place was read: {"sheet", "header_row", "header_lines", "chosen":
    # {"sheet", "header_row"}, "guesses": [reader.Guess.as_dict()]}
    reading = sa.Column(sa.JSON, nullable=True)
