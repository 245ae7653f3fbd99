"""The review record of migration 0004_privacy_review."""
from __future__ import annotations


import sqlalchemy as sa

import ckan.plugins.toolkit as tk

from ckanext.opendata_vn.core.clock import new_id as _uuid, utcnow as _now

PENDING, PUBLISHED, REDUCED, REJECTED, SUPERSEDED = "pending", "published", "reduced", "rejected", "superseded"
STATES = (PENDING, PUBLISHED, REDUCED, REJECTED, SUPERSEDED)
PUBLISH, REMOVE, MASK, REJECT = "publish", "remove", "mask", "reject"
DECISIONS = (PUBLISH, REMOVE, MASK, REJECT)
STATE_OF = {PUBLISH: PUBLISHED, REMOVE: REDUCED, MASK: REDUCED, REJECT: REJECTED}
HARVEST, UPLOAD = "harvest", "upload"
UNREADABLE, ARCHIVE = "unreadable", "archive"    # held_reason of a file held as a whole



class PrivacyReview(tk.BaseModel):
    """A table held back until an IT reviewer decides what of it may be public."""
    __tablename__ = "opendata_vn_privacy_review"

    id = sa.Column(sa.UnicodeText, primary_key=True, default=_uuid)
    package_id = sa.Column(sa.UnicodeText, sa.ForeignKey("package.id", ondelete="CASCADE"),
                           nullable=False, index=True)
    origin = sa.Column(sa.UnicodeText, nullable=False)
    source_key = sa.Column(sa.UnicodeText, nullable=False, index=True)
    resource_id = sa.Column(sa.UnicodeText, nullable=True)
    state = sa.Column(sa.UnicodeText, nullable=False, default=PENDING)
    findings = sa.Column(sa.JSON, nullable=False, default=list)
    columns = sa.Column(sa.JSON, nullable=False, default=list)
    row_count = sa.Column(sa.Integer, nullable=False, default=0)
    content_sha256 = sa.Column(sa.UnicodeText, nullable=False, default="")
    original_name = sa.Column(sa.UnicodeText, nullable=False, default="")
    original_format = sa.Column(sa.UnicodeText, nullable=False, default="")
    created_by = sa.Column(sa.UnicodeText, nullable=False, default="")
    created = sa.Column(sa.DateTime, nullable=False, default=_now)
    waiting_since = sa.Column(sa.DateTime, nullable=False, default=_now)
    decision = sa.Column(sa.UnicodeText, nullable=True)
    reason = sa.Column(sa.UnicodeText, nullable=False, default="")
    decided_columns = sa.Column(sa.JSON, nullable=True)
    reviewed_columns = sa.Column(sa.JSON, nullable=True)
    decided_by = sa.Column(sa.UnicodeText, nullable=True)
    decided_at = sa.Column(sa.DateTime, nullable=True)
    notified = sa.Column(sa.UnicodeText, nullable=False, default="")
    # "" (personal columns), UNREADABLE or ARCHIVE (migration 0006): a file held as a whole
    held_reason = sa.Column(sa.UnicodeText, nullable=False, default="")
    held_detail = sa.Column(sa.JSON, nullable=True)      # {"vi", "en"}: why it could not be read

    @property
    def flagged_columns(self) -> list[str]:
        return [f["column"] for f in self.findings or []]

    def kinds(self) -> dict[str, str]:
        return {f["column"]: f["kind"] for f in self.findings or []}
