"""Harvest sources attached to catalog datasets: their configuration and records.

A source is a ckanext-harvest source (a private `harvest` package of the dataset's
agency, frequency MANUAL: our scheduler decides when it runs) whose config names the
dataset it fulfils. The config is shown by the harvest API, so it never holds a
secret: an authentication header only names a secret kept in ckan.ini.
"""
from __future__ import annotations

import hashlib
import json
import re
from urllib.parse import parse_qsl, urlsplit

from ckan import model

from ckanext.harvest.model import HarvestSource

from ckanext.opendata_vn.core import safe_http
from ckanext.opendata_vn.harvest import settings

EXCEL, API = "vn_excel", "vn_api"
SOURCE_TYPES = (EXCEL, API)
PAGINATION_TYPES = ("none", "page", "offset", "next")
FORMATS = ("auto", "xlsx", "xls", "csv")

_HEADER_NAME = re.compile(r"^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,64}$")
_SECRET_WORDS = re.compile(r"(^|[_-])(key|apikey|api_key|token|access_token|secret|password|passwd|pwd|"
                           r"auth|authorization|signature|sig)$", re.I)
# keys a source config may hold; anything else (e.g. "headers", "token") is refused
_COMMON_KEYS = {"dataset_id", "allow_column_changes"}
_EXCEL_KEYS = {"sheet", "header_row", "header_lines", "format"}
_API_KEYS = {"records_path", "pagination", "auth_header", "auth_secret"}
_PAGINATION_KEYS = {"type", "param", "size_param", "size", "start", "next_path"}


class ConfigError(ValueError):
    """(Vietnamese, English) explanation of an invalid source setting."""

    def __init__(self, vi: str, en: str, field: str = "config"):
        self.vi, self.en, self.field = vi, en, field
        super().__init__(f"{vi} / {en}")


def check_url(url: str) -> str:
    url = (url or "").strip()
    try:
        parts = urlsplit(url)
    except ValueError:
        parts = None
    if not parts or parts.scheme not in ("http", "https") or not parts.hostname:
        raise ConfigError("Địa chỉ nguồn phải là một đường dẫn http:// hoặc https://",
                          "The source address must be an http:// or https:// URL", "url")
    if parts.username or parts.password:
        raise ConfigError("Không đặt tên đăng nhập, mật khẩu trong đường dẫn; dùng khoá bí mật cấu hình trên máy chủ",
                          "Do not put credentials in the URL; use a secret configured on the server", "url")
    for key, _value in parse_qsl(parts.query, keep_blank_values=True):
        if _SECRET_WORDS.search(key):
            raise ConfigError(
                f"Tham số «{key}» trong đường dẫn trông như khoá bí mật, sẽ hiện công khai; "
                "hãy dùng tiêu đề xác thực với khoá bí mật cấu hình trên máy chủ",
                f"The URL parameter «{key}» looks like a secret and would be public; "
                "use an authentication header with a secret configured on the server", "url")
    return url


def check_address(url: str, agency: str | None) -> None:
    """Refuse, when the source is saved, a host that resolves to an address the
    harvester would refuse (loopback, private, link-local…): the officer learns it now
    rather than at the first run. A name that does not resolve yet is checked at each run."""
    try:
        safe_http.check(url, agency)
    except safe_http.Refused as e:
        raise ConfigError(
            f"Không dùng được địa chỉ {e.host}: {e.reason_vi}. Cổng chỉ tải dữ liệu từ địa chỉ công khai; "
            "máy chủ của đơn vị trên mạng nội bộ tỉnh (LGSP) phải được quản trị hệ thống cho phép",
            f"The address {e.host} cannot be used: {e.reason_en}. The portal only fetches from public "
            "addresses; an agency server on the provincial network (LGSP) must be allowed by the "
            "system administrator", "url")
    except Exception:   # not resolvable now: checked again on every run
        pass


def _int(value, name_vi: str, name_en: str, field: str, low: int, high: int) -> int | None:
    if value in (None, ""):
        return None
    try:
        number = int(str(value).strip())
    except ValueError:
        number = None
    if number is None or not (low <= number <= high):
        raise ConfigError(f"«{name_vi}» phải là số nguyên từ {low} đến {high}",
                          f"«{name_en}» must be a whole number from {low} to {high}", field)
    return number


