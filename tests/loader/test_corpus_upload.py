"""The agency-file corpus (tests/support/corpus.py) through the upload path: a focal
officer's resource_create with the file (as the web form sends it), the load job on
CKAN's queue, then the DataStore read back with datastore_search. The expectations are
the ones the harvester meets (tests/harvest/test_corpus.py): the same header, rows and
values, no total, note or signature line as data, the section column, Vietnamese
numbers and dates typed, units in the column notes; the reader's guesses are in the
load state and on the resource page. A file that needs the officer's choice of sheet and
header row gets it on the resource (`sheet`, `header_row`), as on a harvest source.
Files the guard holds or the loader cannot load show that state with the reason in
Vietnamese."""
from __future__ import annotations

from decimal import Decimal

import pytest
from markupsafe import escape

from ckan import model
from ckan.tests import helpers

from tests.support.corpus import CASES, LETTERHEAD, Sheet, check_rows, csv_bytes, xlsx
from tests.support.loader import api, queued_loads, remove_loads, run_worker, state
from tests.support.privacy import make_agency, make_dataset, reviews_of, site_user
from tests.support.sandbox import Sandbox

UPLOADABLE = {"csv", "xls", "xlsx", "ods", "json"}      # what the upload loader reads (core/tabular/files.py)
TABLES = [c for c in CASES if c.fmt in UPLOADABLE]
CHOSEN = next(c for c in TABLES if c.config)      # needs the officer's sheet and header row


def _param(case):
    return pytest.param(case, id=case.name)


@pytest.fixture(scope="module")
def agency(portal):
    """One sandbox agency for the module (its focal officer uploads every file)."""
    box = Sandbox("Hộp Cát Nạp Tệp")
    made = make_agency()
    yield made
    box.clean()


@pytest.fixture
def dataset(agency):
    """A dataset of the agency; afterwards its DataStore tables, load states, queued
    loads and the dataset itself (with its privacy reviews) are removed."""
    made = make_dataset(agency, "Bảng dữ liệu của đơn vị")
    yield made
    remove_loads(made["id"])
    site = {"user": site_user(), "ignore_auth": True}
    helpers.call_action("dataset_purge", context=dict(site), id=made["id"])
    model.Session.remove()


@pytest.fixture(scope="module")
def client():
    return helpers._get_test_app()


def _upload(client, officer: dict, dataset: dict, content: bytes, name: str, **fields) -> dict:
    """`fields`: more resource fields, as the web form sends them (sheet, header_row)."""
    return api(client, "resource_create", officer, files={"upload": (content, name)},
               package_id=dataset["id"], name=f"Tệp {name}", **fields)["result"]


def _page(client, officer: dict, dataset: dict, resource_id: str) -> str:
    return client.get(f"/dataset/{dataset['name']}/resource/{resource_id}",
                      headers={"Authorization": officer["token"]}).get_data(as_text=True)


def _search(resource_id: str, **params) -> dict:
    return helpers.call_action("datastore_search", context={"user": site_user()}, resource_id=resource_id,
                               **params)


def _as_csv_text(kind: str, value) -> str:
    """A DataStore value written as the published CSV writes it (the corpus's expectations)."""
    if value is None:
        return ""
    if kind == "numeric":
        return format(Decimal(str(value)).normalize(), "f")
    if kind == "int8":
        return str(int(value))
    if kind == "date":
        return str(value)[:10]
    return str(value)


