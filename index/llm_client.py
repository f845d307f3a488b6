"""The wire protocol of an OpenAI-compatible chat-completions server (Ollama, llama.cpp, vLLM, hosted APIs).

Plain httpx, one POST per question and no retries: a retry could only make the reader wait
past `BRIEFBOT_LLM_TIMEOUT`, and the extractive answer is a better use of that time. The
request runs on a daemon thread that the caller waits for at most `timeout` seconds, so a
server that accepts the connection and then trickles bytes (which no per-read timeout
bounds) cannot hold a question longer than that either.

Failures become `ModelError` with a short reason a reader can be shown. `ServerHealth`
turns a run of failures into one incident: logged once when it starts and once when the
server answers again, and, for an outage (timeout, unreachable, 5xx, 429), the server is
not asked again for `cooldown` seconds, so an outage costs one timeout, not one per question.

Nothing here is imported unless `BRIEFBOT_ANSWERER=llm`.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import httpx

log = logging.getLogger(__name__)

MAX_REPLY_BYTES = 2_000_000  # a chat completion of a few sentences is a few KB; past this the server misbehaves
OUTAGES = frozenset({"timeout", "unreachable", "server error", "busy"})  # kinds that open the circuit


class ModelError(Exception):
    """The model server gave no usable reply.

    Attributes:
        kind: "timeout", "unreachable", "server error", "busy", "http error", "malformed",
            "empty", "refusal", "too large" or "skipped" (the circuit is open after an outage).
        reason: one line for logs and `fallback_reason`.
    """

    def __init__(self, kind: str, reason: str) -> None:
        super().__init__(reason)
        self.kind = kind
        self.reason = reason


@dataclass(frozen=True)
class ChatReply:
    """The assistant message of one completion and how long the server took."""

    text: str
    finish_reason: str
    elapsed_s: float


@dataclass
class ServerHealth:
    """One server's run of failures, logged once per incident, with a circuit breaker for outages.

    Shared by every answerer that talks to the same server (`health_of`), so the desks of one
    bot make one incident of one outage.
    """

    url: str
    cooldown: float = 30.0
    failures: Counter[str] = field(default_factory=Counter)
    since: float = 0.0  # when the incident started (monotonic)
    open_until: float = 0.0  # no request before this (monotonic)
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def check(self) -> None:
        """ModelError("skipped") while the circuit is open after an outage."""
        with self.lock:
            wait = self.open_until - time.monotonic()
            if wait > 0:
                first = next(iter(self.failures), "failure")
                self.failures["skipped"] += 1
                raise ModelError("skipped", f"the model server is failing ({first}); not asked again for {wait:.0f} s")

    def failed(self, error: ModelError) -> None:
        """Count a failure; the first of an incident is logged with its reason."""
        with self.lock:
            first = not self.failures
            self.failures[error.kind] += 1
            if first:
                self.since = time.monotonic()
            if error.kind in OUTAGES and self.cooldown > 0:
                self.open_until = time.monotonic() + self.cooldown
        if first:
            log.warning("model server %s: %s; answers are extractive until it replies again", self.url, error.reason)
        else:
            log.debug("model server %s still failing: %s", self.url, error.reason)

    def succeeded(self) -> None:
        """End an incident (logged once, with what it counted)."""
        with self.lock:
            if not self.failures:
                return
            counts = ", ".join(f"{kind} {n}" for kind, n in self.failures.most_common())
            lasted = time.monotonic() - self.since
            self.failures = Counter()
            self.open_until = 0.0
        log.warning("model server %s replies again after %.0f s (%s)", self.url, lasted, counts)


_HEALTH: dict[str, ServerHealth] = {}
_HEALTH_LOCK = threading.Lock()


def health_of(url: str, cooldown: float) -> ServerHealth:
    """The health record of the server at `url` (one per server in the process)."""
    with _HEALTH_LOCK:
        health = _HEALTH.get(url)
        if health is None:
            health = _HEALTH[url] = ServerHealth(url, cooldown)
        health.cooldown = cooldown
        return health


class ChatClient:
    """Chat completions from an OpenAI-compatible server, within a hard time limit.

    Args:
        base_url: the API's base URL, ending in /v1 (`http://127.0.0.1:11434/v1` for Ollama).
        model: the model's name on that server.
        api_key: sent as a Bearer token when given (hosted APIs; local servers need none).
        timeout: seconds a completion may take from the request to the last byte.
        cooldown: seconds the server is left alone after an outage.
    """

    def __init__(self, base_url: str, model: str, api_key: str = "", timeout: float = 30.0,
                 cooldown: float = 30.0) -> None:
        self.url = base_url.rstrip("/") + "/chat/completions"
        self.model = model
        self.timeout = timeout
        self.health = health_of(base_url.rstrip("/"), cooldown)
        headers = {"Accept": "application/json"}
        if api_key:
            headers["Authorization"] = f"Bearer {api_key}"
        # Every phase may take the whole budget; the caller's wait on the thread is the real bound.
        self._http = httpx.Client(headers=headers, timeout=httpx.Timeout(timeout), follow_redirects=False)

    def close(self) -> None:
        """Close the connection pool."""
        self._http.close()

    def complete(self, messages: list[dict[str, str]], max_tokens: int = 400) -> ChatReply:
        """The assistant's reply to `messages`, or ModelError; returns within `timeout` seconds."""
        self.health.check()
        started = time.perf_counter()
        outcome: dict[str, Any] = {}
        worker = threading.Thread(target=self._request, args=(messages, max_tokens, started, outcome),
                                  name="llm-request", daemon=True)
        worker.start()
        worker.join(self.timeout)
        try:
            if worker.is_alive():
                # The thread ends on its own at httpx's timeouts; nobody waits for it.
                raise ModelError("timeout", f"no reply within {self.timeout:g} s")
            if "error" in outcome:
                raise outcome["error"]
            reply = parse_completion(outcome["body"], time.perf_counter() - started)
        except ModelError as exc:
            self.health.failed(exc)
            raise
        self.health.succeeded()
        return reply

    def _request(self, messages: list[dict[str, str]], max_tokens: int, started: float,
                 outcome: dict[str, Any]) -> None:
        body = {"model": self.model, "messages": messages, "temperature": 0, "max_tokens": max_tokens,
                "stream": False}
        deadline = started + self.timeout
        try:
            with self._http.stream("POST", self.url, json=body) as response:
                if response.status_code != 200:
                    outcome["error"] = _status_error(response.status_code, self.url)
                    return
                data = bytearray()
                for chunk in response.iter_bytes():
                    data += chunk
                    if len(data) > MAX_REPLY_BYTES:
                        outcome["error"] = ModelError("too large", f"reply larger than {MAX_REPLY_BYTES:,} bytes")
                        return
                    if time.perf_counter() > deadline:
                        return  # the caller has given up already
                outcome["body"] = bytes(data)
        except httpx.TimeoutException:
            outcome["error"] = ModelError("timeout", f"no reply within {self.timeout:g} s")
        except httpx.RemoteProtocolError:
            outcome["error"] = ModelError("unreachable", "the model server closed the connection without a reply")
        except httpx.TransportError as exc:
            outcome["error"] = ModelError("unreachable", f"cannot reach {self.url} ({type(exc).__name__})")
        except Exception as exc:  # a bug or an odd server must not kill the thread silently
            outcome["error"] = ModelError("unreachable", f"request to {self.url} failed ({type(exc).__name__})")


