"""The catalog appendix workbook (Phụ lục Danh mục dữ liệu mở), both ways.

Import reads real agency workbooks (.xlsx/.xls/.ods through python-calamine) with the
portal's one table reader (core/tabular/reader.py): title rows above the header, merged
cells, header variants ("Stt"/"TT", "Tên dữ liệu"), the column-number row, theme rows
(I, II, III … or a heading in capitals), signature blocks below; dates as Excel
serials or dd/mm/yyyy text. Rows come out in the seed-file row format, so the same
loader applies.

Export writes the decision-appendix layout with openpyxl, every text cell forced to
a string so nothing can be read as a formula.
"""
from __future__ import annotations

import datetime
import io
import re
from dataclasses import dataclass, field

from ckanext.opendata_vn.core import vocab
COLUMNS = ("number", "title", "description", "agency", "first_provided", "frequency", "source", "notes")
HEADERS_VI = ("TT", "Tên tập dữ liệu", "Mô tả", "Đơn vị chủ trì cung cấp", "Ngày cung cấp lần đầu",
              "Tần suất cung cấp", "Nguồn cơ sở dữ liệu", "Ghi chú")
# Folded header wording seen in agency workbooks, per column (longest first wins).
HEADER_ALIASES = {
    "number": ("tt", "stt", "so tt", "so thu tu"),
    "title": ("ten tap du lieu", "ten bo du lieu", "ten du lieu", "ten co so du lieu", "danh muc du lieu",
              "ten"),
    "description": ("mo ta", "noi dung", "mo ta du lieu", "cac truong du lieu"),
    "agency": ("don vi chu tri cung cap", "don vi chu tri", "co quan chu tri", "don vi cung cap",
               "co quan cung cap", "don vi"),
    "first_provided": ("ngay cung cap lan dau", "thoi gian cung cap lan dau", "thoi gian cung cap",
                       "ngay cung cap", "thoi han cung cap"),
    "frequency": ("tan suat cung cap", "tan suat cap nhat", "tan suat"),
    "source": ("nguon co so du lieu", "nguon du lieu", "nguon"),
    "notes": ("ghi chu",),
}
_EXCEL_EPOCH = datetime.date(1899, 12, 30)


class WorkbookError(Exception):
    """The file cannot be read as a catalog appendix; the message says why and what to do."""


@dataclass
class Appendix:
    rows: list[dict]
    sheet: str
    header_row: int
    title_lines: list[str]
    guesses: list = field(default_factory=list)     # reader.Guess: rows ignored and why
    header: list[str] = field(default_factory=list)

    def guess_meta(self) -> dict:
        """Province and year from the title rows ("… TỈNH BẮC GIANG NĂM 2024"), if stated.
        The catalog's own title line wins over the issuer's line ("UBND TỈNH …")."""
        lines = sorted(self.title_lines, key=lambda t: not re.search(r"danh mục|kế hoạch", t, re.I))
        meta: dict = {}
        for text in lines:
            if "year" not in meta and (m := re.search(r"năm\s+(\d{4})", text, re.IGNORECASE)):
                meta["year"] = int(m[1])
            if "province" not in meta and (m := re.search(
                    r"tỉnh\s+(.+?)(?=\s+(?:năm|giai đoạn|đến|từ|kèm)\b|\s*[,;(]|$)", text, re.IGNORECASE)):
                meta["province"] = " ".join(w.capitalize() for w in m[1].split())
        return meta


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    return vocab.nfc(str(value))


def _date_text(value) -> str:
    """First-provided cell: Excel serial numbers become dd/mm/yyyy."""
    if isinstance(value, (int, float)) and not isinstance(value, bool) and 20000 < value < 80000:
        return (_EXCEL_EPOCH + datetime.timedelta(days=int(value))).strftime("%d/%m/%Y")
    return _cell_text(value)


def _bullets(text: str) -> str:
    lines = [ln.strip() for ln in text.replace("\r\n", "\n").split("\n")]
    lines = [re.sub(r"^[-+•–*]\s*", "- ", ln) for ln in lines if ln]
    return "\n".join(lines)


