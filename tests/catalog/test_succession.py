"""Agency succession: 2025 mergers move datasets, the catalog keeps the original agency."""
from __future__ import annotations

from ckan.cli.cli import ckan as ckan_cli
from ckan.tests import factories, helpers

from ckanext.opendata_vn.catalog.agencies import agency_name
from ckanext.opendata_vn.catalog.loader import load_catalog
from ckanext.opendata_vn.catalog.model import CatalogEntry


def test_merged_department_hands_datasets_to_its_successor(sandbox, sysadmin, cli):
    old = helpers.call_action("organization_create", context={"user": sysadmin["name"]}, name="thu-so-thong-tin-truyen-thong",
                              title="Sở Thông tin và Truyền thông tỉnh Thử")
    new = helpers.call_action("organization_create", context={"user": sysadmin["name"]}, name="thu-so-khoa-hoc-cong-nghe",
                              title="Sở Khoa học và Công nghệ tỉnh Thử")
    kept = helpers.call_action("package_create", context={"user": sysadmin["name"]}, name="thu-ha-tang-so", title="Hạ tầng số",
                               notes="Trạm BTS", owner_org=old["id"], theme="cong-nghe-thong-tin",
                               original_agency="Sở Thông tin và Truyền thông")
    bare = helpers.call_action("package_create", context={"user": sysadmin["name"]}, name="thu-buu-chinh", title="Bưu chính",
                               notes="Điểm bưu chính", owner_org=old["id"], theme="cong-nghe-thong-tin")

    result = cli.invoke(ckan_cli, ["opendata", "succession", old["name"], new["name"], "--date", "2025-03-01"])
    assert result.exit_code == 0, result.output
    assert "chuyển 2 tập dữ liệu" in result.output

    moved = helpers.call_action("package_show", id=kept["id"])
    assert moved["owner_org"] == new["id"]
    assert moved["original_agency"] == "Sở Thông tin và Truyền thông"
    assert helpers.call_action("package_show", id=bare["id"])["original_agency"] == \
        "Sở Thông tin và Truyền thông tỉnh Thử"
    org = helpers.call_action("organization_show", id=old["id"])
    assert org["successor"] == new["name"] and org["succession_date"] == "2025-03-01"


def test_succession_keeps_catalog_entries_as_listed(sandbox, sysadmin, cli):
    """Moving an agency's duties leaves its catalog entries' agency text alone (a catalog
    of the test's own province: the seeded agencies stay where they are)."""
    from ckan import model
    rows = [{"number": str(n), "part": None, "theme_number": "I",
             "theme": "CHỦ ĐỀ CÔNG NGHỆ THÔNG TIN VÀ TRUYỀN THÔNG", "title": title, "description": "",
             "agency": "Sở Thông tin và Truyền thông", "first_provided": "", "frequency": "Năm",
             "source": "Excel", "notes": "", "extraction_note": ""}
            for n, title in ((1, "Dữ liệu trạm thu phát sóng di động"), (2, "Dữ liệu điểm bưu chính"))]
    load_catalog("thu.json", {"key": "thu-ke-thua", "province": sandbox.province, "year": 2025,
                              "title": "Kế hoạch thử", "kind": "plan"}, rows, user=sysadmin["name"])
    org = model.Group.get(agency_name(sandbox.province, "Sở Thông tin và Truyền thông"))
    target = factories.Organization(title=f"Sở Khoa học và Công nghệ tỉnh {sandbox.province}")
    ids = [pid for (pid,) in model.Session.query(model.Package.id).filter_by(owner_org=org.id, state="active")]
    assert len(ids) == 2
    result = cli.invoke(ckan_cli, ["opendata", "succession", org.name, target["name"]])
    assert result.exit_code == 0, result.output
    model.Session.expire_all()
    for pid in ids:
        assert model.Package.get(pid).owner_org == target["id"]
        entries = model.Session.query(CatalogEntry).filter_by(package_id=pid).all()
        assert [e.agency for e in entries] == ["Sở Thông tin và Truyền thông"]


def test_succession_to_itself_is_refused(sandbox, sysadmin, cli):
    org = factories.Organization()
    result = cli.invoke(ckan_cli, ["opendata", "succession", org["name"], org["name"]])
    assert result.exit_code == 1
    assert "Đơn vị kế thừa phải khác" in result.output
