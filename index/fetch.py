"""Fetching one URL safely: http(s) only, public addresses only, bounded in time and size.

    fetched = fetch_url("https://www.example.org/story", FetchLimits.from_settings(settings))
    fetched.kind, fetched.suffix, fetched.body      # "html", ".html", b"<!doctype html>..."

Every refusal raises `LinkError` whose message is the reason, fit to show a user
("HTTP 404", "more than 5 redirects", "unsupported content type 'image/png'").

Server-side request forgery (a link that makes briefbot read from inside its own network):

- only `http` and `https`; `file:`, `ftp:`, `javascript:` and the rest are refused by name;
- the host name is resolved *before* any connection and every address it resolves to is
  checked: loopback, private, link-local, reserved, multicast, unspecified and other
  non-public addresses are refused unless `allow_private` (BRIEFBOT_ALLOW_PRIVATE_URLS=1);
  link-local addresses and the cloud metadata endpoints stay refused even then;
- the connection goes to the very address that was checked (the URL is rewritten to that
  IP, with the `Host` header and TLS server name set to the real host name, so the
  certificate is still verified for the host name): a DNS answer that changes between the
  check and the connect (DNS rebinding) cannot send the request elsewhere;
- redirects are followed by hand (at most `max_redirects`), and each hop is checked the
  same way before it is connected to;
- environment proxies are ignored (`trust_env=False`): a proxy would make the address
  check meaningless.

Time and size: connect and read timeouts per operation, and a total deadline for the whole
fetch (redirects included) enforced by a timer that shuts the socket down, so a server that
trickles one byte a second ends at the deadline. A `Content-Length` over the cap is refused
before the body is read; a body without one is cut off as soon as it passes the cap.

Content sniffing picks the loader (`Fetched.kind`): magic bytes first (`%PDF-`, a zip with
`word/document.xml`), then the Content-Type, then the URL's suffix, then the first bytes
of markup; see `sniff_kind`.
"""

from __future__ import annotations

import dataclasses
import functools
import io
import ipaddress
import socket
import ssl
import threading
import time
import zipfile
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from pathlib import PurePosixPath
from typing import TYPE_CHECKING
from urllib.parse import unquote, urljoin

from .errors import LinkError

if TYPE_CHECKING:
    import httpx

    from .config import Settings

USER_AGENT = "briefbot/0.1 (offline crisis-briefing bot; fetches links its user asked for)"
ACCEPT = ("text/html, application/xhtml+xml, application/pdf, "
          "application/vnd.openxmlformats-officedocument.wordprocessingml.document, "
          "application/rss+xml, application/atom+xml, application/xml;q=0.9, text/plain;q=0.8, "
          "application/json;q=0.8, */*;q=0.1")
REDIRECTS = {301, 302, 303, 307, 308}
STEP_TIMEOUT_S = 10.0  # one connect or one read; the total deadline bounds the whole fetch

# Never fetched, whatever the settings: link-local addresses are where cloud metadata services
# answer (169.254.169.254 hands out instance credentials on AWS, GCP and Azure; fd00:ec2::254 is
# AWS's IPv6 one; 100.100.100.200 is Alibaba Cloud's). A desk that allows private URLs wants its
# intranet, never its machine's credentials.
ALWAYS_REFUSED = tuple(ipaddress.ip_network(n) for n in (
    "169.254.0.0/16", "fe80::/10", "fd00:ec2::254/128", "100.100.100.200/32"))
NAT64 = ipaddress.ip_network("64:ff9b::/96")

# Content-Type -> kind. The kinds name the loader (and the temp file's suffix) that reads the body.
KINDS_BY_TYPE = {
    "text/html": "html", "application/xhtml+xml": "html",
    "application/pdf": "pdf", "application/x-pdf": "pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "application/rss+xml": "xml", "application/atom+xml": "xml", "application/xml": "xml", "text/xml": "xml",
    "application/rdf+xml": "xml",
    "application/json": "json", "application/feed+json": "json",
    "application/x-ndjson": "jsonl", "application/jsonl": "jsonl", "application/jsonlines": "jsonl",
    "text/plain": "txt", "text/markdown": "txt",
}
KINDS_BY_SUFFIX = {
    ".html": "html", ".htm": "html", ".xhtml": "html", ".pdf": "pdf", ".docx": "docx",
    ".xml": "xml", ".rss": "xml", ".atom": "xml", ".json": "json", ".jsonl": "jsonl", ".ndjson": "jsonl",
    ".txt": "txt", ".md": "txt",
}
# Types that say nothing about the content: only then do the URL's suffix and the first bytes decide.
GENERIC_TYPES = {"", "application/octet-stream", "binary/octet-stream", "application/unknown",
                 "application/download", "application/force-download"}
