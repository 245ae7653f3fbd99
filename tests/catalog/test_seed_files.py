"""Checks for the committed catalog seed files in catalog_seeds/ themselves.

Plain pytest, no CKAN. Row counts, every row's required columns and known rows by value
pin what the four documents state. Comparing every cell with the documents' source
texts (which are not in the repository) is a maintenance command:
`python scripts/check_seed_sources.py SOURCE_DIR` (catalog_seeds/README.md).
"""
from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SEEDS = REPO / "catalog_seeds"

# Row counts verified by hand against the source texts:
# - bac-giang-2024: TT 1..36 in the appendix of 000 (the text ends after row 36).
# - bac-giang-plan-2023-2025: TT 1..58 in Appendix I of 001; TT "59" is printed but its
#   name and agency are cut off, so it is not a row.
# - dien-bien-plan-2023-2025: 13 themes of 002 counted one by one:
#   14+9+14+4+7+4+12+16+4+17+9 (XI: 18..26)+12+10 = 132.
# - hung-yen-plan-2025: TT 1..130 in 004 plus 3 extra sub-rows for item 124
#   (which has 4 sub-rows with their own agency and frequency) = 133.
EXPECTED_ROWS = {
    "bac-giang-2024": 36,
    "bac-giang-plan-2023-2025": 58,
    "dien-bien-plan-2023-2025": 132,
    "hung-yen-plan-2025": 133,
}
CATALOG_KEYS = {
    "key", "province", "year", "period", "kind", "title", "document_number",
    "document_date", "issuer", "legal_basis", "source_file", "columns", "notes",
}
ROW_KEYS = {
    "number", "part", "theme_number", "theme", "title", "description", "agency",
    "first_provided", "frequency", "source", "notes", "extraction_note",
}
ALL_COLUMNS = ["number", "title", "description", "agency", "first_provided",
               "frequency", "source", "notes"]


def load(key: str) -> dict:
    return json.loads((SEEDS / f"{key}.json").read_text(encoding="utf-8"))


def collapse(s: str) -> str:
    return " ".join(s.split())


def find(rows, number, part=None, theme_number=None):
    hits = [r for r in rows if r["number"] == number and r["part"] == part
            and (theme_number is None or r["theme_number"] == theme_number)]
    assert len(hits) == 1, (number, part, theme_number, len(hits))
    return hits[0]


def walk_strings(obj):
    if isinstance(obj, str):
        yield obj
    elif isinstance(obj, list):
        for x in obj:
            yield from walk_strings(x)
    elif isinstance(obj, dict):
        for k, v in obj.items():
            yield k
            yield from walk_strings(v)


@pytest.fixture(scope="module", params=sorted(EXPECTED_ROWS))
def seed(request):
    return request.param, load(request.param)


# --------------------------------------------------------------------- structure

def test_all_four_files_present():
    assert sorted(p.stem for p in SEEDS.glob("*.json")) == sorted(EXPECTED_ROWS)


def test_row_count(seed):
    key, data = seed
    assert len(data["rows"]) == EXPECTED_ROWS[key]


def test_catalog_metadata(seed):
    key, data = seed
    cat = data["catalog"]
    assert set(data) == {"catalog", "rows"}
    assert set(cat) == CATALOG_KEYS
    assert cat["key"] == key
    assert cat["kind"] in {"decision", "plan"}
    assert isinstance(cat["year"], int) and 2020 <= cat["year"] <= 2030
    assert re.fullmatch(r"(\d{4}(-\d{2}(-\d{2})?)?)?", cat["document_date"])
    assert cat["legal_basis"] and all(isinstance(x, str) and x for x in cat["legal_basis"])
    assert "47/2020/NĐ-CP" in cat["legal_basis"][0]
    assert cat["columns"][:2] == ["number", "title"]
    assert [c for c in ALL_COLUMNS if c in cat["columns"]] == cat["columns"]
    assert cat["notes"] and cat["source_file"].endswith(".txt")


