"""One catalog row (as a document or workbook states it) → the dataset it describes.

Shared by the seed loader and the appendix workbook import, so both apply the same
rules: theme and frequency mapped to the vocabularies, agencies split on ";",
dates parsed to the end of the period they name, original wording kept.
"""
from __future__ import annotations

import calendar
import datetime
import re
from dataclasses import dataclass, field

from ckanext.opendata_vn.core import vocab
_ROMAN = {"I": 1, "II": 2, "III": 3, "IV": 4}


def _end_of_month(year: int, month: int) -> datetime.date:
    return datetime.date(year, month, calendar.monthrange(year, month)[1])


def parse_first_provided(text: str) -> datetime.date | None:
    """"01/01/2025" → that day; "Quý III/2024" → 2024-09-30; "Tháng 6/2024",
    "06/2024" → 2024-06-30; "Năm 2024", "2024" → 2024-12-31; anything else → None."""
    key = vocab.fold(text)
    if not key:
        return None
    if m := re.fullmatch(r"(?:ngay )?(\d{1,2}) (\d{1,2}) (\d{4})", key):
        try:
            return datetime.date(int(m[3]), int(m[2]), int(m[1]))
        except ValueError:
            return None
    if m := re.fullmatch(r"(\d{4}) (\d{1,2}) (\d{1,2})", key):
        try:
            return datetime.date(int(m[1]), int(m[2]), int(m[3]))
        except ValueError:
            return None
    if m := re.fullmatch(r"(?:quy|qui) (i{1,3}|iv|[1-4]) (?:nam )?(\d{4})", key):
        q = _ROMAN.get(m[1].upper()) or int(m[1])
        return _end_of_month(int(m[2]), q * 3)
    if m := re.fullmatch(r"(?:thang )?(\d{1,2}) (?:nam )?(\d{4})", key):
        if 1 <= int(m[1]) <= 12:
            return _end_of_month(int(m[2]), int(m[1]))
    if m := re.fullmatch(r"(?:nam )?(\d{4})", key):
        return datetime.date(int(m[1]), 12, 31)
    return None


_BRACKETS = re.compile(r"\s*\([^)]*\)")


def split_agencies(text: str) -> list[str]:
    """"Sở A (đơn vị trực thuộc); UBND cấp huyện" → ["Sở A", "UBND cấp huyện"]."""
    names = []
    for part in vocab.nfc(text).split(";"):
        name = _BRACKETS.sub("", part).strip(" -–,.")
        # "Sở Công Thương phối hợp thu thập, cung cấp": the duty is not part of the name
        name = re.split(r"\s+phối hợp\b", name)[0].strip()
        if name and name not in names:
            names.append(name)
    return names


def agency_from_header(theme_text: str) -> str | None:
    """A section header that names an agency ("SỞ TÀI CHÍNH") instead of a theme."""
    text = vocab.nfc(theme_text)
    if vocab.fold(text).startswith("so "):
        words = text.split()
        return " ".join([words[0].capitalize()] + [words[1].capitalize()] + [w.lower() for w in words[2:]])
    return None


def description_fields(description: str) -> list[str]:
    """The appendix's bullet list of fields ("- Họ và tên") as a list."""
    return [ln[2:].strip() for ln in description.splitlines() if ln.startswith("- ") and ln[2:].strip()]


def remarks_for(row: dict, flags: list[str]) -> str:
    """The dataset's Ghi chú: the row's notes, what extraction lost, what needs review."""
    return "\n".join(x for x in [row.get("notes") or "", row.get("extraction_note") or ""] + flags if x)


@dataclass
class RowError:
    row: int          # 1-based position in the file or sheet row number
    number: str       # TT as printed
    column: str       # the Decree 47 column, in Vietnamese
    reason: str

    def __str__(self) -> str:
        tt = f" (TT {self.number})" if self.number else ""
        return f"Dòng {self.row}{tt}, cột \"{self.column}\": {self.reason}"


