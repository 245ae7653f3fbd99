"""Build the catalog seed files from the extracted source texts of the four documents.

Maintenance command, not part of the test suite (the source texts are not in the
repository):  python catalog_seeds/_extract.py SOURCE_DIR
where SOURCE_DIR holds the texts named in each file's `catalog.source_file`.
`python scripts/check_seed_sources.py SOURCE_DIR` then checks every cell against them.
Every row was checked by eye against the source; the per-row line ranges for
Bắc Giang 2024 (000) were read off the source by hand because its table cells
are scattered over many lines and page breaks.
"""
from __future__ import annotations

import json
import re
import sys
import unicodedata
from pathlib import Path

HERE = Path(__file__).resolve().parent
SRC = Path(".")  # set from the command line


def nfc(s: str) -> str:
    return unicodedata.normalize("NFC", s)


def ws(s: str) -> str:
    """Collapse whitespace (incl. NBSP) to single spaces and trim."""
    return re.sub(r"\s+", " ", s.replace("\u00a0", " ")).strip()


def read_lines(name: str) -> list[str]:
    text = nfc((SRC / name).read_text(encoding="utf-8"))
    return [""] + text.split("\n")  # 1-based like `cat -n`


def row(number, theme_number, theme, title, description="", agency="",
        first_provided="", frequency="", source="", notes="", part=None,
        extraction_note=""):
    return {
        "number": number, "part": part, "theme_number": theme_number,
        "theme": theme, "title": title, "description": description,
        "agency": agency, "first_provided": first_provided,
        "frequency": frequency, "source": source, "notes": notes,
        "extraction_note": extraction_note,
    }


def bullets(parts: list[str]) -> str:
    """Join description lines: a line starting with a bullet glyph opens a new
    item, any other line continues the previous item."""
    items: list[str] = []
    for p in parts:
        p = ws(p)
        if not p:
            continue
        m = re.match(r"^[-+•]\s*(.*)$", p)
        if m:
            items.append("- " + m.group(1))
        elif items:
            items[-1] += " " + p
        else:
            items.append(p)
    return "\n".join(items)


def write(key: str, catalog: dict, rows: list[dict]) -> None:
    catalog = {"key": key, **catalog}

    def norm(v):
        if isinstance(v, str):
            return nfc(v)
        if isinstance(v, list):
            return [norm(x) for x in v]
        if isinstance(v, dict):
            return {k: norm(x) for k, x in v.items()}
        return v

    data = norm({"catalog": catalog, "rows": rows})
    (HERE / f"{key}.json").write_text(
        json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"{key}: {len(rows)} rows")


