"""Helpers shared by the workflow, compliance and browser tests (not fixtures)."""
from __future__ import annotations

import io

from ckan.tests import helpers

PROVINCE = "Thử Nghiệm"
REVIEWER = "wf_reviewer"


def call(action: str, user: str | None, **data):
    """Call an action as `user` (None: anonymous), with auth checks on."""
    return helpers.call_action(action, context={"user": user or "", "ignore_auth": False}, **data)


def entry_fields(title: str, **extra) -> dict:
    return {
        "title": title, "notes": "Danh sách và thông tin cơ bản.",
        "data_fields": ["Tên", "Địa chỉ"], "theme": "giao-duc", "first_provided": "2031-06-30",
        "update_frequency": "quarterly", "source_types": ["excel"], "remarks": "", **extra,
    }


def xlsx_upload(name: str = "du-lieu.xlsx"):
    """A real .xlsx file as the browser would post it."""
    from openpyxl import Workbook
    from werkzeug.datastructures import FileStorage
    wb = Workbook()
    wb.active.append(["Tên trường", "Địa chỉ"])
    wb.active.append(["Trường THCS Thử Nghiệm", "Xã A"])
    buf = io.BytesIO()
    wb.save(buf)
    buf.seek(0)
    return FileStorage(stream=buf, filename=name,
                       content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
