"""How a view calls an action: one context, one way to turn refusals into pages.

    context()                 the logged-in user's action context
    call_or_abort(...)        the action's result, or the page a refusal deserves:
                              not logged in → login (then back) when the view says where
                              to come back to, refused → 403 with the view's text or the
                              auth function's reason, not found → 404
    @refusals_as_pages        on a view: returns the page call_or_abort chose
    validation_message(e)     a ValidationError as one line for a flash message
"""
from __future__ import annotations

import functools

import ckan.plugins.toolkit as tk
from ckan import model


class Refused(Exception):
    """Raised by call_or_abort with the response to return (login redirect, 403, 404)."""

    def __init__(self, response):
        super().__init__("refused")
        self.response = response


def context(**extra) -> dict:
    # CKAN sets g.userobj to "" for anonymous visitors; auth and permission labels expect None
    return {"model": model, "session": model.Session, "user": tk.g.get("user") or "",
            "auth_user_obj": tk.g.get("userobj") or None, **extra}


def validation_message(error: tk.ValidationError) -> str:
    parts = []
    for messages in (error.error_dict or {}).values():
        for message in (messages if isinstance(messages, list) else [messages]):
            parts.append(message if isinstance(message, str) else str(message))
    return " ".join(parts) or str(error)


def refusal(came_from: str, message: str | None = None):
    """Anonymous visitors go to the login form (then back to `came_from`); staff without
    the right get 403 with `message` (or CKAN's own)."""
    if not tk.g.get("user"):
        return tk.redirect_to("user.login", came_from=came_from)
    return tk.abort(403, message or tk._("Bạn không có quyền thực hiện thao tác này."))


def call_or_abort(action: str, data_dict: dict, *, came_from: str | None = None, refused: str | None = None,
                  not_found: str | None = None, ctx: dict | None = None):
    """The action's result, or the page a refusal deserves: 403 with `refused` (default:
    the auth function's own reason), 404 with `not_found` (default: the action's). With
    `came_from`, an anonymous visitor is sent to log in first (raises Refused carrying
    the redirect: decorate the view with @refusals_as_pages); without it, a form shown
    to staff only answers an anonymous post with 403 too. ValidationError is left to
    the caller, whose form knows where to show it."""
    try:
        return tk.get_action(action)(dict(ctx) if ctx is not None else context(), data_dict)
    except tk.NotAuthorized as e:
        message = refused or str(e) or None
        if came_from is not None:
            raise Refused(refusal(came_from, message))
        return tk.abort(403, message or tk._("Bạn không có quyền thực hiện thao tác này."))
    except tk.ObjectNotFound as e:
        return tk.abort(404, not_found or str(e) or tk._("Không tìm thấy."))


def refusals_as_pages(view):
    """Decorate a view so that a Refused raised inside it returns its response."""
    @functools.wraps(view)
    def wrapped(*args, **kwargs):
        try:
            return view(*args, **kwargs)
        except Refused as refused:
            return refused.response
    return wrapped
