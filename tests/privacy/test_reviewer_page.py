"""The IT reviewers' page: everything waiting for a personal-data decision, oldest
first, with masked findings and a CSRF-protected decision form; for IT staff only.
And DCAT's catalog endpoint leaves held-back resources out."""
from __future__ import annotations

import re

import pytest

from ckan import model

from ckanext.opendata_vn.privacy.model import PrivacyReview
from tests.support.privacy import (PEOPLE, RAW_VALUES, REVIEWER, call, csv_bytes, decide, file_storage, make_dataset,
                                   reviews_of)
from tests.support.loader import login

pytestmark = pytest.mark.ckan_config("ckanext.opendata_vn.reviewers", REVIEWER)
CSRF = re.compile(r'name="_csrf_token" value="([^"]+)"')
PAGE = "/ckan-admin/du-lieu-ca-nhan"


@pytest.fixture
def waiting(agency):
    """Two uploads waiting, the first one older: fresh for each test, since tests
    decide them (in any order)."""
    out = []
    for title in ("Danh sách học viên tốt nghiệp", "Danh sách thí sinh"):
        dataset = make_dataset(agency, title)
        call("resource_create", agency["officer"]["name"], package_id=dataset["id"],
             upload=file_storage(csv_bytes(PEOPLE), "danh-sach.csv"))
        [review] = reviews_of(dataset["id"], "pending")
        out.append(review)
    return out


def test_only_it_staff_see_the_page(client, agency, reviewer, waiting):
    anonymous = client.get(PAGE, follow_redirects=False)
    assert anonymous.status_code == 302 and "/user/login" in anonymous.headers["Location"]
    assert client.get(PAGE, headers={"Authorization": agency["officer"]["token"]}).status_code == 403
    assert client.get(f"{PAGE}/{waiting[0]['id']}/du-lieu.csv",
                      headers={"Authorization": agency["officer"]["token"]}).status_code == 403
    staged = client.get(f"{PAGE}/{waiting[0]['id']}/du-lieu.csv", headers={"Authorization": reviewer["token"]})
    assert staged.status_code == 200 and "Nguyễn Văn An" in staged.get_data(as_text=True)
    assert "no-store" in staged.headers["Cache-Control"]


def test_waiting_tables_oldest_first_with_masked_findings(client, reviewer, waiting):
    body = client.get(PAGE, headers={"Authorization": reviewer["token"]}).get_data(as_text=True)
    first, second = (body.index(f'id="review-{r["id"]}"') for r in waiting)
    assert first < second, "oldest first"
    assert "N***** V** A*" in body and "**/**/1990" in body and "Họ tên cá nhân" in body
    assert not any(v in body for v in RAW_VALUES)
    assert body.count('name="_csrf_token"') >= len(waiting)


def test_decision_form_needs_the_csrf_token_and_records_the_decision(client, reviewer, waiting):
    review = waiting[1]
    browser = login(client, reviewer)
    page = browser.get(PAGE).get_data(as_text=True)
    form = {"decision": "remove", "reason": "Bỏ họ tên và ngày sinh thí sinh",
            "columns": ["Họ và tên", "Ngày sinh"]}
    refused = browser.post(f"{PAGE}/{review['id']}/quyet-dinh", data=form, follow_redirects=False)
    assert refused.status_code == 400
    done = browser.post(f"{PAGE}/{review['id']}/quyet-dinh", follow_redirects=False,
                        data=dict(form, _csrf_token=CSRF.search(page).group(1)))
    assert done.status_code == 302
    model.Session.remove()
    record = model.Session.get(PrivacyReview, review["id"])
    assert record.state == "reduced" and record.decided_by == REVIEWER and record.decided_at is not None
    assert record.reason == form["reason"] and record.decided_columns == ["Họ và tên", "Ngày sinh"]
    body = browser.get(PAGE).get_data(as_text=True)
    assert f'id="review-{review["id"]}"' not in body and form["reason"] in body
    # a second decision on the same table is refused
    again = browser.post(f"{PAGE}/{review['id']}/quyet-dinh", follow_redirects=True,
                         data=dict(form, _csrf_token=CSRF.search(body).group(1)))
    assert "đã được quyết định" in again.get_data(as_text=True)


def test_catalog_endpoint_leaves_held_back_resources_out(client, waiting):
    pkg = model.Package.get(waiting[0]["package_id"])
    ttl = client.get(f"/catalog.ttl?q=name:{pkg.name}").get_data(as_text=True)
    assert pkg.name in ttl and waiting[0]["resource_id"] not in ttl
    decide(waiting[0]["id"], "publish", "Quyết định công nhận tốt nghiệp được công khai theo quy chế")
    ttl = client.get(f"/dataset/{pkg.name}.ttl").get_data(as_text=True)
    assert waiting[0]["resource_id"] in ttl


def test_datasets_described_as_listing_people_with_unreviewed_data_are_listed(client, agency, reviewer):
    """Appendix import: the catalog description names personal data; a link (not a
    table the portal can check) was attached — the reviewers' page lists it."""
    from tests.support.privacy import site
    from ckan.tests import helpers
    dataset = make_dataset(agency, "Danh sách người được cấp chứng chỉ hành nghề")
    helpers.call_action("package_patch", context=site(), id=dataset["id"],
                        data_fields=["Họ, chữ đệm, tên của người được cấp", "Ngày tháng năm sinh", "Số chứng chỉ"])
    body = client.get(PAGE, headers={"Authorization": reviewer["token"]}).get_data(as_text=True)
    assert dataset["name"] not in body, "no data yet: nothing to check"
    call("resource_create", agency["officer"]["name"], package_id=dataset["id"],
         url="https://so-tu-phap.example.gov.vn/chung-chi.pdf", name="Danh sách (PDF)", format="PDF")
    body = client.get(PAGE, headers={"Authorization": reviewer["token"]}).get_data(as_text=True)
    assert dataset["name"] in body and "Ngày/năm sinh" in body
