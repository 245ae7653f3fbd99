"""The seeded catalogs with a few datasets published (and some overdue).

`published_seed` gives five datasets of Bắc Giang's 2024 decision and two of Điện
Biên's plan a data resource, with backdated timestamps, for the module; on teardown
it deletes those resources, clears `data_updated` and removes the confirmation, so
the session's seeded datasets are as loaded again (tests/conftest.py asks for that).
"""
from __future__ import annotations

import datetime

import pytest
import sqlalchemy as sa

from ckan import model
from ckan.common import config
from ckan.tests import factories, helpers

from ckanext.opendata_vn.catalog.model import Catalog, CatalogEntry
from ckanext.opendata_vn.workflow.history import WorkflowEvent

UTC = datetime.timezone.utc


def at(day: str) -> datetime.datetime:
    """10:00 in Vietnam on that day, as CKAN stores it (naive UTC)."""
    return datetime.datetime.fromisoformat(day + "T03:00:00")


def seed_dataset(catalog_key: str, theme_number: str, number: str) -> model.Package:
    entry = (model.Session.query(CatalogEntry).join(Catalog)
             .filter(Catalog.key == catalog_key, CatalogEntry.theme_number == theme_number,
                     CatalogEntry.number == number).one())
    return model.Package.get(entry.package_id)


# (catalog, theme, TT) → data resource created on, data_updated, a confirmation on
PUBLISHED = {
    # Bắc Giang 2024 (decision; first provision due 01/01/2025; review rule 3 months + 10 days grace)
    "E1": ("bac-giang-2024", "I", "1", "2024-12-15", "2024-12-15", None),   # Năm: met; review due 15/03 → overdue 31/03
    "E2": ("bac-giang-2024", "II", "14", "2025-02-10", "2025-02-10", None),  # Năm: late first provision; up to date
    "E3": ("bac-giang-2024", "I", "2", "2024-11-01", "2024-11-01", "2025-03-01"),  # Khi có phát sinh: confirmed
    "E4": ("bac-giang-2024", "VII", "28", "2024-10-01", "2024-12-20", None),  # Quý: due 20/03 + 10 → 1 day overdue
    "E5": ("bac-giang-2024", "VII", "29", "2025-01-05", "2025-01-05", None),  # no date, no frequency: review rule only
    # Điện Biên plan 2023-2025 (no dates, no frequencies, no review rule configured)
    "D1": ("dien-bien-plan-2023-2025", "I", "1", "2023-06-01", "2023-06-01", None),   # Sở Giáo dục và Đào tạo
    "D2": ("dien-bien-plan-2023-2025", "III", "1", "2023-06-01", None, None),  # Sở Giao thông vận tải
}


@pytest.fixture(scope="module")
def published_seed(seeded_catalogs):
    admin = factories.Sysadmin()
    context = {"user": admin["name"]}
    created = {}
    for key, (catalog_key, theme_number, number, made, updated, confirmed) in PUBLISHED.items():
        pkg = seed_dataset(catalog_key, theme_number, number)
        res = helpers.call_action("resource_create", context=dict(context), package_id=pkg.id,
                                  url=f"https://data.example.gov.vn/{pkg.name}.xlsx", name="Dữ liệu", format="XLSX")
        helpers.call_action("package_patch", context=dict(context), id=pkg.id,
                            data_updated=(updated + "T10:00:00+07:00") if updated else "")
        # after the patch: package_update writes the resources back as shown
        model.Session.query(model.Resource).filter_by(id=res["id"]).update(
            {"created": at(made), "last_modified": None})
        model.Session.commit()
        if confirmed:
            event = helpers.call_action("opendata_vn_data_confirm", context=dict(context), package_id=pkg.id)
            model.Session.query(WorkflowEvent).filter_by(id=event["id"]).update({"created": at(confirmed)})
            model.Session.commit()
        created[key] = {"package_id": pkg.id, "name": pkg.name, "resource_id": res["id"],
                        "owner_org": pkg.owner_org}
    yield created
    for item in created.values():
        helpers.call_action("resource_delete", context=dict(context), id=item["resource_id"])
        helpers.call_action("package_patch", context=dict(context), id=item["package_id"], data_updated="")
    model.Session.execute(sa.delete(WorkflowEvent.__table__).where(
        WorkflowEvent.package_id.in_([i["package_id"] for i in created.values()])))
    model.Session.commit()


@pytest.fixture
def reviewer(monkeypatch):
    """An IT reviewer (configured user name, not a sysadmin)."""
    user = factories.User()
    monkeypatch.setitem(config, "ckanext.opendata_vn.reviewers", user["name"])
    return user
