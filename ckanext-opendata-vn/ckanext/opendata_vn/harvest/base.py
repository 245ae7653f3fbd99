"""What vn_excel and vn_api share: the three ckanext-harvest stages around
"download" (fetch) and "parse" (import), which the two harvesters implement.

gather  one harvest object per job, for the dataset the source fulfils (after
        checking the dataset exists and belongs to the source's agency)
fetch   download; unchanged bytes (same hash, or 304 to our ETag/Last-Modified)
        end the run as "not modified" with no import at all
import  parse and type, compare columns with the last run, write CSV/JSON; the
        same CSV hash as last time ends as "not modified" too; otherwise publish

Every failure is a HarvestFailure turned into the job's error, in Vietnamese and
English, naming the source; the dataset's resources are only touched by publish,
after everything else succeeded. What each stage did is kept (extras "log") for
the source page.
"""
from __future__ import annotations

import json
import logging
import os
import time

from ckan import model
import ckan.plugins as p

from ckanext.harvest.harvesters.base import HarvesterBase
from ckanext.harvest.model import HarvestObject, HarvestObjectExtra

from ckanext.opendata_vn.core import clock, formats
from ckanext.opendata_vn.core.failures import HarvestFailure
from ckanext.opendata_vn.core.tabular.table import TableError, column_changes, write_outputs
from ckanext.opendata_vn.harvest import guard as table_guard
from ckanext.opendata_vn.harvest import publish, settings, sources

log = logging.getLogger(__name__)

# extras kept on each harvest object; the latest complete object's are the source's state
STATE_KEYS = ("fingerprint", "raw_sha256", "etag", "last_modified", "content_sha256", "columns")


class RunLog:
    """Lines a focal officer can read on the source page: (time, vi, en)."""

    def __init__(self, lines: list | None = None):
        self.lines = list(lines or [])
        self.timings: dict[str, float] = {}   # seconds per step, for the benchmark and the logs

    def add(self, vi: str, en: str) -> None:
        self.lines.append([clock.now_iso(), vi, en])
        log.info("%s", en)

    def dumps(self) -> str:
        return json.dumps(self.lines, ensure_ascii=False)


def get_extras(obj: HarvestObject) -> dict:
    return {e.key: e.value for e in obj.extras}


def set_extras(obj: HarvestObject, values: dict) -> None:
    current = {e.key: e for e in obj.extras}
    for key, value in values.items():
        value = "" if value is None else (value if isinstance(value, str) else json.dumps(value, ensure_ascii=False))
        if key in current:
            current[key].value = value
        else:
            obj.extras.append(HarvestObjectExtra(key=key, value=value))


def previous_state(source_id: str, exclude_id: str | None = None) -> dict:
    """State (hashes, ETag, columns) of the source's last run that ended well."""
    q = (model.Session.query(HarvestObject)
         .filter(HarvestObject.harvest_source_id == source_id)
         .filter(HarvestObject.state == "COMPLETE")
         .order_by(HarvestObject.gathered.desc()))
    for obj in q.limit(20):
        if obj.id == exclude_id:
            continue
        extras = get_extras(obj)
        if extras.get("content_sha256"):
            return {k: extras.get(k) for k in STATE_KEYS}
    return {}


def accept_columns(source_id: str, names: list[str]) -> None:
    """The columns of a table published later (a held table a reviewer let through)
    become the source's baseline for the next run's column check."""
    q = (model.Session.query(HarvestObject)
         .filter(HarvestObject.harvest_source_id == source_id, HarvestObject.state == "COMPLETE")
         .order_by(HarvestObject.gathered.desc()))
    for obj in q.limit(20):
        if get_extras(obj).get("content_sha256"):
            set_extras(obj, {"columns": json.dumps(names, ensure_ascii=False)})
            model.Session.add(obj)
            model.Session.commit()
            return


def _columns_changed(added: list, removed: list) -> HarvestFailure:
    return HarvestFailure(
        "columns_changed",
        changes="; ".join(filter(None, [f"thêm {', '.join(added)}" if added else "",
                                        f"bớt {', '.join(removed)}" if removed else ""])),
        changes_en="; ".join(filter(None, [f"added {', '.join(added)}" if added else "",
                                           f"removed {', '.join(removed)}" if removed else ""])))


def _reindex(dataset_id: str) -> None:
    """The dataset was indexed before its harvest object became current: index it again
    so ckanext-harvest's source page lists it (harvest_source_id in the index)."""
    try:
        from ckan.lib.search import rebuild
        rebuild(dataset_id)
    except Exception:
        log.exception("could not reindex dataset %s", dataset_id)


def vn_number(n: int) -> str:
    """12345 → "12.345" (Vietnamese thousands separator)."""
    return formats.format_number(n, 0, lang="vi")


