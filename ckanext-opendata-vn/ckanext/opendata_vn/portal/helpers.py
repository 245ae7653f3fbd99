"""Template helpers of the home page, the dataset page and the developer page."""
from __future__ import annotations

import json

from markupsafe import Markup

from ckanext.opendata_vn.portal import api, home, preview

# Formats with their own badge colour (portal_vn/portal.css); others get the neutral one
BADGE_FORMATS = ("csv", "json", "xml", "xlsx", "xls", "pdf", "api", "zip", "docx", "doc", "ttl", "jsonld", "rdf")


def format_badge_class(fmt: str | None) -> str:
    key = (fmt or "").strip().lower().lstrip(".")
    return "odvn-format-" + (key if key in BADGE_FORMATS else "other")


def chart_json(chart: dict | None) -> Markup:
    """Chart data for a <script type="application/json"> element."""
    text = json.dumps(chart or {}, ensure_ascii=False)
    return Markup(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))


def get_helpers() -> dict:
    return {
        # opendata_vn_number: ckanext/opendata_vn/formats.py (one place for numbers)
        "opendata_vn_home_figures": home.home_figures,
        "opendata_vn_preview_resource": preview.preview_resource,
        "opendata_vn_datastore_resources": preview.datastore_resources,
        "opendata_vn_datastore_preview": preview.datastore_preview,
        "opendata_vn_download_links": api.download_links,
        "opendata_vn_api_examples": api.dataset_examples,
        "opendata_vn_format_badge_class": format_badge_class,
        "opendata_vn_chart_json": chart_json,
    }
