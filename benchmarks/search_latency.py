#!/usr/bin/env python
"""Search latency benchmark (not a test): our Vietnamese Solr schema against CKAN's
stock schema, with the same 10,000 generated Vietnamese datasets, in the same run.

What it does:
  1. creates two Solr cores next to the test cores: `bench_vn` (config/solr, ours) and
     `bench_stock` (ckan/config/solr/schema.xml as shipped with CKAN 2.11, with our
     solrconfig.xml minus the ranking defaults of its /select handler);
  2. generates N datasets (default 10,000) in the benchmark database with
     package_create (titles, descriptions, tags, agencies, themes, frequencies in
     Vietnamese; deterministic, seed 47), indexing them into both cores. Both are kept,
     so a second run only measures (--rebuild regenerates the index);
  3. starts two CKAN servers (gunicorn, 1 worker, 1 thread each) that differ only in
     solr_url, and times a fixed query mix through the Action API
     (GET /api/3/action/package_search, as the search page and API clients send it),
     alternating the two servers in random order for every query, after a warm-up;
  4. prints p50/p95/mean per schema and per query kind, and the ratio of the p95s
     (target: ours <= 1.1 x stock), and saves them to .local/benchmarks/.

Usage (from the repository root; services from scripts/stack.sh):
  TEST_SLOT=bench make test-env                      # once: databases *_test_bench
  .venv/bin/python -m benchmarks.search_latency      # --datasets 10000 --rounds 15
  .venv/bin/python -m benchmarks.search_latency --drop   # remove the two cores again

The first run creates the datasets (about 15 minutes on 2 busy cores) and indexes them
(about 8 minutes); later runs only measure (about 1 minute).
"""
from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import time
import unicodedata
import urllib.parse
import urllib.request
from configparser import RawConfigParser
from pathlib import Path

from benchmarks.timing import ROOT, boot_ckan, slot_ini

SEED = 47
PREFIX = "bench-"

# ----------------------------------------------------------------- generated data
AGENCIES = [
    ("so-giao-duc-dao-tao", "Sở Giáo dục và Đào tạo"), ("so-y-te", "Sở Y tế"),
    ("so-xay-dung", "Sở Xây dựng"), ("so-giao-thong-van-tai", "Sở Giao thông vận tải"),
    ("so-tai-nguyen-moi-truong", "Sở Tài nguyên và Môi trường"), ("so-tai-chinh", "Sở Tài chính"),
    ("so-ke-hoach-dau-tu", "Sở Kế hoạch và Đầu tư"), ("so-nong-nghiep", "Sở Nông nghiệp và Phát triển nông thôn"),
    ("so-cong-thuong", "Sở Công Thương"), ("so-tu-phap", "Sở Tư pháp"), ("so-noi-vu", "Sở Nội vụ"),
    ("so-lao-dong", "Sở Lao động - Thương binh và Xã hội"), ("so-van-hoa", "Sở Văn hóa, Thể thao và Du lịch"),
    ("so-thong-tin-truyen-thong", "Sở Thông tin và Truyền thông"), ("so-khoa-hoc-cong-nghe", "Sở Khoa học và Công nghệ"),
    ("cuc-thong-ke", "Cục Thống kê tỉnh"), ("cuc-thue", "Cục Thuế tỉnh"), ("cong-an-tinh", "Công an tỉnh"),
    ("bhxh-tinh", "Bảo hiểm xã hội tỉnh"), ("ban-quan-ly-kcn", "Ban Quản lý các khu công nghiệp"),
] + [(f"ubnd-{slug}", f"UBND {name}") for slug, name in [
    ("tp-bac-giang", "thành phố Bắc Giang"), ("yen-the", "huyện Yên Thế"), ("tan-yen", "huyện Tân Yên"),
    ("lang-giang", "huyện Lạng Giang"), ("luc-nam", "huyện Lục Nam"), ("luc-ngan", "huyện Lục Ngạn"),
    ("son-dong", "huyện Sơn Động"), ("yen-dung", "huyện Yên Dũng"), ("viet-yen", "thị xã Việt Yên"),
    ("hiep-hoa", "huyện Hiệp Hòa")]]

