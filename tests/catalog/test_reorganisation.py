"""The 2025 reorganisation as data (catalog_seeds/reorganisation/): the file itself, and
applying a file of the same shape to a sandbox province (the seeded agencies stay as
other tests expect them): successors carry the datasets, the merged agency is history,
uncertain successions wait for a reviewer's confirmation, applying twice changes nothing."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
import ckan.logic as logic
from ckan import model
from ckan.common import config
from ckan.cli.cli import ckan as ckan_cli
from ckan.tests import factories, helpers

from ckanext.opendata_vn.catalog.agencies import agency_name
from ckanext.opendata_vn.catalog.loader import load_catalog
from ckanext.opendata_vn.catalog.rows import agency_from_header, split_agencies
from ckanext.opendata_vn.catalog.model import CatalogEntry
from ckanext.opendata_vn.province import reorganisation

ROOT = Path(__file__).resolve().parents[2]
FILE = ROOT / "catalog_seeds" / "reorganisation" / "reorganisation-2025.json"


def _seed_agency_keys() -> set[str]:
    keys = set()
    for path in (ROOT / "catalog_seeds").glob("*.json"):
        data = json.loads(path.read_text(encoding="utf-8"))
        province = data["catalog"]["province"]
        for row in data["rows"]:
            header = agency_from_header(row.get("theme", ""))
            for name in split_agencies(row.get("agency", "")) or ([header] if header else []):
                keys.add(agency_name(province, name))
    return keys


def test_the_2025_file_names_seeded_agencies_and_the_legal_dates():
    data = reorganisation.read_file(FILE)
    changes = reorganisation.changes(data, FILE.name)
    keys = _seed_agency_keys()
    by_key = {c.agency_key: c for c in changes if c.date.isoformat() == "2025-03-01"}
    # the March mergers, in every seeded province
    for province in ("bac-giang", "hung-yen", "dien-bien"):
        assert by_key[f"{province}-so-thong-tin-va-truyen-thong"].successor == "Sở Khoa học và Công nghệ"
        assert by_key[f"{province}-so-ke-hoach-va-dau-tu"].successor == "Sở Tài chính"
        assert by_key[f"{province}-so-giao-thong-van-tai"].successor == "Sở Xây dựng"
        assert by_key[f"{province}-so-tai-nguyen-va-moi-truong"].successor == "Sở Nông nghiệp và Môi trường"
        assert by_key[f"{province}-so-nong-nghiep-va-phat-trien-nong-thon"].successor == "Sở Nông nghiệp và Môi trường"
        labour = by_key[f"{province}-so-lao-dong-thuong-binh-va-xa-hoi"]
        assert labour.successor == "Sở Nội vụ" and labour.certain is False and "Sở Y tế" in labour.note
    # every agency the file merges in March is one the seeds name (no typo silently skipped)
    assert set(by_key) <= keys, sorted(set(by_key) - keys)
    # Bắc Giang's departments go to Bắc Ninh's on 1 July 2025; Điện Biên stays a province
    july = [c for c in changes if c.province == "Bắc Giang" and c.date.isoformat() == "2025-07-01"]
    assert {c.successor_province for c in july} == {"Bắc Ninh"}
    assert any(c.agency == c.successor == "Sở Khoa học và Công nghệ" for c in july)
    assert not [c for c in changes if c.province == "Điện Biên" and c.successor_province != "Điện Biên"]
    districts = [c for c in changes if c.agency == "UBND cấp huyện"]
    assert districts and all(not c.certain and c.date.isoformat() == "2025-07-01" for c in districts)
    merged = {(b["province"], b.get("merged_into")) for b in data["provinces"]}
    assert {("Bắc Giang", "Bắc Ninh"), ("Thái Bình", "Hưng Yên")} <= merged
    assert reorganisation.former_provinces("Bắc Ninh", FILE) == [{"province": "Bắc Giang", "date": "2025-07-01"}]


def test_a_file_with_a_bad_change_is_refused_naming_it(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"schema_version": 1, "provinces": [
        {"province": "Thử", "agencies": [{"agency": "Sở A", "successor": "Sở B", "date": "1/3/2025"}]}]}),
        encoding="utf-8")
    with pytest.raises(reorganisation.ReorganisationError, match=r"provinces\[1\]\.agencies\[1\]"):
        reorganisation.changes(reorganisation.read_file(bad), bad.name)
    bad.write_text(json.dumps({"schema_version": 7, "provinces": []}), encoding="utf-8")
    with pytest.raises(reorganisation.ReorganisationError, match="schema_version"):
        reorganisation.read_file(bad)


def _sandbox_file(tmp_path, province: str, merged_into: str) -> Path:
    """The 2025 shape for the sandbox province: a March merger, a province merger in
    July (chain), and an uncertain district successor."""
    path = tmp_path / "reorganisation-test.json"
    path.write_text(json.dumps({"schema_version": 1, "provinces": [
        {"province": province, "merged_into": merged_into, "merged_date": "2025-07-01", "agencies": [
            {"agency": "Sở Thông tin và Truyền thông", "successor": "Sở Khoa học và Công nghệ",
             "date": "2025-03-01", "certain": True},
            {"agency": "Sở Khoa học và Công nghệ", "successor": "Sở Khoa học và Công nghệ",
             "successor_province": merged_into, "date": "2025-07-01", "certain": True},
            {"agency": "UBND cấp huyện", "successor": "UBND cấp xã", "date": "2025-07-01", "certain": False,
             "note": "Cần xác nhận xã nhận nhiệm vụ."},
            {"agency": "Sở Không Có Trên Cổng", "successor": "Sở Tài chính", "date": "2025-03-01"},
        ]}]}, ensure_ascii=False), encoding="utf-8")
    return path


def _rows(agency: str, titles) -> list[dict]:
    return [{"number": str(n), "part": None, "theme_number": "I", "theme": "CHỦ ĐỀ CÔNG NGHỆ THÔNG TIN VÀ TRUYỀN THÔNG",
             "title": t, "description": "", "agency": agency, "first_provided": "", "frequency": "Năm",
             "source": "Excel", "notes": "", "extraction_note": ""} for n, t in enumerate(titles, 1)]


@pytest.fixture
def sandbox_catalog(sandbox, sysadmin):
    rows = _rows("Sở Thông tin và Truyền thông", ["Dữ liệu trạm BTS thử", "Dữ liệu bưu cục thử"]) + \
        [dict(r, number=str(10 + i)) for i, r in enumerate(_rows("UBND cấp huyện", ["Dữ liệu chợ thử"]))]
    load_catalog("thu.json", {"key": f"thu-{agency_name(sandbox.province, 'tc')}", "province": sandbox.province,
                              "year": 2024, "title": "Danh mục thử 2024", "kind": "decision"},
                 rows, user=sysadmin["name"])
    return sandbox


def _owner(title: str) -> model.Group:
    model.Session.expire_all()
    pkg = model.Session.query(model.Package).filter_by(title=title, state="active").one()
    return model.Group.get(pkg.owner_org)


def test_applying_moves_datasets_along_the_chain_and_keeps_history(sandbox_catalog, tmp_path, cli, app):
    province = sandbox_catalog.province
    merged_into = f"{province} Mới"
    path = _sandbox_file(tmp_path, province, merged_into)
    result = cli.invoke(ckan_cli, ["opendata", "apply-reorganisation", str(path)])
    assert result.exit_code == 0, result.output
    assert "áp dụng 2, chờ xác nhận 1, không đổi 0, không có trên cổng 1" in result.output

    old = model.Group.get(agency_name(province, "Sở Thông tin và Truyền thông"))
    mid = model.Group.get(agency_name(province, "Sở Khoa học và Công nghệ"))
    new = model.Group.get(agency_name(merged_into, "Sở Khoa học và Công nghệ"))
    assert new.title == f"Sở Khoa học và Công nghệ tỉnh {merged_into}"
    for title in ("Dữ liệu trạm BTS thử", "Dữ liệu bưu cục thử"):
        assert _owner(title).id == new.id
    # the merged agencies stay, as history with their successor and the legal date
    assert dict(old.extras)["successor"] == mid.name and dict(old.extras)["succession_date"] == "2025-03-01"
    assert dict(mid.extras)["successor"] == new.name
    # the catalog keeps the agency its decision named
    entries = model.Session.query(CatalogEntry).join(model.Package, model.Package.id == CatalogEntry.package_id) \
        .filter(model.Package.owner_org == new.id).all()
    assert {e.agency for e in entries} == {"Sở Thông tin và Truyền thông"}
    # uncertain: recorded, nothing moved yet
    district = model.Group.get(agency_name(province, "UBND cấp huyện"))
    assert dict(district.extras)["pending_successor"] == agency_name(province, "UBND cấp xã")
    assert _owner("Dữ liệu chợ thử").id == district.id

    # the agency pages name the successor (and today's agency), and the predecessors
    page = app.get(f"/organization/{old.name}").get_data(as_text=True)
    assert "Đơn vị này đã sáp nhập vào" in page and mid.title in page and new.title in page
    assert "01/03/2025" in page
    page = app.get(f"/organization/{mid.name}").get_data(as_text=True)
    assert "trước đây:" in page and old.title in page
    # the dataset page names the agency its catalog named as "trước đây"
    pkg = model.Session.query(model.Package).filter_by(title="Dữ liệu trạm BTS thử").one()
    page = app.get(f"/dataset/{pkg.name}").get_data(as_text=True)
    assert "trước đây:" in page and f'href="/organization/{old.name}"' in page
    # and DCAT: the agency the catalog named is the creator, with the change event
    ttl = app.get(f"/dataset/{pkg.name}.ttl").get_data(as_text=True)
    assert f"/organization/{old.id}>" in ttl and "ChangeEvent" in ttl, ttl[:3000]

    again = cli.invoke(ckan_cli, ["opendata", "apply-reorganisation", str(path)])
    assert again.exit_code == 0, again.output
    assert "áp dụng 0, chờ xác nhận 0, không đổi 3, không có trên cổng 1" in again.output


def test_a_reviewer_confirms_an_uncertain_successor(sandbox_catalog, sysadmin, tmp_path, cli, app, monkeypatch):
    province = sandbox_catalog.province
    path = _sandbox_file(tmp_path, province, f"{province} Mới")
    assert cli.invoke(ckan_cli, ["opendata", "apply-reorganisation", str(path)]).exit_code == 0
    district = model.Group.get(agency_name(province, "UBND cấp huyện"))

    officer = factories.User()
    helpers.call_action("organization_member_create", id=district.id, username=officer["name"], role="admin")
    reviewer = factories.User()
    monkeypatch.setitem(config, "ckanext.opendata_vn.reviewers", reviewer["name"])
    for user in (officer, None):
        context = {"user": user["name"] if user else "", "ignore_auth": False}
        with pytest.raises(logic.NotAuthorized):
            helpers.call_action("opendata_vn_reorganisation_confirm", context=context, id=district.id)
        with pytest.raises(logic.NotAuthorized):
            helpers.call_action("opendata_vn_reorganisation_pending_list", context=context)

    pending = helpers.call_action("opendata_vn_reorganisation_pending_list", context={"user": reviewer["name"]})
    mine = [p for p in pending if p["id"] == district.id]
    assert mine and mine[0]["datasets"] == 1 and mine[0]["date"] == "2025-07-01"
    # the home page lists it no more as a provider of today, though it still holds data
    home = app.get("/").get_data(as_text=True)
    assert f'href="/organization/{district.name}"' not in home

    token = helpers.call_action("api_token_create", context={"user": reviewer["name"]},
                                user=reviewer["name"], name="t")["token"]
    page = app.get("/ckan-admin/ke-thua", headers={"Authorization": token}).get_data(as_text=True)
    assert district.title in page and "Xác nhận" in page
    assert app.get("/ckan-admin/ke-thua", headers={"Authorization": helpers.call_action(
        "api_token_create", context={"user": officer["name"]}, user=officer["name"], name="t")["token"]}).status_code == 403

    # meanwhile the proposed successor merged too: the datasets go on to today's agency
    commune = model.Group.get(agency_name(province, "UBND cấp xã"))
    newer = factories.Organization(title=f"UBND xã Hợp Nhất tỉnh {province}")
    helpers.call_action("organization_patch", context={"user": sysadmin["name"]}, id=commune.id,
                        successor=newer["name"], succession_date="2025-08-01")

    done = helpers.call_action("opendata_vn_reorganisation_confirm", context={"user": reviewer["name"]}, id=district.id)
    assert done["moved"] == 1
    assert _owner("Dữ liệu chợ thử").id == newer["id"]
    model.Session.expire_all()
    extras = dict(model.Group.get(district.id).extras)
    assert extras["successor"] == commune.name and not extras.get("pending_successor")
    assert dict(model.Group.get(commune.id).extras)["succession_date"] == "2025-08-01"
    with pytest.raises(logic.ValidationError):
        helpers.call_action("opendata_vn_reorganisation_confirm", context={"user": reviewer["name"]}, id=district.id)
    # applying the file again does not bring the question back
    again = cli.invoke(ckan_cli, ["opendata", "apply-reorganisation", str(path)])
    assert "chờ xác nhận 0" in again.output