def test_file_is_canonical_json(seed):
    key, data = seed
    raw = (SEEDS / f"{key}.json").read_text(encoding="utf-8")
    assert raw.rstrip("\n") == json.dumps(data, ensure_ascii=False, indent=2)


def test_all_strings_nfc(seed):
    _, data = seed
    for s in walk_strings(data):
        assert unicodedata.normalize("NFC", s) == s, s


def test_rows_shape(seed):
    _, data = seed
    cols = set(data["catalog"]["columns"])
    for r in data["rows"]:
        assert set(r) == ROW_KEYS, r
        assert r["title"].strip() and r["theme"].strip(), r
        assert r["part"] is None or isinstance(r["part"], int)
        for k, v in r.items():
            if isinstance(v, str):
                assert v == v.strip(), (r["number"], k)
                for line in v.split("\n"):
                    assert collapse(line) == line, (r["number"], k)
        # cells of columns the appendix does not have stay empty
        for c in ("description", "first_provided", "frequency", "source", "notes"):
            if c not in cols:
                assert r[c] == "", (r["number"], c)
        for line in filter(None, r["description"].split("\n")):
            if "\n" in r["description"]:
                assert line.startswith("- "), (r["number"], line)


def test_unique_keys(seed):
    key, data = seed
    rows = data["rows"]
    with_theme = [(r["theme_number"], r["number"], r["part"]) for r in rows]
    assert len(set(with_theme)) == len(rows)
    plain = [(r["number"], r["part"]) for r in rows]
    if key == "dien-bien-plan-2023-2025":
        # numbering restarts per theme, so TT alone repeats; (theme, TT) is unique
        assert len(set(plain)) < len(plain)
    else:
        assert len(set(plain)) == len(plain)


def test_numbers_in_document_order(seed):
    key, data = seed
    nums = [int(r["number"]) for r in data["rows"]]
    if key == "dien-bien-plan-2023-2025":
        by_theme: dict[str, list[int]] = {}
        for r in data["rows"]:
            by_theme.setdefault(r["theme_number"], []).append(int(r["number"]))
        for theme, ns in by_theme.items():
            start = 18 if theme == "XI" else 1
            assert ns == list(range(start, start + len(ns))), theme
    else:
        assert sorted(set(nums)) == list(range(1, max(nums) + 1))
        assert nums == sorted(nums)


# ------------------------------------------------------------- required columns

# Columns each row must fill, per file: the document's own columns, except cells the
# document leaves empty (Bắc Giang 2024's notes; six Hưng Yên descriptions) and the
# cells PDF extraction lost (rows with an extraction_note keep only number and title).
REQUIRED = {
    "bac-giang-2024": ["number", "title", "description", "agency", "first_provided", "frequency", "source"],
    "bac-giang-plan-2023-2025": ["number", "title", "agency"],
    "dien-bien-plan-2023-2025": ["number", "title", "agency"],
    "hung-yen-plan-2025": ["number", "title", "agency", "frequency"],
}
EMPTY_IN_DOCUMENT = {("hung-yen-plan-2025", "description"): {"19", "66", "114", "117", "123", "125"}}


def test_every_row_fills_its_required_columns(seed):
    key, data = seed
    assert set(REQUIRED[key]) <= set(data["catalog"]["columns"])
    for r in data["rows"]:
        assert r["theme"] and r["theme_number"], r
        required = ["number", "title"] if r["extraction_note"] else REQUIRED[key]
        for column in required:
            assert r[column], (key, r["theme_number"], r["number"], column)
    for (k, column), numbers in EMPTY_IN_DOCUMENT.items():
        if k == key:
            assert {r["number"] for r in data["rows"] if not r[column]} == numbers