SUBJECTS = {
    "giao-duc": ["Danh sách trường mầm non", "Số lượng học sinh trung học phổ thông", "Đội ngũ giáo viên tiểu học",
                 "Kết quả thi tốt nghiệp trung học phổ thông", "Cơ sở vật chất trường học", "Tuyển sinh lớp 10"],
    "y-te": ["Danh sách cơ sở khám chữa bệnh", "Số giường bệnh tại bệnh viện", "Tiêm chủng mở rộng",
             "Nhà thuốc đạt chuẩn", "Trạm y tế xã đạt chuẩn", "Bác sĩ trên một vạn dân"],
    "xay-dung": ["Giấy phép xây dựng đã cấp", "Chỉ số giá xây dựng công trình", "Quy hoạch xây dựng vùng",
                 "Dự án nhà ở xã hội", "Giá vật liệu xây dựng", "Chứng chỉ hành nghề xây dựng"],
    "giao-thong": ["Giấy phép lái xe cấp mới, cấp đổi", "Tai nạn giao thông đường bộ", "Tuyến xe buýt nội tỉnh",
                   "Phương tiện đăng kiểm", "Bến xe khách", "Cầu, đường tỉnh lộ"],
    "tai-nguyen-moi-truong": ["Quan trắc chất lượng không khí", "Bảng giá đất", "Quy hoạch sử dụng đất",
                              "Giấy phép khai thác khoáng sản", "Thu gom chất thải rắn sinh hoạt", "Mực nước sông"],
    "tai-chinh": ["Dự toán ngân sách địa phương", "Thu ngân sách nhà nước", "Quyết toán chi đầu tư công",
                  "Thuế thu nhập cá nhân", "Giá hàng hóa, dịch vụ thiết yếu", "Tài sản công"],
    "ke-hoach-dau-tu": ["Doanh nghiệp thành lập mới", "Dự án đầu tư được cấp chủ trương", "Hợp tác xã đang hoạt động",
                        "Vốn đầu tư nước ngoài", "Chỉ số năng lực cạnh tranh", "Hộ kinh doanh cá thể"],
    "nong-nghiep": ["Diện tích, năng suất lúa", "Sản lượng vải thiều", "Công trình thủy lợi", "Sản lượng thủy sản",
                    "Đàn gia súc, gia cầm", "Diện tích rừng trồng"],
    "kinh-te": ["Chợ truyền thống", "Siêu thị, trung tâm thương mại", "Cụm công nghiệp", "Kim ngạch xuất khẩu",
                "Điểm bán lẻ xăng dầu", "Làng nghề truyền thống"],
    "tu-phap": ["Tổ chức hành nghề công chứng", "Đăng ký hộ tịch", "Trợ giúp pháp lý", "Đấu giá tài sản",
                "Hòa giải ở cơ sở", "Lý lịch tư pháp đã cấp"],
    "noi-vu": ["Biên chế công chức", "Đơn vị hành chính cấp xã", "Cơ sở tôn giáo", "Thi đua, khen thưởng",
               "Hội, quỹ xã hội", "Văn thư, lưu trữ"],
    "lao-dong": ["Lao động có việc làm", "Hộ nghèo, hộ cận nghèo", "Giáo dục nghề nghiệp",
                 "Người có công với cách mạng", "Trẻ em có hoàn cảnh đặc biệt", "Lao động đi làm việc ở nước ngoài"],
    "van-hoa-du-lich": ["Cơ sở lưu trú du lịch", "Di tích lịch sử - văn hóa", "Lễ hội truyền thống",
                        "Lượt khách du lịch", "Thư viện, nhà văn hóa", "Câu lạc bộ thể thao"],
    "cong-nghe-thong-tin": ["Dịch vụ công trực tuyến", "Trạm phát sóng di động", "Điểm bưu điện văn hóa xã",
                            "Cơ quan báo chí", "Chữ ký số đã cấp", "Hạ tầng cáp quang"],
    "khoa-hoc-cong-nghe": ["Nhiệm vụ khoa học công nghệ", "Doanh nghiệp khoa học công nghệ", "Sáng kiến được công nhận",
                           "Phương tiện đo được kiểm định", "Nhãn hiệu tập thể", "Phòng thí nghiệm"],
}
THEME_AGENCY = {"giao-duc": 0, "y-te": 1, "xay-dung": 2, "giao-thong": 3, "tai-nguyen-moi-truong": 4, "tai-chinh": 5,
                "ke-hoach-dau-tu": 6, "nong-nghiep": 7, "kinh-te": 8, "tu-phap": 9, "noi-vu": 10, "lao-dong": 11,
                "van-hoa-du-lich": 12, "cong-nghe-thong-tin": 13, "khoa-hoc-cong-nghe": 14}
