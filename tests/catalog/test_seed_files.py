"""Checks for the catalog seed files in catalog_seeds/ against their source texts.

Plain pytest, no CKAN. The source texts live in the ``shared/seeds/`` folder next to
the repository; the tests fail (not skip) when it is missing.
"""
from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SEEDS = REPO / "catalog_seeds"
SOURCES = REPO.parent / "shared" / "seeds"

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


def clean_markup(s: str) -> str:
    """Same markup rules as catalog_seeds/_extract.py (only 004 has markup)."""
    s = re.sub(r"\s*<(su[pb])>(.*?)</\1>(\s+(?=[,)]))?", r"\2", s)
    s = re.sub(r"\(\s*<i>", "(", s)
    s = re.sub(r"</i>\s*\)", ")", s)
    return re.sub(r"</?(?:i|b)>", "", s)


_source_cache: dict[str, str] = {}


def source_text(source_file: str) -> str:
    if source_file not in _source_cache:
        path = SOURCES / source_file
        assert path.is_file(), f"source text missing: {path}"
        text = unicodedata.normalize("NFC", path.read_text(encoding="utf-8"))
        _source_cache[source_file] = collapse(clean_markup(text))
    return _source_cache[source_file]


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
    assert cat["notes"]
    # the source file exists and every legal-basis line is verbatim in it
    src = source_text(cat["source_file"])
    for line in cat["legal_basis"]:
        assert line in src, line


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


# ------------------------------------------------------- word-for-word samples

SAMPLES = {
    "bac-giang-2024": [("1", None, None), ("4", None, None), ("15", None, None),
                       ("21", None, None), ("27", None, None), ("30", None, None)],
    "bac-giang-plan-2023-2025": [("1", None, None), ("22", None, None),
                                 ("41", None, None), ("58", None, None)],
    "dien-bien-plan-2023-2025": [("9", None, "I"), ("3", None, "VIII"),
                                 ("18", None, "XI"), ("24", None, "XI"),
                                 ("2", None, "XIII")],
    "hung-yen-plan-2025": [("2", None, None), ("25", None, None), ("94", None, None),
                           ("99", None, None), ("124", 1, None), ("124", 4, None),
                           ("130", None, None)],
}


@pytest.mark.parametrize("key", sorted(SAMPLES))
def test_sample_rows_match_source(key):
    data = load(key)
    src = source_text(data["catalog"]["source_file"])
    for number, part, theme in SAMPLES[key]:
        r = find(data["rows"], number, part, theme)
        assert r["title"] in src, r["title"]
        assert r["theme"] in src, r["theme"]
        for agency in r["agency"].split(";"):
            assert agency.strip() in src, agency
        for line in filter(None, r["description"].split("\n")):
            assert line.removeprefix("- ") in src, line
        for k in ("first_provided", "frequency", "source", "notes"):
            assert r[k] in src, (k, r[k])


# Cells that a page break (with a repeated table header) cuts in two in the source,
# so they cannot appear contiguously there: (file, theme_number, number, field).
PAGE_SPLIT = {
    ("bac-giang-2024", "I", "10", "title"),
    ("bac-giang-2024", "V", "24", "description"),
    ("dien-bien-plan-2023-2025", "II", "6", "title"),
    ("hung-yen-plan-2025", "V", "52", "title"),
    ("hung-yen-plan-2025", "XI", "109", "description"),
}


@pytest.mark.parametrize("key", sorted(EXPECTED_ROWS))
def test_every_cell_found_in_source(key):
    """Broader than the samples: every title, agency part, description line and
    short cell occurs in the collapsed source, except the known page-split cells."""
    data = load(key)
    src = source_text(data["catalog"]["source_file"])
    missing = set()
    for r in data["rows"]:
        pieces = [("title", r["title"])]
        pieces += [("agency", a.strip()) for a in r["agency"].split(";")]
        pieces += [("description", ln.removeprefix("- "))
                   for ln in r["description"].split("\n")]
        pieces += [(k, r[k]) for k in ("first_provided", "frequency", "source", "notes")]
        for field, text in pieces:
            if text not in src:
                missing.add((key, r["theme_number"], r["number"], field))
    assert missing == {m for m in PAGE_SPLIT if m[0] == key}


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
