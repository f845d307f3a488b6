"""Links: URLs fetched safely from servers on loopback, stored once under their final URL.

Each test serves what it needs from a small HTTP(S) server on 127.0.0.1 whose routes it
controls: articles, a PDF-typed body, a 404, an endless redirect loop, a body that trickles
forever, a huge Content-Length, a huge body with no length, a redirect to the cloud metadata
address. conftest's guard fails a test on any connect beyond loopback, so a refusal that came
after a connection attempt cannot pass. Loopback is private: the tests allow private URLs,
except the one that checks the default refuses them.
"""

from __future__ import annotations

import io
import ipaddress
import json
import os
import socket
import ssl
import subprocess
import sys
import threading
import time
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from index.config import Settings
from index.errors import LinkError
from index.fetch import FetchLimits, address_refusal, fetch_url, sniff_kind
from index.links import read_url_file
from index.sources import canonical_url, doc_id_for
from index.types import Problem

ROOT = Path(__file__).resolve().parent.parent
LOOPBACK = FetchLimits(allow_private=True, timeout=5)

Handler = Callable[[BaseHTTPRequestHandler], None]


@dataclass
class LinkServer:
    """Serves `routes` (path -> handler function) on 127.0.0.1, recording what it was asked and sent."""

    routes: dict[str, Handler] = field(default_factory=dict)
    requests: list[tuple[str, str]] = field(default_factory=list)  # (path, Host header)
    sent: dict[str, int] = field(default_factory=dict)  # bytes of body written per path
    tls: ssl.SSLContext | None = None
    _server: ThreadingHTTPServer | None = None

    def url(self, path: str, host: str = "127.0.0.1") -> str:
        assert self._server is not None
        scheme = "https" if self.tls else "http"
        return f"{scheme}://{host}:{self.port}{path}"

    @property
    def port(self) -> int:
        assert self._server is not None
        return int(self._server.server_address[1])

    def start(self) -> LinkServer:
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def do_GET(self) -> None:
                owner.requests.append((self.path, self.headers.get("Host", "")))
                route = owner.routes.get(self.path.split("?", 1)[0])
                try:
                    if route is None:
                        reply(self, 404, b"not here", "text/plain")
                    else:
                        route(self)
                except (BrokenPipeError, ConnectionResetError, ssl.SSLError, OSError):
                    pass  # the client hung up: what the tests want in the oversized cases

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        if self.tls:
            self._server.socket = self.tls.wrap_socket(self._server.socket, server_side=True)
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server:
            self._server.shutdown()
            self._server.server_close()


def reply(handler: BaseHTTPRequestHandler, status: int, body: bytes, content_type: str,
          headers: dict[str, str] | None = None) -> None:
    handler.send_response(status)
    handler.send_header("Content-Type", content_type)
    handler.send_header("Content-Length", str(len(body)))
    for name, value in (headers or {}).items():
        handler.send_header(name, value)
    handler.end_headers()
    handler.wfile.write(body)


def page(body: bytes, content_type: str = "text/html; charset=utf-8", **headers: str) -> Handler:
    return lambda h: reply(h, 200, body, content_type, {k.replace("_", "-"): v for k, v in headers.items()})


def redirect(location: str, status: int = 302) -> Handler:
    return lambda h: reply(h, status, b"", "text/plain", {"Location": location})


def endless(owner: LinkServer, path: str, announce: int | None = None) -> Handler:
    """A body of 64 KB chunks that never ends (up to 2 GB), with or without a Content-Length."""
    def handle(h: BaseHTTPRequestHandler) -> None:
        h.protocol_version = "HTTP/1.1"
        h.send_response(200)
        h.send_header("Content-Type", "text/html")
        if announce is not None:
            h.send_header("Content-Length", str(announce))
        else:
            h.send_header("Connection", "close")
        h.end_headers()
        chunk = b"<p>" + b"x" * 65_530 + b"</p>"
        owner.sent[path] = 0
        while owner.sent[path] < 2_000_000_000:
            h.wfile.write(chunk)
            owner.sent[path] += len(chunk)
    return handle


