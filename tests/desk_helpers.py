"""Helpers shared by the desk, concurrency, backup and hostile-input tests."""
from __future__ import annotations

from lib.models import Claim, Story


def add_claim(store, claim_id: str = "c1", **fields) -> str:
    """A claim row written directly, as extraction would (no extracted claims needed)."""
    with store.session() as s:
        if s.get(Story, "s1") is None:
            s.add(Story(id="s1", title="North Korean troops"))
            s.flush()
        s.add(Claim(id=claim_id, story_id="s1", text=fields.pop("text", "12,000 troops were sent."),
                    speaker=fields.pop("speaker", "HUR"), **fields))
    return claim_id


def hammer(url: str, *, writers: int = 4, edits_per_writer: int = 250,
           claims: tuple[str, ...] = ("c1", "c2"), seed: int = 6, think: float = 0.0) -> dict:
    """Concurrent editors: each thread has its own Store (engine, connections) and
    edits the same claims read-then-write, as an editor with an open page does.
    ``think`` is the longest pause (seconds, random) between reading a claim and
    saving it: an editor's reading time, which makes the writers interleave on
    any scheduler instead of one thread running through its edits alone.

    Returns counts ``{attempted, accepted, stale, errors, lost, phantom,
    final_matches, seconds}`` and the raw ``accepted_edits``. ``lost``: accepted
    edits missing from the history; ``phantom``: history entries no writer saw
    accepted; ``final_matches``: every claim ends as its last accepted edit.
    """
    import random
    import threading
    import time

    from sqlalchemy import select

    from lib.errors import StaleEdit
    from lib.models import StatusChange
    from lib.store import Store

    statuses = ("unverified", "confirmed", "denied", "unreviewed")
    start = threading.Barrier(writers)
    results: list[list[tuple]] = [[] for _ in range(writers)]
    counts = [{"attempted": 0, "stale": 0, "errors": 0} for _ in range(writers)]
    failures: list[BaseException] = []

    def editor(i: int) -> None:
        rng = random.Random(seed * 1000 + i)
        store = Store.open(url=url, migrate=False)
        try:
            start.wait()
            for n in range(edits_per_writer):
                cid = rng.choice(claims)
                seen = store.desk_claim(cid)["version"]  # the editor opens the claim...
                status, note = rng.choice(statuses), f"w{i}-{n}"
                if think:
                    time.sleep(rng.uniform(0, think))
                counts[i]["attempted"] += 1
                try:  # ...and saves a change based on what they saw
                    out = store.set_status(cid, status, f"w{i}", expected_version=seen, note=note)
                except StaleEdit:
                    counts[i]["stale"] += 1
                    continue
                results[i].append((cid, out["version"], f"w{i}", status, note))
        except BaseException as exc:  # surfaced to the caller, never swallowed
            failures.append(exc)
            counts[i]["errors"] += 1
        finally:
            store.close()

    t0 = time.perf_counter()
    threads = [threading.Thread(target=editor, args=(i,)) for i in range(writers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    seconds = time.perf_counter() - t0
    if failures:
        raise failures[0]

    accepted = [edit for r in results for edit in r]
    store = Store.open(url=url, migrate=False)
    try:
        with store.session() as s:
            history = {(c.claim_id, c.version, c.editor, c.to_status, c.note)
                       for c in s.scalars(select(StatusChange))}
        final_matches = True
        for cid in claims:
            mine = [e for e in accepted if e[0] == cid]
            state = store.desk_claim(cid)
            if mine:
                last = max(mine, key=lambda e: e[1])
                final_matches &= (state["version"], state["status"], state["note"]) == (last[1], last[3], last[4])
            else:
                final_matches &= state["version"] == 1
    finally:
        store.close()
    accepted_set = set(accepted)
    return {
        "attempted": sum(c["attempted"] for c in counts),
        "accepted": len(accepted),
        "stale": sum(c["stale"] for c in counts),
        "errors": sum(c["errors"] for c in counts),
        "lost": len(accepted_set - history),
        "phantom": len(history - accepted_set),
        "duplicate_versions": len(accepted) - len({(e[0], e[1]) for e in accepted}),
        "final_matches": final_matches,
        "seconds": round(seconds, 2),
        "accepted_edits": accepted,
    }
