"""Actions (registered through IActions)."""
from __future__ import annotations

import ckan.plugins.toolkit as tk


# package_show adds these read-only keys; a client that sends a shown dataset back
# (show → edit → update, or package_patch) must not be rejected for them.
READ_ONLY_KEYS = ("catalog_entries",)


def _strip_read_only(data_dict: dict) -> dict:
    return {k: v for k, v in data_dict.items() if k not in READ_ONLY_KEYS}


# outermost of the package_create/update chains (plugin.py composes them in FEATURES
# order): the loader's guard-and-load (loader/hooks.py) runs inside, on the cleaned dict
@tk.chained_action
def package_create(original_action, context, data_dict):
    return original_action(context, _strip_read_only(data_dict))


@tk.chained_action
def package_update(original_action, context, data_dict):
    return original_action(context, _strip_read_only(data_dict))


CONTACT_KEYS = ("focal_officer_email", "focal_officer_phone")


def _hide_contact(context, org: dict) -> dict:
    """Focal officers' phone and email: logged-in staff only unless the agency publishes them."""
    if context.get("user") or str(org.get("contact_public")).lower() == "true":
        return org
    return {k: v for k, v in org.items() if k not in CONTACT_KEYS}


@tk.side_effect_free
@tk.chained_action
def organization_show(original_action, context, data_dict):
    # inside: dataset counts from PostgreSQL while Solr is unreachable (resilience/groups.py)
    return _hide_contact(context, original_action(context, data_dict))


@tk.side_effect_free
@tk.chained_action
def organization_list(original_action, context, data_dict):
    result = original_action(context, data_dict)
    return [_hide_contact(context, o) if isinstance(o, dict) else o for o in result]


def _reading_options(data_dict: dict) -> tuple:
    """(sheet: name or 0-based index, header_row: 1-based, theme_map: heading → code)."""
    import json
    from ckanext.opendata_vn.core import vocab
    sheet = data_dict.get("sheet") or None
    if isinstance(sheet, str) and sheet.isdigit():
        sheet = int(sheet) - 1
    header_row = data_dict.get("header_row")
    try:
        header_row = int(header_row) if header_row not in (None, "") else None
    except ValueError:
        raise tk.ValidationError({"header_row": [tk._("Dòng tiêu đề phải là số dòng trong Excel, vd. 8.")]})
    theme_map = data_dict.get("theme_map") or {}
    if isinstance(theme_map, str):
        try:
            theme_map = json.loads(theme_map)
        except ValueError:
            theme_map = None
    if not isinstance(theme_map, dict) or any(v not in vocab.THEME_BY_CODE for v in theme_map.values() if v):
        raise tk.ValidationError({"theme_map": [tk._("Chủ đề chọn cho tiêu đề mục không có trong danh sách chủ đề.")]})
    return sheet, header_row, {k: v for k, v in theme_map.items() if v}


def _upload_content(data_dict: dict) -> tuple[bytes, str]:
    upload = data_dict.get("upload")
    if upload is None or not hasattr(upload, "read"):
        raise tk.ValidationError({"upload": [tk._("Chọn tệp Excel phụ lục danh mục để tải lên.")]})
    return upload.read(), getattr(upload, "filename", None) or "phu-luc.xlsx"


def catalog_import_preview(context, data_dict):
    """What importing an appendix workbook would do, without writing anything.

    :param upload: the .xlsx/.xls/.ods file (multipart upload)
    :param sheet, header_row: optional, as for opendata_vn_catalog_import
    :param theme_map: optional {heading as written: theme code}
    :returns: rows as read (first 20), header, what was ignored and why, each theme
        heading with the themes it maps to, warnings, errors, personal data named
    """
    from ckanext.opendata_vn.catalog.appendix import appendix_preview
    from ckanext.opendata_vn.catalog.workbook import WorkbookError, read_appendix

    tk.check_access("opendata_vn_catalog_import", context, data_dict)
    content, filename = _upload_content(data_dict)
    sheet, header_row, theme_map = _reading_options(data_dict)
    try:
        appendix = read_appendix(content, sheet, header_row)
    except WorkbookError as e:
        raise tk.ValidationError({"upload": [f"{filename}: {e}"]})
    return dict(appendix_preview(appendix, theme_map), filename=filename)


def catalog_import(context, data_dict):
    """Import an appendix workbook (Phụ lục Danh mục) as a catalog.

    :param upload: the .xlsx/.xls file (multipart upload)
    :param province: the catalog's province (else read from the title rows)
    :param year: the catalog year (else read from the title rows)
    :param key: stable catalog key (default: province-year)
    :param title, kind, document_number, document_date, issuer, sheet: optional
    :param header_row: the header's row number in the sheet (else found)
    :param theme_map: {heading as written: theme code} for headings IT staff mapped
    :returns: counts created / updated / unchanged / rejected and the rows flagged
    :raises ValidationError: naming the workbook problem, or every bad row
    """
    from ckanext.opendata_vn.catalog.appendix import import_workbook
    from ckanext.opendata_vn.catalog.loader import CatalogRejected
    from ckanext.opendata_vn.catalog.workbook import WorkbookError

    tk.check_access("opendata_vn_catalog_import", context, data_dict)
    content, filename = _upload_content(data_dict)
    year = data_dict.get("year")
    try:
        year = int(year) if year not in (None, "") else None
    except ValueError:
        raise tk.ValidationError({"year": [tk._("Năm phải là số, vd. 2025.")]})
    sheet, header_row, theme_map = _reading_options(data_dict)
    try:
        summary = import_workbook(
            content, filename, user=context["user"], sheet=sheet, header_row=header_row, theme_map=theme_map,
            province=data_dict.get("province") or None, year=year, key=data_dict.get("key") or None,
            title=data_dict.get("title") or None, kind=data_dict.get("kind") or None,
            document_number=data_dict.get("document_number") or "",
            document_date=data_dict.get("document_date") or "", issuer=data_dict.get("issuer") or "")
    except WorkbookError as e:
        raise tk.ValidationError({"upload": [f"{filename}: {e}"]})
    except CatalogRejected as e:
        raise tk.ValidationError({"rows": [str(err) for err in e.errors]})
    return {"catalog": summary.catalog, "created": summary.created, "updated": summary.updated,
            "unchanged": summary.unchanged, "rejected": summary.rejected,
            "agencies_created": summary.agencies_created, "flagged": summary.flagged}


def get_actions():
    return {"package_create": package_create, "package_update": package_update,
            "organization_show": organization_show, "organization_list": organization_list,
            "opendata_vn_catalog_import": catalog_import,
            "opendata_vn_catalog_import_preview": catalog_import_preview}
