"""The pipeline every path shares: rows → header → typed columns → CSV and JSON.

Workbooks and CSV files arrive as a grid of cells (workbook.py; reader.py decides
which rows are data), APIs and JSON files as a list of records (records.py); from
there on everything is the same:

* the header row is found (title rows above it, merged two-level headers, the
  "(1) (2) (3)" column-number row under it) or taken from the configuration;
* headers are kept as the agency wrote them (NFC, whitespace collapsed);
* each column gets one type: numbers written the Vietnamese way ("1.234,5") or
  typed in Excel become int8/numeric, dd/mm/yyyy text, Excel dates and Excel serial
  numbers in a date column become date/timestamp, everything else stays text;
* the CSV (UTF-8, RFC 4180) and JSON (UTF-8, an array of objects) keep the source's
  column order, and the CSV's SHA-256 is the content hash that decides whether
  anything changed.

The work is done column by column on plain lists, which is what makes 100,000 rows
take a second or two rather than a minute.
"""
from __future__ import annotations

import csv
import datetime
import hashlib
import json
import math
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any, Iterable, Sequence

import orjson

from ckanext.opendata_vn.core import vocab
TEXT, INT, NUMERIC, DATE, TIMESTAMP, BOOL = "text", "int8", "numeric", "date", "timestamp", "bool"
TYPES = (TEXT, INT, NUMERIC, DATE, TIMESTAMP, BOOL)
SCAN_ROWS = 60            # rows searched for the header
MAX_HEADER_LINES = 3
INT8_MAX = 2 ** 63 - 1
EXCEL_EPOCH = datetime.datetime(1899, 12, 30)
SERIAL_RANGE = (1000, 100000)   # 1902-09-26 … 2173-10-14: plausible Excel date serials
PG_IDENTIFIER_BYTES = 63


class TableError(Exception):
    """A grid that cannot become a table; `code` is a harvest failure cause."""

    def __init__(self, code: str, **params):
        self.code = code
        self.params = params
        super().__init__(code)


@dataclass
class Column:
    name: str                 # as in the source, NFC
    type: str = TEXT
    ds_id: str = ""           # DataStore column (≤ 63 bytes, unique)
    personal: bool = False    # set by privacy/staging.py from personal_data.py (docs/decisions.md §7)
    unit: str = ""            # from a unit row under the header ("(đồng)")

    def as_dict(self) -> dict:
        out = {"name": self.name, "type": self.type, "ds_id": self.ds_id, "personal": self.personal}
        if self.unit:
            out["unit"] = self.unit
        return out


@dataclass
class Table:
    columns: list[Column]
    data: list[list]          # column-major typed values (None = empty)
    header_row: int | None = None      # 1-based source row of the header's last line
    header_lines: int = 1
    skipped_number_row: bool = False
    notes: list[tuple[str, str]] = field(default_factory=list)   # (vi, en) for the run log
    guesses: list = field(default_factory=list)   # reader.Guess: what was read how, and why
    unit: str = ""            # the whole table's unit ("Đơn vị tính: người")
    sheet: str = ""

    @property
    def row_count(self) -> int:
        return len(self.data[0]) if self.data else 0

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.columns]

    def rows(self) -> Iterable[tuple]:
        return zip(*self.data)


# ----------------------------------------------------------------- cell helpers
_SPACES = re.compile(r"\s+")


def clean_header(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, (datetime.date, datetime.time)):
        value = value.isoformat()
    return _SPACES.sub(" ", unicodedata.normalize("NFC", str(value))).strip()


def _is_empty(value: Any) -> bool:
    return value is None or (type(value) is str and not value.strip())


# numbers as text
_PLAIN_INT = re.compile(r"^[+-]?\d+$")
_VN_GROUPED = re.compile(r"^[+-]?\d{1,3}(?:\.\d{3})+(?:,\d+)?$")      # 1.234 · 1.234,5
_VN_DECIMAL = re.compile(r"^[+-]?\d+,\d+$")                          # 1234,5
_EN_GROUPED = re.compile(r"^[+-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?$")      # 1,234 · 1,234.5
_EN_DECIMAL = re.compile(r"^[+-]?\d*\.\d+$")                          # 1234.5 · .5
_LEADING_ZERO = re.compile(r"^[+-]?0\d")                             # codes, phone numbers