def test_agency_lists_are_split_cleanly(seed):
    """Several agencies are separated by "; " (the loader splits there): no empty part."""
    _, data = seed
    for r in data["rows"]:
        if r["agency"]:
            parts = [p.strip() for p in r["agency"].split(";")]
            assert all(parts) and r["agency"] == "; ".join(parts), r["agency"]


# ------------------------------------------------------------------ known rows

# Five rows of each file as the document states them (NFC), every column; columns not
# listed are empty. Keyed by (theme_number, number, part).
KNOWN = {
    "bac-giang-2024": {
        ("I", "1", None): {
            "theme": "CHỦ ĐỀ GIÁO DỤC VÀ ĐÀO TẠO", "title": "Cơ sở dữ liệu văn bằng, chứng chỉ",
            "description": "- Tên văn bằng, chứng chỉ\n- Họ, chữ đệm, tên, ngày tháng năm sinh của người "
                           "được cấp văn bằng, chứng chỉ\n- Số hiệu và số vào sổ gốc cấp văn bằng, chứng "
                           "chỉ\n- Ngày tháng năm cấp văn bằng, chứng chỉ",
            "agency": "Sở Giáo dục và Đào tạo", "first_provided": "01/01/2025", "frequency": "Năm",
            "source": "Excel"},
        ("II", "14", None): {
            "theme": "CHỦ ĐỀ KHOA HỌC VÀ CÔNG NGHỆ", "title": "Dữ liệu số tổ chức khoa học - công nghệ",
            "description": "- Tên tổ chức\n- Địa chỉ\n- Ngày thành lập\n- Số điện thoại\n- Thủ trưởng\n"
                           "- Lĩnh vực nghiên cứu",
            "agency": "Sở Khoa học và Công nghệ", "first_provided": "01/01/2025", "frequency": "Năm",
            "source": "API"},
        ("IV", "21", None): {
            "theme": "CHỦ ĐỀ VĂN HÓA THỂ THAO VÀ DU LỊCH",
            "title": "Dữ liệu đường dẫn tour du lịch thực tế ảo VR360",
            "description": "- Tên điểm du lịch\n- Địa điểm\n- Vị trí (link) và các thông tin, thuộc tính "
                           "của các địa điểm du lịch\n- Đường dẫn",
            "agency": "Sở Văn hóa, Thể thao và Du lịch", "first_provided": "01/01/2025",
            "frequency": "Khi có phát sinh", "source": "API"},
        ("VII", "29", None): {
            "theme": "SỞ TÀI CHÍNH",
            "title": "Cân đối nguồn thu, chi dự toán ngân sách cấp tỉnh và ngân sách huyện",
            "description": "- Nội dung (Ngân sách cấp tỉnh, Ngân sách huyện (bao gồm ngân sách cấp huyện "
                           "và cấp xã))\n- Dự toán",
            "extraction_note": "Cells (4) agency, (5) first_provided, (6) frequency, (7) source and (8) "
                               "notes are missing from the extracted text: the row ends after its "
                               "description (lost in PDF extraction), so they are left empty. The theme "
                               "header reads \"SỞ TÀI CHÍNH\", but the agency cell is not inferred from it."},
        ("VII", "30", None): {
            "theme": "SỞ TÀI CHÍNH", "title": "Dự toán thu ngân sách nhà nước",
            "description": "- Nội dung (Thu nội địa, Thu từ dầu thô, Thu từ hoạt động xuất, nhập khẩu, "
                           "thu viện trợ)\n- Dự toán (Tổng thu NSNN, Thu NSĐP)",
            "agency": "Sở Tài chính", "first_provided": "01/01/2025", "frequency": "Năm", "source": "API"},
    },
    "bac-giang-plan-2023-2025": {
        ("I", "1", None): {"theme": "CHỦ ĐỀ GIÁO DỤC", "title": "Cơ sở dữ liệu văn bằng, chứng chỉ",
                           "agency": "Sở Giáo dục và Đào tạo"},
        ("I", "2", None): {"theme": "CHỦ ĐỀ GIÁO DỤC",
                           "title": "Dữ liệu về số giáo viên từng cấp trên địa bàn",
                           "agency": "Sở Giáo dục và Đào tạo"},
        ("II", "22", None): {"theme": "CHỦ ĐỀ CÔNG NGHỆ THÔNG TIN VÀ TRUYỀN THÔNG",
                             "title": "Dữ liệu vị trí các cột an-ten lắp đặt trạm BTS",
                             "agency": "Sở Thông tin và Truyền thông"},
        ("IV", "41", None): {
            "theme": "CHỦ ĐỀ KHOA HỌC",
            "title": "Kết quả theo dõi đánh giá xếp hạng kết quả xây dựng, áp dụng hệ thống quản lý "
                     "chất lượng theo Tiêu chuẩn quốc gia TCVN ISO 9001 của các cơ quan thuộc hệ thống "
                     "hành chính nhà nước trên địa bàn tỉnh Bắc Giang",
            "agency": "Sở Khoa học và Công nghệ"},
        ("VIII", "58", None): {
            "theme": "CHỦ ĐỀ NÔNG NGHIỆP",
            "title": "Dữ liệu các cơ sở có giấy chứng nhận đủ điều kiện sản xuất thức ăn chăn nuôi",
            "agency": "Sở Nông nghiệp và Phát triển nông thôn"},
    },
    "dien-bien-plan-2023-2025": {
        ("I", "9", None): {"theme": "CHỦ ĐỀ GIÁO DỤC",
                           "title": "Dữ liệu các cơ sở giáo dục nghề nghiệp trên địa bàn",
                           "agency": "Sở Lao động, Thương binh và Xã hội"},
        ("II", "6", None): {
            "theme": "CHỦ ĐỀ CÔNG NGHỆ THÔNG TIN VÀ TRUYỀN THÔNG",
            "title": "Dữ liệu về cấp mới, cấp lại, sửa đổi, thu hồi giấy phép bưu chính cho các doanh "
                     "nghiệp cung ứng dịch vụ phạm vi nội tỉnh, liên tỉnh, quốc tế",
            "agency": "Sở Thông tin và Truyền thông"},
        ("VIII", "3", None): {"theme": "CHỦ ĐỀ NÔNG NGHIỆP", "title": "Danh mục các loại phân bón phổ biến",
                              "agency": "Sở Nông nghiệp và Phát triển nông thôn"},
        ("XI", "18", None): {
            "theme": "CHỦ ĐỀ XÃ HỘI",
            "title": "Dữ liệu hệ thống công trình hạ tầng xã hội về công viên, nhà vệ sinh công cộng, "
                     "địa điểm thể dục thể thao",
            "agency": "Sở Xây dựng"},
        ("XIII", "10", None): {"theme": "CHỦ ĐỀ Y TẾ, SỨC KHỎE",
                               "title": "Dữ liệu về số lượt người khám chữa bệnh bảo hiểm y tế",
                               "agency": "Sở Y tế"},
    },
    "hung-yen-plan-2025": {
        ("I", "1", None): {"theme": "LĨNH VỰC GIÁO DỤC", "title": "Dữ liệu các thư viện trên địa bàn tỉnh",
                           "description": "Tên thư viện; địa chỉ; điện thoại (phân theo địa bàn)",
                           "agency": "Sở Văn hóa, Thể thao và Du lịch", "frequency": "Năm"},
        ("XI", "99", None): {
            "theme": "LĨNH VỰC NÔNG NGHIỆP",
            "title": "Dữ liệu về kế hoạch và kết quả sản xuất nông nghiệp, lâm nghiệp và thủy sản",
            "description": "- Kế hoạch sản xuất\n- Kết quả sản xuất",
            "agency": "Sở Nông nghiệp và Phát triển nông thôn; UBND cấp huyện", "frequency": "Năm"},
        ("XII", "116", None): {"theme": "LĨNH VỰC TÀI CHÍNH", "title": "Dữ liệu về bảng giá đất nông nghiệp",
                               "description": "Tên Đơn vị hành chính; Khu vực; giá tiền/1m2",
                               "agency": "Sở Tài nguyên và Môi trường", "frequency": "Năm"},
        ("XIII", "122", None): {"theme": "LĨNH VỰC XÂY DỰNG", "title": "Dữ liệu về chỉ số giá nhà ở thuê",
                                "description": "Nhà ở để cho thuê", "agency": "Cục Thống kê",
                                "frequency": "Quý; Năm"},
        ("XIII", "124", 1): {"theme": "LĨNH VỰC XÂY DỰNG", "title": "Dữ liệu về quy hoạch, kế hoạch sử dụng đất",
                             "description": "Phương án phân bổ khoanh vùng đất đai trong Quy hoạch tỉnh",
                             "agency": "Sở Kế hoạch và Đầu tư",
                             "frequency": "Giai đoạn 2021-2030, tầm nhìn đến năm 2050"},
    },
}
EMPTY_ROW = {k: "" for k in ROW_KEYS}


