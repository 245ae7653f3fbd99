"""States and allowed transitions of annual catalogs and their entries (no I/O).

Entry:   draft ──submit──▶ submitted ──approve──▶ approved
           ▲                 │   ▲                   │
           │               return │ submit (resubmit) │ return (while the catalog is a draft)
         (new)               ▼   │                   ▼
                           returned ◀────────────────┘
         draft/returned ──withdraw──▶ (removed from the catalog)

Catalog: draft ──approve (all entries approved)──▶ approved ──publish (decision no., date)──▶ published
                 ◀──────────────reopen───────────────┘
A published catalog is frozen: entries can be neither added, changed nor reviewed;
later changes go through an amendment (a new draft catalog of kind "amendment") or
next year's catalog.
"""
from __future__ import annotations

from dataclasses import dataclass

import ckan.plugins.toolkit as tk

ENTRY_STATES = ("draft", "submitted", "returned", "approved")


@dataclass(frozen=True)
class Transition:
    name: str
    sources: frozenset
    target: str | None      # None: the entry leaves the catalog
    comment_required: bool = False


ENTRY_TRANSITIONS = {
    "submit": Transition("submit", frozenset({"draft", "returned"}), "submitted"),
    "return": Transition("return", frozenset({"submitted", "approved"}), "returned", comment_required=True),
    "approve": Transition("approve", frozenset({"submitted"}), "approved"),
    "withdraw": Transition("withdraw", frozenset({"draft", "returned"}), None),
    "update": Transition("update", frozenset({"draft", "returned"}), None),
}
CATALOG_TRANSITIONS = {
    "approve": Transition("approve", frozenset({"draft"}), "approved"),
    "reopen": Transition("reopen", frozenset({"approved"}), "draft", comment_required=True),
    "publish": Transition("publish", frozenset({"approved"}), "published"),
}


def entry_state_label(state: str) -> str:
    _ = tk._
    return {
        "draft": _("Dự thảo"), "submitted": _("Chờ thẩm định"), "returned": _("Bị trả lại"),
        "approved": _("Đã phê duyệt"),
    }.get(state, state)


def catalog_state_label(state: str) -> str:
    _ = tk._
    return {"draft": _("Đang lập"), "approved": _("Đã phê duyệt, chờ công bố"),
            "published": _("Đã công bố")}.get(state, state)


def action_label(action: str) -> str:
    _ = tk._
    return {
        "create": _("Tạo"), "submit": _("Gửi thẩm định"), "return": _("Trả lại"),
        "approve": _("Phê duyệt"), "withdraw": _("Rút khỏi danh mục"), "update": _("Sửa"),
        "catalog_create": _("Lập danh mục"), "catalog_approve": _("Phê duyệt danh mục"),
        "catalog_reopen": _("Mở lại danh mục"), "catalog_publish": _("Công bố danh mục"),
        "catalog_amend": _("Lập danh mục sửa đổi, bổ sung"), "confirm": _("Xác nhận dữ liệu còn đúng"),
    }.get(action, action)


def check_catalog_open(catalog_state: str, title: str = "") -> None:
    """Entries are added, changed and reviewed only while the catalog is a draft."""
    if catalog_state != "draft":
        raise tk.ValidationError({"state": [
            tk._("Danh mục đã phê duyệt hoặc công bố nên không thêm hay thay đổi được mục \"{title}\"; "
                 "thay đổi sau này thực hiện qua danh mục sửa đổi, bổ sung hoặc danh mục năm sau.")
            .format(title=title)]})


def check_entry(action: str, state: str, catalog_state: str, title: str = "") -> Transition:
    """The transition, or ValidationError naming why it is not allowed now."""
    _ = tk._
    transition = ENTRY_TRANSITIONS[action]
    check_catalog_open(catalog_state, title)
    if state not in transition.sources:
        raise tk.ValidationError({"state": [
            _("Mục \"{title}\" đang ở trạng thái \"{state}\", không thể thực hiện \"{action}\".")
            .format(title=title, state=entry_state_label(state), action=action_label(action))]})
    return transition


def check_catalog(action: str, state: str) -> Transition:
    _ = tk._
    transition = CATALOG_TRANSITIONS[action]
    if state not in transition.sources:
        raise tk.ValidationError({"state": [
            _("Danh mục đang ở trạng thái \"{state}\", không thể thực hiện \"{action}\".")
            .format(state=catalog_state_label(state), action=action_label("catalog_" + action))]})
    return transition