# Media a briefing never reads: refused from the headers, before the body is downloaded.
MEDIA_FAMILIES = ("image/", "audio/", "video/", "font/", "model/")
KINDS = ("pdf", "docx", "html", "txt", "json", "jsonl", "xml")


@dataclass(frozen=True)
class FetchLimits:
    """How far one fetch may go.

    Args:
        timeout: seconds the whole fetch may take, redirects and body included.
        max_bytes: largest body accepted (announced or streamed).
        allow_private: let loopback/private/reserved addresses through (never link-local).
        max_redirects: redirects followed before the URL is refused.
        tls: SSL context to verify servers with (None: the system's trust store via httpx's default).
    """

    timeout: float = 20.0
    max_bytes: int = 20_000_000
    allow_private: bool = False
    max_redirects: int = 5
    tls: ssl.SSLContext | None = None

    @classmethod
    def from_settings(cls, settings: Settings) -> FetchLimits:
        """The limits `BRIEFBOT_URL_TIMEOUT`, `BRIEFBOT_MAX_URL_MB` and `BRIEFBOT_ALLOW_PRIVATE_URLS` set."""
        return cls(timeout=settings.url_timeout, max_bytes=settings.url_max_bytes,
                   allow_private=settings.allow_private_urls)


@dataclass(frozen=True)
class Fetched:
    """A fetched body and what is known about it."""

    url: str  # as asked for
    final_url: str  # after redirects: the document's identity
    body: bytes
    content_type: str  # media type from the header, lower case, no parameters ("" when absent)
    charset: str  # from the Content-Type header, lower case ("" when absent)
    kind: str  # one of KINDS: which loader reads the body
    last_modified: datetime | None = None
    redirects: int = 0

    @property
    def suffix(self) -> str:
        """The file suffix that makes `index.sources.load_path` pick the right loader."""
        return "." + self.kind


def fetch_url(url: str, limits: FetchLimits | None = None) -> Fetched:
    """GET `url` within `limits`, following redirects by hand, and sniff what the body is.

    Raises:
        LinkError: the URL is refused or failed; the message is the one-line reason.
    """
    import httpx

    limits = limits or FetchLimits()
    deadline = time.monotonic() + limits.timeout
    current = url.strip()
    # No keep-alive: connections are made to checked IPs, and a pooled connection would be reused
    # for another host name served from the same address (its TLS session made for the first name).
    client = httpx.Client(verify=limits.tls if limits.tls is not None else default_tls(), trust_env=False,
                          follow_redirects=False, limits=httpx.Limits(max_keepalive_connections=0))
    try:
        for hop in range(limits.max_redirects + 1):
            target = check_url(current, limits.allow_private)
            got = _get(client, target, deadline, limits)
            if isinstance(got, Fetched):
                return dataclasses.replace(got, url=url, final_url=current, redirects=hop)
            current = urljoin(current, got)  # a Location may be relative to the URL that sent it
        raise LinkError(f"more than {limits.max_redirects} redirects (last to {current[:200]})")
    finally:
        client.close()


@functools.cache
def default_tls() -> ssl.SSLContext:
    """httpx's default verifying context (certifi's roots), built once: loading it costs ~35 ms a client."""
    import httpx

    return httpx.create_ssl_context()


@dataclass(frozen=True)
class CheckedURL:
    """A URL that passed the checks, with the addresses its host resolved to (all of them allowed)."""

    url: httpx.URL
    host: str  # as sent in the Host header and as the TLS server name (IDNA ASCII)
    addresses: tuple[str, ...]


def check_url(url: str, allow_private: bool = False) -> CheckedURL:
    """Refuse a URL by scheme, form or address; resolve its host and check every address.

    Raises:
        LinkError: why the URL is refused.
    """
    import httpx

    scheme = url.split(":", 1)[0].strip().lower() if ":" in url else ""
    if scheme not in ("http", "https"):
        raise LinkError(f"'{scheme}:' URLs are refused: only http and https links are fetched" if scheme
                        else "not a URL (only http and https links are fetched)")
    if any(ch.isspace() for ch in url.strip()):
        raise LinkError("not a URL: it contains spaces")
    try:
        parsed = httpx.URL(url.strip())
        host = parsed.raw_host.decode("ascii")
    except (httpx.InvalidURL, UnicodeError) as exc:
        raise LinkError(f"not a valid URL ({exc})") from None
    if not host:
        raise LinkError("no host in the URL")
    if parsed.userinfo:
        # A password in a link is a secret we would send on, and "http://trusted@evil/" misleads readers.
        raise LinkError("URLs with a user name or password are refused")
    port = parsed.port or (443 if parsed.scheme == "https" else 80)
    addresses = resolve(host.strip("[]"), port)
    for address in addresses:
        reason = address_refusal(ipaddress.ip_address(address), allow_private)
        if reason:
            raise LinkError(f"{address} is {reason}" if host.strip("[]") == address
                            else f"{host} resolves to {address}, {reason}")
    return CheckedURL(parsed, host, tuple(addresses))