# dates as text
_DMY = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$")
_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?"
                  r"(?:Z|[+-]\d{2}:?\d{2})?$")
_DATE_WORDS = ("ngay", "date", "thoi diem")


def _vn_number(text: str):
    if _LEADING_ZERO.match(text) and "," not in text:
        return None
    if _PLAIN_INT.match(text):
        return int(text)
    if _VN_GROUPED.match(text) or _VN_DECIMAL.match(text):
        body = text.replace(".", "")
        if "," in body:
            return float(body.replace(",", "."))
        return int(body)
    return None


def _en_number(text: str):
    if _LEADING_ZERO.match(text) and "." not in text:
        return None
    if _PLAIN_INT.match(text):
        return int(text)
    if _EN_GROUPED.match(text) or _EN_DECIMAL.match(text):
        body = text.replace(",", "")
        if "." in body:
            return float(body)
        return int(body)
    return None


def _text_date(text: str):
    m = _DMY.match(text)
    if m:
        d, mo, y, hh, mi, ss = m.groups()
        day, month, year = int(d), int(mo), int(y)
    else:
        m = _ISO.match(text)
        if not m:
            return None
        y, mo, d, hh, mi, ss = m.groups()
        day, month, year = int(d), int(mo), int(y)
    try:
        if hh is None:
            return datetime.date(year, month, day)
        return datetime.datetime(year, month, day, int(hh), int(mi), int(ss or 0))
    except ValueError:
        return None


def serial_to_datetime(value: float):
    moment = EXCEL_EPOCH + datetime.timedelta(days=float(value))
    if moment.time() == datetime.time(0):
        return moment.date()
    return moment.replace(microsecond=0)


def _number_text(value) -> str:
    if type(value) is float:
        if value.is_integer() and abs(value) < 1e16:
            return str(int(value))
        return repr(value)
    return str(value)


def _as_text(value) -> str | None:
    kind = type(value)
    if value is None:
        return None
    if kind is str:
        return value
    if kind is bool:
        return "true" if value else "false"
    if kind in (int, float):
        return _number_text(value)
    if kind is datetime.datetime:
        return value.isoformat(timespec="seconds")
    if kind in (datetime.date, datetime.time):
        return value.isoformat()
    if kind is datetime.timedelta:
        return str(value)
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False, sort_keys=False)
    return str(value)


def _normalise(values: Sequence) -> list:
    """Strings stripped and NFC (Windows-1258 text arrives decomposed), '' → None,
    NaN → None."""
    nfc = unicodedata.normalize
    out = []
    append = out.append
    for v in values:
        kind = type(v)
        if kind is str:
            v = v.strip()
            if not v:
                v = None
            elif not v.isascii():
                v = nfc("NFC", v)
        elif kind is float and math.isnan(v):
            v = None
        append(v)
    return out


# ----------------------------------------------------------------- typing
def type_column(values: list, header: str = "", prefer: str = "vn") -> tuple[str, list]:
    """One type for the whole column, and the converted values.

    `prefer` decides numbers written ambiguously ("1.234": one thousand two hundred
    and thirty-four the Vietnamese way, one point two three four the English way):
    "vn" for workbooks and CSV files, "en" for JSON APIs.
    """
    values = _normalise(values)
    kinds: dict[type, int] = {}
    for v in values:
        kinds[type(v)] = kinds.get(type(v), 0) + 1
    kinds.pop(type(None), None)
    if not kinds:
        return TEXT, values
    present = set(kinds)
    numbers = {int, float}
    dates = {datetime.date, datetime.datetime}

    if present == {bool}:
        return BOOL, values
    if present <= numbers:
        if _is_date_header(header) and _all_serials(values):
            return _to_dates([serial_to_datetime(v) if v is not None else None for v in values])
        return _to_numbers(values)
    if present <= dates:
        return _to_dates(values)
    if present <= dates | numbers and _all_serials([v for v in values if type(v) in numbers]):
        return _to_dates([serial_to_datetime(v) if type(v) in numbers else v for v in values])
    if str in present and present <= numbers | {str}:
        parsed = _parse_number_strings(values, prefer)
        if parsed is not None:
            return _to_numbers(parsed)
    if str in present and present <= dates | {str}:
        parsed = _parse_date_strings(values)
        if parsed is not None:
            return _to_dates(parsed)
    return TEXT, [_as_text(v) for v in values]


