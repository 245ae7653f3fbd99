"""Vietnamese full-text search: config/solr/schema.xml and the /select defaults of
config/solr/solrconfig.xml, through CKAN's own package_search and package_autocomplete.

The search must fold diacritics and "đ" (a query typed without them finds every
spelling), treat the two tone-mark placements alike ("thuỷ"/"thủy", "hoá"/"hóa",
"khoẻ"/"khỏe"), apply no English stemming (which broke every syllable ending in "y":
"xây", "giấy", "thủy", "ngày"), and still rank the words exactly as typed, and the
query words as a phrase, first ("học sinh" above "sinh học").

The datasets live in one organization and every search is filtered to it, so the
other tests' datasets in the shared test index do not matter.
"""
from __future__ import annotations

import unicodedata
import uuid

import pytest

from ckan.tests import factories, helpers


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


# key: (title, notes, theme, lead agency as the catalog names it)
DATASETS = {
    "hoc-sinh": ("Số lượng học sinh trung học phổ thông",
                 "Thống kê số học sinh theo trường, lớp và năm học trên địa bàn tỉnh.",
                 "giao-duc", "Sở Giáo dục và Đào tạo"),
    "sinh-hoc": ("Phòng thí nghiệm sinh học của các trường trung học",
                 "Danh mục thiết bị thí nghiệm sinh học, hóa học, vật lý tại các trường.",
                 "giao-duc", "Sở Giáo dục và Đào tạo"),
    "truong-hoc": ("Danh sách trường học trên địa bàn tỉnh",
                   "Tên trường, địa chỉ, loại hình, số lớp của các trường mầm non, tiểu học, "
                   "trung học.", "giao-duc", "Sở Giáo dục và Đào tạo"),
    # Tone marks in the "new" placement on the second vowel (thuỷ, hoà, hoá, khoẻ).
    "thuy-loi": ("Danh mục công trình thuỷ lợi",
                 "Hồ chứa, đập, kênh mương thuỷ lợi do tỉnh quản lý.",
                 "nong-nghiep", "Sở Nông nghiệp và Phát triển nông thôn"),
    "hoa-giai": ("Kết quả hoà giải ở cơ sở",
                 "Số vụ việc hoà giải thành, không thành theo xã.",
                 "khac", "Sở Tư pháp"),
    "van-hoa": ("Danh sách thiết chế văn hoá, thể thao cấp xã",
                "Nhà văn hoá, sân thể thao, thư viện của các xã.",
                "khac", "Sở Văn hóa, Thể thao và Du lịch"),
    "suc-khoe": ("Cơ sở khám chữa bệnh và chăm sóc sức khoẻ ban đầu",
                 "Trạm y tế xã, phòng khám đa khoa, bệnh viện; số giường bệnh.",
                 "y-te", "Sở Y tế"),
    # The traditional placement on the first vowel (thủy).
    "thuy-san": ("Sản lượng nuôi trồng thủy sản",
                 "Diện tích, sản lượng thủy sản nuôi trồng theo huyện.",
                 "nong-nghiep", "Sở Nông nghiệp và Phát triển nông thôn"),
    "gplx": ("Dữ liệu cấp mới, cấp đổi giấy phép lái xe",
             "Số giấy phép lái xe cấp mới, cấp đổi theo hạng và theo tháng.",
             "giao-thong", "Sở Giao thông vận tải"),
    "gpxd": ("Giấy phép xây dựng đã cấp",
             "Giấy phép xây dựng nhà ở, công trình do Sở Xây dựng cấp.",
             "xay-dung", "Sở Xây dựng"),
    "thue-nha": ("Giá thuê nhà ở xã hội",
                 "Giá cho thuê, thuê mua nhà ở xã hội trên địa bàn.",
                 "xay-dung", "Sở Xây dựng"),
    # "số xây dựng": the same letters as "Sở Xây dựng" once folded.
    "chi-so-xd": ("Chỉ số giá xây dựng công trình",
                  "Chỉ số giá xây dựng theo loại công trình, theo quý.",
                  "tai-chinh", "Sở Tài chính"),
    "chi-so-nt": ("Chỉ số xây dựng nông thôn mới",
                  "Các chỉ số về xây dựng nông thôn mới theo xã.",
                  "khac", "Cục Thống kê tỉnh"),
    "thue": ("Số thu thuế thu nhập cá nhân",
             "Số thu thuế thu nhập cá nhân, thuế giá trị gia tăng theo năm.",
             "tai-chinh", "Cục Thuế tỉnh"),
    "lua": ("Diện tích, năng suất lúa theo vụ",
            "Diện tích gieo cấy, năng suất, sản lượng lúa vụ xuân và vụ mùa.",
            "nong-nghiep", "Sở Nông nghiệp và Phát triển nông thôn"),
    "lua-to": ("Làng nghề dệt lụa truyền thống",
               "Danh sách làng nghề dệt lụa, số hộ và sản phẩm.",
               "khac", "Sở Công Thương"),
    "tiep-dan": ("Lịch tiếp công dân hằng ngày",
                 "Ngày, giờ và địa điểm tiếp công dân của lãnh đạo tỉnh.",
                 "khac", "Văn phòng Ủy ban nhân dân tỉnh"),
    "ngay": ("Danh sách vụ việc xử lý ngay tại cơ sở",
             "Các vụ việc được xử lý ngay khi phát sinh.",
             "khac", "Thanh tra tỉnh"),
    "dat-dai": ("Bảng giá đất ở và đất nông nghiệp",
                "Giá đất theo vị trí, tuyến đường; hệ số điều chỉnh giá đất đai.",
                "tai-chinh", "Sở Tài nguyên và Môi trường"),
    # Decomposed (NFD) text, as Windows input methods in "Unicode tổ hợp" mode type it.
    "nfd": (nfd("Danh bạ điện thoại các cơ quan hành chính"),
            nfd("Số điện thoại, địa chỉ thư điện tử của các sở, ban, ngành."),
            "khac", nfd("Văn phòng Ủy ban nhân dân tỉnh")),
}


