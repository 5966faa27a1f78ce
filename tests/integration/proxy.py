"""A loopback TCP proxy that tests can cut or stall, between two real services.

It stands where a network failure would happen (web app → Rasa, Rasa → action
server), so the real processes meet a real refused or silent connection.
"""

import socket
import threading
from contextlib import suppress
from enum import Enum


class ProxyMode(Enum):
    PASS = "pass"  # forward bytes both ways
    REFUSE = "refuse"  # accept, then close at once (as a server that went down)
    STALL = "stall"  # accept and never answer (as a server that hangs)


class TcpProxy:
    """Forwards 127.0.0.1:<port> to 127.0.0.1:<target_port> until told otherwise."""

    def __init__(self, target_port: int) -> None:
        self.target_port = target_port
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port = self._listener.getsockname()[1]
        self._mode = ProxyMode.PASS
        self._open: set[socket.socket] = set()
        self._lock = threading.Lock()
        threading.Thread(target=self._accept_loop, daemon=True).start()

    def set_mode(self, mode: ProxyMode) -> None:
        """Switch mode; open connections are cut so pooled clients reconnect."""
        with self._lock:
            self._mode = mode
            sockets, self._open = self._open, set()
        for sock in sockets:
            with suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            sock.close()

    def close(self) -> None:
        self.set_mode(ProxyMode.REFUSE)
        self._listener.close()

    def _accept_loop(self) -> None:
        while True:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            with self._lock:
                mode = self._mode
                if mode is not ProxyMode.REFUSE:
                    self._open.add(client)
            if mode is ProxyMode.REFUSE:
                client.close()
            elif mode is ProxyMode.PASS:
                self._connect(client)

    def _connect(self, client: socket.socket) -> None:
        try:
            upstream = socket.create_connection(("127.0.0.1", self.target_port))
        except OSError:
            client.close()
            return
        with self._lock:
            self._open.add(upstream)
        threading.Thread(target=self._pipe, args=(client, upstream), daemon=True).start()
        threading.Thread(target=self._pipe, args=(upstream, client), daemon=True).start()

    @staticmethod
    def _pipe(source: socket.socket, sink: socket.socket) -> None:
        with suppress(OSError):
            while data := source.recv(65536):
                sink.sendall(data)
        for sock in (source, sink):
            with suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
