"""Pages of the annual catalog workflow (/danh-muc/…). Every change is a POST form
with CKAN's CSRF token; the actions do the checks, the pages only render."""
from __future__ import annotations

from flask import Blueprint
from markupsafe import escape

import ckan.plugins.toolkit as tk
from ckan.common import request

from ckanext.opendata_vn.core import roles, vocab, web
from ckanext.opendata_vn.workflow import states

bp = Blueprint("opendata_vn_workflow", __name__, url_prefix="/danh-muc")
_ = tk._


def _flash_errors(e: tk.ValidationError) -> None:
    messages = []
    for value in (e.error_dict or {}).values():
        messages.extend(value if isinstance(value, list) else [value])
    tk.h.flash_error("<br>".join(str(escape(str(m))) for m in messages) or _("Không thực hiện được."))


def _back(key: str):
    return tk.redirect_to("opendata_vn_workflow.read", key=key)


def _permissions(catalog: dict, user: str | None) -> dict:
    reviewer = roles.is_reviewer(user)
    agencies = roles.officer_agencies(user) if user else []
    if roles.is_sysadmin(user):  # a sysadmin acts for the agencies that have entries here
        ids = {e["agency_id"] for e in catalog.get("entries", [])}
        agencies = [a for a in agencies if a.id in ids] or agencies[:0]
    return {
        "reviewer": reviewer, "officer_agencies": [{"id": a.id, "name": a.name, "title": a.title} for a in agencies],
        "all_agencies": ([{"id": a.id, "name": a.name, "title": a.title} for a in roles.officer_agencies(user)]
                         if user else []),
        "draft": catalog["state"] == "draft",
    }


def _export_url(key: str) -> str | None:
    try:
        return tk.h.url_for("opendata_vn_catalog_io.export_appendix", key=key)
    except Exception:  # the appendix export is another module's page
        return None


@bp.route("")
def index():
    context = web.context()
    params = {k: request.args.get(k) for k in ("province", "year", "state") if request.args.get(k)}
    catalogs = tk.get_action("opendata_vn_catalog_list")(context, params)
    provinces = sorted({c["province"] for c in catalogs})
    return tk.render("workflow_vn/index.html", {
        "catalogs": catalogs, "params": params, "provinces": provinces,
        "can_create": roles.is_reviewer(tk.g.user), "default_province": tk.config.get("ckanext.opendata_vn.province"),
        "errors": {}, "form": {}, "state_label": states.catalog_state_label,
    })


@bp.route("/moi", methods=["POST"])
def create():
    form = {k: v for k, v in request.form.items() if k != "_csrf_token"}
    try:
        catalog = web.call_or_abort("opendata_vn_catalog_create", form)
    except tk.ValidationError as e:
        _flash_errors(e)
        return tk.redirect_to("opendata_vn_workflow.index")
    tk.h.flash_success(_("Đã lập danh mục \"{title}\" (đang lập).").format(title=escape(catalog["title"])))
    return _back(catalog["key"])


@bp.route("/<key>")
def read(key: str):
    catalog = web.call_or_abort("opendata_vn_catalog_show", {"id": key}, not_found=_("Không tìm thấy danh mục"),
                                refused=_("Danh mục chưa được công bố."))
    perms = _permissions(catalog, tk.g.user)
    groups: list[dict] = []
    for entry in catalog["entries"]:
        label = entry["theme"] or _("Chưa phân chủ đề")
        head = f"{entry['theme_number']}. {label}" if entry["theme_number"] else label
        if not groups or groups[-1]["head"] != head:
            groups.append({"head": head, "entries": []})
        groups[-1]["entries"].append(entry)
    if catalog["state"] != "approved" and catalog["state"] != "published":
        merged: dict[str, dict] = {}
        for g in groups:
            merged.setdefault(g["head"], {"head": g["head"], "entries": []})["entries"].extend(g["entries"])
        groups = list(merged.values())
    own = {a["id"] for a in perms["officer_agencies"]}
    submittable = {}
    for entry in catalog["entries"]:
        if entry["agency_id"] in own and entry["state"] in ("draft", "returned"):
            submittable.setdefault(entry["agency_id"], {"id": entry["agency_id"], "title": entry["agency_title"],
                                                        "n": 0})["n"] += 1
    return tk.render("workflow_vn/catalog.html", {
        "catalog": catalog, "groups": groups, "perms": perms, "submittable": list(submittable.values()),
        "own_agencies": own, "export_url": _export_url(catalog["key"]),
        "action_label": states.action_label, "entry_state_label": states.entry_state_label,
        "catalog_state_label": states.catalog_state_label,
        "reviewable": [e for e in catalog["entries"] if e["state"] in ("submitted", "approved")],
    })


