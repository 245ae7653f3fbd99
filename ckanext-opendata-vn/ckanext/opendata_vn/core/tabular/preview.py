"""Previews: what a file will become before anything is written.

The harvest source form shows a table as it will be read (first 20 rows), the
detected header and types, what was ignored and why (the reader's guesses) and the
personal-data findings (personal_data.py); the catalog import page shows an appendix
the same way (catalog/appendix.py appendix_preview). The officer confirms, or changes
the sheet, header row or theme mapping and previews again; the uploaded file is kept
between the two requests under a random token, for its uploader only, for an hour.
"""
from __future__ import annotations

import json
import os
import secrets
import tempfile
import time

import ckan.plugins.toolkit as tk

PREVIEW_ROWS = 20
KEEP_SECONDS = 3600
_TOKEN_CHARS = set("0123456789abcdef")


# ----------------------------------------------------------------- what is shown
def table_preview(table) -> dict:
    """A typed table (tabular.Table) as the preview shows it."""
    from ckanext.opendata_vn.core.tabular.table import _text_column
    from ckanext.opendata_vn.core.tabular.personal_data import detect
    columns = [_text_column(c.type, values) for c, values in zip(table.columns, table.data)]
    rows = [list(r) for r in zip(*columns)]
    findings = detect(table.names, rows)
    return {
        "sheet": table.sheet, "header_row": table.header_row, "header_lines": table.header_lines,
        "unit": table.unit, "row_count": table.row_count,
        "columns": [c.as_dict() for c in table.columns],
        "rows": rows[:PREVIEW_ROWS],
        "guesses": [g.as_dict() for g in table.guesses],
        "findings": [dict(f.as_dict(), message=f.message()) for f in findings],
    }


# ----------------------------------------------------------------- kept uploads
def _folder() -> str:
    base = tk.config.get("ckan.storage_path") or tempfile.gettempdir()
    folder = os.path.join(base, "opendata_vn_preview")
    os.makedirs(folder, exist_ok=True)
    return folder


def keep(content: bytes, filename: str, user: str) -> str:
    """Store an uploaded file until the officer confirms; returns its token."""
    folder = _folder()
    now = time.time()
    for name in os.listdir(folder):          # forget what was never confirmed
        path = os.path.join(folder, name)
        try:
            if now - os.path.getmtime(path) > KEEP_SECONDS:
                os.unlink(path)
        except OSError:
            pass
    token = secrets.token_hex(16)
    with open(os.path.join(folder, token), "wb") as f:
        f.write(content)
    with open(os.path.join(folder, token + ".json"), "w", encoding="utf-8") as f:
        json.dump({"filename": filename, "user": user}, f, ensure_ascii=False)
    return token


def kept(token: str, user: str) -> tuple[bytes, str] | None:
    """(content, filename) of a kept upload of this user, else None."""
    if not token or len(token) != 32 or not set(token) <= _TOKEN_CHARS:
        return None
    path = os.path.join(_folder(), token)
    try:
        with open(path + ".json", encoding="utf-8") as f:
            meta = json.load(f)
        if meta.get("user") != user:
            return None
        with open(path, "rb") as f:
            return f.read(), meta.get("filename") or "tep"
    except (OSError, ValueError):
        return None


def forget(token: str) -> None:
    if token and len(token) == 32 and set(token) <= _TOKEN_CHARS:
        for suffix in ("", ".json"):
            try:
                os.unlink(os.path.join(_folder(), token + suffix))
            except OSError:
                pass
