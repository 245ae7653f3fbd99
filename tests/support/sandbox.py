"""Leave the shared test database as it was found (the `sandbox` fixture, tests/conftest.py).

The database is emptied once per session and tests run in random order, so a test that
makes catalogs, datasets or agencies removes them again; otherwise a later test finds a
stray decision of "its" province and year. A `Sandbox` remembers what existed when the
test started and purges what was added since. Harvested datasets are not purged here
(their harvest objects refer to them): harvest tests clear their sources. Datasets that
are still entries of a catalog the test did not make, and agencies that still own a
dataset (as owner or co-provider), stay.
"""
from __future__ import annotations

import json

import sqlalchemy as sa

from ckan import model
from ckan.tests import helpers

from ckanext.opendata_vn.catalog.seeds import default_seed_files
from ckanext.opendata_vn.catalog.model import Catalog, CatalogEntry


def _ids(column, *where) -> set[str]:
    return {i for (i,) in model.Session.query(column).filter(*where)}


def _site_context() -> dict:
    user = helpers.call_action("get_site_user", context={"ignore_auth": True})["name"]
    return {"user": user, "ignore_auth": True}


def remove_catalogs(*ids: str) -> None:
    """Delete catalogs by id; their entries go with them (ON DELETE CASCADE)."""
    if ids:
        model.Session.execute(sa.delete(Catalog.__table__).where(Catalog.__table__.c.id.in_(ids)))
        model.Session.commit()


class Sandbox:
    """What existed when a test started; `clean()` purges the catalogs, datasets and
    agencies (organizations) made since."""

    def __init__(self, province: str):
        self.province = province
        model.Session.remove()
        self.catalogs = _ids(Catalog.id)
        self.packages = _ids(model.Package.id)
        self.orgs = _ids(model.Group.id, model.Group.is_organization.is_(True))

    def clean(self) -> None:
        """The seed catalogs may have been loaded during the test (the session fixture
        is lazy): they, their datasets and agencies are never purged."""
        model.Session.remove()
        seeds = {p.stem for p in default_seed_files()}
        remove_catalogs(*(_ids(Catalog.id, Catalog.key.notin_(seeds)) - self.catalogs))
        keep = _harvested_package_ids() | _ids(CatalogEntry.package_id)
        for pid in _ids(model.Package.id) - self.packages - keep:
            helpers.call_action("dataset_purge", context=_site_context(), id=pid)
        for gid in _ids(model.Group.id, model.Group.is_organization.is_(True)) - self.orgs - _agencies_in_use():
            helpers.call_action("organization_purge", context=_site_context(), id=gid)
        model.Session.remove()


def _agencies_in_use() -> set[str]:
    """Ids of the organizations that own a dataset or are named as its co-provider."""
    names: set[str] = set()
    for (value,) in model.Session.query(model.PackageExtra.value).filter(model.PackageExtra.key == "co_providers"):
        try:
            names.update(json.loads(value))
        except (TypeError, ValueError):
            names.update(v.strip() for v in (value or "").split(","))
    return _ids(model.Package.owner_org, model.Package.owner_org.isnot(None)) | \
        _ids(model.Group.id, model.Group.name.in_(names))


def _harvested_package_ids() -> set[str]:
    from ckanext.harvest.model import HarvestObject
    return _ids(HarvestObject.package_id, HarvestObject.package_id.isnot(None)) | \
        _ids(model.Package.id, model.Package.type == "harvest")


def purge_agency(org_id: str) -> None:
    """Remove an agency a test file made for itself, with its harvest sources (their jobs
    and objects too: the portal refuses `harvest_source_clear` on a catalog dataset's
    source, so the rows are deleted here) and the datasets it still owns. The agency
    stays while it owns a dataset harvested by another agency's source or is named as a
    co-provider."""
    model.Session.remove()
    for sid in _ids(model.Package.id, model.Package.owner_org == org_id, model.Package.type == "harvest"):
        _delete_harvest_rows(sid)
        helpers.call_action("dataset_purge", context=_site_context(), id=sid)
    model.Session.remove()
    harvested = _harvested_package_ids()
    for pid in _ids(model.Package.id, model.Package.owner_org == org_id) - harvested:
        helpers.call_action("dataset_purge", context=_site_context(), id=pid)
    if org_id not in _agencies_in_use() and model.Group.get(org_id) is not None:
        helpers.call_action("organization_purge", context=_site_context(), id=org_id)
    model.Session.remove()


def _delete_harvest_rows(source_id: str) -> None:
    from ckanext.harvest.model import (HarvestGatherError, HarvestJob, HarvestObject, HarvestObjectError,
                                       HarvestObjectExtra, HarvestSource)
    objects = model.Session.query(HarvestObject.id).filter(HarvestObject.harvest_source_id == source_id)
    jobs = model.Session.query(HarvestJob.id).filter(HarvestJob.source_id == source_id)
    for table, where in ((HarvestObjectError, HarvestObjectError.harvest_object_id.in_(objects.scalar_subquery())),
                         (HarvestObjectExtra, HarvestObjectExtra.harvest_object_id.in_(objects.scalar_subquery())),
                         (HarvestObject, HarvestObject.harvest_source_id == source_id),
                         (HarvestGatherError, HarvestGatherError.harvest_job_id.in_(jobs.scalar_subquery())),
                         (HarvestJob, HarvestJob.source_id == source_id),
                         (HarvestSource, HarvestSource.id == source_id)):
        model.Session.query(table).filter(where).delete(synchronize_session=False)
    model.Session.commit()
