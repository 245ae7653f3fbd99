"""Tables of migration 0003_feedback_requests."""
from __future__ import annotations


import sqlalchemy as sa

import ckan.plugins.toolkit as tk

from ckanext.opendata_vn.core.clock import new_id as _uuid, utcnow as _now

# Problem categories a citizen picks from (the label lists live in feedback/logic.py)
CATEGORIES = ("wrong_data", "outdated", "broken_link", "personal_data", "format", "other")
STATES = ("open", "answered", "closed")
CLOSE_REASONS = ("fulfilled", "planned", "declined", "duplicate", "spam")



class Feedback(tk.BaseModel):
    """A problem report on a dataset."""
    __tablename__ = "opendata_vn_feedback"

    id = sa.Column(sa.UnicodeText, primary_key=True, default=_uuid)
    package_id = sa.Column(sa.UnicodeText, sa.ForeignKey("package.id", ondelete="CASCADE"),
                           nullable=False, index=True)
    category = sa.Column(sa.UnicodeText, nullable=False, default="other")
    message = sa.Column(sa.UnicodeText, nullable=False)
    contact_name = sa.Column(sa.UnicodeText, nullable=False, default="")
    contact_email = sa.Column(sa.UnicodeText, nullable=False, default="")
    user_id = sa.Column(sa.UnicodeText, nullable=True)
    address_hash = sa.Column(sa.UnicodeText, nullable=False, default="")
    state = sa.Column(sa.UnicodeText, nullable=False, default="open")
    reply = sa.Column(sa.UnicodeText, nullable=False, default="")
    replied_by = sa.Column(sa.UnicodeText, nullable=False, default="")
    replied_at = sa.Column(sa.DateTime, nullable=True)
    created = sa.Column(sa.DateTime, nullable=False, default=_now)
    modified = sa.Column(sa.DateTime, nullable=False, default=_now, onupdate=_now)


class Rating(tk.BaseModel):
    """One usefulness score (1–5) per voter and dataset; voting again replaces it."""
    __tablename__ = "opendata_vn_rating"
    __table_args__ = (sa.UniqueConstraint("package_id", "voter", name="opendata_vn_rating_once"),)

    id = sa.Column(sa.UnicodeText, primary_key=True, default=_uuid)
    package_id = sa.Column(sa.UnicodeText, sa.ForeignKey("package.id", ondelete="CASCADE"),
                           nullable=False, index=True)
    voter = sa.Column(sa.UnicodeText, nullable=False)
    score = sa.Column(sa.Integer, nullable=False)
    created = sa.Column(sa.DateTime, nullable=False, default=_now)
    modified = sa.Column(sa.DateTime, nullable=False, default=_now, onupdate=_now)


class DataRequest(tk.BaseModel):
    """A request for data the portal does not publish yet."""
    __tablename__ = "opendata_vn_data_request"

    id = sa.Column(sa.UnicodeText, primary_key=True, default=_uuid)
    title = sa.Column(sa.UnicodeText, nullable=False)
    description = sa.Column(sa.UnicodeText, nullable=False, default="")
    reason = sa.Column(sa.UnicodeText, nullable=False, default="")
    organization_id = sa.Column(sa.UnicodeText, sa.ForeignKey("group.id", ondelete="SET NULL"),
                                nullable=True, index=True)
    contact_name = sa.Column(sa.UnicodeText, nullable=False, default="")
    contact_email = sa.Column(sa.UnicodeText, nullable=False, default="")
    contact_phone = sa.Column(sa.UnicodeText, nullable=False, default="")
    user_id = sa.Column(sa.UnicodeText, nullable=True)
    address_hash = sa.Column(sa.UnicodeText, nullable=False, default="")
    state = sa.Column(sa.UnicodeText, nullable=False, default="open")
    close_reason = sa.Column(sa.UnicodeText, nullable=False, default="")
    reply = sa.Column(sa.UnicodeText, nullable=False, default="")
    replied_by = sa.Column(sa.UnicodeText, nullable=False, default="")
    replied_at = sa.Column(sa.DateTime, nullable=True)
    package_id = sa.Column(sa.UnicodeText, sa.ForeignKey("package.id", ondelete="SET NULL"), nullable=True)
    vote_count = sa.Column(sa.Integer, nullable=False, default=0)
    created = sa.Column(sa.DateTime, nullable=False, default=_now)
    modified = sa.Column(sa.DateTime, nullable=False, default=_now, onupdate=_now)


class DataRequestVote(tk.BaseModel):
    __tablename__ = "opendata_vn_data_request_vote"

    request_id = sa.Column(sa.UnicodeText, sa.ForeignKey("opendata_vn_data_request.id", ondelete="CASCADE"),
                           primary_key=True)
    voter = sa.Column(sa.UnicodeText, primary_key=True)
    created = sa.Column(sa.DateTime, nullable=False, default=_now)