def article(title: str, sentences: list[str], published: str = "2023-08-14T09:00:00Z", extra_head: str = "") -> bytes:
    meta = f'<meta property="article:published_time" content="{published}">' if published else ""
    paragraphs = "".join(f"<p>{s}</p>" for s in sentences)
    return (f"<!doctype html><html><head><title>{title}</title>{meta}{extra_head}</head>"
            f"<body><article><h1>{title}</h1>{paragraphs}</article></body></html>").encode()


@pytest.fixture
def server() -> Iterator[LinkServer]:
    s = LinkServer().start()
    yield s
    s.stop()


def refusal(url: str, limits: FetchLimits = LOOPBACK) -> str:
    with pytest.raises(LinkError) as caught:
        fetch_url(url, limits)
    return str(caught.value)


# --- fetching -----------------------------------------------------------------------------

def test_an_html_article_is_fetched_and_sniffed(server: LinkServer) -> None:
    body = article("Niger junta names a prime minister", ["Ali Lamine Zeine was appointed."])
    server.routes["/a.html"] = page(body)
    fetched = fetch_url(server.url("/a.html"), LOOPBACK)
    assert fetched.body == body and fetched.kind == "html" and fetched.suffix == ".html"
    assert fetched.final_url == server.url("/a.html") and fetched.redirects == 0
    assert fetched.content_type == "text/html" and fetched.charset == "utf-8"
    assert server.requests == [("/a.html", f"127.0.0.1:{server.port}")]


def test_a_pdf_body_is_sniffed_by_its_magic_bytes(server: LinkServer) -> None:
    pdf = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n"
    server.routes["/report"] = page(pdf, "application/octet-stream")  # no suffix, generic type
    server.routes["/mislabelled.html"] = page(pdf, "text/html")  # magic bytes beat the header
    server.routes["/typed"] = page(b"not really a pdf", "application/pdf")
    assert fetch_url(server.url("/report"), LOOPBACK).suffix == ".pdf"
    assert fetch_url(server.url("/mislabelled.html"), LOOPBACK).kind == "pdf"
    assert fetch_url(server.url("/typed"), LOOPBACK).kind == "pdf"


def docx_bytes() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return out.getvalue()


def zip_bytes() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("data.csv", "a,b")
    return out.getvalue()


@pytest.mark.parametrize(("body", "content_type", "url", "kind"), [
    (b"%PDF-1.7 ...", "text/html", "https://x.org/a.html", "pdf"),
    (docx_bytes(), "application/octet-stream", "https://x.org/download?id=3", "docx"),
    (zip_bytes(), "application/zip", "https://x.org/a.docx", None),  # a zip, but no Word document in it
    (b"<html><body>hi</body></html>", "application/xhtml+xml", "https://x.org/a", "html"),
    (b"<rss version='2.0'></rss>", "application/rss+xml", "https://x.org/feed", "xml"),
    (b"<feed></feed>", "application/atom+xml", "https://x.org/feed", "xml"),
    (b'{"items": []}', "application/json", "https://x.org/export", "json"),
    (b'{"title": "a"}\n', "application/x-ndjson", "https://x.org/export", "jsonl"),
    (b"Just words.", "text/plain", "https://x.org/notes.html", "txt"),  # a named type beats the suffix
    (b"a,b\n1,2\n", "text/csv", "https://x.org/table", "txt"),
    (b'{"title": "a"}\n', "application/octet-stream", "https://x.org/export.jsonl", "jsonl"),
    (b"Some text", "", "https://x.org/readme.md", "txt"),
    (b"<!DOCTYPE html><html></html>", "application/octet-stream", "https://x.org/page", "html"),
    (b"<?xml version='1.0'?><rss></rss>", "", "https://x.org/feed", "xml"),
    (b"\x89PNG\r\n\x1a\n....", "image/png", "https://x.org/a.html", None),
    (b"\x00\x01binary", "application/octet-stream", "https://x.org/blob", None),
    (b"MZ\x90\x00", "application/x-msdownload", "https://x.org/setup.txt", None),
])
def test_sniffing_order_magic_then_type_then_suffix(body: bytes, content_type: str, url: str,
                                                     kind: str | None) -> None:
    assert sniff_kind(body, content_type, url) == kind


