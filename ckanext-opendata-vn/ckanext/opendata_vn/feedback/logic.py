"""Actions and auth functions for feedback, ratings, data requests and votes.

Everyone (anonymous too) may report a problem, rate a dataset, request data and vote;
every submission counts against the address's rate limit (antispam.py). Contact
details are returned only to those who answer: the agency concerned (its editors and
admins) and the IT staff.
"""
from __future__ import annotations

import datetime
import logging
import re

import sqlalchemy as sa

import ckan.plugins.toolkit as tk
from ckan import model

from ckanext.opendata_vn.core import vocab
from ckanext.opendata_vn.core import roles
from ckanext.opendata_vn.feedback import antispam
from ckanext.opendata_vn.feedback.roles import managed_org_ids, manages_org
from ckanext.opendata_vn.feedback.model import (
    CATEGORIES, CLOSE_REASONS, STATES, DataRequest, DataRequestVote, Feedback, Rating,
)

log = logging.getLogger(__name__)
_ = tk._

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_PHONE = re.compile(r"^\+?[0-9 .()\-]{8,20}$")
LIMITS = {"title": 200, "message": 4000, "reply": 4000, "name": 200}


# ----------------------------------------------------------------- helpers
def _user_id(context: dict) -> str | None:
    name = roles.user_name(context)
    if not name:
        return None
    user = model.User.get(name)
    return user.id if user else None


def _text(data: dict, key: str, errors: dict, required: bool = False, max_len: int = 4000,
          min_len: int = 0) -> str:
    value = vocab.nfc(str(data.get(key) or ""))
    if required and not value:
        errors.setdefault(key, []).append(_("Bắt buộc nhập."))
    elif value and len(value) < min_len:
        errors.setdefault(key, []).append(_("Quá ngắn: viết ít nhất {n} ký tự.").format(n=min_len))
    elif len(value) > max_len:
        errors.setdefault(key, []).append(_("Quá dài: tối đa {n} ký tự.").format(n=max_len))
    return value


def _contact(data: dict, errors: dict, phone: bool = False) -> dict:
    out = {"contact_name": _text(data, "contact_name", errors, max_len=LIMITS["name"]),
           "contact_email": _text(data, "contact_email", errors, max_len=LIMITS["name"])}
    if out["contact_email"] and not _EMAIL.match(out["contact_email"]):
        errors.setdefault("contact_email", []).append(_("Địa chỉ thư điện tử không hợp lệ."))
    if phone:
        out["contact_phone"] = _text(data, "contact_phone", errors, max_len=30)
        if out["contact_phone"] and not _PHONE.match(out["contact_phone"]):
            errors.setdefault("contact_phone", []).append(
                _("Số điện thoại không hợp lệ: chỉ gồm chữ số, dấu cách, dấu chấm hoặc gạch ngang."))
    return out


