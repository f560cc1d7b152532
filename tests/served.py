"""accords serve started by its installed command for a test, on a free loopback port."""

from __future__ import annotations

import socket
import subprocess
from pathlib import Path

CORPUS = Path(__file__).parent / "corpus"


def serve(folder: Path, *options: str) -> tuple[subprocess.Popen[str], str, str]:
    """The server of the store in folder, once it listens: the process, its base URL and what
    it said until then (a warning comes before the ready line)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = int(s.getsockname()[1])
    server = subprocess.Popen(
        ["accords", "serve", "--port", str(port), *options], cwd=folder, stderr=subprocess.PIPE, text=True
    )
    assert server.stderr is not None
    said = ""
    while "accords serve: http" not in said:
        line = server.stderr.readline()
        assert line, f"the server stopped: {said}"
        said += line
    return server, f"http://127.0.0.1:{port}", said
