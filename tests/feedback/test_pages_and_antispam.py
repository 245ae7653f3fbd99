"""The feedback pages and the anti-spam measures: honeypot, per-address rate limit
(Redis), CSRF on the staff forms; the inbox of the agency and the IT staff."""
from __future__ import annotations

import uuid

from bs4 import BeautifulSoup

from ckan import model
from ckan.common import config
from ckan.tests import helpers

from ckanext.opendata_vn.feedback.model import DataRequest, Feedback
from tests.support.feedback import api, browser, fresh_address, token_from
from tests.support.portal import csrf_token


def _requests_titled(title: str) -> int:
    model.Session.remove()
    return model.Session.query(DataRequest).filter_by(title=title).count()


def test_request_form_creates_a_request(client, other_agency, address):
    visitor = browser(client)
    form = visitor.get("/yeu-cau-du-lieu/moi", environ_base={"REMOTE_ADDR": address})
    soup = BeautifulSoup(form.get_data(as_text=True), "html.parser")
    names = {i.get("name") for i in soup.select("form.odvn-request-form [name]")}
    assert {"title", "description", "reason", "organization", "contact_name", "contact_email",
            "contact_phone", "website", "_csrf_token"} <= names
    title = f"Danh sách chợ truyền thống {uuid.uuid4().hex[:6]}"
    res = visitor.post("/yeu-cau-du-lieu/moi", environ_base={"REMOTE_ADDR": address}, follow_redirects=False,
                       data={"title": title, "reason": "Nghiên cứu thị trường", "organization": other_agency["org"]["name"],
                            "contact_email": "ban.doc@example.vn", "website": "",
                            "_csrf_token": csrf_token(form.get_data(as_text=True))})
    assert res.status_code == 302 and "/yeu-cau-du-lieu/" in res.headers["Location"]
    assert _requests_titled(title) == 1


def test_request_form_shows_errors(client, address):
    visitor = browser(client)
    token = token_from(visitor, "/yeu-cau-du-lieu/moi", address)
    res = visitor.post("/yeu-cau-du-lieu/moi", environ_base={"REMOTE_ADDR": address},
                       data={"title": "Xe", "contact_email": "khong-phai-email", "_csrf_token": token})
    assert res.status_code == 400
    soup = BeautifulSoup(res.get_data(as_text=True), "html.parser")
    assert soup.select_one("#odvn-req-title")["aria-invalid"] == "true"
    assert "Quá ngắn" in soup.select_one("#odvn-req-title-error").get_text()
    assert soup.select_one("#odvn-req-email")["aria-invalid"] == "true"
    assert soup.select_one("#odvn-req-email")["value"] == "khong-phai-email", "what was typed is kept"


def test_honeypot_is_thanked_and_ignored(client, dataset, address):
    title = f"Quảng cáo vay tiền nhanh {uuid.uuid4().hex[:6]}"
    res = client.post("/yeu-cau-du-lieu/moi", environ_base={"REMOTE_ADDR": address}, follow_redirects=False,
                      data={"title": title, "website": "http://spam.example.com"})
    assert res.status_code == 302
    assert _requests_titled(title) == 0
    before = model.Session.query(Feedback).filter_by(package_id=dataset["id"]).count()
    res = client.post(f"/dataset/{dataset['name']}/phan-hoi", environ_base={"REMOTE_ADDR": address},
                      follow_redirects=False,
                      data={"message": "Mua hàng giá rẻ tại đây, liên hệ ngay", "website": "spam"})
    assert res.status_code == 302
    model.Session.remove()
    assert model.Session.query(Feedback).filter_by(package_id=dataset["id"]).count() == before


