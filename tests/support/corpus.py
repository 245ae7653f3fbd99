"""A corpus of agency files of our own making, each with its expected reading.

The files are the shapes agencies really send (letterheads and title blocks, merged
two-line headers, the "(1) (2) (3)" row, unit rows, section rows, blank separators,
headers repeated on page breaks, totals, notes, place-and-date lines, signature blocks,
several sheets or tables, Windows-1258 CSV, legacy .xls, .ods), written
deterministically at test time (openpyxl .xlsx, xlwt .xls, odfpy .ods, CSV bytes).

Every path that reads an agency's table runs over the same cases:
`tests/harvest/test_corpus.py` (the reader directly, and the vn_excel harvester
through a loopback HTTP server), `tests/catalog/test_corpus_appendix.py` (the appendix
import, for appendix-shaped files). The upload loader can parametrize over `CASES` too:

    from tests.support.corpus import CASES, check_table
    @pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
    def test_upload(case, tmp_path): ... path = case.write(tmp_path) ...

Expected values are written as the published CSV writes them (text), so one
expectation fits the reader's typed table, the CSV, the JSON and the DataStore.
"""
from __future__ import annotations

import datetime
import io
from dataclasses import dataclass, field
from pathlib import Path

D = datetime.date


# ----------------------------------------------------------------- writers
@dataclass
class Sheet:
    name: str
    rows: list[list]
    merges: list[str] = field(default_factory=list)     # "A1:E1"
    hidden: bool = False


def _cell_index(ref: str) -> tuple[int, int]:
    letters = "".join(c for c in ref if c.isalpha())
    col = 0
    for ch in letters:
        col = col * 26 + ord(ch.upper()) - 64
    return int(ref[len(letters):]) - 1, col - 1


def _range(rng: str) -> tuple[int, int, int, int]:
    a, b = rng.split(":")
    (r1, c1), (r2, c2) = _cell_index(a), _cell_index(b)
    return r1, r2, c1, c2


def xlsx(*sheets: Sheet) -> bytes:
    import openpyxl
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for spec in sheets:
        ws = wb.create_sheet(spec.name)
        for row in spec.rows:
            ws.append(list(row))
        for rng in spec.merges:
            ws.merge_cells(rng)
        if spec.hidden:
            ws.sheet_state = "hidden"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def xls(*sheets: Sheet) -> bytes:
    import xlwt
    book = xlwt.Workbook(encoding="utf-8")
    date_style = xlwt.easyxf(num_format_str="DD/MM/YYYY")
    for spec in sheets:
        ws = book.add_sheet(spec.name)
        covered = set()
        for rng in spec.merges:
            r1, r2, c1, c2 = _range(rng)
            covered |= {(r, c) for r in range(r1, r2 + 1) for c in range(c1, c2 + 1)} - {(r1, c1)}
        for r, row in enumerate(spec.rows):
            for c, value in enumerate(row):
                if value is None or (r, c) in covered:
                    continue
                if isinstance(value, datetime.date):
                    ws.write(r, c, value, date_style)
                else:
                    ws.write(r, c, value)
        for rng in spec.merges:
            ws.merge(*_range(rng))
        if spec.hidden:
            ws.visibility = 1
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def ods(*sheets: Sheet) -> bytes:
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import Table, TableCell, TableRow
    from odf.text import P
    doc = OpenDocumentSpreadsheet()
    for spec in sheets:
        table = Table(name=spec.name)
        for row in spec.rows:
            tr = TableRow()
            for value in row:
                if value is None:
                    cell = TableCell()
                elif isinstance(value, bool) or not isinstance(value, (int, float, datetime.date, str)):
                    raise TypeError(value)
                elif isinstance(value, (int, float)):
                    cell = TableCell(valuetype="float", value=value)
                    cell.addElement(P(text=str(value)))
                elif isinstance(value, datetime.date):
                    cell = TableCell(valuetype="date", datevalue=value.isoformat())
                    cell.addElement(P(text=value.strftime("%d/%m/%Y")))
                else:
                    cell = TableCell(valuetype="string")
                    for line in value.split("\n"):
                        cell.addElement(P(text=line))
                tr.addElement(cell)
            table.addElement(tr)
        doc.spreadsheet.addElement(table)
    out = io.BytesIO()
    doc.write(out)
    return out.getvalue()


def csv_bytes(rows: list[list], delimiter: str = ",", encoding: str = "utf-8") -> bytes:
    import csv
    buf = io.StringIO()
    csv.writer(buf, delimiter=delimiter, lineterminator="\r\n").writerows(
        [["" if v is None else v for v in row] for row in rows])
    text = buf.getvalue()
    if encoding == "cp1258":
        return to_cp1258(text)
    return text.encode(encoding)


def to_cp1258(text: str) -> bytes:
    """As Windows writes Vietnamese in code page 1258: â, ơ, ư… precomposed, the five
    tone marks as combining characters after the letter."""
    import unicodedata
    tones = "\u0300\u0301\u0303\u0309\u0323"
    out = []
    for ch in text:
        decomposed = unicodedata.normalize("NFD", ch)
        base = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in tones))
        out.append(base + "".join(c for c in decomposed if c in tones))
    return "".join(out).encode("cp1258")