def resolve(host: str, port: int) -> list[str]:
    """Every address `host` resolves to (an IP literal resolves to itself), without duplicates."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise LinkError(f"cannot resolve {host} ({getattr(exc, 'strerror', None) or exc})") from None
    # IPv6 link-local answers carry a zone ("fe80::1%eth0"): the address alone is what is checked.
    addresses = [str(info[4][0]).split("%", 1)[0] for info in infos]
    if not addresses:
        raise LinkError(f"cannot resolve {host}")
    return list(dict.fromkeys(addresses))


def address_refusal(ip: ipaddress.IPv4Address | ipaddress.IPv6Address, allow_private: bool) -> str:
    """Why briefbot must not connect to `ip` ("" when it may)."""
    candidates: list[ipaddress.IPv4Address | ipaddress.IPv6Address] = [ip]
    if isinstance(ip, ipaddress.IPv6Address):
        # IPv6 forms that carry an IPv4 address reach that address: it is checked (and named) first.
        embedded = ip.ipv4_mapped or ip.sixtofour or (ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
                                                      if ip in NAT64 else None)
        if embedded is not None:
            candidates.insert(0, embedded)
    for candidate in candidates:
        if any(candidate in net for net in ALWAYS_REFUSED):
            return "a link-local address (where cloud metadata services answer): never fetched"
    for candidate in candidates:
        category = ("unspecified" if candidate.is_unspecified else "loopback" if candidate.is_loopback
                    else "multicast" if candidate.is_multicast else "private" if candidate.is_private
                    else "reserved" if candidate.is_reserved else "non-public" if not candidate.is_global else "")
        article = "an" if category[:1] in ("u", "") else "a"
        if category and not allow_private:
            return f"{article} {category} address (refused unless BRIEFBOT_ALLOW_PRIVATE_URLS=1)"
        if category in ("unspecified", "multicast"):
            # Not servers: 0.0.0.0 would reach this machine by a side door, multicast nothing at all.
            return f"{article} {category} address: not a server"
    return ""


def _get(client: httpx.Client, target: CheckedURL, deadline: float, limits: FetchLimits) -> Fetched | str:
    """One GET of a checked URL: the body, or the Location of a redirect."""
    import httpx

    last_error: Exception | None = None
    for address in target.addresses:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            break
        step = min(STEP_TIMEOUT_S, remaining)
        pinned = target.url.copy_with(host=address)
        headers = {"Host": _host_header(target), "User-Agent": USER_AGENT, "Accept": ACCEPT,
                   # Uncompressed: the cap then counts what crosses the wire (a server that compresses
                   # anyway is decoded chunk by chunk, and the cap counts the decoded bytes).
                   "Accept-Encoding": "identity"}
        extensions = {"sni_hostname": target.host} if target.url.scheme == "https" else {}
        try:
            request = client.build_request("GET", pinned, headers=headers, extensions=extensions,
                                           timeout=httpx.Timeout(step))
            response = client.send(request, stream=True)
        except (httpx.ConnectError, httpx.ConnectTimeout) as exc:
            last_error = exc  # this address is down; the host may answer on another one
            continue
        except httpx.TimeoutException:
            past = time.monotonic() >= deadline - 0.05
            raise LinkError(_timed_out(limits) if past else f"no answer within {step:g} s") from None
        except httpx.HTTPError as exc:
            raise LinkError(_short_error(exc)) from None
        try:
            return _read(response, target, deadline, limits)
        finally:
            response.close()
    if last_error is not None and time.monotonic() < deadline:
        reason = "timed out" if isinstance(last_error, httpx.ConnectTimeout) else _short_error(last_error)
        raise LinkError(f"cannot connect to {target.host} ({reason})")
    raise LinkError(_timed_out(limits))


def _read(response: httpx.Response, target: CheckedURL, deadline: float, limits: FetchLimits) -> Fetched | str:
    import httpx

    status = response.status_code
    if status in REDIRECTS:
        location = response.headers.get("Location", "").strip()
        if not location:
            raise LinkError(f"HTTP {status} without a Location")
        return location
    if status >= 400:
        raise LinkError(f"HTTP {status}")
    if status != 200:
        raise LinkError(f"HTTP {status} (expected 200)")
    media_type, charset = parse_content_type(response.headers.get("Content-Type", ""))
    if media_type.startswith(MEDIA_FAMILIES):
        raise LinkError(f"unsupported content type '{media_type}'")
    announced = response.headers.get("Content-Length", "")
    if announced.isdigit() and int(announced) > limits.max_bytes:
        raise LinkError(f"too large ({int(announced) / 1e6:.1f} MB announced > {limits.max_bytes / 1e6:.1f} MB cap)")
    body = bytearray()
    # The read timeout bounds each read, not the sum of many slow ones: at the deadline the socket
    # is shut down from this timer, which ends a read blocked on a trickling server at once.
    watchdog = threading.Timer(max(0.0, deadline - time.monotonic()), _shut_down, args=(response,))
    watchdog.daemon = True
    watchdog.start()
    try:
        for chunk in response.iter_bytes():
            body.extend(chunk)
            if len(body) > limits.max_bytes:
                raise LinkError(f"too large (more than the {limits.max_bytes / 1e6:.1f} MB cap; stopped reading)")
            if time.monotonic() > deadline:
                raise LinkError(_timed_out(limits))
    except httpx.HTTPError as exc:
        if time.monotonic() >= deadline - 0.05:
            raise LinkError(_timed_out(limits)) from None
        raise LinkError(_short_error(exc)) from None
    finally:
        watchdog.cancel()
    if time.monotonic() >= deadline:  # the watchdog ended a body delimited by the connection's close
        raise LinkError(_timed_out(limits))
    if not bytes(body).strip():
        raise LinkError("empty response")
    kind = sniff_kind(bytes(body), media_type, str(target.url))
    if kind is None:
        raise LinkError(f"unsupported content type '{media_type or 'unknown'}'")
    return Fetched(url=str(target.url), final_url=str(target.url), body=bytes(body), content_type=media_type,
                   charset=charset, kind=kind,
                   last_modified=_http_date(response.headers.get("Last-Modified", "")))


def _shut_down(response: httpx.Response) -> None:
    """Unblock a read in progress by shutting the connection's socket down (the deadline passed)."""
    stream = response.extensions.get("network_stream")
    sock = stream.get_extra_info("socket") if stream is not None else None
    if sock is not None:
        try:
            sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass  # already closed: the read has ended anyway


