"""Officers' uploads (API and web form, new resource or replaced file): a table with
personal columns is saved without its data — no file in storage, no download, no
DataStore access, no preview, nothing in search or DCAT — until an IT reviewer
decides; each decision publishes the right files."""
from __future__ import annotations

import io
import json
import os
import re

import pytest

import ckan.plugins.toolkit as tk
from ckan.tests import helpers

from ckanext.opendata_vn.harvest.publish import storage_path
from tests.support.privacy import (PEOPLE, RAW_VALUES, REVIEWER, SCHOOLS, call, create_source, csv_bytes, datastore,
                                   dataset_ttl, decide, file_storage, harvested, indexed, json_of, make_dataset,
                                   reviews_of, run_job, show, stored_file, table_of, xlsx)
from tests.support.loader import login

pytestmark = pytest.mark.ckan_config("ckanext.opendata_vn.reviewers", REVIEWER)
CSRF = re.compile(r'name="_csrf_token" value="([^"]+)"')


def _auth(user: dict) -> dict:
    return {"Authorization": user["token"]}


def _download(client, pkg_name: str, resource_id: str, user: dict | None = None):
    return client.get(f"/dataset/{pkg_name}/resource/{resource_id}/download", headers=_auth(user) if user else {},
                      follow_redirects=False)


def test_uploaded_csv_is_held_then_published_masked(agency, reviewer, client):
    dataset = make_dataset(agency)
    officer = agency["officer"]
    res = call("resource_create", officer["name"], package_id=dataset["id"], name="Danh sách cấp bằng 2024",
               upload=file_storage(csv_bytes(PEOPLE), "van-bang-2024.csv"))
    # saved without data
    assert res["url"] == "" and res["url_type"] in ("", None) and res["personal_data_status"] == "pending"
    assert not os.path.exists(storage_path(res["id"])), "the file never reached CKAN's storage"
    assert _download(client, dataset["name"], res["id"]).status_code == 403
    [review] = reviews_of(dataset["id"], "pending")
    assert review["origin"] == "upload" and review["resource_id"] == res["id"]
    assert review["created_by"] == officer["name"] and review["original_name"] == "van-bang-2024.csv"
    assert review["flagged_columns"] == ["Họ và tên", "Ngày sinh"]
    # the officer sees the review of their own dataset (masked); an outsider does not
    shown = call("opendata_vn_privacy_review_show", officer["name"], id=review["id"])
    assert shown["preview"]["rows"][0][1] == "N***** V** A*"
    with pytest.raises(tk.NotAuthorized):
        call("opendata_vn_privacy_review_show", agency["outsider"]["name"], id=review["id"])
    # nothing personal anywhere public; the staff see why there is no data
    anonymous = client.get(f"/dataset/{dataset['name']}").get_data(as_text=True)
    assert not any(v in anonymous for v in RAW_VALUES)
    assert "odvn-privacy-notice" not in anonymous and 'data-status="pending"' in anonymous
    staff = client.get(f"/dataset/{dataset['name']}", headers=_auth(officer)).get_data(as_text=True)
    assert "odvn-privacy-notice" in staff and "Họ và tên" in staff
    assert not any(v in json.dumps(indexed(dataset["id"]), ensure_ascii=False, default=str) for v in RAW_VALUES)
    found = helpers.call_action("package_search", context={"user": ""}, q="Trần Thị Bình")
    assert dataset["id"] not in [d["id"] for d in found["results"]]
    assert res["id"] not in dataset_ttl(client, dataset["name"])

    done = decide(review["id"], "mask", "Che họ tên, ngày sinh; giữ số hiệu văn bằng để tra cứu")
    assert done["state"] == "reduced" and done["decided_columns"] == ["Họ và tên", "Ngày sinh"]
    pkg = show(dataset["id"])
    mine = harvested(pkg, review["source_key"])
    assert set(mine) == {"csv", "json"} and mine["csv"]["id"] == res["id"], "the officer's resource holds the CSV"
    assert mine["csv"]["name"] == "Danh sách cấp bằng 2024" and mine["csv"]["personal_data_status"] == "reduced"
    table = table_of(stored_file(res["id"]))
    assert table[0] == PEOPLE[0] and table[1] == ["1", "N***** V** A*", "**/**/1990", "A 012345", "Khá"]
    assert json_of(stored_file(mine["json"]["id"]))[2]["Ngày sinh"] == "**/**/1992"
    rows = datastore(res["id"], user=agency["outsider"]["name"])["records"]
    assert rows[1]["Họ và tên"] == "T*** T** B***"
    got = _download(client, dataset["name"], res["id"])
    assert got.status_code == 200 and "N***** V** A*" in got.get_data(as_text=True)
    everything = got.get_data(as_text=True) + client.get(f"/dataset/{dataset['name']}").get_data(as_text=True)
    assert not any(v in everything for v in RAW_VALUES)
    assert res["id"] in dataset_ttl(client, dataset["name"])