# ----------------------------------------------------------------- expectations
@dataclass
class TableExpect:
    header: list[str]                      # column names, in order
    rows: int
    first: dict                            # column → value as the CSV writes it
    last: dict
    ignored: list[tuple[str, int, int]]    # (kind, first row, last row) the reader reports
    sections: list[str] = field(default_factory=list)   # distinct «Nhóm» values, in order
    types: dict = field(default_factory=dict)           # column → DataStore type
    units: dict = field(default_factory=dict)           # column → unit
    sheet: str = ""


@dataclass
class AppendixExpect:
    rows: int
    titles: tuple[str, str]                # first and last dataset title
    themes: dict                           # dataset title → theme code
    headings: dict                         # dataset title → heading as written
    warnings: int                          # at least this many rows flagged for review
    province: str = ""
    year: int = 0


@dataclass
class Case:
    name: str                              # file name
    build: object                          # () -> bytes
    table: TableExpect
    appendix: AppendixExpect | None = None
    config: dict = field(default_factory=dict)    # sheet / header_row, as an officer sets them
    _content: bytes | None = None

    @property
    def fmt(self) -> str:
        return self.name.rsplit(".", 1)[1]

    @property
    def content(self) -> bytes:
        if self._content is None:
            self._content = self.build()
        return self._content

    def write(self, directory: Path) -> Path:
        path = Path(directory) / self.name
        path.write_bytes(self.content)
        return path


