"""Import an appendix workbook as a catalog, and export a catalog as one.

Used by the `ckan opendata import-catalog/export-catalog` commands, the
`opendata_vn_catalog_import` action and the IT staff's web page.
"""
from __future__ import annotations

from ckan import model

from ckanext.opendata_vn.core import vocab
from ckanext.opendata_vn.catalog import agencies
from ckanext.opendata_vn.catalog.loader import Summary, load_catalog
from ckanext.opendata_vn.catalog.workbook import WorkbookError, read_appendix, write_appendix
from ckanext.opendata_vn.catalog.model import Catalog


def catalog_meta(appendix, *, province: str | None = None, year: int | None = None, key: str | None = None,
                 title: str | None = None, kind: str | None = None, document_number: str = "",
                 document_date: str = "", issuer: str = "") -> dict:
    """Catalog metadata: what the caller gives, else (re-importing an existing catalog)
    what the portal has, else what the title rows state."""
    guessed = appendix.guess_meta()
    existing = model.Session.query(Catalog).filter_by(key=key).first() if key else None
    if existing is not None:
        province = province or existing.province
        year = year or existing.year
        title = title or existing.title
        kind = kind or existing.kind
        document_number = document_number or existing.document_number
        document_date = document_date or existing.document_date
        issuer = issuer or existing.issuer
    province = vocab.nfc(province or guessed.get("province") or "")
    year = year or guessed.get("year")
    if not province or not year:
        raise WorkbookError("Chưa biết tỉnh và năm của danh mục: nhập tỉnh và năm "
                            "(tiêu đề bảng không ghi \"… tỉnh … năm …\").")
    return {
        "key": key or agencies.slug(f"{province} {year}"),
        "province": province, "year": int(year), "period": existing.period if existing else str(year), "kind": kind or "decision",
        "title": vocab.nfc(title) or f"Danh mục dữ liệu mở tỉnh {province} năm {year}",
        "document_number": vocab.nfc(document_number), "document_date": document_date,
        "issuer": vocab.nfc(issuer) or f"UBND tỉnh {province}",
        "legal_basis": list(existing.legal_basis or []) if existing else [],
        "source_file": "", "notes": "",
    }


def import_workbook(content: bytes, filename: str, *, user: str, sheet=None, header_row: int | None = None,
                    theme_map: dict | None = None, **meta_args) -> Summary:
    """`theme_map`: heading as written → theme code, as IT staff mapped it in the preview."""
    from ckanext.opendata_vn.core.tabular.preview import with_theme_map
    appendix = read_appendix(content, sheet, header_row)
    meta = catalog_meta(appendix, **meta_args)
    meta["source_file"] = filename
    return load_catalog(filename, meta, with_theme_map(appendix.rows, theme_map), user=user)


def export_workbook(key: str) -> tuple[Catalog, bytes]:
    catalog = model.Session.query(Catalog).filter_by(key=key).first()
    if catalog is None:
        raise KeyError(key)
    entries = [e.row() for e in catalog.entries]
    # part 0 means "not split": the sheet shows the number on every part row instead
    return catalog, write_appendix(catalog.as_dict(), entries)