# --------------------------------------------------------------------------
# 000 Bắc Giang, Danh mục dữ liệu mở năm 2024
# --------------------------------------------------------------------------
def bac_giang_2024() -> None:
    f = "000_16042cb24f40ddda.txt"
    L = read_lines(f)

    def t(*spans) -> str:  # plain cell text from line spans / literals
        out = []
        for s in spans:
            if isinstance(s, str):
                out.append(s)
            else:
                a, b = s
                out.extend(L[a:b + 1])
        return ws(" ".join(out))

    def d(*spans) -> str:  # bullet-list cell
        out = []
        for s in spans:
            if isinstance(s, str):
                out.append(s)
            else:
                a, b = s
                out.extend(L[a:b + 1])
        return bullets(out)

    GD = ("I", "CHỦ ĐỀ GIÁO DỤC VÀ ĐÀO TẠO")
    KH = ("II", "CHỦ ĐỀ KHOA HỌC VÀ CÔNG NGHỆ")
    KD = ("III", "CHỦ ĐỀ KẾ HOẠCH VÀ ĐẦU TƯ")
    VH = ("IV", "CHỦ ĐỀ VĂN HÓA THỂ THAO VÀ DU LỊCH")
    TP = ("V", "CHỦ ĐỀ TƯ PHÁP")
    NV = ("VI", "CHỦ ĐỀ NỘI VỤ")
    TC = ("VII", "SỞ TÀI CHÍNH")
    for (a, b), (num, th) in zip(
            [(176, 176), (516, 516), (730, 730), (821, 821), (850, 850),
             (1007, 1007), (1022, 1022)], [GD, KH, KD, VH, TP, NV, TC]):
        assert ws(L[a]) == f"{num} {th}", (L[a], num, th)

    lost = ("Cells (4) agency, (5) first_provided, (6) frequency, (7) source and "
            "(8) notes are missing from the extracted text: the row ends after its "
            "description (lost in PDF extraction), so they are left empty. The theme "
            "header reads \"SỞ TÀI CHÍNH\", but the agency cell is not inferred from it.")

    R = []

    def add(n, th, title, desc, agency, first, freq, src, notes="", xn=""):
        R.append(row(str(n), th[0], th[1], title, desc, agency, first, freq,
                     src, notes, extraction_note=xn))

    add(1, GD, t((179, 181)), d((183, 195)), t((197, 199)), t((200, 200)), t((204, 204)), t((208, 208)))
    add(2, GD, t((211, 213)), d((215, 227)), t((229, 231)), t((233, 233)), t((234, 236)), t((237, 237)))
    add(3, GD, t((240, 242)), d((244, 256)), t((258, 260)), t((262, 262)), t((263, 265)), t((266, 266)))
    # rows 4-13: line after the agency reads "01/01/2025 Năm Excel/API" (or Excel)
    for n, ti, de, ag, last in [
            (4, (289, 291), (293, 299), (301, 303), 304),
            (5, (307, 309), (311, 317), (319, 321), 322),
            (6, (326, 330), (332, 338), (340, 342), 343),
            (7, (346, 348), (350, 356), (358, 360), 361),
            (8, (365, 369), (371, 377), (379, 381), 382),
            (9, (386, 390), (392, 398), (400, 402), 403)]:
        first, freq, src = ws(L[last]).split(" ")
        add(n, GD, t(ti), d(de), t(ag), first, freq, src)
    # row 10 starts on one line and continues after the page header
    assert ws(L[405]) == "10 Dữ liệu các trường tiểu - Tổng số Sở Giáo dục 01/01/2025 Năm Excel/API"
    add(10, GD, t("Dữ liệu các trường tiểu", (427, 431)),
        d("- Tổng số", (433, 437)), t("Sở Giáo dục", (439, 439)),
        "01/01/2025", "Năm", "Excel/API")
    first, freq, src = ws(L[460]).split(" ")
    add(11, GD, t((443, 447)), d((449, 455)), t((457, 459)), first, freq, src)
    first, freq, src = ws(L[486]).split(" ")
    add(12, GD, t((464, 468)), d((470, 480)), t((482, 484)), first, freq, src)
    first, freq, src = ws(L[514]).split(" ")
    add(13, GD, t((490, 494)), d((496, 508)), t((510, 512)), first, freq, src)

    # row 14 is split by a page break; the agency cell is printed again on
    # the second page ("- Lĩnh vực nghiên cứu Sở Khoa học và / Công nghệ").
    assert ws(L[562]) == "- Lĩnh vực nghiên cứu Sở Khoa học và"
    assert ws(L[534]) == "01/01/2025 Năm"
    add(14, KH, t((519, 521)), d((523, 529), (560, 560), "- Lĩnh vực nghiên cứu"),
        t((531, 533)), "01/01/2025", "Năm", t((538, 538)))
    add(15, KH, t((567, 569)), d((571, 579)), t((581, 583)), t((584, 584)), t((586, 588)), t((589, 589)))
    first, freq, src = ws(L[608]).split(" ")
    add(16, KH, t((593, 597)), d((599, 603)), t((605, 607)), first, freq, src)
    add(17, KH, t((611, 613)), d((615, 619)), t((621, 623)), t((624, 624)), t((626, 628)), t((629, 629)))
    add(18, KH, t((651, 657)), d((659, 679), (714, 728)), t((681, 683)), t((684, 684)), t((688, 690)), t((692, 692)))

    add(19, KD, t((734, 742)), d((744, 758)), t((760, 762)), t((763, 763)), t((765, 767)), t((768, 768)))
    add(20, KD, t((771, 773)), d((775, 787)), t((791, 793)), t((794, 794)), t((796, 798)), t((799, 799)))

    add(21, VH, t((824, 826)), d((828, 836)), t((838, 842)), t((844, 844)), t((845, 847)), t((848, 848)))

    # rows 22-26: "Sở Tư pháp 01/01/2025" on one line
    for n, ti, de, ag_line, fq in [
            (22, [(854, 858)], [(860, 872)], 874, (875, 877)),
            (23, [(882, 888)], [(890, 904)], 906, (907, 909)),
            (24, [(914, 918)], [(920, 924), (952, 960)], 926, (927, 929)),
            (25, [(963, 965)], [(967, 977)], 979, (980, 982)),
            (26, [(987, 991)], [(993, 999)], 1001, (1002, 1004))]:
        assert ws(L[ag_line]) == "Sở Tư pháp 01/01/2025", L[ag_line]
        add(n, TP, t(*ti), d(*de), "Sở Tư pháp", "01/01/2025", t(fq), t((fq[1] + 1, fq[1] + 1)))

    assert ws(L[1020]) == "Sở Nội vụ 01/01/2025 Năm API CQNN"
    add(27, NV, t((1010, 1012)), d((1014, 1018)), "Sở Nội vụ", "01/01/2025", "Năm", "API", "CQNN")

    assert ws(L[1039]) == "Sở Tài chính 01/01/2025 Quý API"
    add(28, TC, t((1025, 1027)), d((1029, 1037), (1061, 1063)), "Sở Tài chính", "01/01/2025", "Quý", "API")
    add(29, TC, t((1067, 1071)), d((1073, 1079)), "", "", "", "", xn=lost)
    assert ws(L[1093]) == "Sở Tài chính 01/01/2025 Năm API"
    add(30, TC, t((1081, 1083)), d((1085, 1091)), "Sở Tài chính", "01/01/2025", "Năm", "API")
    add(31, TC, t((1097, 1103)), d((1105, 1113)), "", "", "", "", xn=lost)
    add(32, TC, t((1115, 1117)), d((1119, 1127)), "", "", "", "", xn=lost)
    add(33, TC, t((1129, 1131)), d((1133, 1141)), "", "", "", "", xn=lost)
    add(34, TC, t((1165, 1169)), d((1171, 1181)), "", "", "", "", xn=lost)
    add(35, TC, t((1184, 1188)), d((1190, 1202)), "", "", "", "", xn=lost)
    add(36, TC, t((1204, 1206)), d((1208, 1224)), "", "", "", "", xn=lost)
    # the row numbers themselves sit where the spans say
    for r, ln in zip(R, [178, 210, 239, 288, 306, 324, 345, 363, 384, 405, 441,
                         462, 488, 518, 566, 591, 610, 649, 732, 770, 823, 852,
                         880, 912, 962, 985, 1009, 1024, 1065, 1080, 1095, 1114,
                         1128, 1163, 1182, 1203]):
        assert ws(L[ln]).split(" ")[0] == r["number"], (r["number"], L[ln])

    catalog = {
        "province": "Bắc Giang",
        "year": 2024,
        "period": "2024",
        "kind": "decision",
        "title": "Danh mục dữ liệu mở tỉnh Bắc Giang năm 2024",
        "document_number": "",
        "document_date": "2024-06",
        "issuer": "UBND tỉnh Bắc Giang",
        "legal_basis": [
            t((34, 36)).removeprefix("Căn cứ ").rstrip(";").strip(),
            t((38, 42)).removeprefix("Căn cứ ").rstrip(";").strip(),
        ],
        "source_file": f,
        "columns": ["number", "title", "description", "agency",
                    "first_provided", "frequency", "source", "notes"],
        "notes": (
            "Decision of the Chairman of Bắc Giang PPC issuing the 2024 open data catalog. The decision "
            "number and day are blank in the source (\"Số: /QĐ-UBND\", \"ngày tháng 6 năm 2024\"), so "
            "document_number is \"\" and document_date is \"2024-06\". legal_basis keeps only the two "
            "open-data Căn cứ lines (Decree 47/2020/NĐ-CP, Decision 47/2022/QĐ-UBND) without the leading "
            "\"Căn cứ\" and trailing \";\"; the Căn cứ lines on the Law on Local Government Organisation, "
            "its amending law and the Law on Information Technology are omitted. The appendix has all 8 "
            "Decree 47 columns. 36 rows survive; the text ends after row 36's description, so whether the "
            "original appendix had more rows is unknown. Rows 29 and 31-36 (theme VII \"SỞ TÀI CHÍNH\") "
            "lost cells (4)-(8) in extraction: left empty and explained in extraction_note; row 30 is "
            "complete. Rows 10, 14, 18, 24 and 28 are split by page breaks: the parts after the repeated "
            "table header were joined back; row 14's agency cell is printed again on the second page and "
            "is kept once. The Ghi chú column has a value only in row 27 (\"CQNN\"). Spelling is kept as "
            "printed (e.g. \"đầu giá viên\", \"UWTH\", \"Ngày, tháng, năm, sinh\")."
        ),
    }
    write("bac-giang-2024", catalog, R)