def test_media_and_unknown_types_are_refused(server: LinkServer) -> None:
    server.routes["/photo.html"] = page(b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, "image/png")
    server.routes["/blob"] = page(b"\x00\x01\x02", "application/octet-stream")
    assert refusal(server.url("/photo.html")) == "unsupported content type 'image/png'"
    assert refusal(server.url("/blob")) == "unsupported content type 'application/octet-stream'"


def test_http_errors_are_named_by_status(server: LinkServer) -> None:
    server.routes["/gone"] = lambda h: reply(h, 410, b"gone", "text/plain")
    server.routes["/broken"] = lambda h: reply(h, 503, b"down", "text/plain")
    assert refusal(server.url("/missing")) == "HTTP 404"
    assert refusal(server.url("/gone")) == "HTTP 410"
    assert refusal(server.url("/broken")) == "HTTP 503"


def test_redirects_are_followed_and_an_endless_loop_refused_with_the_count(server: LinkServer) -> None:
    server.routes["/a.html"] = page(article("Story", ["A sentence."]))
    server.routes["/old"] = redirect("/older", 301)
    server.routes["/older"] = redirect(server.url("/a.html"), 308)
    fetched = fetch_url(server.url("/old"), LOOPBACK)
    assert fetched.final_url == server.url("/a.html") and fetched.url == server.url("/old")
    assert fetched.redirects == 2
    server.routes["/loop"] = redirect("/loop")
    server.requests.clear()
    assert refusal(server.url("/loop")).startswith("more than 5 redirects")
    assert len(server.requests) == 6  # the first request and 5 redirects followed, then it stops


def test_a_body_that_never_finishes_ends_at_the_deadline(server: LinkServer) -> None:
    def trickle(h: BaseHTTPRequestHandler) -> None:
        h.send_response(200)
        h.send_header("Content-Type", "text/html")
        h.send_header("Content-Length", "1000000")
        h.end_headers()
        for _ in range(10_000):  # one byte every 50 ms: no read ever times out
            h.wfile.write(b"x")
            h.wfile.flush()
            time.sleep(0.05)

    server.routes["/slow.html"] = trickle
    started = time.monotonic()
    reason = refusal(server.url("/slow.html"), FetchLimits(allow_private=True, timeout=1.5))
    elapsed = time.monotonic() - started
    assert reason == "timed out after 1.5 s"
    assert 1.4 <= elapsed < 2.5, elapsed


def test_a_server_that_never_answers_ends_at_the_deadline(server: LinkServer) -> None:
    server.routes["/silent"] = lambda h: time.sleep(5)
    started = time.monotonic()
    assert refusal(server.url("/silent"), FetchLimits(allow_private=True, timeout=1.0)) == "timed out after 1 s"
    assert time.monotonic() - started < 2.0


def test_a_closed_port_is_a_one_line_problem() -> None:
    with socket.socket() as probe:  # a port that was free a moment ago: nothing listens on it
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    reason = refusal(f"http://127.0.0.1:{port}/a.html")
    assert reason.startswith("cannot connect to 127.0.0.1 (") and "\n" not in reason


def test_a_huge_content_length_is_refused_before_reading(server: LinkServer) -> None:
    server.routes["/huge.html"] = endless(server, "/huge.html", announce=2_000_000_000)
    started = time.monotonic()
    reason = refusal(server.url("/huge.html"), FetchLimits(allow_private=True, timeout=10, max_bytes=1_000_000))
    assert reason == "too large (2000.0 MB announced > 1.0 MB cap)"
    assert time.monotonic() - started < 2.0