PLACES = ["trên địa bàn tỉnh", "thành phố Bắc Giang", "huyện Yên Thế", "huyện Tân Yên", "huyện Lạng Giang",
          "huyện Lục Nam", "huyện Lục Ngạn", "huyện Sơn Động", "huyện Yên Dũng", "thị xã Việt Yên", "huyện Hiệp Hòa"]
PERIODS = ["năm {y}", "quý I năm {y}", "quý II năm {y}", "6 tháng đầu năm {y}", "giai đoạn {y0}-{y}", "năm học {y0}-{y}"]
FIELDS = ["tên đơn vị", "địa chỉ", "số lượng", "diện tích (ha)", "giá trị (triệu đồng)", "tỷ lệ (%)", "năm",
          "xã, phường", "loại hình", "ngày cấp", "số quyết định", "ghi chú", "kinh độ", "vĩ độ"]
TAGS = ["thống kê", "danh sách", "bản đồ", "dịch vụ công", "quy hoạch", "giá cả", "dân số", "doanh nghiệp",
        "môi trường", "nông thôn mới", "chuyển đổi số", "an sinh xã hội", "đô thị", "hành chính"]
FREQUENCIES = ["monthly", "quarterly", "semiannual", "annual", "on_change", "on_occurrence", "school_year"]
FORMATS = ["CSV", "XLSX", "PDF", "JSON", "API", "DOCX"]


def dataset(i: int) -> dict:
    """Dataset number i, the same on every run."""
    rnd = random.Random(SEED * 100003 + i)
    theme = rnd.choice(list(SUBJECTS))
    subject = rnd.choice(SUBJECTS[theme])
    place = rnd.choice(PLACES)
    year = rnd.randint(2016, 2025)
    period = rnd.choice(PERIODS).format(y=year, y0=year - 1)
    agency = AGENCIES[THEME_AGENCY[theme]] if rnd.random() < 0.7 else rnd.choice(AGENCIES)
    fields = rnd.sample(FIELDS, rnd.randint(3, 6))
    notes = (f"{subject} {place}, {period}. Số liệu do {agency[1]} tổng hợp từ báo cáo của các "
             f"phòng, ban và UBND cấp xã; gồm các trường: {', '.join(fields)}. "
             + rnd.choice(["Cập nhật định kỳ theo quy định.", "Dữ liệu phục vụ tra cứu của người dân, doanh nghiệp.",
                           "Một số xã chưa gửi số liệu.", "Đơn vị tính theo quy định của Tổng cục Thống kê."]))
    return {
        "name": f"{PREFIX}{i:05d}", "title": f"{subject} {place} {period}", "notes": notes,
        "owner_org": PREFIX + agency[0], "theme": theme, "update_frequency": rnd.choice(FREQUENCIES),
        "publication_status": "published" if rnd.random() < 0.75 else "planned",
        "source_types": rnd.sample(["excel", "api", "csv", "database"], rnd.randint(1, 2)),
        "data_fields": fields, "tag_string": ",".join(rnd.sample(TAGS, rnd.randint(1, 3))),
        "resources": [{"url": f"https://opendata.example.vn/{PREFIX}{i:05d}/{k}", "format": fmt,
                       "name": f"{subject} ({fmt})"} for k, fmt in enumerate(rnd.sample(FORMATS, rnd.randint(1, 3)))],
    }