def test_rate_limit_per_address(client, dataset, monkeypatch):
    monkeypatch.setitem(config, "ckanext.opendata_vn.feedback_limits", "3/600")
    spammer, neighbour = fresh_address(), fresh_address()
    message = {"package_id": dataset["id"], "message": "Liên kết tải về không mở được."}
    for _i in range(3):
        status, _ = api(client, "opendata_vn_feedback_create", message, spammer)
        assert status == 200
    status, body = api(client, "opendata_vn_feedback_create", message, spammer)
    assert status == 409 and "rate_limit" in body["error"]
    # data requests share the same budget; the page says so with 429
    visitor = browser(client)
    token = token_from(visitor, "/yeu-cau-du-lieu/moi", spammer)
    res = visitor.post("/yeu-cau-du-lieu/moi", environ_base={"REMOTE_ADDR": spammer},
                       data={"title": "Danh sách bến xe khách", "_csrf_token": token})
    assert res.status_code == 429
    assert "quá nhiều lần" in res.get_data(as_text=True)
    status, _ = api(client, "opendata_vn_feedback_create", message, neighbour)
    assert status == 200, "another address is not limited"


def test_report_and_rating_from_the_dataset_page(client, agency, address):
    from tests.support.portal import make_dataset
    ds = make_dataset(agency["org"], datastore=False)
    visitor = browser(client)  # keeps the session (CSRF token) and the voter cookie
    page = visitor.get(f"/dataset/{ds['name']}", environ_base={"REMOTE_ADDR": address}).get_data(as_text=True)
    soup = BeautifulSoup(page, "html.parser")
    report = soup.select_one("form.odvn-report-form")
    assert report["action"] == f"/dataset/{ds['name']}/phan-hoi"
    assert report.find("input", attrs={"name": "website"})["tabindex"] == "-1"
    res = visitor.post(report["action"], environ_base={"REMOTE_ADDR": address}, follow_redirects=False,
                       data={"category": "wrong_data", "message": "Dòng 3 ghi sai tên xã.",
                             "_csrf_token": csrf_token(page)})
    assert res.status_code == 302 and res.headers["Location"].endswith(f"/dataset/{ds['name']}")
    rating = soup.select_one("form.odvn-rating")
    assert [i["value"] for i in rating.select("input[name=score]")] == ["1", "2", "3", "4", "5"]
    visitor.post(rating["action"], environ_base={"REMOTE_ADDR": address},
                 data={"score": "5", "_csrf_token": csrf_token(page)})
    again = BeautifulSoup(visitor.get(f"/dataset/{ds['name']}", environ_base={"REMOTE_ADDR": address})
                          .get_data(as_text=True), "html.parser")
    assert again.select_one("#odvn-score-5").has_attr("checked")
    assert "5/5 từ 1 lượt đánh giá" in again.select_one(".odvn-rating-summary").get_text()
    # the agency sees one report waiting, citizens don't
    officer_view = client.get(f"/dataset/{ds['name']}", headers={"Authorization": agency["officer"]["token"]})
    assert "1 phản hồi chờ xử lý" in officer_view.get_data(as_text=True)
    assert "phản hồi chờ xử lý" not in page


def test_inbox(client, agency, other_agency, dataset, address):
    api(client, "opendata_vn_feedback_create", {"package_id": dataset["id"], "message": "Thiếu cột số điện thoại trường.",
                                                "contact_email": "phu.huynh@example.vn"}, address)
    res = client.get("/phan-hoi", follow_redirects=False)
    assert res.status_code == 302 and "/user/login" in res.headers["Location"]
    assert client.get("/phan-hoi", headers={"Authorization": agency["outsider"]["token"]}).status_code == 403
    mine = client.get("/phan-hoi", headers={"Authorization": agency["officer"]["token"]}).get_data(as_text=True)
    assert "Thiếu cột số điện thoại trường." in mine and "phu.huynh@example.vn" in mine
    theirs = client.get("/phan-hoi", headers={"Authorization": other_agency["officer"]["token"]}).get_data(as_text=True)
    assert "Thiếu cột số điện thoại trường." not in theirs