LETTERHEAD = [["UBND TỈNH SƠN LA", None, None, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"],
              ["SỞ TÀI CHÍNH", None, None, "Độc lập - Tự do - Hạnh phúc"]]


# 1 ---------------------------------------------------------------------------
def _price_list() -> bytes:
    rows = LETTERHEAD + [
        [None],
        ["BẢNG GIÁ HÀNG HÓA, DỊCH VỤ THÁNG 3 NĂM 2024"],
        [None, None, None, None, "ĐVT: đồng"],
        ["STT", "Tên hàng hóa, dịch vụ", "Đơn vị tính", "Giá bình quân", "Ghi chú"],
        ["(1)", "(2)", "(3)", "(4)", "(5)"],
        ["I", "LƯƠNG THỰC, THỰC PHẨM"],
        [1, "Gạo tẻ thường", "kg", "15.250,5", None],
        [2, "Thịt lợn hơi", "kg", "62.000", None],
        [3, "Cá chép", "kg", "75.500", "Loại 1 kg/con"],
        ["II", "VẬT LIỆU XÂY DỰNG"],
        [4, "Xi măng PCB40", "tấn", "1.450.000", None],
        [5, "Thép cuộn D6", "kg", "16.800", None],
        [None, "Tổng cộng", None, "1.619.550,5", None],
        ["Ghi chú: giá bình quân trên địa bàn thành phố Sơn La."],
        [None, None, None, "Sơn La, ngày 05 tháng 4 năm 2024"],
        ["Người lập biểu", None, None, "KT. GIÁM ĐỐC"],
        [None, None, None, "PHÓ GIÁM ĐỐC"],
        [None],
        ["Lò Văn Hùng", None, None, "Cầm Thị Mai"],
    ]
    return xlsx(Sheet("Giá T3", rows, ["A4:E4"]))


# 2 ---------------------------------------------------------------------------
def _schools_by_area() -> bytes:
    rows = [
        ["THỐNG KÊ TRƯỜNG HỌC THEO KHU VỰC NĂM HỌC 2024-2025"],
        [None],
        ["STT", "Huyện/thành phố", "Tên trường", "Số lớp", "Số học sinh"],
        ["A. Khu vực thành phố"],
        [1, "Thành phố Sơn La", "Trường THCS Chiềng Lề", 18, 640],
        [2, None, "Trường Tiểu học Tô Hiệu", 24, 812],
        [3, None, "Trường Mầm non Hoa Ban", 12, 355],
        [None, "Cộng", None, 54, 1807],
        [None],
        ["B. Khu vực nông thôn"],
        [4, "Huyện Mai Sơn", "Trường THCS Cò Nòi", 16, 520],
        [5, None, "Trường Tiểu học Hát Lót", 20, 633],
        [None],
        [6, "Huyện Mường La", "Trường PTDTBT THCS Ngọc Chiến", 10, 298],
        [None, "Cộng", None, 46, 1451],
        [None, "Tổng cộng", None, 100, 3258],
    ]
    # the district is merged down over its schools
    return xlsx(Sheet("Trường học", rows, ["A1:E1", "B5:B7", "B11:B12"]))


# 3 ---------------------------------------------------------------------------
def _population() -> bytes:
    rows = [
        ["DÂN SỐ TRUNG BÌNH PHÂN THEO GIỚI TÍNH"],
        ["Đơn vị tính: người"],
        ["Mã xã", "Tên xã", "Dân số", None, "Ngày cập nhật"],
        [None, None, "Nam", "Nữ", None],
        ["(1)", "(2)", "(3)", "(4)", "(5)"],
        ["14101", "Phường Chiềng Lề", 6120, 6340, D(2024, 12, 31)],
        ["14104", "Phường Tô Hiệu", 7012, 7105, D(2024, 12, 31)],
        ["14107", "Phường Quyết Thắng", 5980, 6011, D(2024, 12, 31)],
        ["14110", "Xã Chiềng Ngần", 4120, 4055, "31/12/2024"],
        [None, "Tổng số", 23232, 23511, None],
        ["* Số liệu sơ bộ, có thể điều chỉnh."],
    ]
    return xlsx(Sheet("Dân số", rows, ["A1:E1", "A3:A4", "B3:B4", "C3:D3", "E3:E4"]))


# 4 ---------------------------------------------------------------------------
_PERMIT_HEADER = ["STT", "Số giấy phép", "Ngày cấp", "Chủ đầu tư", "Địa điểm", "Diện tích (m²)"]


def _permits() -> bytes:
    rows = [["DANH SÁCH GIẤY PHÉP XÂY DỰNG ĐÃ CẤP NĂM 2024"], [None], _PERMIT_HEADER,
            [1, 2, 3, 4, 5, 6]]
    for i in range(1, 25):
        if i in (11, 21):    # the page breaks: the header printed again
            rows += [_PERMIT_HEADER, [1, 2, 3, 4, 5, 6]]
        rows.append([i, f"{i:03d}/GPXD", D(2024, 1 + i % 12, 1 + i % 27),
                     f"Công ty TNHH Xây dựng số {i}", f"Phường Tô Hiệu, tổ {i}", 120.5 + i])
    rows += [[None], [None, None, None, None, "TM. ỦY BAN NHÂN DÂN"], [None, None, None, None, "CHỦ TỊCH"]]
    return xls(Sheet("GPXD", rows))


# 5 ---------------------------------------------------------------------------
def _households_cp1258() -> bytes:
    rows = [["DANH SÁCH HỘ KINH DOANH ĐĂNG KÝ MỚI QUÝ I/2025"],
            ["Mã số hộ", "Tên hộ kinh doanh", "Ngành nghề", "Vốn (triệu đồng)", "Ngày đăng ký"],
            ["24A8000123", "Hộ kinh doanh Bánh cuốn Mường Thanh", "Ăn uống", "50", "02/01/2025"],
            ["24A8000124", "Hộ kinh doanh Tạp hoá Hồng Nhung", "Bán lẻ", "120,5", "15/01/2025"],
            ["24A8000125", "Hộ kinh doanh Sửa xe Điện Biên", "Sửa chữa", "35", "03/02/2025"],
            ["24A8000126", "Hộ kinh doanh Chè Tà Xùa", "Nông sản", "1.200", "28/03/2025"],
            ["", "Tổng cộng", "", "1.405,5", ""],
            ["", "", "", "Người lập biểu", ""]]
    return csv_bytes(rows, delimiter=";", encoding="cp1258")


# 6 ---------------------------------------------------------------------------
def _socio_economic_ods() -> bytes:
    rows = [["MỘT SỐ CHỈ TIÊU KINH TẾ - XÃ HỘI CHỦ YẾU NĂM 2024"],
            ["TT", "Chỉ tiêu", "Đơn vị tính", "Kế hoạch", "Thực hiện"],
            ["I", "Chỉ tiêu kinh tế", None, None, None],
            [1, "Tốc độ tăng trưởng GRDP", "%", 7.5, 7.92],
            [2, "Thu ngân sách trên địa bàn", "tỷ đồng", 5600, 5834.2],
            ["II", "Chỉ tiêu xã hội", None, None, None],
            [3, "Tỷ lệ hộ nghèo", "%", 15.2, 14.9],
            [4, "Số lao động được tạo việc làm", "người", 20000, 21350],
            ["III", "Chỉ tiêu môi trường", None, None, None],
            [5, "Tỷ lệ che phủ rừng", "%", 47, 47.1],
            [None],
            [None, None, None, "Sơn La, ngày 10 tháng 01 năm 2025"],
            [None, None, None, "KT. CHỦ TỊCH"]]
    return ods(Sheet("Chỉ tiêu", rows))


# 7 ---------------------------------------------------------------------------
def _several_sheets() -> bytes:
    guide = Sheet("Hướng dẫn", [["Hướng dẫn điền biểu"], ["Cột", "Nội dung"], ["Mã", "Mã đơn vị hành chính"],
                                ["Tên", "Tên đơn vị"], ["Số", "Số liệu"]])
    codes = Sheet("Danh mục mã", [["Mã", "Tên"], ["01", "Thành thị"], ["02", "Nông thôn"]], hidden=True)
    rows = [["Mã xã", "Tên xã", "Số hộ", "Số hộ nghèo", "Tỷ lệ (%)"]]
    for i in range(1, 13):
        rows.append([f"141{i:02d}", f"Xã số {i}", 800 + 10 * i, 40 + i, f"{(40 + i) / (800 + 10 * i) * 100:.2f}".replace(".", ",")])
    return xlsx(guide, codes, Sheet("Số liệu", rows))


# 8 ---------------------------------------------------------------------------
def _two_tables() -> bytes:
    rows = [["BẢNG 1. TỔNG HỢP THEO LOẠI HÌNH"],
            ["Loại hình", "Số cơ sở"],
            ["Công lập", 25],
            ["Ngoài công lập", 7],
            [None],
            ["BẢNG 2. DANH SÁCH CƠ SỞ KHÁM CHỮA BỆNH"],
            ["Mã cơ sở", "Tên cơ sở", "Loại hình", "Số giường bệnh"]]
    for i in range(1, 11):
        rows.append([f"KCB{i:03d}", f"Trạm y tế xã số {i}", "Công lập" if i % 3 else "Ngoài công lập", 5 + i])
    return xlsx(Sheet("Y tế", rows))


# 9 ---------------------------------------------------------------------------
def _land_prices_utf8() -> bytes:
    rows = [["Tuyến đường", "Đoạn từ", "Đến", "Giá đất ở (đồng/m²)"],
            ["Đường Tô Hiệu", "Ngã ba Cầu Trắng", "Ngã tư Chiềng Lề", "25.000.000"],
            ["Đường Chu Văn Thịnh", "Đầu đường", "Cuối đường", "18.500.000"],
            ["Đường Lò Văn Giá", "Cầu Nậm La", "Bản Hài", "9.200.000"],
            ["", "", "", ""],
            ["* Giá đất tính cho vị trí 1 (mặt tiền).", "", "", ""],
            ["Nguồn: Sở Tài nguyên và Môi trường", "", "", ""]]
    return b"\xef\xbb\xbf" + csv_bytes(rows)


# 10 --------------------------------------------------------------------------
def _chosen_header_row() -> bytes:
    summary = Sheet("Tổng hợp", [["Chỉ tiêu", "Giá trị"], ["Số công trình", 3]])
    rows = [["Ghi chú", "Cán bộ", "Ngày"],          # an officer's memo line, header-like
            ["Biểu đã rà soát", "Phòng QLXD", "12/03/2025"],
            [None],
            ["Mã công trình", "Tên công trình", "Tổng mức đầu tư (triệu đồng)", "Năm khởi công"],
            ["CT-01", "Cầu bản Púng", "12.500", 2023],
            ["CT-02", "Đường nội thị phường Chiềng An", "48.000", 2024],
            ["CT-03", "Trường mầm non Chiềng Cọ", "9.750", 2025]]
    return xlsx(summary, Sheet("Công trình", rows))


# 11: the appendix ----------------------------------------------------
APPENDIX_HEADER = ["TT", "Tên tập dữ liệu", "Mô tả", "Đơn vị chủ trì cung cấp", "Ngày cung cấp lần đầu",
                   "Tần suất cung cấp", "Nguồn cơ sở dữ liệu", "Ghi chú"]


def _appendix_rows() -> tuple[list[list], list[str]]:
    rows = LETTERHEAD + [
        [None],
        ["PHỤ LỤC"],
        ["DANH MỤC DỮ LIỆU MỞ TỈNH SƠN LA NĂM 2026"],
        ["(Kèm theo Quyết định số 145/QĐ-UBND ngày 20/01/2026 của UBND tỉnh Sơn La)"],
        [None],
        ["TT", "Tên tập dữ liệu", "Mô tả", "Đơn vị chủ trì cung cấp", "Thời gian cung cấp", None,
         "Nguồn cơ sở dữ liệu", "Ghi chú"],
        [None, None, None, None, "Ngày cung cấp lần đầu", "Tần suất cung cấp", None, None],
        ["(1)", "(2)", "(3)", "(4)", "(5)", "(6)", "(7)", "(8)"],
        ["I", "CHỦ ĐỀ GIÁO DỤC"],
        [1, "Danh sách trường học", "- Tên trường\n- Địa chỉ\n- Loại hình", "Sở Giáo dục và Đào tạo",
         D(2026, 3, 31), "Năm học", "CSDL ngành giáo dục", None],
        [2, "Số lượng học sinh theo cấp học", "- Cấp học\n- Số học sinh", "Sở Giáo dục và Đào tạo",
         46022, "Năm", "Excel", None],
        ["II", "LĨNH VỰC XÂY DỰNG, GIAO THÔNG"],
        [1, "Danh sách giấy phép xây dựng", "- Số giấy phép\n- Chủ đầu tư", "Sở Xây dựng",
         "30/06/2026", "Tháng", "Hệ thống một cửa", None],
        [2, "Tuyến xe buýt nội tỉnh", "- Tuyến\n- Lộ trình", "Sở Giao thông vận tải",
         D(2026, 6, 30), "6 tháng", "Excel", None],
        [3, "Danh mục công trình xây dựng trọng điểm", "- Tên công trình\n- Vốn", "Sở Xây dựng",
         "Quý III/2026", "Quý", "Excel", None],
        ["III", "LĨNH VỰC AN NINH TRẬT TỰ"],
        [1, "Số vụ tai nạn giao thông", "- Số vụ\n- Số người bị thương", "Công an tỉnh",
         D(2026, 12, 31), "Năm", "Báo cáo", None],
        ["IV", "Y TẾ"],
        [1, "Danh sách cơ sở khám chữa bệnh", "- Tên cơ sở\n- Địa chỉ", "Sở Y tế", 46112, "Quý",
         "CSDL y tế", None],
        [2, "Danh sách nhà thuốc", "- Tên nhà thuốc\n- Địa chỉ", "Sở Y tế", "31/12/2026", "Năm", "Excel",
         "Công khai"],
        [None, None, None, None, None, "Sơn La, ngày 20 tháng 01 năm 2026"],
        ["Nơi nhận:", None, None, None, None, "KT. CHỦ TỊCH"],
        ["- Bộ Khoa học và Công nghệ;", None, None, None, None, "PHÓ CHỦ TỊCH"],
        ["- Lưu: VT.", None, None, None, None, None],
        [None, None, None, None, None, "Đặng Ngọc Hậu"],
    ]
    merges = ["A4:H4", "A5:H5", "A6:H6", "A8:A9", "B8:B9", "C8:C9", "D8:D9", "E8:F8", "G8:G9", "H8:H9",
              "B11:H11", "B14:H14", "B18:H18", "B20:H20"]
    return rows, merges


def _appendix_xlsx() -> bytes:
    rows, merges = _appendix_rows()
    return xlsx(Sheet("Phụ lục", rows, merges))


def _appendix_xls() -> bytes:
    rows, merges = _appendix_rows()
    return xls(Sheet("Phu luc", rows, merges))


def _appendix_ods() -> bytes:
    rows, _ = _appendix_rows()
    return ods(Sheet("Phụ lục", rows))


_APPENDIX_TABLE_HEADER = ["Nhóm", "TT", "Tên tập dữ liệu", "Mô tả", "Đơn vị chủ trì cung cấp",
                          "Thời gian cung cấp - Ngày cung cấp lần đầu", "Thời gian cung cấp - Tần suất cung cấp",
                          "Nguồn cơ sở dữ liệu", "Ghi chú"]
_APPENDIX_SECTIONS = ["I. CHỦ ĐỀ GIÁO DỤC", "II. LĨNH VỰC XÂY DỰNG, GIAO THÔNG", "III. LĨNH VỰC AN NINH TRẬT TỰ",
                      "IV. Y TẾ"]


def _appendix_table(first_provided_last: str) -> TableExpect:
    return TableExpect(
        header=_APPENDIX_TABLE_HEADER, rows=8,
        first={"Nhóm": "I. CHỦ ĐỀ GIÁO DỤC", "TT": "1", "Tên tập dữ liệu": "Danh sách trường học",
               "Đơn vị chủ trì cung cấp": "Sở Giáo dục và Đào tạo"},
        last={"Nhóm": "IV. Y TẾ", "TT": "2", "Tên tập dữ liệu": "Danh sách nhà thuốc", "Ghi chú": "Công khai"},
        ignored=[("title", 1, 6), ("header", 8, 9), ("column_numbers", 10, 10), ("section", 11, 11),
                 ("section", 14, 14), ("section", 18, 18), ("section", 20, 20), ("place_date", 23, 23),
                 ("signature", 24, 27)],
        sections=_APPENDIX_SECTIONS)


APPENDIX = AppendixExpect(
    rows=8, titles=("Danh sách trường học", "Danh sách nhà thuốc"),
    themes={"Danh sách trường học": "giao-duc", "Danh sách giấy phép xây dựng": "xay-dung",
            "Tuyến xe buýt nội tỉnh": "giao-thong", "Danh mục công trình xây dựng trọng điểm": "xay-dung",
            "Số vụ tai nạn giao thông": "khac", "Danh sách nhà thuốc": "y-te"},
    headings={"Tuyến xe buýt nội tỉnh": "LĨNH VỰC XÂY DỰNG, GIAO THÔNG",
              "Số vụ tai nạn giao thông": "LĨNH VỰC AN NINH TRẬT TỰ"},
    warnings=4, province="Sơn La", year=2026)


# 14 --------------------------------------------------------------------------
def _plan_appendix_paged() -> bytes:
    header = ["STT", "Tên dữ liệu", "Mô tả", "Đơn vị chủ trì", "Thời gian cung cấp", "Tần suất cập nhật"]
    rows = [["KẾ HOẠCH MỞ DỮ LIỆU TỈNH ĐIỆN BIÊN NĂM 2025"], [None], header,
            ["CHỦ ĐỀ NÔNG NGHIỆP"],
            [1, "Diện tích gieo trồng lúa", "- Xã\n- Diện tích", "Sở Nông nghiệp và Môi trường", "06/2025", "Năm"],
            [2, "Sản lượng cà phê", "- Huyện\n- Sản lượng", "Sở Nông nghiệp và Môi trường", "12/2025", "Năm"],
            [None],
            header,
            ["II. Y TẾ - GIÁO DỤC"],
            [1, "Danh sách trạm y tế xã", "- Tên trạm\n- Địa chỉ", "Sở Y tế", "Quý II/2025", "Năm"],
            [2, "Danh sách trường mầm non", "- Tên trường", "Sở Giáo dục và Đào tạo", "2025", "Năm học"],
            [None],
            [None, None, None, None, "Điện Biên, ngày    tháng    năm 2025"],
            [None, None, None, None, "TM. ỦY BAN NHÂN DÂN"]]
    return xlsx(Sheet("Kế hoạch", rows, ["A1:F1", "A4:F4"]))


# 15 --------------------------------------------------------------------------
def _public_services() -> bytes:
    rows = [["KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH QUÝ IV/2024"],
            ["Cơ quan", "Hồ sơ tiếp nhận", "Hồ sơ đã giải quyết", "Tỷ lệ đúng hạn"],
            [None, "(hồ sơ)", "(hồ sơ)", "(%)"],
            ["Sở Tư pháp", 1520, 1498, "98,6"],
            ["Sở Nội vụ", 312, 305, "99,1"],
            ["Sở Xây dựng", 845, 790, "93,5"],
            ["Sở Y tế", 1104, 1100, "99,8"],
            ["Tổng", 3781, 3693, None],
            [None, None, "Người tổng hợp", None]]
    return xlsx(Sheet("TTHC", rows))


# 16 --------------------------------------------------------------------------
def _labour_csv() -> bytes:
    rows = [["Chỉ tiêu", "Năm 2023", "Năm 2024"],
            ["I. Thành thị", "", ""],
            ["Lực lượng lao động", "152.300", "155.120"],
            ["Tỷ lệ thất nghiệp (%)", "2,1", "1,9"],
            ["", "", ""],
            ["II. Nông thôn", "", ""],
            ["Lực lượng lao động", "498.700", "501.340"],
            ["Tỷ lệ thiếu việc làm (%)", "3,4", "3,2"]]
    return csv_bytes(rows, delimiter=",")


CASES: list[Case] = [
    Case("bang-gia-son-la.xlsx", _price_list, TableExpect(
        header=["Nhóm", "STT", "Tên hàng hóa, dịch vụ", "Đơn vị tính", "Giá bình quân", "Ghi chú"], rows=5,
        first={"Nhóm": "I. LƯƠNG THỰC, THỰC PHẨM", "STT": "1", "Tên hàng hóa, dịch vụ": "Gạo tẻ thường",
               "Giá bình quân": "15250.5"},
        last={"Nhóm": "II. VẬT LIỆU XÂY DỰNG", "STT": "5", "Giá bình quân": "16800"},
        ignored=[("title", 1, 5), ("header", 6, 6), ("column_numbers", 7, 7), ("section", 8, 8),
                 ("section", 12, 12), ("total", 15, 15), ("note", 16, 16), ("place_date", 17, 17),
                 ("signature", 18, 21)],
        sections=["I. LƯƠNG THỰC, THỰC PHẨM", "II. VẬT LIỆU XÂY DỰNG"],
        types={"STT": "int8", "Giá bình quân": "numeric"}, sheet="Giá T3")),
    Case("truong-hoc-theo-khu-vuc.xlsx", _schools_by_area, TableExpect(
        header=["Nhóm", "STT", "Huyện/thành phố", "Tên trường", "Số lớp", "Số học sinh"], rows=6,
        first={"Nhóm": "A. Khu vực thành phố", "Huyện/thành phố": "Thành phố Sơn La",
               "Tên trường": "Trường THCS Chiềng Lề", "Số học sinh": "640"},
        last={"Nhóm": "B. Khu vực nông thôn", "Huyện/thành phố": "Huyện Mường La", "Số học sinh": "298"},
        ignored=[("title", 1, 1), ("section", 4, 4), ("total", 8, 8), ("blank", 9, 9), ("section", 10, 10),
                 ("blank", 13, 13), ("total", 15, 15), ("total", 16, 16)],
        sections=["A. Khu vực thành phố", "B. Khu vực nông thôn"], types={"Số học sinh": "int8"})),
    Case("dan-so-theo-gioi-tinh.xlsx", _population, TableExpect(
        header=["Mã xã", "Tên xã", "Dân số - Nam", "Dân số - Nữ", "Ngày cập nhật"], rows=4,
        first={"Mã xã": "14101", "Tên xã": "Phường Chiềng Lề", "Dân số - Nam": "6120",
               "Ngày cập nhật": "2024-12-31"},
        last={"Mã xã": "14110", "Dân số - Nữ": "4055", "Ngày cập nhật": "2024-12-31"},
        ignored=[("title", 1, 2), ("unit", 2, 2), ("header", 3, 4), ("column_numbers", 5, 5), ("total", 10, 10),
                 ("note", 11, 11)],
        types={"Dân số - Nam": "int8", "Ngày cập nhật": "date"})),
    Case("giay-phep-xay-dung.xls", _permits, TableExpect(
        header=_PERMIT_HEADER, rows=24,
        first={"STT": "1", "Số giấy phép": "001/GPXD", "Ngày cấp": "2024-02-02", "Diện tích (m²)": "121.5"},
        last={"STT": "24", "Số giấy phép": "024/GPXD", "Ngày cấp": "2024-01-25"},
        ignored=[("title", 1, 1), ("header", 3, 3), ("column_numbers", 4, 4), ("repeated_header", 15, 15),
                 ("column_numbers", 16, 16), ("repeated_header", 27, 27), ("column_numbers", 28, 28),
                 ("signature", 34, 35)],
        types={"Ngày cấp": "date", "Diện tích (m²)": "numeric"})),
    Case("ho-kinh-doanh-cp1258.csv", _households_cp1258, TableExpect(
        header=["Mã số hộ", "Tên hộ kinh doanh", "Ngành nghề", "Vốn (triệu đồng)", "Ngày đăng ký"], rows=4,
        first={"Mã số hộ": "24A8000123", "Tên hộ kinh doanh": "Hộ kinh doanh Bánh cuốn Mường Thanh",
               "Vốn (triệu đồng)": "50", "Ngày đăng ký": "2025-01-02"},
        last={"Tên hộ kinh doanh": "Hộ kinh doanh Chè Tà Xùa", "Vốn (triệu đồng)": "1200"},
        ignored=[("title", 1, 1), ("header", 2, 2), ("total", 7, 7), ("signature", 8, 8)],
        types={"Vốn (triệu đồng)": "numeric", "Ngày đăng ký": "date"})),
    Case("chi-tieu-kinh-te-xa-hoi.ods", _socio_economic_ods, TableExpect(
        header=["Nhóm", "TT", "Chỉ tiêu", "Đơn vị tính", "Kế hoạch", "Thực hiện"], rows=5,
        first={"Nhóm": "I. Chỉ tiêu kinh tế", "TT": "1", "Chỉ tiêu": "Tốc độ tăng trưởng GRDP",
               "Thực hiện": "7.92"},
        last={"Nhóm": "III. Chỉ tiêu môi trường", "Chỉ tiêu": "Tỷ lệ che phủ rừng", "Thực hiện": "47.1"},
        ignored=[("title", 1, 1), ("header", 2, 2), ("section", 3, 3), ("section", 6, 6), ("section", 9, 9),
                 ("place_date", 12, 12), ("signature", 13, 13)],
        sections=["I. Chỉ tiêu kinh tế", "II. Chỉ tiêu xã hội", "III. Chỉ tiêu môi trường"],
        types={"Thực hiện": "numeric"})),
    Case("ho-ngheo-nhieu-trang-tinh.xlsx", _several_sheets, TableExpect(
        header=["Mã xã", "Tên xã", "Số hộ", "Số hộ nghèo", "Tỷ lệ (%)"], rows=12,
        first={"Mã xã": "14101", "Số hộ": "810", "Tỷ lệ (%)": "5.06"},
        last={"Mã xã": "14112", "Tên xã": "Xã số 12", "Số hộ nghèo": "52"},
        ignored=[("sheet_hidden", 0, 0), ("sheet_skipped", 0, 0), ("sheet", 0, 0), ("header", 1, 1)],
        types={"Tỷ lệ (%)": "numeric"}, sheet="Số liệu")),
    Case("co-so-y-te-hai-bang.xlsx", _two_tables, TableExpect(
        header=["Mã cơ sở", "Tên cơ sở", "Loại hình", "Số giường bệnh"], rows=10,
        first={"Mã cơ sở": "KCB001", "Loại hình": "Công lập", "Số giường bệnh": "6"},
        last={"Mã cơ sở": "KCB010", "Tên cơ sở": "Trạm y tế xã số 10", "Số giường bệnh": "15"},
        ignored=[("title", 1, 1), ("other_table", 2, 4), ("title", 6, 6), ("header", 7, 7)])),
    Case("gia-dat-utf8.csv", _land_prices_utf8, TableExpect(
        header=["Tuyến đường", "Đoạn từ", "Đến", "Giá đất ở (đồng/m²)"], rows=3,
        first={"Tuyến đường": "Đường Tô Hiệu", "Giá đất ở (đồng/m²)": "25000000"},
        last={"Tuyến đường": "Đường Lò Văn Giá", "Đến": "Bản Hài", "Giá đất ở (đồng/m²)": "9200000"},
        ignored=[("header", 1, 1), ("note", 6, 7)], types={"Giá đất ở (đồng/m²)": "int8"})),
    Case("cong-trinh-chon-dong-tieu-de.xlsx", _chosen_header_row, TableExpect(
        header=["Mã công trình", "Tên công trình", "Tổng mức đầu tư (triệu đồng)", "Năm khởi công"], rows=3,
        first={"Mã công trình": "CT-01", "Tổng mức đầu tư (triệu đồng)": "12500"},
        last={"Mã công trình": "CT-03", "Năm khởi công": "2025"},
        ignored=[("other_table", 1, 2), ("header", 4, 4)], types={"Tổng mức đầu tư (triệu đồng)": "int8"},
        sheet="Công trình"), config={"sheet": "Công trình", "header_row": 4}),
    Case("phu-luc-danh-muc-son-la.xlsx", _appendix_xlsx, _appendix_table("2026-12-31"), APPENDIX),
    Case("phu-luc-danh-muc-son-la.xls", _appendix_xls, _appendix_table("2026-12-31"), APPENDIX),
    Case("phu-luc-danh-muc-son-la.ods", _appendix_ods, _appendix_table("2026-12-31"), APPENDIX),
    Case("ke-hoach-mo-du-lieu-dien-bien.xlsx", _plan_appendix_paged, TableExpect(
        header=["Nhóm", "STT", "Tên dữ liệu", "Mô tả", "Đơn vị chủ trì", "Thời gian cung cấp", "Tần suất cập nhật"],
        rows=4,
        first={"Nhóm": "CHỦ ĐỀ NÔNG NGHIỆP", "STT": "1", "Tên dữ liệu": "Diện tích gieo trồng lúa"},
        last={"Nhóm": "II. Y TẾ - GIÁO DỤC", "STT": "2", "Tên dữ liệu": "Danh sách trường mầm non"},
        ignored=[("title", 1, 1), ("header", 3, 3), ("section", 4, 4), ("blank", 7, 7),
                 ("repeated_header", 8, 8), ("section", 9, 9), ("place_date", 13, 13), ("signature", 14, 14)],
        sections=["CHỦ ĐỀ NÔNG NGHIỆP", "II. Y TẾ - GIÁO DỤC"]),
        AppendixExpect(rows=4, titles=("Diện tích gieo trồng lúa", "Danh sách trường mầm non"),
                       themes={"Diện tích gieo trồng lúa": "nong-nghiep", "Danh sách trạm y tế xã": "y-te",
                               "Danh sách trường mầm non": "giao-duc"},
                       headings={"Danh sách trường mầm non": "Y TẾ - GIÁO DỤC"}, warnings=2,
                       province="Điện Biên", year=2025)),
    Case("thu-tuc-hanh-chinh.xlsx", _public_services, TableExpect(
        header=["Cơ quan", "Hồ sơ tiếp nhận", "Hồ sơ đã giải quyết", "Tỷ lệ đúng hạn"], rows=4,
        first={"Cơ quan": "Sở Tư pháp", "Hồ sơ tiếp nhận": "1520", "Tỷ lệ đúng hạn": "98.6"},
        last={"Cơ quan": "Sở Y tế", "Hồ sơ đã giải quyết": "1100"},
        ignored=[("title", 1, 1), ("header", 2, 2), ("unit", 3, 3), ("total", 8, 8), ("signature", 9, 9)],
        units={"Hồ sơ tiếp nhận": "hồ sơ", "Tỷ lệ đúng hạn": "%"}, types={"Tỷ lệ đúng hạn": "numeric"})),
    Case("lao-dong-viec-lam.csv", _labour_csv, TableExpect(
        header=["Nhóm", "Chỉ tiêu", "Năm 2023", "Năm 2024"], rows=4,
        first={"Nhóm": "I. Thành thị", "Chỉ tiêu": "Lực lượng lao động", "Năm 2023": "152300"},
        last={"Nhóm": "II. Nông thôn", "Chỉ tiêu": "Tỷ lệ thiếu việc làm (%)", "Năm 2024": "3.2"},
        ignored=[("header", 1, 1), ("section", 2, 2), ("blank", 5, 5), ("section", 6, 6)],
        sections=["I. Thành thị", "II. Nông thôn"], types={"Năm 2023": "numeric"})),
]

APPENDIX_CASES = [c for c in CASES if c.appendix is not None]


# ----------------------------------------------------------------- checks
def table_text(table) -> tuple[list[str], list[list[str]]]:
    """(header, rows as the published CSV writes them) of a tabular.Table."""
    from ckanext.opendata_vn.core.tabular.table import _text_column
    columns = [_text_column(c.type, values) for c, values in zip(table.columns, table.data)]
    return table.names, [list(r) for r in zip(*columns)]


def check_rows(case: Case, header: list[str], rows: list[list[str]]) -> None:
    """The header, row count and first/last values, from any path (reader, CSV, DataStore)."""
    expected = case.table
    assert header == expected.header, (case.name, header)
    assert len(rows) == expected.rows, (case.name, len(rows), rows[-3:])
    for which, row in (("first", rows[0]), ("last", rows[-1])):
        record = dict(zip(header, row))
        wanted = getattr(expected, which)
        assert {k: record.get(k) for k in wanted} == wanted, (case.name, which, record)
    if expected.sections:
        seen = list(dict.fromkeys(dict(zip(header, r))["Nhóm"] for r in rows))
        assert seen == expected.sections, (case.name, seen)
    # no total, signature or note line is ever a row
    for row in rows:
        for cell in row:
            assert cell not in ("Tổng cộng", "Tổng số", "Cộng", "KT. CHỦ TỊCH", "KT. GIÁM ĐỐC", "Người lập biểu"), \
                (case.name, row)


def check_table(case: Case, table) -> None:
    """A tabular.Table read from the case's file: rows, types, units and the guesses."""
    header, rows = table_text(table)
    check_rows(case, header, rows)
    expected = case.table
    types = {c.name: c.type for c in table.columns}
    assert {k: types.get(k) for k in expected.types} == expected.types, (case.name, types)
    units = {c.name: c.unit for c in table.columns}
    assert {k: units.get(k) for k in expected.units} == expected.units, (case.name, units)
    reported = {(g.kind, g.first, g.last) for g in table.guesses}
    missing = [g for g in expected.ignored if g not in reported]
    assert not missing, (case.name, missing, sorted(reported, key=lambda g: g[1]))
    if expected.sheet:
        assert table.sheet == expected.sheet
