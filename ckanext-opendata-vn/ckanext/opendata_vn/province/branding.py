"""The province's identity from one YAML file (`ckanext.opendata_vn.branding_file`):
name, short name, emblem, favicon, colours, contact block, "about" text, share links.

Another province's look is another file (config/branding/<province>.yaml): no code
changes. Images are files next to the YAML, served by our own routes (nothing is
asked of a third party). Text values are either a string or {vi: …, en: …}.
"""
from __future__ import annotations

import functools
import re
from pathlib import Path

import yaml

import ckan.plugins.toolkit as tk

from ckanext.opendata_vn.core import formats

from ckanext.opendata_vn.core import vocab
REPO_ROOT = Path(__file__).resolve().parents[4]
COLOUR_KEYS = ("primary", "primary_dark", "accent", "header_text", "footer_background", "footer_text")
_COLOUR = re.compile(r"^#[0-9a-fA-F]{3,8}$")
IMAGE_TYPES = {".svg": "image/svg+xml", ".png": "image/png", ".ico": "image/x-icon", ".jpg": "image/jpeg"}
DEFAULT_SHARE = (
    {"name": "Zalo", "url": "https://sp.zalo.me/share_inline?url={url}"},
    {"name": "Facebook", "url": "https://www.facebook.com/sharer/sharer.php?u={url}"},
)


class BrandingError(ValueError):
    pass


def branding_path(value: str | None = None) -> Path | None:
    """The configured file; a relative path is relative to the repository."""
    value = (value if value is not None else tk.config.get("ckanext.opendata_vn.branding_file")) or ""
    if not value.strip():
        return None
    path = Path(value.strip())
    return path if path.is_absolute() else REPO_ROOT / path


@functools.lru_cache(maxsize=8)
def _read(path: str, mtime: float) -> dict:
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    if not isinstance(data, dict) or not data.get("province") or not data.get("site_title"):
        raise BrandingError(f"{path}: cần ít nhất province và site_title (xem config/branding/README.md).")
    for key, value in (data.get("colors") or {}).items():
        if key not in COLOUR_KEYS or not _COLOUR.match(str(value)):
            raise BrandingError(f"{path}: colors.{key} = {value!r}: chỉ dùng {', '.join(COLOUR_KEYS)} "
                                "với mã màu dạng #rrggbb.")
    return data


def load(value: str | None = None) -> dict:
    """The branding data, {} when no file is configured."""
    path = branding_path(value)
    if path is None:
        return {}
    if not path.exists():
        raise BrandingError(f"ckanext.opendata_vn.branding_file: không tìm thấy tệp {path}.")
    return _read(str(path), path.stat().st_mtime)


def text(value, lang: str | None = None) -> str:
    """A {vi, en} value (or a plain string) in the request's language."""
    if isinstance(value, dict):
        lang = lang or formats.current_lang()
        return vocab.nfc(value.get(lang) or value.get("vi") or "")
    return vocab.nfc(value or "")


def apply_to_config(config) -> None:
    """The site title, description, province names and favicon follow the file."""
    data = load(config.get("ckanext.opendata_vn.branding_file"))
    if not data:
        return
    config["ckanext.opendata_vn.province"] = vocab.nfc(data["province"])
    config["ckanext.opendata_vn.province_en"] = data.get("province_en") or vocab.fold(data["province"]).title()
    config["ckan.site_title"] = text(data["site_title"], "vi")
    if data.get("description"):
        config["ckan.site_description"] = text(data["description"], "vi")
    if data.get("favicon") or data.get("emblem"):
        config["ckan.favicon"] = "/branding/favicon"


def image_file(kind: str) -> Path | None:
    """The emblem or favicon file named by the branding file (a file next to it)."""
    data = load()
    name = data.get(kind) or (data.get("emblem") if kind == "favicon" else None)
    if not name:
        return None
    path = (branding_path().parent / name).resolve()
    if path.suffix.lower() not in IMAGE_TYPES or not path.is_file():
        return None
    return path


def theme_css() -> str:
    """CSS custom properties of the province's colours (served as a file: no inline style)."""
    colours = (load().get("colors") or {})
    lines = [f"  --odvn-{k.replace('_', '-')}: {v};" for k, v in colours.items()]
    return ":root {\n" + "\n".join(lines) + "\n}\n"


def brand() -> dict:
    """What the templates show, in the request's language."""
    data = load()
    contact = data.get("contact") or {}
    return {
        "site_title": text(data.get("site_title")) or tk.config.get("ckan.site_title"),
        "short_name": text(data.get("short_name")) or text(data.get("site_title")),
        "description": text(data.get("description")) or tk.config.get("ckan.site_description") or "",
        "has_emblem": image_file("emblem") is not None if data else False,
        "emblem_alt": text(data.get("emblem_alt")) or text(data.get("short_name")),
        "contact": {k: text(contact.get(k)) for k in ("issuing_unit", "address", "phone", "email", "hotline")},
        "about": text(data.get("about")),
        "share": [{"name": s["name"], "url": s["url"]} for s in (data.get("share") or DEFAULT_SHARE)],
    }


def share_links(url: str) -> list[dict]:
    from urllib.parse import quote
    return [{"name": s["name"], "href": s["url"].replace("{url}", quote(url, safe=""))} for s in brand()["share"]]


def initials(name: str) -> str:
    """"Nguyễn Văn An" → "NA": the avatar shown instead of a third party's image."""
    words = [w for w in re.split(r"[\s._@-]+", vocab.nfc(name or "")) if w]
    if not words:
        return "?"
    return (words[0][0] + (words[-1][0] if len(words) > 1 else "")).upper()
