"""The developer page ("Dành cho nhà phát triển"): every example is built for this
portal's address and, where one exists, a real public dataset with a DataStore table,
so that it works when copied (tests/portal/test_developer_page.py runs them)."""
from __future__ import annotations

import ckan.plugins.toolkit as tk

from ckanext.opendata_vn.portal import api


def sample_dataset() -> tuple[dict | None, dict | None]:
    """The most recently updated public dataset with a DataStore table (else any)."""
    context = {"user": "", "ignore_auth": False}
    search = tk.get_action("package_search")
    for fq in ("res_extras_datastore_active:true", ""):
        try:
            found = search(dict(context), {"fq": fq, "rows": 1, "sort": "metadata_modified desc",
                                           "include_private": False})["results"]
        except (tk.ValidationError, tk.ObjectNotFound):
            found = []
        if found:
            pkg = found[0]
            res = next((r for r in pkg.get("resources", [])
                        if str(r.get("datastore_active")).lower() == "true"), None)
            return pkg, res
    return None, None


def page_data() -> dict:
    _ = tk._
    pkg, res = sample_dataset()
    action = [
        api.example("package_search", _("Tìm tập dữ liệu (không cần gõ dấu)"), "/api/3/action/package_search",
                    {"q": "xay dung", "rows": 5},
                    ['print(result["count"])', 'for dataset in result["results"]:',
                     '    print(dataset["name"], dataset["title"])'],
                    _("Tìm theo từ khóa, có dấu hay không dấu đều được; lọc bằng fq, phân trang bằng rows và start.")),
        api.example("package_search_facets", _("Lọc theo chủ đề và đếm theo đơn vị"), "/api/3/action/package_search",
                    {"fq": "groups:xay-dung", "rows": 0, "facet.field": '["organization"]'},
                    ['print(result["count"])', 'for item in result["search_facets"]["organization"]["items"]:',
                     '    print(item["display_name"], item["count"])'],
                    _("Chủ đề là nhóm (groups), đơn vị chủ trì là organization.")),
        api.example("organization_list", _("Danh sách đơn vị cung cấp dữ liệu"), "/api/3/action/organization_list",
                    {"all_fields": "true"},
                    ['for org in result:', '    print(org["name"], org["title"], org["package_count"])']),
        api.example("group_list", _("Danh sách chủ đề"), "/api/3/action/group_list", {"all_fields": "true"},
                    ['for group in result:', '    print(group["name"], group["title"], group["package_count"])']),
    ]
    if pkg:
        action.insert(1, api.package_show_example(pkg))
    datastore, downloads = [], []
    if res:
        datastore = [
            api.datastore_search_example(res),
            api.datastore_sql_example(res),
        ]
        downloads = api.download_links(pkg, res)
    base = api.base_url()
    dataset_name = pkg["name"] if pkg else "{id}"
    dcat = [
        {"label": _("Toàn bộ danh mục (Turtle)"), "url": base + "/catalog.ttl"},
        {"label": _("Toàn bộ danh mục (JSON-LD)"), "url": base + "/catalog.jsonld"},
        {"label": _("Toàn bộ danh mục (RDF/XML)"), "url": base + "/catalog.xml"},
        {"label": _("Một tập dữ liệu (Turtle)"), "url": f"{base}/dataset/{dataset_name}.ttl"},
        {"label": _("Một tập dữ liệu (JSON-LD)"), "url": f"{base}/dataset/{dataset_name}.jsonld"},
        {"label": _("Một tập dữ liệu (RDF/XML)"), "url": f"{base}/dataset/{dataset_name}.xml"},
    ]
    search_url = api._url("/api/3/action/package_search", {"q": "giay phep lai xe", "rows": 5})
    js = "\n".join([
        f'fetch("{search_url}")',
        "  .then((response) => response.json())",
        "  .then((data) => {",
        "    for (const dataset of data.result.results) {",
        "      console.log(dataset.title);",
        "    }",
        "  });",
    ])
    token_curl = "\n".join([
        "curl -H \"Authorization: $CKAN_API_TOKEN\" \\",
        f'  "{base}/api/3/action/package_search?include_private=true&rows=5"',
    ])
    return {"base": base, "sample_pkg": pkg, "sample_res": res, "action_examples": action,
            "datastore_examples": datastore, "downloads": downloads, "dcat": dcat,
            "cors_example": js, "token_example": token_curl}