@pytest.mark.parametrize("key", sorted(KNOWN))
def test_known_rows_by_value(key):
    rows = load(key)["rows"]
    for (theme_number, number, part), stated in KNOWN[key].items():
        expected = dict(EMPTY_ROW, number=number, part=part, theme_number=theme_number, **stated)
        assert find(rows, number, part, theme_number) == expected
        assert all(unicodedata.is_normalized("NFC", v) for v in stated.values())


def test_literal_bac_giang_2024():
    rows = load("bac-giang-2024")["rows"]
    r1 = find(rows, "1")
    assert r1["theme_number"] == "I" and r1["theme"] == "CHỦ ĐỀ GIÁO DỤC VÀ ĐÀO TẠO"
    assert r1["title"] == "Cơ sở dữ liệu văn bằng, chứng chỉ"
    assert r1["agency"] == "Sở Giáo dục và Đào tạo"
    assert (r1["first_provided"], r1["frequency"], r1["source"]) == ("01/01/2025", "Năm", "Excel")
    assert r1["description"].split("\n")[0] == "- Tên văn bằng, chứng chỉ"
    r2 = find(rows, "2")
    assert (r2["frequency"], r2["source"]) == ("Khi có phát sinh", "Excel/API")
    r10 = find(rows, "10")  # joined across a page break
    assert r10["title"] == ("Dữ liệu các trường tiểu học, trung học cơ sở và trung học "
                            "phổ thông trên địa bàn")
    assert find(rows, "14")["description"].endswith("- Thủ trưởng\n- Lĩnh vực nghiên cứu")
    assert find(rows, "21")["agency"] == "Sở Văn hóa, Thể thao và Du lịch"
    assert find(rows, "27")["notes"] == "CQNN"
    assert find(rows, "28")["theme"] == "SỞ TÀI CHÍNH"
    lost = {r["number"] for r in rows if r["extraction_note"]}
    assert lost == {"29", "31", "32", "33", "34", "35", "36"}
    for n in lost:
        r = find(rows, n)
        assert r["agency"] == r["first_provided"] == r["frequency"] == r["source"] == ""
    assert find(rows, "30")["agency"] == "Sở Tài chính"
    assert load("bac-giang-2024")["catalog"]["document_number"] == ""


