"""The seed loader against real PostgreSQL and Solr: all rows land, re-running changes
nothing, an invalid file writes nothing, facets work."""
from __future__ import annotations

import json

import pytest
import sqlalchemy as sa

from ckan import model
from ckan.tests import factories, helpers

from ckanext.opendata_vn.catalog.loader import CatalogRejected, load_catalog
from ckanext.opendata_vn.catalog.seeds import default_seed_files, load_seed_files, read_seed
from ckanext.opendata_vn.catalog.model import Catalog, CatalogEntry

EXPECTED_ROWS = {"bac-giang-2024": 36, "bac-giang-plan-2023-2025": 58,
                 "dien-bien-plan-2023-2025": 132, "hung-yen-plan-2025": 133}


def _search(**kw):
    return helpers.call_action("package_search", include_private=True, **kw)


def test_every_seed_row_is_an_entry_of_its_catalog(seeded_catalogs):
    for key, rows in EXPECTED_ROWS.items():
        catalog = model.Session.query(Catalog).filter_by(key=key).one()
        assert len(catalog.entries) == rows, key
        meta, seed_rows = read_seed(next(p for p in default_seed_files() if p.stem == key))
        # the entry keeps the document's own wording, row by row
        for entry, row in zip(catalog.entries, seed_rows):
            assert (entry.number, entry.title, entry.agency, entry.frequency) == \
                (row["number"], row["title"], row["agency"], row["frequency"])
        assert catalog.province == meta["province"] and catalog.year == meta["year"]
    # every seeded dataset is findable through Solr
    assert _search(rows=0, fq="vocab_catalog:bac-giang-2024")["count"] == 36


def test_first_load_created_and_merged_confidently(seeded_catalogs):
    by_key = {s.catalog: s for s in seeded_catalogs}
    assert by_key["bac-giang-plan-2023-2025"].created == 58
    assert by_key["dien-bien-plan-2023-2025"].created == 132
    # Hưng Yên row 124 is split in four parts: four entries; parts 3 and 4 name the
    # same agency and title but are different rows, so they are not merged.
    hy = model.Session.query(Catalog).filter_by(key="hung-yen-plan-2025").one()
    parts = [e for e in hy.entries if e.number == "124"]
    assert [e.part for e in parts] == [1, 2, 3, 4]
    assert len({e.package_id for e in parts}) == 4
    # Bắc Giang's 2024 decision repeats datasets of its 2023–2025 plan: those are linked,
    # not duplicated (same province, same agency, same normalised title).
    bg = by_key["bac-giang-2024"]
    assert bg.created + bg.updated + bg.unchanged == 36
    assert bg.updated + bg.unchanged > 0
    shared = (model.Session.query(CatalogEntry.package_id).join(Catalog)
              .filter(Catalog.key.in_(["bac-giang-2024", "bac-giang-plan-2023-2025"]))
              .group_by(CatalogEntry.package_id).having(sa.func.count() > 1).count())
    assert shared == bg.updated + bg.unchanged


def test_second_load_changes_nothing(seeded_catalogs):
    admin = factories.Sysadmin()
    before = dict(model.Session.query(model.Package.id, model.Package.metadata_modified))
    entries_before = model.Session.query(CatalogEntry).count()
    summaries = load_seed_files(default_seed_files(), user=admin["name"])
    for s in summaries:
        assert (s.created, s.updated) == (0, 0), s.line()
        assert s.unchanged == EXPECTED_ROWS[s.catalog]
    model.Session.expire_all()
    assert dict(model.Session.query(model.Package.id, model.Package.metadata_modified)) == before
    assert model.Session.query(CatalogEntry).count() == entries_before


def test_seed_fields_land_in_the_schema(seeded_catalogs):
    bg = model.Session.query(Catalog).filter_by(key="bac-giang-2024").one()
    first = bg.entries[0]
    pkg = helpers.call_action("package_show", id=first.package_id)
    assert pkg["title"] == "Cơ sở dữ liệu văn bằng, chứng chỉ"
    assert pkg["organization"]["title"] == "Sở Giáo dục và Đào tạo tỉnh Bắc Giang"
    assert pkg["theme"] == "giao-duc" and [g["name"] for g in pkg["groups"]] == ["giao-duc"]
    assert pkg["update_frequency"] == "annual" and pkg["update_frequency_text"] == "Năm"
    assert pkg["first_provided"] == "2025-01-01" and pkg["first_provided_text"] == "01/01/2025"
    assert pkg["source_types"] == ["excel"]
    assert pkg["data_fields"][0] == "Tên văn bằng, chứng chỉ"
    assert pkg["publication_status"] == "planned" and pkg["license_id"] == "cc-by"
    keys = [e["catalog_key"] for e in pkg["catalog_entries"]]
    assert "bac-giang-2024" in keys
    # a row whose agency cell was lost takes the agency its section header names, flagged
    lost = next(e for e in bg.entries if e.number == "29")
    pkg = helpers.call_action("package_show", id=lost.package_id)
    assert pkg["organization"]["title"] == "Sở Tài chính tỉnh Bắc Giang"
    assert "SỞ TÀI CHÍNH" in pkg["remarks"] and not pkg.get("original_agency")


