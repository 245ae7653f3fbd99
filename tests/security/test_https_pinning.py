"""Outbound HTTPS through core/safe_http.py: the connection goes to the address that was
checked, while TLS still speaks to the URL's host — SNI carries the name and the server
certificate is verified against the name, not against the pinned IP address.

A local HTTPS server (127.0.0.1, allowed by the test configuration) holds a certificate
from a throwaway CA (trustme); the name `agency-api.test` is answered by a resolver that
counts how often it is asked, so the tests can see that the name is resolved once, checked,
and never asked again for that request.
"""
from __future__ import annotations

import http.server
import socket
import ssl
import threading

import pytest
import requests
import trustme

from ckanext.opendata_vn.core import safe_http

NAME = "agency-api.test"


class _Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        body = f"host={self.headers.get('Host')}".encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture()
def ca():
    return trustme.CA()


def _serve(ca, cert_name):
    """An HTTPS server on 127.0.0.1 with a certificate for `cert_name`; records the SNI."""
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert(cert_name).configure_cert(context)
    seen = []
    context.sni_callback = lambda sock, name, ctx: seen.append(name)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return server, seen


@pytest.fixture()
def resolver(monkeypatch):
    """NAME → 127.0.0.1; every other name resolves as usual. Counts the questions."""
    real = socket.getaddrinfo
    asked = []

    def getaddrinfo(host, port, *args, **kwargs):
        if host == NAME:
            asked.append(host)
            return real("127.0.0.1", port, *args, **kwargs)
        return real(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return asked


@pytest.fixture()
def server_for(ca):
    started = []

    def start(cert_name):
        server, seen = _serve(ca, cert_name)
        started.append(server)
        return server.server_address[1], seen

    yield start
    for server in started:
        server.shutdown()
        server.server_close()


def test_https_goes_to_the_checked_address_and_speaks_tls_to_the_urls_name(ca, resolver, server_for):
    port, sni = server_for(NAME)
    with ca.cert_pem.tempfile() as bundle, safe_http.SafeSession() as session:
        response = session.get(f"https://{NAME}:{port}/data.json", verify=bundle, timeout=10)
    assert response.status_code == 200
    assert response.text == f"host={NAME}:{port}"      # the Host header names the URL's host
    assert sni == [NAME]                                # SNI too, although we connected to an IP
    assert resolver == [NAME]                           # resolved once, for the check


def test_a_certificate_for_another_name_is_refused(ca, resolver, server_for):
    """Pinning to an IP address must not turn off the certificate's name check."""
    port, sni = server_for("someone-else.test")
    with ca.cert_pem.tempfile() as bundle, safe_http.SafeSession() as session:
        with pytest.raises(requests.exceptions.SSLError):
            session.get(f"https://{NAME}:{port}/data.json", verify=bundle, timeout=10)
    assert sni == [NAME]


def test_an_untrusted_certificate_is_refused(ca, resolver, server_for):
    port, _ = server_for(NAME)
    other_ca = trustme.CA()
    with other_ca.cert_pem.tempfile() as bundle, safe_http.SafeSession() as session:
        with pytest.raises(requests.exceptions.SSLError):
            session.get(f"https://{NAME}:{port}/data.json", verify=bundle, timeout=10)


def test_an_https_name_answering_a_blocked_address_is_refused_before_connecting(ca, monkeypatch, server_for):
    """The same name, now answering the cloud metadata address: refused by the check, the
    TLS server never sees a connection."""
    port, sni = server_for(NAME)
    real = socket.getaddrinfo

    def metadata(host, p, *args, **kwargs):
        if host == NAME:
            return real("169.254.169.254", p, *args, **kwargs)
        return real(host, p, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", metadata)
    with ca.cert_pem.tempfile() as bundle, safe_http.SafeSession() as session:
        with pytest.raises(safe_http.Refused):
            session.get(f"https://{NAME}:{port}/data.json", verify=bundle, timeout=10)
    assert sni == []