def test_staff_forms_need_the_csrf_token(agency, dataset, address):
    """A logged-in (cookie) session must send the token; anonymous forms carry it too."""
    api_client = helpers._get_test_app()
    _s, body = api(api_client, "opendata_vn_feedback_create",
                   {"package_id": dataset["id"], "message": "Tệp PDF bị lỗi, không mở được."}, address)
    fid = body["result"]["id"]
    officer = browser(api_client)
    login = officer.get("/user/login").get_data(as_text=True)
    officer.post("/user/login", data={"login": agency["officer"]["name"], "password": "correct123",
                                      "_csrf_token": csrf_token(login)})
    inbox = officer.get("/phan-hoi")
    assert inbox.status_code == 200
    res = officer.post(f"/phan-hoi/{fid}/xu-ly", data={"reply": "Đã thay tệp.", "state": "answered"},
                       follow_redirects=False)
    assert res.status_code == 400
    res = officer.post(f"/phan-hoi/{fid}/xu-ly", follow_redirects=False, data={
        "reply": "Đã thay tệp.", "state": "answered", "_csrf_token": csrf_token(inbox.get_data(as_text=True))})
    assert res.status_code == 302
    model.Session.remove()
    assert model.Session.query(Feedback).get(fid).reply == "Đã thay tệp."


def test_people_behind_one_address_each_vote_once(client, address):
    """A mobile carrier's NAT puts many people behind one address: each browser gets its
    own voter cookie; the same browser voting again is counted once."""
    _s, body = api(client, "opendata_vn_data_request_create",
                   {"title": f"Lịch cắt điện theo xã {uuid.uuid4().hex[:6]}"}, fresh_address())
    rid = body["result"]["id"]
    first, second = browser(client), browser(client)
    tokens = {id(b): token_from(b, f"/yeu-cau-du-lieu/{rid}", address) for b in (first, second)}
    for visitor in (first, second, first):
        res = visitor.post(f"/yeu-cau-du-lieu/{rid}/binh-chon", environ_base={"REMOTE_ADDR": address},
                           data={"_csrf_token": tokens[id(visitor)]}, follow_redirects=False)
        assert res.status_code == 302
    shown = client.get(f"/api/3/action/opendata_vn_data_request_show?id={rid}").json["result"]
    assert shown["vote_count"] == 3, "the requester and two browsers"
    page = first.get(f"/yeu-cau-du-lieu/{rid}", environ_base={"REMOTE_ADDR": address}).get_data(as_text=True)
    assert "Đã bình chọn" in page
    stranger = client.get(f"/yeu-cau-du-lieu/{rid}", environ_base={"REMOTE_ADDR": address}).get_data(as_text=True)
    assert "Tôi cũng cần dữ liệu này" in stranger


def test_vote_redirects_only_within_the_portal(client, address):
    _s, body = api(client, "opendata_vn_data_request_create",
                   {"title": f"Danh sách cây xăng {uuid.uuid4().hex[:6]}"}, fresh_address())
    rid = body["result"]["id"]
    for evil in ("https://evil.example.com/", "//evil.example.com/", "/\\evil.example.com"):
        res = client.post(f"/yeu-cau-du-lieu/{rid}/binh-chon", data={"came_from": evil},
                          environ_base={"REMOTE_ADDR": fresh_address()}, follow_redirects=False)
        assert res.headers["Location"].endswith(f"/yeu-cau-du-lieu/{rid}"), evil


def test_anonymous_forms_need_the_csrf_token(client, dataset, address):
    """CKAN checks the token only for logged-in sessions; ours checks it for visitors too."""
    title = f"Danh sách điểm thu gom pin cũ {uuid.uuid4().hex[:6]}"
    visitor = browser(client)
    res = visitor.post("/yeu-cau-du-lieu/moi", environ_base={"REMOTE_ADDR": address}, data={"title": title})
    assert res.status_code == 400 and "Phiên làm việc đã hết hạn" in res.get_data(as_text=True)
    assert title in res.get_data(as_text=True), "what was typed is kept"
    assert _requests_titled(title) == 0
    res = visitor.post(f"/dataset/{dataset['name']}/phan-hoi", environ_base={"REMOTE_ADDR": address},
                       data={"message": "Cột ngày tháng ghi sai định dạng.", "_csrf_token": "forged"})
    assert res.status_code == 400