# --------------------------------------------------------------------------
# 001 Bắc Giang, Kế hoạch cung cấp dữ liệu mở 2023-2025, Phụ lục I
# --------------------------------------------------------------------------
def bac_giang_plan() -> None:
    f = "001_ee0311ebad0565d0.txt"
    L = [ws(x) for x in read_lines(f)]
    start = L.index("PHỤ LỤC I")
    assert L[start + 3:start + 6] == ["TT", "TÊN DỮ LIỆU", "ĐƠN VỊ CHỦ TRÌ CUNG CẤP DỮ LIỆU LIÊN QUAN"]
    cells = [x for x in L[start + 6:] if x]
    R, theme = [], ("", "")
    i = 0
    while i < len(cells):
        c = cells[i]
        if re.fullmatch(r"[IVX]+", c):
            theme = (c, cells[i + 1])
            i += 2
        elif re.fullmatch(r"\d+", c):
            if cells[i + 1].startswith("1. Một số lưu ý"):
                assert c == "59"  # table stops: TT 59 printed, its cells lost
                break
            R.append(row(c, theme[0], theme[1], cells[i + 1], agency=cells[i + 2]))
            i += 3
        else:
            raise ValueError(c)
    assert [r["number"] for r in R] == [str(n) for n in range(1, 59)]
    catalog = {
        "province": "Bắc Giang",
        "year": 2023,
        "period": "2023-2025",
        "kind": "plan",
        "title": "Kế hoạch cung cấp dữ liệu mở trong các cơ quan nhà nước tỉnh Bắc Giang giai đoạn 2023 - 2025",
        "document_number": "",
        "document_date": "2023-04",
        "issuer": "UBND tỉnh Bắc Giang",
        "legal_basis": [
            "Nghị định số 47/2020/NĐ-CP ngày 09 tháng 4 năm 2020 của Chính phủ về quản lý, "
            "kết nối và chia sẻ dữ liệu số của cơ quan nhà nước",
        ],
        "source_file": f,
        "columns": ["number", "title", "agency"],
        "notes": (
            "Plan issued by the Chairman of Bắc Giang PPC; number and day are blank in the source "
            "(\"Kế hoạch số /KH-UBND ngày tháng 4 năm 2023\"), so document_number is \"\" and "
            "document_date is \"2023-04\". The plan has no \"Căn cứ\" lines; legal_basis is taken from "
            "its opening \"Thực hiện Nghị định số 47/2020/NĐ-CP ...\" clause, keeping the printed date "
            "\"09 tháng 4 năm 2020\" (Decree 47 was actually issued on 29/4/2020). Appendix I has only "
            "three columns: TT, TÊN DỮ LIỆU, ĐƠN VỊ CHỦ TRÌ CUNG CẤP DỮ LIỆU LIÊN QUAN. The table is cut "
            "after TT 59: only the number \"59\" survives, its name and agency (and any later items or "
            "themes) were lost in extraction, so item 59 is not included (58 rows)."
        ),
    }
    write("bac-giang-plan-2023-2025", catalog, R)


