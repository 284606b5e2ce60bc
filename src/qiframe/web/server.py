"""Serving the page: uvicorn on 127.0.0.1 only, the address with its secret printed, Ctrl-C to stop."""

from __future__ import annotations

import os
import socket
import threading
import webbrowser
from collections.abc import Callable
from pathlib import Path

from qiframe.errors import InputError


def bind(port: int) -> socket.socket:
    """A listening socket on 127.0.0.1 (port 0: any free port), or a clear error when the port is taken."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        sock.bind(("127.0.0.1", port))
    except OSError as exc:
        sock.close()
        raise InputError(
            f"cannot listen on 127.0.0.1:{port} ({exc.strerror or exc}); choose another port with --port"
        ) from None
    sock.listen(64)
    return sock


def serve(root: str | os.PathLike, port: int, open_browser: bool, say: Callable[[str], None]) -> None:
    """Serve the evaluation at `root` until interrupted; `say` prints a line for the user."""
    import uvicorn

    from qiframe.web.app import create_app
    from qiframe.web.guard import new_secret

    sock = bind(port)
    port = sock.getsockname()[1]
    secret = new_secret()
    address = f"http://127.0.0.1:{port}/?token={secret}"
    app = create_app(Path(root), secret, port)
    config = uvicorn.Config(
        app, log_level="warning", access_log=False, lifespan="off", server_header=False, date_header=False
    )
    server = uvicorn.Server(config)
    say(f"Serving {root} at {address}")
    say("Only this address (with its token) opens the page. Press Ctrl-C to stop.")
    if open_browser:
        threading.Timer(0.5, webbrowser.open, args=(address,)).start()
    try:
        server.run(sockets=[sock])
    except KeyboardInterrupt:
        pass  # uvicorn has shut down cleanly and passes the Ctrl-C on; for a server it is the way to stop
    finally:
        sock.close()
    say("Stopped.")
