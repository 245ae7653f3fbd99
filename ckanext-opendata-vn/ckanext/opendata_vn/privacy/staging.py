"""Tables held back for a personal-data decision, and the reduced tables made from them.

A held table lives in `ckan.storage_path/privacy/<review id>/` — not a resource, not
the DataStore, not reachable over HTTP except by an IT reviewer:

    original.<ext>   the file as the agency provided it (workbook, CSV, JSON)
    data.csv         the typed table as the harvester writes it (tabular.write_csv)
    columns.json     each column's name, type and DataStore id

The directory is removed once the table is published or rejected (nothing personal is
kept longer than the decision needs).
"""
from __future__ import annotations

import csv
import datetime
import json
import os
import shutil
import uuid

import ckan.plugins.toolkit as tk

from ckanext.opendata_vn.core.tabular import table as tabular
from ckanext.opendata_vn.core.tabular.table import Column, Table
from ckanext.opendata_vn.core.tabular.personal_data import Finding, detect, mask

DETECT_ROWS = 1000      # rows handed to detect() (it samples 200 values per column)
PREVIEW_ROWS = 5


def root() -> str:
    base = tk.config.get("ckan.storage_path") or ""
    if not base:
        import tempfile
        base = tempfile.gettempdir()
    return os.path.join(base, "privacy")


def directory(name: str) -> str:
    if not name or "/" in name or name.startswith("."):
        raise ValueError(name)
    return os.path.join(root(), name)


TMP_PREFIX = "tmp-"
TMP_MAX_AGE = 24 * 3600


def new_directory() -> tuple[str, str]:
    """(name, path) of a new, empty staging directory. Directories of uploads whose
    resource was never saved (a validation error after the check) are removed after
    a day."""
    _remove_stale()
    name = TMP_PREFIX + uuid.uuid4().hex
    path = directory(name)
    os.makedirs(path, mode=0o700)
    return name, path


def _remove_stale() -> None:
    import time
    try:
        entries = list(os.scandir(root()))
    except FileNotFoundError:
        return
    limit = time.time() - TMP_MAX_AGE
    for entry in entries:
        try:
            if entry.name.startswith(TMP_PREFIX) and entry.stat().st_mtime < limit:
                shutil.rmtree(entry.path, ignore_errors=True)
        except OSError:
            pass


def rename(name: str, new_name: str) -> str:
    target = directory(new_name)
    os.replace(directory(name), target)
    return target


def remove(name: str) -> None:
    shutil.rmtree(directory(name), ignore_errors=True)


def exists(name: str) -> bool:
    return os.path.isdir(directory(name))


# ----------------------------------------------------------------- detection
def _cell_text(kind: str, value) -> str | None:
    """A typed value as the agency wrote it, for the value patterns of personal_data.py
    (dates back to dd/mm/yyyy, so that a birth date column beside a name is seen)."""
    if value is None:
        return None
    if kind == tabular.DATE:
        return value.strftime("%d/%m/%Y")
    if kind == tabular.TIMESTAMP:
        return value.strftime("%d/%m/%Y")
    return tabular._as_text(value)


def _words(header: str) -> str:
    """API keys written in camelCase ("hoTen", "soDienThoai") as words for personal_data.py."""
    out = []
    for i, ch in enumerate(header):
        if i and ch.isupper() and header[i - 1].islower():
            out.append(" ")
        out.append(ch)
    return "".join(out)


def table_findings(table: Table) -> list[Finding]:
    """personal_data.py's findings for a typed table; also marks `Column.personal`."""
    sample = [[_cell_text(c.type, v) for v in values[:DETECT_ROWS]]
              for c, values in zip(table.columns, table.data)]
    headers = [_words(n) for n in table.names]
    findings = detect(headers, zip(*sample)) if sample else []
    original = dict(zip(headers, table.names))
    for f in findings:
        f.column = original.get(f.column, f.column)
    flagged = {f.column for f in findings}
    for col in table.columns:
        col.personal = col.name in flagged
    return findings