def starts_as_pdf(head: bytes) -> bool:
    """Whether bytes open as a PDF does: its magic "%PDF-" in the first KiB, after a BOM or blanks."""
    return head[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"%PDF-")


def sniff_kind(body: bytes, content_type: str, url: str) -> str | None:
    """Which loader reads `body`: magic bytes, then Content-Type, then URL suffix, then markup.

    Returns one of `KINDS`, or None when nothing says the body is a document briefbot reads.
    The suffix and the markup sniff only count when the Content-Type is absent or generic
    (application/octet-stream): a server that names a type is believed over a URL's spelling.
    """
    if starts_as_pdf(body):
        return "pdf"
    if body.startswith(b"PK\x03\x04") and _is_docx(body):
        return "docx"
    kind = KINDS_BY_TYPE.get(content_type)
    if kind:
        return kind
    if content_type not in GENERIC_TYPES and not content_type.startswith("text/"):
        return None
    suffix = PurePosixPath(unquote(url.split("?", 1)[0].split("#", 1)[0])).suffix.lower()
    if suffix in KINDS_BY_SUFFIX:
        return KINDS_BY_SUFFIX[suffix]
    lowered = body[:1024].lstrip(b"\xef\xbb\xbf \t\r\n")[:512].lower()
    if lowered.startswith((b"<!doctype html", b"<html")):
        return "html"
    if lowered.startswith(b"<?xml") or lowered.startswith((b"<rss", b"<feed", b"<rdf:rdf")):
        return "xml"
    # Any other text/* type (text/csv, text/x-log) is read as plain text; a generic type is not.
    return "txt" if content_type.startswith("text/") else None


def _is_docx(body: bytes) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(body)) as archive:
            return "word/document.xml" in archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return False


def parse_content_type(value: str) -> tuple[str, str]:
    """'text/html; charset=ISO-8859-1' -> ('text/html', 'iso-8859-1')."""
    parts = value.split(";")
    media_type = parts[0].strip().lower()
    charset = ""
    for param in parts[1:]:
        name, _, raw = param.partition("=")
        if name.strip().lower() == "charset":
            charset = raw.strip().strip("\"'").lower()
    return media_type, charset


def _host_header(target: CheckedURL) -> str:
    port = target.url.port
    host = f"[{target.host}]" if ":" in target.host else target.host
    return f"{host}:{port}" if port else host


def _http_date(value: str) -> datetime | None:
    try:
        parsed = parsedate_to_datetime(value) if value else None
    except (TypeError, ValueError, IndexError):
        return None
    if parsed is None:
        return None
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)


def _timed_out(limits: FetchLimits) -> str:
    return f"timed out after {limits.timeout:g} s"


def _short_error(exc: BaseException) -> str:
    """An exception as one short line (a Problem is printed on one line)."""
    return " ".join(str(exc).split())[:160] or type(exc).__name__
