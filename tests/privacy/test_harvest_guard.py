"""Harvest arrival paths (Excel and API): a table with personal columns is held back —
no resource, no DataStore table, nothing in search or DCAT — until an IT reviewer
decides; each decision publishes the right CSV, JSON and DataStore table; a later
harvest is covered by the decision unless it adds a new personal column."""
from __future__ import annotations

import json

import pytest

import ckan.plugins.toolkit as tk
from ckan.tests import helpers

from ckanext.opendata_vn.harvest.publish import has_all_resources
from ckanext.opendata_vn.privacy import staging
from tests.support.privacy import (PEOPLE, RAW_VALUES, REVIEWER, SCHOOLS, call, create_source, datastore, dataset_ttl,
                                   decide, harvested, indexed, json_of, make_dataset, reviews_of, run_job, show,
                                   source_status, stored_file, table_of, xlsx)

pytestmark = pytest.mark.ckan_config("ckanext.opendata_vn.reviewers", REVIEWER)


def _held(pkg_id: str) -> dict:
    pending = reviews_of(pkg_id, "pending")
    assert len(pending) == 1, pending
    return pending[0]


def test_excel_harvest_is_held_then_published_without_the_personal_columns(
        http_server, agency, reviewer, client, unique):
    dataset = make_dataset(agency)
    url = http_server.add(f"/{unique}/van-bang.xlsx", xlsx(PEOPLE))
    source = create_source(dataset, url)
    run_job(source["id"])

    # held: nothing published, the run says why, the table waits with masked examples
    status = source_status(source["id"])
    assert status["last_result"] == "held", status["last_job"]
    assert status["personal_columns"] == ["Họ và tên", "Ngày sinh"]
    assert any("chờ cán bộ Sở quyết định" in line["vi"] for line in status["last_job"]["log"])
    pkg = show(dataset["id"])
    assert pkg["resources"] == [] and pkg.get("publication_status") != "published"
    review = _held(dataset["id"])
    assert review["origin"] == "harvest" and review["source_key"] == source["id"]
    found = {f["column"]: f for f in review["findings"]}
    assert found["Họ và tên"]["kind"] == "name" and found["Ngày sinh"]["kind"] == "birth_date"
    assert found["Họ và tên"]["examples"][0] == "N***** V** A*"
    assert found["Ngày sinh"]["examples"][0] == "**/**/1990"
    shown = json.dumps(review, ensure_ascii=False)
    assert not any(v in shown for v in RAW_VALUES), "only masked examples leave the staging area"
    assert staging.exists(review["id"]) and review["row_count"] == 3
    # not in search, DCAT or the public API
    assert not any(v in json.dumps(indexed(dataset["id"]), ensure_ascii=False, default=str) for v in RAW_VALUES)
    assert "downloadURL" not in dataset_ttl(client, dataset["name"])
    # the same content again: still one pending table, no duplicate
    http_server.route(url).body = xlsx(PEOPLE)
    run_job(source["id"])
    assert len(reviews_of(dataset["id"], "pending")) == 1

    # an officer may not decide; the reviewer removes the two columns
    with pytest.raises(tk.NotAuthorized):
        decide(review["id"], "remove", "Bỏ họ tên, ngày sinh", user=agency["officer"]["name"])
    with pytest.raises(tk.ValidationError):
        decide(review["id"], "remove", "   ")             # why is recorded: a reason is required
    done = decide(review["id"], "remove", "Chỉ công bố số hiệu văn bằng và xếp loại (NĐ 13/2023, Điều 17)")
    assert done["state"] == "reduced" and done["decided_by"] == REVIEWER and done["decided_at"]
    assert done["decided_columns"] == ["Họ và tên", "Ngày sinh"]
    assert not staging.exists(review["id"]), "the staged personal data is deleted once decided"

    pkg = show(dataset["id"])
    res = harvested(pkg, source["id"])
    assert set(res) == {"csv", "json"}, "the original workbook (with the names) is not published"
    header = ["STT", "Số hiệu văn bằng", "Xếp loại"]
    assert table_of(stored_file(res["csv"]["id"]))[0] == header
    records = json_of(stored_file(res["json"]["id"]))
    assert list(records[0]) == header and records[1]["Xếp loại"] == "Giỏi"
    rows = datastore(res["csv"]["id"], user=agency["outsider"]["name"])
    assert [f["id"] for f in rows["fields"] if not f["id"].startswith("_")] == header
    everything = json.dumps([stored_file(res["csv"]["id"]).decode(), records, rows["records"],
                             indexed(dataset["id"])], ensure_ascii=False, default=str)
    assert not any(v in everything for v in RAW_VALUES)
    page = client.get(f"/dataset/{dataset['name']}").get_data(as_text=True)
    assert "A 012346" in page and not any(v in page for v in RAW_VALUES), "the preview shows the reduced table"
    ttl = dataset_ttl(client, dataset["name"])
    assert res["csv"]["id"] in ttl and "downloadURL" in ttl
    assert has_all_resources(dataset["id"], source["id"]), "the withheld original is not missing"

    # a later harvest with the same columns: the decision covers it, no new review
    more = PEOPLE + [[4, "Phạm Thị Dung", "01/01/1995", "A 012348", "Khá"]]
    http_server.route(url).body = xlsx(more)
    run_job(source["id"])
    assert reviews_of(dataset["id"], "pending") == []
    res = harvested(show(dataset["id"]), source["id"])
    assert set(res) == {"csv", "json"}
    table = table_of(stored_file(res["csv"]["id"]))
    assert table[0] == header and len(table) == 5 and "Phạm Thị Dung" not in str(table)

    # a new personal column: held again, the published (reduced) data untouched
    with_id = [r + [c] for r, c in zip(more, ["Số CCCD", "001090000001", "001088000002", "001092000003",
                                              "001095000004"])]
    http_server.route(url).body = xlsx(with_id)
    helpers.call_action("opendata_vn_harvest_source_update", context={"user": agency["officer"]["name"]},
                        id=source["id"], allow_column_changes="true")
    run_job(source["id"])
    again = _held(dataset["id"])
    assert "Số CCCD" in again["flagged_columns"]
    assert source_status(source["id"])["last_result"] == "held"
    assert table_of(stored_file(res["csv"]["id"])) == table


