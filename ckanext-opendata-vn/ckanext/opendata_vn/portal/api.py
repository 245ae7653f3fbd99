"""Copy-ready API examples (curl, Python with the standard library only, JavaScript)
built for this portal's address and for real datasets and resources, so that what a
developer copies works as is against this portal."""
from __future__ import annotations

import json
import urllib.parse

import ckan.plugins.toolkit as tk


def base_url() -> str:
    return (tk.config.get("ckan.site_url") or "").rstrip("/")


def _url(path: str, params: dict | None = None) -> str:
    query = ("?" + urllib.parse.urlencode(params, quote_via=urllib.parse.quote)) if params else ""
    return base_url() + path + query


def _python_json(url: str, lines: list[str]) -> str:
    return "\n".join([
        "import json",
        "import urllib.request",
        "",
        f"url = {json.dumps(url, ensure_ascii=False)}",
        "with urllib.request.urlopen(url) as response:",
        '    result = json.load(response)["result"]',
        *lines,
    ])


def example(key: str, title: str, path: str, params: dict | None, python_lines: list[str],
            description: str = "") -> dict:
    url = _url(path, params)
    return {"key": key, "title": title, "description": description, "url": url,
            "curl": f'curl "{url}"', "python": _python_json(url, python_lines)}


def download_example(key: str, title: str, url: str, filename: str) -> dict:
    python = "\n".join([
        "import csv",
        "import io",
        "import urllib.request",
        "",
        f"url = {json.dumps(url, ensure_ascii=False)}",
        "with urllib.request.urlopen(url) as response:",
        '    rows = list(csv.DictReader(io.TextIOWrapper(response, encoding="utf-8-sig")))',
        "print(len(rows), rows[:3])",
    ])
    return {"key": key, "title": title, "description": "", "url": url,
            "curl": f'curl -L -o {filename} "{url}"', "python": python}


def package_show_example(pkg: dict) -> dict:
    return example(
        "package_show", tk._("Thông tin tập dữ liệu (package_show)"), "/api/3/action/package_show",
        {"id": pkg["name"]},
        ['print(result["title"])',
         'for resource in result["resources"]:',
         '    print(resource["format"], resource["url"])'])


def datastore_search_example(resource: dict, limit: int = 5) -> dict:
    return example(
        "datastore_search", tk._("Các dòng dữ liệu (datastore_search)"), "/api/3/action/datastore_search",
        {"resource_id": resource["id"], "limit": limit},
        ['print(result["total"])',
         'for record in result["records"]:',
         '    print(record)'])


def datastore_sql_example(resource: dict) -> dict:
    sql = f'SELECT * FROM "{resource["id"]}" LIMIT 5'
    return example(
        "datastore_search_sql", tk._("Truy vấn SQL (datastore_search_sql)"),
        "/api/3/action/datastore_search_sql", {"sql": sql},
        ['for record in result["records"]:', '    print(record)'])


def csv_download_url(resource_id: str) -> str:
    return _url(f"/datastore/dump/{resource_id}", {"format": "csv"})


def download_links(pkg: dict, resource: dict) -> list[dict]:
    """CSV and JSON from CKAN's datastore.dump, XML from our own view."""
    rid = resource["id"]
    return [
        # the BOM lets Excel read the UTF-8 Vietnamese text right
        {"format": "CSV", "url": tk.h.url_for("datastore.dump", resource_id=rid, format="csv", bom="true"),
         "mimetype": "text/csv"},
        {"format": "JSON", "url": tk.h.url_for("datastore.dump", resource_id=rid, format="json"),
         "mimetype": "application/json"},
        {"format": "XML", "url": tk.h.url_for("opendata_vn_portal.download_xml", id=pkg["name"], resource_id=rid),
         "mimetype": "application/xml"},
    ]


def dataset_examples(pkg: dict) -> list[dict]:
    """The dataset page's snippets: the dataset's metadata, then its DataStore rows."""
    from ckanext.opendata_vn.portal.preview import datastore_resources
    out = [package_show_example(pkg)]
    resources = datastore_resources(pkg)
    if resources:
        res = resources[0]
        out.append(datastore_search_example(res))
        out.append(download_example("download_csv", tk._("Tải toàn bộ dữ liệu (CSV)"),
                                    csv_download_url(res["id"]), "du-lieu.csv"))
    return out