def test_multiple_agencies_become_co_providers(seeded_catalogs):
    hy = model.Session.query(Catalog).filter_by(key="hung-yen-plan-2025").one()
    entry = next(e for e in hy.entries if ";" in e.agency)
    pkg = helpers.call_action("package_show", id=entry.package_id)
    assert pkg["co_providers"], entry.agency
    assert all(model.Group.get(name) is not None for name in pkg["co_providers"])


def test_facets_are_decree_47_columns_with_separate_values(seeded_catalogs):
    fields = ["groups", "organization", "update_frequency", "vocab_source_types",
              "vocab_catalog_year", "province", "publication_status"]
    result = _search(rows=0, **{"facet.field": json.dumps(fields), "facet.limit": -1})
    facets = result["facets"]
    # (other tests of the session may add datasets of their own provinces)
    assert facets["province"]["Điện Biên"] >= 132 and facets["province"]["Hưng Yên"] >= 133
    assert facets["province"]["Bắc Giang"] >= 81
    assert set(facets["vocab_source_types"]) == {"excel", "api"}  # never '["excel", "api"]'
    assert facets["vocab_source_types"]["excel"] >= 22
    assert facets["vocab_catalog_year"]["2023"] >= 190
    assert facets["groups"]["giao-duc"] >= 40
    assert facets["publication_status"]["planned"] >= 340
    # a facet filter narrows the search
    q = _search(rows=0, fq='update_frequency:"school_year"')
    assert q["count"] == facets["update_frequency"]["school_year"]


def test_dataset_page_facets_show_labels(app, seeded_catalogs):
    body = app.get("/dataset/").get_data(as_text=True)
    for label in ("Tần suất cung cấp", "Nguồn dữ liệu", "Năm danh mục", "Năm học", "Kế hoạch (chưa có dữ liệu)"):
        assert label in body, label


def _catalog(key, province):
    return {"key": key, "province": province, "year": 2031, "title": f"Danh mục thử {key}",
            "kind": "decision"}


def _row(number, title, agency="Sở Y tế", theme="CHỦ ĐỀ Y TẾ, SỨC KHỎE"):
    return {"number": number, "part": None, "theme_number": "I", "theme": theme, "title": title,
            "description": "- Trường A", "agency": agency, "first_provided": "", "frequency": "Năm",
            "source": "Excel", "notes": "", "extraction_note": ""}


def test_an_invalid_row_rejects_the_whole_file_and_writes_nothing(sandbox, sysadmin):
    packages = model.Session.query(model.Package).count()
    rows = [_row("1", "Danh sách bệnh viện thử"), _row("2", ""), _row("3", "Cơ sở y tế", theme="CHỦ ĐỀ VŨ TRỤ"),
            _row("4", "Nhà thuốc", agency=""), _row("1", "Trùng số")]
    with pytest.raises(CatalogRejected) as err:
        load_catalog("thu.json", _catalog("thu-loi", sandbox.province), rows, user=sysadmin["name"])
    messages = [str(e) for e in err.value.errors]
    assert any(m.startswith("Dòng 2 (TT 2), cột \"Tên tập dữ liệu\"") for m in messages), messages
    # an unknown theme heading is no error: the row goes to "Khác", flagged for review
    assert not any(m.startswith("Dòng 3 ") for m in messages), messages
    assert any("Dòng 4 (TT 4), cột \"Đơn vị chủ trì cung cấp\"" in m for m in messages), messages
    assert any("Dòng 5 (TT 1), cột \"TT\"" in m for m in messages), messages
    assert len(messages) == 3
    assert model.Session.query(model.Package).count() == packages
    assert model.Session.query(Catalog).filter_by(key="thu-loi").count() == 0


def test_incomplete_planned_rows_load(sandbox, sysadmin):
    row = _row("1", "Danh mục phòng khám tư nhân thử")
    row.update(description="", frequency="", source="")
    summary = load_catalog("thu.json", _catalog("thu-thieu", sandbox.province), [row], user=sysadmin["name"])
    assert summary.created == 1
    pkg = helpers.call_action("package_search", q='title:"phòng khám tư nhân thử"')["results"][0]
    assert pkg["publication_status"] == "planned" and not pkg.get("notes")
