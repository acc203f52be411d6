"""A TCP proxy on 127.0.0.1 that delays every chunk by a fixed time each way, in front of the tests'
PostgreSQL unix socket: a team database across a slow network, on this machine."""

from __future__ import annotations

import queue
import socket
import threading
import time
from pathlib import Path


class LatencyProxy:
    def __init__(self, target: Path, delay: float = 0.1) -> None:
        self.target, self.delay = target, delay
        self.server = socket.create_server(("127.0.0.1", 0))
        self.port = self.server.getsockname()[1]
        self._closing = False
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while not self._closing:
            try:
                client, _ = self.server.accept()
            except OSError:
                return
            upstream = socket.socket(socket.AF_UNIX)
            upstream.connect(str(self.target))
            for source, sink in ((client, upstream), (upstream, client)):
                self._pipe(source, sink)

    def _pipe(self, source: socket.socket, sink: socket.socket) -> None:
        """Read as fast as data comes; send each chunk `delay` after it arrived (latency, not bandwidth)."""
        chunks: queue.Queue = queue.Queue()

        def read() -> None:
            while True:
                try:
                    data = source.recv(65536)
                except OSError:
                    data = b""
                chunks.put((time.monotonic() + self.delay, data))
                if not data:
                    return

        def write() -> None:
            while True:
                due, data = chunks.get()
                time.sleep(max(0.0, due - time.monotonic()))
                if not data:
                    try:
                        sink.shutdown(socket.SHUT_WR)
                    except OSError:
                        pass
                    return
                try:
                    sink.sendall(data)
                except OSError:
                    return

        threading.Thread(target=read, daemon=True).start()
        threading.Thread(target=write, daemon=True).start()

    def close(self) -> None:
        self._closing = True
        self.server.close()