def test_web_form_upload_is_held_then_published_as_is(agency, reviewer, client):
    dataset = make_dataset(agency, "Danh sách giám định viên")
    officer = login(client, agency["officer"])
    form = officer.get(f"/dataset/{dataset['name']}/resource/new").get_data(as_text=True)
    body = xlsx(PEOPLE)
    answer = officer.post(f"/dataset/{dataset['name']}/resource/new", follow_redirects=False,
                          content_type="multipart/form-data", data={
                              "_csrf_token": CSRF.search(form).group(1), "name": "Giám định viên",
                              "upload": (io.BytesIO(body), "giam-dinh-vien.xlsx"), "url": "giam-dinh-vien.xlsx",
                              "save": "go-metadata", "id": ""})
    assert answer.status_code == 302, answer.get_data(as_text=True)[:500]
    [res] = show(dataset["id"])["resources"]
    assert res["personal_data_status"] == "pending" and res["url"] == "" and res["format"] == "XLSX"
    [review] = reviews_of(dataset["id"], "pending")
    assert review["original_format"] == "XLSX"

    decide(review["id"], "publish", "Nghị định 13/2023, Điều 17: công khai theo quy định pháp luật chuyên ngành")
    pkg = show(dataset["id"])
    mine = harvested(pkg, review["source_key"])
    assert set(mine) == {"original", "csv", "json"} and mine["original"]["id"] == res["id"]
    assert stored_file(res["id"]) == body, "the uploaded workbook itself is published"
    assert _download(client, dataset["name"], res["id"]).status_code == 200
    assert table_of(stored_file(mine["csv"]["id"]))[1][1] == "Nguyễn Văn An"


def test_replacing_a_file_with_personal_data_hides_the_resource_and_its_datastore(
        http_server, agency, reviewer, client, unique):
    """A harvested CSV resource (in the DataStore) replaced by an upload with personal data."""
    dataset = make_dataset(agency, "Danh sách trường học")
    url = http_server.add(f"/{unique}/truong.xlsx", xlsx(SCHOOLS))
    source = create_source(dataset, url)
    run_job(source["id"])
    csv_res = harvested(show(dataset["id"]), source["id"])["csv"]
    outsider = agency["outsider"]
    assert datastore(csv_res["id"], user=outsider["name"])["total"] == 2

    updated = call("resource_update", agency["officer"]["name"], id=csv_res["id"], name=csv_res["name"],
                   upload=file_storage(csv_bytes(PEOPLE), "danh-sach.csv"))
    assert updated["personal_data_status"] == "pending" and updated["url"] == ""
    assert not os.path.exists(storage_path(csv_res["id"])), "the earlier file is cleared"
    assert _download(client, dataset["name"], csv_res["id"]).status_code == 403
    for user in (outsider["name"], agency["officer"]["name"], ""):   # "": anonymous
        with pytest.raises(tk.NotAuthorized):
            helpers.call_action("datastore_search", context={"user": user, "ignore_auth": False},
                                resource_id=csv_res["id"])
    with pytest.raises(tk.NotAuthorized):
        helpers.call_action("datastore_search_sql", context={"user": outsider["name"], "ignore_auth": False},
                            sql=f'SELECT * FROM "{csv_res["id"]}"')
    assert client.get(f"/datastore/dump/{csv_res['id']}").status_code in (403, 404)
    assert datastore(csv_res["id"], user=REVIEWER)["total"] == 2, "IT reviewers still read it"
    page = client.get(f"/dataset/{dataset['name']}").get_data(as_text=True)
    assert "Trường THCS Lê Lợi" not in page, "no preview of a held-back resource"
    assert csv_res["id"] not in dataset_ttl(client, dataset["name"])
    [review] = reviews_of(dataset["id"], "pending")
    assert review["resource_id"] == csv_res["id"]


def test_ordinary_upload_is_stored_as_usual(agency, client):
    dataset = make_dataset(agency, "Danh sách tuyến xe buýt")
    rows = [["Tên tuyến", "Điểm đầu", "Điểm cuối", "Giá vé"], ["Tuyến 01", "Bến xe Bắc Giang", "Chũ", "15.000"]]
    res = call("resource_create", agency["officer"]["name"], package_id=dataset["id"],
               upload=file_storage(csv_bytes(rows), "tuyen-xe.csv"))
    assert res["url_type"] == "upload" and "personal_data_status" not in res
    assert os.path.exists(storage_path(res["id"]))
    assert _download(client, dataset["name"], res["id"]).status_code == 200
    assert reviews_of(dataset["id"]) == []


def test_editing_a_held_back_resource_keeps_it_held_until_new_data_replaces_it(agency, reviewer, client):
    dataset = make_dataset(agency, "Danh sách chủ cơ sở")
    officer = agency["officer"]["name"]
    res = call("resource_create", officer, package_id=dataset["id"],
               upload=file_storage(csv_bytes(PEOPLE), "chu-co-so.csv"))
    # a metadata edit (the web form sends no extras back) does not release it
    edited = call("resource_update", officer, id=res["id"], name="Chủ cơ sở (sửa tên)", url="", format="CSV")
    assert edited["personal_data_status"] == "pending" and edited["url"] == ""
    assert _download(client, dataset["name"], res["id"]).status_code == 403
    [review] = reviews_of(dataset["id"], "pending")
    # a file without personal columns replaces the table waiting for review
    clean = call("resource_update", officer, id=res["id"], name="Chủ cơ sở",
                 upload=file_storage(csv_bytes(SCHOOLS), "co-so.csv"))
    assert "personal_data_status" not in clean and clean["url_type"] == "upload"
    assert _download(client, dataset["name"], res["id"]).status_code == 200
    assert reviews_of(dataset["id"], "pending") == []
    assert reviews_of(dataset["id"], "superseded")[0]["id"] == review["id"]
