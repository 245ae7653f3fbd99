"""Pages: report a problem and rate a dataset, request data, vote, and the inbox where
the agency and the IT staff answer and close what they received."""
from __future__ import annotations

import uuid

from flask import Blueprint

import ckan.plugins.toolkit as tk
from ckan.common import request

from ckanext.opendata_vn.core import roles, web
from ckanext.opendata_vn.feedback import antispam
from ckanext.opendata_vn.feedback.model import CATEGORIES, CLOSE_REASONS
from ckanext.opendata_vn.feedback.roles import managed_org_ids, manages_org

feedback = Blueprint("opendata_vn_feedback", __name__)
h = tk.h


def _form() -> dict:
    return {k: v for k, v in request.form.items() if k not in ("_csrf_token", antispam.HONEYPOT_FIELD)}


def _csrf_ok() -> bool:
    """CKAN checks the CSRF token only for logged-in sessions; these forms are open to
    anonymous visitors, so the token (h.csrf_input) is checked here for everyone except
    API-token clients (exempt in CKAN too)."""
    header = tk.config.get("apitoken_header_name") or "Authorization"
    if request.headers.get(header) and tk.g.get("user"):
        return True
    from flask_wtf.csrf import validate_csrf
    from wtforms.validators import ValidationError
    try:
        validate_csrf(request.form.get(tk.g.get("csrf_field_name") or "_csrf_token"))
    except ValidationError:
        return False
    return True


def _expired() -> str:
    return tk._("Phiên làm việc đã hết hạn. Vui lòng gửi lại.")


def _with_voter(context: dict) -> dict:
    """An anonymous visitor gets a voter id (signed cookie) the first time they vote or
    rate; a cookie we did not sign gets none: its bearer votes as their address."""
    if not context["user"] and not antispam.voter_cookie_forged():
        context["voter_token"] = antispam.voter_token() or uuid.uuid4().hex
    return context


def _remember_voter(response, context: dict):
    token = context.get("voter_token")
    if token and token != antispam.voter_token():
        response.set_cookie(antispam.VOTER_COOKIE, antispam.signed_voter_cookie(token), max_age=400 * 24 * 3600,
                            httponly=True, samesite="Lax", secure=request.is_secure)
    return response


def _status(errors: dict) -> int:
    return 429 if "rate_limit" in errors else 400


def _dataset(id: str) -> dict:
    try:
        return tk.get_action("package_show")(web.context(), {"id": id})
    except (tk.ObjectNotFound, tk.NotAuthorized):
        return tk.abort(404, tk._("Không tìm thấy tập dữ liệu."))


# ----------------------------------------------------------------- on a dataset
@feedback.route("/dataset/<id>/phan-hoi", methods=["GET", "POST"])
def report(id: str):
    pkg = _dataset(id)
    form, errors = {}, {}
    thanks = tk._("Cảm ơn bạn đã gửi phản hồi. Đơn vị chủ trì sẽ xem xét và trả lời.")
    if request.method == "POST":
        form = _form()
        if antispam.honeypot_filled(request.form):
            h.flash_success(thanks)
            return h.redirect_to("dataset.read", id=pkg["name"])
        errors = {} if _csrf_ok() else {"csrf": [_expired()]}
        if not errors:
            try:
                tk.get_action("opendata_vn_feedback_create")(web.context(), dict(form, package_id=pkg["id"]))
            except tk.ValidationError as e:
                errors = e.error_dict
            else:
                h.flash_success(thanks)
                return h.redirect_to("dataset.read", id=pkg["name"])
    body = tk.render("feedback_vn/report.html", {"pkg": pkg, "form": form, "errors": errors,
                                                 "categories": CATEGORIES})
    return (body, _status(errors)) if errors else body


@feedback.route("/dataset/<id>/danh-gia", methods=["POST"])
def rate(id: str):
    pkg = _dataset(id)
    context = _with_voter(web.context())
    back = h.url_for("dataset.read", id=pkg["name"]) + "#danh-gia"
    if not _csrf_ok():
        h.flash_error(_expired())
        return tk.redirect_to(back)
    try:
        tk.get_action("opendata_vn_rating_create")(context, {"package_id": pkg["id"],
                                                             "score": request.form.get("score")})
    except tk.ValidationError as e:
        h.flash_error(web.validation_message(e))
    else:
        h.flash_success(tk._("Cảm ơn bạn đã đánh giá tập dữ liệu."))
    return _remember_voter(tk.redirect_to(back), context)


# ----------------------------------------------------------------- data requests
@feedback.route("/yeu-cau-du-lieu")
def requests():
    params = {"state": request.args.get("state") or "active", "sort": request.args.get("sort") or "votes",
              "q": request.args.get("q") or "", "organization": request.args.get("organization") or ""}
    page = h.get_page_number(request.args)
    limit = 20
    result = tk.get_action("opendata_vn_data_request_list")(
        web.context(), dict(params, limit=limit, offset=(page - 1) * limit))
    from ckan.lib.pagination import Page
    pager = Page(collection=result["results"], page=page, item_count=result["count"], items_per_page=limit,
                 url=lambda q=None, page=1, **kw: h.url_for(
                     "opendata_vn_feedback.requests", page=page, **{k: v for k, v in params.items() if v}),
                 presliced_list=True)
    return tk.render("feedback_vn/requests.html", {"result": result, "params": params, "page": pager})


def _organizations() -> list[dict]:
    from ckan import model
    rows = (model.Session.query(model.Group.id, model.Group.name, model.Group.title)
            .filter(model.Group.is_organization == True, model.Group.state == "active")  # noqa: E712
            .order_by(model.Group.title))
    return [{"id": r.id, "name": r.name, "title": r.title or r.name} for r in rows]