def test_api_harvest_masked_columns(http_server, agency, reviewer, unique):
    dataset = make_dataset(agency, "Danh sách chủ cơ sở kinh doanh trò chơi điện tử")
    records = [{"ten_co_so": f"Cửa hàng {i}", "chu_co_so": {"ho_ten": name}, "dien_thoai": phone,
                "email": f"chu{i}@example.vn", "xa": "Xã A"}
               for i, (name, phone) in enumerate([("Nguyễn Văn An", "0912345678"), ("Trần Thị Bình", "0987654321")])]
    url = http_server.add(f"/{unique}/co-so", json.dumps({"data": records}).encode(),
                          headers={"Content-Type": "application/json"})
    source = create_source(dataset, url, source_type="vn_api", records_path="data")
    run_job(source["id"])
    review = _held(dataset["id"])
    kinds = {f["column"]: f["kind"] for f in review["findings"]}
    assert kinds == {"chu_co_so.ho_ten": "name", "dien_thoai": "phone", "email": "email"}
    assert harvested(show(dataset["id"]), source["id"]) == {}

    decide(review["id"], "mask", "Công khai cơ sở, che thông tin chủ cơ sở")
    res = harvested(show(dataset["id"]), source["id"])
    assert set(res) == {"csv", "json"}
    table = table_of(stored_file(res["csv"]["id"]))
    assert table[0] == ["ten_co_so", "chu_co_so.ho_ten", "dien_thoai", "email", "xa"]
    assert table[1] == ["Cửa hàng 0", "N***** V** A*", "09******78", "c***@example.vn", "Xã A"]
    data = json_of(stored_file(res["json"]["id"]))
    assert data[1]["dien_thoai"] == "09******21" and data[1]["chu_co_so.ho_ten"] == "T*** T** B***"
    ds = datastore(res["csv"]["id"])
    assert ds["records"][0]["email"] == "c***@example.vn"
    blob = json.dumps([table, data, ds["records"]], ensure_ascii=False)
    assert "0912345678" not in blob and "Nguyễn Văn An" not in blob and "chu0@example.vn" not in blob