def test_literal_bac_giang_plan():
    data = load("bac-giang-plan-2023-2025")
    rows = data["rows"]
    assert data["catalog"]["columns"] == ["number", "title", "agency"]
    assert find(rows, "1")["title"] == "Cơ sở dữ liệu văn bằng, chứng chỉ"
    r58 = find(rows, "58")
    assert r58["title"] == ("Dữ liệu các cơ sở có giấy chứng nhận đủ điều kiện sản xuất "
                            "thức ăn chăn nuôi")
    assert r58["agency"] == "Sở Nông nghiệp và Phát triển nông thôn"
    assert r58["theme"] == "CHỦ ĐỀ NÔNG NGHIỆP"
    assert not [r for r in rows if r["number"] == "59"]
    assert not any(r["extraction_note"] for r in rows)


def test_literal_dien_bien_plan():
    rows = load("dien-bien-plan-2023-2025")["rows"]
    themes = []
    for r in rows:
        if (r["theme_number"], r["theme"]) not in themes:
            themes.append((r["theme_number"], r["theme"]))
    assert len(themes) == 13
    assert themes[1] == ("II", "CHỦ ĐỀ CÔNG NGHỆ THÔNG TIN VÀ TRUYỀN THÔNG")
    assert themes[10] == ("XI", "CHỦ ĐỀ XÃ HỘI")
    ii6 = find(rows, "6", theme_number="II")
    assert ii6["title"] == ("Dữ liệu về cấp mới, cấp lại, sửa đổi, thu hồi giấy phép bưu "
                            "chính cho các doanh nghiệp cung ứng dịch vụ phạm vi nội tỉnh, "
                            "liên tỉnh, quốc tế")
    assert ii6["agency"] == "Sở Thông tin và Truyền thông"
    assert find(rows, "9", theme_number="I")["agency"] == "Sở Lao động, Thương binh và Xã hội"
    assert find(rows, "18", theme_number="XI")["agency"] == "Sở Xây dựng"
    assert find(rows, "10", theme_number="XIII")["title"] == (
        "Dữ liệu về số lượt người khám chữa bệnh bảo hiểm y tế")