def _mb(size: int) -> str:
    """Vietnamese notation: "1,5 MB", "12.345 byte"."""
    if size >= 100 * 1024:
        return formats.format_number(size / 1024 / 1024, 1, lang="vi") + " MB"
    return f"{vn_number(size)} byte"


class VnHarvesterBase(HarvesterBase):
    """Subclasses set SOURCE_TYPE and implement download() and parse()."""

    SOURCE_TYPE = ""
    force_import = False

    p.implements(p.IConfigDeclaration)

    # IConfigDeclaration
    def declare_config_options(self, declaration, key):
        settings.declare(declaration, key)

    # IHarvester
    def validate_config(self, config):
        try:
            return json.dumps(sources.normalise_config(self.SOURCE_TYPE, config), ensure_ascii=False)
        except sources.ConfigError as e:
            raise ValueError(str(e))

    def get_original_url(self, harvest_object_id):
        obj = HarvestObject.get(harvest_object_id)
        return obj.source.url if obj is not None else None

    # --------------------------------------------------------------- gather
    def gather_stage(self, harvest_job):
        source = harvest_job.source
        try:
            config, dataset = self._source_config(source)
        except HarvestFailure as f:
            self._save_gather_error(f.message(source.title, source.url), harvest_job)
            return []
        obj = HarvestObject(guid=dataset.id, job=harvest_job, package_id=dataset.id,
                            content=json.dumps({"dataset_id": dataset.id, "source_type": source.type}))
        obj.extras.append(HarvestObjectExtra(key="log", value=RunLog().dumps()))
        obj.save()
        return [obj.id]

    def _source_config(self, source):
        try:
            config = sources.normalise_config(self.SOURCE_TYPE, source.config)
        except sources.ConfigError as e:
            if e.field == "dataset_id":
                raise HarvestFailure("dataset_missing")
            raise HarvestFailure("invalid_config", detail=e.vi)
        dataset = model.Package.get(config["dataset_id"])
        source_pkg = model.Package.get(source.id)
        if source_pkg is None or source_pkg.owner_org != dataset.owner_org:
            raise HarvestFailure("org_mismatch")
        return config, dataset

    # --------------------------------------------------------------- fetch
    def fetch_stage(self, harvest_object):
        source = harvest_object.source
        extras = get_extras(harvest_object)
        run = RunLog(json.loads(extras.get("log") or "[]"))
        try:
            config, dataset = self._source_config(source)
            fp = sources.fingerprint(source.url, config)
            # read anew when what is read, or what is published, changed
            state = self._change_baseline(previous_state(source.id, exclude_id=harvest_object.id), fp,
                                          source, dataset)
            started = time.monotonic()
            result = self.download(source, config, state, run)
            if result is None:   # 304 Not Modified
                run.add("Máy chủ nguồn báo dữ liệu không đổi (HTTP 304): không tạo phiên bản mới.",
                        "The source server reports no change (HTTP 304): no new version.")
                set_extras(harvest_object, {**state, "log": run.dumps(), "result": "unchanged"})
                harvest_object.save()
                return "unchanged"
            fetched = dict(result, fingerprint=fp, download_seconds=round(time.monotonic() - started, 4))
            if state.get("raw_sha256") and state["raw_sha256"] == fetched["raw_sha256"]:
                self.discard(fetched)
                run.add(f"Đã tải {_mb(fetched['size'])}: nội dung giống lần trước (cùng mã băm), không tạo phiên bản mới.",
                        f"Downloaded {fetched['size']} bytes: same content as last time (same hash), no new version.")
                set_extras(harvest_object, {**state, "etag": fetched.get("etag") or state.get("etag"),
                                            "last_modified": fetched.get("last_modified") or state.get("last_modified"),
                                            "log": run.dumps(), "result": "unchanged"})
                harvest_object.save()
                return "unchanged"
            seconds = f"{fetched['download_seconds']:.1f}"
            run.add(f"Đã tải {_mb(fetched['size'])} từ nguồn trong {seconds.replace('.', ',')} giây.",
                    f"Downloaded {fetched['size']} bytes from the source in {seconds} s.")
            set_extras(harvest_object, {"fetch": json.dumps(fetched), "log": run.dumps()})
            harvest_object.save()
            return True
        except HarvestFailure as f:
            return self._fail(harvest_object, run, f, "Fetch")
        except Exception as e:  # a bug must still end the job as failed, with a message
            log.exception("fetch failed for source %s", source.id)
            return self._fail(harvest_object, run, HarvestFailure("internal", detail=type(e).__name__), "Fetch")

    # --------------------------------------------------------------- import
    def import_stage(self, harvest_object):
        source = harvest_object.source
        extras = get_extras(harvest_object)
        run = RunLog(json.loads(extras.get("log") or "[]"))
        fetched = json.loads(extras.get("fetch") or "{}")
        if not fetched or not os.path.exists(fetched.get("path", "")):
            # e.g. `harvester import` re-running an old object: its download is gone
            run.add("Không còn tệp tải về để nhập lại; hãy chạy thu thập mới.",
                    "The downloaded file is gone; run a new harvest instead.")
            set_extras(harvest_object, {"log": run.dumps()})
            harvest_object.save()
            return "unchanged"
        prepared = None
        timings = {}
        try:
            config, dataset = self._source_config(source)
            state = previous_state(source.id, exclude_id=harvest_object.id)
            baseline = self._change_baseline(state, fetched.get("fingerprint"), source, dataset)
            table, original = self._read(source, config, fetched, run, timings)
            self._check_columns(table.names, state, fetched.get("fingerprint"), config, run)
            found = self._mark_personal(table, run)
            prepared = self._prepare(table, original, fetched, timings)
            record = self._record(table, fetched, prepared)
            if baseline.get("content_sha256") == prepared.outputs.csv_sha256:
                run.add("Nội dung dữ liệu không đổi so với lần trước: không tạo phiên bản mới.",
                        "The data did not change since last time: no new version.")
                self._save_result(harvest_object, run, timings, "unchanged", record)
                return "unchanged"
            # The registered guard (privacy: personal columns no IT decision covers) may hold the
            # table back (nothing published, published resources untouched) or reduce `prepared`.
            # A held table keeps the published columns as the baseline for the next run's check.
            if table_guard.check(source, dataset, prepared, run, found) == table_guard.HELD:
                self._save_result(harvest_object, run, timings, table_guard.HELD, record,
                                  columns=state.get("columns") or "")
                return True
            info = self._publish(harvest_object, source, dataset, config, prepared, table.row_count, run, timings)
            self._save_result(harvest_object, run, timings, "updated", record,
                              data_updated=info.get("data_updated"))
            _reindex(dataset.id)
            return True
        except HarvestFailure as f:
            return self._fail(harvest_object, run, f, "Import")
        except Exception as e:
            log.exception("import failed for source %s", source.id)
            model.Session.rollback()
            return self._fail(harvest_object, run, HarvestFailure("internal", detail=type(e).__name__), "Import")
        finally:
            if prepared is not None:
                prepared.discard()
            self.discard(fetched)
            self._forget_download(harvest_object)

    # import steps, in order ------------------------------------------
    def _change_baseline(self, state: dict, fingerprint: str | None, source, dataset) -> dict:
        """The last run's state to compare with, or {} to read and publish anew: the
        source reads something else now, an import is forced, or a published resource
        went missing."""
        if state.get("fingerprint") != fingerprint or self.force_import \
                or not publish.has_all_resources(dataset.id, source.id):
            return {}
        return state

    def _read(self, source, config: dict, fetched: dict, run: RunLog, timings: dict):
        t0 = time.monotonic()
        try:
            table, original = self.parse(source, config, fetched, run)
        except TableError as e:
            raise HarvestFailure(e.code, **e.params)
        timings["parse"] = time.monotonic() - t0
        timings.update(run.timings)
        run.add(f"Đọc được {vn_number(table.row_count)} dòng, {len(table.names)} cột.",
                f"Read {table.row_count} rows, {len(table.names)} columns.")
        return table, original

    @staticmethod
    def _check_columns(names: list, state: dict, fingerprint: str | None, config: dict, run: RunLog) -> None:
        """Same settings as last time: the columns must not change unless the officer
        accepted it for this run; new settings accept new columns."""
        previous = json.loads(state.get("columns") or "null") if state else None
        if previous is None:
            return
        same_settings = state.get("fingerprint") == fingerprint
        if same_settings and not config.get("allow_column_changes"):
            added, removed = column_changes(previous, names)
            if added or removed:
                raise _columns_changed(added, removed)
        elif not same_settings and previous != names:
            run.add("Cấu hình nguồn đã thay đổi: chấp nhận cấu trúc cột mới.",
                    "The source settings changed: the new columns are accepted.")

    @staticmethod
    def _mark_personal(table, run: RunLog) -> list:
        """The registered guard (privacy's personal-data rules) marks the personal columns,
        once per run: its findings go to table_guard.check."""
        found = table_guard.mark(table)
        personal = [c.name for c in table.columns if c.personal]
        if personal:
            run.add("Cảnh báo: các cột có thể chứa dữ liệu cá nhân (Nghị định 13/2023): "
                    + ", ".join(personal) + ". Cần cán bộ Sở rà soát trước khi công khai.",
                    "Warning: these columns may hold personal data (Decree 13/2023): "
                    + ", ".join(personal) + ". An IT reviewer must decide before they are public.")
        return found

    @staticmethod
    def _prepare(table, original: dict, fetched: dict, timings: dict) -> publish.Prepared:
        """CSV and JSON written next to the download, not yet published."""
        t0 = time.monotonic()
        csv_path = fetched["path"] + ".csv"
        json_path = fetched["path"] + ".json"
        prepared = publish.Prepared(
            table=table, outputs=None, csv_path=csv_path, json_path=json_path,
            original_path=fetched["path"], original_name=original["name"],
            original_format=original["format"], original_sha256=fetched["raw_sha256"],
            original_size=fetched["size"])
        prepared.outputs = write_outputs(table, csv_path, json_path, timings)
        timings["write"] = time.monotonic() - t0
        return prepared

    @staticmethod
    def _record(table, fetched: dict, prepared: publish.Prepared) -> dict:
        """What the object keeps of this run whatever its result: the state (STATE_KEYS)
        and the table's summary for the source page."""
        summary = {"rows": table.row_count, "columns": [c.as_dict() for c in table.columns],
                   "header_row": table.header_row}
        return {
            "fingerprint": fetched.get("fingerprint"), "raw_sha256": fetched["raw_sha256"],
            "etag": fetched.get("etag"), "last_modified": fetched.get("last_modified"),
            "content_sha256": prepared.outputs.csv_sha256, "columns": json.dumps(table.names, ensure_ascii=False),
            "summary": json.dumps(summary, ensure_ascii=False),
        }

    def _publish(self, harvest_object, source, dataset, config: dict, prepared: publish.Prepared,
                 rows: int, run: RunLog, timings: dict) -> dict:
        """Publish, then make this object the source's current one."""
        t0 = time.monotonic()
        notes: list = []
        info = publish.publish(source, dataset.id, prepared, notes, timings)
        timings["publish"] = time.monotonic() - t0
        for vi, en in notes:
            run.add(vi, en)
        run.add(f"Đã cập nhật tệp gốc, CSV, JSON và DataStore ({vn_number(rows)} dòng).",
                f"Updated the original file, CSV, JSON and DataStore ({rows} rows).")
        if info.get("published"):
            run.add("Tập dữ liệu chuyển sang «Đã công bố».", "The dataset is now «Published».")
        # this object now describes the dataset's data; earlier ones no longer do
        model.Session.query(HarvestObject).filter(
            HarvestObject.harvest_source_id == source.id,
            HarvestObject.id != harvest_object.id,
            HarvestObject.current == True,  # noqa: E712
        ).update({"current": False}, synchronize_session=False)
        harvest_object.current = True
        harvest_object.package_id = dataset.id
        if config.get("allow_column_changes"):
            sources.clear_flag(source, "allow_column_changes")   # accepted once, checked again next run
        return info

    @staticmethod
    def _save_result(harvest_object, run: RunLog, timings: dict, result: str, record: dict, **more) -> None:
        set_extras(harvest_object, {**record, "log": run.dumps(), "result": result,
                                    "timings": json.dumps(timings), **more})
        harvest_object.save()

    # --------------------------------------------------------------- helpers
    def discard(self, fetched: dict) -> None:
        for path in (fetched.get("path"), *(fetched.get("extra_paths") or [])):
            if path:
                for candidate in (path, path + ".csv", path + ".json"):
                    try:
                        os.unlink(candidate)
                    except (FileNotFoundError, TypeError):
                        pass

    def _forget_download(self, harvest_object) -> None:
        """The fetch → import hand-over (temporary paths, the final download URL) is not
        kept on the object once imported: harvest objects are readable through the API."""
        try:
            set_extras(harvest_object, {"fetch": ""})
            harvest_object.save()
        except Exception:
            log.exception("could not clear the download record of %s", harvest_object.id)
            model.Session.rollback()

    def _fail(self, harvest_object, run: RunLog, failure: HarvestFailure, stage: str):
        source = harvest_object.source
        message = failure.message(source.title, source.url)
        vi, en = message.split("\n", 1)
        run.add(vi, en)
        try:
            set_extras(harvest_object, {"log": run.dumps(), "result": "failed", "cause": failure.code})
            harvest_object.save()
        except Exception:
            model.Session.rollback()
        self._save_object_error(message, harvest_object, stage)
        return False

    # subclasses -------------------------------------------------------
    def download(self, source, config: dict, state: dict, run: RunLog) -> dict | None:
        """Download into a temporary file; return {"path", "size", "raw_sha256", "etag",
        "last_modified", "content_type", ...} or None for 304. Raise HarvestFailure."""
        raise NotImplementedError

    def parse(self, source, config: dict, fetched: dict, run: RunLog):
        """Return (Table, {"name": original file name, "format": "XLSX"…})."""
        raise NotImplementedError