# ----------------------------------------------------------------- fixed query mix
FACETS = json.dumps(["groups", "organization", "update_frequency", "vocab_source_types", "vocab_catalog_year",
                     "province", "publication_status", "res_format", "license_id"])
# (kind, params): "ui" = what the search page sends (facets, 20 rows), "api" = a client's call
QUERY_MIX = [
    ("ui", {"q": "xay dung"}), ("ui", {"q": "xây dựng"}), ("ui", {"q": "giay phep lai xe"}),
    ("ui", {"q": "giấy phép lái xe"}), ("ui", {"q": "hoc sinh"}), ("ui", {"q": "học sinh trung học phổ thông"}),
    ("ui", {"q": "thuy loi"}), ("ui", {"q": "thủy sản"}), ("ui", {"q": "ngan sach nha nuoc"}),
    ("ui", {"q": "giá đất"}), ("ui", {"q": "benh vien"}), ("ui", {"q": "du lich"}),
    ("ui", {"q": "doanh nghiệp thành lập mới"}), ("ui", {"q": "vai thieu luc ngan"}), ("ui", {"q": "thuế"}),
    ("ui", {"q": "ho ngheo"}), ("ui", {"q": "so xay dung"}), ("ui", {"q": "quy hoạch sử dụng đất"}),
    ("ui", {"q": "chợ"}), ("ui", {"q": "khong co ket qua nao"}),
    ("ui", {"q": "", "sort": "metadata_modified desc"}),
    ("ui", {"q": "truong hoc", "fq": 'groups:"giao-duc"'}),
    ("ui", {"q": "giay phep", "fq": f'organization:"{PREFIX}so-xay-dung"'}),
    ("ui", {"q": "", "fq": 'res_format:"CSV" AND publication_status:"published"'}),
    ("api", {"q": "giay phep xay dung", "rows": 10}), ("api", {"q": "tai nan giao thong", "rows": 10}),
    ("api", {"q": "dân số", "rows": 100}), ("api", {"q": "title:chợ", "rows": 10}),
    ("api", {"q": "", "fq": 'groups:"y-te"', "rows": 50}), ("api", {"q": "moi truong khong khi", "rows": 10}),
]


def query_string(kind: str, params: dict) -> str:
    p = {"q": params.get("q", ""), "rows": params.get("rows", 20)}
    if params.get("fq"):
        p["fq"] = params["fq"]
    if kind == "ui":
        p.update({"facet.field": FACETS, "facet.limit": 50, "start": 0,
                  "sort": params.get("sort", "score desc, metadata_modified desc")})
    elif params.get("sort"):
        p["sort"] = params["sort"]
    return "/api/3/action/package_search?" + urllib.parse.urlencode(p)


# ----------------------------------------------------------------- Solr cores
def solr_base(ini: Path) -> str:
    cfg = RawConfigParser(strict=False)
    cfg.read(ini, encoding="utf-8")
    url = cfg.get("app:main", "solr_url")
    return url.rsplit("/", 1)[0]


def stock_conf(target: Path) -> None:
    """CKAN 2.11's own schema.xml; our solrconfig.xml without the ranking defaults."""
    import ckan
    shutil.copy(Path(ckan.__file__).parent / "config" / "solr" / "schema.xml", target / "schema.xml")
    config = (ROOT / "config" / "solr" / "solrconfig.xml").read_text(encoding="utf-8")
    config = re.sub(r'(<requestHandler name="/select" class="solr.SearchHandler">).*?(</requestHandler>)',
                    r'\1\n    <lst name="defaults"><str name="echoParams">explicit</str><int name="rows">10</int></lst>\n  \2',
                    config, flags=re.S)
    (target / "solrconfig.xml").write_text(config, encoding="utf-8")
    for name in ("protwords.txt", "synonyms.txt", "stopwords.txt"):
        (target / name).write_text("# empty (stock)\n", encoding="utf-8")


