"""Data requests: anyone asks (what, why, suggested agency, optional contact), others
vote, the suggested agency and IT staff answer and close, the most-wanted requests
come first (issue #6, point 6)."""
from __future__ import annotations

import uuid

from bs4 import BeautifulSoup

from tests.support.feedback import api, fresh_address

PHONE = "0912 345 678"
EMAIL = "doanh.nghiep@example.vn"


def _request(client, address, **data):
    body = {"title": f"Danh sách điểm trông giữ xe {uuid.uuid4().hex[:6]}",
            "description": "Địa chỉ, sức chứa, giá vé của các điểm trông giữ xe.",
            "reason": "Xây dựng ứng dụng tìm chỗ đỗ xe.", "contact_name": "Công ty Bản Đồ Số",
            "contact_email": EMAIL, "contact_phone": PHONE, **data}
    status, res = api(client, "opendata_vn_data_request_create", body, address)
    assert status == 200, res
    return res["result"]


def test_request_is_public_but_contacts_are_not(client, other_agency, address):
    req = _request(client, address, organization=other_agency["org"]["name"])
    assert req["vote_count"] == 1, "the requester's own vote"
    assert req["organization_name"] == other_agency["org"]["name"]
    shown = client.get(f"/api/3/action/opendata_vn_data_request_show?id={req['id']}").json["result"]
    listed = client.get("/api/3/action/opendata_vn_data_request_list?state=all&limit=200").json["result"]
    page = client.get(f"/yeu-cau-du-lieu/{req['id']}").get_data(as_text=True)
    listing = client.get("/yeu-cau-du-lieu?sort=newest").get_data(as_text=True)
    for public in (str(shown), str(listed), page, listing):
        assert EMAIL not in public and PHONE not in public and "Công ty Bản Đồ Số" not in public
    assert req["title"] in page and "Xây dựng ứng dụng tìm chỗ đỗ xe." in page
    # the suggested agency sees who asked
    managed = client.get(f"/yeu-cau-du-lieu/{req['id']}",
                         headers={"Authorization": other_agency["officer"]["token"]}).get_data(as_text=True)
    assert EMAIL in managed and PHONE in managed


def test_votes_once_per_visitor_and_most_wanted_first(client, address):
    low = _request(client, address, title=f"Lịch thu gom rác {uuid.uuid4().hex[:6]}")
    high = _request(client, fresh_address(), title=f"Giá đất năm 2025 {uuid.uuid4().hex[:6]}")
    first, second = fresh_address(), fresh_address()
    for voter in (first, second, second):  # the second one votes twice
        status, res = api(client, "opendata_vn_data_request_vote", {"id": high["id"]}, voter)
        assert status == 200 and res["result"]["voted"] is True
    _s, res = api(client, "opendata_vn_data_request_vote", {"id": high["id"]}, second)
    assert res["result"]["vote_count"] == 3
    wanted = client.get("/api/3/action/opendata_vn_data_request_most_wanted?limit=50").json["result"]
    ids = [r["id"] for r in wanted]
    assert ids.index(high["id"]) < ids.index(low["id"])
    assert all(wanted[i]["vote_count"] >= wanted[i + 1]["vote_count"] for i in range(len(wanted) - 1))
    assert all("contact_email" not in r for r in wanted)


def test_suggested_agency_and_it_staff_answer_and_close(client, agency, other_agency, dataset, it_staff, address):
    req = _request(client, address, organization=other_agency["org"]["id"])
    status, _ = api(client, "opendata_vn_data_request_update", {"id": req["id"], "reply": "Sẽ công bố."},
                    token=agency["officer"]["token"])
    assert status == 403, "another agency"
    status, res = api(client, "opendata_vn_data_request_update",
                      {"id": req["id"], "reply": "Sở sẽ công bố trong quý III."}, token=other_agency["officer"]["token"])
    assert status == 200 and res["result"]["state"] == "answered"
    status, res = api(client, "opendata_vn_data_request_update",
                      {"id": req["id"], "organization": agency["org"]["id"]}, token=other_agency["officer"]["token"])
    assert status == 409 and "organization" in res["error"], "only IT staff reassign"
    status, res = api(client, "opendata_vn_data_request_update",
                      {"id": req["id"], "organization": agency["org"]["id"]}, token=it_staff["token"])
    assert status == 200 and res["result"]["organization_id"] == agency["org"]["id"]
    status, res = api(client, "opendata_vn_data_request_update", {"id": req["id"], "state": "closed"},
                      token=agency["officer"]["token"])
    assert status == 409 and "close_reason" in res["error"]
    status, res = api(client, "opendata_vn_data_request_update",
                      {"id": req["id"], "state": "closed", "close_reason": "fulfilled", "package_id": dataset["name"]},
                      token=agency["officer"]["token"])
    assert status == 200 and res["result"]["package_name"] == dataset["name"]
    status, res = api(client, "opendata_vn_data_request_vote", {"id": req["id"]}, fresh_address())
    assert status == 409, "closed requests take no votes"
    page = client.get(f"/yeu-cau-du-lieu/{req['id']}").get_data(as_text=True)
    assert "Sở sẽ công bố trong quý III." in page and dataset["title"] in page


def test_spam_is_hidden_from_the_public(client, it_staff, address):
    req = _request(client, address, title=f"Mua thuốc giảm cân giá rẻ {uuid.uuid4().hex[:6]}")
    api(client, "opendata_vn_data_request_update", {"id": req["id"], "state": "closed", "close_reason": "spam"},
        token=it_staff["token"])
    assert client.get(f"/yeu-cau-du-lieu/{req['id']}").status_code == 404
    listed = client.get("/api/3/action/opendata_vn_data_request_list?state=all&limit=200").json["result"]
    assert req["id"] not in [r["id"] for r in listed["results"]]
    assert client.get(f"/yeu-cau-du-lieu/{req['id']}", headers={"Authorization": it_staff["token"]}).status_code == 200


def test_search_without_accents(client, address):
    req = _request(client, address, title=f"Danh sách nhà trọ cho công nhân {uuid.uuid4().hex[:6]}")
    found = client.get("/api/3/action/opendata_vn_data_request_list?q=nha%20tro%20cong%20nhan").json["result"]
    assert req["id"] in [r["id"] for r in found["results"]]


def test_most_wanted_snippet_on_the_it_dashboard(client, it_staff, address):
    req = _request(client, address, title=f"Danh sách trạm sạc xe điện {uuid.uuid4().hex[:6]}")
    for _i in range(30):
        api(client, "opendata_vn_data_request_vote", {"id": req["id"]}, fresh_address())
    res = client.get("/tuan-thu/quan-ly", headers={"Authorization": it_staff["token"]})
    assert res.status_code == 200
    soup = BeautifulSoup(res.get_data(as_text=True), "html.parser")
    section = soup.select_one("section.odvn-most-wanted")
    assert section is not None, "feedback_vn/snippets/most_wanted.html on the dashboard"
    first = section.select_one("ol li a")
    assert first["href"] == f"/yeu-cau-du-lieu/{req['id']}"
    assert EMAIL not in str(section)
