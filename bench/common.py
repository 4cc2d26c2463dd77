"""What every bench script shares: the machine line and the RESULTS.md writer."""
from __future__ import annotations

import os
import platform
import re
import sqlite3
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "RESULTS.md"


def cpu_name() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def machine(*, sqlite: bool = False, load: bool = False) -> str:
    """'CPU, N cores, Python X' (+ SQLite version, + load average at start)."""
    text = f"{cpu_name()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    if sqlite:
        text += f", SQLite {sqlite3.sqlite_version}"
    if load:
        text += (f", load average {os.getloadavg()[0]:.1f} when it started "
                 "(other jobs share the machine)")
    return text


def write_section(title: str, body: str) -> None:
    """Replace the '## {title}' section of RESULTS.md (append it when missing),
    leaving the other sections as they are. ``body`` may start with its heading."""
    section = body.strip()
    if not section.startswith(f"## {title}\n"):
        section = f"## {title}\n\n{section}"
    current = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else "# Measurements\n"
    pattern = re.compile(rf"^## {re.escape(title)}\n.*?(?=^## |\Z)", re.S | re.M)
    if pattern.search(current):
        updated = pattern.sub(lambda _: section + "\n\n", current).rstrip() + "\n"
    else:
        updated = current.rstrip() + "\n\n" + section + "\n"
    RESULTS.write_text(updated, encoding="utf-8")
