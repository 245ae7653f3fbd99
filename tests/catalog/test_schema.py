"""Dataset and agency schemas: good values pass, bad values get Vietnamese errors."""
from __future__ import annotations

import pytest

import ckan.plugins.toolkit as tk
from ckan.tests import factories, helpers


@pytest.fixture
def org():
    return factories.Organization()


def _create(sysadmin, org, **fields):
    data = {"title": "Danh sách chợ truyền thống", "notes": "Chợ trên địa bàn", "owner_org": org["id"],
            "theme": "kinh-te", **fields}
    data.setdefault("name", factories.Dataset.stub().name)
    return helpers.call_action("package_create", context={"user": sysadmin["name"]}, **data)


def test_good_values_are_stored_and_normalised(sysadmin, org):
    decomposed = "Danh sa\u0301ch cho\u031b\u0323"  # "Danh sách chợ" typed with combining marks
    pkg = _create(sysadmin, org, title="Chợ", original_agency=decomposed, theme="LĨNH VỰC KINH TẾ",
                  update_frequency="Quý", update_frequency_text="Quý", first_provided="2026-03-31",
                  source_types=["excel", "api"], data_fields="- Tên chợ\n- Địa chỉ",
                  co_providers=["UBND cấp huyện"], remarks="Dữ liệu mẫu")
    assert pkg["original_agency"] == "Danh sách chợ"
    assert pkg["theme"] == "kinh-te" and pkg["update_frequency"] == "quarterly"
    assert pkg["data_fields"] == ["Tên chợ", "Địa chỉ"]
    assert pkg["source_types"] == ["excel", "api"]
    assert pkg["province"] == tk.config.get("ckanext.opendata_vn.province")
    assert pkg["publication_status"] == "planned" and pkg["license_id"] == "cc-by"
    assert [g["name"] for g in pkg["groups"]] == ["kinh-te"]
    # changing the theme moves the dataset to the other theme group only
    pkg = helpers.call_action("package_patch", context={"user": sysadmin["name"]}, id=pkg["id"], theme="y-te")
    assert [g["name"] for g in pkg["groups"]] == ["y-te"]


@pytest.mark.parametrize("fields,key,fragment", [
    ({"theme": "vũ trụ"}, "theme", "không có trong danh sách chủ đề"),
    ({"theme": ""}, "theme", ""),
    ({"update_frequency": "mỗi khi trăng tròn"}, "update_frequency", "không có trong danh sách"),
    ({"first_provided": "31/02/2026"}, "first_provided", ""),
    ({"source_types": ["fax"]}, "source_types", ""),
    ({"publication_status": "published", "notes": ""}, "notes", "Bắt buộc khi tập dữ liệu ở trạng thái"),
    ({"publication_status": "archived"}, "publication_status", ""),
    ({"title": ""}, "title", ""),
])
def test_bad_values_are_rejected_with_a_message(sysadmin, org, fields, key, fragment):
    with pytest.raises(tk.ValidationError) as err:
        _create(sysadmin, org, **fields)
    assert key in err.value.error_dict, err.value.error_dict
    assert fragment in " ".join(err.value.error_dict[key])


def test_planned_entry_may_lack_description_but_published_may_not(sysadmin, org):
    pkg = _create(sysadmin, org, notes="")
    with pytest.raises(tk.ValidationError) as err:
        helpers.call_action("package_patch", context={"user": sysadmin["name"]}, id=pkg["id"],
                            publication_status="published")
    assert "notes" in err.value.error_dict


def test_shown_dataset_can_be_sent_back(sysadmin, org):
    """package_show adds catalog_entries; show → update must still work for API clients."""
    pkg = _create(sysadmin, org)
    shown = helpers.call_action("package_show", id=pkg["id"])
    assert "catalog_entries" in shown
    shown["title"] = "Danh sách chợ đầu mối"
    updated = helpers.call_action("package_update", context={"user": sysadmin["name"]}, **shown)
    assert updated["title"] == "Danh sách chợ đầu mối"


def test_agency_fields_and_bad_phone(sandbox, sysadmin):
    org = helpers.call_action("organization_create", context={"user": sysadmin["name"]},
                              name="so-thu-nghiem-schema", title="Sở Thử nghiệm", short_code="STN",
                              level="so_nganh", focal_officer_name="Nguyễn Văn A",
                              focal_officer_email="a@example.gov.vn", focal_officer_phone="0204 3854 123")
    assert org["level"] == "so_nganh" and org["focal_officer_phone"] == "0204 3854 123"
    with pytest.raises(tk.ValidationError) as err:
        helpers.call_action("organization_create", context={"user": sysadmin["name"]},
                            name="so-thu-nghiem-sai", title="Sở Sai", focal_officer_phone="gọi tôi")
    assert "focal_officer_phone" in err.value.error_dict
    with pytest.raises(tk.ValidationError) as err:
        helpers.call_action("organization_create", context={"user": sysadmin["name"]},
                            name="so-thu-nghiem-sai2", title="Sở Sai 2", successor="khong-ton-tai")
    assert "successor" in err.value.error_dict


def test_focal_officer_contact_is_for_logged_in_staff_unless_public(sandbox, sysadmin):
    hidden = helpers.call_action("organization_create", context={"user": sysadmin["name"]}, name="so-lien-he-an",
                                 title="Sở Liên hệ ẩn", focal_officer_name="Trần B",
                                 focal_officer_email="b@example.gov.vn", focal_officer_phone="0912345678")
    public = helpers.call_action("organization_create", context={"user": sysadmin["name"]}, name="so-lien-he-cong-khai",
                                 title="Sở Liên hệ công khai", focal_officer_name="Lê C",
                                 focal_officer_email="c@example.gov.vn", contact_public="true")
    anon = {"user": "", "ignore_auth": False}
    shown = helpers.call_action("organization_show", context=dict(anon), id=hidden["id"])
    assert shown["focal_officer_name"] == "Trần B"
    assert "focal_officer_email" not in shown and "focal_officer_phone" not in shown
    listed = helpers.call_action("organization_list", context=dict(anon), all_fields=True,
                                 include_extras=True, organizations=["so-lien-he-an"])
    mine = next(o for o in listed if o["name"] == "so-lien-he-an")
    assert "focal_officer_email" not in mine
    assert helpers.call_action("organization_show", context=dict(anon), id=public["id"])[
        "focal_officer_email"] == "c@example.gov.vn"
    staff = factories.User()
    assert helpers.call_action("organization_show", context={"user": staff["name"]}, id=hidden["id"])[
        "focal_officer_phone"] == "0912345678"