def _entry_form_data() -> dict:
    form = request.form
    data = {k: (form.get(k) or "").strip() for k in (
        "owner_org", "title", "notes", "theme", "first_provided", "update_frequency", "remarks",
        "resource_url", "resource_name", "package_id")}
    data["source_types"] = form.getlist("source_types")
    data["data_fields"] = [ln.strip() for ln in (form.get("data_fields") or "").splitlines() if ln.strip()]
    upload = request.files.get("upload")
    if upload is not None and upload.filename:
        data["upload"] = upload
    return {k: v for k, v in data.items() if v not in (None, "") or k in ("source_types", "data_fields")}


def _form_vars(catalog: dict, data: dict, errors: dict, entry: dict | None = None) -> dict:
    return {
        "catalog": catalog, "data": data, "errors": errors, "entry": entry,
        "agencies": roles.officer_agencies(tk.g.user),
        "themes": vocab.THEMES, "frequencies": vocab.FREQUENCIES, "sources": vocab.SOURCE_TYPES,
        "entry_state_label": states.entry_state_label,
    }


@bp.route("/<key>/muc-moi", methods=["GET", "POST"])
def entry_new(key: str):
    try:
        catalog = tk.get_action("opendata_vn_catalog_show")(web.context(), {"id": key})
    except (tk.ObjectNotFound, tk.NotAuthorized):
        return tk.abort(404, _("Không tìm thấy danh mục"))
    if catalog["state"] != "draft":
        tk.h.flash_error(_("Danh mục không còn nhận đề xuất."))
        return _back(key)
    if not roles.officer_agencies(tk.g.user):
        return tk.abort(403, _("Chỉ cán bộ đầu mối của đơn vị được đề xuất mục."))
    data, errors = {}, {}
    if request.method == "POST":
        data = _entry_form_data()
        try:
            web.call_or_abort("opendata_vn_entry_create", {**data, "catalog_id": catalog["id"]})
        except tk.ValidationError as e:
            errors = e.error_dict
        else:
            tk.h.flash_success(_("Đã thêm mục \"{title}\" (dự thảo). Gửi thẩm định khi đã đủ thông tin.")
                               .format(title=escape(data.get("title", ""))))
            return _back(key)
        data.pop("upload", None)
    return tk.render("workflow_vn/entry_form.html", _form_vars(catalog, data, errors))


@bp.route("/<key>/muc/<entry_id>/sua", methods=["GET", "POST"])
def entry_edit(key: str, entry_id: str):
    context = web.context()
    try:
        catalog = tk.get_action("opendata_vn_catalog_show")(context, {"id": key})
        tk.check_access("opendata_vn_entry_update", context, {"id": entry_id})
    except (tk.ObjectNotFound, tk.NotAuthorized):
        return tk.abort(403, _("Không được sửa mục này."))
    entry = next((e for e in catalog["entries"] if e["id"] == entry_id), None)
    if entry is None:
        return tk.abort(404, _("Không tìm thấy mục danh mục"))
    errors = {}
    if request.method == "POST":
        data = _entry_form_data()
        data.pop("owner_org", None)
        try:
            tk.get_action("opendata_vn_entry_update")(context, {**data, "id": entry_id})
        except tk.ValidationError as e:
            errors = e.error_dict
        else:
            tk.h.flash_success(_("Đã lưu mục \"{title}\".").format(title=escape(data.get("title", ""))))
            return _back(key)
        data.pop("upload", None)
    else:
        pkg = tk.get_action("package_show")(context, {"id": entry["package_id"]})
        data = {k: pkg.get(k) for k in ("title", "notes", "theme", "first_provided", "update_frequency",
                                        "remarks", "source_types", "data_fields", "owner_org")}
        data["resources"] = pkg.get("resources") or []
    return tk.render("workflow_vn/entry_form.html", _form_vars(catalog, data, errors, entry))


