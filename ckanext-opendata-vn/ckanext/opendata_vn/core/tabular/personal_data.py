"""Find columns that look like personal data (Decree 13/2023/NĐ-CP).

One place for the rules, used on every way data arrives (harvested sheets and APIs,
officer uploads, appendix descriptions). Headers are matched diacritic- and
case-insensitively; values by pattern (citizen ids, phone numbers, emails, birth dates
next to a name column). Each finding names the column, the kind and a few masked
examples — never the values themselves.
"""
from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from typing import Iterable, Sequence

from ckanext.opendata_vn.core.vocab import fold


@dataclass(frozen=True)
class Kind:
    code: str
    label_vi: str
    label_en: str


KINDS = {k.code: k for k in (
    Kind("name", "Họ tên cá nhân", "Person's name"),
    Kind("birth_date", "Ngày/năm sinh", "Date or year of birth"),
    Kind("citizen_id", "Số CCCD/CMND/định danh", "Citizen id number"),
    Kind("phone", "Số điện thoại", "Phone number"),
    Kind("email", "Thư điện tử", "Email address"),
    Kind("address", "Địa chỉ cư trú", "Home address"),
    Kind("vehicle_plate", "Biển số xe", "Vehicle plate"),
)}

# Folded header patterns per kind. "Tên trường", "Tên tuyến", "Tên đơn vị" … are not
# people: a bare "tên" only counts when it names a person ("tên người", "tên chủ …").
_HEADER_RULES: tuple[tuple[str, re.Pattern], ...] = (
    ("name", re.compile(r"\bho (va )?ten\b|\bho chu dem\b|\bho ten dem\b|^ten (nguoi|ca nhan|chu (ho|so huu|co so|ho kinh doanh|doanh nghiep tu nhan)|thi sinh|hoc sinh|sinh vien|giao vien|benh nhan|nguoi duoc cap|dau gia vien|giam dinh vien|can bo|cong chuc)\b|\bnguoi dai dien\b|\bchu ho\b")),
    ("birth_date", re.compile(r"\bngay (thang )?(nam )?sinh\b|\bnam sinh\b|\bsinh ngay\b")),
    ("citizen_id", re.compile(r"\bcccd\b|\bcmnd\b|\bcan cuoc\b|\bchung minh (nhan dan|thu)\b|\b(so|ma) dinh danh\b|\bho chieu\b")),
    ("phone", re.compile(r"\bdien thoai\b|\bsdt\b|\bdtdd\b|\bso dt\b|\bphone\b|\bhotline\b")),
    ("email", re.compile(r"\be ?mail\b|\bthu dien tu\b")),
    ("address", re.compile(r"\b(dia chi )?(thuong tru|tam tru|cu tru|noi o|cho o)\b|\bho khau\b|\bque quan\b")),
    ("vehicle_plate", re.compile(r"\bbien (so|kiem soat)( xe)?\b")),
)

_CITIZEN_ID = re.compile(r"^\d{12}$")
_PHONE = re.compile(r"^(?:\+?84|0)(?:3|5|7|8|9)\d{8}$")
_EMAIL = re.compile(r"^[\w.+-]+@[\w-]+(\.[\w-]+)+$")
_DATE = re.compile(r"^\d{1,2}[/.-]\d{1,2}[/.-](19|20)\d{2}$")
_PLATE = re.compile(r"^\d{2}[A-Z]{1,2}\d?-?\s?\d{3}\.?\d{2}$")
_OTHER_DATE = re.compile(r"\b(cap|ban hanh|hieu luc|het han|thanh lap|cong bo|cap nhat|dang ky|nop|ky)\b")
VALUE_SHARE = 0.6   # share of sampled values that must match a pattern
SAMPLE = 200        # values looked at per column


@dataclass
class Finding:
    column: str
    kind: str
    reason: str                      # "header" or "values"
    examples: list[str] = field(default_factory=list)

    @property
    def label_vi(self) -> str:
        return KINDS[self.kind].label_vi

    def as_dict(self) -> dict:
        return {**asdict(self), "label_vi": self.label_vi, "label_en": KINDS[self.kind].label_en}

    def message(self) -> str:
        how = "tên cột" if self.reason == "header" else "giá trị"
        ex = f" (vd. {', '.join(self.examples)})" if self.examples else ""
        return f"Cột \"{self.column}\": {self.label_vi.lower()} — nhận biết qua {how}{ex}"


