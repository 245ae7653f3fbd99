"""The annual report as an Excel workbook (and CSV), ready to send to the Provincial
People's Committee. No exported cell can be read as a formula: text cells are written
as strings with Excel's quote prefix (xlsx) or a leading apostrophe (CSV) when they
start with = + - @ or a control character.
"""
from __future__ import annotations

import csv
import datetime
import io

import ckan.plugins.toolkit as tk
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from ckanext.opendata_vn.core import formats

from ckanext.opendata_vn.core import vocab
from ckanext.opendata_vn.catalog.agencies import slug

FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")
_ = tk._


def status_label(status: str) -> str:
    return {
        "late": _("Trễ hạn"), "on_time": _("Đúng hạn"), "pending": _("Chưa đến hạn"),
        "up_to_date": _("Cập nhật đúng hạn"), "update_overdue": _("Quá hạn cập nhật"),
        "not_provided_overdue": _("Chưa cung cấp, quá hạn"), "not_provided": _("Chưa cung cấp, chưa đến hạn"),
    }.get(status, status)


def first_label(status: str) -> str:
    return {"met": _("Đúng hạn"), "missed": _("Trễ hạn"), "pending": _("Chưa đến hạn"),
            "no_date": _("Không ghi ngày")}.get(status, status)


def _d(value) -> str:
    return formats.format_date(value) if isinstance(value, (datetime.date, datetime.datetime)) else ""


def frequency_label(code: str, text: str = "") -> str:
    freq = vocab.FREQUENCY_BY_CODE.get(code or "")
    return text or (freq.label_vi if freq else "")


def summary_rows(result: dict) -> list[tuple[str, object]]:
    t = result["totals"]
    target = t.get("target")
    return [
        (_("Số cơ quan, đơn vị có tập dữ liệu trong danh mục"), t["agencies"]),
        (_("Số cơ quan, đơn vị cung cấp ít nhất một tập dữ liệu mở"), t["agencies_providing"]),
        (_("Tỷ lệ cơ quan, đơn vị cung cấp dữ liệu mở (%)"), t["share"]),
        (_("Chỉ tiêu kế hoạch"), target["label"] if target else _("Chưa cấu hình")),
        (_("Đánh giá chỉ tiêu"), (_("Đạt") if t["target_met"] else _("Chưa đạt")) if target else ""),
        (_("Số tập dữ liệu trong danh mục được phê duyệt"), t["entries"]),
        (_("Số tập dữ liệu đã công bố (có dữ liệu)"), t["published"]),
        (_("Tỷ lệ tập dữ liệu đã công bố (%)"), t["published_share"]),
        (_("Cung cấp lần đầu đúng hạn"), t["first_met"]),
        (_("Cung cấp lần đầu trễ hạn hoặc quá hạn chưa cung cấp"), t["first_missed"]),
        (_("Chưa đến hạn cung cấp lần đầu"), t["first_pending"]),
        (_("Danh mục không ghi ngày cung cấp lần đầu"), t["first_no_date"]),
        (_("Tập dữ liệu cập nhật đúng hạn"), t["up_to_date"]),
        (_("Tập dữ liệu quá hạn cập nhật"), t["update_overdue"]),
        (_("Tập dữ liệu chưa cung cấp, đã quá hạn"), t["not_provided_overdue"]),
        (_("Số cơ quan, đơn vị trễ hạn"), t["agencies_late"]),
    ]


AGENCY_COLUMNS = (
    ("title", lambda: _("Cơ quan, đơn vị")), ("entries", lambda: _("Số tập trong danh mục")),
    ("published", lambda: _("Đã công bố")), ("published_share", lambda: _("Tỷ lệ công bố (%)")),
    ("first_met", lambda: _("Lần đầu đúng hạn")), ("first_missed", lambda: _("Lần đầu trễ hạn")),
    ("first_pending", lambda: _("Chưa đến hạn")), ("up_to_date", lambda: _("Cập nhật đúng hạn")),
    ("update_overdue", lambda: _("Quá hạn cập nhật")), ("not_provided_overdue", lambda: _("Chưa cung cấp, quá hạn")),
    ("open_datasets", lambda: _("Số tập dữ liệu mở")), ("provides_open_data", lambda: _("Có dữ liệu mở")),
    ("status", lambda: _("Tình trạng")),
)