def _match_header(cells: list[str]) -> dict[str, int] | None:
    found: dict[str, int] = {}
    for idx, cell in enumerate(cells):
        key = vocab.fold(cell)
        if not key:
            continue
        best = None
        for column, aliases in HEADER_ALIASES.items():
            for alias in aliases:
                if (key == alias or key.startswith(alias + " ")) and (best is None or len(alias) > best[1]):
                    best = (column, len(alias))
        if best and best[0] not in found:
            found[best[0]] = idx
    return found if {"number", "title"} <= set(found) and len(found) >= 3 else None


def _read_grid(content: bytes, sheet: str | int | None) -> tuple[str, list[list], list, list]:
    """(sheet name, rows, merged ranges, guesses) through the harvester's workbook reader."""
    import os
    import tempfile
    from ckanext.opendata_vn.core.tabular import workbook
    from ckanext.opendata_vn.core.failures import HarvestFailure
    unreadable = WorkbookError("Không đọc được tệp: cần tệp Excel .xlsx hoặc .xls (hoặc .ods) còn nguyên vẹn.")
    with tempfile.NamedTemporaryFile(delete=False) as f:
        f.write(content)
    try:
        fmt = workbook.detect_format(f.name)       # the bytes decide: calamine reads by extension
    except HarvestFailure as e:
        os.unlink(f.name)
        if e.code == "password":
            raise WorkbookError("Tệp Excel được đặt mật khẩu; hãy gỡ mật khẩu rồi tải lên lại.") from e
        raise unreadable from e
    if fmt == "csv":
        os.unlink(f.name)
        raise unreadable
    os.replace(f.name, f.name + "." + fmt)
    path = f.name + "." + fmt
    try:
        chosen = sheet + 1 if isinstance(sheet, int) else sheet
        sheet_grid = workbook.open_sheet(path, chosen)
    except HarvestFailure as e:
        if e.code == "password":
            raise WorkbookError("Tệp Excel được đặt mật khẩu; hãy gỡ mật khẩu rồi tải lên lại.") from e
        if e.code == "sheet_not_found":
            if isinstance(sheet, int):
                raise WorkbookError(f"Không có trang tính số {sheet + 1}; tệp có các trang tính: "
                                    f"{e.params.get('names')}.") from e
            raise WorkbookError(f"Không có trang tính \"{sheet}\"; các trang tính: {e.params.get('names')}.") from e
        if e.code == "empty":
            raise WorkbookError("Tệp Excel không có trang tính nào.") from e
        raise unreadable from e
    finally:
        os.unlink(path)
    return sheet_grid.name, [list(r) for r in sheet_grid.rows], sheet_grid.merged, sheet_grid.guesses


def _find_header(grid: list[list]) -> tuple[int, dict[str, int]] | None:
    for idx, row in enumerate(grid[:30]):
        columns = _match_header([_cell_text(c) for c in row])
        if columns:
            return idx, columns
    return None


