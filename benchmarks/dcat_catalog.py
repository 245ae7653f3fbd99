#!/usr/bin/env python
"""Benchmark (not a test): the DCAT-AP 3 catalog of 10,000 datasets.

    .venv/bin/python -m benchmarks.dcat_catalog [--datasets 10000] [--ckan-ini .local/test-dcatbench.ini]

1. in the benchmark's own test slot (`TEST_SLOT=dcatbench`: its own PostgreSQL
   databases, Redis DB and site id; provisioned if missing) creates the datasets once:
   agencies with focal officers, datasets made from the seed catalogs' rows (theme,
   frequency, first-provided date, source types, data fields; a quarter with a CSV
   resource, one in twenty with an API resource) through `package_create` with deferred
   commits and automatic indexing off, then indexes them in one pass; every dataset is
   an entry of one published catalog (catalog record, year, legal basis). Later runs
   reuse them (`--cleanup` removes them);
2. times `/catalog.ttl` (and .jsonld, .xml, a deep page) through the web app in
   process, 100 datasets per page, after one warm-up request;
3. runs `ckan opendata dcat-export` in a child process for the whole catalog and for
   the last fifth of it (`--modified-since`), and reports wall time, peak RSS of the
   child and the file's size: the two peaks show memory does not grow with the catalog.

Targets (issue #7): first page ≤ 1 s; whole file ≤ 60 s and ≤ 300 MB.
Exit code 0 when met, 2 when not.
"""
from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

from benchmarks.timing import ROOT, WORK, ckan_app, ensure_slot, peak_rss_mb, slot_ini

TARGETS = {"first_page_s": 1.0, "export_s": 60.0, "export_rss_mb": 300.0}
ORG_PREFIX = "bench-dcat-"
CATALOG_KEY = "bench-dcat-2025"
AGENCIES = ["Sở Giáo dục và Đào tạo", "Sở Y tế", "Sở Tài chính", "Sở Xây dựng", "Sở Tư pháp",
            "Sở Nội vụ", "Sở Công Thương", "Sở Giao thông vận tải", "Sở Tài nguyên và Môi trường",
            "Sở Nông nghiệp và Phát triển nông thôn", "Sở Khoa học và Công nghệ",
            "Sở Văn hóa, Thể thao và Du lịch", "Sở Lao động - Thương binh và Xã hội",
            "Sở Kế hoạch và Đầu tư", "Ban Quản lý các khu công nghiệp", "Cục Thống kê tỉnh",
            "Cục Thuế tỉnh", "Công an tỉnh", "Bảo hiểm xã hội tỉnh", "Văn phòng UBND tỉnh"]