def _post(key: str, action: str, data: dict, success: str):
    try:
        web.call_or_abort(action, data)
    except tk.ValidationError as e:
        _flash_errors(e)
    else:
        tk.h.flash_success(success)
    return _back(key)


@bp.route("/<key>/muc/<entry_id>/rut", methods=["POST"])
def entry_withdraw(key: str, entry_id: str):
    return _post(key, "opendata_vn_entry_withdraw", {"id": entry_id}, _("Đã rút mục khỏi danh mục."))


@bp.route("/<key>/gui-tham-dinh", methods=["POST"])
def submit(key: str):
    try:
        catalog = tk.get_action("opendata_vn_catalog_show")(web.context(), {"id": key})
    except (tk.ObjectNotFound, tk.NotAuthorized):
        return tk.abort(404, _("Không tìm thấy danh mục"))
    data = {"catalog_id": catalog["id"], "owner_org": request.form.get("owner_org")}
    if request.form.getlist("ids"):
        data = {"ids": request.form.getlist("ids")}
    return _post(key, "opendata_vn_entry_submit", data, _("Đã gửi các mục của đơn vị để Sở thẩm định."))


@bp.route("/<key>/tham-dinh", methods=["POST"])
def review(key: str):
    decision = request.form.get("decision")
    ids = request.form.getlist("ids")
    data = {"ids": ids, "comment": request.form.get("comment") or ""}
    if not ids:
        tk.h.flash_error(_("Chọn ít nhất một mục để thẩm định."))
        return _back(key)
    if decision == "return":
        return _post(key, "opendata_vn_entry_return", data, _("Đã trả lại {n} mục kèm ý kiến.").format(n=len(ids)))
    if decision == "approve":
        return _post(key, "opendata_vn_entry_approve", data, _("Đã phê duyệt {n} mục.").format(n=len(ids)))
    return tk.abort(400, _("Thao tác không hợp lệ."))


@bp.route("/<key>/phe-duyet", methods=["POST"])
def approve(key: str):
    return _post(key, "opendata_vn_catalog_approve", {"id": key, "comment": request.form.get("comment") or ""},
                 _("Đã phê duyệt danh mục; nhập số, ngày quyết định để công bố."))


@bp.route("/<key>/mo-lai", methods=["POST"])
def reopen(key: str):
    return _post(key, "opendata_vn_catalog_reopen", {"id": key, "comment": request.form.get("comment") or ""},
                 _("Đã mở lại danh mục."))


@bp.route("/<key>/cong-bo", methods=["POST"])
def publish(key: str):
    data = {"id": key, **{k: (request.form.get(k) or "").strip()
                          for k in ("document_number", "document_date", "issuer", "comment")}}
    return _post(key, "opendata_vn_catalog_publish", data, _("Đã công bố danh mục."))


@bp.route("/<key>/sua-doi", methods=["POST"])
def amend(key: str):
    try:
        amendment = web.call_or_abort("opendata_vn_catalog_amend", {"id": key, "comment": request.form.get("comment") or ""})
    except tk.ValidationError as e:
        _flash_errors(e)
        return _back(key)
    tk.h.flash_success(_("Đã lập danh mục sửa đổi, bổ sung."))
    return _back(amendment["key"])


def get_blueprints():
    return [bp]
