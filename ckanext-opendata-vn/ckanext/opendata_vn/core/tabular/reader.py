"""Tables read as a person reads them: which rows of a sheet are the table's data.

One reader for every path that turns an agency's sheet into rows — the harvester
(vn_excel), the upload loader and the catalog appendix import. It works on the raw
grid (cells as python-calamine or the CSV reader gives them), after the header was
found (tabular.find_header), and decides row by row:

* under the header: the "(1) (2) (3)" column-number row and unit rows ("(đồng)",
  "ĐVT: triệu đồng"), kept as the columns' units;
* inside the data: blank separator rows, headers repeated after a page break,
  section rows ("I", "A. Khu vực thành phố") whose heading becomes a column value of
  the rows below them, subtotal rows;
* below the table: totals ("Tổng cộng"), notes ("Ghi chú:", "* …"), place and date
  ("Sơn La, ngày … tháng … năm …") and signature blocks ("KT. CHỦ TỊCH") end it;
  so does the title of another table further down (the larger table is kept).

Nothing is dropped silently: every decision is a `Guess` (rows, kind, text) that
goes to the harvest run log and to the previews. `table_from_grid` then types the rows
kept (table.build_table); table.py knows nothing of this module.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from ckanext.opendata_vn.core import vocab
from ckanext.opendata_vn.core.tabular import table as tabular

KINDS = {
    "sheet": ("trang tính được chọn: bảng lớn nhất", "sheet chosen: the largest table"),
    "sheet_hidden": ("trang tính ẩn, bỏ qua", "hidden sheet, ignored"),
    "sheet_skipped": ("trang tính hướng dẫn hoặc nhỏ hơn, bỏ qua", "instructions or smaller sheet, ignored"),
    "title": ("tiêu đề văn bản phía trên bảng, bỏ qua", "title block above the table, ignored"),
    "header": ("dòng tiêu đề cột", "column header"),
    "column_numbers": ("dòng đánh số cột (1), (2)…, bỏ qua", "column-number row (1), (2)…, ignored"),
    "unit": ("đơn vị tính, ghi vào mô tả cột", "unit, kept in the column descriptions"),
    "blank": ("dòng trống, bỏ qua", "blank row, ignored"),
    "repeated_header": ("tiêu đề cột lặp lại (sang trang), bỏ qua", "repeated header (page break), ignored"),
    "section": ("tiêu đề mục, ghi vào cột «Nhóm» của các dòng bên dưới",
                "section heading, kept in the «Nhóm» column of the rows below"),
    "total": ("dòng tổng cộng, không phải dữ liệu", "total row, not data"),
    "note": ("ghi chú dưới bảng, bỏ qua", "note below the table, ignored"),
    "place_date": ("địa danh, ngày tháng, bỏ qua", "place and date line, ignored"),
    "signature": ("khối chữ ký, bỏ qua", "signature block, ignored"),
    "other_table": ("bảng khác trong trang tính, bỏ qua (chọn dòng tiêu đề để đọc bảng đó)",
                    "another table on the sheet, ignored (choose its header row to read it)"),
}
SECTION_COLUMN = "Nhóm"
_ENDING = ("note", "place_date", "signature", "other_table")


@dataclass
class Guess:
    kind: str
    first: int            # 1-based sheet rows (0 for a sheet-level guess)
    last: int
    text: str = ""        # what the row says (section heading, unit, sheet name …)

    def rows_label(self, lang: str) -> str:
        word = "dòng" if lang == "vi" else ("row" if self.first == self.last else "rows")
        if not self.first:
            return ""
        span = f"{self.first}" if self.first == self.last else f"{self.first}–{self.last}"
        return f"{word} {span}: "

    def message(self, lang: str = "vi") -> str:
        vi, en = KINDS[self.kind]
        what = f" «{self.text}»" if self.text else ""
        return f"{self.rows_label(lang)}{vi if lang == 'vi' else en}{what}"

    def as_dict(self) -> dict:
        return {"kind": self.kind, "first": self.first, "last": self.last, "text": self.text,
                "vi": self.message("vi"), "en": self.message("en")}


@dataclass
class Section:
    number: str           # "I", "A", "" when unnumbered
    title: str
    style: str            # "roman", "letter", "caps": decides the level

    def __str__(self) -> str:
        if self.number and self.title:
            return f"{self.number}. {self.title}"
        return self.number or self.title


@dataclass
class Layout:
    names: list[str]                 # header per grid column ("" = unnamed)
    header_top: int                  # 0-based index of the header's first line
    first_data: int                  # 0-based index of the first row after the header block
    rows: list[list] = field(default_factory=list)        # the data rows, raw cells
    row_numbers: list[int] = field(default_factory=list)  # their 1-based sheet rows
    sections: list[tuple] = field(default_factory=list)   # per data row: (Section, …) outer first
    units: dict[int, str] = field(default_factory=dict)   # grid column → unit
    unit: str = ""                   # the whole table's unit ("Đơn vị tính: người" above it)
    skipped_number_row: bool = False
    guesses: list[Guess] = field(default_factory=list)

    @property
    def has_sections(self) -> bool:
        return any(self.sections)

    def section_values(self) -> list[str | None]:
        return [" / ".join(str(s) for s in stack) or None for stack in self.sections]


# ----------------------------------------------------------------- row patterns
_ROMAN = re.compile(r"^(?=[IVXLC]+$)C{0,3}(XC|XL|L?X{0,3})(IX|IV|V?I{0,3})$")
_LETTER = re.compile(r"^[A-ZĐ]$")
_HEADING = re.compile(r"^([IVXLC]+|[A-ZĐ])\s*[.)/:-]\s*(\S.*)$")
_UNIT_CELL = re.compile(r"^\(\s*([^()]{1,30}?)\s*\)$")
_UNIT_PREFIX = re.compile(r"^(?:đvt|đơn vị tính|đơn vị)\s*[:.]?\s*(.+)$", re.IGNORECASE)
# the whole line is a place and a date: "Sơn La, ngày … tháng … năm 2024"
_PLACE_DATE = re.compile(r"^(?:\w+ ){0,5}ngay(?: \d{1,2})? thang(?: \d{1,2})? nam(?: \d{2,4})?$")
_TOTAL_WORDS = {"tong", "cong", "tong cong", "tong so"}
_TOTAL_STARTS = ("tổng", "cộng", "tong", "cong")      # a cheap test before folding
_NOTE_PREFIXES = ("ghi chu", "chu thich", "luu y", "nguon so lieu", "nguon du lieu", "nguon")
_SIGNATURE_ANY_CASE = ("kt ", "tm ", "tl ", "q ", "noi nhan", "nguoi lap", "nguoi ky", "nguoi tong hop",
                       "xac nhan cua")
_SIGNATURE_CAPS = ("chu tich", "pho chu tich", "giam doc", "pho giam doc", "thu truong", "ke toan truong",
                   "truong phong", "truong ban", "chanh van phong", "bi thu")
_STT_HEADERS = {"stt", "tt", "so tt", "so thu tu"}


def _is_roman(text: str) -> bool:
    """I, II, IV, X …; a lone "C", "L" or "D" is a letter heading (A, B, C, D)."""
    return bool(text) and text not in ("C", "L") and bool(_ROMAN.match(text))


def _text(value) -> str:
    return value.strip() if type(value) is str else ""


def _filled(row) -> list[tuple[int, object]]:
    """Non-empty cells as (column, value); a value repeated across a horizontally merged
    range counts once."""
    out = []
    previous = object()
    for i, c in enumerate(row):
        if c is None or (type(c) is str and not c.strip()):
            previous = object()
            continue
        if c != previous:
            out.append((i, c))
        previous = c
    return out


def _row_key(row) -> tuple:
    return tuple(tabular.clean_header(c) for _, c in _filled(row))


def unit_text(text: str) -> str | None:
    """"(đồng)" → "đồng"; "ĐVT: triệu đồng" → "triệu đồng"; anything else → None."""
    text = vocab.nfc(text)
    if m := _UNIT_CELL.match(text):
        inner = m[1]
        if not re.search(r"\d", inner) or re.search(r"[a-zA-Zđ]", inner):
            inner = _UNIT_PREFIX.match(inner)[1] if _UNIT_PREFIX.match(inner) else inner
            return inner.strip() if not inner.strip().isdigit() else None
    if m := _UNIT_PREFIX.match(text):
        if vocab.fold(text).startswith(("dvt", "don vi tinh")):
            return m[1].strip(" .")
    return None


def _unit_row(cells: list[tuple[int, object]]) -> dict[int, str] | None:
    if not cells or not all(type(c) is str for _, c in cells):
        return None
    units = {i: unit_text(c) for i, c in cells}
    return units if all(units.values()) else None


def _is_total(text: str) -> bool:
    if not text or len(text) > 60 or not vocab.nfc(text[:6]).lower().startswith(_TOTAL_STARTS):
        return False
    key = vocab.fold(text)
    return key in _TOTAL_WORDS or key.startswith(("tong cong ", "tong so ", "cong toan ", "tong toan "))


def ending_kind(cells: list[tuple[int, object]]) -> str | None:
    """"note", "place_date" or "signature" for a line that ends the table, else None."""
    if not cells or len(cells) > 3 or not all(type(c) is str for _, c in cells):
        return None
    first = cells[0][1].strip()
    key = vocab.fold(first)
    if first.startswith("*") or key.startswith(_NOTE_PREFIXES) and ":" in first[:20]:
        return "note"
    for _, c in cells:
        key = vocab.fold(c)
        if _PLACE_DATE.match(key):
            return "place_date"
        if key.startswith(_SIGNATURE_ANY_CASE):
            return "signature"
        letters = [ch for ch in c if ch.isalpha()]
        if key.startswith(_SIGNATURE_CAPS) and len(key) <= 40 and all(ch.isupper() for ch in letters):
            return "signature"
    return None


def _section(cells: list[tuple[int, object]], lead: int, width: int, stt_lead: bool) -> Section | None:
    """A heading row: only its first one or two cells filled, numbered I, II … or A, B …,
    or one line in capitals; or (in an STT column) a roman numeral with subtotals."""
    if not cells:
        return None
    first_col, first = cells[0]
    head = _text(first)
    number = head.rstrip(".")
    if stt_lead and first_col == lead and (_is_roman(number) or _LETTER.match(number)):
        title = _text(cells[1][1]) if len(cells) > 1 and cells[1][0] == lead + 1 else ""
        return Section(number, title, "roman" if _is_roman(number) else "letter")
    if width < 3 or len(cells) > 2 or any(i > lead + 1 for i, _ in cells):
        return None
    if not all(type(c) is str for _, c in cells):
        return None
    if len(cells) == 2:
        number, title = head.rstrip("."), _text(cells[1][1])
        if _is_roman(number):
            return Section(number, title, "roman")
        if _LETTER.match(number):
            return Section(number, title, "letter")
        return None
    if m := _HEADING.match(head):
        style = "roman" if _is_roman(m[1]) else "letter"
        return Section(m[1], m[2].strip(), style)
    if _is_roman(head.rstrip(".")):
        return Section(head.rstrip("."), "", "roman")
    letters = [ch for ch in head if ch.isalpha()]
    if len(letters) >= 3 and all(ch.isupper() for ch in letters):
        return Section("", head, "caps")
    return None


# ----------------------------------------------------------------- the reading
def fill_vertical_merges(grid: list[list], merged, start: int) -> None:
    """A cell merged down over several data rows ("Huyện Mai Sơn" for five communes)
    applies to each of them, as a reader sees it."""
    for (r1, c1), (r2, c2) in merged or ():
        if r2 <= r1 or r2 < start or r1 >= len(grid) or c1 >= len(grid[r1]):
            continue
        value = grid[r1][c1]
        for r in range(max(r1, start), min(r2, len(grid) - 1) + 1):
            row = grid[r]
            if r == r1:
                continue
            if not isinstance(row, list):
                row = grid[r] = list(row)
            if c1 < len(row) and (row[c1] is None or row[c1] == ""):
                row[c1] = value


def read_layout(grid: list[list], merged=None, *, header_row: int | None = None,
                header_lines: int | None = None, sheet: str = "") -> Layout:
    """The table on a sheet; `header_row` (1-based) when the officer chose it, else the
    largest table found."""
    layout = _read(grid, merged, header_row, header_lines, sheet)
    if not header_row:
        layout = _larger_of(grid, merged, layout, header_lines, sheet)
    layout.guesses.sort(key=lambda g: g.first)
    return layout


def table_from_grid(grid: list[list], merged=None, *, header_row: int | None = None,
                    header_lines: int | None = None, sheet: str = "", prefer: str = "vn") -> tabular.Table:
    """The table a person reads on the sheet (read_layout decides which rows are data),
    typed; section headings become the first column ("Nhóm")."""
    layout = read_layout(grid, merged, header_row=header_row, header_lines=header_lines, sheet=sheet)
    names = list(layout.names)
    width = len(names)
    body = layout.rows
    # rows wider than the header carry data in unnamed columns; keep them
    widest = max((len(r) for r in body), default=0)
    if widest > width:
        names = names + [""] * (widest - width)
        width = widest
    if not body:
        raise tabular.TableError("no_rows")
    padded = [r if len(r) == width else list(r) + [None] * (width - len(r)) for r in body]
    columns_raw = list(zip(*padded))
    units = [layout.units.get(i, "") for i in range(width)]
    if layout.has_sections:
        names = [SECTION_COLUMN] + names
        columns_raw = [layout.section_values()] + columns_raw
        units = [""] + units
    table = tabular.build_table(names, columns_raw, prefer=prefer, units=units)
    table.header_row = layout.header_top + 1
    table.header_lines = layout.first_data - layout.header_top
    table.skipped_number_row = layout.skipped_number_row
    table.unit = layout.unit
    table.guesses = layout.guesses
    table.sheet = sheet
    return table


def _read(grid, merged, header_row, header_lines, sheet) -> Layout:
    names, top, first_data = tabular.find_header(grid, merged, header_row=header_row,
                                                 header_lines=header_lines, sheet=sheet)
    layout = Layout(names=names, header_top=top, first_data=first_data)
    _read_above(grid, layout)
    _read_body(grid, merged, layout)
    return layout


def _read_above(grid, layout: Layout) -> None:
    """The title block; a smaller table above the chosen one is named as such."""
    top = layout.header_top
    titled = [r for r in range(top) if _filled(grid[r])]
    for r in titled:
        cells = _filled(grid[r])
        if len(cells) <= 2 and (unit := unit_text(_text(cells[-1][1]))):
            layout.unit = unit
            layout.guesses.append(Guess("unit", r + 1, r + 1, unit))
    table_start = next((r for r in titled if _is_label_row(grid[r]) and not tabular._is_letterhead(grid[r])),
                       None)
    if table_start is not None:
        gap = next((r for r in range(top - 1, table_start, -1) if not _filled(grid[r])), None)
        if gap is not None:
            layout.guesses.append(Guess("other_table", table_start + 1, gap))
            before = [r for r in titled if r < table_start]
            if before:
                layout.guesses.append(Guess("title", before[0] + 1, before[-1] + 1))
            titled = [r for r in titled if r > gap]
    if titled:
        layout.guesses.append(Guess("title", titled[0] + 1, titled[-1] + 1))
    lines = layout.first_data - top
    layout.guesses.append(Guess("header", top + 1, top + lines, " | ".join(n for n in layout.names if n)))


class _Body:
    """What reading the rows under the header remembers from one row to the next."""

    __slots__ = ("grid", "layout", "lead", "width", "stt_lead", "header_keys", "header_firsts", "stack",
                 "top_seen", "blanks", "number_key", "number_first", "under_header", "section_tuple", "ended")

    def __init__(self, grid, layout: Layout):
        names = layout.names
        self.grid = grid
        self.layout = layout
        self.width = len(names)
        self.lead = lead = next((i for i, n in enumerate(names) if n), 0)
        self.stt_lead = vocab.fold(names[lead]) in _STT_HEADERS if names else False
        header = range(layout.header_top, layout.first_data)
        self.header_keys = {_row_key(grid[r]) for r in header}
        self.header_firsts = {grid[r][lead] for r in header
                              if lead < len(grid[r]) and grid[r][lead] not in (None, "")}
        self.stack: list[Section] = []
        self.top_seen = False              # a top-level (roman or capitals) section was met
        self.blanks: list[int] = []
        self.number_key, self.number_first = None, object()   # the column-number row, once met
        self.under_header = True           # the unit and column-number rows sit right under it
        self.section_tuple: tuple = ()
        self.ended = False

    def numbered_data(self, row, first) -> bool:
        """A row led by a number (STT, code, year …) is data unless it is the column-number row."""
        if self.under_header and tabular._is_column_number_row(row):
            return False
        return not (first == self.number_first and self.number_key and _row_key(row) == self.number_key)

    def skipped(self, r: int, row, first) -> bool:
        """Whether row `r` is not data (noted as a guess); `ended` once the table ends."""
        cells = _filled(row)
        if not cells:
            self.blanks.append(r + 1)
            return True
        return (self._column_numbers(r, row, first) or self._repeated_header(r, row, first)
                or self._units(r, cells) or self._total(r, cells) or self._end_or_section(r, cells))

    # each step: True when it took the row
    def _column_numbers(self, r: int, row, first) -> bool:
        """Column numbers sit under the header, or repeat after a page break."""
        if not ((self.under_header or self.number_key is not None) and tabular._is_column_number_row(row)):
            return False
        key = _row_key(row)
        if not (self.under_header or key == self.number_key):
            return False
        self.number_key, self.number_first = key, first
        self.layout.skipped_number_row = self.layout.skipped_number_row or self.under_header
        self.layout.guesses.append(Guess("column_numbers", r + 1, r + 1))
        return True

    def _repeated_header(self, r: int, row, first) -> bool:
        if not (first in self.header_firsts and _row_key(row) in self.header_keys):
            return False
        self.layout.guesses.append(Guess("repeated_header", r + 1, r + 1))
        self.under_header = True      # its column-number and unit rows follow it again
        return True

    def _units(self, r: int, cells) -> bool:
        units = _unit_row(cells) if self.under_header else None
        if not units:
            return False
        layout = self.layout
        for i, c in cells:
            if vocab.fold(c).startswith(("dvt", "don vi")):
                layout.unit = layout.unit or units[i]     # "ĐVT: …" is the table's unit
            else:
                layout.units.setdefault(i, units[i])
        layout.guesses.append(Guess("unit", r + 1, r + 1, ", ".join(dict.fromkeys(units.values()))))
        return True

    def _total(self, r: int, cells) -> bool:
        head_col, head = cells[0]
        if not (type(head) is str and head_col <= self.lead + 1 and _is_total(head.strip())):
            return False
        self.layout.guesses.append(Guess("total", r + 1, r + 1, head.strip()))
        return True

    def _end_or_section(self, r: int, cells) -> bool:
        ending = ending_kind(cells)
        section = _section(cells, self.lead, self.width, self.stt_lead)
        # a numbered heading is a section; a title in capitals may start another table
        if ending is None and (section is None or section.style == "caps") and \
                _starts_other_table(self.grid, r, cells, self.header_keys):
            ending = "other_table"
        if ending:
            _read_below(self.grid, r, ending, self.layout.guesses)   # trailing blank rows are not noted
            self.ended = True
            return True
        if section is None:
            return False
        self._enter(r, section)
        return True

    def _enter(self, r: int, section: Section) -> None:
        _note_blanks(self.layout.guesses, self.blanks)
        self.blanks = []
        # roman numerals and headings in capitals are the top level; letters are
        # under them when the document has both
        if section.style != "letter":
            self.top_seen = True
        level = 1 if section.style == "letter" and self.top_seen else 0
        self.stack = ([s for s in self.stack if s.style != "letter"] if level else []) + [section]
        self.section_tuple = tuple(self.stack)
        self.layout.guesses.append(Guess("section", r + 1, r + 1, str(section)))


def _read_body(grid, merged, layout: Layout) -> None:
    body = _Body(grid, layout)
    lead = body.lead
    fill_vertical_merges(grid, merged, layout.first_data)
    rows, numbers, sections = layout.rows, layout.row_numbers, layout.sections
    for r in range(layout.first_data, len(grid)):
        row = grid[r]
        first = row[lead] if lead < len(row) else None
        kind = type(first)
        # the common case first: a numbered data row (STT, code, year …); past the header
        # block with no column-number row met, it needs no other check
        if (kind is int or kind is float) and (
                not body.under_header and body.number_key is None or body.numbered_data(row, first)) \
                or not body.skipped(r, row, first):
            if body.blanks:       # blank rows before a data row are separators inside the table
                _note_blanks(layout.guesses, body.blanks)
                body.blanks = []
            rows.append(row)
            numbers.append(r + 1)
            sections.append(body.section_tuple)
            body.under_header = False
        elif body.ended:
            break


def _note_blanks(guesses: list[Guess], blanks: list[int]) -> None:
    """Blank rows between data rows are separators worth naming (trailing ones are not:
    the callers note only those followed by data or a section)."""
    if not blanks:
        return
    start = prev = blanks[0]
    for n in blanks[1:] + [None]:
        if n is not None and n == prev + 1:
            prev = n
            continue
        guesses.append(Guess("blank", start, prev))
        if n is not None:
            start = prev = n


def _read_below(grid, start: int, kind: str, guesses: list[Guess]) -> None:
    """Everything from the first ending line on is not data: name it block by block
    (the signer's name under "KT. CHỦ TỊCH" belongs to the signature block)."""
    current, first, last = kind, start + 1, start + 1
    for r in range(start + 1, len(grid)):
        cells = _filled(grid[r])
        if not cells:
            continue
        if current == "other_table":
            last = r + 1
            continue
        head = _text(cells[0][1])
        found = ending_kind(cells) or ("total" if head and _is_total(head) else None)
        if found and found != current:
            guesses.append(Guess(current, first, last))
            current, first = found, r + 1
        last = r + 1
    guesses.append(Guess(current, first, last))


def _starts_other_table(grid, r: int, cells, header_keys) -> bool:
    """A one-cell title followed (after blank rows) by a header-like row that is not
    this table's header: another table starts here."""
    if len(cells) != 1 or type(cells[0][1]) is not str:
        return False
    for nxt in range(r + 1, min(r + 4, len(grid))):
        following = grid[nxt]
        if not _filled(following):
            continue
        return _is_label_row(following) and _row_key(following) not in header_keys
    return False


def _is_label_row(row) -> bool:
    """Header-like and only words: a data row with a number in it is not a header."""
    return tabular._is_header_like(row) and all(type(c) is str for _, c in _filled(row))


def _larger_of(grid, merged, layout: Layout, header_lines, sheet) -> Layout:
    """When another table follows on the sheet, read it too and keep the larger."""
    other = next((g for g in layout.guesses if g.kind == "other_table"), None)
    if other is None:
        return layout
    nxt = next((r for r in range(other.first, min(other.first + 3, len(grid)))
                if tabular._is_header_like(grid[r])), None)
    if nxt is None:
        return layout
    try:
        second = _larger_of(grid, merged, _read(grid, merged, nxt + 1, header_lines, sheet),
                            header_lines, sheet)
    except tabular.TableError:
        return layout
    if len(second.rows) <= len(layout.rows):
        return layout
    # the first table is not the second's title block
    second.guesses = [Guess("other_table", layout.header_top + 1, other.first - 1),
                      *(g for g in second.guesses if g.kind != "title")]
    if nxt + 1 > other.first:
        second.guesses.insert(1, Guess("title", other.first, nxt))
    return second


