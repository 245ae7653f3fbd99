"""Charts as server-side SVG (no JavaScript library): they render without scripts,
print in the report, and carry a <title>/<desc> and a data table for screen readers."""
from __future__ import annotations

import hashlib

from markupsafe import Markup, escape

import ckan.plugins.toolkit as tk

from ckanext.opendata_vn.core import formats
COLORS = {"up_to_date": "#2e7d32", "update_overdue": "#ef6c00", "not_provided_overdue": "#c62828",
          "not_provided": "#9e9e9e", "bar": "#1565c0", "target": "#6a1b9a", "grid": "#e0e0e0",
          "text": "#212121"}


def _svg(width: int, height: int, title: str, desc: str, body: list[str]) -> Markup:
    uid = "odvn-" + hashlib.sha1(title.encode()).hexdigest()[:8]
    return Markup(
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" '
        f'class="odvn-chart" aria-labelledby="{uid}-t {uid}-d" style="max-width:100%;height:auto" '
        f'font-family="sans-serif" font-size="12">'
        f'<title id="{uid}-t">{escape(title)}</title><desc id="{uid}-d">{escape(desc)}</desc>'
        + "".join(body) + "</svg>")


def _text(x, y, text, anchor="middle", size=12, weight="normal", color=None) -> str:
    return (f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" font-size="{size}" '
            f'font-weight="{weight}" fill="{color or COLORS["text"]}">{escape(str(text))}</text>')


def share_trend(trend: list[dict]) -> Markup:
    """Share of agencies providing open data per year (bars) against the plan target."""
    _ = tk._
    width, height, left, bottom, top = 560, 260, 44, 36, 20
    plot_h = height - bottom - top
    n = max(len(trend), 1)
    slot = (width - left - 10) / n
    body = []
    for pct in (0, 25, 50, 75, 100):
        y = top + plot_h * (1 - pct / 100)
        body.append(f'<line x1="{left}" y1="{y:.1f}" x2="{width - 10}" y2="{y:.1f}" stroke="{COLORS["grid"]}"/>')
        body.append(_text(left - 6, y + 4, f"{pct}%", anchor="end", size=11))
    for i, t in enumerate(trend):
        x = left + i * slot + slot * 0.2
        w = slot * 0.6
        h = plot_h * min(t["share"], 100) / 100
        body.append(f'<rect x="{x:.1f}" y="{top + plot_h - h:.1f}" width="{w:.1f}" height="{h:.1f}" '
                    f'fill="{COLORS["bar"]}"><title>{escape(str(t["year"]))}: {formats.format_percent(t["share"])} '
                    f'({t["agencies_providing"]}/{t["agencies"]})</title></rect>')
        body.append(_text(x + w / 2, top + plot_h - h - 4, formats.format_percent(t["share"]), size=11, weight="bold"))
        body.append(_text(x + w / 2, height - bottom + 16, t["year"]))
        if t.get("target"):
            ty = top + plot_h * (1 - min(t["target"]["value"], 100) / 100)
            body.append(f'<line x1="{x - 4:.1f}" y1="{ty:.1f}" x2="{x + w + 4:.1f}" y2="{ty:.1f}" '
                        f'stroke="{COLORS["target"]}" stroke-width="3" stroke-dasharray="6 3">'
                        f'<title>{escape(_("Chỉ tiêu"))}: {escape(t["target"]["label"])}</title></line>')
    body.append(f'<line x1="{left + 4}" y1="{height - 8}" x2="{left + 28}" y2="{height - 8}" '
                f'stroke="{COLORS["target"]}" stroke-width="3" stroke-dasharray="6 3"/>')
    body.append(_text(left + 34, height - 4, _("Chỉ tiêu kế hoạch"), anchor="start", size=11))
    desc = "; ".join(f'{t["year"]}: {formats.format_percent(t["share"])}' + (f' ({_("chỉ tiêu")} {t["target"]["label"]})'
                                                    if t.get("target") else "") for t in trend)
    return _svg(width, height, _("Tỷ lệ cơ quan, đơn vị cung cấp dữ liệu mở theo năm"), desc, body)


