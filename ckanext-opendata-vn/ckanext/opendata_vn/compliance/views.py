"""Compliance pages: the public summary (/tuan-thu), the staff dashboard
(/tuan-thu/quan-ly), the annual report export and the "data still current" button."""
from __future__ import annotations

from flask import Blueprint, Response
from markupsafe import escape

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.common import request

from ckanext.opendata_vn.compliance import charts, export, figures
from ckanext.opendata_vn.compliance.logic import parse_params
from ckanext.opendata_vn.core import roles, vocab, web

bp = Blueprint("opendata_vn_compliance", __name__, url_prefix="/tuan-thu")
_ = tk._


def _report(with_trend: bool = True) -> tuple[dict, dict]:
    try:
        params = parse_params(request.args)
    except tk.ValidationError as e:
        tk.abort(400, "; ".join(str(m) for v in e.error_dict.values() for m in v))
    return figures.report(**params, with_trend=with_trend), params


def _common(result: dict, params: dict) -> dict:
    return {
        "result": result, "params": params, "provinces": figures.provinces() or [result["province"]],
        "themes": vocab.THEMES, "status_label": export.status_label, "first_label": export.first_label,
        "fmt_date": export._d, "frequency_label": export.frequency_label,
        "catalogs_line": export.catalogs_line(result),
    }


@bp.route("")
def summary():
    """Public: the province's figures and who delivers on time."""
    tk.check_access("opendata_vn_compliance_report", web.context(), {})
    result, params = _report()
    return tk.render("compliance_vn/summary.html", {
        **_common(result, params),
        "trend_chart": charts.share_trend(result["trend"]) if result.get("trend") else None,
        "is_staff": roles.is_staff(tk.g.user),
    })


@bp.route("/quan-ly")
def dashboard():
    """IT staff: every agency's status, trends, filters, overdue list, exports.
    Focal officers see their own agencies."""
    try:
        tk.check_access("opendata_vn_compliance_dashboard", web.context(), {})
    except tk.NotAuthorized:
        return web.refusal(request.full_path, _("Cần đăng nhập bằng tài khoản cán bộ."))
    result, params = _report()
    reviewer = roles.is_reviewer(tk.g.user)
    own = {a.id for a in roles.officer_agencies(tk.g.user)}
    if not reviewer:  # a focal officer sees the province's totals and their own agencies in detail
        result = {**result, "agencies": [a for a in result["agencies"] if a["id"] in own],
                  "overdue": [r for r in result["overdue"] if r["agency_id"] in own]}
    agency_choices = sorted({(a["name"], a["title"]) for a in result["agencies"]}, key=lambda x: x[1])
    query = {k: v for k, v in params.items() if v and k != "as_of"}
    query["year"] = result["year"]
    return tk.render("compliance_vn/dashboard.html", {
        **_common(result, params),
        "reviewer": reviewer, "own_agencies": own, "agency_choices": agency_choices,
        "trend_chart": charts.share_trend(result["trend"]) if result.get("trend") else None,
        "monthly_chart": charts.monthly(result["monthly"], result["totals"]["entries"]) if result.get("monthly") else None,
        "agency_chart": charts.agency_status(result["agencies"]) if result["agencies"] else None,
        "xlsx_url": tk.h.url_for("opendata_vn_compliance.report_file", fmt="xlsx", **query),
        "csv_url": tk.h.url_for("opendata_vn_compliance.report_file", fmt="csv", **query),
    })


@bp.route("/bao-cao.<fmt>")
def report_file(fmt: str):
    """The annual report for the Provincial People's Committee (xlsx or csv)."""
    try:
        tk.check_access("opendata_vn_compliance_export", web.context(), {})
    except tk.NotAuthorized:
        return tk.abort(403, _("Chỉ cán bộ của Sở phụ trách cổng dữ liệu được xuất báo cáo."))
    if fmt not in ("xlsx", "csv"):
        return tk.abort(404)
    result, _params = _report(with_trend=False)
    if fmt == "xlsx":
        body = export.xlsx(result)
        mimetype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        body, mimetype = export.csv_bytes(result), "text/csv; charset=utf-8"
    return Response(body, mimetype=mimetype, headers={
        "Content-Disposition": f'attachment; filename="{export.filename(result, fmt)}"'})


@bp.route("/xac-nhan", methods=["POST"])
def confirm():
    """A focal officer confirms that a published dataset's data is still current."""
    package_id = request.form.get("package_id") or ""
    try:
        tk.get_action("opendata_vn_data_confirm")(web.context(), {
            "package_id": package_id, "comment": request.form.get("comment") or ""})
    except tk.NotAuthorized as e:
        return tk.abort(403, str(e))
    except tk.ObjectNotFound as e:
        return tk.abort(404, str(e))
    pkg = model.Package.get(package_id)
    tk.h.flash_success(_("Đã ghi nhận xác nhận dữ liệu của \"{title}\" còn đúng.").format(
        title=escape(pkg.title if pkg else package_id)))
    target = request.form.get("came_from") or ""
    if not target.startswith("/") or target.startswith("//"):
        target = tk.h.url_for("opendata_vn_compliance.dashboard")
    return tk.redirect_to(target)


def get_blueprints():
    return [bp]