def test_a_huge_streamed_body_is_cut_off_at_the_cap(server: LinkServer) -> None:
    server.routes["/stream.html"] = endless(server, "/stream.html")
    reason = refusal(server.url("/stream.html"), FetchLimits(allow_private=True, timeout=10, max_bytes=1_000_000))
    assert reason == "too large (more than the 1.0 MB cap; stopped reading)"
    deadline = time.monotonic() + 5
    while server.sent.get("/stream.html", 0) < 1_000_000 and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(0.3)  # let the server's writes run into the closed connection
    # The server meant to send 2 GB; what it got out before the hang-up is the cap plus socket buffers.
    assert server.sent["/stream.html"] < 50_000_000, server.sent


# --- what may be fetched ---------------------------------------------------------------------

@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://x", "javascript:alert(1)", "gopher://x/1",
                                 "data:text/html,<p>hi</p>"])
def test_other_schemes_are_refused_by_name(url: str) -> None:
    scheme = url.split(":", 1)[0]
    assert refusal(url) == f"'{scheme}:' URLs are refused: only http and https links are fetched"


@pytest.mark.parametrize(("url", "reason"), [
    ("example.org/story", "not a URL"),
    ("https://", "no host"),
    ("https://user:secret@example.org/", "user name or password"),
    ("https://exa mple.org/", "contains spaces"),
])
def test_malformed_urls_are_refused(url: str, reason: str) -> None:
    assert reason in refusal(url)


def test_a_redirect_to_the_metadata_address_is_refused_without_connecting(server: LinkServer) -> None:
    # Private URLs are allowed here (the server is on loopback): link-local stays refused even so.
    server.routes["/innocent.html"] = redirect("http://169.254.169.254/latest/meta-data/iam/security-credentials/")
    server.routes["/v6"] = redirect("http://[fe80::1]/")
    server.routes["/mapped"] = redirect("http://[::ffff:169.254.169.254]/")
    for path in ("/innocent.html", "/v6", "/mapped"):
        reason = refusal(server.url(path))
        assert "link-local" in reason and "never fetched" in reason, reason


def test_loopback_links_are_refused_by_default(server: LinkServer, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("BRIEFBOT_ALLOW_PRIVATE_URLS", raising=False)
    server.routes["/a.html"] = page(article("Story", ["A sentence."]))
    limits = FetchLimits.from_settings(Settings(_env_file=None))  # type: ignore[call-arg]
    assert limits.allow_private is False and limits.timeout == 20 and limits.max_bytes == 20_000_000
    assert refusal(server.url("/a.html"), limits) == (
        "127.0.0.1 is a loopback address (refused unless BRIEFBOT_ALLOW_PRIVATE_URLS=1)")
    assert refusal(server.url("/a.html", host="localhost"), limits).startswith("localhost resolves to 127.0.0.1")
    assert server.requests == []  # refused before any connection
    monkeypatch.setenv("BRIEFBOT_ALLOW_PRIVATE_URLS", "1")
    monkeypatch.setenv("BRIEFBOT_MAX_URL_MB", "3")
    allowed = FetchLimits.from_settings(Settings(_env_file=None))  # type: ignore[call-arg]
    assert allowed.allow_private and allowed.max_bytes == 3_000_000
    assert fetch_url(server.url("/a.html"), allowed).kind == "html"


@pytest.mark.parametrize(("address", "strict", "allowed"), [
    ("93.184.215.14", "", ""),
    ("2606:2800:21f:cb07:6820:80da:af6b:8b2c", "", ""),
    ("127.0.0.1", "loopback", ""),
    ("::1", "loopback", ""),
    ("10.1.2.3", "private", ""),
    ("192.168.0.10", "private", ""),
    ("fd12::1", "private", ""),
    ("100.64.0.1", "non-public", ""),  # carrier-grade NAT
    ("240.0.0.1", "private", ""),  # reserved (Python files 240/4 under private)
    ("::ffff:10.0.0.1", "private", ""),
    ("169.254.169.254", "link-local", "link-local"),
    ("169.254.1.1", "link-local", "link-local"),
    ("fe80::1", "link-local", "link-local"),
    ("fd00:ec2::254", "link-local", "link-local"),
    ("100.100.100.200", "link-local", "link-local"),
    ("::ffff:169.254.169.254", "link-local", "link-local"),
    ("64:ff9b::a9fe:a9fe", "link-local", "link-local"),  # NAT64 form of 169.254.169.254
    ("2002:a9fe:a9fe::1", "link-local", "link-local"),  # 6to4 form of it
    ("0.0.0.0", "unspecified", "unspecified"),
    ("224.0.0.1", "multicast", "multicast"),
])
def test_address_rules(address: str, strict: str, allowed: str) -> None:
    ip = ipaddress.ip_address(address)
    assert (strict in address_refusal(ip, False)) if strict else address_refusal(ip, False) == ""
    assert (allowed in address_refusal(ip, True)) if allowed else address_refusal(ip, True) == ""


def test_the_connection_goes_to_the_address_that_was_checked(server: LinkServer,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """DNS rebinding: the name answers 127.0.0.1 when checked, the metadata address afterwards."""
    server.routes["/a.html"] = page(article("Story", ["A sentence."]))
    real = socket.getaddrinfo
    asked: list[str] = []

    def rebinding(host: Any, *args: Any, **kwargs: Any) -> Any:
        if host != "rebind.test":
            return real(host, *args, **kwargs)
        asked.append(host)
        address = "127.0.0.1" if len(asked) == 1 else "169.254.169.254"
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, server.port))]

    monkeypatch.setattr(socket, "getaddrinfo", rebinding)
    fetched = fetch_url(server.url("/a.html", host="rebind.test"), LOOPBACK)
    assert fetched.kind == "html" and fetched.final_url == server.url("/a.html", host="rebind.test")
    assert asked == ["rebind.test"]  # resolved once, by the check; the connect used that answer
    assert server.requests == [("/a.html", f"rebind.test:{server.port}")]