# --------------------------------------------------------------------------
# 002 Điện Biên, Kế hoạch cung cấp dữ liệu mở 2023-2025, Phụ lục
# --------------------------------------------------------------------------
DB_AGENCIES = [
    "Sở Giáo dục và Đào tạo", "Sở Lao động, Thương binh và Xã hội",
    "Sở Lao động - Thương binh và Xã hội", "Sở Thông tin và Truyền thông",
    "Sở Giao thông vận tải", "Sở Khoa học và Công nghệ", "Sở Kế hoạch và Đầu tư",
    "Sở Công thương", "Sở Tài nguyên và Môi trường",
    "Sở Nông nghiệp và Phát triển nông thôn", "Sở Tài chính",
    "Sở Văn hóa, Thể thao và Du lịch", "Sở Xây dựng", "Sở Nội vụ", "Sở Tư pháp",
    "Sở Y tế",
]


def dien_bien_plan() -> None:
    f = "002_b0acf857d398640c.txt"
    L = [ws(x) for x in read_lines(f)]
    header = "Stt Tên dữ liệu Đơn vị chủ trì cung cấp dữ liệu"
    start = L.index(header)
    end = next(i for i in range(start, len(L)) if L[i] == "Lưu ý:")
    lines = [x for x in L[start:end] if x and x != header]
    # group lines: a theme header, or a row that begins with its number
    groups: list[list[str]] = []
    for x in lines:
        if re.match(r"^[IVX]+( |$)", x) or re.match(r"^\d+( |$)", x) or not groups:
            groups.append([x])
        else:
            groups[-1].append(x)
    R, theme = [], ("", "")
    for g in groups:
        text = " ".join(g)
        m = re.match(r"^([IVX]+) (CHỦ ĐỀ .*)$", text)
        if m:
            theme = (m.group(1), ws(m.group(2)))
            continue
        num, rest = re.match(r"^(\d+) (.*)$", text).groups()
        # the agency is the (last) known agency name inside the joined cells;
        # for row II-6 the title continues after the agency (page break)
        hits = [(rest.rfind(a), a) for a in DB_AGENCIES if a in rest]
        pos, ag = max(hits, key=lambda h: (h[0], len(h[1])))
        title = ws(rest[:pos] + " " + rest[pos + len(ag):])
        assert "Sở " not in title, title
        R.append(row(num, theme[0], theme[1], title, agency=ag))
    counts = {}
    for r in R:
        counts.setdefault(r["theme_number"], []).append(int(r["number"]))
    expect = {"I": 14, "II": 9, "III": 14, "IV": 4, "V": 7, "VI": 4, "VII": 12,
              "VIII": 16, "IX": 4, "X": 17, "XI": 9, "XII": 12, "XIII": 10}
    for k, n in expect.items():
        first = 18 if k == "XI" else 1
        assert counts[k] == list(range(first, first + n)), (k, counts[k])
    catalog = {
        "province": "Điện Biên",
        "year": 2023,
        "period": "2023-2025",
        "kind": "plan",
        "title": "Kế hoạch Cung cấp dữ liệu mở của các cơ quan Nhà nước tỉnh Điện Biên giai đoạn 2023 - 2025",
        "document_number": "",
        "document_date": "2023-08",
        "issuer": "UBND tỉnh Điện Biên",
        "legal_basis": [
            "Nghị định số 47/2020/NĐ-CP ngày 09/4/2020 của Chính phủ về quản lý, kết nối "
            "và chia sẻ dữ liệu số của cơ quan nhà nước",
        ],
        "source_file": f,
        "columns": ["number", "title", "agency"],
        "notes": (
            "Plan of Điện Biên PPC (signed by a Vice-Chairman); number and day are blank in the source "
            "(\"ngày tháng năm 2023\"; appendix: \"Kế hoạch số /KH-UBND ngày /8/2023\"), so "
            "document_number is \"\" and document_date is \"2023-08\". No \"Căn cứ\" lines; legal_basis "
            "is taken from the opening \"Thực hiện Nghị định số 47/2020/NĐ-CP ...\" clause, keeping the "
            "printed date \"09/4/2020\". The appendix has three columns: Stt, Tên dữ liệu, Đơn vị chủ trì "
            "cung cấp dữ liệu. 13 themes; numbering restarts in every theme, and theme XI (CHỦ ĐỀ XÃ HỘI) "
            "is numbered 18-26 as in the source, so a row is identified by (theme_number, number). Row "
            "II-6's name is split by a page break (\"dịch vụ phạm vi nội tỉnh, liên tỉnh, quốc tế\" "
            "follows the repeated table header) and was joined back. Agency names keep each row's "
            "spelling (e.g. both \"Sở Lao động, Thương binh và Xã hội\" and \"Sở Lao động - Thương "
            "binh và Xã hội\", \"Sở Công thương\"). Nothing else was lost."
        ),
    }
    write("dien-bien-plan-2023-2025", catalog, R)