def _is_date_header(header: str) -> bool:
    key = vocab.fold(header)
    return any(re.search(rf"\b{w}\b", key) for w in _DATE_WORDS)


def _all_serials(values: Iterable) -> bool:
    low, high = SERIAL_RANGE
    seen = False
    for v in values:
        if v is None:
            continue
        seen = True
        if type(v) not in (int, float) or not (low <= v <= high):
            return False
    return seen


def _to_numbers(values: list) -> tuple[str, list]:
    integral = True
    for v in values:
        if v is None or type(v) is int:
            if v is not None and not (-INT8_MAX <= v <= INT8_MAX):
                integral = False
                break
            continue
        if not (v.is_integer() and abs(v) <= 2 ** 53):
            integral = False
            break
    if integral:
        return INT, [None if v is None else int(v) for v in values]
    for v in values:
        if type(v) is float and math.isinf(v):
            return TEXT, [_as_text(x) for x in values]
    return NUMERIC, [None if v is None else float(v) for v in values]


def _to_dates(values: list) -> tuple[str, list]:
    if any(type(v) is datetime.datetime and v.time() != datetime.time(0) for v in values):
        out = []
        for v in values:
            if type(v) is datetime.date:
                v = datetime.datetime(v.year, v.month, v.day)
            out.append(v)
        return TIMESTAMP, out
    return DATE, [v.date() if type(v) is datetime.datetime else v for v in values]


def _parse_number_strings(values: list, prefer: str) -> list | None:
    strings = {v for v in values if type(v) is str}
    vn_ok = all(_vn_number(s) is not None for s in strings)
    en_ok = all(_en_number(s) is not None for s in strings)
    if vn_ok and (prefer == "vn" or not en_ok):
        parse = _vn_number
    elif en_ok:
        parse = _en_number
    else:
        return None
    cache = {s: parse(s) for s in strings}
    return [cache[v] if type(v) is str else v for v in values]


def _parse_date_strings(values: list) -> list | None:
    out = []
    for v in values:
        if type(v) is str:
            v = _text_date(v)
            if v is None:
                return None
        out.append(v)
    return out


# ----------------------------------------------------------------- DataStore ids
def datastore_ids(names: list[str]) -> list[str]:
    """Column ids PostgreSQL keeps intact: ≤ 63 bytes, no leading "_", no '"', unique."""
    out: list[str] = []
    taken: set[str] = set()
    for i, name in enumerate(names, start=1):
        base = name.replace('"', "'").lstrip("_ ").strip() or f"cot_{i}"
        base = _truncate_bytes(base, PG_IDENTIFIER_BYTES)
        candidate, n = base, 2
        while candidate.lower() in taken:
            suffix = f" ({n})"
            candidate = _truncate_bytes(base, PG_IDENTIFIER_BYTES - len(suffix.encode())) + suffix
            n += 1
        taken.add(candidate.lower())
        out.append(candidate)
    return out


def _truncate_bytes(text: str, limit: int) -> str:
    encoded = text.encode("utf-8")
    if len(encoded) <= limit:
        return text
    return encoded[:limit].decode("utf-8", "ignore").rstrip()


# ----------------------------------------------------------------- header detection
def _merged_in(merged, top: int, bottom: int):
    for (r1, c1), (r2, c2) in merged or ():
        if r2 >= top and r1 <= bottom:
            yield r1, c1, r2, c2


