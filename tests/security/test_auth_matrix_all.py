"""Every role × every action our plugin registers or overrides (harvest, personal data,
feedback, DCAT, catalog, workflow, compliance, DataStore loading, reorganisation,
portal), in the style of tests/workflow/test_auth_matrix.py: the auth function decides
on roles only (state rules are tested with each feature).

Roles: anonymous citizen, focal officer (editor) of agency A, which owns every object
here, focal officer of agency B, IT reviewer (configured, not a sysadmin), sysadmin.
The workflow and compliance actions are in tests/workflow/test_auth_matrix.py; the
completeness check below counts them from there and fails listing any registered action
or auth function that neither matrix covers.
"""
from __future__ import annotations

import uuid
from pathlib import Path

import pytest

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.common import config
from ckan.tests import factories, helpers

from tests.support.web import make_dataset
from tests.support.workflow import call, entry_fields

ROLES = ("anonymous", "officer", "other_officer", "reviewer", "sysadmin")
EVERYONE = set(ROLES)
STAFF = {"officer", "other_officer", "reviewer", "sysadmin"}
IT = {"reviewer", "sysadmin"}
OWN = {"officer", "sysadmin"}
OWN_IT = {"officer", "reviewer", "sysadmin"}
REVIEWER = "sec_matrix_reviewer"

# action, the object it acts on (see `objects`), roles allowed
MATRIX = [
    # CKAN core actions our plugin overrides (search, agencies, datasets, DataStore)
    ("package_search", "none", EVERYONE),
    ("organization_list", "none", EVERYONE),
    ("organization_show", "agency", EVERYONE),
    ("group_show", "theme", EVERYONE),
    ("package_show", "private_dataset", OWN_IT),
    ("package_create", "new_dataset", OWN),
    ("package_update", "public_dataset_edit", OWN),
    ("package_update", "pending_make_public", {"sysadmin"}),
    ("package_delete", "public_dataset", OWN),
    ("bulk_update_public", "pending_bulk_public", {"sysadmin"}),
    ("datastore_search", "public_table", EVERYONE),
    ("datastore_search", "private_table", OWN_IT),
    ("datastore_info", "public_table", EVERYONE),
    ("datastore_info", "private_table", OWN_IT),
    ("datastore_search_sql", "public_sql", EVERYONE),
    ("datastore_search_sql", "private_sql", OWN_IT),
    ("datastore_create", "public_table_write", OWN),
    ("datastore_upsert", "public_table_write", OWN),
    # DataStore loading of uploaded tables (loader/)
    ("opendata_vn_datastore_load", "public_resource", OWN_IT),
    ("opendata_vn_datastore_load_status", "public_resource", OWN_IT),
    ("opendata_vn_upload_preview", "public_dataset", OWN),
    # DCAT (dcat/)
    ("dcat_catalog_show", "none", EVERYONE),
    # catalog import/export (catalog/)
    ("opendata_vn_catalog_import", "none", IT),
    ("opendata_vn_catalog_import_preview", "none", IT),
    ("opendata_vn_catalog_export", "published_catalog_key", EVERYONE),
    ("opendata_vn_catalog_export", "draft_catalog_key", IT),
    # agency sources of a dataset (harvest/: vn_excel, vn_api)
    ("opendata_vn_harvest_source_create", "vn_source_new", OWN),
    ("opendata_vn_harvest_source_show", "vn_source", OWN),
    ("opendata_vn_harvest_source_update", "vn_source", OWN),
    ("opendata_vn_harvest_source_delete", "vn_source", OWN),
    ("opendata_vn_harvest_run", "vn_source", OWN),
    ("opendata_vn_harvest_source_preview", "vn_source_new", OWN),
    ("opendata_vn_harvest_source_list", "vn_source_of_dataset", OWN),
    # ckanext-harvest's own actions, guarded by ours
    ("harvest_source_list", "none", {"sysadmin"}),
    ("harvest_source_create", "generic_source_new", IT),
    ("harvest_source_update", "generic_source", IT),
    # upstream's patch is package_patch of the source: like package_update below, not for
    # reviewers, who use harvest_source_update
    ("harvest_source_patch", "generic_source", {"sysadmin"}),
    ("harvest_source_delete", "generic_source", IT),
    ("harvest_source_clear", "generic_source", IT),
    ("harvest_source_reindex", "generic_source", IT),
    ("harvest_source_show", "generic_source", IT),
    ("harvest_source_show_status", "generic_source", IT),
    ("package_create", "generic_source_new", IT),
    # a reviewer edits a generic source through harvest_source_update, not as a dataset editor
    ("package_update", "generic_source", {"sysadmin"}),
    ("package_delete", "generic_source", IT),
    ("harvest_job_create", "generic_source_job", IT),
    ("harvest_job_list", "generic_source_job", IT),
    ("harvest_job_show", "generic_job", IT),
    ("harvest_job_abort", "generic_job", IT),
    ("harvest_send_job_to_gather_queue", "generic_job", IT),
    ("harvest_object_show", "vn_object", OWN_IT),
    ("harvest_object_show", "vn_object_by_dataset", OWN_IT),
    ("harvest_object_show", "generic_object", IT),
    ("harvest_object_list", "vn_source_objects", OWN_IT),
    ("harvest_log_list", "none", IT),
    ("harvest_abort_failed_jobs", "none", IT),
    # personal data guard (privacy/)
    ("opendata_vn_privacy_review_list", "private_dataset_reviews", OWN_IT),
    ("opendata_vn_privacy_review_show", "privacy_review", OWN_IT),
    ("opendata_vn_privacy_decide", "privacy_review", IT),
    # feedback and data requests (feedback/)
    ("opendata_vn_feedback_create", "public_dataset", EVERYONE),
    ("opendata_vn_feedback_list", "none", STAFF),
    ("opendata_vn_feedback_update", "feedback", OWN_IT),
    ("opendata_vn_rating_create", "public_dataset", EVERYONE),
    ("opendata_vn_rating_show", "public_dataset", EVERYONE),
    ("opendata_vn_data_request_create", "none", EVERYONE),
    ("opendata_vn_data_request_show", "data_request", EVERYONE),
    ("opendata_vn_data_request_list", "none", EVERYONE),
    ("opendata_vn_data_request_most_wanted", "none", EVERYONE),
    ("opendata_vn_data_request_vote", "data_request", EVERYONE),
    ("opendata_vn_data_request_update", "data_request", OWN_IT),
    # reorganisation of agencies (province/)
    ("opendata_vn_reorganisation_pending_list", "none", IT),
    ("opendata_vn_reorganisation_confirm", "agency", IT),
]


