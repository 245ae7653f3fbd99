"""DataStore tables loaded with COPY into a new table, swapped in one transaction.

`datastore_create` inserts row by row; a 100,000-row workbook would take minutes.
Instead the CSV we publish is COPYed into a fresh table with the DataStore's own
layout (_id serial, _full_text tsvector of the text columns computed in one set-based
statement, populate_full_text_trigger for later upserts, column info as comments),
and only then renamed over the resource's table in the same transaction: readers see
the old rows or the new ones, never a mix, and a failure anywhere leaves the old table
untouched. The _full_text index follows as a job on CKAN's queue (build_search_index).
"""
from __future__ import annotations

import hashlib
import json
import logging
import uuid
from dataclasses import dataclass

import ckan.plugins.toolkit as tk

from ckanext.opendata_vn.core.tabular.table import Table

STATEMENT_TIMEOUT_MS = 10 * 60 * 1000
log = logging.getLogger(__name__)


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
    index: str              # unused: the search index is built after the swap
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
        for col in table.columns:
            notes = f"Đơn vị tính: {col.unit}" if getattr(col, "unit", "") else ""   # from the unit row
            info = {"_info": {"label": col.name, "notes": notes, "type_override": ""}}
            comment = " " + json.dumps(info, ensure_ascii=False, separators=(",", ":"))
            cur.execute(f"COMMENT ON COLUMN {_ident(name)}.{_ident(col.ds_id)} IS {_literal(comment)}")
        return Staged(connection=conn, table=name, index="", rows=rows)
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
        conn.commit()
        cur.execute(f"ANALYZE {_ident(resource_id)}")   # row count estimate for datastore_search
        conn.commit()
    except Exception:
        conn.rollback()
        raise
    finally:
        staged.close()
    schedule_search_index(resource_id)


def schedule_search_index(resource_id: str) -> None:
    """The _full_text index is built by a job on CKAN's queue once the rows are live:
    q= matches at once (a sequential scan of the stored vectors) and is fast once the
    index exists; the load itself is about 1.2 s shorter per 100,000 rows."""
    try:
        tk.enqueue_job(build_search_index, [resource_id], title=f"DataStore search index {resource_id}",
                       rq_kwargs={"timeout": STATEMENT_TIMEOUT_MS // 1000})
    except Exception:   # no queue (Redis down): build it here rather than never
        log.warning("Could not queue the search index of %s; building it now", resource_id, exc_info=True)
        build_search_index(resource_id)


def build_search_index(resource_id: str) -> bool:
    """CREATE INDEX CONCURRENTLY (readers and writers go on) the GiST/GIN index
    ckanext-datastore expects on _full_text, under the name it gives it; a left-over
    invalid index from an interrupted build is replaced. False when the table is gone."""
    name = fts_index_name(resource_id)
    method = tk.config.get("ckan.datastore.default_fts_index_method") or "gist"
    conn = _write_connection()
    driver = getattr(conn, "dbapi_connection", None) or conn.connection   # the pooled psycopg2 connection
    driver.autocommit = True          # CONCURRENTLY cannot run inside a transaction
    cur = driver.cursor()
    try:
        cur.execute(f"SET statement_timeout = {STATEMENT_TIMEOUT_MS}")
        cur.execute("SET maintenance_work_mem = '128MB'")
        if not _exists(cur, resource_id):
            return False
        cur.execute("SELECT i.indisvalid FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
                    "WHERE c.relname = %s", (name,))
        found = cur.fetchone()
        if found and found[0]:
            return True
        if found:
            cur.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {_ident(name)}")
        cur.execute(f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {_ident(name)} "
                    f"ON {_ident(resource_id)} USING {method}(_full_text)")
        return True
    finally:
        cur.execute("RESET statement_timeout; RESET maintenance_work_mem")
        driver.autocommit = False     # back to the pool as the others expect it
        conn.close()


def _exists(cur, resource_id: str) -> bool:
    cur.execute("SELECT 1 FROM pg_tables WHERE schemaname = 'public' AND tablename = %s", (resource_id,))
    return cur.fetchone() is not None


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
        return _exists(conn.cursor(), resource_id)
    finally:
        conn.rollback()
        conn.close()
