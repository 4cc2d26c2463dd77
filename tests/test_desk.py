"""The editors' write API on claims (issues #5, #6), on SQLite and PostgreSQL."""
from __future__ import annotations

import pytest

from lib.errors import ClaimNotFound, InvalidValue, StaleEdit, StoryNotFound
from lib.models import Claim
from tests.desk_helpers import add_claim


def test_set_status_bumps_version_and_records_history(store):
    cid = add_claim(store)
    out = store.set_status(cid, "unverified", "ana", expected_version=1,
                           note="Only HUR says so", evidence_url="https://example.org/a")
    assert (out["status"], out["version"], out["note"], out["evidence_url"]) == (
        "unverified", 2, "Only HUR says so", "https://example.org/a")
    history = store.claim_history(cid)
    assert [(h["editor"], h["from_status"], h["to_status"], h["note"], h["version"]) for h in history] == [
        ("ana", "unreviewed", "unverified", "Only HUR says so", 2)]
    assert history[0]["before"]["status"] == "unreviewed" and history[0]["after"]["status"] == "unverified"
    events = store.audit_events(entity_type="claim", entity_id=cid)
    assert [(e["actor"], e["action"]) for e in events] == [("ana", "set_status")]


def test_stale_edit_carries_the_other_change_and_writes_nothing(store):
    cid = add_claim(store)
    store.set_status(cid, "confirmed", "ana", expected_version=1)
    with pytest.raises(StaleEdit) as err:
        store.set_status(cid, "denied", "ben", expected_version=1, note="I saw v1")
    assert "changed since you opened it" in str(err.value)
    current = err.value.current
    assert current["status"] == "confirmed" and current["version"] == 2
    assert current["last_change"]["actor"] == "ana"
    assert current["last_change"]["after"]["status"] == "confirmed"
    assert store.desk_claim(cid)["status"] == "confirmed"
    assert len(store.claim_history(cid)) == 1
    # re-applying on the version now current succeeds
    assert store.set_status(cid, "denied", "ben", expected_version=current["version"])["version"] == 3


@pytest.mark.parametrize("status", ["maybe", "", "CONFIRMED", "confirmed'; DROP TABLE claim; --"])
def test_unknown_status_is_rejected(store, status):
    cid = add_claim(store)
    with pytest.raises(InvalidValue, match="Unknown desk status"):
        store.set_status(cid, status, "ana", expected_version=1)
    assert store.desk_claim(cid)["version"] == 1


@pytest.mark.parametrize("url", ["javascript:alert(1)", "ftp://x.org/a", "example.org",
                                 "https://", "https://exa mple.org", "data:text/html,<b>"])
def test_evidence_url_must_be_http(store, url):
    cid = add_claim(store)
    with pytest.raises(InvalidValue, match="Evidence URL must be an http"):
        store.set_status(cid, "confirmed", "ana", expected_version=1, evidence_url=url)
    assert store.claim_history(cid) == []


def test_custom_status_can_be_used(store):
    cid = add_claim(store)
    store.add_custom_status("misleading", "Misleading", "#8e24aa", "True figures, false frame", "root")
    assert [s["code"] for s in store.statuses()] == ["unreviewed", "unverified", "confirmed",
                                                     "denied", "misleading"]
    assert store.set_status(cid, "misleading", "ana", 1)["status"] == "misleading"
    assert store.audit_events(action="add_status")[0]["actor"] == "root"


@pytest.mark.parametrize("code,label,colour,message", [
    ("confirmed", "Again", "#000000", "already exists"),
    ("Bad Code", "x", "#000000", "Status code must be"),
    ("ok_code", "", "#000000", "label"),
    ("ok_code", "Ok", "red", "hex colour"),
])
def test_custom_status_validation(store, code, label, colour, message):
    with pytest.raises(InvalidValue, match=message):
        store.add_custom_status(code, label, colour, None, "root")


def test_note_assign_dismiss_restore_are_versioned_and_audited(store):
    cid = add_claim(store)
    store.set_note(cid, "call the ministry", "ana", expected_version=1)
    store.assign(cid, "ben", "ana", expected_version=2)
    store.dismiss(cid, "ben", "not a claim", expected_version=3)
    with pytest.raises(StaleEdit):
        store.assign(cid, "cy", "ana", expected_version=3)
    out = store.restore(cid, "ben", expected_version=4)
    assert (out["note"], out["assignee"], out["dismissed"], out["version"]) == (
        "call the ministry", "ben", False, 5)
    history = store.claim_history(cid)
    assert [h["action"] for h in history] == ["restore", "dismiss", "assign", "set_note"]
    assert history[1]["note"] == "not a claim"
    assert history[2]["before"]["assignee"] is None and history[2]["after"]["assignee"] == "ben"


