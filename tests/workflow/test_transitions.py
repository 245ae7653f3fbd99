"""Annual catalog workflow: every transition, the forbidden ones, history, visibility
and the frozen published catalog (real PostgreSQL, Solr, file storage)."""
from __future__ import annotations

import pytest

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.tests import helpers

from ckanext.opendata_vn.catalog.model import Catalog, CatalogEntry
from tests.support.workflow import call, entry_fields, xlsx_upload


def _propose(people, catalog, title, agency="agency_a", officer="officer", **extra):
    return call("opendata_vn_entry_create", people[officer], catalog_id=catalog["id"],
                owner_org=people[agency]["id"], **entry_fields(title, **extra))


def _history(catalog_id):
    return helpers.call_action("opendata_vn_catalog_show", id=catalog_id)["history"]


def test_full_cycle_draft_to_published(people, new_catalog):
    catalog = new_catalog()
    assert catalog["state"] == "draft" and catalog["kind"] == "decision"
    assert catalog["title"] == "Danh mục dữ liệu mở tỉnh Thử Nghiệm năm 2031"

    # a focal officer proposes an entry with every catalog field and an Excel file
    entry = _propose(people, catalog, "Danh sách trường học", upload=xlsx_upload())
    assert entry["state"] == "draft" and entry["private"] is True
    pkg = call("package_show", people["officer"], id=entry["package_id"])
    assert pkg["owner_org"] == people["agency_a"]["id"] and pkg["province"] == "Thử Nghiệm"
    assert pkg["resources"][0]["url_type"] == "upload" and pkg["resources"][0]["format"] == "XLSX"
    assert pkg["data_updated"], "an uploaded file sets the data's last update"
    assert entry["agency"] == "Sở A tỉnh Thử Nghiệm"
    assert entry["theme"] == "CHỦ ĐỀ GIÁO DỤC VÀ ĐÀO TẠO"
    assert (entry["first_provided"], entry["frequency"], entry["source"]) == ("30/06/2031", "Quý", "Excel")

    # submitted with the values the reviewer sees
    [submitted] = call("opendata_vn_entry_submit", people["officer"], catalog_id=catalog["id"],
                       owner_org=people["agency_a"]["id"])
    assert submitted["state"] == "submitted"

    # returned with a comment, fixed, resubmitted, approved
    [returned] = call("opendata_vn_entry_return", people["reviewer"], ids=[entry["id"]],
                      comment="Bổ sung mô tả các trường dữ liệu.")
    assert returned["state"] == "returned"
    assert returned["last_comment"]["comment"] == "Bổ sung mô tả các trường dữ liệu."
    assert returned["last_comment"]["user"] == people["reviewer"]
    fixed = call("opendata_vn_entry_update", people["officer"], id=entry["id"],
                 notes="Tên trường, địa chỉ, loại hình, số học sinh.")
    assert fixed["description"] == "Tên trường, địa chỉ, loại hình, số học sinh."
    assert fixed["state"] == "returned"
    call("opendata_vn_entry_submit", people["officer"], ids=[entry["id"]])
    [approved] = call("opendata_vn_entry_approve", people["reviewer"], ids=[entry["id"]])
    assert approved["state"] == "approved"

    # the catalog: approved (numbered by theme), then published with the decision
    shown = call("opendata_vn_catalog_approve", people["reviewer"], id=catalog["id"])
    assert shown["state"] == "approved"
    assert (shown["entries"][0]["theme_number"], shown["entries"][0]["number"]) == ("I", "1")
    published = call("opendata_vn_catalog_publish", people["reviewer"], id=catalog["id"],
                     document_number="12/QĐ-UBND", document_date="2031-01-15")
    assert published["state"] == "published"
    assert (published["document_number"], published["document_date"]) == ("12/QĐ-UBND", "2031-01-15")
    assert call("package_show", None, id=entry["package_id"])["private"] is False

    # every transition recorded with who, when and the comment
    history = _history(catalog["id"])
    actions = [(h["action"], h["user"]) for h in reversed(history)]
    assert actions == [
        ("catalog_create", people["reviewer"]), ("create", people["officer"]), ("submit", people["officer"]),
        ("return", people["reviewer"]), ("update", people["officer"]), ("submit", people["officer"]),
        ("approve", people["reviewer"]), ("catalog_approve", people["reviewer"]),
        ("catalog_publish", people["reviewer"]),
    ]
    assert all(h["created"] for h in history)
    assert next(h for h in history if h["action"] == "return")["comment"] == "Bổ sung mô tả các trường dữ liệu."
    assert "12/QĐ-UBND" in history[0]["comment"]

    # anonymous citizens read the published catalog and its entry
    public = call("opendata_vn_catalog_show", None, id=catalog["key"])
    assert [e["title"] for e in public["entries"]] == ["Danh sách trường học"]
    assert catalog["key"] in [c["key"] for c in call("opendata_vn_catalog_list", None, province="Thử Nghiệm")]


