"""Problem reports and ratings on every dataset; the owning agency and IT staff see,
answer and close reports; contact details never public (issue #6, point 6)."""
from __future__ import annotations

from tests.support.feedback import api, fresh_address

EMAIL = "nguoi.dan@example.vn"


def _report(client, dataset, address, **data):
    body = {"package_id": dataset["name"], "category": "outdated",
            "message": "Số liệu năm 2024 chưa được cập nhật, vẫn là của năm 2022.",
            "contact_name": "Nguyễn Thị Hoa", "contact_email": EMAIL, **data}
    return api(client, "opendata_vn_feedback_create", body, address)


def test_anyone_reports_a_problem_without_seeing_contacts_back(client, dataset, address):
    status, body = _report(client, dataset, address)
    assert status == 200, body
    result = body["result"]
    assert result["state"] == "open" and result["category"] == "outdated"
    assert "contact_email" not in result and "contact_name" not in result
    assert EMAIL not in str(body)


def test_report_is_validated(client, dataset, address):
    status, body = _report(client, dataset, address, message="sai", category="nonsense",
                           contact_email="not-an-email")
    assert status == 409
    assert set(body["error"]) >= {"message", "category", "contact_email"}
    status, body = api(client, "opendata_vn_feedback_create",
                       {"package_id": "khong-co", "message": "Không có tập dữ liệu này."}, address)
    assert status == 404


def test_only_the_agency_and_it_staff_see_and_answer(client, agency, other_agency, dataset, it_staff, address):
    _status, body = _report(client, dataset, address)
    fid = body["result"]["id"]

    status, _ = api(client, "opendata_vn_feedback_list", {}, address)
    assert status == 403, "anonymous"
    status, body = api(client, "opendata_vn_feedback_list", {}, token=other_agency["officer"]["token"])
    assert status == 200 and fid not in [f["id"] for f in body["result"]["results"]]
    status, _ = api(client, "opendata_vn_feedback_update", {"id": fid, "reply": "Không phải việc của tôi"},
                    token=other_agency["officer"]["token"])
    assert status == 403
    status, _ = api(client, "opendata_vn_feedback_list", {}, token=agency["outsider"]["token"])
    assert status == 403, "a user of no agency"

    for who in (agency["officer"], it_staff):
        status, body = api(client, "opendata_vn_feedback_list", {"package_id": dataset["id"]}, token=who["token"])
        mine = next(f for f in body["result"]["results"] if f["id"] == fid)
        assert mine["contact_email"] == EMAIL and mine["contact_name"] == "Nguyễn Thị Hoa"

    status, body = api(client, "opendata_vn_feedback_update",
                       {"id": fid, "reply": "Đã cập nhật số liệu năm 2024."}, token=agency["officer"]["token"])
    assert status == 200 and body["result"]["state"] == "answered"
    assert body["result"]["replied_by"] == agency["officer"]["name"]
    status, body = api(client, "opendata_vn_feedback_update", {"id": fid, "state": "closed"},
                       token=it_staff["token"])
    assert status == 200 and body["result"]["state"] == "closed"
    assert body["result"]["reply"] == "Đã cập nhật số liệu năm 2024."


def test_rating_one_score_per_visitor(client, agency, address):
    from tests.support.portal import make_dataset
    ds = make_dataset(agency["org"], datastore=False)
    status, body = api(client, "opendata_vn_rating_create", {"package_id": ds["id"], "score": 4}, address)
    assert status == 200 and body["result"] == {"package_id": ds["id"], "average": 4.0, "count": 1, "your_score": 4}
    # the same visitor changes their mind: still one rating
    _s, body = api(client, "opendata_vn_rating_create", {"package_id": ds["id"], "score": 2}, address)
    assert body["result"]["count"] == 1 and body["result"]["average"] == 2.0
    other = fresh_address()
    _s, body = api(client, "opendata_vn_rating_create", {"package_id": ds["id"], "score": 5}, other)
    assert body["result"]["count"] == 2 and body["result"]["average"] == 3.5
    # a logged-in user rates as themself, wherever they are
    _s, body = api(client, "opendata_vn_rating_create", {"package_id": ds["id"], "score": 3},
                   address, token=agency["outsider"]["token"])
    assert body["result"]["count"] == 3
    status, body = api(client, "opendata_vn_rating_create", {"package_id": ds["id"], "score": 6}, address)
    assert status == 409
    res = client.get(f"/api/3/action/opendata_vn_rating_show?package_id={ds['name']}",
                     environ_base={"REMOTE_ADDR": other}).json["result"]
    assert res["count"] == 3 and res["your_score"] == 5


def test_private_dataset_takes_no_feedback_from_outsiders(client, agency, address):
    from tests.support.portal import make_dataset
    ds = make_dataset(agency["org"], datastore=False, private=True)
    status, _ = _report(client, ds, address)
    assert status == 403
    status, _ = api(client, "opendata_vn_rating_create", {"package_id": ds["id"], "score": 5}, address)
    assert status == 403