def _rate(kind: str, context: dict) -> None:
    if context.get("ignore_rate_limit"):
        return
    try:
        antispam.check_rate(kind, context)
    except antispam.RateLimited as e:
        minutes = max(1, (e.retry_after + 59) // 60)
        raise tk.ValidationError({"rate_limit": [
            _("Bạn đã gửi quá nhiều lần từ địa chỉ này. Vui lòng thử lại sau {minutes} phút.")
            .format(minutes=minutes)]})


def _package(context: dict, package_id: str | None) -> model.Package:
    pkg = model.Package.get(package_id or "")
    if pkg is None or pkg.state != "active":
        raise tk.ObjectNotFound(_("Không tìm thấy tập dữ liệu."))
    tk.check_access("package_show", dict(context), {"id": pkg.id})
    return pkg


def _org(value: str | None) -> model.Group | None:
    if not value:
        return None
    org = model.Group.get(value)
    if org is None or not org.is_organization or org.state != "active":
        raise tk.ValidationError({"organization": [_("Không tìm thấy đơn vị \"{value}\".").format(value=value)]})
    return org


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def _int(value, default: int, low: int, high: int) -> int:
    try:
        return max(low, min(high, int(value)))
    except (TypeError, ValueError):
        return default


# ----------------------------------------------------------------- problem reports
def feedback_dict(fb: Feedback, with_contact: bool) -> dict:
    pkg = model.Package.get(fb.package_id)
    out = {"id": fb.id, "package_id": fb.package_id, "package_name": pkg.name if pkg else None,
           "package_title": pkg.title if pkg else None, "organization_id": pkg.owner_org if pkg else None,
           "category": fb.category, "message": fb.message, "state": fb.state, "reply": fb.reply,
           "replied_at": _iso(fb.replied_at), "created": _iso(fb.created), "modified": _iso(fb.modified)}
    if with_contact:
        user = model.User.get(fb.user_id) if fb.user_id else None
        out.update(contact_name=fb.contact_name, contact_email=fb.contact_email,
                   user_name=user.name if user else None, replied_by=fb.replied_by)
    return out


def feedback_create(context, data_dict):
    """Report a problem with a dataset (anyone).

    :param package_id: the dataset's id or name
    :param category: one of wrong_data, outdated, broken_link, personal_data, format, other
    :param message: what is wrong (10–4000 characters)
    :param contact_name: optional
    :param contact_email: optional, to receive the answer; never shown publicly
    """
    tk.check_access("opendata_vn_feedback_create", context, data_dict)
    pkg = _package(context, data_dict.get("package_id") or data_dict.get("id"))
    errors: dict = {}
    category = data_dict.get("category") or "other"
    if category not in CATEGORIES:
        errors["category"] = [_("Chọn một loại vấn đề trong danh sách.")]
    message = _text(data_dict, "message", errors, required=True, max_len=LIMITS["message"], min_len=10)
    contact = _contact(data_dict, errors)
    if errors:
        raise tk.ValidationError(errors)
    _rate("submit", context)
    fb = Feedback(package_id=pkg.id, category=category, message=message, user_id=_user_id(context),
                  address_hash=antispam.address_hash(antispam.client_address()), **contact)
    model.Session.add(fb)
    model.Session.commit()
    return feedback_dict(fb, with_contact=False)


def feedback_list(context, data_dict):
    """Problem reports of the agencies the user answers for (IT staff: all).

    :param package_id: optional, one dataset
    :param organization: optional, one agency (id or name)
    :param state: optional, open / answered / closed
    :param limit, offset: paging (default 50)
    :returns: {count, results} with contact details
    """
    tk.check_access("opendata_vn_feedback_list", context, data_dict)
    query = model.Session.query(Feedback).join(model.Package, model.Package.id == Feedback.package_id)
    orgs = managed_org_ids(roles.user_name(context))
    if orgs is not None:
        query = query.filter(model.Package.owner_org.in_(orgs or [""]))
    if data_dict.get("package_id"):
        pkg = model.Package.get(data_dict["package_id"])
        query = query.filter(Feedback.package_id == (pkg.id if pkg else ""))
    if data_dict.get("organization"):
        org = model.Group.get(data_dict["organization"])
        query = query.filter(model.Package.owner_org == (org.id if org else ""))
    if data_dict.get("state") in STATES:
        query = query.filter(Feedback.state == data_dict["state"])
    count = query.count()
    limit = _int(data_dict.get("limit"), 50, 1, 500)
    offset = _int(data_dict.get("offset"), 0, 0, 10 ** 7)
    rows = query.order_by(Feedback.created.desc()).limit(limit).offset(offset).all()
    return {"count": count, "results": [feedback_dict(f, with_contact=True) for f in rows]}


def feedback_update(context, data_dict):
    """Answer and/or close a problem report (the agency or IT staff).

    :param id: the report's id
    :param reply: the answer (replaces an earlier one)
    :param state: answered (default when a reply is given) or closed, or open again
    """
    fb = model.Session.query(Feedback).get(data_dict.get("id") or "")
    if fb is None:
        raise tk.ObjectNotFound(_("Không tìm thấy phản hồi."))
    tk.check_access("opendata_vn_feedback_update", context, {"id": fb.id})
    errors: dict = {}
    reply = _text(data_dict, "reply", errors, max_len=LIMITS["reply"]) if "reply" in data_dict else None
    state = data_dict.get("state") or ("answered" if reply else fb.state)
    if state not in STATES:
        errors["state"] = [_("Trạng thái không hợp lệ.")]
    if errors:
        raise tk.ValidationError(errors)
    if reply is not None and reply != fb.reply:
        fb.reply = reply
        fb.replied_by = roles.user_name(context) or ""
        fb.replied_at = datetime.datetime.utcnow()
        _mail_reply(fb.contact_email, fb.contact_name, _("Trả lời phản hồi về tập dữ liệu"), reply)
    fb.state = state
    model.Session.commit()
    return feedback_dict(fb, with_contact=True)


def _mail_reply(email: str, name: str, subject: str, body: str) -> None:
    """E-mail an answer to a requester who left an address (when mail is configured)."""
    if not email or not body or not tk.config.get("smtp.server"):
        return
    from ckan.lib.mailer import mail_recipient
    site = tk.config.get("ckan.site_title") or ""
    try:
        tk.enqueue_job(mail_recipient, [name or email, email, f"{site}: {subject}", body],
                       title="opendata_vn feedback reply")
    except Exception:  # the answer is saved and shown to staff anyway
        log.exception("could not queue the reply e-mail")


# ----------------------------------------------------------------- ratings
def rating_summary(package_id: str, voter: str | None = None) -> dict:
    avg, count = model.Session.query(sa.func.avg(Rating.score), sa.func.count(Rating.id)) \
        .filter(Rating.package_id == package_id).one()
    mine = None
    if voter:
        row = model.Session.query(Rating.score).filter_by(package_id=package_id, voter=voter).first()
        mine = row[0] if row else None
    return {"package_id": package_id, "average": round(float(avg), 2) if avg is not None else None,
            "count": int(count), "your_score": mine}


def rating_create(context, data_dict):
    """Rate how useful a dataset is, 1–5 (anyone; rating again replaces your score).

    :param package_id: the dataset's id or name
    :param score: 1–5
    :returns: {average, count, your_score}
    """
    tk.check_access("opendata_vn_rating_create", context, data_dict)
    pkg = _package(context, data_dict.get("package_id") or data_dict.get("id"))
    score = data_dict.get("score")
    try:
        score = int(score)
    except (TypeError, ValueError):
        score = 0
    if not 1 <= score <= 5:
        raise tk.ValidationError({"score": [_("Chọn từ 1 đến 5 sao.")]})
    voter = antispam.voter_key(context)
    if not voter:
        raise tk.ValidationError({"score": [_("Không xác định được người đánh giá.")]})
    _rate("vote", context)
    rating = model.Session.query(Rating).filter_by(package_id=pkg.id, voter=voter).first()
    if rating is None:
        model.Session.add(Rating(package_id=pkg.id, voter=voter, score=score))
    else:
        rating.score = score
    model.Session.commit()
    return rating_summary(pkg.id, voter)


@tk.side_effect_free
def rating_show(context, data_dict):
    """Average usefulness score of a dataset. :param package_id:"""
    tk.check_access("opendata_vn_rating_show", context, data_dict)
    pkg = _package(context, data_dict.get("package_id") or data_dict.get("id"))
    return rating_summary(pkg.id, antispam.voter_key(context))


# ----------------------------------------------------------------- data requests
def request_dict(req: DataRequest, with_contact: bool, voter: str | None = None) -> dict:
    org = model.Group.get(req.organization_id) if req.organization_id else None
    pkg = model.Package.get(req.package_id) if req.package_id else None
    if pkg is not None and (pkg.private or pkg.state != "active"):
        pkg = None  # attached when public, made private since: requests are public pages
    out = {
        "id": req.id, "title": req.title, "description": req.description, "reason": req.reason,
        "organization_id": org.id if org else None, "organization_name": org.name if org else None,
        "organization_title": org.title if org else None,
        "state": req.state, "close_reason": req.close_reason, "reply": req.reply,
        "replied_at": _iso(req.replied_at),
        "package_id": pkg.id if pkg else None, "package_name": pkg.name if pkg else None,
        "package_title": pkg.title if pkg else None,
        "vote_count": req.vote_count, "created": _iso(req.created), "modified": _iso(req.modified),
    }
    if voter:
        out["voted"] = model.Session.query(DataRequestVote).get((req.id, voter)) is not None
    if with_contact:
        user = model.User.get(req.user_id) if req.user_id else None
        out.update(contact_name=req.contact_name, contact_email=req.contact_email,
                   contact_phone=req.contact_phone, user_name=user.name if user else None,
                   replied_by=req.replied_by)
    return out


def _get_request(data_dict: dict) -> DataRequest:
    req = model.Session.query(DataRequest).get(data_dict.get("id") or "")
    if req is None:
        raise tk.ObjectNotFound(_("Không tìm thấy yêu cầu dữ liệu."))
    return req


def _visible(req: DataRequest, user_name: str | None) -> bool:
    """Requests closed as spam are seen only by those who answer them."""
    return req.close_reason != "spam" or manages_org(user_name, req.organization_id)


def data_request_create(context, data_dict):
    """Request data the portal does not publish yet (anyone).

    :param title: what data (5–200 characters)
    :param description: details: fields, area, period
    :param reason: why it is needed, what for
    :param organization: optional, the agency the requester thinks holds it (id or name)
    :param contact_name, contact_email, contact_phone: optional; never shown publicly
    :returns: the request (without contact details); the requester's vote is counted
    """
    tk.check_access("opendata_vn_data_request_create", context, data_dict)
    errors: dict = {}
    title = _text(data_dict, "title", errors, required=True, max_len=LIMITS["title"], min_len=5)
    description = _text(data_dict, "description", errors, max_len=LIMITS["message"])
    reason = _text(data_dict, "reason", errors, max_len=LIMITS["message"])
    contact = _contact(data_dict, errors, phone=True)
    try:
        org = _org(data_dict.get("organization") or data_dict.get("organization_id"))
    except tk.ValidationError as e:
        errors.update(e.error_dict)
        org = None
    if errors:
        raise tk.ValidationError(errors)
    _rate("submit", context)
    req = DataRequest(title=title, description=description, reason=reason,
                      organization_id=org.id if org else None, user_id=_user_id(context),
                      address_hash=antispam.address_hash(antispam.client_address()), **contact)
    model.Session.add(req)
    model.Session.flush()
    voter = antispam.voter_key(context)
    if voter:
        model.Session.add(DataRequestVote(request_id=req.id, voter=voter))
        req.vote_count = 1
    model.Session.commit()
    return request_dict(req, with_contact=False)


@tk.side_effect_free
def data_request_show(context, data_dict):
    """One data request. :param id: Contact details only for the agency and IT staff."""
    tk.check_access("opendata_vn_data_request_show", context, data_dict)
    req = _get_request(data_dict)
    user = roles.user_name(context)
    if not _visible(req, user):
        raise tk.ObjectNotFound(_("Không tìm thấy yêu cầu dữ liệu."))
    return request_dict(req, with_contact=manages_org(user, req.organization_id),
                        voter=antispam.voter_key(context))


@tk.side_effect_free
def data_request_list(context, data_dict):
    """Data requests, most wanted first.

    :param state: open (default), answered, closed, active (open + answered) or all
    :param organization: optional agency (id or name)
    :param q: optional words in the title or description (accents optional)
    :param sort: votes (default) or newest
    :param limit, offset: paging (default 20)
    :returns: {count, results}
    """
    tk.check_access("opendata_vn_data_request_list", context, data_dict)
    user = roles.user_name(context)
    query = model.Session.query(DataRequest).filter(DataRequest.close_reason != "spam")
    state = data_dict.get("state") or "active"
    if state in STATES:
        query = query.filter(DataRequest.state == state)
    elif state == "active":
        query = query.filter(DataRequest.state.in_(["open", "answered"]))
    if data_dict.get("organization"):
        org = model.Group.get(data_dict["organization"])
        query = query.filter(DataRequest.organization_id == (org.id if org else ""))
    q = vocab.fold(data_dict.get("q"))
    results = query.order_by(*(
        (DataRequest.created.desc(),) if data_dict.get("sort") == "newest"
        else (DataRequest.vote_count.desc(), DataRequest.created.desc())))
    if q:  # a few hundred requests at most: folded matching in Python, accents optional
        words = q.split()
        matched = [r for r in results if all(w in vocab.fold(f"{r.title} {r.description}") for w in words)]
        count = len(matched)
    else:
        count = query.count()
        matched = None
    limit = _int(data_dict.get("limit"), 20, 1, 200)
    offset = _int(data_dict.get("offset"), 0, 0, 10 ** 7)
    rows = matched[offset:offset + limit] if matched is not None else results.limit(limit).offset(offset).all()
    voter = antispam.voter_key(context)
    return {"count": count, "results": [
        request_dict(r, with_contact=manages_org(user, r.organization_id), voter=voter)
        for r in rows]}


@tk.side_effect_free
def data_request_most_wanted(context, data_dict):
    """The open requests with most votes (for the IT staff dashboard and the home page).

    :param limit: default 5
    :param organization: optional agency
    """
    tk.check_access("opendata_vn_data_request_most_wanted", context, data_dict)
    return data_request_list(context, {"state": "active", "sort": "votes",
                                       "limit": _int(data_dict.get("limit"), 5, 1, 50),
                                       "organization": data_dict.get("organization")})["results"]


def data_request_vote(context, data_dict):
    """Vote for a data request (anyone, once). :param id: :returns: {vote_count, voted}"""
    tk.check_access("opendata_vn_data_request_vote", context, data_dict)
    req = _get_request(data_dict)
    if not _visible(req, roles.user_name(context)):
        raise tk.ObjectNotFound(_("Không tìm thấy yêu cầu dữ liệu."))
    if req.state == "closed":
        raise tk.ValidationError({"id": [_("Yêu cầu đã đóng, không nhận thêm bình chọn.")]})
    voter = antispam.voter_key(context)
    if not voter:
        raise tk.ValidationError({"id": [_("Không xác định được người bình chọn.")]})
    if model.Session.query(DataRequestVote).get((req.id, voter)) is None:
        _rate("vote", context)
        model.Session.add(DataRequestVote(request_id=req.id, voter=voter))
        model.Session.flush()
        req.vote_count = model.Session.query(DataRequestVote).filter_by(request_id=req.id).count()
        model.Session.commit()
    return {"id": req.id, "vote_count": req.vote_count, "voted": True}


def data_request_update(context, data_dict):
    """Answer, reassign or close a data request (the agency concerned or IT staff).

    :param id: the request's id
    :param reply: public answer to the requester
    :param state: open, answered (default when a reply is given) or closed
    :param close_reason: when closing: fulfilled, planned, declined, duplicate or spam
    :param package_id: optional, the dataset that fulfils it
    :param organization: reassign to another agency (IT staff only)
    """
    req = _get_request(data_dict)
    tk.check_access("opendata_vn_data_request_update", context, {"id": req.id})
    user = roles.user_name(context)
    errors: dict = {}
    reply = _text(data_dict, "reply", errors, max_len=LIMITS["reply"]) if "reply" in data_dict else None
    state = data_dict.get("state") or ("answered" if reply else req.state)
    if state not in STATES:
        errors["state"] = [_("Trạng thái không hợp lệ.")]
    close_reason = data_dict.get("close_reason") or (req.close_reason if state == "closed" else "")
    if state == "closed" and close_reason not in CLOSE_REASONS:
        errors["close_reason"] = [_("Chọn lý do đóng yêu cầu.")]
    package = None
    if data_dict.get("package_id"):
        package, error = _fulfilling_dataset(context, data_dict["package_id"])
        if error:
            errors["package_id"] = [error]
    if "organization" in data_dict and (data_dict.get("organization") or None) != req.organization_id:
        if not roles.is_reviewer(user):
            errors["organization"] = [_("Chỉ cán bộ Sở phụ trách cổng dữ liệu được chuyển yêu cầu sang đơn vị khác.")]
        else:
            try:
                org = _org(data_dict.get("organization"))
                req.organization_id = org.id if org else None
            except tk.ValidationError as e:
                errors.update(e.error_dict)
    if errors:
        model.Session.rollback()
        raise tk.ValidationError(errors)
    if reply is not None and reply != req.reply:
        req.reply = reply
        req.replied_by = user or ""
        req.replied_at = datetime.datetime.utcnow()
        _mail_reply(req.contact_email, req.contact_name, _("Trả lời yêu cầu dữ liệu"), reply)
    req.state = state
    req.close_reason = close_reason if state == "closed" else ""
    if package is not None:
        req.package_id = package.id
    model.Session.commit()
    return request_dict(req, with_contact=True)


def _fulfilling_dataset(context: dict, package_id: str) -> tuple[model.Package | None, str | None]:
    """The dataset named as fulfilling a (public) request: one the answering user may read,
    and public, so the request page never names or links a private dataset."""
    package = model.Package.get(package_id)
    if package is None or package.state != "active":
        return None, _("Không tìm thấy tập dữ liệu.")
    try:
        tk.check_access("package_show", {"model": model, "user": context.get("user") or ""}, {"id": package.id})
    except tk.NotAuthorized:
        return None, _("Không tìm thấy tập dữ liệu.")
    if package.private:
        return None, _("Tập dữ liệu này chưa công khai: chỉ gắn tập dữ liệu đã công khai vào yêu cầu dữ liệu.")
    return package, None


def get_actions() -> dict:
    return {
        "opendata_vn_feedback_create": feedback_create,
        "opendata_vn_feedback_list": feedback_list,
        "opendata_vn_feedback_update": feedback_update,
        "opendata_vn_rating_create": rating_create,
        "opendata_vn_rating_show": rating_show,
        "opendata_vn_data_request_create": data_request_create,
        "opendata_vn_data_request_show": data_request_show,
        "opendata_vn_data_request_list": data_request_list,
        "opendata_vn_data_request_most_wanted": data_request_most_wanted,
        "opendata_vn_data_request_vote": data_request_vote,
        "opendata_vn_data_request_update": data_request_update,
    }