def test_published_catalog_is_frozen_but_data_is_not(people, new_catalog):
    catalog = new_catalog()
    entry = _propose(people, catalog, "Danh sách thư viện")
    call("opendata_vn_entry_submit", people["officer"], ids=[entry["id"]])
    call("opendata_vn_entry_approve", people["reviewer"], ids=[entry["id"]])
    call("opendata_vn_catalog_approve", people["reviewer"], id=catalog["id"])
    call("opendata_vn_catalog_publish", people["reviewer"], id=catalog["id"], document_number="5/QĐ-UBND",
         document_date="2031-02-01")

    for action, user, data in [
        ("opendata_vn_entry_update", "officer", {"id": entry["id"], "title": "Tên khác"}),
        ("opendata_vn_entry_withdraw", "officer", {"id": entry["id"]}),
        ("opendata_vn_entry_submit", "officer", {"ids": [entry["id"]]}),
        ("opendata_vn_entry_return", "reviewer", {"ids": [entry["id"]], "comment": "Sửa"}),
        ("opendata_vn_entry_approve", "reviewer", {"ids": [entry["id"]]}),
        ("opendata_vn_entry_create", "officer", {"catalog_id": catalog["id"], "owner_org": people["agency_a"]["id"],
                                                 **entry_fields("Mục mới")}),
        ("opendata_vn_catalog_approve", "reviewer", {"id": catalog["id"]}),
        ("opendata_vn_catalog_reopen", "reviewer", {"id": catalog["id"], "comment": "Mở lại"}),
        ("opendata_vn_catalog_publish", "reviewer", {"id": catalog["id"], "document_number": "6/QĐ",
                                                    "document_date": "2031-03-01"}),
    ]:
        with pytest.raises(tk.ValidationError):
            call(action, people[user], **data)

    # the agency keeps updating the dataset; the entry keeps the values as approved
    call("package_patch", people["officer"], id=entry["package_id"], title="Danh sách thư viện (cập nhật)")
    resource = call("resource_create", people["officer"], package_id=entry["package_id"], upload=xlsx_upload())
    assert resource["url_type"] == "upload"
    frozen = model.Session.get(CatalogEntry, entry["id"])
    model.Session.refresh(frozen)
    assert frozen.title == "Danh sách thư viện" and frozen.state == "approved"

    # later changes go through an amendment: a new draft catalog
    amendment = call("opendata_vn_catalog_amend", people["reviewer"], id=catalog["id"])
    assert (amendment["state"], amendment["kind"], amendment["amends_key"]) == ("draft", "amendment", catalog["key"])
    extra = _propose(people, amendment, "Danh sách nhà văn hóa")
    assert extra["state"] == "draft"
    assert [a["key"] for a in call("opendata_vn_catalog_show", people["reviewer"], id=catalog["id"])["amendments"]] \
        == [amendment["key"]]


def test_forbidden_transitions(people, new_catalog):
    catalog = new_catalog()
    entry = _propose(people, catalog, "Danh sách chợ")
    reviewer, officer = people["reviewer"], people["officer"]
    with pytest.raises(tk.ValidationError):   # approve a draft: it was never submitted
        call("opendata_vn_entry_approve", reviewer, ids=[entry["id"]])
    with pytest.raises(tk.ValidationError):   # return a draft
        call("opendata_vn_entry_return", reviewer, ids=[entry["id"]], comment="x")
    with pytest.raises(tk.ValidationError):   # catalog approval needs every entry approved
        call("opendata_vn_catalog_approve", reviewer, id=catalog["id"])
    with pytest.raises(tk.ValidationError):   # publish a draft catalog
        call("opendata_vn_catalog_publish", reviewer, id=catalog["id"], document_number="1/QĐ",
             document_date="2031-01-01")
    with pytest.raises(tk.ValidationError):   # amend a catalog that is not published
        call("opendata_vn_catalog_amend", reviewer, id=catalog["id"])
    call("opendata_vn_entry_submit", officer, ids=[entry["id"]])
    with pytest.raises(tk.ValidationError):   # submit twice
        call("opendata_vn_entry_submit", officer, ids=[entry["id"]])
    with pytest.raises(tk.ValidationError):   # update or withdraw while under review
        call("opendata_vn_entry_update", officer, id=entry["id"], title="Khác")
    with pytest.raises(tk.ValidationError):
        call("opendata_vn_entry_withdraw", officer, id=entry["id"])
    with pytest.raises(tk.ValidationError) as err:   # returning needs a comment
        call("opendata_vn_entry_return", reviewer, ids=[entry["id"]])
    assert "comment" in err.value.error_dict
    call("opendata_vn_entry_approve", reviewer, ids=[entry["id"]])
    with pytest.raises(tk.ValidationError):   # approve twice
        call("opendata_vn_entry_approve", reviewer, ids=[entry["id"]])
    with pytest.raises(tk.ValidationError):   # withdraw an approved entry
        call("opendata_vn_entry_withdraw", officer, id=entry["id"])
    # the reviewer may take an approval back while the catalog is a draft
    [back] = call("opendata_vn_entry_return", reviewer, ids=[entry["id"]], comment="Xem lại tần suất.")
    assert back["state"] == "returned"
    call("opendata_vn_entry_withdraw", officer, id=entry["id"])
    assert model.Session.get(CatalogEntry, entry["id"]) is None
    assert _history(catalog["id"])[0]["action"] == "withdraw"

    approved = _propose(people, catalog, "Danh sách bến xe")
    call("opendata_vn_entry_submit", officer, ids=[approved["id"]])
    call("opendata_vn_entry_approve", reviewer, ids=[approved["id"]])
    call("opendata_vn_catalog_approve", reviewer, id=catalog["id"])
    with pytest.raises(tk.ValidationError):   # reopening needs a reason
        call("opendata_vn_catalog_reopen", reviewer, id=catalog["id"])
    with pytest.raises(tk.ValidationError) as err:   # the decision number and a real date are required
        call("opendata_vn_catalog_publish", reviewer, id=catalog["id"], document_number="", document_date="15/01/2031")
    assert set(err.value.error_dict) == {"document_number", "document_date"}
    reopened = call("opendata_vn_catalog_reopen", reviewer, id=catalog["id"], comment="UBND tỉnh yêu cầu bổ sung.")
    assert reopened["state"] == "draft"


