"""Backups and restores (issue #6): a restored store holds every editor's data."""
from __future__ import annotations

import sqlite3

import pytest
from click.testing import CliRunner

from lib import backup
from lib.cli import cli
from lib.errors import BackupError
from lib.store import Store
from tests.conftest import _new_pg_database
from tests.test_desk import add_claim


def editors_work(store) -> None:
    """Two editors' statuses, notes, evidence and history on two claims."""
    add_claim(store, "c1")
    add_claim(store, "c2", text="3,000 troops, says the US.")
    store.set_status("c1", "unverified", "ana", 1, note="only HUR", evidence_url="https://a.example/1")
    store.set_status("c1", "confirmed", "ben", 2, note="Budanov confirmed")
    store.set_note("c2", "ask Seoul", "ben", 1)
    store.assign("c2", "ana", "ben", 2)
    store.add_custom_status("misleading", "Misleading", "#8e24aa", None, "root")
    store.set_status("c2", "misleading", "ana", 3)
    store.add_user("ana", "editor", "correct horse battery", actor="root")


def snapshot(store) -> dict:
    return {cid: (store.desk_claim(cid), [{k: v for k, v in h.items()} for h in store.claim_history(cid)])
            for cid in ("c1", "c2")} | {"users": store.users(), "statuses": store.statuses()}


def test_backup_restore_keeps_every_editors_work(tmp_path):
    store = Store.open(url=f"sqlite:///{tmp_path / 'live.db'}")
    editors_work(store)
    before = snapshot(store)
    backup.backup(store, tmp_path / "b.db")
    # after the backup: more work, then a disaster
    store.set_status("c1", "denied", "cy", 3, note="after the backup")
    with sqlite3.connect(tmp_path / "live.db") as con:
        con.execute("DELETE FROM status_change")
    backup.restore(store, tmp_path / "b.db", actor="ops")
    after = snapshot(store)
    for cid in ("c1", "c2"):
        assert after[cid][0] | {"last_change": None} == before[cid][0] | {"last_change": None}
        assert after[cid][1] == before[cid][1]
    assert after["c1"][0]["note"] == "Budanov confirmed" and after["c1"][0]["status"] == "confirmed"
    assert [h["to_status"] for h in after["c1"][1]] == ["confirmed", "unverified"]
    assert after["users"] == before["users"] and after["statuses"] == before["statuses"]
    assert store.audit_events(action="restore")[0]["actor"] == "ops"
    store.close()


def test_cli_backup_restore(tmp_path):
    url = f"sqlite:///{tmp_path / 'live.db'}"
    store = Store.open(url=url)
    editors_work(store)
    store.close()
    runner = CliRunner()
    result = runner.invoke(cli, ["--db", url, "backup", str(tmp_path / "b.db")])
    assert result.exit_code == 0, result.output
    result = runner.invoke(cli, ["--db", url, "backup", str(tmp_path / "b.db")])
    assert result.exit_code == 1
    assert "exists already" in result.output
    other = f"sqlite:///{tmp_path / 'fresh.db'}"
    result = runner.invoke(cli, ["--db", other, "--as", "ops", "restore", str(tmp_path / "b.db")])
    assert result.exit_code == 0, result.output
    restored = Store.open(url=other)
    assert restored.desk_claim("c1")["status"] == "confirmed"
    assert [h["editor"] for h in restored.claim_history("c1")] == ["ben", "ana"]
    assert restored.verify("ana", "correct horse battery")["role"] == "editor"
    restored.close()


@pytest.mark.parametrize("content,message", [
    (b"hello, not a database", "not a SQLite database"),
    (None, "no such file"),
])
def test_restore_rejects_non_backups(tmp_path, content, message):
    store = Store.open(url=f"sqlite:///{tmp_path / 'live.db'}")
    editors_work(store)
    path = tmp_path / "bad.db"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(BackupError, match=message):
        backup.restore(store, path)
    assert store.desk_claim("c1")["status"] == "confirmed"
    store.close()


def test_restore_rejects_foreign_sqlite(tmp_path):
    store = Store.open(url=f"sqlite:///{tmp_path / 'live.db'}")
    with sqlite3.connect(tmp_path / "other.db") as con:
        con.execute("CREATE TABLE t (x)")
    with pytest.raises(BackupError, match="not a Factdesk store"):
        backup.restore(store, tmp_path / "other.db")
    store.close()


def test_postgresql_points_to_pg_dump(postgres, tmp_path):
    store = Store.open(url=postgres.url(_new_pg_database(postgres)))
    for call in (backup.backup, backup.restore):
        with pytest.raises(BackupError, match="pg_dump -Fc"):
            call(store, tmp_path / "x.db")
    assert not (tmp_path / "x.db").exists()
    store.close()
