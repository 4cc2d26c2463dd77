"""A throwaway PostgreSQL server for the test run (issue #6).

Debian's packaged service does not start here, and initdb refuses root, so
the server is initialised and started through ``su postgres`` in a temporary
folder, listening on 127.0.0.1 on a free port (../shared/INSTALL-NOTES.md).
"""
from __future__ import annotations

import glob
import os
import shlex
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path


def pg_bin() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: [int(x) for x in Path(p).parent.name.split(".") if x.isdigit()])
    if found:
        return Path(found[-1])
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class PostgresServer:
    """Start with ``start()``, connect with ``url(dbname)``, stop with ``stop()``."""

    def __init__(self) -> None:
        self.bin = pg_bin()
        if self.bin is None:
            raise RuntimeError("PostgreSQL is not installed (no initdb); `make test` installs it with apt-get")
        self.dir = Path(tempfile.mkdtemp(prefix="factdesk-pg-"))
        self.port = free_port()
        self.as_root = os.geteuid() == 0

    def _run(self, args: list[str]) -> None:
        command = " ".join(shlex.quote(a) for a in args)
        full = ["su", "postgres", "-c", command] if self.as_root else ["sh", "-c", command]
        proc = subprocess.run(full, capture_output=True, text=True)
        if proc.returncode != 0:
            log = (self.dir / "log").read_text() if (self.dir / "log").exists() else ""
            raise RuntimeError(f"{command} failed:\n{proc.stdout}\n{proc.stderr}\n{log}")

    def start(self) -> "PostgresServer":
        if self.as_root:
            shutil.chown(self.dir, "postgres")
        self._run([str(self.bin / "initdb"), "-D", str(self.dir / "data"), "-U", "postgres",
                   "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8"])
        options = f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.dir} -c fsync=off -c max_connections=200"
        self._run([str(self.bin / "pg_ctl"), "-D", str(self.dir / "data"), "-l", str(self.dir / "log"),
                   "-w", "-o", options, "start"])
        return self

    def url(self, dbname: str = "postgres") -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{dbname}"

    def stop(self) -> None:
        try:
            self._run([str(self.bin / "pg_ctl"), "-D", str(self.dir / "data"), "-m", "fast", "-w", "stop"])
        finally:
            shutil.rmtree(self.dir, ignore_errors=True)
