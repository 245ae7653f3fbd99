"""DataStore tables loaded with COPY into a new table, swapped in one transaction.

`datastore_create` inserts row by row; a 100,000-row workbook would take minutes.
Instead the CSV we publish is COPYed into a fresh table with the DataStore's own
layout (_id serial, _full_text tsvector of the text columns computed in one set-based
statement, populate_full_text_trigger for later upserts, column info as comments),
indexed, and only then renamed over the resource's table in the same transaction: readers see the old rows or the new ones, never a mix, and a
failure anywhere leaves the old table untouched.
"""
from __future__ import annotations

import hashlib
import json
import uuid
from dataclasses import dataclass

import ckan.plugins.toolkit as tk

from ckanext.opendata_vn.harvest.tabular import Table

STATEMENT_TIMEOUT_MS = 10 * 60 * 1000


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def fts_index_name(resource_id: str) -> str:
    """The name ckanext-datastore gives the _full_text index (_generate_index_name)."""
    return hashlib.sha1((resource_id + _ident("_full_text")).encode("utf-8")).hexdigest()


@dataclass
class Staged:
    connection: object      # DB-API connection of the DataStore write engine
    table: str
    index: str
    rows: int

    def close(self):
        try:
            self.connection.close()
        except Exception:
            pass


def _write_connection():
    from ckanext.datastore.backend.postgres import get_write_engine
    return get_write_engine().raw_connection()


def stage(table: Table, csv_path: str) -> Staged:
    """COPY the CSV into a new table (not yet visible to anyone: the transaction is open)."""
    name = "vn_stage_" + uuid.uuid4().hex
    index = name + "_fts"
    conn = _write_connection()
    try:
        cur = conn.cursor()
        cur.execute(f"SET LOCAL statement_timeout = {STATEMENT_TIMEOUT_MS}")
        cur.execute("SET LOCAL maintenance_work_mem = '128MB'")
        columns = ", ".join(f"{_ident(c.ds_id)} {c.type}" for c in table.columns)
        target = ", ".join(_ident(c.ds_id) for c in table.columns)
        # COPY into a temporary table, then fill the real one with _full_text computed
        # in one set-based statement: the DataStore's row trigger (plpgsql, row_to_json)
        # would cost about twice as much. The trigger is added afterwards for upserts.
        load = name + "_load"
        cur.execute(f"CREATE TEMP TABLE {_ident(load)} ({columns}) ON COMMIT DROP")
        with open(csv_path, "rb") as f:
            cur.copy_expert(f"COPY {_ident(load)} ({target}) FROM STDIN "
                            f"WITH (FORMAT csv, HEADER true, ENCODING 'UTF8')", f)
        cur.execute(f"CREATE TABLE {_ident(name)} (_id serial PRIMARY KEY, _full_text tsvector, {columns})")
        # _full_text (what datastore_search's q= matches) indexes the text columns:
        # numbers and dates are searched with filters, and leaving them out makes the
        # vector and its GiST index about a quarter cheaper (benchmarks/datastore_fulltext.py)
        searchable = [c for c in table.columns if c.type == "text"] or table.columns
        as_text = ", ".join(f"{_ident(c.ds_id)}::text" for c in searchable)
        cur.execute(f"INSERT INTO {_ident(name)} ({target}, _full_text) "
                    f"SELECT {target}, to_tsvector(concat_ws(' ', {as_text})) FROM {_ident(load)}")
        rows = cur.rowcount
        cur.execute(f"DROP TABLE {_ident(load)}")
        cur.execute(f"CREATE TRIGGER zfulltext BEFORE INSERT OR UPDATE ON {_ident(name)} "
                    f"FOR EACH ROW EXECUTE PROCEDURE populate_full_text_trigger()")
        method = tk.config.get("ckan.datastore.default_fts_index_method") or "gist"
        cur.execute(f"CREATE INDEX {_ident(index)} ON {_ident(name)} USING {method}(_full_text)")
        for col in table.columns:
            notes = f"Đơn vị tính: {col.unit}" if getattr(col, "unit", "") else ""   # from the unit row
            info = {"_info": {"label": col.name, "notes": notes, "type_override": ""}}
            comment = " " + json.dumps(info, ensure_ascii=False, separators=(",", ":"))
            cur.execute(f"COMMENT ON COLUMN {_ident(name)}.{_ident(col.ds_id)} IS {_literal(comment)}")
        return Staged(connection=conn, table=name, index=index, rows=rows)
    except Exception:
        conn.rollback()
        conn.close()
        raise


def swap(staged: Staged, resource_id: str) -> None:
    """Replace the resource's table by the staged one and commit."""
    conn = staged.connection
    try:
        cur = conn.cursor()
        cur.execute(f"DROP TABLE IF EXISTS {_ident(resource_id)}")
        cur.execute(f"ALTER TABLE {_ident(staged.table)} RENAME TO {_ident(resource_id)}")
        cur.execute(f"ALTER SEQUENCE {_ident(staged.table + '__id_seq')} RENAME TO {_ident(resource_id + '__id_seq')}")
        cur.execute(f"ALTER INDEX {_ident(staged.table + '_pkey')} RENAME TO {_ident(resource_id + '_pkey')}")
        cur.execute(f"ALTER INDEX {_ident(staged.index)} RENAME TO {_ident(fts_index_name(resource_id))}")
        conn.commit()
        cur.execute(f"ANALYZE {_ident(resource_id)}")   # row count estimate for datastore_search
        conn.commit()
    except Exception:
        conn.rollback()
        raise
    finally:
        staged.close()


def abort(staged: Staged | None) -> None:
    if staged is None:
        return
    try:
        staged.connection.rollback()
    finally:
        staged.close()


def table_exists(resource_id: str) -> bool:
    conn = _write_connection()
    try:
        cur = conn.cursor()
        cur.execute("SELECT 1 FROM pg_tables WHERE schemaname = 'public' AND tablename = %s", (resource_id,))
        return cur.fetchone() is not None
    finally:
        conn.rollback()
        conn.close()