@pytest.mark.parametrize("case", [_param(c) for c in TABLES])
def test_uploaded_corpus_file_is_loaded_as_read(case, client, agency, dataset):
    res = _upload(client, agency["officer"], dataset, case.content, case.name, **case.config)
    assert state(res["id"])["state"] == "queued" and res["id"] in queued_loads(), res
    run_worker()

    expected = case.table
    done = state(res["id"])
    assert done["state"] == "loaded", done
    # how the table was read: the reader's guesses, as the harvester reports them
    reading = done["reading"]
    reported = {(g["kind"], g["first"], g["last"]) for g in reading["guesses"]}
    missing = [g for g in expected.ignored if g not in reported]
    assert not missing, (missing, sorted(reported, key=lambda g: g[1]))
    assert reading["chosen"] == case.config
    if expected.sheet:
        assert reading["sheet"] == expected.sheet
    assert done["rows"] == expected.rows and done["datastore_active"]
    assert done["rows_text"] == f"{expected.rows:,}".replace(",", ".")

    found = _search(res["id"], sort="_id", limit=expected.rows + 10)
    assert found["total"] == expected.rows
    fields = [f for f in found["fields"] if f["id"] != "_id"]
    header = [f["id"] for f in fields]
    assert header == expected.header
    types = {f["id"]: f["type"] for f in fields}
    assert {k: types[k] for k in expected.types} == expected.types
    rows = [[_as_csv_text(types[h], record[h]) for h in header] for record in found["records"]]
    # header, count, first/last values, sections; no total, note or signature line as a row
    check_rows(case, header, rows)
    notes = {f["id"]: (f.get("info") or {}).get("notes") for f in fields}
    assert {k: notes[k] for k in expected.units} == {k: f"Đơn vị tính: {u}" for k, u in expected.units.items()}
    # q= finds a row by the words of its text columns
    word = next(v for h, v in zip(header, rows[0]) if types[h] == "text" and v and h != "Nhóm")
    assert _search(res["id"], q=word)["total"] >= 1, word


# ----------------------------------------------------------------- files not loaded
def _with_people() -> bytes:
    """The price list's shape with a list of people: names, ID card numbers, birth dates."""
    return xlsx(_people_sheet())


def _people_sheet() -> Sheet:
    rows = LETTERHEAD + [
        [None],
        ["DANH SÁCH HỘ ĐƯỢC HỖ TRỢ GIÁ ĐIỆN NĂM 2024"],
        ["STT", "Họ và tên", "Số CCCD", "Ngày sinh", "Địa chỉ"],
        [1, "Nguyễn Văn An", "014090001234", "12/03/1980", "Tổ 3, phường Chiềng Lề"],
        [2, "Lò Thị Bình", "014185004321", "05/11/1975", "Bản Hài, xã Chiềng Ngần"],
        [3, "Cầm Văn Cường", "014092007788", "21/07/1990", "Tổ 7, phường Tô Hiệu"],
        [None, "Tổng cộng: 3 hộ"],
        [None, None, None, "KT. GIÁM ĐỐC"]]
    return Sheet("Danh sách", rows, ["A4:E4"])