def _is_header_like(cells: list) -> bool:
    filled = [c for c in cells if not _is_empty(c)]
    if len(filled) < 2 or _is_column_number_row(cells):
        return False
    words = [c for c in filled if type(c) is str and _vn_number(c.strip()) is None
             and _en_number(c.strip()) is None and _text_date(c.strip()) is None]
    return len(words) >= 0.8 * len(filled) and len({clean_header(w) for w in words}) >= 2


_NUMBER_CELL = re.compile(r"^\(?\s*(\d{1,3}|[A-Za-z]{1,2})\s*\)?$")


def _is_column_number_row(cells: list) -> bool:
    filled = [c for c in cells if not _is_empty(c)]
    if len(filled) < 2:
        return False
    numbers = []
    for c in filled:
        if type(c) in (int, float) and float(c).is_integer() and 0 <= c < 1000:
            numbers.append(int(c))
            continue
        m = _NUMBER_CELL.match(str(c).strip()) if type(c) is str else None
        if not m:
            return False
        if m.group(1).isdigit():
            numbers.append(int(m.group(1)))
    return len(numbers) >= 2 and all(b > a for a, b in zip(numbers, numbers[1:]))


def _filled_count(row) -> int:
    return sum(1 for c in row if not _is_empty(c))


_LETTERHEAD = re.compile(r"cong hoa xa hoi|doc lap tu do|^so \S*\d|^uy ban nhan dan|^ubnd ")


def _is_letterhead(row) -> bool:
    """The administrative document's heading: issuer, national motto, document number."""
    return any(type(c) is str and _LETTERHEAD.search(vocab.fold(c)) for c in row if not _is_empty(c))


def _header_index(grid: list[list]) -> int | None:
    """The first header-like row as wide as the table: a title block laid out in two
    cells ("UBND TỈNH …" | "CỘNG HÒA XÃ HỘI …") is header-like but narrower."""
    window = grid[:SCAN_ROWS]
    widest = max((_filled_count(r) for r in grid[:SCAN_ROWS * 3]), default=0)
    candidates = [i for i, row in enumerate(window) if _is_header_like(row) and not _is_letterhead(row)]
    wide = [i for i in candidates if _filled_count(window[i]) >= max(2, 0.6 * widest)]
    return (wide or candidates or [None])[0]


def _is_sub_header(grid: list[list], top: int, width: int) -> bool:
    """A second header line written without merged cells (.ods, .csv): only words,
    fewer than the first line, and some under an empty cell of the first line
    ("Thời gian cung cấp" | "" over "Ngày cung cấp lần đầu" | "Tần suất")."""
    if top + 1 >= len(grid):
        return False
    upper = list(grid[top]) + [None] * (width - len(grid[top]))
    below = list(grid[top + 1]) + [None] * (width - len(grid[top + 1]))
    filled = [c for c in below if not _is_empty(c)]
    if not _is_header_like(below) or not all(type(c) is str for c in filled):
        return False
    if len(filled) >= _filled_count(upper):
        return False
    return any(not _is_empty(below[c]) and _is_empty(upper[c]) and c > 0 and not _is_empty(below[c - 1])
               for c in range(width))


def _carried_group_labels(grid: list[list], top: int, width: int) -> list[list]:
    """The group label of the first line carried over the empty cells to its right that
    have a label below (what a horizontal merge would have said)."""
    upper = list(grid[top]) + [None] * (width - len(grid[top]))
    below = list(grid[top + 1]) + [None] * (width - len(grid[top + 1]))
    for c in range(1, width):
        if _is_empty(upper[c]) and not _is_empty(below[c]) and not _is_empty(below[c - 1]):
            upper[c] = upper[c - 1]
    return grid[:top] + [upper] + grid[top + 1:]


