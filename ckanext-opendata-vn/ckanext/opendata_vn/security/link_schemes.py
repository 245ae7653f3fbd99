"""Only http/https links leave the portal. New resource links are refused by the
`opendata_vn_link_url` validator; a link stored before that check (or written by a
path that skipped it) is withheld when the resource is shown — API, dataset and
resource pages alike — so no page can render a `javascript:`/`data:`/`file:` href."""
from __future__ import annotations

from urllib.parse import urlsplit

SAFE_SCHEMES = ("http", "https", "")   # "" : a relative link or a bare host name


def is_safe_link(url) -> bool:
    try:
        return urlsplit(str(url).strip()).scheme.lower() in SAFE_SCHEMES
    except ValueError:
        return False


def before_resource_show(resource: dict) -> dict:
    url = resource.get("url")
    if url and resource.get("url_type") != "upload" and not is_safe_link(url):
        resource["url"] = ""
    return resource