def _site() -> dict:
    return {"user": helpers.call_action("get_site_user", context={"ignore_auth": True})["name"], "ignore_auth": True}


@pytest.fixture(autouse=True)
def reviewers(monkeypatch):
    monkeypatch.setitem(config, "ckanext.opendata_vn.reviewers", REVIEWER)


@pytest.fixture(scope="module")
def people(portal):
    from tests.support.sandbox import Sandbox
    box = Sandbox("Ma Trận")
    reviewer = model.User.get(REVIEWER)
    reviewer = reviewer.name if reviewer else factories.User(name=REVIEWER)["name"]
    officer_a, officer_b = factories.User(), factories.User()
    suffix = uuid.uuid4().hex[:6]
    agency_a = factories.Organization(name=f"ma-tran-so-a-{suffix}", users=[{"name": officer_a["name"], "capacity": "editor"}])
    agency_b = factories.Organization(name=f"ma-tran-so-b-{suffix}", users=[{"name": officer_b["name"], "capacity": "editor"}])
    yield {"anonymous": None, "officer": officer_a["name"], "other_officer": officer_b["name"], "reviewer": reviewer,
           "sysadmin": factories.Sysadmin()["name"], "agency_a": agency_a, "agency_b": agency_b, "box": box}
    box.clean()


