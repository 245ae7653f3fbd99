"""Any file an officer uploads or links, read the way the harvester reads it.

One entry point for the upload loader (jobs.py) and the personal-data guard
(privacy/upload_guard.py): the file's bytes decide what it is, never its name — a CSV
named `.txt` is a CSV. The reading itself is the harvester's (workbook.py for
workbooks and CSV, records.py + table.table_from_records for JSON records).

    read(path, name, content_type) → Reading
        kind TABLE     `table` is the typed table
        kind ARCHIVE   a ZIP archive (not a workbook): `members` are the Readings of its files
        kind DOCUMENT  a file that is no table by nature (PDF, image): nothing to check
        kind UNREADABLE the reader could not make a table of it: `failure` says why
"""
from __future__ import annotations

import os
import shutil
import tempfile
import zipfile
from dataclasses import dataclass, field

from ckanext.opendata_vn.core.failures import HarvestFailure
from ckanext.opendata_vn.core.tabular import workbook
from ckanext.opendata_vn.core.tabular.records import load_json, records_of
from ckanext.opendata_vn.core.tabular.table import Table, TableError, table_from_records

TABLE, ARCHIVE, DOCUMENT, UNREADABLE = "table", "archive", "document", "unreadable"
# files that are documents by nature: their bytes say so
DOCUMENT_MAGIC = (b"%PDF", b"\x89PNG", b"GIF8", b"\xff\xd8\xff", b"II*\x00", b"MM\x00*")
MAX_MEMBERS = 200
MAX_MEMBER_BYTES = 200 * 1024 * 1024
TABULAR_FORMATS = {"csv", "tsv", "txt", "xls", "xlsx", "xlsm", "ods", "json"}


@dataclass
class Reading:
    kind: str
    name: str = ""
    fmt: str = ""                       # "csv", "xlsx", "xls", "ods", "json", "zip"
    table: Table | None = None
    members: list["Reading"] = field(default_factory=list)
    failure: HarvestFailure | None = None

    @property
    def reason_vi(self) -> str:
        return self.failure.cause_vi if self.failure else ""

    @property
    def reason_en(self) -> str:
        return self.failure.cause_en if self.failure else ""


def _failure(error: Exception) -> HarvestFailure:
    if isinstance(error, HarvestFailure):
        return error
    if isinstance(error, TableError):
        return HarvestFailure(error.code, **error.params)
    return HarvestFailure("corrupt", detail=type(error).__name__)


def _head(path: str, n: int = 8192) -> bytes:
    with open(path, "rb") as f:
        return f.read(n)


def _json_body(head: bytes):
    text = head.lstrip(b"\xef\xbb\xbf").lstrip()
    return text[:1] in (b"[", b"{")


def _is_archive(path: str, head: bytes) -> bool:
    if not head.startswith(workbook.ZIP_MAGIC):
        return False
    try:
        with zipfile.ZipFile(path) as z:
            names = set(z.namelist())
    except (zipfile.BadZipFile, OSError):
        return False
    is_workbook = any(n.startswith("xl/") for n in names) or {"content.xml", "mimetype"} <= names
    return not is_workbook


def read_json(path: str) -> Table:
    """An array of records (or an object holding one list of records)."""
    records = records_of(load_json(path), None)
    if not records:
        raise HarvestFailure("no_records")
    return table_from_records(records)


def choice(fields: dict | None) -> dict:
    """The officer's choice of sheet (name or 1-based number) and header row (1-based)
    on a resource, as the reader takes it (the harvester's config keys); values that are
    no choice are left out (the resource schema refuses them)."""
    out: dict = {}
    sheet = str((fields or {}).get("sheet") or "").strip()
    if sheet:
        out["sheet"] = int(sheet) if sheet.isdigit() and len(sheet) < 4 else sheet
    row = str((fields or {}).get("header_row") or "").strip()
    if row.isdigit() and int(row) >= 1:
        out["header_row"] = int(row)
    return out


def read(path: str, name: str = "", content_type: str = "", config: dict | None = None) -> Reading:
    """`config`: the officer's choice() of sheet and header row, for a workbook or CSV."""
    head = _head(path)
    if head.startswith(DOCUMENT_MAGIC):
        return Reading(DOCUMENT, name=name)
    if _is_archive(path, head):
        return read_archive(path, name)
    try:
        if _json_body(head) and not head.lstrip(b"\xef\xbb\xbf").startswith(b"{\\rtf"):
            try:
                return Reading(TABLE, name=name, fmt="json", table=read_json(path))
            except HarvestFailure as json_failure:
                if json_failure.code != "invalid_json":
                    raise
        fmt = workbook.detect_format(path, content_type, name)
        return Reading(TABLE, name=name, fmt=fmt, table=_read_grid(path, fmt, config or {}))
    except Exception as e:   # every reader error becomes the harvester's cause
        return Reading(UNREADABLE, name=name, failure=_failure(e))


def _read_grid(path: str, fmt: str, config: dict) -> Table:
    """calamine picks its reader by the file's extension: read a copy named for its format."""
    if fmt == "csv":
        return workbook.read_table(path, fmt, config)
    folder = tempfile.mkdtemp(prefix="vn-read-", dir=os.path.dirname(path) or None)
    try:
        typed = os.path.join(folder, f"table.{fmt}")
        try:
            os.link(path, typed)
        except OSError:
            shutil.copyfile(path, typed)
        return workbook.read_table(typed, fmt, config)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def read_archive(path: str, name: str = "") -> Reading:
    """Each file of a ZIP archive read as above (nested archives are not opened: they
    are unreadable, so the archive is held for review)."""
    members: list[Reading] = []
    folder = tempfile.mkdtemp(prefix="vn-zip-", dir=os.path.dirname(path) or None)
    try:
        with zipfile.ZipFile(path) as z:
            infos = [i for i in z.infolist() if not i.is_dir() and not i.filename.startswith("__MACOSX/")]
            if len(infos) > MAX_MEMBERS:
                return Reading(UNREADABLE, name=name, fmt="zip",
                               failure=HarvestFailure("corrupt", detail=f"> {MAX_MEMBERS} files"))
            for n, info in enumerate(infos):
                if info.file_size > MAX_MEMBER_BYTES:
                    members.append(Reading(UNREADABLE, name=info.filename,
                                           failure=HarvestFailure("too_large", limit_mb=MAX_MEMBER_BYTES >> 20)))
                    continue
                target = os.path.join(folder, f"member-{n}")
                with z.open(info) as src, open(target, "wb") as out:
                    shutil.copyfileobj(src, out, 1 << 20)
                head = _head(target)
                if head.startswith(workbook.ZIP_MAGIC) and _is_archive(target, head):
                    members.append(Reading(UNREADABLE, name=info.filename, fmt="zip",
                                           failure=HarvestFailure("not_workbook")))
                else:
                    members.append(read(target, info.filename))
                os.unlink(target)
    except (zipfile.BadZipFile, OSError, RuntimeError) as e:   # RuntimeError: encrypted member
        return Reading(UNREADABLE, name=name, fmt="zip", failure=HarvestFailure("corrupt", detail=str(e)[:120]))
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return Reading(ARCHIVE, name=name, fmt="zip", members=members)


def looks_tabular(name: str, fmt: str = "") -> bool:
    """A link (or upload) the loader should try: its name or declared format is a table's."""
    ext = os.path.splitext((name or "").split("?")[0].split("#")[0])[1].lower().lstrip(".")
    return ext in TABULAR_FORMATS or (fmt or "").strip().lower().lstrip(".") in TABULAR_FORMATS
