"""«Xem trước» on the harvest source form: the agency's file is read now with the
form's settings and shown (rows as read, header, types, what was ignored and why,
personal data); nothing is saved; the officer changes the header row and sees it again."""
from __future__ import annotations

import pytest

import ckan.plugins.toolkit as tk
from ckan.tests import factories, helpers

from tests.support.corpus import CASES
from tests.support.harvest import xlsx_bytes

PRICE_LIST = next(c for c in CASES if c.name == "bang-gia-son-la.xlsx")


def _token(user) -> dict:
    return {"Authorization": factories.APIToken(user=user["name"])["token"]}


def _sources(dataset) -> list:
    return helpers.call_action("opendata_vn_harvest_source_list", dataset_id=dataset["id"])


def test_preview_shows_the_reading_and_saves_nothing(app, http_server, agency, dataset, unique):
    url = http_server.add(f"/{unique}/{PRICE_LIST.name}", PRICE_LIST.content)
    page = f"/dataset/{dataset['name']}/nguon-du-lieu"
    officer = _token(agency["officer"])
    form = app.get(page, headers=officer).get_data(as_text=True)
    assert 'formaction="/dataset/' in form and "Xem trước" in form
    res = app.post(f"{page}/xem-truoc", headers=officer, data={"source_type": "vn_excel", "url": url})
    body = res.get_data(as_text=True)
    assert res.status_code == 200, body[-2000:]
    assert "Gạo tẻ thường" in body and "15250.5" in body and "numeric" in body
    assert "dòng 15: dòng tổng cộng, không phải dữ liệu" in body
    assert "dòng 18–21: khối chữ ký, bỏ qua" in body
    assert "Lò Văn Hùng" not in body.split("harvest-source-preview", 1)[1].split("</table>", 1)[0]
    assert f'value="{url}"' in body                         # the form keeps what was typed
    assert _sources(dataset) == []

    # the officer chooses another header row and sees the file read that way
    again = app.post(f"{page}/xem-truoc", headers=officer, data={"source_type": "vn_excel", "url": url,
                                                                "header_row": "8"})
    text = again.get_data(as_text=True)
    assert again.status_code == 200 and "dòng tiêu đề 8" in text, text[-1500:]
    assert _sources(dataset) == []


def test_preview_names_personal_data(http_server, agency, dataset, unique):
    rows = [["Họ và tên", "Số điện thoại", "Xã"], ["Nguyễn Văn An", "0912345678", "Chiềng Lề"]]
    url = http_server.add(f"/{unique}/ca-nhan.xlsx", xlsx_bytes(rows))
    shown = helpers.call_action("opendata_vn_harvest_source_preview",
                                context={"user": agency["officer"]["name"], "ignore_auth": False},
                                dataset_id=dataset["id"], url=url)
    assert shown["row_count"] == 1 and [c["name"] for c in shown["columns"]] == ["Họ và tên", "Số điện thoại", "Xã"]
    assert {f["column"]: f["kind"] for f in shown["findings"]} == {"Họ và tên": "name", "Số điện thoại": "phone"}
    assert "Nguyễn Văn An" not in str(shown["findings"])     # masked examples only


def test_preview_is_for_the_agency_only(app, http_server, dataset, unique):
    url = http_server.add(f"/{unique}/x.xlsx", PRICE_LIST.content)
    outsider = factories.User()
    with pytest.raises(tk.NotAuthorized):
        helpers.call_action("opendata_vn_harvest_source_preview",
                            context={"user": outsider["name"], "ignore_auth": False},
                            dataset_id=dataset["id"], url=url)
    res = app.post(f"/dataset/{dataset['name']}/nguon-du-lieu/xem-truoc", headers=_token(outsider),
                   data={"source_type": "vn_excel", "url": url})
    assert res.status_code == 403


def test_preview_of_a_missing_file_says_so(app, http_server, agency, dataset, unique):
    res = app.post(f"/dataset/{dataset['name']}/nguon-du-lieu/xem-truoc", headers=_token(agency["officer"]),
                   data={"source_type": "vn_excel", "url": f"{http_server.base}/{unique}/khong-co.xlsx"})
    assert res.status_code == 400 and "404" in res.get_data(as_text=True)