def find_header(grid: list[list], merged=None, *, header_row: int | None = None,
                header_lines: int | None = None, sheet: str = "") -> tuple[list[str], int, int]:
    """(column names, index of the header's first line, index of the first data row).

    `header_row` is 1-based (as Excel numbers rows); `grid` starts at the sheet's row 1.
    """
    if not grid or not any(not _is_empty(c) for row in grid[:SCAN_ROWS * 50] for c in row):
        raise TableError("empty", sheet=sheet)
    width = max(len(r) for r in grid[: SCAN_ROWS * 10]) if grid else 0
    if header_row:
        top = int(header_row) - 1
        if top >= len(grid) or all(_is_empty(c) for c in grid[top]):
            raise TableError("header_row_empty", row=header_row)
    else:
        top = _header_index(grid)
        if top is None:
            if not any(sum(1 for c in row if not _is_empty(c)) >= 1 for row in grid[:SCAN_ROWS]):
                raise TableError("empty", sheet=sheet)
            raise TableError("no_header", sheet=sheet)

    # how many lines the header spans: vertical merges from its first line, or
    # horizontal merges ("Số lượng" over "Nam" | "Nữ") with labels under them
    bottom = top
    if header_lines:
        bottom = top + max(1, int(header_lines)) - 1
    else:
        for r1, c1, r2, c2 in _merged_in(merged, top, top):
            if r1 == top and r2 > top:
                bottom = max(bottom, r2)
        if bottom == top and top + 1 < len(grid):
            spans = [(c1, c2) for r1, c1, r2, c2 in _merged_in(merged, top, top) if r1 == top and c2 > c1]
            below = grid[top + 1]
            if spans and _is_header_like(below) and any(
                    any(not _is_empty(below[c]) for c in range(c1, min(c2 + 1, len(below))))
                    for c1, c2 in spans):
                bottom = top + 1
        if bottom == top and not merged and _is_sub_header(grid, top, width):
            bottom = top + 1
            grid = _carried_group_labels(grid, top, width)
        bottom = min(bottom, top + MAX_HEADER_LINES - 1, len(grid) - 1)

    lines = [list(grid[r]) + [None] * (width - len(grid[r])) for r in range(top, bottom + 1)]
    for r1, c1, r2, c2 in _merged_in(merged, top, bottom):
        value = grid[r1][c1] if r1 < len(grid) and c1 < len(grid[r1]) else None
        for r in range(max(r1, top), min(r2, bottom) + 1):
            for c in range(c1, min(c2 + 1, width)):
                if _is_empty(lines[r - top][c]):
                    lines[r - top][c] = value
    names = []
    for c in range(width):
        parts: list[str] = []
        for line in lines:
            text = clean_header(line[c])
            if text and (not parts or parts[-1] != text):
                parts.append(text)
        names.append(" - ".join(parts))
    first_data = bottom + 1
    return names, top, first_data


def build_table(names: list[str], columns_raw: list[Sequence], *, prefer: str = "vn",
                units: Sequence[str] = ()) -> Table:
    """Type every column; drop columns with neither a header nor a value."""
    columns: list[Column] = []
    data: list[list] = []
    units = list(units) + [""] * (len(names) - len(units))
    for i, (name, raw, unit) in enumerate(zip(names, columns_raw, units), start=1):
        kind, values = type_column(list(raw), name, prefer)
        if not name:
            if all(v is None for v in values):
                continue
            name = f"Cột {i}"
        columns.append(Column(name=name, type=kind, unit=unit))
        data.append(values)
    # the same header twice ("Ghi chú", "Ghi chú"): keep both, numbered
    seen: dict[str, int] = {}
    for col in columns:
        key = col.name.lower()
        if key in seen:
            seen[key] += 1
            col.name = f"{col.name} ({seen[key]})"
        else:
            seen[key] = 1
    for col, ds_id in zip(columns, datastore_ids([c.name for c in columns])):
        col.ds_id = ds_id
    return Table(columns=columns, data=data)


def table_from_records(records: list[dict], *, prefer: str = "en") -> Table:
    """JSON records (API): columns in order of first appearance, nested objects
    flattened with ".", lists kept as JSON text."""
    flat = [_flatten(r) if isinstance(r, dict) else {"value": r} for r in records]
    order: dict[str, None] = {}
    for r in flat:
        for k in r:
            if k not in order:
                order[k] = None
    names = list(order)
    columns_raw = [[r.get(k) for r in flat] for k in names]
    return build_table([clean_header(n) for n in names], columns_raw, prefer=prefer)