def ours_conf(target: Path) -> None:
    for f in (ROOT / "config" / "solr").iterdir():
        shutil.copy(f, target / f.name)


def solr_json(url: str) -> dict:
    with urllib.request.urlopen(url, timeout=120) as r:
        return json.load(r)


def ensure_core(base: str, name: str, make_conf) -> None:
    """(Re)create the core when it is missing or its configuration changed."""
    home = ROOT / ".local" / "solr" / "home"
    instance = home / name
    staging = ROOT / ".local" / "benchmarks" / f"{name}-conf"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    make_conf(staging)
    wanted = sorted((f.name, f.read_bytes()) for f in staging.iterdir())
    status = solr_json(f"{base}/admin/cores?action=STATUS&core={name}&wt=json")["status"].get(name) or {}
    current = instance / "conf"
    if status.get("name") and current.is_dir() and sorted((f.name, f.read_bytes()) for f in current.iterdir()) == wanted:
        return
    if status.get("name"):
        print(f"  configuration of {name} changed: recreating the core")
        solr_json(f"{base}/admin/cores?action=UNLOAD&core={name}&deleteInstanceDir=true&wt=json")
    shutil.rmtree(instance, ignore_errors=True)
    shutil.copytree(staging, current)
    solr_json(f"{base}/admin/cores?action=CREATE&name={name}&instanceDir={instance}&wt=json")


def core_count(base: str, core: str, site_id: str) -> int:
    q = urllib.parse.urlencode({"q": "*:*", "fq": f'+site_id:"{site_id}" +name:{PREFIX}*', "rows": 0, "wt": "json"})
    return solr_json(f"{base}/{core}/select?{q}")["response"]["numFound"]


# ----------------------------------------------------------------- data
def generate(n: int) -> int:
    """Create the missing datasets: package_create (validation, our hooks) with commits
    deferred to every 200 datasets and no indexing (done once afterwards, docs/decisions.md "Pitfalls")."""
    import ckan.plugins as plugins
    import ckan.plugins.toolkit as tk
    from ckan import model
    site = tk.get_action("get_site_user")({"ignore_auth": True}, {})["name"]
    context = {"user": site, "ignore_auth": True}
    for slug, title in AGENCIES:
        if model.Group.get(PREFIX + slug) is None:
            tk.get_action("organization_create")(dict(context), {"name": PREFIX + slug, "title": title})
    model.repo.commit()
    existing = {r[0] for r in model.Session.query(model.Package.name).filter(model.Package.name.like(PREFIX + "%"))}
    todo = [i for i in range(n) if f"{PREFIX}{i:05d}" not in existing]
    if not todo:
        return 0
    plugins.unload("synchronous_search")  # index once, below, not on every commit
    started = time.time()
    try:
        for done, i in enumerate(todo, 1):
            tk.get_action("package_create")(dict(context, defer_commit=True), dataset(i))
            if done % 200 == 0 or done == len(todo):
                model.repo.commit()
                print(f"\r  created {done}/{len(todo)} datasets ({done / (time.time() - started):.0f}/s)",
                      end="", flush=True)
    finally:
        model.repo.commit()
        plugins.load("synchronous_search")
    print()
    return len(todo)


def index_into(cores: list[str], base: str) -> None:
    """One package_show per dataset (as `ckan search-index rebuild`), sent to every core."""
    import copy
    import ckan.plugins.toolkit as tk
    from ckan import model
    from ckan.common import config
    from ckan.lib.search.common import SolrSettings
    from ckan.lib.search.index import PackageSearchIndex
    config["ckan.search.solr_commit"] = False
    index = PackageSearchIndex()
    ids = [r[0] for r in model.Session.query(model.Package.id).filter(
        model.Package.name.like(PREFIX + "%"), model.Package.state == "active")]
    context = {"ignore_auth": True, "validate": False, "use_cache": False}
    started = time.time()
    for done, pkg_id in enumerate(ids, 1):
        pkg = tk.get_action("package_show")(dict(context), {"id": pkg_id})
        for core in cores:
            SolrSettings.init(f"{base}/{core}")
            index.index_package(copy.deepcopy(pkg), defer_commit=True)
        if done % 250 == 0 or done == len(ids):
            print(f"\r  indexed {done}/{len(ids)} into {', '.join(cores)} ({done / (time.time() - started):.0f}/s)",
                  end="", flush=True)
    print()
    for core in cores:
        solr_json(f"{base}/{core}/update?commit=true&wt=json")


