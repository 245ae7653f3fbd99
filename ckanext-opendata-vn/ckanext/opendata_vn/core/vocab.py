"""The portal's controlled vocabularies, defined once.

Every consumer (schema choices, loader, scheduler, compliance, DCAT, facets) reads
them from here: frequencies (vi/en label, code, EU frequency IRI, schedule rule),
themes (aliases, EU data-theme code), agency levels and source types.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

EU_FREQ = "http://publications.europa.eu/resource/authority/frequency/"
EU_THEME = "http://publications.europa.eu/resource/authority/data-theme/"


def nfc(text: str | None) -> str:
    return unicodedata.normalize("NFC", text or "").strip()


def fold(text: str | None) -> str:
    """Lower-case, diacritic-free, đ→d, punctuation to spaces, single spaces.

    Used wherever user or document text is matched against a vocabulary, so that
    "Quý", "quy", "QUÝ" and "Quí" compare alike.
    """
    text = unicodedata.normalize("NFD", (text or "").replace("đ", "d").replace("Đ", "D"))
    text = "".join(c for c in text if unicodedata.category(c) != "Mn").lower()
    text = re.sub(r"[^a-z0-9]+", " ", text)
    return " ".join(text.split())


# ----------------------------------------------------------------- frequencies
@dataclass(frozen=True)
class Frequency:
    code: str
    label_vi: str
    label_en: str
    eu: str                 # EU frequency authority code (dct:accrualPeriodicity)
    months: int | None      # schedule rule: interval in months; None = no fixed period
    days: int | None = None  # interval in days for sub-monthly frequencies
    aliases: tuple[str, ...] = ()
    school_year: bool = False  # periods start in September
    irregular: bool = False    # "Khi có …": checked daily, published when changed

    @property
    def eu_uri(self) -> str:
        return EU_FREQ + self.eu


FREQUENCIES: tuple[Frequency, ...] = (
    Frequency("daily", "Hàng ngày", "Daily", "DAILY", None, 1, ("ngay", "hang ngay", "hàng ngày")),
    Frequency("weekly", "Hàng tuần", "Weekly", "WEEKLY", None, 7, ("tuan", "hang tuan")),
    Frequency("monthly", "Tháng", "Monthly", "MONTHLY", 1, None, ("thang", "hang thang", "01 thang", "1 thang")),
    Frequency("quarterly", "Quý", "Quarterly", "QUARTERLY", 3, None,
              ("quy", "qui", "hang quy", "3 thang", "03 thang")),
    Frequency("semiannual", "6 tháng", "Every six months", "ANNUAL_2", 6, None,
              ("6 thang", "06 thang", "nua nam", "6 thang 1 lan", "06 thang 1 lan")),
    Frequency("annual", "Năm", "Annual", "ANNUAL", 12, None,
              ("nam", "hang nam", "1 nam", "01 nam", "nam 1 lan", "1 nam 1 lan", "01 nam 1 lan")),
    Frequency("school_year", "Năm học", "School year", "ANNUAL", 12, None,
              ("nam hoc", "hang nam hoc", "theo nam hoc"), school_year=True),
    Frequency("monthly_quarterly", "Tháng, quý", "Monthly and quarterly", "MONTHLY", 1, None,
              ("thang quy", "hang thang hang quy")),
    Frequency("quarterly_annual", "Quý; Năm", "Quarterly and annual", "QUARTERLY", 3, None,
              ("quy nam", "hang quy hang nam")),
    Frequency("monthly_annual", "Tháng; Năm", "Monthly and annual", "MONTHLY", 1, None,
              ("thang nam",)),
    Frequency("on_occurrence", "Khi có phát sinh", "When new data arises", "IRREG", None, None,
              ("khi co phat sinh", "phat sinh", "khi phat sinh", "thuong xuyen khi co phat sinh"),
              irregular=True),
    Frequency("on_change", "Khi có thay đổi", "When the data changes", "IRREG", None, None,
              ("khi co thay doi", "thay doi", "khi thay doi", "khi co su thay doi", "khi co bien dong",
               "khi co cap nhat", "cap nhat khi co thay doi"), irregular=True),
    Frequency("on_demand", "Khi có nhu cầu", "On demand", "IRREG", None, None,
              ("khi co nhu cau", "theo nhu cau", "khi co yeu cau", "theo yeu cau"), irregular=True),
    Frequency("continuous", "Thường xuyên", "Continuously updated", "UPDATE_CONT", None, 1,
              ("thuong xuyen", "lien tuc", "cap nhat thuong xuyen"), irregular=True),
    Frequency("biennial", "2 năm", "Every two years", "BIENNIAL", 24, None, ("2 nam", "02 nam")),
    Frequency("triennial", "3 năm", "Every three years", "TRIENNIAL", 36, None, ("3 nam", "03 nam")),
    Frequency("quadrennial", "4 năm", "Every four years", "QUADRENNIAL", 48, None, ("4 nam", "04 nam")),
    Frequency("quinquennial", "5 năm", "Every five years", "QUINQUENNIAL", 60, None, ("5 nam", "05 nam")),
    Frequency("decennial", "10 năm", "Every ten years", "DECENNIAL", 120, None, ("10 nam",)),
    Frequency("other", "Khác", "Other", "OTHER", None, None, ()),
)
FREQUENCY_BY_CODE = {f.code: f for f in FREQUENCIES}
_FREQ_ALIASES = {fold(a): f for f in FREQUENCIES for a in (f.label_vi, *f.aliases)}
# "5 năm (2021-2025)", "05 năm/lần", "Định kỳ 5 năm": a multi-year period.
_MULTI_YEAR = re.compile(r"^(?:dinh ky )?0?(\d+) nam(?: 1 lan| lan)?(?: \d{4} \d{4})?$")
_YEARS_TO_CODE = {2: "biennial", 3: "triennial", 4: "quadrennial", 5: "quinquennial", 10: "decennial"}


@dataclass(frozen=True)
class FrequencyMatch:
    frequency: Frequency
    text: str            # the document's own wording, kept as is (NFC)
    matched: bool        # False: free text we could not map ("other", flagged for review)


def match_frequency(text: str | None) -> FrequencyMatch | None:
    """Map a tần suất as written in a catalog to the controlled list.

    Returns None for empty text; unknown wording maps to "other" with matched=False
    so the original text is kept and flagged, never dropped.
    """
    original = nfc(text)
    if not original:
        return None
    key = fold(original)
    for candidate in (key, re.sub(r"^(?:dinh ky|cap nhat)\s+", "", key)):
        if candidate in _FREQ_ALIASES:
            return FrequencyMatch(_FREQ_ALIASES[candidate], original, True)
        multi = _MULTI_YEAR.match(candidate)
        if multi and int(multi.group(1)) in _YEARS_TO_CODE:
            return FrequencyMatch(FREQUENCY_BY_CODE[_YEARS_TO_CODE[int(multi.group(1))]], original, True)
    return FrequencyMatch(FREQUENCY_BY_CODE["other"], original, False)


# ----------------------------------------------------------------- themes
@dataclass(frozen=True)
class Theme:
    code: str            # CKAN group name
    title_vi: str
    title_en: str
    eu: str | None       # EU data-theme code
    aliases: tuple[str, ...] = field(default=())

    @property
    def eu_uri(self) -> str | None:
        return EU_THEME + self.eu if self.eu else None


THEMES: tuple[Theme, ...] = (
    Theme("giao-duc", "Giáo dục và đào tạo", "Education and training", "EDUC",
          ("giáo dục", "giáo dục và đào tạo", "giáo dục đào tạo")),
    Theme("y-te", "Y tế, sức khỏe", "Health", "HEAL", ("y tế", "y tế, sức khỏe", "sức khỏe", "y tế sức khoẻ")),
    Theme("van-hoa-du-lich", "Văn hóa, thể thao và du lịch", "Culture, sport and tourism", "EDUC",
          ("văn hóa thể thao và du lịch", "văn hóa, du lịch", "văn hóa du lịch", "văn hóa",
           "du lịch", "văn hóa, thể thao, du lịch")),
    Theme("xa-hoi", "Xã hội", "Society", "SOCI", ("xã hội",)),
    Theme("lao-dong", "Lao động, việc làm", "Labour and employment", "SOCI",
          ("lao động", "lao động, việc làm", "lao động việc làm", "lao động thương binh và xã hội")),
    Theme("cong-nghe-thong-tin", "Công nghệ thông tin và truyền thông", "Information and communications",
          "TECH", ("công nghệ thông tin và truyền thông", "công nghệ thông tin", "thông tin và truyền thông",
                   "thông tin truyền thông")),
    Theme("khoa-hoc-cong-nghe", "Khoa học và công nghệ", "Science and technology", "TECH",
          ("khoa học", "khoa học và công nghệ", "khoa học công nghệ")),
    Theme("giao-thong", "Giao thông vận tải", "Transport", "TRAN",
          ("giao thông vận tải", "giao thông, vận tải", "giao thông")),
    Theme("ke-hoach-dau-tu", "Kế hoạch và đầu tư", "Planning and investment", "ECON",
          ("kế hoạch và đầu tư", "kế hoạch đầu tư", "đầu tư")),
    Theme("kinh-te", "Kinh tế", "Economy", "ECON", ("kinh tế", "công thương", "kinh tế - thương mại")),
    Theme("tai-chinh", "Tài chính", "Finance", "ECON", ("tài chính", "tài chính - ngân sách")),
    Theme("tai-nguyen-moi-truong", "Tài nguyên và môi trường", "Natural resources and environment", "ENVI",
          ("tài nguyên và môi trường", "tài nguyên môi trường", "môi trường, tài nguyên",
           "môi trường", "tài nguyên")),
    Theme("nong-nghiep", "Nông nghiệp", "Agriculture", "AGRI",
          ("nông nghiệp", "nông nghiệp và phát triển nông thôn", "nông nghiệp và môi trường")),
    Theme("xay-dung", "Xây dựng", "Construction", "REGI", ("xây dựng",)),
    Theme("tu-phap", "Tư pháp", "Justice", "JUST", ("tư pháp",)),
    Theme("noi-vu", "Nội vụ", "Home affairs", "GOVE", ("nội vụ",)),
    Theme("khac", "Khác", "Other", None, ("khác", "lĩnh vực khác")),
)
THEME_BY_CODE = {t.code: t for t in THEMES}
_THEME_PREFIX = re.compile(r"^(?:nhom )?(?:chu de|linh vuc)\s+")
_THEME_ALIASES = {fold(a): t for t in THEMES for a in (t.title_vi, *t.aliases)}


def match_theme(text: str | None) -> Theme | None:
    """Map a theme header ("CHỦ ĐỀ GIÁO DỤC", "LĨNH VỰC GIÁO DỤC", …) to one theme."""
    key = _THEME_PREFIX.sub("", fold(text))
    if not key:
        return None
    if key in _THEME_ALIASES:
        return _THEME_ALIASES[key]
    return _THEME_ALIASES.get(re.sub(r"\bva\b ?", "", key).strip())


# ----------------------------------------------------------------- agencies
AGENCY_LEVELS: tuple[tuple[str, str, str], ...] = (
    ("so_nganh", "Sở, ban, ngành cấp tỉnh", "Provincial department or agency"),
    ("ubnd_tinh", "UBND tỉnh", "Provincial People's Committee"),
    ("ubnd_huyen", "UBND cấp huyện (đến 2025)", "District People's Committee (until 2025)"),
    ("ubnd_xa", "UBND cấp xã", "Commune People's Committee"),
    ("trung_uong", "Cơ quan trung ương trên địa bàn", "Central agency based in the province"),
    ("don_vi_su_nghiep", "Đơn vị sự nghiệp", "Public service unit"),
    ("khac", "Khác", "Other"),
)


def guess_agency_level(name: str) -> str:
    key = fold(name)
    if key.startswith(("so ", "ban ", "thanh tra", "van phong ubnd", "van phong uy ban")):
        return "so_nganh"
    if "cap huyen" in key or key.startswith(("ubnd huyen", "ubnd thanh pho", "ubnd thi xa")):
        return "ubnd_huyen"
    if "cap xa" in key or key.startswith(("ubnd xa", "ubnd phuong")):
        return "ubnd_xa"
    if key.startswith(("ubnd tinh", "uy ban nhan dan tinh")):
        return "ubnd_tinh"
    if any(w in key for w in ("cuc ", "kho bac", "bao hiem xa hoi", "ngan hang", "cong an tinh", "toa an")):
        return "trung_uong"
    if key.startswith(("trung tam", "truong", "benh vien", "dai ")):
        return "don_vi_su_nghiep"
    return "khac"


# ----------------------------------------------------------------- data sources
SOURCE_TYPES: tuple[tuple[str, str, str], ...] = (
    ("excel", "Excel", "Excel workbook"),
    ("api", "API", "API"),
    ("csv", "CSV", "CSV file"),
    ("database", "Cơ sở dữ liệu", "Database"),
    ("other", "Khác", "Other"),
)


def match_sources(text: str | None) -> list[str]:
    """"Excel/API", "Excel, API", "API" → ["excel", "api"]; unknown words → "other"."""
    codes: list[str] = []
    # fold() turns "/", ",", ";" into spaces; "Cơ sở dữ liệu" is the one multi-word type
    key = fold(text).replace("co so du lieu", "database")
    for part in key.split():
        if part in ("va", "hoac", "file", "tep"):
            continue
        code = next((c for c, vi, _en in SOURCE_TYPES if fold(vi) == part or c == part), "other")
        if part in ("xlsx", "xls"):
            code = "excel"
        if code not in codes:
            codes.append(code)
    return codes


PUBLICATION_STATUSES: tuple[tuple[str, str, str], ...] = (
    ("planned", "Kế hoạch (chưa có dữ liệu)", "Planned (no data yet)"),
    ("published", "Đã công bố", "Published"),
)
