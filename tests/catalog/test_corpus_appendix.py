"""The appendix-shaped files of the corpus (tests/support/corpus.py) imported as catalogs:
every dataset row becomes an entry, the signature block does not, theme headings
that match no single theme are mapped (or kept under «Khác») with warnings."""
from __future__ import annotations

import uuid

import pytest

from ckan import model
from ckan.tests import helpers

from tests.support.corpus import APPENDIX_CASES

from ckanext.opendata_vn.catalog.appendix import import_workbook
from ckanext.opendata_vn.catalog.workbook import read_appendix
from ckanext.opendata_vn.catalog.model import Catalog


@pytest.mark.parametrize("case", APPENDIX_CASES, ids=lambda c: c.name)
def test_appendix_is_read_as_written(case):
    appendix = read_appendix(case.content)
    expected = case.appendix
    assert len(appendix.rows) == expected.rows
    assert (appendix.rows[0]["title"], appendix.rows[-1]["title"]) == expected.titles
    assert all(r["title"] for r in appendix.rows)          # no signature or place line as a row
    assert appendix.guess_meta() == {"province": expected.province, "year": expected.year}
    by_title = {r["title"]: r for r in appendix.rows}
    for title, heading in expected.headings.items():
        assert by_title[title]["theme"] == heading
    kinds = {g.kind for g in appendix.guesses}
    assert "place_date" in kinds and "signature" in kinds


@pytest.mark.parametrize("case", APPENDIX_CASES, ids=lambda c: c.name)
def test_appendix_imports_with_its_rows_themes_and_warnings(case, sandbox, sysadmin):
    key = f"corpus-{uuid.uuid4().hex[:8]}"
    summary = import_workbook(case.content, case.name, user=sysadmin["name"], key=key,
                              province=sandbox.province)
    expected = case.appendix
    assert summary.created == expected.rows and summary.rejected == 0
    assert len(summary.flagged) >= expected.warnings
    catalog = model.Session.query(Catalog).filter_by(key=key).one()
    assert len(catalog.entries) == expected.rows
    themes = {}
    for entry in catalog.entries:
        pkg = helpers.call_action("package_show", id=entry.package_id)
        themes[pkg["title"]] = pkg["theme"]
        if pkg["title"] in expected.headings:
            assert entry.theme == expected.headings[pkg["title"]]    # the heading as written
    assert {t: themes[t] for t in expected.themes} == expected.themes
