"""Chroma's HTTP client with a deadline on every request.

chromadb 1.5 builds its httpx session with `timeout=None`, so a server that is up but hung
(stopped with SIGSTOP, stuck on a full disk, a dead proxy in between) would block a question
or a bot handler forever. `open_http_client` checks the server's heartbeat with a deadline
first (the client's constructor already talks to the server), then gives the client's
session a finite timeout; the store turns a timeout into its usual "store unavailable" error.
Imported only in server mode.
"""

from __future__ import annotations

import httpx

CONNECT_S = 5.0  # a server that does not accept within this is down, whatever the read budget


def open_http_client(host: str, port: int, ssl: bool, timeout_s: float):
    """A `chromadb.HttpClient` for host:port whose requests time out after `timeout_s` seconds.

    Raises:
        httpx.HTTPError: the server did not answer its heartbeat in time.
    """
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    budget = httpx.Timeout(timeout_s, connect=min(CONNECT_S, timeout_s))
    scheme = "https" if ssl else "http"
    httpx.get(f"{scheme}://{host}:{port}/api/v2/heartbeat", timeout=budget).raise_for_status()
    client = chromadb.HttpClient(host=host, port=port, ssl=ssl, settings=ChromaSettings(anonymized_telemetry=False))
    # chromadb offers no timeout setting for its HTTP client (it only allow-lists its own API
    # classes, so a subclass is refused); its session is the one place to set one.
    session = getattr(getattr(client, "_server", None), "_session", None)
    if isinstance(session, httpx.Client):
        session.timeout = budget
    return client
