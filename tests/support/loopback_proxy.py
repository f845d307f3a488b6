"""A TCP relay on 127.0.0.1 in front of the Bot API stand-in, to take the network down and up.

The bot is pointed at the relay instead of the stand-in. `go_down()` closes the listening
socket and every open connection, so the next connect is refused (ECONNREFUSED: the request
provably never left, as when the network or Telegram is unreachable); `come_up()` listens on
the same port again. Bytes pass through untouched, so the client speaks the real wire format.

Only the standard library: one accept thread and two pump threads per connection.
"""

from __future__ import annotations

import socket
import threading


class LoopbackProxy:
    """Relay 127.0.0.1:`port` to 127.0.0.1:`target_port`; use as a context manager."""

    def __init__(self, target_port: int) -> None:
        self.target_port = target_port
        self.port = 0
        self._listener: socket.socket | None = None
        self._accepting: threading.Thread | None = None
        self._conns: list[socket.socket] = []
        self._lock = threading.Lock()
        self._up = False

    @property
    def base_url(self) -> str:
        """The value for TELEGRAM_API_BASE_URL."""
        return f"http://127.0.0.1:{self.port}"

    def come_up(self) -> LoopbackProxy:
        """Listen (on the same port after a `go_down`)."""
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(128)
        listener.settimeout(0.1)  # the accept loop notices `go_down` within this
        self.port = listener.getsockname()[1]
        self._listener, self._up = listener, True
        self._accepting = threading.Thread(target=self._accept, args=(listener,), name="proxy-accept", daemon=True)
        self._accepting.start()
        return self

    def go_down(self) -> None:
        """Stop listening and cut every connection: from now on connects are refused."""
        self._up = False
        if self._accepting is not None:
            self._accepting.join(5)
        with self._lock:
            conns, self._conns = self._conns, []
        for conn in conns:
            _close(conn)

    def __enter__(self) -> LoopbackProxy:
        return self.come_up()

    def __exit__(self, *exc: object) -> None:
        self.go_down()

    def _accept(self, listener: socket.socket) -> None:
        try:
            while self._up:
                try:
                    client, _ = listener.accept()
                except TimeoutError:
                    continue
                client.settimeout(None)
                try:
                    upstream = socket.create_connection(("127.0.0.1", self.target_port))
                except OSError:
                    _close(client)
                    continue
                with self._lock:
                    self._conns += [client, upstream]
                for a, b in ((client, upstream), (upstream, client)):
                    threading.Thread(target=_pump, args=(a, b), name="proxy-pump", daemon=True).start()
        finally:
            listener.close()


def _pump(source: socket.socket, sink: socket.socket) -> None:
    try:
        while data := source.recv(65536):
            sink.sendall(data)
    except OSError:
        pass
    _close(source)
    _close(sink)


def _close(sock: socket.socket) -> None:
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass
    sock.close()
