"""Who may manage harvest sources: those who may edit the dataset a source fulfils
(the focal officers of its agency: editors and admins of its organization) and
sysadmins, who pass every auth function. Nobody else sees or touches the sources.

ckanext-harvest's generic source types (dcat_rdf, ckan, vn_ckan…: any type but
vn_excel/vn_api) run as the site user and can write into any agency: they and the
raw harvest actions on them are for IT reviewers and sysadmins only
(`GENERIC_GUARDED` and package_update, chained over CKAN's and ckanext-harvest's
auth functions). Run logs and extras of harvest objects are read only by those who
manage the source."""
from __future__ import annotations

import ckan.plugins.toolkit as tk
from ckan import model

from ckanext.harvest.model import HarvestJob, HarvestObject, HarvestSource

from ckanext.opendata_vn.core import roles
from ckanext.opendata_vn.harvest import sources


def source_from(data_dict: dict) -> HarvestSource | None:
    ref = (data_dict or {}).get("id") or (data_dict or {}).get("source_id")
    if not ref:
        return None
    source = HarvestSource.get(ref)
    if source is None:
        pkg = model.Package.get(ref)
        source = HarvestSource.get(pkg.id) if pkg is not None else None
    return source


def dataset_id_from(data_dict: dict) -> str | None:
    if (data_dict or {}).get("dataset_id"):
        pkg = model.Package.get(data_dict["dataset_id"])
        return pkg.id if pkg is not None else None
    source = source_from(data_dict)
    return sources.dataset_id_of(source) if source is not None and source.type in sources.SOURCE_TYPES else None


def may_edit_dataset(user: str | None, dataset_id: str | None) -> bool:
    """Whoever may update the dataset manages its sources (CKAN's own package_update
    check: its agency's editors and admins, sysadmins)."""
    if not user or not dataset_id:
        return False
    try:
        tk.check_access("package_update", {"model": model, "user": user}, {"id": dataset_id})
    except (tk.NotAuthorized, tk.ObjectNotFound):
        return False
    return True


def manage_refused() -> str:
    # not roles.officer_refusal(): reviewers who edit no dataset of the agency may not either
    return tk._("Chỉ cán bộ đầu mối của đơn vị chủ trì tập dữ liệu mới quản lý được nguồn dữ liệu.")


def manage_source(context, data_dict):
    if may_edit_dataset(roles.user_name(context), dataset_id_from(data_dict)):
        return {"success": True}
    return _no(manage_refused)


@tk.chained_auth_function
def harvest_source_list(next_auth, context, data_dict):
    """ckanext-harvest lists every source (with its config) to anyone; only sysadmins
    (who never reach this function) get the full list; officers use the dataset page."""
    return {"success": False, "msg": tk._("Chỉ quản trị hệ thống xem được toàn bộ nguồn thu thập.")}


# ----------------------------------------------------------- generic source types
def generic_refused() -> str:
    # the reviewers' role, and where a focal officer goes instead
    return tk._("Chỉ cán bộ thẩm định của Sở và quản trị hệ thống được dùng các loại nguồn thu thập chung "
                "(DCAT, CKAN…); đơn vị dùng tab «Nguồn dữ liệu» của tập dữ liệu.")


def logs_refused() -> str:
    return tk._("Chỉ cán bộ quản lý nguồn thu thập mới xem được nhật ký và chi tiết thu thập.")


def _no(msg) -> dict:
    """msg: a function giving the (translated) message."""
    return {"success": False, "msg": msg()}


def _job_source(ref) -> HarvestSource | None:
    job = HarvestJob.get(ref) if ref else None
    return job.source if job is not None else None


def _object_of(data_dict: dict) -> HarvestObject | None:
    if data_dict.get("id"):
        return HarvestObject.get(data_dict["id"])
    pkg = model.Package.get(data_dict.get("dataset_id") or "")
    if pkg is None:
        return None
    return (model.Session.query(HarvestObject).filter(HarvestObject.package_id == pkg.id)
            .order_by(HarvestObject.current.desc(), HarvestObject.gathered.desc()).first())


def _source_of(action: str, context: dict, data_dict: dict) -> HarvestSource | None:
    """The harvest source an upstream action works on, if it can be told."""
    if action in ("harvest_job_show", "harvest_job_abort"):
        return _job_source(data_dict.get("id"))
    if action == "harvest_send_job_to_gather_queue":
        return _job_source(data_dict.get("id")) or source_from(data_dict)
    if action in ("harvest_object_show", "harvest_object_list"):
        if action == "harvest_object_list":
            return HarvestSource.get(data_dict.get("source_id") or "")
        obj = _object_of(data_dict)
        return obj.source if obj is not None else None
    return source_from(data_dict)