# --------------------------------------------------------------------------
# 004 Hưng Yên, Kế hoạch cung cấp dữ liệu mở đến năm 2025, Phụ lục
# --------------------------------------------------------------------------
def strip_tags(s: str) -> str:
    """Remove the HTML-ish markup of the DOCX conversion.

    <sup>/<sub> text is attached to the preceding token as plain characters
    ("1m <sup>2</sup>" -> "1m2", "(SO <sub>2</sub> )" -> "(SO2)"); italic
    runs lose the padding the converter put inside parentheses
    ("( <i>x</i> )" -> "(x)")."""
    s = re.sub(r"\s*<(su[pb])>(.*?)</\1>(\s+(?=[,)]))?", r"\2", s)
    s = re.sub(r"\(\s*<i>", "(", s)
    s = re.sub(r"</i>\s*\)", ")", s)
    s = re.sub(r"</?(?:i|b)>", "", s)
    return s


def hy_agency(s: str) -> str:
    """'- A; - B' (a bullet list in the cell) -> 'A; B'."""
    parts = [ws(p) for p in s.split(";")]
    parts = [re.sub(r"^-\s*", "", p) for p in parts]
    return "; ".join(p for p in parts if p)


def hy_description(s: str) -> str:
    s = ws(s)
    if s.startswith("- "):
        items = re.split(r"\s+-\s+(?=[A-ZĐÀ-Ỹ])", s[2:])
        return "\n".join("- " + i.strip() for i in items)
    return s


