"""The personal-data guard in the harvest pipeline, registered as harvest's table
guard (harvest/guard.py) by privacy/wiring.py: harvest never imports privacy.

mark_personal(table)   personal_data.py's rules mark the personal columns (the source page
                       lists them, the run log names them); run once per harvest, its
                       findings are handed to guard()
guard(...)             after a table was read and found changed, before publishing:
                       * no personal column: publish (a pending table of the same
                         source is superseded — the agency fixed its data);
                       * every personal column covered by the source's last decision
                         (publish as is / remove / mask): apply it and publish;
                       * otherwise hold the table back: staged for an IT reviewer,
                         nothing published, the dataset's published resources untouched.
withheld_roles(id)     the resource roles a reduced decision does not publish (the
                       original file), for publish.has_all_resources
Once a decision published a held table, its columns become the baseline of the
harvester's column check (harvest/base.py accept_columns, called from review.py).
"""
from __future__ import annotations

import logging

from ckanext.opendata_vn.core import formats
from ckanext.opendata_vn.core.tabular import table as tabular
from ckanext.opendata_vn.harvest import guard as table_guard
from ckanext.opendata_vn.privacy import review as reviews
from ckanext.opendata_vn.privacy import staging
from ckanext.opendata_vn.privacy.model import HARVEST, MASK, REDUCED, REJECTED, REMOVE

log = logging.getLogger(__name__)
HELD = table_guard.HELD


def mark_personal(table: tabular.Table) -> list:
    return staging.table_findings(table)


def withheld_roles(source_id: str) -> set[str]:
    return reviews.withheld_roles(source_id)


def _columns_text(findings) -> str:
    return ", ".join(f"{f.column} ({f.label_vi.lower()})" for f in findings)


def _columns_text_en(findings) -> str:
    from ckanext.opendata_vn.core.tabular.personal_data import KINDS
    return ", ".join(f"{f.column} ({KINDS[f.kind].label_en.lower()})" for f in findings)


def guard(source, dataset, prepared, run, findings: list) -> str | None:
    """HELD when the table must wait for a decision (the caller then publishes
    nothing); None to publish `prepared` (possibly reduced here). `findings`:
    mark_personal's for this table."""
    table = prepared.table
    key = source.id
    if not findings:
        if reviews.pending_for(key):
            reviews.supersede_pending(key)
            from ckan import model
            model.Session.commit()
            run.add("Dữ liệu mới không còn cột dữ liệu cá nhân: bảng đang chờ rà soát trước đó được thay thế.",
                    "The new data has no personal columns any more: the table waiting for review is replaced.")
        return None
    flagged = [f.column for f in findings]
    covering = reviews.covering_decision(key, flagged)
    if covering is not None:
        when = formats.format_date(covering.decided_at, lang="vi") if covering.decided_at else ""
        if covering.state == REDUCED:
            decision = covering.decision if covering.decision in (REMOVE, MASK) else REMOVE
            columns = [c for c in (covering.decided_columns or []) if c in table.names]
            kinds = {f.column: f.kind for f in findings}
            kinds.update({c: k for c, k in covering.kinds().items() if c not in kinds})
            reduced = staging.reduce(table, decision, columns, kinds)
            prepared.table = reduced
            prepared.outputs = tabular.write_outputs(reduced, prepared.csv_path, prepared.json_path)
            prepared.withhold_original = True
            what_vi = ("bỏ các cột " if decision == REMOVE else "che các cột ") + ", ".join(columns)
            what_en = ("removed columns " if decision == REMOVE else "masked columns ") + ", ".join(columns)
            run.add(f"Dữ liệu cá nhân: áp dụng quyết định của cán bộ Sở ngày {when} ({what_vi}); "
                    "không công bố tệp gốc.",
                    f"Personal data: the IT reviewer's decision of {when} is applied ({what_en}); "
                    "the original file is not published.")
        else:
            run.add(f"Dữ liệu cá nhân: các cột {', '.join(flagged)} đã được cán bộ Sở cho phép công bố "
                    f"ngày {when} (căn cứ: {covering.reason}).",
                    f"Personal data: columns {', '.join(flagged)} were cleared for publication by the IT "
                    f"reviewer on {when} (legal basis: {covering.reason}).")
        if reviews.pending_for(key):
            reviews.supersede_pending(key)
            from ckan import model
            model.Session.commit()
        return None

    sha = prepared.outputs.csv_sha256
    waiting = [r for r in reviews.pending_for(key) if r.content_sha256 == sha]
    if waiting:
        run.add("Bảng dữ liệu này đang chờ cán bộ Sở quyết định về dữ liệu cá nhân: chưa công bố.",
                "This table is waiting for the IT reviewer's personal-data decision: not published.")
        return HELD
    last = reviews.latest_decided(key)
    if last is not None and last.state == REJECTED and last.content_sha256 == sha:
        run.add("Bảng dữ liệu này đã bị Sở từ chối công khai vì có dữ liệu cá nhân: chưa công bố.",
                "The IT reviewer refused to publish this table because of personal data: not published.")
        return HELD
    staged = reviews.stage(table, findings, csv_path=prepared.csv_path, original_path=prepared.original_path,
                           original_name=prepared.original_name, original_format=prepared.original_format,
                           move_original=True)
    review = reviews.record(staged, package_id=dataset.id, origin=HARVEST, source_key=key)
    log.info("Harvest of source %s held back for a personal-data decision (review %s)", key, review.id)
    run.add("Dữ liệu có cột chứa dữ liệu cá nhân (Nghị định 13/2023/NĐ-CP): " + _columns_text(findings)
            + ". Dữ liệu được giữ lại, chưa công bố, chờ cán bộ Sở quyết định; dữ liệu đã công bố trước đó giữ nguyên.",
            "The data has columns holding personal data (Decree 13/2023): " + _columns_text_en(findings)
            + ". It is held back, not published, until the IT reviewer decides; data published earlier is kept.")
    return HELD


def register() -> None:
    table_guard.register(table_guard.Guard(mark=mark_personal, check=guard, withheld_roles=withheld_roles))
