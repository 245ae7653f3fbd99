"""Transition history: who did what, when, with which comment (one row per event)."""
from __future__ import annotations

import sqlalchemy as sa

import ckan.plugins.toolkit as tk
from ckan import model

from ckanext.opendata_vn.core.clock import new_id, utcnow


class WorkflowEvent(tk.BaseModel):
    __tablename__ = "opendata_vn_workflow_event"

    id = sa.Column(sa.UnicodeText, primary_key=True, default=new_id)
    catalog_id = sa.Column(sa.UnicodeText, sa.ForeignKey("opendata_vn_catalog.id", ondelete="CASCADE"),
                           nullable=True, index=True)
    entry_id = sa.Column(sa.UnicodeText, nullable=True, index=True)
    package_id = sa.Column(sa.UnicodeText, nullable=True, index=True)
    agency_id = sa.Column(sa.UnicodeText, nullable=True)
    entry_title = sa.Column(sa.UnicodeText, nullable=False, default="")
    action = sa.Column(sa.UnicodeText, nullable=False)
    from_state = sa.Column(sa.UnicodeText, nullable=False, default="")
    to_state = sa.Column(sa.UnicodeText, nullable=False, default="")
    user_id = sa.Column(sa.UnicodeText, nullable=True)
    user_name = sa.Column(sa.UnicodeText, nullable=False, default="")
    comment = sa.Column(sa.UnicodeText, nullable=False, default="")
    created = sa.Column(sa.DateTime, nullable=False, default=utcnow)

    def as_dict(self) -> dict:
        user = model.User.get(self.user_id) if self.user_id else None
        return {
            "id": self.id, "catalog_id": self.catalog_id, "entry_id": self.entry_id,
            "package_id": self.package_id, "agency_id": self.agency_id,
            "entry_title": self.entry_title, "action": self.action,
            "from_state": self.from_state, "to_state": self.to_state,
            "user": self.user_name, "user_display_name": (user.display_name if user else self.user_name),
            "comment": self.comment, "created": self.created.isoformat(),
        }


def record(user_name: str | None, action: str, *, catalog_id=None, entry=None, package_id=None,
           agency_id=None, from_state="", to_state="", comment="", entry_title="") -> WorkflowEvent:
    user = model.User.get(user_name) if user_name else None
    if entry is not None:
        package_id = package_id or entry.package_id
        catalog_id = catalog_id or entry.catalog_id
        entry_title = entry_title or entry.title
    if agency_id is None and package_id:
        pkg = model.Package.get(package_id)
        agency_id = pkg.owner_org if pkg else None
    event = WorkflowEvent(catalog_id=catalog_id, entry_id=entry.id if entry is not None else None,
                          package_id=package_id, agency_id=agency_id, entry_title=entry_title or "",
                          action=action, from_state=from_state or "", to_state=to_state or "",
                          user_id=user.id if user else None, user_name=user.name if user else (user_name or ""),
                          comment=comment or "")
    model.Session.add(event)
    return event


def catalog_history(catalog_id: str, agency_ids: set[str] | None = None) -> list[dict]:
    """Events of a catalog, newest first; `agency_ids` limits entry events to those agencies."""
    query = model.Session.query(WorkflowEvent).filter(WorkflowEvent.catalog_id == catalog_id)
    events = query.order_by(WorkflowEvent.created.desc(), WorkflowEvent.id).all()
    if agency_ids is not None:
        events = [e for e in events if e.entry_id is None or e.agency_id in agency_ids]
    return [e.as_dict() for e in events]


def last_comment(entry_id: str) -> dict | None:
    event = (model.Session.query(WorkflowEvent)
             .filter(WorkflowEvent.entry_id == entry_id, WorkflowEvent.comment != "")
             .order_by(WorkflowEvent.created.desc()).first())
    return event.as_dict() if event else None