def test_submit_requires_every_catalog_field(people, new_catalog):
    catalog = new_catalog()
    entry = call("opendata_vn_entry_create", people["officer"], catalog_id=catalog["id"],
                 owner_org=people["agency_a"]["id"], title="Danh sách nhà thuốc", theme="y-te")
    with pytest.raises(tk.ValidationError) as err:
        call("opendata_vn_entry_submit", people["officer"], ids=[entry["id"]])
    message = " ".join(err.value.error_dict["entries"])
    for label in ("Mô tả", "Ngày cung cấp lần đầu", "Tần suất cung cấp", "Nguồn cơ sở dữ liệu"):
        assert label in message
    assert model.Session.get(CatalogEntry, entry["id"]).state == "draft"


def test_copy_last_years_catalog(people, new_catalog):
    first = new_catalog(2032)
    entry = _propose(people, first, "Danh sách cơ sở y tế", theme="y-te")
    copied = call("opendata_vn_catalog_create", people["reviewer"], province="Thử Nghiệm", year=2033,
                  key=f"{first['key']}-next", copy_from=first["key"])
    [again] = copied["entries"]
    assert (again["package_id"], again["state"], again["title"]) == (entry["package_id"], "draft",
                                                                    "Danh sách cơ sở y tế")
    with pytest.raises(tk.ValidationError):  # the same dataset only once per catalog
        call("opendata_vn_entry_create", people["officer"], catalog_id=copied["id"], package_id=entry["package_id"])


def test_proposals_stay_private_until_published(people, new_catalog):
    catalog = new_catalog()
    entry = _propose(people, catalog, "Danh sách điểm wifi công cộng")
    pid = entry["package_id"]
    # the agency and the IT reviewers read it; another agency and citizens do not
    assert call("package_show", people["officer"], id=pid)["private"] is True
    assert call("package_show", people["reviewer"], id=pid)["id"] == pid
    for user in (people["other_officer"], None):
        with pytest.raises(tk.NotAuthorized):
            call("package_show", user, id=pid)
    # reviewers find it in search through the permission label (include_private)
    found = call("package_search", people["reviewer"], q=f"id:{pid}", include_private=True)
    assert found["count"] == 1
    assert call("package_search", people["other_officer"], q=f"id:{pid}", include_private=True)["count"] == 0
    # the officer cannot make a pending proposal public on their own
    with pytest.raises(tk.NotAuthorized):
        call("package_patch", people["officer"], id=pid, private=False)
    # officers see only their own agency's entries of a draft catalog
    _propose(people, catalog, "Danh sách cầu", agency="agency_b", officer="other_officer")
    seen_by_b = call("opendata_vn_catalog_show", people["other_officer"], id=catalog["id"])
    assert [e["title"] for e in seen_by_b["entries"]] == ["Danh sách cầu"]
    assert len(call("opendata_vn_catalog_show", people["reviewer"], id=catalog["id"])["entries"]) == 2
    with pytest.raises(tk.NotAuthorized):
        call("opendata_vn_catalog_show", None, id=catalog["id"])
    assert catalog["key"] not in [c["key"] for c in call("opendata_vn_catalog_list", None)]


def test_confirm_records_review(people, new_catalog):
    catalog = new_catalog()
    entry = _propose(people, catalog, "Danh sách nhà trọ")
    event = call("opendata_vn_data_confirm", people["officer"], package_id=entry["package_id"],
                 comment="Dữ liệu không thay đổi.")
    assert (event["action"], event["user"]) == ("confirm", people["officer"])
    with pytest.raises(tk.NotAuthorized):
        call("opendata_vn_data_confirm", people["other_officer"], package_id=entry["package_id"])


def test_loaded_catalogs_are_published_and_approved():
    """Catalogs loaded from documents (seeds, workbook import) keep the defaults: the
    migration's server defaults and the model agree."""
    catalog = Catalog(key="thu-nghiem-defaults", province="Thử Nghiệm", year=2030, title="Danh mục thử")
    model.Session.add(catalog)
    model.Session.flush()
    assert catalog.state == "published"
    model.Session.rollback()
