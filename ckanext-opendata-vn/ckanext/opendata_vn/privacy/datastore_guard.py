"""The personal-data guard on the DataStore write API: `datastore_create` and
`datastore_upsert` with records whose field names or values personal_data.py flags are refused,
naming the columns and what to do — the DataStore is public as soon as rows are in it,
so there is nothing to hold. A resource whose table an IT reviewer published as is
(`personal_data_status` "published") may be written to."""
from __future__ import annotations

import ckan.plugins.toolkit as tk
from ckan import model

from ckanext.opendata_vn.privacy import staging
from ckanext.opendata_vn.core.tabular.personal_data import KINDS, detect
from ckanext.opendata_vn.privacy.model import PUBLISHED
from ckanext.opendata_vn.privacy.review import STATUS_KEY

SAMPLE_RECORDS = 1000


def _headers(data_dict: dict, records: list) -> list[str]:
    names = [str(f.get("id")) for f in data_dict.get("fields") or [] if isinstance(f, dict) and f.get("id")]
    seen = set(names)
    for record in records[:SAMPLE_RECORDS]:
        for key in record if isinstance(record, dict) else ():
            if key not in seen:
                seen.add(key)
                names.append(str(key))
    return [n for n in names if not n.startswith("_")]


def _cleared(data_dict: dict) -> bool:
    rid = data_dict.get("resource_id")
    res = model.Session.get(model.Resource, rid) if rid else None
    return res is not None and (res.extras or {}).get(STATUS_KEY) == PUBLISHED


def findings(data_dict: dict) -> list:
    records = data_dict.get("records") or []
    if not isinstance(records, list) or not records:
        # fields alone (a new empty table, a data dictionary edit) hold nobody's data;
        # the rows that come later are checked here with their column names
        return []
    headers = _headers(data_dict, records)
    if not headers:
        return []
    rows = ([r.get(h) for h in headers] for r in records[:SAMPLE_RECORDS] if isinstance(r, dict))
    found = detect([staging._words(h) for h in headers], rows)
    original = {staging._words(h): h for h in headers}
    for f in found:
        f.column = original.get(f.column, f.column)
    return found


def refuse_personal(data_dict: dict) -> None:
    found = findings(data_dict)
    if not found or _cleared(data_dict):
        return
    try:
        lang = tk.h.lang()
    except Exception:   # no request (a command): Vietnamese
        lang = "vi"
    columns = ", ".join(f"{f.column} ({(f.label_vi if lang != 'en' else KINDS[f.kind].label_en).lower()})"
                        for f in found)
    raise tk.ValidationError({"records": [tk._(
        "Dữ liệu có cột chứa dữ liệu cá nhân (Nghị định 13/2023/NĐ-CP): {columns}. Không ghi vào DataStore; "
        "hãy bỏ các cột này, hoặc tải tệp lên tài nguyên để cán bộ Sở rà soát.").format(columns=columns)]})


@tk.chained_action
def datastore_create(next_action, context, data_dict):
    refuse_personal(data_dict)
    return next_action(context, data_dict)


@tk.chained_action
def datastore_upsert(next_action, context, data_dict):
    refuse_personal(data_dict)
    return next_action(context, data_dict)


def get_actions() -> dict:
    return {"datastore_create": datastore_create, "datastore_upsert": datastore_upsert}