def _harvest_fixtures(people, public, private) -> dict:
    """A vn_excel source on A's public dataset, a generic DCAT source of agency A, a job
    of the generic source, and harvest objects of both (the vn one on A's private dataset)."""
    from ckanext.harvest.model import HarvestJob, HarvestObject, HarvestSource
    admin = people["sysadmin"]
    vn = helpers.call_action("opendata_vn_harvest_source_create", context={"user": admin},
                             dataset_id=public["id"], source_type="vn_excel", url="http://127.0.0.1:9/nguon.xlsx")
    generic = helpers.call_action("harvest_source_create", context={"user": admin},
                                  name=f"dcat-ma-tran-{uuid.uuid4().hex[:6]}", title="Danh mục DCAT ma trận",
                                  url="http://127.0.0.1:9/catalog.ttl", source_type="dcat_rdf",
                                  owner_org=people["agency_a"]["id"])
    jobs, objects = {}, {}
    for key, source in (("vn", vn), ("generic", generic)):
        job = HarvestJob(source=HarvestSource.get(source["id"]), status="Finished")
        job.save()
        obj = HarvestObject(guid=f"guid-{uuid.uuid4().hex[:8]}", job=job, source=job.source,
                            package_id=private["id"] if key == "vn" else None, current=True)
        obj.save()
        jobs[key], objects[key] = job.id, obj.id
    return {"vn": vn, "generic": generic, "jobs": jobs, "objects": objects}


def _remove_harvest_fixtures(harvest: dict) -> None:
    from ckanext.harvest.model import HarvestJob, HarvestObject
    model.Session.remove()
    for obj_id in harvest["objects"].values():
        model.Session.query(HarvestObject).filter_by(id=obj_id).delete()
    for job_id in harvest["jobs"].values():
        model.Session.query(HarvestJob).filter_by(id=job_id).delete()
    model.Session.commit()
    helpers.call_action("opendata_vn_harvest_source_delete", context=_site(), id=harvest["vn"]["id"])
    helpers.call_action("harvest_source_clear", context=_site(), id=harvest["generic"]["id"])
    for source in (harvest["vn"], harvest["generic"]):
        if model.Package.get(source["id"]) is not None:
            helpers.call_action("dataset_purge", context=_site(), id=source["id"])