def test_set_status_keeps_note_unless_given(store):
    cid = add_claim(store)
    store.set_note(cid, "first", "ana")
    assert store.set_status(cid, "confirmed", "ana")["note"] == "first"
    assert store.set_status(cid, "denied", "ana", note="")["note"] is None


def test_bulk_set_status_reports_applied_stale_missing(store):
    for cid in ("c1", "c2", "c3"):
        add_claim(store, cid)
    store.set_note("c2", "moved on", "ben")  # c2 is now version 2
    out = store.bulk_set_status(["c1", "c2", "c3", "nope"], "unverified", "ana", note="batch",
                                expected_versions={"c1": 1, "c2": 1, "c3": 1})
    assert out == {"applied": ["c1", "c3"], "stale": ["c2"], "missing": ["nope"]}
    assert [store.desk_claim(c)["status"] for c in ("c1", "c2", "c3")] == [
        "unverified", "unreviewed", "unverified"]
    bulk = store.audit_events(entity_type="claims")
    assert bulk[0]["action"] == "bulk_set_status" and bulk[0]["after"]["stale"] == ["c2"]
    assert store.claim_history("c3")[0]["to_status"] == "unverified"


def test_bulk_set_status_rejects_unknown_status(store):
    add_claim(store)
    with pytest.raises(InvalidValue):
        store.bulk_set_status(["c1"], "nope", "ana")
    assert store.audit_events() == []


def test_mark_seen_clears_new_evidence(store):
    cid = add_claim(store, evidence_key="k1")
    store.set_status(cid, "confirmed", "ana", 1)
    assert store.desk_claim(cid)["new_evidence"] is False
    with store.session() as s:  # new coverage arrives: recompute changes the evidence key
        s.get(Claim, cid).evidence_key = "k2"
    assert store.desk_claim(cid)["new_evidence"] is True
    out = store.mark_seen(cid, "ben")
    assert out["new_evidence"] is False and out["version"] == 2
    assert store.claim_history(cid)[0]["action"] == "mark_seen"


def test_add_manual_claim(store):
    add_claim(store)
    out = store.add_manual_claim("Kim visited Moscow.", "s1", "KCNA", "ana", note="from TV")
    assert out["origin"] == "manual" and out["story_id"] == "s1" and out["version"] == 1
    assert store.claim_history(out["id"])[0]["action"] == "add_claim"
    with pytest.raises(StoryNotFound):
        store.add_manual_claim("x", "no-such-story", None, "ana")
    with pytest.raises(InvalidValue):
        store.add_manual_claim("   ", "s1", None, "ana")


@pytest.mark.parametrize("call", [
    lambda s: s.set_status("nope", "confirmed", "ana", 1),
    lambda s: s.set_note("nope", "x", "ana", 1),
    lambda s: s.assign("nope", "x", "ana", 1),
    lambda s: s.dismiss("nope", "ana", "x"),
    lambda s: s.mark_seen("nope", "ana"),
    lambda s: s.claim_history("nope"),
])
def test_missing_claim(store, call):
    with pytest.raises(ClaimNotFound, match="'nope' does not exist"):
        call(store)


def test_editors_data_survives_recompute(seeded_store, model):
    """A status, note and history on an extracted claim, and a hand-added claim,
    are still there, attached to the same claims, after claims are recomputed."""
    from lib.pipeline import Pipeline

    store = seeded_store
    claim = next(c for c in store.claims() if "12,000" in c["text"])
    store.set_status(claim["id"], "unverified", "ana", note="only HUR says so")
    manual = store.add_manual_claim("Kim visited Moscow.", claim["story_id"], "KCNA", "ana")
    store.dismiss(manual["id"], "ben", "duplicate")
    Pipeline(store, store.settings, model=model).extract_claims(store.report_ids())
    after = store.desk_claim(claim["id"])
    assert (after["status"], after["note"], after["active"]) == ("unverified", "only HUR says so", True)
    assert [h["to_status"] for h in store.claim_history(claim["id"])] == ["unverified"]
    kept = store.desk_claim(manual["id"])
    assert (kept["origin"], kept["dismissed"], kept["text"]) == ("manual", True, "Kim visited Moscow.")