def header_kind(header: str) -> str | None:
    key = fold(header)
    for kind, pattern in _HEADER_RULES:
        if pattern.search(key):
            return kind
    return None


def _value_kind(values: Sequence[str]) -> str | None:
    if not values:
        return None
    for kind, pattern, clean in (
            ("citizen_id", _CITIZEN_ID, lambda v: v.replace(" ", "")),
            ("phone", _PHONE, lambda v: re.sub(r"[\s.()-]", "", v)),
            ("email", _EMAIL, str.strip),
            ("vehicle_plate", _PLATE, lambda v: v.strip().upper())):
        hits = sum(1 for v in values if pattern.match(clean(v)))
        if hits >= max(1, VALUE_SHARE * len(values)):
            return kind
    return None


def mask(value: str, kind: str) -> str:
    """A recognisable but unusable example: "Nguyễn Văn An" → "N*** V** A*"."""
    value = str(value).strip()
    if kind == "name":
        return " ".join(w[0] + "*" * max(1, len(w) - 1) for w in value.split())
    if kind == "email" and "@" in value:
        local, domain = value.split("@", 1)
        return f"{local[:1]}***@{domain}"
    if kind == "birth_date":
        return re.sub(r"^\d{1,2}[/.-]\d{1,2}", "**/**", value)
    if kind == "address":
        return (value.split(",")[-1].strip() or "…") if "," in value else value[:3] + "***"
    digits = len(value)
    if digits <= 4:
        return "*" * digits
    return value[:2] + "*" * (digits - 4) + value[-2:]


def detect(headers: Sequence[str], rows: Iterable[Sequence], examples: int = 3) -> list[Finding]:
    """Findings for a table: `headers` and an iterable of rows (lists in header order)."""
    samples: list[list[str]] = [[] for _ in headers]
    for row in rows:
        for i, value in enumerate(row[:len(headers)]):
            if value not in (None, "") and len(samples[i]) < SAMPLE:
                samples[i].append(str(value).strip())
        if all(len(s) >= SAMPLE for s in samples):
            break
    findings: list[Finding] = []
    for i, header in enumerate(headers):
        kind, reason = header_kind(str(header)), "header"
        if kind is None:
            kind, reason = _value_kind(samples[i]), "values"
        if kind:
            findings.append(Finding(str(header), kind, reason,
                                    [mask(v, kind) for v in samples[i][:examples]]))
    # dd/mm/yyyy dates are birth dates only beside a person's name, and only when the
    # header names no other kind of date (issued, valid until, founded …)
    if any(f.kind == "name" for f in findings):
        flagged = {f.column for f in findings}
        for i, header in enumerate(headers):
            values = samples[i]
            if str(header) in flagged or not values or _OTHER_DATE.search(fold(str(header))):
                continue
            if sum(1 for v in values if _DATE.match(v)) >= VALUE_SHARE * len(values):
                findings.append(Finding(str(header), "birth_date", "values",
                                        [mask(v, "birth_date") for v in values[:examples]]))
    return findings


STRONG_KINDS = {"name", "birth_date", "citizen_id", "vehicle_plate"}
_PERSON_WORDS = re.compile(r"\b(chu|nguoi|ca nhan|ho|can bo|cong chuc|vien chuc)\b")


def describe_fields(lines: Iterable[str]) -> list[Finding]:
    """Catalog-level warning: the field list of one catalog entry names personal data
    ("Họ, chữ đệm, tên, ngày tháng năm sinh của người được cấp …").

    A phone number, email or address alone is an organisation's contact (a school's
    phone) unless the entry also lists a person or the line itself names one.
    """
    lines = [ln for ln in lines if ln and ln.strip()]
    findings: list[Finding] = []
    for line in lines:
        key = fold(line)
        seen = set()
        for kind, pattern in _HEADER_RULES:
            if pattern.search(key) and kind not in seen:
                seen.add(kind)
                findings.append(Finding(line, kind, "header"))
        # "Họ, chữ đệm, tên" lists a name without the words "họ tên" side by side
        if "name" not in seen and re.search(r"\bho chu dem ten\b|\bho ten\b", key):
            findings.append(Finding(line, "name", "header"))
    if not any(f.kind in STRONG_KINDS for f in findings):
        findings = [f for f in findings if _PERSON_WORDS.search(fold(f.column))]
    return findings