# ----------------------------------------------------------------- save / load
def save_table(table: Table, path: str, csv_path: str | None = None) -> str:
    """Write data.csv (or move the CSV already written for this table) and
    columns.json into `path`; returns the CSV's SHA-256."""
    target = os.path.join(path, "data.csv")
    if csv_path and os.path.exists(csv_path):
        os.replace(csv_path, target)
        import hashlib
        digest = hashlib.sha256()
        with open(target, "rb") as f:
            for chunk in iter(lambda: f.read(1 << 20), b""):
                digest.update(chunk)
        sha = digest.hexdigest()
    else:
        sha, _size = tabular.write_csv(table, target)
    with open(os.path.join(path, "columns.json"), "w", encoding="utf-8") as f:
        json.dump([c.as_dict() for c in table.columns], f, ensure_ascii=False)
    return sha


def save_original(path: str, source_path: str, ext: str, move: bool = True) -> str:
    ext = (ext or "bin").lower().lstrip(".")
    target = os.path.join(path, f"original.{ext}")
    if move:
        os.replace(source_path, target)
    else:
        shutil.copyfile(source_path, target)
    return target


def original_path(name: str) -> str | None:
    path = directory(name)
    for entry in sorted(os.listdir(path)) if os.path.isdir(path) else []:
        if entry.startswith("original."):
            return os.path.join(path, entry)
    return None


def csv_path(name: str) -> str:
    return os.path.join(directory(name), "data.csv")


_PARSE = {
    tabular.INT: int,
    tabular.NUMERIC: float,
    tabular.DATE: datetime.date.fromisoformat,
    tabular.TIMESTAMP: datetime.datetime.fromisoformat,
    tabular.BOOL: lambda v: v == "true",
}


def load_table(name: str, limit: int | None = None) -> Table:
    """The staged table with its types (the inverse of tabular.write_csv); `limit`:
    only the first rows."""
    path = directory(name)
    with open(os.path.join(path, "columns.json"), encoding="utf-8") as f:
        columns = [Column(name=c["name"], type=c["type"], ds_id=c["ds_id"], personal=c.get("personal", False))
                   for c in json.load(f)]
    data: list[list] = [[] for _ in columns]
    with open(os.path.join(path, "data.csv"), encoding="utf-8", newline="") as f:
        reader = csv.reader(f)
        next(reader, None)
        for n, row in enumerate(reader):
            if limit is not None and n >= limit:
                break
            for i in range(len(columns)):
                data[i].append(row[i] if i < len(row) else "")
    for i, col in enumerate(columns):
        parse = _PARSE.get(col.type)
        data[i] = [None if v == "" else (parse(v) if parse else v) for v in data[i]]
    return Table(columns=columns, data=data)


def masked_preview(name: str, kinds: dict[str, str], rows: int = PREVIEW_ROWS) -> dict:
    """The first rows of the staged table as text, every column in `kinds` masked."""
    try:
        table = load_table(name, limit=rows)
    except (FileNotFoundError, ValueError):
        return {"header": [], "rows": [], "flagged": []}
    text_cols = []
    for col, values in zip(table.columns, table.data):
        if col.name in kinds:
            text_cols.append([masked_cell(kinds[col.name], col.type, v) or "" for v in values])
        else:
            text_cols.append(tabular._text_column(col.type, values))
    return {"header": table.names, "rows": [list(r) for r in zip(*text_cols)],
            "flagged": [n in kinds for n in table.names]}


# ----------------------------------------------------------------- reduction
def masked_cell(kind: str | None, column_type: str, value) -> str | None:
    if value is None:
        return None
    text = _cell_text(column_type, value) or ""
    return mask(text, kind or "other")


def reduce(table: Table, decision: str, columns: list[str], kinds: dict[str, str]) -> Table:
    """The table without `columns` ("remove") or with their values masked ("mask")."""
    chosen = set(columns)
    out_cols: list[Column] = []
    out_data: list[list] = []
    for col, values in zip(table.columns, table.data):
        if col.name in chosen:
            if decision == "remove":
                continue
            kind = kinds.get(col.name)
            values = [masked_cell(kind, col.type, v) for v in values]
            col = Column(name=col.name, type=tabular.TEXT, ds_id=col.ds_id, personal=False)
        else:
            col = Column(name=col.name, type=col.type, ds_id=col.ds_id, personal=col.personal)
        out_cols.append(col)
        out_data.append(values)
    return Table(columns=out_cols, data=out_data, header_row=table.header_row,
                 header_lines=table.header_lines)
