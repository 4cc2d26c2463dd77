"""Several editors at once (issue #6): concurrent set_status edits on SQLite
and PostgreSQL, counted; rewrites the "Concurrency" section of bench/RESULTS.md.

    .venv/bin/python bench/bench_concurrency.py

Each writer is a thread with its own Store (engine, connections) that reads a
claim and saves a status based on the version it saw, as an editor with an
open page does; the database decides who wins. PostgreSQL is a throwaway
server started as in the tests (tests/pgserver.py).
"""
from __future__ import annotations

import sys
import tempfile
import uuid
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.common import RESULTS, machine, write_section  # noqa: E402
from lib.store import Store  # noqa: E402
from tests.desk_helpers import add_claim, hammer  # noqa: E402

from sqlalchemy import create_engine, text  # noqa: E402


RUNS = (  # (writers, edits per writer, claims)
    (2, 500, ("c1",)),
    (4, 250, ("c1", "c2")),
    (8, 250, ("c1", "c2", "c3", "c4")),
)


def run_on(url: str, writers: int, edits: int, claims: tuple[str, ...]) -> dict:
    store = Store.open(url=url)
    for cid in claims:
        add_claim(store, cid)
    store.close()
    return hammer(url, writers=writers, edits_per_writer=edits, claims=claims)


def row(backend: str, writers: int, claims: tuple[str, ...], out: dict) -> str:
    rate = out["attempted"] / out["seconds"] if out["seconds"] else 0
    return (f"| {backend} | {writers} | {len(claims)} | {out['attempted']} | {out['accepted']} | "
            f"{out['stale']} | {out['lost']} | {out['phantom']} | "
            f"{'yes' if out['final_matches'] else 'NO'} | {out['seconds']:.1f} | {rate:.0f} |")


def main() -> int:
    rows, pg_version = [], None
    with tempfile.TemporaryDirectory() as tmp:
        for writers, edits, claims in RUNS:
            out = run_on(f"sqlite:///{tmp}/bench-{writers}.db", writers, edits, claims)
            rows.append(row("SQLite", writers, claims, out))
            print(rows[-1], flush=True)
    try:
        from tests.pgserver import PostgresServer

        server = PostgresServer().start()
    except RuntimeError as exc:
        print(f"PostgreSQL skipped: {exc}", file=sys.stderr)
        server = None
    if server:
        try:
            admin = create_engine(server.url(), isolation_level="AUTOCOMMIT")
            with admin.connect() as conn:
                pg_version = conn.execute(text("SHOW server_version")).scalar()
                names = []
                for _ in RUNS:
                    names.append("b_" + uuid.uuid4().hex[:10])
                    conn.execute(text(f'CREATE DATABASE "{names[-1]}"'))
            admin.dispose()
            for name, (writers, edits, claims) in zip(names, RUNS):
                out = run_on(server.url(name), writers, edits, claims)
                rows.append(row("PostgreSQL", writers, claims, out))
                print(rows[-1], flush=True)
        finally:
            server.stop()
    lost = sum(int(r.split("|")[7]) for r in rows)
    body = f"""Command: `.venv/bin/python bench/bench_concurrency.py` ({date.today().isoformat()}).
Machine: {machine(sqlite=True)}{f", PostgreSQL {pg_version} (throwaway server, fsync=off)" if pg_version else ""}.

Each writer is a thread with its own Store (engine and connections); it opens a claim
(reads its version) and saves a random desk status with a unique note based on that
version (`store.set_status(..., expected_version=seen)`). *Stale*: refused with
StaleEdit because another writer changed the claim in between (the editor is told
and can re-apply). *Lost*: accepted edits missing from the status history;
*phantom*: history rows no writer saw accepted; *final = last*: every claim ends
as its highest-version accepted edit. The same check runs in
`tests/test_concurrency.py` (4 writers x 250 edits) on both databases.

| backend | writers | claims | attempted | accepted | stale | lost | phantom | final = last | seconds | attempts/s |
|---|---|---|---|---|---|---|---|---|---|---|
{chr(10).join(rows)}

Lost edits over all runs: **{lost}**.
"""
    write_section("Concurrency", body)
    print(f"wrote the Concurrency section of {RESULTS}")
    return 1 if lost else 0


if __name__ == "__main__":
    sys.exit(main())
