"""Helpers for the harvest tests: the loopback HTTP server, running a job through the
real Redis queues, reading what was published."""
from __future__ import annotations

import io
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.tests import helpers

FIXTURES = Path(__file__).resolve().parents[1] / "harvest" / "fixtures"


@dataclass
class Route:
    body: bytes = b""
    status: int = 200
    headers: dict = field(default_factory=dict)
    delay: float = 0.0                      # seconds before answering
    trickle: float = 0.0                    # seconds between 1 KB chunks of the body
    handler: object = None                  # callable(request) -> Route, for dynamic answers
    hits: int = 0
    requests: list = field(default_factory=list)


class Server:
    """Routes keyed by path (with query string when given)."""

    def __init__(self):
        self.routes: dict[str, Route] = {}
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def do_GET(self):
                route = server.routes.get(self.path) or server.routes.get(self.path.split("?")[0])
                if route is None:
                    self.send_response(404)
                    self.send_header("Content-Length", "9")
                    self.end_headers()
                    self.wfile.write(b"not found")
                    return
                route.hits += 1
                route.requests.append({"path": self.path, "headers": dict(self.headers)})
                answer = route.handler(self) if route.handler else route
                if answer.delay:
                    time.sleep(answer.delay)
                status, headers = answer.status, dict(answer.headers)
                etag = headers.get("ETag")
                if etag and self.headers.get("If-None-Match") == etag:
                    self.send_response(304)
                    self.send_header("ETag", etag)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                self.send_response(status)
                headers.setdefault("Content-Type", "application/octet-stream")
                headers.setdefault("Content-Length", str(len(answer.body)))
                for k, v in headers.items():
                    self.send_header(k, v)
                self.end_headers()
                try:
                    if answer.trickle:
                        for i in range(0, len(answer.body), 1024):
                            self.wfile.write(answer.body[i:i + 1024])
                            self.wfile.flush()
                            time.sleep(answer.trickle)
                    else:
                        self.wfile.write(answer.body)
                except (BrokenPipeError, ConnectionResetError):
                    pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def add(self, path: str, body: bytes = b"", **kw) -> str:
        self.routes[path] = Route(body=body, **kw)
        return self.base + path

    def route(self, path: str) -> Route:
        return self.routes[path.replace(self.base, "")]

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


def site_user() -> str:
    return tk.get_action("get_site_user")({"ignore_auth": True}, {})["name"]


def create_source(dataset, url, source_type="vn_excel", user=None, **settings) -> dict:
    return helpers.call_action("opendata_vn_harvest_source_create",
                               context={"user": user or site_user()},
                               dataset_id=dataset["id"], source_type=source_type, url=url, **settings)


def run_job(source_id: str, user: str | None = None) -> dict:
    """Create a job as "Chạy ngay" does, then let ckanext-harvest's gather and fetch
    consumers take it from Redis (in process), then finish it as the scheduler does."""
    job = helpers.call_action("opendata_vn_harvest_run", context={"user": user or site_user()}, id=source_id)
    return process_queued_job(source_id, job["id"])


def process_queued_job(source_id: str, job_id: str) -> dict:
    """What the gather and fetch consumers and the scheduler do with a queued job."""
    from ckanext.harvest import queue
    gather = queue.get_gather_consumer()
    fetch = queue.get_fetch_consumer()
    reply = gather.basic_get(queue="ckan.harvest.gather")
    assert reply[2], "the job was not put on the gather queue"
    queue.gather_callback(gather, *reply)
    while True:
        reply = fetch.basic_get(queue="ckan.harvest.fetch")
        if not reply[2]:
            break
        queue.fetch_callback(fetch, *reply)
    model.Session.remove()
    helpers.call_action("harvest_jobs_run", context={"user": site_user()}, source_id=source_id)
    shown = helpers.call_action("harvest_job_show", context={"user": site_user()}, id=job_id)
    return shown


def source_status(source_id: str) -> dict:
    return helpers.call_action("opendata_vn_harvest_source_show", context={"user": site_user()},
                               id=source_id)["status"]


def show(dataset_id: str) -> dict:
    return helpers.call_action("package_show", context={"user": site_user(), "use_cache": False}, id=dataset_id)


def harvested(pkg: dict, source_id: str) -> dict:
    from ckanext.opendata_vn.harvest.publish import harvest_resources
    return harvest_resources(pkg["resources"], source_id)


def stored_file(resource_id: str) -> bytes:
    from ckanext.opendata_vn.harvest.publish import storage_path
    return Path(storage_path(resource_id)).read_bytes()


def datastore_rows(resource_id: str, **kw) -> dict:
    return helpers.call_action("datastore_search", context={"user": site_user()},
                               resource_id=resource_id, limit=kw.pop("limit", 1000), **kw)


def xlsx_bytes(rows, sheet="Dữ liệu", merges=(), extra_sheets=()) -> bytes:
    import openpyxl
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sheet
    for row in rows:
        ws.append(list(row))
    for rng in merges:
        ws.merge_cells(rng)
    for name, more in extra_sheets:
        other = wb.create_sheet(name)
        for row in more:
            other.append(list(row))
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