@pytest.fixture(scope="module")
def objects(people):
    from ckanext.opendata_vn.feedback.model import DataRequest, Feedback
    from ckanext.opendata_vn.privacy.model import PrivacyReview
    agency = people["agency_a"]
    public = make_dataset(agency)
    private = make_dataset(agency, private=True)
    public_res, private_res = public["resources"][0]["id"], private["resources"][0]["id"]
    reviewer, officer = people["reviewer"], people["officer"]
    draft = call("opendata_vn_catalog_create", people["sysadmin"], province="Ma Trận", year=2033,
                 key=f"ma-tran-{uuid.uuid4().hex[:6]}")
    entry = call("opendata_vn_entry_create", officer, catalog_id=draft["id"], owner_org=agency["id"],
                 **entry_fields("Danh sách bãi đỗ xe"))
    published = call("opendata_vn_catalog_create", people["sysadmin"], province="Ma Trận", year=2034,
                     key=f"ma-tran-pub-{uuid.uuid4().hex[:6]}")
    catalogs = model.meta.metadata.tables["opendata_vn_catalog"]
    model.Session.execute(catalogs.update().where(catalogs.c.id == published["id"]).values(state="published"))
    review = PrivacyReview(package_id=private["id"], origin="upload", source_key=f"ma-tran-{uuid.uuid4().hex}",
                           resource_id=private_res)
    feedback = Feedback(package_id=public["id"], category="error", message="Sai định dạng ngày.")
    request = DataRequest(title="Danh sách bãi đỗ xe công cộng", organization_id=agency["id"])
    model.Session.add_all([review, feedback, request])
    model.Session.commit()
    harvest = _harvest_fixtures(people, public, private)
    theme = factories.Group(name=f"chu-de-ma-tran-{uuid.uuid4().hex[:6]}")
    sql = 'SELECT * FROM "{}"'
    yield {
        "none": {},
        "agency": {"id": agency["id"]},
        "theme": {"id": theme["id"]},
        "private_dataset": {"id": private["id"]},
        "public_dataset": {"id": public["id"], "package_id": public["id"]},
        "new_dataset": {"owner_org": agency["id"], "name": f"moi-{uuid.uuid4().hex[:6]}"},
        "public_dataset_edit": {"id": public["id"], "title": "Danh sách trường học (sửa)"},
        "pending_make_public": {"id": entry["package_id"], "private": "False"},
        "pending_bulk_public": {"org_id": agency["id"], "datasets": [entry["package_id"]]},
        "public_table": {"resource_id": public_res, "id": public_res},
        "private_table": {"resource_id": private_res, "id": private_res},
        "public_sql": {"sql": sql.format(public_res), "__tables": [public_res]},
        "private_sql": {"sql": sql.format(private_res), "__tables": [private_res]},
        "public_table_write": {"resource_id": public_res, "records": [{"stt": 99}]},
        "public_resource": {"id": public_res},
        "published_catalog_key": {"key": published["key"]},
        "draft_catalog_key": {"key": draft["key"]},
        "vn_source_new": {"dataset_id": public["id"], "source_type": "vn_excel"},
        "vn_source": {"id": harvest["vn"]["id"]},
        "vn_source_of_dataset": {"dataset_id": public["id"]},
        "generic_source_new": {"source_type": "dcat_rdf", "owner_org": agency["id"], "type": "harvest"},
        "generic_source": {"id": harvest["generic"]["id"]},
        "generic_source_job": {"source_id": harvest["generic"]["id"]},
        "generic_job": {"id": harvest["jobs"]["generic"]},
        "vn_object": {"id": harvest["objects"]["vn"]},
        "vn_object_by_dataset": {"dataset_id": private["id"]},
        "generic_object": {"id": harvest["objects"]["generic"]},
        "vn_source_objects": {"source_id": harvest["vn"]["id"]},
        "private_dataset_reviews": {"package_id": private["id"]},
        "privacy_review": {"id": review.id},
        "feedback": {"id": feedback.id},
        "data_request": {"id": request.id},
    }
    _remove_harvest_fixtures(harvest)
    helpers.call_action("group_purge", context=_site(), id=theme["id"])
    model.Session.query(Feedback).filter_by(id=feedback.id).delete()
    model.Session.query(DataRequest).filter_by(id=request.id).delete()
    model.Session.commit()


CASES = [(action, target, role, role in allowed) for action, target, allowed in MATRIX for role in ROLES]


@pytest.mark.parametrize("action,target,role,allowed", CASES, ids=[f"{a}-{t}-{r}" for a, t, r, _ok in CASES])
def test_authorization(people, objects, action, target, role, allowed):
    data = dict(objects[target])
    context = {"user": people[role] or "", "model": model}
    tables = data.pop("__tables", None)
    if tables:
        context["table_names"] = tables
    if allowed:
        assert tk.check_access(action, context, data) is True
    else:
        with pytest.raises(tk.NotAuthorized):
            tk.check_access(action, context, data)


def _workflow_matrix() -> list:
    import importlib.util
    path = Path(__file__).resolve().parents[1] / "workflow" / "test_auth_matrix.py"
    spec = importlib.util.spec_from_file_location("workflow_auth_matrix", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.MATRIX


def registered_names() -> set[str]:
    """Every action and auth function our plugin registers (its own and the CKAN or
    ckanext-harvest ones it overrides or chains)."""
    from ckanext.opendata_vn.plugin import OpendataVnPlugin
    plugin = OpendataVnPlugin()
    return set(plugin.get_actions()) | set(plugin.get_auth_functions())


def test_every_registered_action_is_in_a_matrix():
    covered = {a for a, _t, _r in MATRIX} | {a for a, _t, _r in _workflow_matrix()}
    missing = sorted(registered_names() - covered)
    assert not missing, f"actions/auth functions without a row in the auth matrix: {missing}"


def test_every_registered_action_has_an_auth_function():
    """Deny by default: an action of ours without an auth function would be open."""
    from ckan import authz
    missing = sorted(name for name in registered_names() if name not in authz.auth_functions_list())
    assert not missing, f"actions without an auth function: {missing}"