def _bool(value) -> bool:
    return str(value).strip().lower() in ("1", "true", "yes", "on", "có")


def normalise_config(source_type: str, config: dict | str | None) -> dict:
    """Validate and normalise a source config; raises ConfigError."""
    config = _parsed(config)
    if source_type not in SOURCE_TYPES:
        raise ConfigError("Loại nguồn không hợp lệ", "Unknown source type", "source_type")
    allowed = _COMMON_KEYS | (_EXCEL_KEYS if source_type == EXCEL else _API_KEYS)
    unknown = sorted(k for k in config if k not in allowed)
    if unknown:
        raise ConfigError(f"Cấu hình có khoá không được phép: {', '.join(unknown)} (không lưu khoá bí mật ở đây)",
                          f"Keys not allowed in the config: {', '.join(unknown)} (never store secrets here)")
    out: dict = {"dataset_id": _dataset_id(config)}
    if _bool(config.get("allow_column_changes", False)):
        out["allow_column_changes"] = True
    out.update(_excel_config(config) if source_type == EXCEL else _api_config(config))
    return out


def _parsed(config: dict | str | None) -> dict:
    if isinstance(config, str):
        try:
            config = json.loads(config or "{}")
        except ValueError:
            raise ConfigError("Cấu hình nguồn không phải JSON hợp lệ", "The source config is not valid JSON")
    return dict(config or {})


def _dataset_id(config: dict) -> str:
    dataset_id = str(config.get("dataset_id") or "").strip()
    if not dataset_id:
        raise ConfigError("Thiếu tập dữ liệu gắn với nguồn", "The source has no dataset", "dataset_id")
    pkg = model.Package.get(dataset_id)
    if pkg is None or pkg.type != "dataset" or pkg.state != "active":
        raise ConfigError("Không tìm thấy tập dữ liệu gắn với nguồn", "The source's dataset was not found",
                          "dataset_id")
    return pkg.id


def _excel_config(config: dict) -> dict:
    out: dict = {}
    sheet = config.get("sheet")
    if isinstance(sheet, str):
        sheet = sheet.strip()
    if sheet not in (None, ""):
        if isinstance(sheet, int) or (isinstance(sheet, str) and sheet.isdigit() and len(sheet) < 4):
            out["sheet"] = _int(sheet, "Trang tính", "Sheet", "sheet", 1, 999)
        else:
            out["sheet"] = str(sheet)
    header_row = _int(config.get("header_row"), "Dòng tiêu đề", "Header row", "header_row", 1, 10000)
    if header_row:
        out["header_row"] = header_row
    lines = _int(config.get("header_lines"), "Số dòng tiêu đề", "Header lines", "header_lines", 1, 3)
    if lines:
        out["header_lines"] = lines
    fmt = (config.get("format") or "auto").strip().lower()
    if fmt not in FORMATS:
        raise ConfigError("Định dạng phải là auto, xlsx, xls hoặc csv", "Format must be auto, xlsx, xls or csv",
                          "format")
    if fmt != "auto":
        out["format"] = fmt
    return out


def _api_config(config: dict) -> dict:
    out: dict = {}
    path = str(config.get("records_path") or "").strip()
    if path:
        if not re.match(r"^[^\s.]+(\.[^\s.]+)*$", path):
            raise ConfigError("Đường dẫn tới bản ghi dạng a.b.c (vd. data.items)",
                              "The records path looks like a.b.c (e.g. data.items)", "records_path")
        out["records_path"] = path
    pagination = _pagination(config.get("pagination") or {})
    if pagination:
        out["pagination"] = pagination
    out.update(_auth(config))
    return out