@feedback.route("/yeu-cau-du-lieu/moi", methods=["GET", "POST"])
def request_new():
    form, errors = {}, {}
    if request.method == "POST":
        form = _form()
        if antispam.honeypot_filled(request.form):
            h.flash_success(tk._("Đã nhận yêu cầu dữ liệu của bạn. Cảm ơn bạn!"))
            return h.redirect_to("opendata_vn_feedback.requests")
        context = _with_voter(web.context())
        errors = {} if _csrf_ok() else {"csrf": [_expired()]}
        if not errors:
            try:
                created = tk.get_action("opendata_vn_data_request_create")(context, form)
            except tk.ValidationError as e:
                errors = e.error_dict
            else:
                h.flash_success(tk._("Đã nhận yêu cầu dữ liệu của bạn. Cảm ơn bạn!"))
                return _remember_voter(h.redirect_to("opendata_vn_feedback.request_read", id=created["id"]),
                                       context)
    else:
        form = {"organization": request.args.get("organization") or "", "title": request.args.get("title") or ""}
    body = tk.render("feedback_vn/request_form.html", {"form": form, "errors": errors,
                                                       "organizations": _organizations()})
    return (body, _status(errors)) if errors else body


@feedback.route("/yeu-cau-du-lieu/<id>")
@web.refusals_as_pages
def request_read(id: str):
    req = web.call_or_abort("opendata_vn_data_request_show", {"id": id}, came_from=request.full_path,
                            not_found=_request_not_found())
    user = tk.g.get("user")
    manager = manages_org(user, req["organization_id"])
    return tk.render("feedback_vn/request_read.html", {
        "req": req, "manager": manager, "it_staff": roles.is_reviewer(user),
        "organizations": _organizations() if manager else [], "close_reasons": CLOSE_REASONS,
        "errors": {}})


@feedback.route("/yeu-cau-du-lieu/<id>/binh-chon", methods=["POST"])
def request_vote(id: str):
    context = _with_voter(web.context())
    try:
        if not _csrf_ok():
            raise tk.ValidationError({"csrf": [_expired()]})
        tk.get_action("opendata_vn_data_request_vote")(context, {"id": id})
    except tk.ObjectNotFound:
        return tk.abort(404, _request_not_found())
    except tk.ValidationError as e:
        h.flash_error(web.validation_message(e))
    else:
        h.flash_success(tk._("Đã ghi nhận bình chọn của bạn."))
    came_from = request.form.get("came_from") or ""
    if came_from.startswith("/") and came_from[1:2] not in ("/", "\\"):
        return _remember_voter(tk.redirect_to(came_from), context)
    return _remember_voter(h.redirect_to("opendata_vn_feedback.request_read", id=id), context)


def _request_not_found() -> str:
    return tk._("Không tìm thấy yêu cầu dữ liệu.")


def _answer(action: str, data: dict, not_found: str, refused: str) -> None:
    """Save an answer posted from a staff form and flash the outcome. A refusal is 403
    for anonymous posters too (the forms are shown to staff only)."""
    try:
        web.call_or_abort(action, data, refused=refused, not_found=not_found)
    except tk.ValidationError as e:
        h.flash_error(web.validation_message(e))
    else:
        h.flash_success(tk._("Đã lưu."))


@feedback.route("/yeu-cau-du-lieu/<id>/xu-ly", methods=["POST"])
def request_update(id: str):
    data = dict(_form(), id=id)
    if "organization" in data and not roles.is_reviewer(tk.g.get("user")):
        data.pop("organization")
    _answer("opendata_vn_data_request_update", data, _request_not_found(),
            tk._("Chỉ đơn vị được đề xuất và cán bộ Sở phụ trách cổng dữ liệu xử lý được yêu cầu."))
    return h.redirect_to("opendata_vn_feedback.request_read", id=id)


# ----------------------------------------------------------------- the inbox
@feedback.route("/phan-hoi")
def inbox():
    context = web.context()
    try:
        tk.check_access("opendata_vn_feedback_list", context, {})
    except tk.NotAuthorized:
        return web.refusal(h.url_for("opendata_vn_feedback.inbox"),
                           tk._("Chỉ đơn vị chủ trì và cán bộ Sở phụ trách cổng dữ liệu xem được phản hồi."))
    state = request.args.get("state") or "open"
    state = state if state in ("open", "answered", "closed") else "open"
    reports = tk.get_action("opendata_vn_feedback_list")(context, {"state": state, "limit": 200})
    orgs = managed_org_ids(context["user"])
    req_params = {"state": state, "limit": 200, "sort": "votes"}
    if orgs is None:
        reqs = tk.get_action("opendata_vn_data_request_list")(context, req_params)["results"]
    else:
        reqs = [r for org in orgs for r in tk.get_action("opendata_vn_data_request_list")(
            context, dict(req_params, organization=org))["results"]]
    return tk.render("feedback_vn/inbox.html", {
        "reports": reports, "requests": reqs, "state": state, "it_staff": orgs is None,
        "organizations": _organizations() if orgs is None else []})


@feedback.route("/phan-hoi/<id>/xu-ly", methods=["POST"])
def report_update(id: str):
    _answer("opendata_vn_feedback_update", dict(_form(), id=id), tk._("Không tìm thấy phản hồi."),
            tk._("Chỉ đơn vị chủ trì và cán bộ Sở phụ trách cổng dữ liệu trả lời được phản hồi."))
    return h.redirect_to("opendata_vn_feedback.inbox", state=request.form.get("return_state") or "open")


def get_blueprints() -> list:
    return [feedback]