def test_publish_as_is_with_legal_basis_then_a_new_personal_column_is_flagged_again(
        http_server, agency, reviewer, unique):
    dataset = make_dataset(agency, "Danh sách đấu giá viên")
    rows = [["Họ và tên", "Năm sinh", "Tổ chức hành nghề"], ["Nguyễn Văn An", 1970, "Công ty Đấu giá A"]]
    url = http_server.add(f"/{unique}/dau-gia-vien.xlsx", xlsx(rows))
    source = create_source(dataset, url)
    run_job(source["id"])
    review = _held(dataset["id"])
    with pytest.raises(tk.ValidationError) as err:
        decide(review["id"], "publish", "")
    assert "reason" in err.value.error_dict
    basis = "Luật Đấu giá tài sản 2016, Điều 14: danh sách đấu giá viên được công khai"
    done = decide(review["id"], "publish", basis)
    assert done["state"] == "published" and done["reason"] == basis and done["decided_columns"] == []
    res = harvested(show(dataset["id"]), source["id"])
    assert set(res) == {"original", "csv", "json"}
    assert table_of(stored_file(res["csv"]["id"]))[1] == ["Nguyễn Văn An", "1970", "Công ty Đấu giá A"]
    assert datastore(res["csv"]["id"])["records"][0]["Họ và tên"] == "Nguyễn Văn An"

    # new rows, same columns: published at once
    rows.append(["Trần Thị Bình", 1980, "Công ty Đấu giá B"])
    http_server.route(url).body = xlsx(rows)
    run_job(source["id"])
    assert reviews_of(dataset["id"], "pending") == []
    assert len(table_of(stored_file(harvested(show(dataset["id"]), source["id"])["csv"]["id"]))) == 3

    # a new personal column, even after "publish as is": flagged again
    rows2 = [r + [c] for r, c in zip(rows, ["Địa chỉ thường trú", "Xã A, huyện B", "Xã C, huyện D"])]
    http_server.route(url).body = xlsx(rows2)
    helpers.call_action("opendata_vn_harvest_source_update", context={"user": agency["officer"]["name"]},
                        id=source["id"], allow_column_changes="true")
    run_job(source["id"])
    again = _held(dataset["id"])
    assert again["flagged_columns"] == ["Họ và tên", "Năm sinh", "Địa chỉ thường trú"]
    csv_now = stored_file(harvested(show(dataset["id"]), source["id"])["csv"]["id"]).decode()
    assert "Xã A, huyện B" not in csv_now

    # rejected; the agency drops the address column again (no "accept new columns"
    # needed): the approved columns are published at once
    decide(again["id"], "reject", "Không công khai địa chỉ thường trú.")
    run_job(source["id"])
    assert reviews_of(dataset["id"], "pending") == [], "the rejected table stays refused"
    rows.append(["Lê Văn Cường", 1985, "Công ty Đấu giá C"])
    http_server.route(url).body = xlsx(rows)
    run_job(source["id"])
    assert source_status(source["id"])["last_result"] == "updated"
    table = table_of(stored_file(harvested(show(dataset["id"]), source["id"])["csv"]["id"]))
    assert table[0] == ["Họ và tên", "Năm sinh", "Tổ chức hành nghề"] and len(table) == 4


def test_reject_notifies_the_agency_and_publishes_nothing(http_server, agency, reviewer, unique, smtp_server):
    dataset = make_dataset(agency, "Danh sách giám định viên tư pháp")
    rows = [["Họ tên", "Ngày sinh", "Nơi cư trú", "Lĩnh vực"],
            ["Nguyễn Văn An", "12/05/1970", "Xã A, huyện B", "Xây dựng"]]
    url = http_server.add(f"/{unique}/giam-dinh.xlsx", xlsx(rows))
    source = create_source(dataset, url)
    run_job(source["id"])
    review = _held(dataset["id"])
    comment = "Không có căn cứ công khai ngày sinh và nơi cư trú; đề nghị bỏ hai cột này."
    done = decide(review["id"], "reject", comment)
    assert done["state"] == "rejected" and done["reason"] == comment and done["decided_by"] == REVIEWER
    assert show(dataset["id"])["resources"] == []
    assert not staging.exists(review["id"])
    focal = agency["org"]["focal_officer_email"]
    recipients = {r for rcpt, _msg in smtp_server.messages for r in rcpt}
    assert focal in recipients and done["notified"].startswith("sent:")
    msg = next(m for rcpt, m in smtp_server.messages if focal in rcpt)
    body = msg.get_body(preferencelist=("plain",)).get_content()
    assert comment in body and "Nơi cư trú" in body and "Nguyễn Văn An" not in body
    assert dataset["title"] in msg["Subject"]
    # the same file again: stays rejected, no new review
    run_job(source["id"])
    assert reviews_of(dataset["id"], "pending") == []
    assert source_status(source["id"])["last_result"] in ("held", "unchanged")


def test_rejection_is_logged_without_mail(http_server, agency, reviewer, unique):
    """smtp.server is empty in tests: the notice is logged, and the record says so."""
    dataset = make_dataset(agency, "Danh sách chủ hộ")
    url = http_server.add(f"/{unique}/chu-ho.xlsx", xlsx([["Chủ hộ", "Số điện thoại"], ["Lê Văn Cường", "0912000111"]]))
    source = create_source(dataset, url)
    run_job(source["id"])
    review = _held(dataset["id"])
    done = decide(review["id"], "reject", "Không công khai số điện thoại cá nhân.")
    assert done["notified"].startswith("logged:")
    assert agency["org"]["focal_officer_email"] in done["notified"]


def test_ordinary_tables_are_published_without_review(http_server, agency, unique):
    """False positives: "Tên trường", "Tên tuyến", "Địa chỉ" of a school are no person's data."""
    dataset = make_dataset(agency, "Danh sách trường học")
    url = http_server.add(f"/{unique}/truong.xlsx", xlsx(SCHOOLS))
    source = create_source(dataset, url)
    run_job(source["id"])
    status = source_status(source["id"])
    assert status["last_result"] == "updated" and status["personal_columns"] == []
    assert set(harvested(show(dataset["id"]), source["id"])) == {"original", "csv", "json"}
    assert reviews_of(dataset["id"]) == []
