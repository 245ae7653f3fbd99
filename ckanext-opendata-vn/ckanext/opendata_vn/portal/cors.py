"""CORS for public read requests: a page on any other site may read the portal's
public data with GET (the Action API, DataStore dumps, XML downloads, DCAT), without
credentials, so only what is public can be read that way. Writes are not opened to
other origins (CKAN's own ckan.cors.* options stay off in common.ini)."""
from __future__ import annotations

import re

from ckan.common import request

READ_METHODS = ("GET", "HEAD")
_PUBLIC_READ = re.compile(
    r"^/(?:api/(?:\d+/)?action/[\w-]+"
    r"|datastore/dump/[\w-]+"
    r"|dataset/[^/]+/resource/[\w-]+/download\.xml"
    r"|catalog\.(?:ttl|jsonld|xml|rdf|n3|jsonld)"
    r"|dataset/[^/]+\.(?:ttl|jsonld|xml|rdf|n3))$")


def is_public_read(path: str) -> bool:
    return bool(_PUBLIC_READ.match(path))


def add_cors_headers(response):
    if not request.headers.get("Origin") or not is_public_read(request.path):
        return response
    method = request.method
    if method == "OPTIONS":
        method = (request.headers.get("Access-Control-Request-Method") or "").upper()
    if method not in READ_METHODS:
        return response
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["Access-Control-Allow-Methods"] = "GET, HEAD, OPTIONS"
    response.headers["Access-Control-Allow-Headers"] = "Content-Type"
    response.headers["Access-Control-Max-Age"] = "86400"
    response.headers.pop("Access-Control-Allow-Credentials", None)
    return response