@dataclass
class PlannedEntry:
    """A validated row: the entry as written plus the dataset fields derived from it."""
    position: int
    row: dict
    theme: vocab.Theme
    agencies: list[str]
    dataset: dict = field(default_factory=dict)
    flags: list[str] = field(default_factory=list)
    line: int = 0     # row number to name in messages (sheet row, or position in the file)


def _row_theme(row: dict, header_agency: str | None, flags: list[str]) -> vocab.Theme:
    """The theme the row's heading names, as written: one theme; several ("XÂY DỰNG,
    GIAO THÔNG": the one the entry's title, description or agency name most); a theme chosen by IT staff in
    the preview ("theme_code"); else "Khác", flagged for review. Never an error."""
    from ckanext.opendata_vn.catalog.themes import closest_theme, heading_themes
    heading = row.get("theme") or ""
    chosen = vocab.THEME_BY_CODE.get(row.pop("theme_code", None) or "")
    if chosen is not None:
        return chosen
    options = heading_themes(heading)
    if not options and header_agency:
        options = heading_themes(header_agency.split(" ", 1)[1])
    if len(options) == 1:
        return options[0]
    if options:
        theme = closest_theme(options, row.get("title") or "", row.get("description") or "",
                              row.get("agency") or "")
        flags.append(f"Tiêu đề mục \"{heading}\" gồm các chủ đề "
                     f"{', '.join(t.title_vi for t in options)}; xếp vào \"{theme.title_vi}\", cần rà soát.")
        return theme
    flags.append(f"Tiêu đề mục \"{heading}\" không khớp chủ đề nào; tạm xếp vào \"Khác\", "
                 "cán bộ CNTT cần chọn chủ đề." if heading else
                 "Dòng không thuộc mục chủ đề nào; tạm xếp vào \"Khác\", cán bộ CNTT cần chọn chủ đề.")
    return vocab.THEME_BY_CODE["khac"]


def plan_row(position: int, row: dict, province: str) -> tuple[PlannedEntry | None, list[RowError]]:
    row = {k: (vocab.nfc(v) if isinstance(v, str) else v) for k, v in row.items()}
    # messages name the workbook's own row number when the row came from a sheet
    line = row.pop("_sheet_row", None) or position
    number = row.get("number") or ""
    errors: list[RowError] = []
    if not row.get("title"):
        errors.append(RowError(line, number, "Tên tập dữ liệu",
                               "trống; mỗi dòng cần tên tập dữ liệu (hoặc xóa dòng này)"))
    header_agency = agency_from_header(row.get("theme", ""))
    flags: list[str] = []
    theme = _row_theme(row, header_agency, flags)
    agencies = split_agencies(row.get("agency", ""))
    if not agencies and header_agency:
        agencies = [header_agency]
        flags.append(f"Đơn vị lấy từ tiêu đề mục \"{row.get('theme')}\" vì ô đơn vị trống.")
    if not agencies:
        errors.append(RowError(line, number, "Đơn vị chủ trì cung cấp",
                               "trống; ghi tên đơn vị chủ trì (nhiều đơn vị cách nhau bằng dấu \";\")"))
    if errors:
        return None, errors

    freq = vocab.match_frequency(row.get("frequency"))
    if freq and not freq.matched:
        flags.append(f"Tần suất \"{freq.text}\" không khớp danh sách; giữ nguyên văn, cần rà soát.")
    first_text = row.get("first_provided") or ""
    first = parse_first_provided(first_text)
    if first_text and first is None:
        flags.append(f"Ngày cung cấp lần đầu \"{first_text}\" không đọc được thành ngày; giữ nguyên văn.")
    description = row.get("description") or ""
    remarks = remarks_for(row, flags)
    dataset = {
        "title": row["title"],
        "notes": description,
        "data_fields": description_fields(description),
        "original_agency": row.get("agency") or "",
        "theme": theme.code,
        "province": province,
        "first_provided": first.isoformat() if first else "",
        "first_provided_text": first_text,
        "update_frequency": freq.frequency.code if freq else "",
        "update_frequency_text": freq.text if freq else "",
        "source_types": vocab.match_sources(row.get("source")),
        "remarks": remarks,
    }
    return PlannedEntry(position, row, theme, agencies, dataset, flags, line), []