# ----------------------------------------------------------------- servers
def start_server(ini: Path, base: str, core: str, port: int, log: Path) -> subprocess.Popen:
    server_ini = ROOT / ".local" / "benchmarks" / f"{core}.ini"
    server_ini.write_text(
        f"[app:main]\nuse = config:{ini.resolve()}\nsolr_url = {base}/{core}\n"
        f"ckan.site_url = http://127.0.0.1:{port}\n\n"
        + (ROOT / "config" / "logging.ini").read_text(encoding="utf-8").replace("level = INFO", "level = WARNING"),
        encoding="utf-8")
    server_ini.chmod(0o600)
    out = open(log, "ab")
    return subprocess.Popen(
        [str(ROOT / ".venv" / "bin" / "gunicorn"), "--chdir", str(ROOT / "config"), "--bind",
         f"127.0.0.1:{port}", "--workers", "1", "--threads", "1", "--timeout", "120", "wsgi:application"],
        env={**os.environ, "CKAN_INI": str(server_ini)}, stdout=out, stderr=subprocess.STDOUT,
        start_new_session=True)


def wait_ready(port: int, proc: subprocess.Popen) -> None:
    deadline = time.time() + 120
    while time.time() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"server on port {port} exited; see .local/benchmarks/*.log")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/3/action/status_show", timeout=5):
                return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"server on port {port} did not start")


def free_port() -> int:
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Client:
    """One keep-alive HTTP connection to a server."""

    def __init__(self, port: int):
        self.port = port
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)

    def get(self, path: str) -> tuple[float, dict]:
        started = time.perf_counter()
        try:
            self.conn.request("GET", path)
            res = self.conn.getresponse()
            body = res.read()
        except (http.client.HTTPException, OSError):
            self.conn.close()
            self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
            return self.get(path)
        elapsed = (time.perf_counter() - started) * 1000
        data = json.loads(body)
        if not data.get("success"):
            raise SystemExit(f"{path}: {data.get('error')}")
        return elapsed, data["result"]


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    k = (len(ordered) - 1) * p / 100
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def summary(values: list[float]) -> dict:
    return {"n": len(values), "p50": round(percentile(values, 50), 1), "p95": round(percentile(values, 95), 1),
            "mean": round(statistics.fmean(values), 1)}


def fold(text: str) -> str:
    text = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in text if unicodedata.category(c) != "Mn").lower()