def agency_cells(a: dict) -> list:
    out = []
    for key, _label in AGENCY_COLUMNS:
        value = a.get(key)
        if key == "provides_open_data":
            value = _("Có") if value else _("Chưa")
        elif key == "status":
            value = status_label(value)
        out.append(value)
    return out


def totals_cells(result: dict) -> list:
    t = result["totals"]
    row = []
    for key, _label in AGENCY_COLUMNS:
        if key == "title":
            row.append(_("Toàn tỉnh"))
        elif key == "provides_open_data":
            row.append(f"{t['agencies_providing']}/{t['agencies']}")
        elif key == "status":
            row.append(_("{n} đơn vị trễ hạn").format(n=t["agencies_late"]))
        elif key == "open_datasets":
            row.append(None)
        else:
            row.append(t.get(key))
    return row


# ----------------------------------------------------------------- xlsx
def _safe_text(value: str) -> str:
    return ILLEGAL_CHARACTERS_RE.sub("", vocab.nfc(value) if value else "")


def put(ws, row: int, col: int, value, bold: bool = False):
    """Write one cell; text is always a string cell, never a formula."""
    cell = ws.cell(row=row, column=col)
    if isinstance(value, str):
        text = _safe_text(value)
        cell.value = text
        cell.data_type = "s"
        if text.startswith(FORMULA_START):
            cell.quotePrefix = True
    elif isinstance(value, bool):
        cell.value = _("Có") if value else _("Không")
        cell.data_type = "s"
    elif isinstance(value, (datetime.date, datetime.datetime)):
        cell.value = value
        cell.number_format = "DD/MM/YYYY"
    else:
        cell.value = value
    if bold:
        cell.font = _BOLD
    return cell


_THIN = Side(style="thin", color="999999")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEAD_FILL = PatternFill("solid", fgColor="DDEBF7")
_HEAD_ALIGN = Alignment(wrap_text=True, vertical="center", horizontal="center")
_CELL_ALIGN = Alignment(wrap_text=True, vertical="top")
_BOLD = Font(bold=True)


def _table(ws, top: int, headers: list[str], rows: list[list], widths: list[int]) -> int:
    for col, header in enumerate(headers, start=1):
        cell = put(ws, top, col, header, bold=True)
        cell.fill = _HEAD_FILL
        cell.border = _BORDER
        cell.alignment = _HEAD_ALIGN
    for r, values in enumerate(rows, start=top + 1):
        for col, value in enumerate(values, start=1):
            cell = put(ws, r, col, value)
            cell.border = _BORDER
            cell.alignment = _CELL_ALIGN
    for col, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(col)].width = width
    ws.freeze_panes = ws.cell(row=top + 1, column=1)
    return top + len(rows)


def _heading(ws, result: dict, title: str, width: int) -> int:
    put(ws, 1, 1, title, bold=True).font = Font(bold=True, size=13)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    put(ws, 2, 1, _("Tỉnh {province}; số liệu tính đến ngày {date}").format(
        province=result["province"], date=_d(result["as_of"])))
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=width)
    put(ws, 3, 1, catalogs_line(result))
    ws.merge_cells(start_row=3, start_column=1, end_row=3, end_column=width)
    return 5


def catalogs_line(result: dict) -> str:
    if not result["catalogs"]:
        return _("Chưa có danh mục dữ liệu mở được công bố cho năm {year}.").format(year=result["year"])
    parts = []
    for c in result["catalogs"]:
        doc = ""
        if c.get("document_number"):
            doc = _(" (Quyết định số {number}{date})").format(
                number=c["document_number"], date=_(" ngày {d}").format(d=c["document_date"]) if c.get("document_date") else "")
        parts.append(c["title"] + doc)
    prefix = _("Căn cứ kế hoạch: ") if result["basis"] == "plan" else _("Căn cứ danh mục: ")
    return prefix + "; ".join(parts)


