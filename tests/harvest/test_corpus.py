"""The agency-file corpus (tests/support/corpus.py) read two ways: by the reader directly, and
by the vn_excel harvester from a loopback HTTP server into CSV, JSON and DataStore.
A total, note or signature line is never published as data."""
from __future__ import annotations

import csv
import io
import json

import pytest

from tests.support.corpus import CASES, check_rows, check_table
from tests.support.harvest import create_source, datastore_rows, harvested, run_job, show, source_status, stored_file

from ckanext.opendata_vn.core.tabular import workbook


def test_the_corpus_has_every_shape():
    formats = {c.fmt for c in CASES}
    assert len(CASES) >= 15 and formats == {"xlsx", "xls", "csv", "ods"}
    kinds = {k for c in CASES for k, _, _ in c.table.ignored}
    assert {"title", "column_numbers", "unit", "blank", "repeated_header", "section", "total", "note",
            "place_date", "signature", "other_table", "sheet_hidden", "sheet_skipped"} <= kinds


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_reader(case, tmp_path):
    path = case.write(tmp_path)
    fmt = workbook.detect_format(str(path))
    assert fmt == case.fmt
    check_table(case, workbook.read_table(str(path), fmt, dict(case.config)))


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_harvester(case, http_server, dataset, unique):
    url = http_server.add(f"/{unique}/{case.name}", case.content)
    source = create_source(dataset, url, **{k: str(v) for k, v in case.config.items()})
    job = run_job(source["id"])
    status = source_status(source["id"])
    assert job["stats"]["errored"] == 0, status["last_job"]
    res = harvested(show(dataset["id"]), source["id"])

    table = list(csv.reader(io.StringIO(stored_file(res["csv"]["id"]).decode("utf-8"))))
    check_rows(case, table[0], table[1:])
    records = json.loads(stored_file(res["json"]["id"]))
    assert len(records) == case.table.rows and list(records[0]) == case.table.header

    stored = datastore_rows(res["csv"]["id"], sort="_id")
    assert stored["total"] == case.table.rows
    assert [f["id"] for f in stored["fields"] if f["id"] != "_id"] == case.table.header
    types = {f["id"]: f["type"] for f in stored["fields"]}
    assert {k: types[k] for k in case.table.types} == case.table.types
    # q= finds a row by the words of its text columns
    first = dict(zip(table[0], table[1]))
    word = next(v for k, v in first.items() if types.get(k) == "text" and v and k != "Nhóm")
    assert datastore_rows(res["csv"]["id"], q=word)["total"] >= 1, word
    notes = {f["id"]: (f.get("info") or {}).get("notes") for f in stored["fields"]}
    assert {k: notes[k] for k in case.table.units} == {k: f"Đơn vị tính: {u}" for k, u in case.table.units.items()}
    # every guess is in the run log the officer reads
    log = [line["vi"] for line in status["last_job"]["log"]]
    for kind, first, last in case.table.ignored:
        if kind in ("header", "sheet"):
            continue
        span = f"{first}" if first == last else f"{first}–{last}"
        assert any(line.startswith(f"dòng {span}:") for line in log) or not first, (kind, span, log)