def _flatten(record: dict, prefix: str = "") -> dict:
    out: dict = {}
    for key, value in record.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict) and value:
            out.update(_flatten(value, name + "."))
        elif isinstance(value, (list, dict)):
            out[name] = json.dumps(value, ensure_ascii=False) if value else None
        else:
            out[name] = value
    return out


# ----------------------------------------------------------------- outputs
@dataclass
class Outputs:
    csv_sha256: str
    csv_size: int
    json_sha256: str
    json_size: int
    rows: int


def _text_column(kind: str, values: list) -> list[str]:
    if kind == TEXT:
        return ["" if v is None else v for v in values]
    if kind == INT:
        return ["" if v is None else str(v) for v in values]
    if kind == NUMERIC:
        return ["" if v is None else _number_text(v) for v in values]
    if kind == DATE:
        return ["" if v is None else v.isoformat() for v in values]
    if kind == TIMESTAMP:
        return ["" if v is None else v.isoformat(timespec="seconds") for v in values]
    if kind == BOOL:
        return ["" if v is None else ("true" if v else "false") for v in values]
    return ["" if v is None else str(v) for v in values]


class _HashingWriter:
    def __init__(self, f):
        self.f = f
        self.digest = hashlib.sha256()
        self.size = 0

    def write(self, text: str):
        self.write_bytes(text.encode("utf-8"))

    def write_bytes(self, data: bytes):
        self.digest.update(data)
        self.size += len(data)
        self.f.write(data)


def write_csv(table: Table, path: str) -> tuple[str, int]:
    """UTF-8 CSV, header = the source's column names; returns (sha256, size)."""
    text_cols = [_text_column(c.type, v) for c, v in zip(table.columns, table.data)]
    with open(path, "wb") as raw:
        out = _HashingWriter(raw)
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(table.names)
        rows = zip(*text_cols)
        while True:
            chunk = [r for _, r in zip(range(5000), rows)]
            if not chunk:
                break
            writer.writerows(chunk)
    return out.digest.hexdigest(), out.size


def write_json(table: Table, path: str) -> tuple[str, int]:
    """UTF-8 JSON: an array of objects whose keys follow the source's column order;
    returns (sha256, size)."""
    cols = []
    for c, values in zip(table.columns, table.data):
        if c.type in (DATE, TIMESTAMP):
            cols.append([None if v is None else x for v, x in zip(values, _text_column(c.type, values))])
        else:
            cols.append(values)
    names = table.names
    with open(path, "wb") as raw:
        out = _HashingWriter(raw)
        out.write_bytes(b"[")
        rows = zip(*cols)
        separator = b""
        while True:
            chunk = [_json_row(dict(zip(names, r))) for _, r in zip(range(5000), rows)]
            if not chunk:
                break
            out.write_bytes(separator + b",\n".join(chunk))
            separator = b",\n"
        out.write_bytes(b"]\n")
    return out.digest.hexdigest(), out.size


def _json_row(record: dict) -> bytes:
    # orjson: 0.24 s instead of 0.54 s for a 100,000-row table (benchmarks/README.md);
    # json for what orjson refuses (integers past 64 bits)
    try:
        return orjson.dumps(record)
    except orjson.JSONEncodeError:
        return json.dumps(record, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def write_outputs(table: Table, csv_path: str, json_path: str, timings: dict | None = None) -> Outputs:
    import time
    started = time.monotonic()
    sha, csv_size = write_csv(table, csv_path)
    middle = time.monotonic()
    json_sha, json_size = write_json(table, json_path)
    if timings is not None:
        timings.update(write_csv=middle - started, write_json=time.monotonic() - middle)
    return Outputs(csv_sha256=sha, csv_size=csv_size, json_sha256=json_sha, json_size=json_size,
                   rows=table.row_count)


def column_changes(previous: list[str], current: list[str]) -> tuple[list[str], list[str]]:
    """(added, removed) column names, ignoring order."""
    before, after = set(previous), set(current)
    return [c for c in current if c not in before], [c for c in previous if c not in after]
