"""Import an appendix workbook as a catalog (after previewing what the import would
do), and export a catalog as one.

Used by the `ckan opendata import-catalog/export-catalog` commands, the
`opendata_vn_catalog_import` action and the IT staff's web page.
"""
from __future__ import annotations

from ckan import model

from ckanext.opendata_vn.core import vocab
from ckanext.opendata_vn.core.tabular.preview import PREVIEW_ROWS
from ckanext.opendata_vn.catalog import agencies
from ckanext.opendata_vn.catalog.loader import Summary, load_catalog
from ckanext.opendata_vn.catalog.model import Catalog
from ckanext.opendata_vn.catalog.rows import plan_row
from ckanext.opendata_vn.catalog.themes import heading_themes
from ckanext.opendata_vn.catalog.workbook import WorkbookError, read_appendix, write_appendix


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
    return import_appendix(read_appendix(content, sheet, header_row), filename, user=user, theme_map=theme_map,
                           **meta_args)


def import_appendix(appendix, filename: str, *, user: str, theme_map: dict | None = None, **meta_args) -> Summary:
    """An appendix already read (the command shows how it was read first)."""
    meta = catalog_meta(appendix, **meta_args)
    meta["source_file"] = filename
    return load_catalog(filename, meta, with_theme_map(appendix.rows, theme_map), user=user)


def appendix_preview(appendix, theme_map: dict | None = None) -> dict:
    """An appendix workbook as the import will read it: rows, each theme heading and
    the theme(s) it maps to, warnings and errors the import would report, and the
    personal data its field lists name."""
    from ckanext.opendata_vn.core.tabular.personal_data import describe_fields
    theme_map = theme_map or {}
    headings = []
    for heading in dict.fromkeys(r["theme"] for r in appendix.rows):
        options = heading_themes(heading)
        headings.append({"heading": heading, "themes": [t.code for t in options],
                         "chosen": theme_map.get(heading) or "",
                         "matched": [t.title_vi for t in options]})
    warnings, errors, personal = [], [], []
    for position, row in enumerate(with_theme_map(appendix.rows, theme_map), start=1):
        entry, row_errors = plan_row(position, dict(row), "")
        errors.extend(str(e) for e in row_errors)
        if entry is not None:
            warnings.extend(f"Dòng {entry.line} (TT {row.get('number')}): {flag}" for flag in entry.flags)
            found = describe_fields(entry.dataset.get("data_fields") or [])
            if found:
                personal.append(f"Dòng {entry.line} (TT {row.get('number')}) «{row['title']}»: "
                                + ", ".join(sorted({f.label_vi.lower() for f in found})))
    return {
        "sheet": appendix.sheet, "header_row": appendix.header_row, "header": appendix.header,
        "row_count": len(appendix.rows),
        "rows": [{k: r.get(k) for k in ("_sheet_row", "theme_number", "theme", "number", "title", "agency",
                                        "first_provided", "frequency")} for r in appendix.rows[:PREVIEW_ROWS]],
        "guesses": [g.as_dict() for g in appendix.guesses],
        "headings": headings, "warnings": warnings, "errors": errors, "personal": personal,
        "meta": appendix.guess_meta(), "theme_choices": [(t.code, t.title_vi) for t in vocab.THEMES],
    }


def with_theme_map(rows: list[dict], theme_map: dict | None) -> list[dict]:
    """Rows with the theme IT staff chose for their heading (plan_row reads "theme_code")."""
    if not theme_map:
        return rows
    return [dict(r, theme_code=theme_map[r["theme"]]) if theme_map.get(r["theme"]) else r for r in rows]


def export_workbook(key: str) -> tuple[Catalog, bytes]:
    catalog = model.Session.query(Catalog).filter_by(key=key).first()
    if catalog is None:
        raise KeyError(key)
    entries = [e.row() for e in catalog.entries]
    # part 0 means "not split": the sheet shows the number on every part row instead
    return catalog, write_appendix(catalog.as_dict(), entries)
