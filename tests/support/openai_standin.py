"""A stand-in OpenAI-compatible chat-completions server on 127.0.0.1, with scripted replies.

It speaks the wire format of `POST /v1/chat/completions` as Ollama, llama.cpp's server and
vLLM do (non-streaming JSON): it checks the request (JSON object, `model`, `messages` of
`{role, content}`), answers `{"id", "object": "chat.completion", "created", "model",
"choices": [{"index", "message": {"role", "content", "refusal"}, "finish_reason"}], "usage"}`,
and errors as `{"error": {"message", "type", "code"}}`. `GET /v1/models` lists the model.

What it answers is scripted per request, in order (`script(...)`): a reply text (now or late), a refusal,
an HTTP status, a raw (malformed) body, a hang, a reply trickled byte by byte, a dropped
connection. Reply texts may cite passages by content, the way a model reads its prompt:
`{cite:Zeine}` becomes the `[n]` of the passage whose title or text contains "Zeine", and
`{wrong:Zeine}` the `[n]` of a shown passage that does not. Placeholders that match no
passage are recorded in `unresolved`, so a test can tell a retrieval miss from a verification drop.

Only the standard library: `http.server` in a background thread.
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

_PLACEHOLDER = re.compile(r"\{(cite|wrong):([^}]+)\}")
_BLOCK = re.compile(r"<<<BEGIN (\w+)\n(.*?)\nEND \1>>>", re.S)


@dataclass(frozen=True)
class Reply:
    """A completion whose message content is `content` (placeholders resolved)."""

    content: str | None
    finish_reason: str = "stop"


@dataclass(frozen=True)
class Slow:
    """A `Reply` of `content` after `seconds` (a model that takes its time)."""

    seconds: float
    content: str


@dataclass(frozen=True)
class Refusal:
    """A completion whose message carries `refusal` and no content (OpenAI's refusal field)."""

    text: str = "I'm sorry, I can't help with that."


@dataclass(frozen=True)
class Status:
    """An HTTP error status with an OpenAI-style error body."""

    code: int
    message: str = "scripted failure"


@dataclass(frozen=True)
class Raw:
    """A 200 whose body is `body` as it is (malformed JSON, HTML, a wrong shape)."""

    body: bytes
    content_type: str = "application/json"


@dataclass(frozen=True)
class Hang:
    """Say nothing for `seconds` (or until the stand-in closes), then close the connection."""

    seconds: float = 60.0


@dataclass(frozen=True)
class Trickle:
    """A 200 whose body (a good completion of `content`) arrives one byte every `interval` seconds."""

    content: str
    interval: float = 0.2


@dataclass(frozen=True)
class Drop:
    """Close the connection without answering."""


Behaviour = Reply | Slow | Refusal | Status | Raw | Hang | Trickle | Drop


@dataclass
class Request:
    """One request as received: path, headers, parsed body, the passages its prompt showed."""

    path: str
    headers: dict[str, str]
    body: Any
    passages: list[dict[str, Any]] = field(default_factory=list)
    received: float = 0.0


def passages_of(body: Any) -> list[dict[str, Any]]:
    """The passages of briefbot's prompt: the JSON lines of the nonce-delimited block of the user message."""
    try:
        user = next(m["content"] for m in body["messages"] if m.get("role") == "user")
    except (KeyError, StopIteration, TypeError):
        return []
    match = _BLOCK.search(user)
    if not match:
        return []
    out = []
    for line in match.group(2).splitlines():
        try:
            item = json.loads(line)
        except ValueError:
            continue
        if isinstance(item, dict) and "n" in item:
            out.append(item)
    return out


class OpenAIStandin:
    """The server; use as a context manager. `url` is the base URL (ending in /v1) to configure."""

    def __init__(self, model: str = "standin-model") -> None:
        self.model = model
        self.requests: list[Request] = []
        self.unresolved: list[str] = []
        self.default: Behaviour = Status(500, "no scripted reply left")
        self._script: deque[Behaviour] = deque()
        self._lock = threading.Lock()
        self._closing = threading.Event()
        standin = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:
                pass

            def do_GET(self) -> None:
                if self.path.rstrip("/") == "/v1/models":
                    self._json(200, {"object": "list", "data": [{"id": standin.model, "object": "model"}]})
                else:
                    self._json(404, _error("not found", "invalid_request_error"))

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length)
                if self.path.rstrip("/") != "/v1/chat/completions":
                    self._json(404, _error(f"no route {self.path}", "invalid_request_error"))
                    return
                try:
                    body = json.loads(raw)
                except ValueError:
                    self._json(400, _error("body is not JSON", "invalid_request_error"))
                    return
                problem = _request_problem(body)
                if problem:
                    self._json(400, _error(problem, "invalid_request_error"))
                    return
                request = Request(self.path, {k.lower(): v for k, v in self.headers.items()}, body,
                                  passages_of(body), time.monotonic())
                with standin._lock:
                    standin.requests.append(request)
                    behaviour = standin._script.popleft() if standin._script else standin.default
                self._behave(behaviour, request)

            def _behave(self, behaviour: Behaviour, request: Request) -> None:
                if isinstance(behaviour, Reply):
                    content = None if behaviour.content is None else standin.resolve(behaviour.content, request)
                    self._json(200, standin.completion(content, behaviour.finish_reason))
                elif isinstance(behaviour, Slow):
                    if not standin._closing.wait(behaviour.seconds):
                        self._json(200, standin.completion(standin.resolve(behaviour.content, request), "stop"))
                elif isinstance(behaviour, Refusal):
                    completion = standin.completion(None, "stop")
                    completion["choices"][0]["message"]["refusal"] = behaviour.text
                    self._json(200, completion)
                elif isinstance(behaviour, Status):
                    self._json(behaviour.code, _error(behaviour.message, "server_error"))
                elif isinstance(behaviour, Raw):
                    self._send(200, behaviour.body, behaviour.content_type)
                elif isinstance(behaviour, Hang):
                    standin._closing.wait(behaviour.seconds)
                    self.close_connection = True
                elif isinstance(behaviour, Trickle):
                    data = json.dumps(standin.completion(standin.resolve(behaviour.content, request), "stop")).encode()
                    self.send_response(200)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    for i in range(len(data)):
                        if standin._closing.wait(behaviour.interval):
                            break
                        try:
                            self.wfile.write(data[i:i + 1])
                            self.wfile.flush()
                        except OSError:
                            break
                    self.close_connection = True
                else:  # Drop
                    self.close_connection = True

            def _json(self, status: int, payload: Any) -> None:
                self._send(status, json.dumps(payload).encode(), "application/json")

            def _send(self, status: int, data: bytes, content_type: str) -> None:
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                try:
                    self.wfile.write(data)
                except OSError:
                    pass

        self._server = _QuietServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, name="openai-standin", daemon=True)

    @property
    def url(self) -> str:
        """The base URL, as `BRIEFBOT_LLM_URL` takes it."""
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}/v1"

    def script(self, *behaviours: Behaviour) -> None:
        """Answer the next requests with these, in order (then `default`)."""
        with self._lock:
            self._script.extend(behaviours)

    def clear(self) -> None:
        """Forget the script, the recorded requests and unresolved placeholders."""
        with self._lock:
            self._script.clear()
            self.requests.clear()
            self.unresolved.clear()

    def resolve(self, content: str, request: Request) -> str:
        """Replace `{cite:TEXT}` / `{wrong:TEXT}` with the `[n]` of a passage that has / lacks TEXT."""

        def number(match: re.Match[str]) -> str:
            kind, needle = match.group(1), match.group(2).lower()
            for passage in request.passages:
                has = needle in (str(passage.get("title", "")) + " " + str(passage.get("text", ""))).lower()
                if has == (kind == "cite"):
                    return f"[{passage['n']}]"
            self.unresolved.append(match.group(0))
            return "[0]"

        return _PLACEHOLDER.sub(number, content)

    def completion(self, content: str | None, finish_reason: str) -> dict[str, Any]:
        """A chat.completion object as OpenAI's API returns it."""
        words = len((content or "").split())
        return {
            "id": f"chatcmpl-standin-{len(self.requests)}",
            "object": "chat.completion",
            "created": int(time.time()),
            "model": self.model,
            "system_fingerprint": "fp_standin",
            "choices": [{"index": 0, "message": {"role": "assistant", "content": content, "refusal": None},
                         "logprobs": None, "finish_reason": finish_reason}],
            "usage": {"prompt_tokens": 100, "completion_tokens": words, "total_tokens": 100 + words},
        }

    def __enter__(self) -> OpenAIStandin:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Release hanging requests and stop serving."""
        self._closing.set()
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)


class _QuietServer(ThreadingHTTPServer):
    """A client that gives up (a timeout) resets its connection: expected here, not worth a traceback."""

    def handle_error(self, request: Any, client_address: Any) -> None:
        import sys

        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


def _error(message: str, kind: str) -> dict[str, Any]:
    return {"error": {"message": message, "type": kind, "param": None, "code": None}}


def _request_problem(body: Any) -> str:
    if not isinstance(body, dict):
        return "body must be a JSON object"
    if not isinstance(body.get("model"), str) or not body["model"]:
        return "you must provide a model parameter"
    messages = body.get("messages")
    if not isinstance(messages, list) or not messages:
        return "messages must be a non-empty array"
    for m in messages:
        if not isinstance(m, dict) or m.get("role") not in ("system", "user", "assistant", "tool", "developer") \
                or not isinstance(m.get("content"), str):
            return "each message needs a role and string content"
    if body.get("stream"):
        return "this stand-in does not stream"
    return ""