def _status_error(status: int, url: str) -> ModelError:
    if status == 429:
        return ModelError("busy", "the model server is busy (HTTP 429)")
    if status >= 500:
        return ModelError("server error", f"the model server failed (HTTP {status})")
    if status == 404:
        return ModelError("http error", f"HTTP 404 at {url}: is BRIEFBOT_LLM_URL the API's base URL (ending in /v1) "
                                        "and BRIEFBOT_LLM_MODEL a model it serves?")
    if status in (401, 403):
        return ModelError("http error", f"HTTP {status}: the model server refused the key (BRIEFBOT_LLM_API_KEY)")
    return ModelError("http error", f"the model server answered HTTP {status}")


def parse_completion(raw: bytes, elapsed_s: float) -> ChatReply:
    """The first choice's message of a chat-completion body, or ModelError (malformed, empty, refusal)."""
    try:
        data = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        raise ModelError("malformed", "the model server's reply is not JSON") from None
    try:
        choice = data["choices"][0]
        message = choice["message"]
    except (KeyError, IndexError, TypeError):
        raise ModelError("malformed", "the model server's reply has no choices[0].message") from None
    if not isinstance(message, dict):
        raise ModelError("malformed", "the model server's reply has no choices[0].message")
    finish = str(choice.get("finish_reason") or "")
    if message.get("refusal") or finish == "content_filter":
        raise ModelError("refusal", "the model declined to answer")
    content = message.get("content")
    if content is not None and not isinstance(content, str):
        raise ModelError("malformed", "the model's message content is not text")
    if not content or not content.strip():
        raise ModelError("empty", "the model's reply is empty")
    return ChatReply(text=content, finish_reason=finish, elapsed_s=elapsed_s)