def hung_yen_plan() -> None:
    f = "004_cd7a5bc026bd12d2.txt"
    L = read_lines(f)
    start = next(i for i, x in enumerate(L) if x.startswith("TT\tTên dữ liệu"))
    R, theme = [], ("", "")
    after_header = False
    for x in L[start:]:
        x = strip_tags(x)
        if not x.strip():
            continue
        cells = [ws(c) for c in x.split("\t")]
        cells += [""] * (5 - len(cells))
        assert len(cells) == 5, cells
        tt, name, desc, agency, freq = cells
        if tt == "TT" and name == "Tên dữ liệu":
            after_header = True
            continue
        if re.fullmatch(r"[IVX]+", tt):
            theme = (tt, name)
        elif re.fullmatch(r"\d+", tt):
            R.append(row(tt, theme[0], theme[1], name, desc, agency,
                         frequency=freq))
        elif after_header:
            # continuation of the previous row's cells after a page break
            prev = R[-1]
            for k, v in zip(["title", "description", "agency", "frequency"],
                            [name, desc, agency, freq]):
                if v:
                    prev[k] = ws(prev[k] + " " + v)
        else:
            # row 124 sub-rows: own description, agency and frequency
            assert tt == "" and name == "" and R[-1]["number"] == "124", cells
            prev = R[-1]
            if prev["part"] is None:
                prev["part"] = 1
            R.append(row("124", theme[0], theme[1], prev["title"], desc, agency,
                         frequency=freq, part=prev["part"] + 1))
        after_header = False
    for r in R:
        r["agency"] = hy_agency(r["agency"])
        r["description"] = hy_description(r["description"])
    nums = [int(r["number"]) for r in R]
    assert sorted(set(nums)) == list(range(1, 131)) and nums == sorted(nums)
    assert [r["part"] for r in R if r["number"] == "124"] == [1, 2, 3, 4]
    catalog = {
        "province": "Hưng Yên",
        "year": 2024,
        "period": "đến năm 2025",
        "kind": "plan",
        "title": "Kế hoạch cung cấp dữ liệu mở trong các cơ quan nhà nước tỉnh Hưng Yên đến năm 2025",
        "document_number": "",
        "document_date": "2024-01",
        "issuer": "UBND tỉnh Hưng Yên",
        "legal_basis": [
            "Nghị định số 47/2020/NĐ-CP ngày 09/4/2020 của Chính phủ về quản lý, kết nối "
            "và chia sẻ dữ liệu số của cơ quan nhà nước",
        ],
        "source_file": f,
        "columns": ["number", "title", "description", "agency", "frequency"],
        "notes": (
            "Plan of Hưng Yên PPC (signed by a Vice-Chairman); number and day are blank in the source "
            "(\"Số: /KH-UBND\", \"ngày tháng 01 năm 2024\"), so document_number is \"\" and "
            "document_date is \"2024-01\"; year is 2024 (year of issue; the plan runs to 2025). No "
            "\"Căn cứ\" lines; legal_basis is taken from the opening \"Thực hiện Nghị định số "
            "47/2020/NĐ-CP ...\" clause, keeping the printed date \"09/4/2020\". The appendix has five "
            "columns: TT, Tên dữ liệu, Mô tả, Cơ quan, đơn vị chủ trì cung cấp, Tần suất cung cấp; 130 "
            "numbered items in 14 fields (LĨNH VỰC). Item 124 is split into 4 sub-rows (part 1-4) with "
            "the same name and their own description, agency and frequency, so the file has 133 rows. "
            "The source is DOCX converted to text with <b>/<i>/<sup>/<sub> markup: tags were removed, "
            "the padding the converter put inside parentheses around italic runs was dropped "
            "(\"( <i>x</i> )\" -> \"(x)\"), and super/subscripts were attached as plain characters "
            "(\"1m2\", \"SO2\", \"Ca2+\"). Agency cells written as a bullet list \"- A; - B\" are stored "
            "as \"A; B\" (bullet dashes dropped, parenthetical remarks kept); bullet descriptions "
            "(items 99, 109) are stored one \"- \" line per bullet. Items 12, 52 and 109 are split by page "
            "breaks and were joined back. The description cell is empty in the source table for items "
            "19, 66, 114, 117, 123 and 125 (empty cells, not extraction losses)."
        ),
    }
    write("hung-yen-plan-2025", catalog, R)


if __name__ == "__main__":
    if len(sys.argv) != 2 or not Path(sys.argv[1]).is_dir():
        sys.exit("usage: python catalog_seeds/_extract.py SOURCE_DIR (the folder of the source texts)")
    SRC = Path(sys.argv[1])
    bac_giang_2024()
    bac_giang_plan()
    dien_bien_plan()
    hung_yen_plan()