def seed_rows() -> list[tuple[dict, dict]]:
    from ckanext.opendata_vn.catalog.rows import plan_row
    rows = []
    for path in sorted((ROOT / "catalog_seeds").glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        for i, row in enumerate(data["rows"], 1):
            entry, _errors = plan_row(i, row, data["catalog"]["province"])
            if entry is not None:
                rows.append((entry.dataset, entry.row))
    return rows


def bench_count() -> int:
    from ckan import model
    return (model.Session.query(model.Package.id).join(model.Group, model.Group.id == model.Package.owner_org)
            .filter(model.Group.name.like(ORG_PREFIX + "%"), model.Package.state == "active").count())


def create_datasets(total: int) -> float:
    """package_create without per-dataset indexing and commit, then one indexing pass."""
    import ckan.plugins as p
    import ckan.plugins.toolkit as tk
    from ckan import model
    from ckan.lib import search
    from ckanext.opendata_vn.catalog import themes
    from ckanext.opendata_vn.catalog.model import Catalog, CatalogEntry

    started = time.time()
    user = tk.get_action("get_site_user")({"ignore_auth": True}, {})["name"]
    context = {"model": model, "session": model.Session, "user": user, "ignore_auth": True,
               "defer_commit": True}
    themes.ensure_themes(dict(context))
    orgs = []
    for i, name in enumerate(AGENCIES):
        org = model.Group.get(f"{ORG_PREFIX}{i:02d}")
        if org is None:
            org = tk.get_action("organization_create")(dict(context), {
                "name": f"{ORG_PREFIX}{i:02d}", "title": f"{name} (đo hiệu năng)", "province": "Bắc Giang",
                "level": "so_nganh", "focal_officer_name": f"Cán bộ đầu mối {i}",
                "focal_officer_email": f"dau-moi-{i}@example.gov.vn", "focal_officer_phone": "0204 3000 000",
                "contact_public": "true" if i % 2 else "false"})
            model.repo.commit()
            org = model.Group.get(org["id"])
        orgs.append(org.id)
    catalog = model.Session.query(Catalog).filter_by(key=CATALOG_KEY).first()
    if catalog is None:
        catalog = Catalog(key=CATALOG_KEY, province="Bắc Giang", year=2025, period="2025", kind="decision",
                          title="Danh mục dữ liệu mở (đo hiệu năng) năm 2025", document_number="99/QĐ-UBND",
                          document_date="2025-03", issuer="UBND tỉnh Bắc Giang", state="published",
                          legal_basis=["Nghị định số 47/2020/NĐ-CP ngày 09/4/2020 của Chính phủ về quản lý, "
                                       "kết nối và chia sẻ dữ liệu số của cơ quan nhà nước"])
        model.Session.add(catalog)
        model.repo.commit()
    rows = seed_rows()
    start = bench_count()
    p.unload("synchronous_search")          # index once at the end, not per dataset
    created = []
    try:
        for n in range(start, total):
            fields, row = rows[n % len(rows)]
            resources = []
            if n % 4 == 0:
                resources.append({"name": "Dữ liệu (CSV)", "format": "CSV",
                                  "url": f"http://data.example.gov.vn/bench/{n}.csv"})
            if n % 20 == 0:
                resources.append({"name": "API tra cứu", "format": "API",
                                  "url": f"http://api.example.gov.vn/bench/{n}"})
            dataset = tk.get_action("package_create")(dict(context), {
                **{k: v for k, v in fields.items() if v not in (None, "", [])},
                "name": f"bench-dcat-{n:05d}", "title": f"{fields['title']} ({n})",
                "owner_org": orgs[n % len(orgs)], "license_id": "cc-by",
                "publication_status": "published" if resources else "planned",
                "notes": fields.get("notes") or ("Dữ liệu đo hiệu năng." if resources else ""),
                "resources": resources})
            model.Session.add(CatalogEntry(catalog_id=catalog.id, package_id=dataset["id"], position=n,
                                           number=str(n + 1), title=dataset["title"], theme=row.get("theme", ""),
                                           agency=row.get("agency", ""), frequency=row.get("frequency", "")))
            created.append(dataset["id"])
            if len(created) % 250 == 0:
                model.repo.commit()
                print(f"\r  created {n + 1}/{total}", end="", file=sys.stderr, flush=True)
        model.repo.commit()
    finally:
        p.load("synchronous_search")
    print(f"\r  created {total}/{total}; indexing…", file=sys.stderr, flush=True)
    search.rebuild(package_ids=created, defer_commit=True, quiet=True)
    search.commit()
    return time.time() - started


def cleanup(ini: Path) -> None:
    from ckan.lib import search
    search.clear_all()
    subprocess.run([str(ROOT / ".venv" / "bin" / "ckan"), "-c", str(ini), "db", "clean", "--yes"], check=True,
                   stdout=subprocess.DEVNULL)
    for plugin in ("", "activity", "harvest", "opendata_vn"):
        subprocess.run([str(ROOT / ".venv" / "bin" / "ckan"), "-c", str(ini), "db", "upgrade",
                        *(["-p", plugin] if plugin else [])], check=True, stdout=subprocess.DEVNULL)


def time_pages(flask_app, repeat: int) -> dict:
    client = flask_app.test_client()
    results = {}

    def get(url):
        t = time.perf_counter()
        res = client.get(url)
        elapsed = time.perf_counter() - t
        assert res.status_code == 200, (url, res.status_code, res.get_data(as_text=True)[:500])
        return elapsed, res.get_data()

    cold, _ = get("/catalog.ttl")
    results["/catalog.ttl (first request of the process)"] = [cold]
    for url in ("/catalog.ttl", "/catalog.jsonld", "/catalog.xml", "/catalog.ttl?page=100"):
        times = []
        for _ in range(repeat):
            elapsed, body = get(url)
            times.append(elapsed)
        results[url] = times
    WORK.mkdir(parents=True, exist_ok=True)
    (WORK / "catalog-page1.ttl").write_bytes(get("/catalog.ttl")[1])
    return results


def run_export(ini: Path, target: Path, *extra: str) -> dict:
    """The command in a child process; its own peak RSS is reported by the child."""
    code = ("import resource, sys\n"
            "from ckan.cli.cli import ckan\n"
            "try:\n    ckan(sys.argv[1:], standalone_mode=False)\n"
            "finally:\n"
            "    print('PEAK_RSS_KB', resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)\n")
    started = time.time()
    proc = subprocess.run([sys.executable, "-c", code, "-c", str(ini), "opendata", "dcat-export", str(target),
                           *extra], capture_output=True, text=True)
    elapsed = time.time() - started
    if proc.returncode != 0:
        print(proc.stdout, proc.stderr, file=sys.stderr)
        raise SystemExit("export failed")
    peak = next(int(line.split()[1]) for line in proc.stderr.splitlines() if line.startswith("PEAK_RSS_KB"))
    datasets = target.read_text(encoding="utf-8").count("a dcat:Dataset")
    return {"seconds": elapsed, "rss_mb": peak / 1024, "size_mb": target.stat().st_size / 1e6,
            "datasets": datasets, "summary": proc.stdout.strip()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--datasets", type=int, default=10_000)
    parser.add_argument("--ckan-ini", type=Path, default=slot_ini("dcatbench"))
    parser.add_argument("--repeat", type=int, default=5, help="requests per page measured")
    parser.add_argument("--validate", type=Path, metavar="SHAPES_DIR",
                        help="check the first page against the official DCAT-AP 3.0.1 shapes in SHAPES_DIR "
                             "(not in the repository; as `ckan opendata dcat-validate SHAPES_DIR`)")
    parser.add_argument("--cleanup", action="store_true", help="remove the benchmark's datasets and exit")
    args = parser.parse_args()
    if ensure_slot(args.ckan_ini):
        for plugin in ("activity", "harvest", "opendata_vn"):
            subprocess.run([str(ROOT / ".venv" / "bin" / "ckan"), "-c", str(args.ckan_ini), "db", "upgrade",
                            "-p", plugin], check=True, stdout=subprocess.DEVNULL)

    flask_app = ckan_app(args.ckan_ini)
    with flask_app.test_request_context():
        if args.cleanup:
            cleanup(args.ckan_ini)
            print("benchmark datasets removed")
            return 0
        existing = bench_count()
        if existing < args.datasets:
            print(f"creating {args.datasets - existing} datasets (once; later runs reuse them)…")
            seconds = create_datasets(args.datasets)
            print(f"  done in {seconds:.0f} s")
        from ckan.plugins import toolkit as tk
        total = tk.get_action("package_search")({"ignore_auth": True}, {"rows": 0, "include_private": False})["count"]
    print(f"catalog: {total} public datasets\n")

    pages = time_pages(flask_app, args.repeat)
    print("| request (100 datasets per page) | median s | max s |\n| --- | ---: | ---: |")
    for url, times in pages.items():
        print(f"| `{url}` | {statistics.median(times):.3f} | {max(times):.3f} |")
    app_rss = peak_rss_mb()
    print(f"\nPeak RSS of the web app process (CKAN loaded, pages served): {app_rss:.0f} MB")

    if args.validate:
        import rdflib
        from ckanext.opendata_vn.dcat import shacl
        conforms, report = shacl.validate(rdflib.Graph().parse(WORK / "catalog-page1.ttl", format="turtle"),
                                          shacl.load_shapes(args.validate))
        print(f"First page against the official DCAT-AP 3.0.1 shapes: conforms={conforms}")
        if not conforms:
            print(report[:3000])

    with flask_app.test_request_context():
        from ckan.plugins import toolkit as tk
        fifth = tk.get_action("package_search")({"ignore_auth": True}, {
            "rows": 1, "start": total // 5, "sort": "metadata_modified desc", "include_private": False,
            "fl": "metadata_modified"})["results"][0]["metadata_modified"]
    small = run_export(args.ckan_ini, WORK / "catalog-part.ttl", "--modified-since", fifth)
    full = run_export(args.ckan_ini, WORK / "catalog.ttl")
    print("\n| `ckan opendata dcat-export` | datasets | seconds | peak RSS MB | file MB |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for label, r in (("last fifth (`--modified-since`)", small), ("whole catalog", full)):
        print(f"| {label} | {r['datasets']} | {r['seconds']:.1f} | {r['rss_mb']:.0f} | {r['size_mb']:.1f} |")

    first_page = statistics.median(pages["/catalog.ttl"])
    met = (first_page <= TARGETS["first_page_s"] and full["seconds"] <= TARGETS["export_s"]
           and full["rss_mb"] <= TARGETS["export_rss_mb"])
    print(f"\nTargets: first page ≤ {TARGETS['first_page_s']} s ({first_page:.2f}), whole file ≤ "
          f"{TARGETS['export_s']:.0f} s ({full['seconds']:.1f}) and ≤ {TARGETS['export_rss_mb']:.0f} MB "
          f"({full['rss_mb']:.0f}) — {'met' if met else 'NOT met'}")
    return 0 if met else 2


if __name__ == "__main__":
    sys.exit(main())
