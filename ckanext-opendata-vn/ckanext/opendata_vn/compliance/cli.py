"""`ckan compliance …`: reminders to focal officers (run daily) and the annual report.

Schedule the reminders with cron, e.g.
    0 7 * * *  ckan -c /etc/ckan/production.ini compliance remind
"""
from __future__ import annotations

import datetime
import sys
from pathlib import Path

import click


@click.group(name="compliance", short_help="Theo dõi cung cấp dữ liệu mở: nhắc hạn, báo cáo năm")
def compliance():
    """Compliance tracking of the annual open data catalogs."""


def _date(value: str | None) -> datetime.date | None:
    if not value:
        return None
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter("YYYY-MM-DD")


@compliance.command("remind")
@click.option("--days", type=int, default=None,
              help="Nhắc các mục đến hạn trong số ngày này (mặc định: ckanext.opendata_vn.reminder_days).")
@click.option("--date", "as_of", default=None, help="Ngày tính (YYYY-MM-DD), mặc định hôm nay.")
@click.option("--province", default=None, help="Chỉ một tỉnh (mặc định: mọi tỉnh có danh mục).")
@click.option("--dry-run", is_flag=True, help="Chỉ liệt kê, không gửi và không ghi nhận.")
def remind(days, as_of, province, dry_run):
    """Email each focal officer about entries due soon and entries overdue.

    Without mail configured (smtp.server) the messages are logged instead. A dataset
    is reminded to the same person at most once a day.
    """
    from ckanext.opendata_vn.compliance import reminders

    results = reminders.send(_date(as_of), days, province, dry_run=dry_run)
    sent = sum(1 for r in results if r["reason"] in ("sent", "logged"))
    for r in results:
        who = r["recipient"] or "(không có địa chỉ)"
        click.echo(f"{r['agency_title']} → {who}: {r['reason']}, quá hạn {len(r['overdue'])}, "
                   f"sắp đến hạn {len(r['due_soon'])}")
        if dry_run and r.get("body"):
            click.echo("    " + r["body"].replace("\n", "\n    "))
    mode = "thư đã gửi" if reminders.mail_configured() else "thư ghi vào nhật ký (chưa cấu hình smtp.server)"
    click.echo(f"{sent} {mode}; {len(results) - sent} không gửi.")


@compliance.command("report")
@click.option("--province", default=None, help="Tỉnh (mặc định: tỉnh của cổng).")
@click.option("--year", type=int, default=None, help="Năm (mặc định: năm nay hoặc năm gần nhất có danh mục).")
@click.option("--date", "as_of", default=None, help="Ngày tính (YYYY-MM-DD).")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Tệp .xlsx hoặc .csv (mặc định: bao-cao-du-lieu-mo-<tỉnh>-<năm>.xlsx).")
def report(province, year, as_of, output):
    """Write the annual compliance report (Excel or CSV)."""
    from ckanext.opendata_vn.compliance import export, figures

    result = figures.report(province, year, _date(as_of))
    output = output or Path(export.filename(result, "xlsx"))
    body = export.csv_bytes(result) if output.suffix.lower() == ".csv" else export.xlsx(result)
    output.write_bytes(body)
    t = result["totals"]
    click.echo(f"{result['province']} {result['year']}: {t['agencies_providing']}/{t['agencies']} đơn vị "
               f"({t['share']}%), {t['published']}/{t['entries']} tập đã công bố, {t['overdue']} quá hạn → {output}")
    if not result["catalogs"]:
        click.secho("Chưa có danh mục được công bố cho năm này.", fg="yellow", err=True)
        sys.exit(1)


def get_commands():
    return [compliance]
