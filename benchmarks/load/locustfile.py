"""What citizens and officers do on the portal, for locust (driven by benchmarks/load_test.py).

Citizens read: home, search with and without diacritics and with facets, dataset and
resource pages, the Action API (package_search, package_show), downloads (an uploaded
file and a DataStore dump), DCAT (/catalog.ttl, a dataset's .ttl) and the compliance
page; two logged-in focal officers edit their agency's datasets with an API token.

Environment (set by load_test.py):
  LOAD_FIXTURE     JSON written by `load_test.py prepare` (names, resources, token)
  LOAD_WAIT        "1" (default): 1–5 s between a user's requests; "0": none (throughput)
  LOAD_TARGET      "ours" or "stock" (stock CKAN has no compliance page: not requested)
  LOAD_STATUS_OUT  where to write the count of responses per request name and status class
"""
from __future__ import annotations

import collections
import json
import os
import random
import time

from locust import HttpUser, between, constant, events, task

FIXTURE = json.loads(open(os.environ["LOAD_FIXTURE"], encoding="utf-8").read())
WAIT = constant(0) if os.environ.get("LOAD_WAIT", "1") == "0" else between(1, 5)
OURS = os.environ.get("LOAD_TARGET", "ours") == "ours"

ACCENTED = ["xây dựng", "giấy phép lái xe", "học sinh trung học phổ thông", "thủy sản", "giá đất",
            "doanh nghiệp thành lập mới", "quy hoạch sử dụng đất", "bệnh viện", "thuế", "chợ"]
FOLDED = ["xay dung", "giay phep lai xe", "hoc sinh", "thuy loi", "ngan sach nha nuoc", "benh vien",
          "du lich", "vai thieu luc ngan", "ho ngheo", "moi truong khong khi"]
FACETS = [("groups", "y-te"), ("groups", "giao-duc"), ("organization", "bench-so-xay-dung"),
          ("res_format", "CSV"), ("update_frequency", "annual"), ("publication_status", "published")]

# (request name, status class) -> count: locust's own failure count mixes 4xx and 5xx
STATUS: collections.Counter = collections.Counter()


@events.request.add_listener
def _count_status(name, response=None, exception=None, **_kw):
    code = getattr(response, "status_code", 0) or 0
    STATUS[(name, f"{code // 100}xx" if code else "error")] += 1


@events.quitting.add_listener
def _write_status(**_kw):
    out = os.environ.get("LOAD_STATUS_OUT")
    if out:
        rows = [{"name": n, "class": c, "count": k} for (n, c), k in sorted(STATUS.items())]
        with open(out, "w", encoding="utf-8") as f:
            json.dump(rows, f, ensure_ascii=False, indent=1)


def _pick(key: str):
    return random.choice(FIXTURE[key])


class Citizen(HttpUser):
    """Anonymous reader; the task weights follow what portal logs usually show:
    dataset pages and search first, then API, downloads and metadata."""
    wait_time = WAIT
    weight = 24

    @task(3)
    def home(self):
        self.client.get("/", name="page: home")

    @task(3)
    def search_accented(self):
        self.client.get("/dataset/", params={"q": random.choice(ACCENTED)}, name="page: search")

    @task(2)
    def search_folded(self):
        self.client.get("/dataset/", params={"q": random.choice(FOLDED)}, name="page: search")

    @task(3)
    def search_facet(self):
        field, value = random.choice(FACETS)
        q = random.choice(["", random.choice(FOLDED)])
        self.client.get("/dataset/", params={"q": q, field: value}, name="page: search + facet")

    @task(6)
    def dataset_page(self):
        self.client.get(f"/dataset/{_pick('datasets')}", name="page: dataset")

    @task(1)
    def agency_page(self):
        self.client.get(f"/organization/{_pick('organizations')}", name="page: agency")

    @task(3)
    def api_search(self):
        self.client.get("/api/3/action/package_search",
                        params={"q": random.choice(ACCENTED + FOLDED), "rows": 10},
                        name="api: package_search")

    @task(4)
    def api_show(self):
        self.client.get("/api/3/action/package_show", params={"id": _pick("datasets")},
                        name="api: package_show")

    @task(2)
    def download(self):
        res = _pick("downloads")
        self.client.get(res, name="download")

    @task(1)
    def catalog_ttl(self):
        self.client.get("/catalog.ttl", params={"page": random.randint(1, 3)}, name="dcat: /catalog.ttl")

    @task(2)
    def dataset_ttl(self):
        self.client.get(f"/dataset/{_pick('datasets')}.ttl", name="dcat: dataset .ttl")

    @task(1)
    def compliance(self):
        if OURS:
            self.client.get("/tuan-thu", name="page: compliance")


class Officer(HttpUser):
    """A focal officer updating their agency's datasets through the API (token)."""
    wait_time = WAIT
    fixed_count = 2

    def on_start(self):
        self.client.headers["Authorization"] = FIXTURE["officer_token"]

    @task
    def edit(self):
        name = _pick("officer_datasets")
        shown = self.client.get("/api/3/action/package_show", params={"id": name}, name="api: package_show")
        pkg = shown.json().get("result") or {} if shown.ok else {}
        # the theme is required; the generated datasets carry it as their group
        theme = pkg.get("theme") or next((g["name"] for g in pkg.get("groups") or []), "y-te")
        self.client.post("/api/3/action/package_patch",
                         json={"id": name, "theme": theme,
                               "remarks": f"Cập nhật thử tải {time.strftime('%H:%M:%S')}"},
                         name="write: package_patch")
