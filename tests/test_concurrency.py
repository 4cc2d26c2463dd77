"""Several editors at once, and several ingest workers at once (issue #6).

Each writer is a thread with its own Store (own engine and connections), so
the database, not Python, decides who wins. Run on SQLite and PostgreSQL.
"""
from __future__ import annotations

import threading
import time
from datetime import date

import pytest
from sqlalchemy import text

from lib.models import Report
from lib.store import Store
from tests.desk_helpers import add_claim, hammer

pytestmark = pytest.mark.timeout(300)


def test_concurrent_editors_lose_nothing(store):
    for cid in ("c1", "c2"):
        add_claim(store, cid)
    url = store.engine.url.render_as_string(hide_password=False)
    out = hammer(url, writers=4, edits_per_writer=250, think=0.002)
    print({k: v for k, v in out.items() if k != "accepted_edits"})
    assert out["attempted"] == 1000
    assert out["accepted"] + out["stale"] == out["attempted"]
    assert out["stale"] > 0, "the writers never interleaved: the test proved nothing"
    assert out["accepted"] > 0
    assert out["lost"] == 0 and out["phantom"] == 0 and out["duplicate_versions"] == 0
    assert out["final_matches"]
    # versions are gap-free per claim: every bump is one accepted edit
    for cid in ("c1", "c2"):
        versions = sorted(e[1] for e in out["accepted_edits"] if e[0] == cid)
        assert versions == list(range(2, 2 + len(versions)))
        assert len(store.audit_events(entity_type="claim", entity_id=cid, limit=10_000)) == len(versions)


def add_reports(store, n: int) -> list[str]:
    ids = [f"r{i:04d}" for i in range(n)]
    with store.session() as s:
        for rid in ids:
            s.add(Report(id=rid, title=rid, text="x", content_hash=rid, published=date(2024, 10, 24)))
    return ids


def test_two_workers_never_take_the_same_report(store):
    ids = add_reports(store, 300)
    url = store.engine.url.render_as_string(hide_password=False)
    taken: dict[str, list[str]] = {}
    start = threading.Barrier(3)
    errors: list[BaseException] = []

    def worker(name: str) -> None:
        own = Store.open(url=url, migrate=False)
        mine: list[str] = []
        try:
            start.wait()
            while batch := own.take_pending(name, limit=7):
                mine.extend(batch)
                time.sleep(0.02)  # processing; a worker that never pauses could take the whole queue alone
                own.mark_processed(batch)
        except BaseException as exc:
            errors.append(exc)
        finally:
            taken[name] = mine
            own.close()

    threads = [threading.Thread(target=worker, args=(f"w{i}",)) for i in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    all_taken = [rid for mine in taken.values() for rid in mine]
    assert sorted(all_taken) == ids  # each report taken exactly once
    assert sum(1 for mine in taken.values() if mine) >= 2, "only one worker ever got work"
    assert store.pending_count() == 0


def test_rows_locked_by_one_worker_are_skipped_or_waited_for(store):
    """PostgreSQL: a worker mid-transaction holds its rows FOR UPDATE; another
    worker skips them at once (SKIP LOCKED). SQLite: the other worker waits for
    the write lock, then sees the rows already taken. Neither takes them twice."""
    ids = add_reports(store, 10)
    url = store.engine.url.render_as_string(hide_password=False)
    holder = Store.open(url=url, migrate=False)
    other = Store.open(url=url, migrate=False)
    got: list[str] = []
    done = threading.Event()
    try:
        with holder.session() as s:
            # the first worker's take, not yet committed
            if store.dialect == "postgresql":
                s.execute(text("SELECT id FROM report WHERE id IN ('r0000','r0001','r0002') FOR UPDATE"))
            s.execute(text("UPDATE report SET taken_by='holder', taken_at=CURRENT_TIMESTAMP "
                           "WHERE id IN ('r0000','r0001','r0002')"))
            thread = threading.Thread(target=lambda: (got.extend(other.take_pending("other", limit=100)),
                                                      done.set()))
            thread.start()
            if store.dialect == "postgresql":
                assert done.wait(10), "take_pending blocked on locked rows instead of skipping them"
                assert got == ids[3:]
            else:
                assert not done.wait(0.5), "SQLite let a second writer in during a write transaction"
        thread.join(30)
        assert done.is_set()
        assert got == ids[3:]
    finally:
        holder.close()
        other.close()