def _pagination(pagination: dict | str) -> dict | None:
    """None for an unpaginated API."""
    if isinstance(pagination, str):
        pagination = {"type": pagination}
    unknown = sorted(k for k in pagination if k not in _PAGINATION_KEYS)
    if unknown:
        raise ConfigError(f"Phân trang có khoá không hợp lệ: {', '.join(unknown)}",
                          f"Unknown pagination keys: {', '.join(unknown)}", "pagination")
    kind = (pagination.get("type") or "none").strip()
    if kind not in PAGINATION_TYPES:
        raise ConfigError("Kiểu phân trang phải là none, page, offset hoặc next",
                          "Pagination must be none, page, offset or next", "pagination")
    if kind == "none":
        return None
    p: dict = {"type": kind}
    if kind == "next":
        p["next_path"] = str(pagination.get("next_path") or "").strip()
        return p
    p["param"] = str(pagination.get("param") or ("page" if kind == "page" else "offset")).strip()
    size_param = str(pagination.get("size_param") or ("" if kind == "page" else "limit")).strip()
    if size_param:
        p["size_param"] = size_param
    size = _int(pagination.get("size"), "Số bản ghi mỗi trang", "Page size", "pagination", 1, 100000)
    if size:
        p["size"] = size
    elif kind == "offset":
        p["size"] = 100
    if kind == "page":
        start = _int(pagination.get("start"), "Trang đầu", "First page", "pagination", 0, 1)
        p["start"] = 1 if start is None else start
    return p


def _auth(config: dict) -> dict:
    """The header that carries a secret, and the secret's name (never its value)."""
    header = str(config.get("auth_header") or "").strip()
    secret = str(config.get("auth_secret") or "").strip()
    if not header and not secret:
        return {}
    if not _HEADER_NAME.match(header or "Authorization"):
        raise ConfigError("Tên tiêu đề xác thực không hợp lệ", "Invalid authentication header name",
                          "auth_header")
    if not settings.SECRET_NAME.match(secret):
        raise ConfigError("Tên khoá bí mật chỉ gồm chữ thường, số, dấu - _ . (vd. so-y-te); "
                          "giá trị khoá đặt trong cấu hình máy chủ, không nhập ở đây",
                          "The secret name uses lower-case letters, digits, - _ . (e.g. so-y-te); "
                          "its value lives in the server configuration, not here", "auth_secret")
    return {"auth_header": header or "Authorization", "auth_secret": secret}


def fingerprint(url: str, config: dict) -> str:
    """Identifies what is read: a change (URL, sheet, header row, records path…)
    resets change detection and the column check."""
    relevant = {k: v for k, v in config.items() if k not in ("allow_column_changes",)}
    payload = json.dumps({"url": (url or "").strip(), **relevant}, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(payload.encode()).hexdigest()[:16]


def load_config(source: HarvestSource) -> dict:
    try:
        return json.loads(source.config or "{}")
    except ValueError:
        return {}


def dataset_id_of(source: HarvestSource) -> str | None:
    return load_config(source).get("dataset_id")


def vn_sources_query():
    return model.Session.query(HarvestSource).filter(HarvestSource.type.in_(SOURCE_TYPES))


def sources_for_dataset(dataset_id: str, include_inactive: bool = False) -> list[HarvestSource]:
    """Sources attached to a dataset (config's dataset_id), newest first."""
    q = vn_sources_query().filter(HarvestSource.config.like(f'%"{dataset_id}"%'))
    if not include_inactive:
        q = q.filter(HarvestSource.active.is_(True))
    return [s for s in q.order_by(HarvestSource.created.desc()).all() if dataset_id_of(s) == dataset_id]


def is_attached(source: HarvestSource | None) -> bool:
    return bool(source is not None and source.type in SOURCE_TYPES and dataset_id_of(source))


def clear_flag(source: HarvestSource, key: str) -> None:
    """Drop a one-run setting ("allow_column_changes") once a run used it."""
    config = load_config(source)
    if key not in config:
        return
    config.pop(key)
    text = json.dumps(config, ensure_ascii=False)
    source.config = text
    pkg = model.Package.get(source.id)
    if pkg is not None:
        extra = model.Session.query(model.PackageExtra).filter_by(package_id=pkg.id, key="config").first()
        if extra is not None:
            extra.value = text
    model.Session.add(source)
