"""The portal's own tables: catalogs (a decision or plan appendix) and their entries.

A dataset can be listed in several catalogs (docs/decisions.md §2), so membership is its
own record keeping the entry's number, theme and column values as the document
stated them; the dataset carries the current, curated values.
"""
from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import relationship

import ckan.plugins.toolkit as tk

from ckanext.opendata_vn.core.clock import new_id, utcnow


class Catalog(tk.BaseModel):
    __tablename__ = "opendata_vn_catalog"

    id = sa.Column(sa.UnicodeText, primary_key=True, default=new_id)
    key = sa.Column(sa.UnicodeText, nullable=False, unique=True)
    province = sa.Column(sa.UnicodeText, nullable=False)
    year = sa.Column(sa.Integer, nullable=False)
    period = sa.Column(sa.UnicodeText, nullable=False, default="")
    kind = sa.Column(sa.UnicodeText, nullable=False, default="decision")
    title = sa.Column(sa.UnicodeText, nullable=False)
    document_number = sa.Column(sa.UnicodeText, nullable=False, default="")
    document_date = sa.Column(sa.UnicodeText, nullable=False, default="")
    issuer = sa.Column(sa.UnicodeText, nullable=False, default="")
    legal_basis = sa.Column(sa.JSON, nullable=False, default=list)
    source_file = sa.Column(sa.UnicodeText, nullable=False, default="")
    notes = sa.Column(sa.UnicodeText, nullable=False, default="")
    state = sa.Column(sa.UnicodeText, nullable=False, default="published")
    created = sa.Column(sa.DateTime, nullable=False, default=utcnow)
    modified = sa.Column(sa.DateTime, nullable=False, default=utcnow, onupdate=utcnow)
    # Annual catalog workflow (workflow/, migration 0002): the published catalog an
    # amendment changes; states are draft → approved → published (seeds: published).
    amends_id = sa.Column(sa.UnicodeText, sa.ForeignKey("opendata_vn_catalog.id", ondelete="SET NULL"),
                          nullable=True)

    entries = relationship("CatalogEntry", back_populates="catalog", cascade="all, delete-orphan",
                           order_by="CatalogEntry.position")

    def as_dict(self) -> dict:
        return {
            "id": self.id, "key": self.key, "province": self.province, "year": self.year,
            "period": self.period, "kind": self.kind, "title": self.title,
            "document_number": self.document_number, "document_date": self.document_date,
            "issuer": self.issuer, "legal_basis": list(self.legal_basis or []),
            "source_file": self.source_file, "notes": self.notes, "state": self.state,
        }


class CatalogEntry(tk.BaseModel):
    __tablename__ = "opendata_vn_catalog_entry"
    __table_args__ = (
        sa.UniqueConstraint("catalog_id", "theme_number", "number", "part",
                            name="opendata_vn_catalog_entry_row_key"),
    )
    # Column values as the document stated them (the approved catalog stays as listed).
    ROW_COLUMNS = ("number", "part", "theme_number", "theme", "title", "description", "agency",
                   "first_provided", "frequency", "source", "notes", "extraction_note")

    id = sa.Column(sa.UnicodeText, primary_key=True, default=new_id)
    catalog_id = sa.Column(sa.UnicodeText, sa.ForeignKey("opendata_vn_catalog.id", ondelete="CASCADE"),
                           nullable=False, index=True)
    package_id = sa.Column(sa.UnicodeText, sa.ForeignKey("package.id", ondelete="CASCADE"),
                           nullable=False, index=True)
    position = sa.Column(sa.Integer, nullable=False, default=0)
    number = sa.Column(sa.UnicodeText, nullable=False, default="")
    # 0 for a row that is not split into parts (a NULL would defeat the unique key)
    part = sa.Column(sa.Integer, nullable=False, default=0)
    theme_number = sa.Column(sa.UnicodeText, nullable=False, default="")
    theme = sa.Column(sa.UnicodeText, nullable=False, default="")
    title = sa.Column(sa.UnicodeText, nullable=False)
    description = sa.Column(sa.UnicodeText, nullable=False, default="")
    agency = sa.Column(sa.UnicodeText, nullable=False, default="")
    first_provided = sa.Column(sa.UnicodeText, nullable=False, default="")
    frequency = sa.Column(sa.UnicodeText, nullable=False, default="")
    source = sa.Column(sa.UnicodeText, nullable=False, default="")
    notes = sa.Column(sa.UnicodeText, nullable=False, default="")
    extraction_note = sa.Column(sa.UnicodeText, nullable=False, default="")
    # Review state of the entry (workflow/, migration 0002): draft, submitted, returned,
    # approved. Rows of a loaded (published) document are approved.
    state = sa.Column(sa.UnicodeText, nullable=False, default="approved", server_default="approved")

    catalog = relationship("Catalog", back_populates="entries")

    def row(self) -> dict:
        return {c: getattr(self, c) for c in self.ROW_COLUMNS}

    def as_dict(self) -> dict:
        catalog = self.catalog
        return {
            **self.row(),
            "catalog_key": catalog.key, "catalog_title": catalog.title,
            "catalog_year": catalog.year, "province": catalog.province,
            "document_number": catalog.document_number, "document_date": catalog.document_date,
            "legal_basis": list(catalog.legal_basis or []), "catalog_state": catalog.state,
        }


def entries_for_package(package_id: str) -> list[CatalogEntry]:
    return entries_for_packages([package_id]).get(package_id, [])


def entries_for_packages(package_ids: list[str]) -> dict[str, list[CatalogEntry]]:
    """Each package's entries with their catalogs, oldest catalog first: one query
    for a whole page of search results."""
    from ckan import model
    from sqlalchemy.orm import contains_eager
    found: dict[str, list[CatalogEntry]] = {}
    if not package_ids:
        return found
    rows = (model.Session.query(CatalogEntry).join(Catalog).options(contains_eager(CatalogEntry.catalog))
            .filter(CatalogEntry.package_id.in_(list(package_ids)))
            .order_by(Catalog.year, Catalog.key).all())
    for entry in rows:
        found.setdefault(entry.package_id, []).append(entry)
    return found