@pytest.fixture(scope="module")
def catalog():
    """The datasets above in one organization: (organization, {dataset id: key})."""
    sysadmin = factories.Sysadmin()
    org = factories.Organization()
    suffix = uuid.uuid4().hex[:8]
    keys = {}
    for n, (key, (title, notes, theme, agency)) in enumerate(DATASETS.items()):
        # Neutral names: the name is searchable text too and must not help or hurt.
        dataset = helpers.call_action(
            "package_create", context={"user": sysadmin["name"]},
            name=f"tim-kiem-{n:02d}-{suffix}", title=title, notes=notes,
            owner_org=org["id"], theme=theme, original_agency=agency)
        keys[dataset["id"]] = key
    return org, keys


def search(catalog, q: str) -> list[str]:
    """package_search as the portal's search page runs it; the dataset keys, best first."""
    org, keys = catalog
    result = helpers.call_action(
        "package_search", q=q, fq=f'organization:"{org["name"]}"', rows=100)
    return [keys[r["id"]] for r in result["results"]]


def assert_ranked_above(results: list[str], better: list[str], worse: list[str], q: str):
    missing = [k for k in better + worse if k not in results]
    assert not missing, f"{q!r} did not find {missing}: {results}"
    # `better` first, in any order among themselves, then `worse`.
    assert set(results[:len(better)]) == set(better), \
        f"{q!r}: {better} should rank first: {results}"
    for k in worse:
        assert results.index(k) >= len(better), f"{q!r}: {k} should rank below {better}"