def monthly(series: list[dict], entries: int) -> Markup:
    """Cumulative published entries month by month in the year (line)."""
    _ = tk._
    width, height, left, bottom, top = 560, 240, 44, 30, 16
    plot_w, plot_h = width - left - 16, height - bottom - top
    peak = max([entries] + [s["published"] for s in series] + [1])
    body = []
    for frac in (0, 0.5, 1):
        y = top + plot_h * (1 - frac)
        body.append(f'<line x1="{left}" y1="{y:.1f}" x2="{width - 16}" y2="{y:.1f}" stroke="{COLORS["grid"]}"/>')
        body.append(_text(left - 6, y + 4, formats.format_number(round(peak * frac)), anchor="end", size=11))
    points = []
    for i, s in enumerate(series):
        x = left + plot_w * (i / 11 if len(series) > 1 else 0)
        y = top + plot_h * (1 - s["published"] / peak)
        points.append((x, y, s))
        body.append(_text(x, height - bottom + 16, f'{s["month"]:02d}', size=11))
    if points:
        body.append('<polyline fill="none" stroke="{}" stroke-width="2.5" points="{}"/>'.format(
            COLORS["bar"], " ".join(f"{x:.1f},{y:.1f}" for x, y, _s in points)))
        for x, y, s in points:
            body.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="{COLORS["bar"]}">'
                        f'<title>{escape(s["label"])}: {s["published"]}</title></circle>')
    if entries:
        y = top + plot_h * (1 - entries / peak)
        body.append(f'<line x1="{left}" y1="{y:.1f}" x2="{width - 16}" y2="{y:.1f}" stroke="{COLORS["target"]}" '
                    f'stroke-dasharray="6 3"/>')
        body.append(_text(width - 18, y - 4, _("{n} tập trong danh mục").format(n=entries), anchor="end", size=11))
    desc = "; ".join(f'{s["label"]}: {s["published"]}' for s in series)
    return _svg(width, height, _("Số tập dữ liệu đã công bố, lũy kế theo tháng"), desc, body)


def agency_status(agencies: list[dict], limit: int = 40) -> Markup:
    """Per agency, its entries split by status (horizontal stacked bars)."""
    _ = tk._
    rows = agencies[:limit]
    label_w, bar_w, row_h, top = 260, 300, 22, 28
    width, height = label_w + bar_w + 60, top + row_h * max(len(rows), 1) + 10
    peak = max([a["entries"] for a in rows] + [1])
    parts = (("up_to_date", _("Cập nhật đúng hạn")), ("update_overdue", _("Quá hạn cập nhật")),
             ("not_provided_overdue", _("Chưa cung cấp, quá hạn")), ("not_provided", _("Chưa cung cấp, chưa đến hạn")))
    body, x = [], 0
    for key, label in parts:
        body.append(f'<rect x="{x}" y="4" width="12" height="12" fill="{COLORS[key]}"/>')
        body.append(_text(x + 16, 14, label, anchor="start", size=11))
        x += 30 + len(label) * 6
    for i, a in enumerate(rows):
        y = top + i * row_h
        title = a["title"] if len(a["title"]) <= 42 else a["title"][:40] + "…"
        body.append(_text(label_w - 8, y + 14, title, anchor="end", size=11))
        values = {"up_to_date": a["up_to_date"], "update_overdue": a["update_overdue"],
                  "not_provided_overdue": a["not_provided_overdue"]}
        values["not_provided"] = max(a["entries"] - sum(values.values()), 0)
        x = label_w
        for key, label in parts:
            w = bar_w * values[key] / peak
            if w:
                body.append(f'<rect x="{x:.1f}" y="{y + 3}" width="{w:.1f}" height="{row_h - 6}" '
                            f'fill="{COLORS[key]}"><title>{escape(a["title"])} — {escape(label)}: '
                            f'{values[key]}</title></rect>')
            x += w
        body.append(_text(x + 6, y + 14, f'{a["published"]}/{a["entries"]}', anchor="start", size=11))
    desc = "; ".join(f'{a["title"]}: {a["published"]}/{a["entries"]}' for a in rows)
    return _svg(width, height, _("Tình trạng các tập dữ liệu theo cơ quan, đơn vị"), desc, body)