def source_types(action: str, context: dict, data_dict: dict) -> set[str] | None:
    """Source types involved (the current one and any requested), or None when the
    request does not concern a harvest source."""
    data_dict = data_dict or {}
    wanted = data_dict.get("source_type")
    if action in ("package_create", "harvest_source_create"):
        if action == "package_create" and data_dict.get("type") != "harvest":
            return None
        return {wanted or ""}
    if action in ("package_update", "package_delete"):
        pkg = model.Package.get(data_dict.get("id") or data_dict.get("name") or "")
        if pkg is None or pkg.type != "harvest":
            return None
    source = _source_of(action, context, data_dict)
    if source is None:
        return None
    return {source.type} | ({wanted} if wanted else set())


def is_generic(types: set[str]) -> bool:
    return any(t not in sources.SOURCE_TYPES for t in types)


# the guarded upstream functions that are called for anonymous users too
ANONYMOUS_UPSTREAM = {"package_create", "harvest_source_show", "harvest_source_show_status"}


def _generic_guard(action: str):
    """Chained over an upstream auth function: generic types → reviewers only."""
    @tk.chained_auth_function
    def guard(next_auth, context, data_dict):
        types = source_types(action, context, data_dict)
        if types is not None and is_generic(types):
            if roles.is_reviewer(roles.user_name(context)):
                return {"success": True}
            return _no(generic_refused)
        return next_auth(context, data_dict)
    guard.__name__ = action
    if action in ANONYMOUS_UPSTREAM:   # keep upstream's answer for anonymous users
        guard = tk.auth_allow_anonymous_access(guard)
    return guard


@tk.chained_auth_function
def package_update(next_auth, context, data_dict):
    """Editing a harvest source package of a generic type, or into one, is for
    reviewers only; anything else (reviewers included) goes on to the next check
    (workflow's publication rule, then CKAN's)."""
    types = source_types("package_update", context, data_dict)
    if types is not None and is_generic(types) and not roles.is_reviewer(roles.user_name(context)):
        return _no(generic_refused)
    return next_auth(context, data_dict)


def _may_read_runs(context, data_dict, action) -> bool:
    user = roles.user_name(context)
    if roles.is_reviewer(user):
        return True
    source = _source_of(action, context, data_dict or {})
    if source is None or is_generic({source.type}):
        return False
    return may_edit_dataset(user, sources.dataset_id_of(source))


@tk.chained_auth_function
@tk.auth_allow_anonymous_access
def harvest_object_show(next_auth, context, data_dict):
    """Upstream lets anyone read any harvest object (run log, extras), including those
    of private datasets: only the source's managers and reviewers may."""
    if not _may_read_runs(context, data_dict, "harvest_object_show"):
        return _no(logs_refused)
    return {"success": True}


@tk.chained_auth_function
@tk.auth_allow_anonymous_access
def harvest_object_list(next_auth, context, data_dict):
    if not _may_read_runs(context, data_dict, "harvest_object_list"):
        return _no(logs_refused)
    return {"success": True}


# For ckanext-harvest functions with no auth function of their own (its plugin
# registers its actions as auth functions too, by a shared default dict: next_auth
# is the action itself, never called).

@tk.chained_auth_function
def harvest_log_list(next_auth, context, data_dict):
    """ckanext-harvest's own log table (every source)."""
    return roles.reviewer_only(context)


@tk.chained_auth_function
def harvest_abort_failed_jobs(next_auth, context, data_dict):
    """Aborts every source's stuck jobs (the scheduler runs it as the site user)."""
    return roles.reviewer_only(context)


# upstream auth functions whose generic-type use is for reviewers only
GENERIC_GUARDED = (
    "package_create", "package_delete",
    "harvest_source_create", "harvest_source_update", "harvest_source_delete", "harvest_source_clear",
    "harvest_source_reindex", "harvest_source_show", "harvest_source_show_status",
    "harvest_job_create", "harvest_send_job_to_gather_queue", "harvest_job_list", "harvest_job_show",
    "harvest_job_abort",
)


def get_auth_functions():
    return {
        **{name: _generic_guard(name) for name in GENERIC_GUARDED},
        "harvest_object_show": harvest_object_show,
        "harvest_object_list": harvest_object_list,
        "harvest_log_list": harvest_log_list,
        "harvest_abort_failed_jobs": harvest_abort_failed_jobs,
        "opendata_vn_harvest_source_create": manage_source,
        "opendata_vn_harvest_source_update": manage_source,
        "opendata_vn_harvest_source_preview": manage_source,
        "opendata_vn_harvest_source_delete": manage_source,
        "opendata_vn_harvest_source_show": manage_source,
        "opendata_vn_harvest_source_list": manage_source,
        "opendata_vn_harvest_run": manage_source,
        "harvest_source_list": harvest_source_list,
        "package_update": package_update,
    }