def read_appendix(content: bytes, sheet: str | int | None = None, header_row: int | None = None) -> Appendix:
    """The appendix as a person reads it (core/tabular/reader.py: title block, two-line
    header, column numbers, theme rows, signature block); `header_row` is 1-based."""
    from ckanext.opendata_vn.core.tabular import reader
    from ckanext.opendata_vn.core.tabular.table import TableError
    name, grid, merged, sheet_guesses = _read_grid(content, sheet)
    found = _find_header(grid) if not header_row else (
        header_row - 1, _match_header([_cell_text(c) for c in grid[header_row - 1]])
        if header_row <= len(grid) else None)
    if not found or not found[1]:
        where = f"dòng {header_row}" if header_row else "30 dòng đầu"
        raise WorkbookError(f"Trang tính \"{name}\": không tìm thấy dòng tiêu đề (cần các cột \"TT\", "
                            f"\"Tên tập dữ liệu\", \"Đơn vị chủ trì cung cấp\" … trong {where}).")
    header_idx, columns = found
    try:
        layout = reader.read_layout(grid, merged, header_row=header_idx + 1, sheet=name)
    except TableError as e:
        raise WorkbookError(f"Trang tính \"{name}\": có dòng tiêu đề nhưng không có dòng dữ liệu nào.") from e
    # a two-line header names some columns on its second line only
    # a two-line header names some columns on its second line only ("Thời gian cung cấp"
    # over "Ngày cung cấp lần đầu" | "Tần suất cung cấp"): the lower label decides
    columns = {**columns, **(_match_header([n.split(" - ")[-1] for n in layout.names]) or {})}
    title_lines = [" ".join(dict.fromkeys(_cell_text(c) for c in row if _cell_text(c)))
                   for row in grid[:header_idx]]
    rows: list[dict] = []
    guesses = list(sheet_guesses) + list(layout.guesses)
    for raw, line, stack in zip(layout.rows, layout.row_numbers, layout.sections):
        def cell(column, raw=raw):
            pos = columns.get(column)
            if pos is None or pos >= len(raw):
                return ""
            return _date_text(raw[pos]) if column == "first_provided" else _cell_text(raw[pos])

        if _match_header([_cell_text(c) for c in raw]):
            guesses.append(reader.Guess("repeated_header", line, line))
            continue
        values = {c: cell(c) for c in COLUMNS}
        if not any(values.values()):
            continue
        theme = stack[0] if stack else None
        theme_number = theme.number.upper() if theme else ""
        number = values["number"]
        row = {"number": number, "part": None, "theme_number": theme_number,
               "theme": (theme.title or theme.number) if theme else "",
               "title": values["title"], "description": _bullets(values["description"]),
               "agency": values["agency"], "first_provided": values["first_provided"],
               "frequency": values["frequency"], "source": values["source"], "notes": values["notes"],
               "extraction_note": "", "_sheet_row": line}
        prev = rows[-1] if rows else None
        # A row split into parts repeats its number (merged TT cell) in the same theme.
        if prev and number and prev["number"] == number and prev["theme_number"] == theme_number:
            prev["part"] = prev["part"] or 1
            row["part"] = prev["part"] + 1
        rows.append(row)
    if not rows:
        raise WorkbookError(f"Trang tính \"{name}\": có dòng tiêu đề nhưng không có dòng dữ liệu nào.")
    guesses.sort(key=lambda g: g.first)
    return Appendix(rows, name, header_idx + 1, [t for t in title_lines if t], guesses, layout.names)


def write_appendix(catalog: dict, entries: list[dict]) -> bytes:
    """The decision-appendix layout: title, header, (1)…(8), theme rows I, II …, entries."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, Side

    wb = Workbook()
    ws = wb.active
    ws.title = "Danh mục"
    thin = Side(style="thin")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    wrap = Alignment(wrap_text=True, vertical="top")

    def put(row, col, value, bold=False):
        c = ws.cell(row=row, column=col)
        c.value = value
        if isinstance(value, str):
            c.data_type = "s"  # never a formula, whatever the text starts with
        c.alignment = wrap
        if bold:
            c.font = Font(bold=True)
        return c

    put(1, 1, "PHỤ LỤC", bold=True)
    put(2, 1, catalog["title"].upper(), bold=True)
    basis = catalog.get("document_number") or "…"
    put(3, 1, f"(Kèm theo văn bản số {basis} ngày {catalog.get('document_date') or '…'} "
              f"của {catalog.get('issuer') or 'UBND tỉnh ' + catalog['province']})")
    for r in (1, 2, 3):
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=len(COLUMNS))
        ws.cell(row=r, column=1).alignment = Alignment(horizontal="center", wrap_text=True)
    header_row = 5
    for i, text in enumerate(HEADERS_VI, start=1):
        put(header_row, i, text, bold=True).border = border
        put(header_row + 1, i, f"({i})").border = border
    r = header_row + 2
    current = None
    for entry in entries:
        key = (entry.get("theme_number") or "", entry.get("theme") or "")
        if key != current and any(key):
            current = key
            put(r, 1, key[0], bold=True).border = border
            put(r, 2, key[1], bold=True).border = border
            ws.merge_cells(start_row=r, start_column=2, end_row=r, end_column=len(COLUMNS))
            r += 1
        for i, column in enumerate(COLUMNS, start=1):
            put(r, i, entry.get(column) or "").border = border
        r += 1
    for col, width in zip("ABCDEFGH", (6, 36, 60, 30, 16, 18, 14, 24)):
        ws.column_dimensions[col].width = width
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