def xlsx(result: dict) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = _("Tổng hợp")
    title = _("BÁO CÁO KẾT QUẢ CUNG CẤP DỮ LIỆU MỞ NĂM {year}").format(year=result["year"])
    top = _heading(ws, result, title, 2)
    _table(ws, top, [_("Chỉ tiêu"), _("Số liệu")], [[k, v] for k, v in summary_rows(result)], [70, 18])
    extra = top + len(summary_rows(result)) + 2
    if result.get("review_months"):
        put(ws, extra, 1, _("Quy định rà soát: cập nhật hoặc xác nhận ít nhất {n} tháng một lần; "
                            "thời gian gia hạn {g} ngày.").format(n=result["review_months"], g=result["grace_days"]))
    else:
        put(ws, extra, 1, _("Thời gian gia hạn cập nhật: {g} ngày.").format(g=result["grace_days"]))

    ws2 = wb.create_sheet(_("Theo đơn vị"))
    top = _heading(ws2, result, _("KẾT QUẢ THEO CƠ QUAN, ĐƠN VỊ NĂM {year}").format(year=result["year"]),
                   len(AGENCY_COLUMNS) + 1)
    rows = [[i, *agency_cells(a)] for i, a in enumerate(result["agencies"], start=1)]
    rows.append(["", *totals_cells(result)])
    last = _table(ws2, top, [_("STT")] + [label() for _k, label in AGENCY_COLUMNS], rows,
                  [6, 48] + [12] * (len(AGENCY_COLUMNS) - 2) + [16])
    for col in range(1, len(AGENCY_COLUMNS) + 2):
        ws2.cell(row=last, column=col).font = Font(bold=True)

    ws3 = wb.create_sheet(_("Quá hạn"))
    top = _heading(ws3, result, _("DANH SÁCH TẬP DỮ LIỆU QUÁ HẠN"), 9)
    _table(ws3, top, [_("STT"), _("Cơ quan, đơn vị"), _("TT trong danh mục"), _("Tên tập dữ liệu"), _("Tình trạng"),
                      _("Hạn"), _("Số ngày quá hạn"), _("Cập nhật lần cuối"), _("Tần suất")],
           [[i, r["agency_title"], r["number"], r["title"], status_label(r["status"]), r["deadline"] or r["due"],
             r["days_late"], r["last_update"], frequency_label(r["frequency"], r["frequency_text"])]
            for i, r in enumerate(result["overdue"], start=1)],
           [6, 40, 10, 60, 24, 12, 12, 14, 16])

    ws4 = wb.create_sheet(_("Chi tiết"))
    top = _heading(ws4, result, _("CHI TIẾT CÁC TẬP DỮ LIỆU TRONG DANH MỤC"), 11)
    _table(ws4, top, [_("STT"), _("TT"), _("Tên tập dữ liệu"), _("Cơ quan, đơn vị"), _("Ngày cung cấp lần đầu"),
                      _("Đã công bố"), _("Ngày có dữ liệu"), _("Lần đầu"), _("Cập nhật lần cuối"), _("Hạn cập nhật"),
                      _("Tình trạng")],
           [[i, r["number"], r["title"], r["agency_title"], r["first_due"], r["published"], r["first_data"],
             first_label(r["first_status"]), r["last_update"], r["update_due"], status_label(r["status"])]
            for i, r in enumerate(sorted(result["entries"], key=lambda r: (r["agency_title"], r["title"])), start=1)],
           [6, 8, 60, 40, 14, 10, 14, 14, 14, 14, 24])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


# ----------------------------------------------------------------- csv
def csv_cell(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("Có") if value else _("Không")
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    if isinstance(value, str):
        value = vocab.nfc(value)
        if value.startswith(FORMULA_START):
            return "'" + value
    return value


def csv_bytes(result: dict) -> bytes:
    """The per-agency table and the provincial total (UTF-8 with BOM for Excel)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([csv_cell(x) for x in (_("Năm"), _("Tỉnh"), _("Tính đến"), _("STT"),
                                           *[label() for _k, label in AGENCY_COLUMNS])])
    lead = [result["year"], result["province"], result["as_of"]]
    for i, a in enumerate(result["agencies"], start=1):
        writer.writerow([csv_cell(x) for x in (*lead, i, *agency_cells(a))])
    writer.writerow([csv_cell(x) for x in (*lead, "", *totals_cells(result))])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def filename(result: dict, ext: str) -> str:
    return f"bao-cao-du-lieu-mo-{slug(result['province'])}-{result['year']}.{ext}"
