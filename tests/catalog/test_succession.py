"""Agency succession: 2025 mergers move datasets, the catalog keeps the original agency."""
from __future__ import annotations

from click.testing import CliRunner

from ckan.cli.cli import ckan as ckan_cli
from ckan.tests import factories, helpers

from ckanext.opendata_vn.model import CatalogEntry


def test_merged_department_hands_datasets_to_its_successor(sysadmin, cli):
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


def test_succession_keeps_catalog_entries_as_listed(seeded_catalogs, sysadmin, cli):
    """Moving a seeded agency's duties leaves the approved entries' agency text alone."""
    from ckan import model
    org = model.Group.get("dien-bien-so-thong-tin-va-truyen-thong")
    assert org is not None
    target = factories.Organization(name="dien-bien-so-khoa-hoc-va-cong-nghe-moi",
                                    title="Sở Khoa học và Công nghệ tỉnh Điện Biên (sau sáp nhập)")
    ids = [pid for (pid,) in model.Session.query(model.Package.id).filter_by(owner_org=org.id, state="active")]
    result = cli.invoke(ckan_cli, ["opendata", "succession", org.name, target["name"]])
    assert result.exit_code == 0, result.output
    model.Session.expire_all()
    for pid in ids:
        assert model.Package.get(pid).owner_org == target["id"]
        entries = model.Session.query(CatalogEntry).filter_by(package_id=pid).all()
        assert entries and all(e.agency.startswith("Sở Thông tin và Truyền thông") for e in entries)


def test_succession_to_itself_is_refused(sysadmin, cli):
    org = factories.Organization()
    result = cli.invoke(ckan_cli, ["opendata", "succession", org["name"], org["name"]])
    assert result.exit_code == 1
    assert "Đơn vị kế thừa phải khác" in result.output
