"""Helpers for the DCAT tests: the loopback HTTP server, SHACL validation."""
from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import rdflib

import ckan.plugins.toolkit as tk

from ckanext.opendata_vn.dcat import shacl

OUR_SHAPES = Path(__file__).resolve().parents[1] / "dcat" / "shapes"


class Loopback:
    """Routes: path (with or without query string) -> (body bytes, content type), or a
    callable(path) -> (body, content type)."""

    def __init__(self):
        self.routes: dict = {}
        self.hits: list[str] = []
        loopback = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _answer(self, with_body: bool):
                loopback.hits.append(self.path)
                route = loopback.routes.get(self.path) or loopback.routes.get(self.path.split("?")[0])
                if callable(route):
                    route = route(self.path)
                if route is None:
                    self.send_response(404)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                body, content_type = route
                self.send_response(200)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if with_body:
                    self.wfile.write(body)

            def do_GET(self):
                self._answer(True)

            def do_HEAD(self):
                self._answer(False)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()



def site_context() -> dict:
    user = tk.get_action("get_site_user")({"ignore_auth": True}, {})["name"]
    return {"user": user, "ignore_auth": True}


def validate(graph: rdflib.Graph) -> tuple[bool, str]:
    """pyshacl against our shapes (tests/dcat/shapes). The official DCAT-AP 3.0.1 shapes
    are not in the repository: `ckan opendata dcat-validate SHAPES_DIR` checks against them."""
    return shacl.validate(graph, shacl.load_shapes(OUR_SHAPES))
