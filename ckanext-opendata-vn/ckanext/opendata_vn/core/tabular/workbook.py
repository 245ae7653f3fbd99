"""Workbooks and CSV files read into a grid of cells, and from there into a table.

The reading every path shares: the harvester (vn_excel), the upload loader
(files.py) and the catalog appendix import. The file's bytes decide its format
(detect_format). Workbooks are read with python-calamine (Rust; .xlsx, .xls and .ods),
which also reports merged cells for the header detection in table.py. CSV files are
decoded as UTF-8 (with or without BOM), UTF-16 (with BOM) or Windows-1258, and
normalised to NFC (Windows-1258 text decodes to base letters plus combining tone marks).
"""
from __future__ import annotations

import codecs
import csv
import io
import time
import unicodedata
import zipfile
from dataclasses import dataclass, field

import python_calamine as calamine

from ckanext.opendata_vn.core import fetch, vocab
from ckanext.opendata_vn.core.failures import HarvestFailure
from ckanext.opendata_vn.core.tabular.reader import Guess, table_from_grid
from ckanext.opendata_vn.core.tabular.table import Table

CFB_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
CSV_DELIMITERS = (",", ";", "\t", "|")


# ----------------------------------------------------------------- format detection
def detect_format(path: str, content_type: str = "", url: str = "", configured: str | None = None) -> str:
    """"xlsx", "xls", "ods" or "csv" from the bytes themselves; raises HarvestFailure."""
    with open(path, "rb") as f:
        head = f.read(8192)
    if not head.strip():
        raise HarvestFailure("empty", sheet="—")
    if head.startswith(ZIP_MAGIC):
        try:
            with zipfile.ZipFile(path) as z:
                names = set(z.namelist())
        except (zipfile.BadZipFile, OSError) as e:
            raise HarvestFailure("corrupt", detail=str(e) or "zip")
        if "xl/workbook.xml" in names or any(n.startswith("xl/") for n in names):
            return "xlsx"
        if "content.xml" in names and "mimetype" in names:
            return "ods"
        raise HarvestFailure("not_workbook")
    if head.startswith(CFB_MAGIC):
        if _is_encrypted_package(path):
            raise HarvestFailure("password")
        return "xls"
    if fetch.looks_like_html(head, content_type):
        raise HarvestFailure("html")
    if configured == "csv" or _looks_like_text(head):
        return "csv"
    raise HarvestFailure("not_workbook")


def _is_encrypted_package(path: str) -> bool:
    """A password-protected .xlsx/.docx is an OLE container with an "EncryptedPackage"
    stream (its directory entry names are UTF-16LE)."""
    import mmap
    marker = "EncryptedPackage".encode("utf-16-le")
    with open(path, "rb") as f:
        with mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) as m:
            return m.find(marker) != -1


def _looks_like_text(head: bytes) -> bool:
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return True
    if b"\x00" in head:
        return False
    if head.startswith(b"%PDF") or head[:4] in (b"\x89PNG", b"GIF8") or head[:3] == b"\xff\xd8\xff":
        return False
    controls = sum(1 for b in head if b < 32 and b not in (9, 10, 13))
    return controls <= len(head) // 100


# ----------------------------------------------------------------- CSV
def decode_text(data: bytes) -> tuple[str, str]:
    """(text, encoding): UTF-8 with/without BOM, UTF-16 with BOM, else Windows-1258."""
    if data.startswith(codecs.BOM_UTF8):
        return data[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16"), "utf-16"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1258"), "windows-1258"
    except UnicodeDecodeError:
        from charset_normalizer import from_bytes
        best = from_bytes(data).best()
        if best is None:
            raise HarvestFailure("not_workbook")
        return str(best), best.encoding


def _sniff_delimiter(text: str) -> str:
    sample = text[:65536].splitlines()[:50]
    best, best_score = ",", -1
    for delimiter in CSV_DELIMITERS:
        counts = [len(r) for r in csv.reader(sample, delimiter=delimiter) if any(c.strip() for c in r)]
        if not counts:
            continue
        mode = max(set(counts), key=counts.count)
        if mode < 2:
            continue
        score = counts.count(mode) * mode
        if score > best_score:
            best, best_score = delimiter, score
    return best


def csv_grid(data: bytes) -> tuple[list[list], str, str]:
    """(rows, encoding, delimiter); cells are NFC strings."""
    text, encoding = decode_text(data)
    if not text.isascii():
        text = unicodedata.normalize("NFC", text)
    delimiter = _sniff_delimiter(text)
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    return rows, encoding, delimiter


# ----------------------------------------------------------------- workbooks
def _pick_sheet(workbook, wanted):
    names = workbook.sheet_names
    if wanted in (None, ""):
        for meta in workbook.sheets_metadata:
            if meta.visible == calamine.SheetVisibleEnum.Visible and meta.typ == calamine.SheetTypeEnum.WorkSheet:
                return meta.name
        return names[0] if names else None
    if isinstance(wanted, int):
        if 1 <= wanted <= len(names):
            return names[wanted - 1]
    else:
        target = unicodedata.normalize("NFC", str(wanted)).strip()
        for name in names:
            if unicodedata.normalize("NFC", name).strip() == target:
                return name
        for name in names:
            if unicodedata.normalize("NFC", name).strip().casefold() == target.casefold():
                return name
    raise HarvestFailure("sheet_not_found", sheet=wanted, names=", ".join(f"«{n}»" for n in names) or "—")


_INSTRUCTION_SHEETS = ("huong dan", "instruction", "readme", "read me", "ghi chu", "chu thich", "mau ")