def self_signed_localhost(folder: Path) -> tuple[Path, Path]:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = datetime.now(UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - timedelta(days=1)).not_valid_after(now + timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost")]), critical=False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(key, hashes.SHA256()))
    cert_path, key_path = folder / "cert.pem", folder / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return cert_path, key_path


def test_https_is_pinned_to_the_checked_address_and_verified_for_the_host_name(tmp_path: Path) -> None:
    pytest.importorskip("cryptography")
    cert, key = self_signed_localhost(tmp_path)
    server_tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    server_tls.load_cert_chain(cert, key)
    server = LinkServer(tls=server_tls).start()
    try:
        server.routes["/a.html"] = page(article("Story", ["A sentence."]))
        trust = ssl.create_default_context(cafile=str(cert))
        limits = FetchLimits(allow_private=True, timeout=5, tls=trust)
        # Connected to the IP that "localhost" resolved to; TLS server name and Host: the host name.
        fetched = fetch_url(server.url("/a.html", host="localhost"), limits)
        assert fetched.kind == "html"
        assert server.requests[-1] == ("/a.html", f"localhost:{server.port}")
        # The certificate is for "localhost": by IP the name check fails, so the check is really made.
        assert "certificate" in refusal(server.url("/a.html", host="127.0.0.1"), limits).lower()
    finally:
        server.stop()


def test_a_url_list_file_skips_blank_lines_and_comments(tmp_path: Path) -> None:
    listing = tmp_path / "links.txt"
    listing.write_text("# morning reading\n\nhttps://a.example/story\n   https://b.example/x#section  \n"
                       "https://c.example/y  # from the desk chat\n#https://d.example/skipped\n")
    assert read_url_file(listing) == ["https://a.example/story", "https://b.example/x#section",
                                      "https://c.example/y"]


# --- ingest -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory):
    from index.engine import Briefbot

    settings = Settings(data_dir=tmp_path_factory.mktemp("links-data"), allow_private_urls=True,  # type: ignore[call-arg]
                        url_timeout=5, _env_file=None)
    return Briefbot(settings)


def stored(engine: Any, url: str) -> list[Any]:
    """Chunk 0 of every stored document whose id is that of `url`."""
    doc_id = doc_id_for(canonical_url(url))
    return [c for c in engine.store.iter_chunks(where={"chunk": 0}) if c.meta["doc_id"] == doc_id]


ARTICLE = [
    "The regional council of Tahoua met on Monday to approve an emergency budget for the city's water plant.",
    "Engineers said the plant, damaged by floods in July, would reopen within three weeks.",
    "The council's president, Moussa Adamou, said the repairs would cost 2.4 billion CFA francs.",
    "Residents have queued at public taps for hours since the plant closed.",
]
SUMMARY = "Tahoua council approves water plant budget."


def export_line(url: str, title: str, summary: str = SUMMARY) -> str:
    return json.dumps({"title": title, "description": summary, "link": url,
                       "date_published": "2023-08-14T08:00:00Z", "source": "https://wire.example.org/feed"})


@pytest.mark.slow
def test_a_page_is_stored_under_its_final_url_not_the_url_it_claims(engine: Any, server: LinkServer) -> None:
    claim = '<link rel="canonical" href="https://victim.example.com/original">'
    server.routes["/story.html"] = page(article("Tahoua water plant to reopen", ARTICLE, extra_head=claim))
    server.routes["/share"] = redirect("/story.html?utm_source=chat", 301)
    report = engine.ingest_urls([server.url("/share")])
    assert report.added == 1 and not report.problems, report
    final = server.url("/story.html?utm_source=chat")
    [doc] = stored(engine, final)
    assert doc.meta["doc_id"] == doc_id_for(canonical_url(server.url("/story.html")))
    assert doc.meta["url"] == final and doc.meta["feed"] == server.url("/share")
    assert doc.meta["source"] == "127.0.0.1" and doc.meta["from_link"] is True
    assert doc.meta["date"] == "2023-08-14" and doc.meta["title"] == "Tahoua water plant to reopen"
    assert stored(engine, "https://victim.example.com/original") == []


@pytest.mark.slow
def test_failing_urls_are_problems_named_by_url_and_the_batch_goes_on(engine: Any, server: LinkServer) -> None:
    server.routes["/good.html"] = page(article("Niamey airport reopens", [
        "Niamey's international airport reopened to commercial flights on Tuesday after two weeks."]))
    server.routes["/loop"] = redirect("/loop")
    server.routes["/report.pdf"] = page(b"%PDF-1.4 not much of a PDF", "application/pdf")
    urls = [server.url("/missing.html"), "ftp://x", server.url("/loop"), "file:///etc/passwd",
            server.url("/good.html")]
    seen: list[str] = []
    report = engine.ingest_urls(urls, on_problem=lambda p: seen.append(str(p)))
    assert report.added == 1
    assert seen == [f"{server.url('/missing.html')}: HTTP 404",
                    "ftp://x: 'ftp:' URLs are refused: only http and https links are fetched",
                    f"{server.url('/loop')}: more than 5 redirects (last to {server.url('/loop')})",
                    "file:///etc/passwd: 'file:' URLs are refused: only http and https links are fetched"]
    assert len(stored(engine, server.url("/good.html"))) == 1


def test_a_page_whose_charset_is_only_in_its_markup_is_decoded_by_it(server: LinkServer) -> None:
    from index.links import link_documents

    server.routes["/meta.html"] = page(article("Нигер закрывает границу", [
        "Власти Нигера закрыли границу с Бенином в пятницу."], extra_head='<meta charset="windows-1251">')
        .decode().encode("cp1251"), "text/html")
    server.routes["/latin.html"] = page(article("Les Affaires étrangères", [
        "Le ministère a parlé d’un « accord » vendredi soir."]).decode().encode("cp1252"), "text/html")
    server.routes["/header.txt"] = page("Note du ministère\nLe ministère parle d’un « accord ».".encode("cp1252"),
                                        "text/plain; charset=iso-8859-1")
    docs = list(link_documents([server.url(p) for p in ("/meta.html", "/latin.html", "/header.txt")], LOOPBACK))
    texts = [d.title + "\n" + d.text for d in docs if not isinstance(d, Problem)]
    assert len(texts) == 3, docs
    assert not any("\ufffd" in text for text in texts), texts
    assert "Власти Нигера закрыли границу" in texts[0]
    assert "Le ministère a parlé d’un « accord »" in texts[1]
    assert "parle d’un « accord »" in texts[2]


@pytest.mark.slow
def test_a_page_without_a_date_is_dated_by_last_modified_and_charsets_are_honoured(engine: Any,
                                                                                    server: LinkServer) -> None:
    server.routes["/undated.html"] = page(article("Curfew lifted in Zinder", [
        "Authorities in Zinder lifted the night curfew on Wednesday."], published=""),
        Last_Modified="Wed, 16 Aug 2023 18:00:00 GMT")
    server.routes["/note.txt"] = page("Café owners in Agadez reopen\nThe cafés of Agadez reopened on Thursday, "
                                      "owners said.".encode("latin-1"), "text/plain; charset=iso-8859-1")
    report = engine.ingest_urls([server.url("/undated.html"), server.url("/note.txt")])
    assert report.added == 2 and not report.problems, report.problems
    [undated] = stored(engine, server.url("/undated.html"))
    assert undated.meta["date"] == "2023-08-16"
    [note] = stored(engine, server.url("/note.txt"))
    assert note.meta["title"] == "Café owners in Agadez reopen"
    assert note.meta["date"] == datetime.now(UTC).date().isoformat()  # no date anywhere: the day it was fetched


@pytest.mark.slow
def test_a_feed_summary_does_not_replace_the_article_from_its_link(engine: Any, server: LinkServer,
                                                                    tmp_path: Path) -> None:
    server.routes["/first-link.html"] = page(article("Tahoua water plant budget approved", ARTICLE))
    url = server.url("/first-link.html")
    assert engine.ingest_urls([url]).added == 1
    export = tmp_path / "export.jsonl"
    export.write_text(export_line(url + "?utm_source=rss", "Tahoua water plant budget approved") + "\n")
    later = engine.ingest([export])
    assert later.added == 0 and later.updated == 0 and later.unchanged == 1
    [doc] = stored(engine, url)
    assert doc.meta["from_link"] is True
    assert "Moussa Adamou" in engine.document_text(doc.meta["doc_id"])


@pytest.mark.slow
def test_a_link_upgrades_a_feed_summary_to_the_article(engine: Any, server: LinkServer, tmp_path: Path) -> None:
    server.routes["/first-feed.html"] = page(article("Tahoua budget for water plant", ARTICLE))
    url = server.url("/first-feed.html")
    export = tmp_path / "export.jsonl"
    export.write_text(export_line(url, "Tahoua budget for water plant") + "\n")
    assert engine.ingest([export]).added == 1
    [summary] = stored(engine, url)
    assert summary.meta["from_link"] is False and "Moussa Adamou" not in engine.document_text(summary.meta["doc_id"])
    upgrade = engine.ingest_urls([url])
    assert upgrade.updated == 1 and upgrade.added == 0
    [doc] = stored(engine, url)
    assert doc.meta["from_link"] is True and "Moussa Adamou" in engine.document_text(doc.meta["doc_id"])
    assert engine.ingest([export]).unchanged == 1  # and the summary does not come back
    assert "Moussa Adamou" in engine.document_text(doc.meta["doc_id"])


@pytest.mark.slow
def test_a_feed_by_url_keeps_its_items_and_the_article_wins_within_one_run(engine: Any,
                                                                           server: LinkServer) -> None:
    server.routes["/in-run.html"] = page(article("Water plant budget in Tahoua", ARTICLE))
    article_url = server.url("/in-run.html")
    lines = [export_line(article_url, "Water plant budget in Tahoua"),
             export_line("https://wire.example.org/niamey-flights", "Flights resume at Niamey",
                         "Commercial flights resumed at Niamey airport.")]
    server.routes["/export.jsonl"] = page(("\n".join(lines) + "\n").encode(), "application/x-ndjson")
    report = engine.ingest_urls([server.url("/export.jsonl"), article_url])
    assert not report.problems and report.seen == 3
    [wire] = stored(engine, "https://wire.example.org/niamey-flights")
    assert wire.meta["feed"] == "https://wire.example.org/feed" and wire.meta["from_link"] is False
    [doc] = stored(engine, article_url)  # the feed's summary first, then the article: the article is kept
    assert doc.meta["from_link"] is True and "Moussa Adamou" in engine.document_text(doc.meta["doc_id"])


@pytest.mark.slow
def test_an_rss_feed_by_url_yields_its_items_with_their_own_links(engine: Any, server: LinkServer) -> None:
    rss = (b'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Wire</title>'
           b"<item><title>Bazoum's party calls for his release</title>"
           b"<link>https://wire.example.org/bazoum-release</link>"
           b"<description>The PNDS called for the release of Mohamed Bazoum.</description>"
           b"<pubDate>Mon, 14 Aug 2023 10:00:00 GMT</pubDate></item></channel></rss>")
    server.routes["/wire"] = page(rss, "application/rss+xml")
    report = engine.ingest_urls([server.url("/wire")])
    assert report.seen == 1 and not report.problems, report.problems
    [item] = stored(engine, "https://wire.example.org/bazoum-release")
    assert item.meta["feed"] == server.url("/wire") and item.meta["source"] == "wire.example.org"


# --- the command line, end to end ---------------------------------------------------------

def briefbot(*args: str, data_dir: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "BRIEFBOT_DATA_DIR": str(data_dir), "HF_HUB_OFFLINE": "1",
           "BRIEFBOT_ALLOW_PRIVATE_URLS": "1", "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "bot.cli", *args], capture_output=True, text=True, env=env,
                          cwd=ROOT, timeout=240)


@pytest.mark.slow
def test_cli_ingests_a_link_once_with_its_feed_copy_and_answers_from_it(server: LinkServer, tmp_path: Path) -> None:
    server.routes["/tahoua.html"] = page(article("Tahoua council approves water plant budget", ARTICLE))
    url = server.url("/tahoua.html")
    export = tmp_path / "export.jsonl"
    export.write_text(export_line(url, "Tahoua council approves water plant budget") + "\n")
    links = tmp_path / "links.txt"
    links.write_text(f"# the desk's links\n{url}\n\n")
    data_dir = tmp_path / "data"
    done = briefbot("ingest", str(export), "ftp://x", "--urls", str(links), data_dir=data_dir)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stderr.strip().splitlines() == [
        "skipped ftp://x: 'ftp:' URLs are refused: only http and https links are fetched"]
    assert done.stdout.startswith("ingested 2 documents") and "1 new, 1 changed" in done.stdout, done.stdout

    from index.engine import Briefbot

    engine = Briefbot(Settings(data_dir=data_dir, _env_file=None))  # type: ignore[call-arg]
    assert engine.stats().documents == 1  # the feed's copy and the link's article: one document
    answer = engine.ask("How much will the repairs of the Tahoua water plant cost?")
    assert not answer.abstained and "2.4 billion CFA francs" in answer.answer, answer.answer
    assert answer.citations[0].url == url


def test_cli_with_only_refused_urls_exits_1_naming_each(tmp_path: Path) -> None:
    done = briefbot("ingest", "ftp://x", "javascript:alert(1)", data_dir=tmp_path / "data")
    assert done.returncode == 1
    assert done.stderr.strip().splitlines() == [
        "skipped ftp://x: 'ftp:' URLs are refused: only http and https links are fetched",
        "skipped javascript:alert(1): 'javascript:' URLs are refused: only http and https links are fetched"]
    assert "ingested 0 documents" in done.stdout