# ----------------------------------------------------------------- main
def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--ini", default=str(slot_ini("bench")),
                        help="CKAN configuration of the benchmark database (TEST_SLOT=bench make test-env)")
    parser.add_argument("--datasets", type=int, default=10000)
    parser.add_argument("--rounds", type=int, default=15, help="measured passes over the query mix")
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--rebuild", action="store_true", help="index both cores again")
    parser.add_argument("--drop", action="store_true", help="remove the two benchmark cores and stop")
    args = parser.parse_args()
    ini = Path(args.ini)
    if not ini.exists():
        raise SystemExit(f"{ini} is missing: run `TEST_SLOT=bench make test-env` first")
    (ROOT / ".local" / "benchmarks").mkdir(parents=True, exist_ok=True)
    base = solr_base(ini)
    if args.drop:
        for core in ("bench_vn", "bench_stock"):
            solr_json(f"{base}/admin/cores?action=UNLOAD&core={core}&deleteInstanceDir=true&wt=json")
            print(f"removed Solr core {core}")
        return 0

    print("Solr cores: bench_vn (ours), bench_stock (CKAN 2.11's schema)")
    ensure_core(base, "bench_vn", ours_conf)
    ensure_core(base, "bench_stock", stock_conf)

    ctx = boot_ckan(ini)
    from ckan.common import config
    site_id = config.get("ckan.site_id")
    print(f"Datasets: {args.datasets} in {config.get('sqlalchemy.url').rsplit('/', 1)[1]}")
    created = generate(args.datasets)
    stale = [core for core in ("bench_vn", "bench_stock")
             if args.rebuild or created or core_count(base, core, site_id) < args.datasets]
    if stale:
        index_into(stale, base)
    for core in ("bench_vn", "bench_stock"):
        print(f"  {core}: {core_count(base, core, site_id)} datasets indexed")
    ctx.pop()

    logs = ROOT / ".local" / "benchmarks"
    ports = {"ours": free_port(), "stock": free_port()}
    cores = {"ours": "bench_vn", "stock": "bench_stock"}
    procs = {k: start_server(ini, base, cores[k], ports[k], logs / f"server-{k}.log") for k in ports}
    try:
        for k in procs:
            wait_ready(ports[k], procs[k])
        clients = {k: Client(ports[k]) for k in ports}
        paths = [(kind, params, query_string(kind, params)) for kind, params in QUERY_MIX]
        order = random.Random(SEED)
        print(f"Warm-up: {args.warmup} passes; measuring {args.rounds} passes x {len(paths)} queries per schema")
        samples = {k: [] for k in clients}
        by_kind = {(k, kind): [] for k in clients for kind in ("ui", "api")}
        hits = {}
        for rnd in range(args.warmup + args.rounds):
            for kind, params, path in paths:
                pair = list(clients)
                order.shuffle(pair)
                for k in pair:
                    ms, result = clients[k].get(path)
                    if rnd >= args.warmup:
                        samples[k].append(ms)
                        by_kind[(k, kind)].append(ms)
                    elif rnd == 0:
                        top = result["results"][0]["title"] if result["results"] else ""
                        hits[(k, params.get("q", ""), params.get("fq", ""))] = (result["count"], top)
    finally:
        for proc in procs.values():
            proc.terminate()
        for proc in procs.values():
            try:
                proc.wait(20)
            except subprocess.TimeoutExpired:
                proc.kill()

    results = {k: summary(v) for k, v in samples.items()}
    kinds = {f"{k}/{kind}": summary(v) for (k, kind), v in by_kind.items()}
    ratio = results["ours"]["p95"] / results["stock"]["p95"]
    print("\nLatency of package_search through the Action API (ms, client side):")
    print(f"{'schema':<8}{'queries':>9}{'p50':>9}{'p95':>9}{'mean':>9}")
    for k in ("ours", "stock"):
        r = results[k]
        print(f"{k:<8}{r['n']:>9}{r['p50']:>9}{r['p95']:>9}{r['mean']:>9}")
    for name, r in kinds.items():
        print(f"  {name:<12}{r['n']:>7}{r['p50']:>9}{r['p95']:>9}{r['mean']:>9}")
    verdict = "meets" if ratio <= 1.1 else "MISSES"
    print(f"p95 ours / stock = {ratio:.2f} ({verdict} the target of 1.1)")
    print("\nWhat a citizen gets (results; first title) for a few queries:")
    for q in ("giay phep lai xe", "xay dung", "thuy loi", "so xay dung", "thuế"):
        for k in ("ours", "stock"):
            count, top = hits.get((k, q, ""), (0, ""))
            print(f"  {q!r:<22}{k:<7}{count:>6}  {top}")
    out = logs / f"search_latency-{time.strftime('%Y%m%d-%H%M%S')}.json"
    out.write_text(json.dumps({"datasets": args.datasets, "rounds": args.rounds, "queries": len(QUERY_MIX),
                               "results": results, "by_kind": kinds, "p95_ratio": round(ratio, 3),
                               "machine": {"cpus": os.cpu_count()}}, ensure_ascii=False, indent=2))
    print(f"saved {out.relative_to(ROOT)}")
    return 0 if ratio <= 1.1 else 1


if __name__ == "__main__":
    sys.exit(main())