def test_literal_hung_yen_plan():
    rows = load("hung-yen-plan-2025")["rows"]
    assert len({r["theme_number"] for r in rows}) == 14
    assert len({r["number"] for r in rows}) == 130
    r1 = find(rows, "1")
    assert r1["theme"] == "LĨNH VỰC GIÁO DỤC"
    assert r1["description"] == "Tên thư viện; địa chỉ; điện thoại (phân theo địa bàn)"
    assert r1["agency"] == "Sở Văn hóa, Thể thao và Du lịch" and r1["frequency"] == "Năm"
    assert find(rows, "2")["agency"] == ("Sở Giáo dục và Đào tạo (đơn vị trực thuộc Sở); "
                                         "UBND cấp huyện (đơn vị trực thuộc UBND cấp huyện)")
    assert find(rows, "65")["agency"] == "Sở Giao thông vận tải; UBND cấp huyện"
    assert find(rows, "99")["description"] == "- Kế hoạch sản xuất\n- Kết quả sản xuất"
    assert find(rows, "12")["description"].endswith("loại chứng chỉ được phép cấp")
    assert find(rows, "52")["agency"] == "Sở Lao động - Thương binh và Xã hội"
    assert find(rows, "116")["description"] == "Tên Đơn vị hành chính; Khu vực; giá tiền/1m2"
    assert find(rows, "122")["frequency"] == "Quý; Năm"
    parts = [r for r in rows if r["number"] == "124"]
    assert [(r["part"], r["agency"], r["frequency"]) for r in parts] == [
        (1, "Sở Kế hoạch và Đầu tư", "Giai đoạn 2021-2030, tầm nhìn đến năm 2050"),
        (2, "Sở Tài nguyên và Môi trường", "5 năm (2021-2025)"),
        (3, "UBND cấp huyện", "10 năm (2021-2030)"),
        (4, "UBND cấp huyện", "Năm"),
    ]
    assert {r["title"] for r in parts} == {"Dữ liệu về quy hoạch, kế hoạch sử dụng đất"}
    assert all(r["part"] is None for r in rows if r["number"] != "124")
    assert not any(r["extraction_note"] for r in rows)