def _truncated() -> bytes:
    """A corpus workbook cut off in transfer."""
    content = next(c for c in CASES if c.fmt == "xlsx").content
    return content[: len(content) // 2]


def _header_only() -> bytes:
    """A corpus CSV with its title and header and no row below them."""
    return csv_bytes([["DANH SÁCH HỘ KINH DOANH ĐĂNG KÝ MỚI QUÝ I/2025"],
                      ["Mã số hộ", "Tên hộ kinh doanh", "Ngành nghề", "Vốn (triệu đồng)", "Ngày đăng ký"]])


def test_personal_data_is_held_not_loaded(client, agency, dataset):
    res = _upload(client, agency["officer"], dataset, _with_people(), "ho-duoc-ho-tro.xlsx")
    assert res["url"] == "" and res["personal_data_status"] == "pending"
    assert res["id"] not in queued_loads()
    run_worker()
    held = state(res["id"])
    assert held["state"] == "held" and not held["datastore_active"], held
    [review] = reviews_of(dataset["id"], "pending")
    assert review["resource_id"] == res["id"]
    assert {"Họ và tên", "Số CCCD"} <= set(review["flagged_columns"])
    assert held["message_vi"].startswith("Tệp có cột chứa dữ liệu cá nhân: ") and "Số CCCD" in held["message_vi"]
    page = client.get(f"/dataset/{dataset['name']}/resource/{res['id']}",
                      headers={"Authorization": agency["officer"]["token"]}).get_data(as_text=True)
    assert 'data-state="held"' in page
    assert "Dữ liệu đang chờ cán bộ Sở quyết định về dữ liệu cá nhân; chưa nạp vào DataStore." in page
    assert held["message_vi"] in page


def test_unreadable_workbook_is_held_with_the_reason(client, agency, dataset):
    res = _upload(client, agency["officer"], dataset, _truncated(), "bang-gia-hong.xlsx")
    assert res["url"] == "" and res["personal_data_status"] == "pending"
    run_worker()
    held = state(res["id"])
    assert held["state"] == "held" and not held["datastore_active"], held
    [review] = reviews_of(dataset["id"], "pending")
    assert review["held_reason"] == "unreadable"
    assert review["held_detail"]["vi"].startswith("bảng tính bị hỏng, không đọc được"), review["held_detail"]
    assert held["message_vi"].startswith("Bảng tính bị hỏng, không đọc được"), held
    page = client.get(f"/dataset/{dataset['name']}/resource/{res['id']}",
                      headers={"Authorization": agency["officer"]["token"]}).get_data(as_text=True)
    assert 'data-state="held"' in page and "Bảng tính bị hỏng, không đọc được" in page


def test_header_without_rows_fails_with_the_reason(client, agency, dataset):
    res = _upload(client, agency["officer"], dataset, _header_only(), "ho-kinh-doanh-trong.csv")
    assert res["id"] in queued_loads()
    run_worker()
    failed = state(res["id"])
    assert failed["state"] == "failed" and failed["cause"] == "no_rows", failed
    assert "không có dòng dữ liệu nào" in failed["message_vi"] and "tải lên lại" in failed["message_vi"]
    assert not failed["datastore_active"]
    with pytest.raises(Exception):
        _search(res["id"])


def test_personal_data_replacing_a_loaded_table_is_held(client, agency, dataset):
    case = next(c for c in TABLES if c.name == "lao-dong-viec-lam.csv")
    res = _upload(client, agency["officer"], dataset, case.content, case.name)
    run_worker()
    assert state(res["id"])["state"] == "loaded"
    replaced = api(client, "resource_update", agency["officer"], id=res["id"], name="Tệp thay thế",
                   files={"upload": (_with_people(), "ho-duoc-ho-tro.xlsx")})["result"]
    assert replaced["personal_data_status"] == "pending" and res["id"] not in queued_loads()
    run_worker()
    held = state(res["id"])
    # not "loaded 4 rows" with a «Nạp lại» button: the new file waits for the decision
    assert held["state"] == "held" and not held["datastore_active"], held
    assert "Số CCCD" in held["message_vi"]
    page = client.get(f"/dataset/{dataset['name']}/resource/{res['id']}",
                      headers={"Authorization": agency["officer"]["token"]}).get_data(as_text=True)
    assert 'data-state="held"' in page and "Nạp lại" not in page
    anonymous = client.post("/api/3/action/datastore_search", json={"resource_id": res["id"]})
    assert anonymous.status_code == 403, "the table loaded before is not served while the resource is held"


# ----------------------------------------------------------------- how the table was read
def test_load_state_and_resource_page_show_how_the_table_was_read(client, agency, dataset):
    case = next(c for c in TABLES if c.name == "thu-tuc-hanh-chinh.xlsx")
    res = _upload(client, agency["officer"], dataset, case.content, case.name)
    run_worker()
    done = state(res["id"])
    assert done["state"] == "loaded", done
    reading = done["reading"]
    assert reading["header_row"] == 2 and reading["chosen"] == {}
    by_kind = {g["kind"]: g for g in reading["guesses"]}
    # the signature block and the total row below the table: not data, and said so
    assert by_kind["signature"]["first"] == by_kind["signature"]["last"] == 9
    assert by_kind["signature"]["vi"].startswith("dòng 9: khối chữ ký, bỏ qua"), by_kind["signature"]
    assert by_kind["total"]["vi"].startswith("dòng 8: dòng tổng cộng, không phải dữ liệu"), by_kind["total"]
    assert by_kind["signature"]["en"].startswith("row 9: signature block, ignored")

    page = _page(client, agency["officer"], dataset, res["id"])
    assert 'data-state="loaded"' in page and "Cách đọc bảng:" in page
    assert "Dòng tiêu đề cột: dòng 2" in page and "tự nhận biết" in page
    for kind in ("title", "unit", "total", "signature"):
        assert str(escape(by_kind[kind]["vi"])) in page, kind
    assert "dòng 2: dòng tiêu đề cột" not in page       # the header row is said once
    # not for the public: the reading is part of the staff's load state
    assert "Cách đọc bảng:" not in client.get(f"/dataset/{dataset['name']}/resource/{res['id']}").get_data(
        as_text=True)


def test_choosing_the_sheet_and_header_row_loads_the_table_again(client, agency, dataset):
    officer = agency["officer"]
    res = _upload(client, officer, dataset, CHOSEN.content, CHOSEN.name)
    run_worker()
    first = state(res["id"])
    assert first["reading"]["chosen"] == {}
    assert [f["id"] for f in _search(res["id"])["fields"] if f["id"] != "_id"] != CHOSEN.table.header

    # an edit that does not touch the choice queues nothing
    api(client, "resource_patch", officer, id=res["id"], description="Danh mục công trình")
    assert res["id"] not in queued_loads()
    patched = api(client, "resource_patch", officer, id=res["id"], sheet=str(CHOSEN.config["sheet"]),
                  header_row=str(CHOSEN.config["header_row"]))["result"]
    assert patched["header_row"] == CHOSEN.config["header_row"] and patched["sheet"] == CHOSEN.config["sheet"]
    assert state(res["id"])["state"] == "queued" and res["id"] in queued_loads()
    run_worker()
    done = state(res["id"])
    assert done["state"] == "loaded" and done["rows"] == CHOSEN.table.rows, done
    assert done["reading"]["chosen"] == CHOSEN.config and done["reading"]["header_row"] == 4
    assert [f["id"] for f in _search(res["id"])["fields"] if f["id"] != "_id"] == CHOSEN.table.header
    page = _page(client, officer, dataset, res["id"])
    assert "Dòng tiêu đề cột: dòng 4" in page and "theo lựa chọn trên tài nguyên" in page
    assert str(escape(f"Trang tính «{CHOSEN.config['sheet']}»")) in page


@pytest.mark.parametrize("field, value", [("header_row", "0"), ("header_row", "dòng 4"), ("header_row", "-2")])
def test_a_header_row_that_is_no_row_number_is_refused(client, agency, dataset, field, value):
    case = next(c for c in TABLES if c.name == "lao-dong-viec-lam.csv")
    result = api(client, "resource_create", agency["officer"], files={"upload": (case.content, case.name)},
                 status=409, package_id=dataset["id"], name="Tệp", **{field: value})
    assert field in result["error"], result


def test_the_guard_reads_the_chosen_sheet(client, agency, dataset):
    """The personal-data guard checks the table the loader would load: a chosen sheet
    with a list of people is held, though the sheet read by default has none."""
    people = _people_sheet()
    prices = Sheet("Tổng hợp", [["Mặt hàng", "Giá (đồng)", "Đơn vị"]] + [[f"Mặt hàng {i}", 1000 * i, "kg"]
                                                                      for i in range(1, 30)])
    content = xlsx(prices, people)
    loaded = _upload(client, agency["officer"], dataset, content, "hai-trang.xlsx")
    assert loaded["url"] and loaded.get("personal_data_status") != "pending", loaded
    held = _upload(client, agency["officer"], dataset, content, "hai-trang.xlsx", sheet=people.name)
    assert held["url"] == "" and held["personal_data_status"] == "pending", held
    run_worker()
    assert state(loaded["id"])["state"] == "loaded" and state(held["id"])["state"] == "held"


def test_choice_changed_with_the_dataset_loads_the_table_again(client, agency, dataset):
    """package_update (the dataset API) does not run the resource hooks: the chained
    action queues the load when a resource's chosen header row changes."""
    officer = agency["officer"]
    res = _upload(client, officer, dataset, CHOSEN.content, CHOSEN.name, sheet=CHOSEN.config["sheet"])
    run_worker()
    assert state(res["id"])["reading"]["chosen"] == {"sheet": CHOSEN.config["sheet"]}
    pkg = api(client, "package_show", officer, id=dataset["id"])["result"]
    api(client, "package_update", officer, **{k: v for k, v in pkg.items() if k != "resources"},
        resources=pkg["resources"])
    assert res["id"] not in queued_loads(), "nothing changed: nothing queued"
    for resource in pkg["resources"]:
        if resource["id"] == res["id"]:
            resource["header_row"] = CHOSEN.config["header_row"]
    api(client, "package_update", officer, **{k: v for k, v in pkg.items() if k != "resources"},
        resources=pkg["resources"])
    assert res["id"] in queued_loads()
    run_worker()
    done = state(res["id"])
    assert done["state"] == "loaded" and done["reading"]["chosen"] == CHOSEN.config, done
    assert [f["id"] for f in _search(res["id"])["fields"] if f["id"] != "_id"] == CHOSEN.table.header
