"""Every role × every action of the catalog workflow and compliance tracking.

Roles: anonymous citizen, focal officer of the entry's agency, focal officer of
another agency, IT reviewer (configured, not a sysadmin), sysadmin. Auth functions
decide on roles only; state rules are tested in test_transitions.py.
"""
from __future__ import annotations

import uuid

import pytest

import ckan.plugins.toolkit as tk
from ckan import model

from tests.support.workflow import PROVINCE, call, entry_fields

ROLES = ("anonymous", "officer", "other_officer", "reviewer", "sysadmin")
EVERYONE = set(ROLES)
STAFF = {"officer", "other_officer", "reviewer", "sysadmin"}
IT = {"reviewer", "sysadmin"}
OWN_AGENCY = {"officer", "sysadmin"}

# action, which object it acts on (see `objects`), roles allowed
MATRIX = [
    ("opendata_vn_catalog_list", "none", EVERYONE),
    ("opendata_vn_catalog_show", "published_catalog", EVERYONE),
    ("opendata_vn_catalog_show", "draft_catalog", STAFF),
    ("opendata_vn_catalog_create", "new_catalog", IT),
    ("opendata_vn_catalog_approve", "draft_catalog", IT),
    ("opendata_vn_catalog_reopen", "draft_catalog", IT),
    ("opendata_vn_catalog_publish", "draft_catalog", IT),
    ("opendata_vn_catalog_amend", "published_catalog", IT),
    ("opendata_vn_entry_create", "new_entry", OWN_AGENCY),
    ("opendata_vn_entry_create", "existing_dataset", OWN_AGENCY),
    ("opendata_vn_entry_update", "entry", OWN_AGENCY),
    ("opendata_vn_entry_withdraw", "entry", OWN_AGENCY),
    ("opendata_vn_entry_submit", "entry", OWN_AGENCY),
    ("opendata_vn_entry_submit", "agency_entries", OWN_AGENCY),
    ("opendata_vn_entry_return", "entry", IT),
    ("opendata_vn_entry_approve", "entry", IT),
    ("opendata_vn_data_confirm", "dataset", OWN_AGENCY),
    ("opendata_vn_compliance_report", "none", EVERYONE),
    ("opendata_vn_compliance_dashboard", "none", STAFF),
    ("opendata_vn_compliance_export", "none", IT),
    ("opendata_vn_reminder_list", "none", IT),
    # CKAN's own actions on a pending proposal (private dataset of the officer's agency)
    ("package_show", "dataset", {"officer", "reviewer", "sysadmin"}),
    ("package_update", "dataset_edit", OWN_AGENCY),
    ("package_update", "dataset_make_public", {"sysadmin"}),
]


@pytest.fixture(scope="module")
def objects(people):
    admin = people["sysadmin"]
    draft = call("opendata_vn_catalog_create", admin, province=PROVINCE, year=2034,
                 key=f"thu-nghiem-matrix-{uuid.uuid4().hex[:6]}")
    entry = call("opendata_vn_entry_create", admin, catalog_id=draft["id"], owner_org=people["agency_a"]["id"],
                 **entry_fields("Danh sách phòng khám"))
    published = call("opendata_vn_catalog_create", admin, province=PROVINCE, year=2035,
                     key=f"thu-nghiem-matrix-pub-{uuid.uuid4().hex[:6]}")
    model.Session.execute(model.meta.metadata.tables["opendata_vn_catalog"].update()
                          .where(model.meta.metadata.tables["opendata_vn_catalog"].c.id == published["id"])
                          .values(state="published"))
    model.Session.commit()
    pkg = {"id": entry["package_id"]}
    return {
        "none": {},
        "published_catalog": {"id": published["id"]},
        "draft_catalog": {"id": draft["id"]},
        "new_catalog": {"province": PROVINCE, "year": 2036},
        "new_entry": {"catalog_id": draft["id"], "owner_org": people["agency_a"]["id"]},
        "existing_dataset": {"catalog_id": draft["id"], "package_id": entry["package_id"]},
        "entry": {"id": entry["id"], "ids": [entry["id"]]},
        "agency_entries": {"catalog_id": draft["id"], "owner_org": people["agency_a"]["id"]},
        "dataset": {"id": entry["package_id"], "package_id": entry["package_id"]},
        "dataset_edit": {"id": pkg["id"], "title": "Danh sách phòng khám tư nhân"},
        "dataset_make_public": {"id": pkg["id"], "private": "False"},
    }


CASES = [(action, target, role, role in allowed) for action, target, allowed in MATRIX for role in ROLES]


@pytest.mark.parametrize("action,target,role,allowed", CASES,
                         ids=[f"{a}-{t}-{r}" for a, t, r, _ok in CASES])
def test_authorization(people, objects, action, target, role, allowed):
    context = {"user": people[role] or "", "model": model}
    data = dict(objects[target])
    if allowed:
        assert tk.check_access(action, context, data) is True
    else:
        with pytest.raises(tk.NotAuthorized):
            tk.check_access(action, context, data)


def test_every_registered_action_has_an_auth_function_in_the_matrix():
    from ckanext.opendata_vn.workflow import wiring
    actions = set(wiring.get_actions())
    auths = set(wiring.get_auth_functions())
    assert actions <= auths, actions - auths
    assert actions <= {a for a, _t, _r in MATRIX}