@dataclass
class SheetGrid:
    name: str
    rows: list
    merged: list
    guesses: list = field(default_factory=list)   # reader.Guess for the sheets not read


def _table_size(rows) -> int:
    """Rows with at least two cells filled: how large the sheet's table is."""
    return sum(1 for r in rows if sum(1 for c in r if c is not None and c != "") >= 2)


def open_sheet(path: str, sheet=None) -> SheetGrid:
    """The sheet to read: the one named (1-based number or name), else the visible
    worksheet with the largest table, instructions sheets last."""
    if sheet not in (None, ""):
        rows, merged, name = workbook_grid(path, sheet)
        return SheetGrid(name, rows, merged)
    workbook = _open_workbook(path)
    try:
        guesses = []
        candidates = []
        for meta in workbook.sheets_metadata:
            if meta.visible != calamine.SheetVisibleEnum.Visible or meta.typ != calamine.SheetTypeEnum.WorkSheet:
                guesses.append(Guess("sheet_hidden", 0, 0, meta.name))
                continue
            candidates.append(meta.name)
        if len(candidates) <= 1:
            name = (candidates or workbook.sheet_names or [None])[0]
            if name is None:
                raise HarvestFailure("empty", sheet="")
            rows, merged = _sheet_rows(workbook, name)
            return SheetGrid(name, rows, merged, guesses)
        read = []
        for name in candidates:
            rows, merged = _sheet_rows(workbook, name)
            instructions = vocab.fold(name).startswith(_INSTRUCTION_SHEETS)
            read.append((not instructions, _table_size(rows), name, rows, merged))
        best = max(read, key=lambda t: (t[0], t[1]))
        for _, _, name, _, _ in read:
            if name != best[2]:
                guesses.append(Guess("sheet_skipped", 0, 0, name))
        guesses.append(Guess("sheet", 0, 0, best[2]))
        return SheetGrid(best[2], best[3], best[4], guesses)
    finally:
        workbook.close()


def _open_workbook(path: str):
    try:
        return calamine.CalamineWorkbook.from_path(path)
    except calamine.PasswordError:
        raise HarvestFailure("password")
    except (calamine.ZipError, calamine.XmlError) as e:
        raise HarvestFailure("corrupt", detail=str(e)[:120] or type(e).__name__)
    except calamine.CalamineError as e:
        text = str(e)
        if "password" in text.lower() or "encrypt" in text.lower():
            raise HarvestFailure("password")
        raise HarvestFailure("corrupt", detail=text[:120] or type(e).__name__)
    except Exception as e:  # calamine raises plain errors for some malformed files
        raise HarvestFailure("corrupt", detail=str(e)[:120] or type(e).__name__)


def _sheet_rows(workbook, name: str) -> tuple[list, list]:
    try:
        ws = workbook.get_sheet_by_name(name)
        return ws.to_python(skip_empty_area=False), ws.merged_cell_ranges or []
    except calamine.PasswordError:
        raise HarvestFailure("password")
    except HarvestFailure:
        raise
    except Exception as e:
        raise HarvestFailure("corrupt", detail=str(e)[:120] or type(e).__name__)


def workbook_grid(path: str, sheet=None) -> tuple[list[list], list, str]:
    """(rows from the sheet's row 1, merged ranges, sheet name)."""
    workbook = _open_workbook(path)
    try:
        name = _pick_sheet(workbook, sheet)
        if name is None:
            raise HarvestFailure("empty", sheet="")
        rows, merged = _sheet_rows(workbook, name)
        return rows, merged, name
    finally:
        workbook.close()


def read_table(path: str, fmt: str, config: dict, run=None) -> Table:
    """The table in an agency's file as a person reads it (reader.py), typed.

    `config` may name the "sheet" (name or 1-based number), "header_row" (1-based) and
    "header_lines"; every guess made is on `table.guesses` and, given a harvest run log
    (`run`: add(vi, en) and a `timings` dict), in the run log."""
    header_row = config.get("header_row")
    header_lines = config.get("header_lines")
    started = time.monotonic()
    sheet_guesses: list = []
    if fmt == "csv":
        with open(path, "rb") as f:
            data = f.read()
        rows, encoding, delimiter = csv_grid(data)
        if run:
            run.add(f"Tệp CSV, bảng mã {encoding}, dấu phân cách «{delimiter}».",
                    f"CSV file, encoding {encoding}, delimiter «{delimiter}».")
        merged, sheet = [], "CSV"
    else:
        opened = open_sheet(path, config.get("sheet"))
        rows, merged, sheet, sheet_guesses = opened.rows, opened.merged, opened.name, opened.guesses
        if run:
            run.add(f"Đọc trang tính «{sheet}» ({fmt.upper()}).", f"Reading sheet «{sheet}» ({fmt.upper()}).")
    read = time.monotonic()
    table = table_from_grid(rows, merged, header_row=header_row, header_lines=header_lines, sheet=sheet)
    table.guesses = sheet_guesses + table.guesses
    if run:
        for guess in table.guesses:
            if guess.kind != "header":
                run.add(guess.message("vi"), guess.message("en"))
        run.timings.update(read=read - started, type=time.monotonic() - read)
        extra_vi = ", bỏ qua dòng đánh số cột" if table.skipped_number_row else ""
        extra_en = ", skipped the column-number row" if table.skipped_number_row else ""
        how_vi = "theo cấu hình" if header_row else "tự nhận biết"
        how_en = "as configured" if header_row else "detected"
        run.add(f"Dòng tiêu đề: dòng {table.header_row} ({how_vi}, {table.header_lines} dòng{extra_vi}).",
                f"Header row: row {table.header_row} ({how_en}, {table.header_lines} line(s){extra_en}).")
    return table
