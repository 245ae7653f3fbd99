"""Template helpers of the feedback pages and snippets (labels are gettext msgids)."""
from __future__ import annotations

import ckan.plugins.toolkit as tk

from ckanext.opendata_vn.core import web
from ckanext.opendata_vn.feedback import antispam
from ckanext.opendata_vn.feedback.roles import manages_org


def category_labels() -> list[tuple[str, str]]:
    _ = tk._
    return [
        ("wrong_data", _("Dữ liệu sai hoặc không đầy đủ")),
        ("outdated", _("Dữ liệu chưa được cập nhật")),
        ("broken_link", _("Không tải được, liên kết hỏng")),
        ("personal_data", _("Có thông tin cá nhân không nên công khai")),
        ("format", _("Định dạng khó sử dụng")),
        ("other", _("Vấn đề khác")),
    ]


def state_labels() -> dict:
    _ = tk._
    return {"open": _("Chờ xử lý"), "answered": _("Đã trả lời"), "closed": _("Đã đóng")}


def close_reason_labels() -> dict:
    _ = tk._
    return {"fulfilled": _("Đã đáp ứng"), "planned": _("Đã đưa vào kế hoạch"),
            "declined": _("Không thể đáp ứng"), "duplicate": _("Trùng yêu cầu khác"),
            "spam": _("Thư rác (ẩn khỏi trang công khai)")}


def category_label(code: str | None) -> str:
    return dict(category_labels()).get(code or "", code or "")


def state_label(code: str | None) -> str:
    return state_labels().get(code or "", code or "")


def close_reason_label(code: str | None) -> str:
    return close_reason_labels().get(code or "", code or "")


def rating(package_id: str) -> dict:
    try:
        return tk.get_action("opendata_vn_rating_show")(web.context(), {"package_id": package_id})
    except (tk.ObjectNotFound, tk.NotAuthorized):
        return {"average": None, "count": 0, "your_score": None}


def most_wanted(limit: int = 5, organization: str | None = None) -> list[dict]:
    """The open data requests with most votes (IT staff dashboard, home page)."""
    return tk.get_action("opendata_vn_data_request_most_wanted")(
        web.context(), {"limit": limit, "organization": organization})


def can_answer(org_id: str | None) -> bool:
    return manages_org(tk.g.get("user"), org_id)


def open_feedback_count(package_id: str) -> int:
    from ckan import model
    from ckanext.opendata_vn.feedback.model import Feedback
    return model.Session.query(Feedback).filter_by(package_id=package_id, state="open").count()


def honeypot_field() -> str:
    return antispam.HONEYPOT_FIELD


def get_helpers() -> dict:
    return {
        "opendata_vn_feedback_categories": category_labels,
        "opendata_vn_feedback_category_label": category_label,
        "opendata_vn_feedback_state_label": state_label,
        "opendata_vn_feedback_close_reason_label": close_reason_label,
        "opendata_vn_feedback_close_reasons": lambda: list(close_reason_labels().items()),
        "opendata_vn_rating": rating,
        "opendata_vn_most_wanted_requests": most_wanted,
        "opendata_vn_feedback_can_answer": can_answer,
        "opendata_vn_open_feedback_count": open_feedback_count,
        "opendata_vn_honeypot_field": honeypot_field,
    }
