"""Validators named in schemas/*.yaml (registered through IValidators).

Error messages are Vietnamese source strings marked for gettext (English in i18n/).
"""
from __future__ import annotations

import json
import re

import ckan.plugins.toolkit as tk

from ckanext.opendata_vn.core import vocab
_ = tk._
Invalid = tk.Invalid
missing = tk.missing


def nfc(value):
    """Store every text NFC-normalised (Windows-1258 input arrives decomposed)."""
    if isinstance(value, str):
        return vocab.nfc(value)
    return value


def text_list(value):
    """Accept a list, a JSON list or text with one item per line; NFC each item."""
    if value is missing or value is None or value == "":
        return value
    if isinstance(value, str):
        try:
            parsed = json.loads(value)
            value = parsed if isinstance(parsed, list) else [value]
        except ValueError:
            value = value.splitlines()
    items = [vocab.nfc(str(v)).lstrip("-•+ ").strip() for v in value]
    return [v for v in items if v]


def theme(value):
    if value in vocab.THEME_BY_CODE:
        return value
    matched = vocab.match_theme(value)
    if matched:
        return matched.code
    raise Invalid(_("Chủ đề \"{value}\" không có trong danh sách chủ đề; chọn một chủ đề có sẵn.")
                  .format(value=value))


def frequency(value):
    if value in (missing, None, ""):
        return value
    if value in vocab.FREQUENCY_BY_CODE:
        return value
    match = vocab.match_frequency(value)
    if match and match.matched:
        return match.frequency.code
    raise Invalid(_("Tần suất \"{value}\" không có trong danh sách; chọn một giá trị hoặc ghi "
                    "nguyên văn vào ô \"Tần suất (theo văn bản)\" và chọn \"Khác\".").format(value=value))


def default_province(value):
    if value in (missing, None, ""):
        return tk.config.get("ckanext.opendata_vn.province")
    return value


def default_status(value):
    return "planned" if value in (missing, None, "") else value


def default_license(value):
    return "cc-by" if value in (missing, None, "") else value


_PHONE = re.compile(r"^\+?[0-9 .()\-]{8,20}$")


def phone(value):
    if value in (missing, None, ""):
        return value
    if not _PHONE.match(value):
        raise Invalid(_("Số điện thoại không hợp lệ: chỉ gồm chữ số, dấu cách, dấu chấm hoặc gạch ngang."))
    return value


def org_exists(value, context):
    if value in (missing, None, ""):
        return value
    model = context["model"]
    org = model.Group.get(value)
    if not org or not org.is_organization:
        raise Invalid(_("Không tìm thấy đơn vị \"{value}\".").format(value=value))
    return org.name


def required_if_published(key, data, errors, context):
    """Decisions §3: a document may leave a column empty for a *planned* entry; the
    field is required before the entry is published."""
    value = data.get(key)
    if value not in (missing, None, ""):
        return
    status = data.get(("publication_status",))
    if status == "published":
        errors[key].append(_("Bắt buộc khi tập dữ liệu ở trạng thái \"Đã công bố\"."))
        raise tk.StopOnError


def link_url(key, data, errors, context):
    """A link (resource URL): http or https, never javascript:, data:, file:…; an
    uploaded file keeps its name (CKAN makes the link)."""
    from urllib.parse import urlsplit
    value = data.get(key)
    if value in (missing, None, "") or data.get(key[:-1] + ("url_type",)) == "upload":
        return
    try:
        scheme = urlsplit(str(value)).scheme
    except ValueError:
        scheme = "?"
    if scheme and scheme not in ("http", "https"):
        errors[key].append(_("Địa chỉ phải bắt đầu bằng http:// hoặc https://"))
        raise tk.StopOnError


def get_validators():
    return {
        "opendata_vn_link_url": link_url,
        "opendata_vn_nfc": nfc,
        "opendata_vn_required_if_published": required_if_published,
        "opendata_vn_text_list": text_list,
        "opendata_vn_theme": theme,
        "opendata_vn_frequency": frequency,
        "opendata_vn_default_province": default_province,
        "opendata_vn_default_status": default_status,
        "opendata_vn_default_license": default_license,
        "opendata_vn_phone": phone,
        "opendata_vn_org_exists": org_exists,
    }