# ---------------------------------------------------------------- folding (no diacritics)
@pytest.mark.parametrize("q, key", [
    ("xay dung", "gpxd"),
    ("giay phep xay dung", "gpxd"),
    ("giay phep lai xe", "gplx"),
    ("GIAY PHEP LAI XE", "gplx"),
    ("thuy loi", "thuy-loi"),
    ("thuy san", "thuy-san"),
    ("truong hoc", "truong-hoc"),
    ("tiep cong dan", "tiep-dan"),
    ("hang ngay", "tiep-dan"),
    ("gia dat", "dat-dai"),
    ("dat dai", "dat-dai"),
    ("suc khoe", "suc-khoe"),
    ("kham chua benh", "suc-khoe"),
    ("hoa giai", "hoa-giai"),
    ("thu nhap ca nhan", "thue"),
    ("nang suat lua", "lua"),
    ("det lua", "lua-to"),
    ("danh ba dien thoai", "nfd"),
])
def test_query_without_diacritics_finds_the_dataset_first(catalog, q, key):
    results = search(catalog, q)
    assert results and results[0] == key, f"{q!r}: {results}"


@pytest.mark.parametrize("q, keys", [
    # Every syllable ending in "y" after an accented vowel: what English stemming broke.
    ("xay", ["gpxd", "thue-nha", "chi-so-xd", "chi-so-nt"]),
    ("giay", ["gplx", "gpxd"]),
    ("thuy", ["thuy-loi", "thuy-san"]),
    ("ngay", ["tiep-dan", "ngay"]),
    ("y te", ["suc-khoe"]),
    # One query, every spelling that folds to it.
    ("lua", ["lua", "lua-to"]),
    ("thue", ["thue", "thue-nha"]),
    ("so xay dung", ["gpxd", "thue-nha", "chi-so-nt"]),
])
def test_query_without_diacritics_finds_every_spelling(catalog, q, keys):
    results = search(catalog, q)
    assert set(keys) <= set(results), f"{q!r}: {results}"


@pytest.mark.parametrize("q, key", [
    ("giấy phep lai xe", "gplx"),
    ("giay phép lái xe", "gplx"),
    ("xây dung", "gpxd"),
    ("Giấy phép xay dựng", "gpxd"),
    ("Thuy lợi", "thuy-loi"),
    ("đat đai", "dat-dai"),
    ("tiếp cong dân", "tiep-dan"),
])
def test_query_with_some_diacritics_finds_the_dataset_first(catalog, q, key):
    results = search(catalog, q)
    assert results and results[0] == key, f"{q!r}: {results}"


@pytest.mark.parametrize("q, key", [
    ("dat", "dat-dai"),
    ("Đất", "dat-dai"),
    ("ĐẤT ĐAI", "dat-dai"),
    ("duong", "dat-dai"),
    ("dia diem", "tiep-dan"),
    ("DỆT LỤA", "lua-to"),
])
def test_d_stroke_and_capitals_fold(catalog, q, key):
    assert key in search(catalog, q), q


# ---------------------------------------------------------------- tone-mark placement
@pytest.mark.parametrize("new, old, key", [
    ("thuỷ lợi", "thủy lợi", "thuy-loi"),
    ("thuỷ sản", "thủy sản", "thuy-san"),
    ("hoà giải", "hòa giải", "hoa-giai"),
    ("văn hoá", "văn hóa", "van-hoa"),
    ("sức khoẻ", "sức khỏe", "suc-khoe"),
    ("THUỶ LỢI", "THỦY LỢI", "thuy-loi"),
    ("Văn Hoá", "Văn Hóa", "van-hoa"),
])
def test_both_tone_mark_placements_search_alike(catalog, new, old, key):
    assert search(catalog, new)[:1] == [key], new
    assert search(catalog, old)[:1] == [key], old
    # Not just found: one spelling, so the same ranking and the same exact-form bonus.
    assert search(catalog, new) == search(catalog, old)


def test_tone_placement_leaves_other_words_alone(catalog):
    # "hoàng", "thuyền", "quý": the mark never moves there (a final consonant, or "qu").
    assert "chi-so-xd" in search(catalog, "theo quý")
    assert "chi-so-xd" in search(catalog, "theo quy")
    assert "lua-to" in search(catalog, "truyền thống")


# ---------------------------------------------------------------- decomposed Unicode
@pytest.mark.parametrize("q, key", [
    ("danh bạ điện thoại", "nfd"),
    ("cơ quan hành chính", "nfd"),
    (nfd("giấy phép lái xe"), "gplx"),
    (nfd("thủy lợi"), "thuy-loi"),
    (nfd("Danh bạ điện thoại"), "nfd"),
])
def test_decomposed_text_and_queries_match_composed_ones(catalog, q, key):
    results = search(catalog, q)
    assert results and results[0] == key, f"{q!r}: {results}"


# ---------------------------------------------------------------- ranking
@pytest.mark.parametrize("q, exact, folded", [
    ("thuế", ["thue"], ["thue-nha"]),
    ("thuê", ["thue-nha"], ["thue"]),
    ("lúa", ["lua"], ["lua-to"]),
    ("lụa", ["lua-to"], ["lua"]),
    ("ngày", ["tiep-dan"], ["ngay"]),
    # A word typed without marks is also an exact form: "ngay" (at once), not "ngày".
    ("ngay", ["ngay"], ["tiep-dan"]),
    ("xu ly ngay", ["ngay"], []),
    # The agency as typed, above "số xây dựng" (the same letters once folded).
    ("sở xây dựng", ["gpxd", "thue-nha"], ["chi-so-nt", "chi-so-xd"]),
    ("Sở Xây dựng", ["gpxd", "thue-nha"], ["chi-so-nt", "chi-so-xd"]),
    ("chỉ số xây dựng", ["chi-so-nt", "chi-so-xd"], ["gpxd"]),
])
def test_exact_diacritics_rank_above_folded_matches(catalog, q, exact, folded):
    assert_ranked_above(search(catalog, q), exact, folded, q)


@pytest.mark.parametrize("q, phrase, words", [
    ("học sinh", ["hoc-sinh"], ["sinh-hoc"]),
    ("hoc sinh", ["hoc-sinh"], ["sinh-hoc"]),
    ("Học Sinh", ["hoc-sinh"], ["sinh-hoc"]),
    ("sinh học", ["sinh-hoc"], ["hoc-sinh"]),
    ("sinh hoc", ["sinh-hoc"], ["hoc-sinh"]),
    ("trường học", ["truong-hoc"], ["sinh-hoc"]),
    ("truong hoc", ["truong-hoc"], ["sinh-hoc"]),
    ("chi so xay dung", ["chi-so-nt"], ["chi-so-xd"]),
])
def test_whole_phrase_ranks_above_the_same_words_apart(catalog, q, phrase, words):
    assert_ranked_above(search(catalog, q), phrase, words, q)


@pytest.mark.parametrize("q, key", [
    ("cuc thong ke", "chi-so-nt"),
    ("Cục Thống kê", "chi-so-nt"),
    ("cuc thue", "thue"),
])
def test_lead_agency_as_listed_is_searchable(catalog, q, key):
    results = search(catalog, q)
    assert results and results[0] == key, f"{q!r}: {results}"


# ---------------------------------------------------------------- title suggestions
@pytest.mark.parametrize("q, key", [
    ("xay d", "gpxd"),
    ("xây dự", "gpxd"),
    ("giay phep x", "gpxd"),
    ("giấy phép lá", "gplx"),
    ("thuy l", "thuy-loi"),
    ("thủy l", "thuy-loi"),
    ("hoc si", "hoc-sinh"),
    ("Danh mục công", "thuy-loi"),
    ("tiep cong d", "tiep-dan"),
])
def test_title_autocomplete_matches_prefixes_without_diacritics(catalog, q, key):
    _org, keys = catalog
    title = DATASETS[key][0]
    found = helpers.call_action("package_autocomplete", q=q, limit=50)
    assert title in [r["title"] for r in found], f"{q!r}: {found}"
